"""The public web kit (``enterprise.web``): the current enterprise, running a service,
and the error summary a refused form puts at the top of its page."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from enterprise import web
from enterprise.forms import ReasonForm
from enterprise.models.roles import Role
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.pages import text_of


def _request(user, method="get", **data):
    request = getattr(RequestFactory(), method)("/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_refuses_the_current_enterprise_to_a_user_who_sees_none(world):
    nobody = UserFactory()
    with pytest.raises(Http404):
        web.current_enterprise(_request(nobody))


def test_it_takes_the_one_enterprise_of_the_users_scope(world):
    labour = world.users[Role.LABOUR]
    assert web.current_enterprise(_request(labour)) == world.enterprise
    # a choice of another enterprise is not his to make
    with pytest.raises(Http404):
        web.current_enterprise(_request(labour, enterprise=world.other_enterprise.pk))


def test_it_asks_which_enterprise_when_the_user_sees_two(world):
    labour = world.users[Role.LABOUR]
    RoleAssignmentFactory(user=labour, role=Role.LABOUR, enterprise=world.other_enterprise)
    with pytest.raises(Http404):  # never "the first one"
        web.current_enterprise(_request(labour))
    with pytest.raises(Http404):
        web.current_enterprise(_request(labour, enterprise="x"))
    chosen = _request(labour, "post", enterprise=str(world.other_enterprise.pk))
    assert web.current_enterprise(chosen) == world.other_enterprise
    assert web.current_enterprise(_request(labour), world.workers["A1"][0]) == world.enterprise


def test_a_new_tariff_rate_names_its_enterprise_when_the_user_sees_two(client, world):
    labour = world.users[Role.LABOUR]
    RoleAssignmentFactory(user=labour, role=Role.LABOUR, enterprise=world.other_enterprise)
    client.force_login(labour)
    url = reverse("enterprise:tariff_rate_create")
    assert client.get(url).status_code == 404
    response = client.get(url, {"enterprise": world.other_enterprise.pk})
    assert response.status_code == 200
    assert response.context["form"].instance.enterprise == world.other_enterprise


def test_it_puts_a_services_field_errors_next_to_the_fields_and_the_rest_in_the_form(world):
    request = _request(world.users[Role.LABOUR], "post")
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"reason": "Не то.", "other": "Иное."})

    assert web.run(request, refuse, form=form, success="Готово.") is None
    assert form.errors["reason"] == ["Не то."]
    assert form.non_field_errors() == ["Иное."]
    assert list(get_messages(request)) == []


def test_it_says_page_errors_at_the_top_and_hides_a_denial_without_reason(world):
    request = _request(world.users[Role.LABOUR], "post")
    form = ReasonForm({"reason": "x"})
    form.is_valid()

    def stale():
        raise ValidationError("Изменил кто-то другой.")

    assert web.run(request, stale, form=form, page_errors=True) is None
    assert [str(m) for m in get_messages(request)] == ["Изменил кто-то другой."]
    assert not form.errors

    def denied():
        raise PermissionDenied

    with pytest.raises(Http404):
        web.run(request, denied)

    def own_draft():
        raise PermissionDenied("Нельзя утвердить своё.")

    assert web.run(request, own_draft) is None
    assert "Нельзя утвердить своё." in [str(m) for m in get_messages(request)]
    assert web.run(request, lambda: None, success="Готово.") is True


def test_a_refused_form_is_summarised_at_the_top_of_its_page(client, world):
    client.force_login(world.users[Role.LABOUR])
    response = client.post(
        reverse("enterprise:tariff_rate_create"),
        {
            "pay_condition": world.conditions["time"].pk,
            "grade": "9",
            "hourly_rate": "125,5",
            "valid_from": "2026-10-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    summary = html.index('data-testid="error-summary"')
    assert summary < html.index("<h1")  # at the top, before the title
    assert 'href="#id_grade"' in html
    assert "Разряд — от 1 до 6." in text_of(html[summary : html.index("<h1")].encode())
    assert "js/form-errors" in html  # the script that takes the user to the first error


def test_a_page_without_a_refused_form_has_no_summary(client, world):
    client.force_login(world.users[Role.LABOUR])
    html = client.get(reverse("enterprise:tariff_rate_create")).content.decode()
    assert "error-summary" not in html
    assert "js/form-errors" not in html
