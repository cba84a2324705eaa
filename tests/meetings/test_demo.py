"""The demo plant's commissions and a year of meetings (``meetings.demo``).

Loaded once for the module (the plant's own steps, then the meetings'), in a transaction
rolled back at the end.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord
from meetings import demo as meetings_demo
from meetings import selectors
from meetings.models import Commission, Decision, InfoRequest, Meeting
from meetings.models.commissions import memberships_of

D = Decimal
MEETING_STEPS = [
    meetings_demo.step_departments,
    meetings_demo.step_users,
    meetings_demo.step_commissions,
    meetings_demo.step_meetings,
]
STEPS = [*demo.BASE_STEPS, *MEETING_STEPS]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = demo.load_demo(steps=STEPS)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def plant(loaded, db):
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def test_a_year_of_meetings_in_two_shops_and_at_the_plant(plant):
    held = Meeting.objects.filter(enterprise=plant, status=Meeting.Status.HELD)
    assert held.count() == 28  # 12 + 12 + 4
    assert held.filter(commission__level="plant").count() == 4
    first, last = held.order_by("date").first(), held.order_by("date").last()
    assert first.date == datetime.date(2025, 12, 11)  # the second Thursday of December
    assert last.date == datetime.date(2026, 11, 19)  # the plant's, a week after the shops'


def test_the_agenda_has_the_1925_proportions_and_participation_the_sources(plant):
    plant_unit = selectors.StatsUnit("plant", "plant", plant.pk)
    stats = selectors.statistics(
        plant_unit,
        datetime.date(2025, 12, 1),
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 5),
    )
    shares = {row.code: row.share for row in stats.agenda}
    # 23 / 14 / 62 / 2 / 11 of 112
    assert shares == {
        "organisation": D("20.5"),
        "report": D("12.5"),
        "proposal": D("55.4"),
        "major": D("1.8"),
        "other": D("9.8"),
    }
    assert stats.proposals_share == D("57.2")
    assert D("17.0") <= stats.participation <= D("20.0")  # the source: 18,7 %


def test_the_people_who_act_on_proposals_sit_on_the_commissions(plant, loaded):
    shop6 = Commission.objects.get(enterprise=plant, shop__number=6)
    bureau = memberships_of(loaded.users["buro6"])
    assert shop6.pk in bureau.bureau
    committee = memberships_of(loaded.users["fzk"])
    assert shop6.pk in committee.committee
    assert Commission.objects.get(enterprise=plant, level="plant").pk in committee.committee
    assert {"buro6", "fzk"} <= {login.username for login in loaded.logins}


def test_requests_go_to_invited_departments_and_the_autumns_decisions_are_overdue(plant):
    for request in InfoRequest.objects.filter(meeting__enterprise=plant):
        assert request.meeting.invitations.filter(department=request.department).exists()
    overdue = [
        d for d in Decision.objects.filter(meeting__enterprise=plant)
        if d.is_overdue(datetime.date(2026, 12, 5))
    ]  # fmt: skip
    assert overdue and all(d.meeting.date >= datetime.date(2026, 9, 1) for d in overdue)


def test_a_second_load_changes_nothing(plant):
    records = HistoryRecord.objects.count()
    attendance = sorted(Meeting.attendees.through.objects.values_list("meeting_id", "worker_id"))
    demo.load_demo(steps=STEPS)
    assert HistoryRecord.objects.count() == records
    assert sorted(Meeting.attendees.through.objects.values_list("meeting_id", "worker_id")) == (
        attendance
    )
