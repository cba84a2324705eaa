"""Commissions' and meetings' writes: numbering, the headcount's snapshot, attendance,
the agenda's classes, decisions, and the Sestroretsk rule (refused and accepted)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprise.models import HistoryRecord
from meetings import services
from meetings.models import Commission, InfoRequest, Invitation, Meeting
from tests.meetings.worlds import meeting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return meeting_world(world)


def test_a_new_meeting_takes_the_next_number_and_the_shops_workers_on_its_day(world, m):
    meeting = services.meeting_save(
        meeting=Meeting(commission=m["commission of A"], date=datetime.date(2026, 11, 5)),
        user=world.users["shop_head"],
    )
    assert meeting.number == 2  # the world's meeting of shop A is № 1
    assert meeting.headcount == 4  # A1 and A2: two workers each
    assert meeting.enterprise == world.enterprise
    assert HistoryRecord.objects.filter(group=f"meetings.meeting:{meeting.pk}").exists()


def test_the_plant_meeting_counts_every_worker_of_the_plant(world, m):
    meeting = services.meeting_save(
        meeting=Meeting(commission=m["plant commission"], date=datetime.date(2026, 11, 5)),
        user=world.users["production_head"],
    )
    assert meeting.headcount == 6


def test_a_master_does_not_hold_meetings_of_the_shop(world, m):
    with pytest.raises(PermissionDenied):
        services.meeting_save(
            meeting=Meeting(commission=m["commission of A"], date=datetime.date(2026, 11, 5)),
            user=world.users["master"],
        )


def test_the_bureau_records_its_commissions_meeting(world, m):
    # the world's worker sits in the bureau of shop A's commission
    item = services.agenda_item_add(
        meeting=m["meeting of A"], title="Отчёт бюро", kind="report", user=world.users["worker"]
    )
    assert item.order == 5


def test_attendance_is_of_the_units_workers_and_not_above_the_headcount(world, m):
    meeting = m["meeting of A"]
    shop_a = world.workers["A1"] + world.workers["A2"]
    with pytest.raises(ValidationError) as refused:
        services.meeting_attendance(
            meeting=meeting,
            workers=[*shop_a[:1], world.workers["B1"][0]],
            user=world.users["shop_head"],
        )
    assert "attendees" in refused.value.message_dict
    Meeting.objects.filter(pk=meeting.pk).update(headcount=3)
    with pytest.raises(ValidationError) as refused:
        services.meeting_attendance(meeting=meeting, workers=shop_a, user=world.users["shop_head"])
    assert "а в подразделении 3 рабочих" in refused.value.message_dict["attendees"][0]
    done = services.meeting_attendance(
        meeting=meeting, workers=shop_a[:2], user=world.users["shop_head"]
    )
    assert set(done.attendees.values_list("pk", flat=True)) == {w.pk for w in shop_a[:2]}


def test_only_a_proposal_is_a_major_improvement(world, m):
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_add(
            meeting=m["meeting of A"],
            title="Доклад",
            kind="report",
            major=True,
            user=world.users["shop_head"],
        )
    assert "major" in refused.value.message_dict
    item = services.agenda_item_add(
        meeting=m["meeting of A"],
        title="Станок",
        kind="proposal",
        major=True,
        user=world.users["shop_head"],
    )
    assert item.agenda_class == "major"


# --- the Sestroretsk rule ------------------------------------------------------------------


def test_a_request_to_a_department_not_invited_is_refused(world, m):
    with pytest.raises(ValidationError) as refused:
        services.info_request_add(
            meeting=m["meeting of A"],
            department=m["department ИНО (not invited)"],
            question="Почему нет резцов?",
            user=world.users["shop_head"],
        )
    message = refused.value.message_dict["department"][0]
    assert "не был приглашён" in message and "ИНО" in message
    assert not InfoRequest.objects.filter(department=m["department ИНО (not invited)"]).exists()


def test_a_request_to_an_invited_department_stands(world, m):
    request = services.info_request_add(
        meeting=m["meeting of A"],
        department=m["department ОТК"],
        question="Каков брак по операции 15?",
        user=world.users["shop_head"],
    )
    assert request.pk and request.department == m["department ОТК"]
    answered = services.info_request_answer(
        request=request,
        answer="2,4 %",
        answered_on=datetime.date(2026, 10, 3),
        user=world.users["shop_head"],
    )
    assert answered.answered_on == datetime.date(2026, 10, 3)


def test_a_department_of_another_meeting_does_not_count(world, m):
    # ТБ was invited to shop A's meeting, not to shop B's
    with pytest.raises(ValidationError):
        services.info_request_add(
            meeting=m["meeting of B"],
            department=m["department ТБ"],
            question="Чертежи?",
            user=world.users["production_head"],
        )


def test_the_invitation_of_a_department_asked_stays(world, m):
    with pytest.raises(ValidationError) as refused:
        services.invitation_remove(
            invitation=m["invitation of ТБ to meeting of A"], user=world.users["shop_head"]
        )
    assert "потеряет основание" in refused.value.messages[0]
    services.invitation_remove(
        invitation=m["invitation of ОТК to meeting of A"], user=world.users["shop_head"]
    )
    assert not Invitation.objects.filter(department=m["department ОТК"]).exists()


def test_an_answer_needs_its_date_and_not_before_the_meeting(world, m):
    with pytest.raises(ValidationError) as refused:
        services.info_request_answer(
            request=m["request of meeting of A"],
            answer="Смета готова",
            answered_on=datetime.date(2026, 9, 30),
            user=world.users["shop_head"],
        )
    assert "answered_on" in refused.value.message_dict


# --- decisions and commissions ---------------------------------------------------------------


def test_a_decision_past_its_deadline_and_not_done_is_overdue(world, m):
    decision = m["decision of meeting of A"]  # due 15.10.2026
    assert decision.is_overdue(datetime.date(2026, 10, 16))
    assert not decision.is_overdue(datetime.date(2026, 10, 15))
    done = services.decision_done(
        decision=decision, done_on=datetime.date(2026, 10, 20), user=world.users["economist"]
    )
    assert not done.is_overdue(datetime.date(2026, 12, 1))


def test_a_decision_is_not_due_before_its_meeting(world, m):
    with pytest.raises(ValidationError) as refused:
        services.decision_add(
            meeting=m["meeting of A"],
            text="Сделать",
            responsible="Мастер",
            deadline=datetime.date(2026, 9, 1),
            user=world.users["shop_head"],
        )
    assert "deadline" in refused.value.message_dict


def test_a_shop_has_one_commission_and_only_the_factory_committee_passes_proposals(world, m):
    with pytest.raises(ValidationError):
        services.commission_save(
            commission=Commission(level="shop", shop=world.units["A"], name="Вторая"),
            user=world.users["shop_head"],
        )
    from meetings.models import CommissionMember

    with pytest.raises(ValidationError) as refused:
        services.member_save(
            member=CommissionMember(
                commission=m["commission of A"],
                name="Рабочий",
                group="workers",
                is_factory_committee=True,
            ),
            user=world.users["shop_head"],
        )
    assert "is_factory_committee" in refused.value.message_dict
    member = services.member_save(
        member=CommissionMember(
            commission=m["commission of A"], worker=world.workers["A2"][1], group="workers"
        ),
        user=world.users["shop_head"],
    )
    assert member.name == world.workers["A2"][1].short_name
