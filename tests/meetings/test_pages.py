"""The pages of commissions and meetings: what they show, refusals next to their fields with
the summary on top, and the lists' query counts pinned."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.meetings.worlds import meeting, meeting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return meeting_world(world)


def _client(client, world, role):
    client.force_login(world.users[role])
    return client


def test_the_meeting_page_shows_participation_the_classified_agenda_and_the_overdue_decision(
    world, m, client
):
    response = _client(client, world, "shop_head").get(
        reverse("meetings:meeting_detail", args=[m["meeting of A"].pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert response.context["rate"] == 75  # 3 of the shop's 4 workers
    assert "75,0 %" in text
    assert "крупное усовершенствование, изобретение" in text
    # due 15.10.2026, not done: overdue today
    assert 'data-overdue="1"' in text and "просрочено" in text
    # the rule is said before the form, not only when it refuses
    rule = text.index('data-testid="sestroretsk-rule"')
    assert rule < text.index('data-testid="request-form"')
    assert "Сестрорецкого" in text


def test_a_request_to_a_department_not_invited_comes_back_next_to_its_field(world, m, client):
    meeting_a = m["meeting of A"]
    response = _client(client, world, "shop_head").post(
        reverse("meetings:request_add", args=[meeting_a.pk]),
        {"department": m["department ИНО (not invited)"].pk, "question": "Резцы?"},
    )
    assert response.status_code == 200
    form = response.context["request_form"]
    assert "не был приглашён" in form.errors["department"][0]
    text = response.content.decode()
    # the summary at the top names the refusal, and the field says it again
    summary = text.index('data-testid="error-summary"')
    assert summary < text.index("не был приглашён") < text.index('data-testid="request-form"')
    assert text.count("не был приглашён") >= 2


def test_a_held_meeting_without_a_headcount_takes_the_units_workers(world, m, client):
    # the form says «Пусто или 0 — по списку рабочих подразделения на день совещания»
    commission = m["meeting of A"].commission
    day = m["meeting of A"].date
    _client(client, world, "shop_head")
    url = reverse("meetings:meeting_create", args=[commission.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "date": day.isoformat(),
            "status": Meeting.Status.HELD,
            "headcount": "",
            "minutes": "Слушали, постановили.",
            "submission": form["submission"].value(),
            "version": form["version"].value() or "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    held = Meeting.objects.get(commission=commission, number=2)
    assert held.headcount == 4  # shop A's four workers on that day


def test_a_worker_reads_the_meeting_but_has_no_forms(world, m, client):
    response = _client(client, world, "brigade_leader").get(
        reverse("meetings:meeting_detail", args=[m["meeting of A"].pk])
    )
    assert response.status_code == 200
    assert not response.context["can_edit"]
    assert 'data-testid="agenda-form"' not in response.content.decode()


def test_a_wrong_attendance_is_refused_on_its_page(world, m, client):
    meeting_a = m["meeting of A"]
    Meeting.objects.filter(pk=meeting_a.pk).update(headcount=1)
    workers = world.workers["A1"]
    response = _client(client, world, "shop_head").post(
        reverse("meetings:meeting_attendance", args=[meeting_a.pk]),
        {"attendees": [w.pk for w in workers]},
    )
    assert response.status_code == 200
    assert "а в подразделении 1 рабочих" in response.context["form"].errors["attendees"][0]


def test_the_lists_keep_their_queries_with_more_meetings(
    world, m, client, django_assert_max_num_queries
):
    for number in range(2, 12):
        meeting(m["commission of A"], date=datetime.date(2026, 10, number), number=number)
    client = _client(client, world, "production_head")
    for name, args, most in (
        ("meetings:meeting_list", [], 6),
        ("meetings:commission_list", [], 9),
        ("meetings:commission_detail", [m["commission of A"].pk], 13),
        ("meetings:meeting_detail", [m["meeting of A"].pk], 20),
    ):
        with django_assert_max_num_queries(most):
            response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
