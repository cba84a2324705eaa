"""A bulk page's checkboxes carry their documents' ids as the server reads them back.

With ``USE_THOUSAND_SEPARATOR`` a template writes an id of 1,000 or more grouped
(«1 313»): the checkbox then posted a value no document has, and a plant's documents all
have such ids. The list, the confirmation that re-posts the ticked ids, and the period
close's carried items write them unlocalized."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from enterprise import bulk
from enterprise.models.roles import Role


def _page(world, method: str = "get", data=None):
    page = bulk.Bulk(
        title="Подписать",
        intro="",
        headers=["Объём"],
        button="Подписать отмеченные",
        effects=["подписано"],
        done_word="подписан",
        cancel_url=reverse("home"),
    )
    rows = [
        bulk.Row(pk=1313, label="План 1313", url="/planning/plans/1313/", cells=["2 517,0"]),
        bulk.Row(pk=12, label="План 12", url="/planning/plans/12/", cells=["1,0"]),
    ]
    request = getattr(RequestFactory(), method)("/bulk/", data or {})
    request.user = world.users[Role.ECONOMIST]
    request.session = {}
    request._messages = []
    done = []
    return bulk.page(request, page, rows, done.append), done


def test_the_list_writes_ids_of_a_thousand_and_more_as_digits(world):
    response, _done = _page(world)
    html = response.content.decode()
    assert 'name="pk" value="1313" id="bulk-1313"' in html
    assert '<label for="bulk-1313">' in html
    assert 'value="12"' in html


def test_the_confirmation_posts_the_ticked_ids_back_as_digits(world):
    response, done = _page(world, "post", {"pk": ["1313"]})
    html = response.content.decode()
    assert response.status_code == 200 and done == []
    assert 'name="pk" value="1313"' in html
    assert "1 313" not in html
