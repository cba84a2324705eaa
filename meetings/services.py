"""Writes of commissions and meetings: keyword-only, atomic, validated, attributed.

Each service checks the user's right on the object (a refusal without a reason is a 404
for the view), locks the row it changes, runs ``full_clean()`` and records who did it
(:func:`~enterprise.tracking.acting_as`). Meetings touch no money: no month freezes them.
The Sestroretsk rule (a request for information to a department stands only if that
department's representative was invited) is :meth:`InfoRequest.clean`; removing the
invitation of a department that was asked is refused for the same reason.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from enterprise.models.history import HistoryRecord
from enterprise.tracking import acting_as, record_history

from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    Department,
    InfoRequest,
    Invitation,
    Meeting,
)
from .permissions import may_edit_commission, may_edit_meeting
from .selectors import attendance_choices, unit_headcount


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("commission").get(pk=meeting.pk)


# --- commissions ------------------------------------------------------------------------------


@transaction.atomic
def commission_save(*, commission: Commission, user) -> Commission:
    """A commission's name and terms (a new one: of a shop, or of the plant)."""
    if commission.shop_id is not None:
        commission.enterprise_id = commission.shop.enterprise_id
    _require(may_edit_commission(user, commission))
    with acting_as(user):
        commission.full_clean()
        commission.save()
    return commission


@transaction.atomic
def member_save(*, member: CommissionMember, user) -> CommissionMember:
    """A seat on a commission; a member who is a user or a worker is named after them
    when no name is given."""
    _require(may_edit_commission(user, member.commission))
    if not member.name.strip():
        if member.worker_id is not None:
            member.name = member.worker.short_name
        elif member.user_id is not None:
            member.name = member.user.get_full_name() or member.user.get_username()
    with acting_as(user):
        member.full_clean()
        member.save()
    return member


@transaction.atomic
def member_remove(*, member: CommissionMember, user) -> None:
    _require(may_edit_commission(user, member.commission))
    with acting_as(user):
        member.delete()


# --- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(*, meeting: Meeting, user) -> Meeting:
    """A meeting's date, state, chair, headcount and minutes. A new one takes the next
    number of its commission and, without a headcount, the unit's workers on its day."""
    commission = meeting.commission
    _require(may_edit_meeting(user, commission))
    meeting.enterprise_id = commission.enterprise_id
    if meeting.pk is None:
        # the commission's row is the lock of its numbering
        list(
            Commission.objects.select_for_update().filter(pk=commission.pk).order_by().values("pk")
        )
        last = commission.meetings.aggregate(last=Max("number"))["last"] or 0
        meeting.number = last + 1
    if not meeting.headcount and meeting.date:
        meeting.headcount = unit_headcount(commission, meeting.date)
    with acting_as(user):
        meeting.full_clean()
        meeting.save()
    return meeting


@transaction.atomic
def meeting_attendance(*, meeting: Meeting, workers, user) -> Meeting:
    """Who of the unit's workers attended. Workers of another unit are refused, and no
    more can be present than the headcount of the day."""
    meeting = _locked(meeting)
    _require(may_edit_meeting(user, meeting))
    workers = list(workers)
    allowed = set(attendance_choices(meeting).values_list("pk", flat=True))
    strangers = [w for w in workers if w.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "attendees": _("Не рабочие подразделения на день совещания: %(names)s.")
                % {"names": ", ".join(w.short_name for w in strangers)}
            }
        )
    if len(workers) > meeting.headcount:
        raise ValidationError(
            {
                "attendees": _(
                    "Отмечено %(n)s присутствующих, а в подразделении %(h)s рабочих: "
                    "исправьте численность совещания или список."
                )
                % {"n": len(workers), "h": meeting.headcount}
            }
        )
    before = set(meeting.attendees.values_list("pk", flat=True))
    after = {w.pk for w in workers}
    if before != after:
        with acting_as(user):
            meeting.attendees.set(workers)
            label = str(Meeting._meta.get_field("attendees").verbose_name)
            record_history(
                [(meeting, HistoryRecord.Action.UPDATE, {label: [len(before), len(after)]})]
            )
    return meeting


@transaction.atomic
def invitation_save(*, invitation: Invitation, user) -> Invitation:
    """A department's representative invited to a meeting (or marked as attended)."""
    _require(may_edit_meeting(user, _locked(invitation.meeting)))
    with acting_as(user):
        invitation.full_clean()
        invitation.save()
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation, user) -> None:
    """Withdraw an invitation; not of a department the meeting asked for information —
    the request would lose its ground (the Sestroretsk rule)."""
    _require(may_edit_meeting(user, _locked(invitation.meeting)))
    if InfoRequest.objects.filter(
        meeting_id=invitation.meeting_id, department_id=invitation.department_id
    ).exists():
        raise ValidationError(
            _(
                "Совещание запросило сведения у отдела «%(d)s»: приглашение его представителя "
                "не снимается, иначе запрос потеряет основание."
            )
            % {"d": invitation.department}
        )
    with acting_as(user):
        invitation.delete()


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, kind: str, major: bool = False, user
) -> AgendaItem:
    """The next item of the agenda."""
    meeting = _locked(meeting)
    _require(may_edit_meeting(user, meeting))
    last = meeting.agenda.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(meeting=meeting, order=last + 1, title=title, kind=kind, major=major)
    with acting_as(user):
        item.full_clean()
        item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user) -> None:
    _require(may_edit_meeting(user, _locked(item.meeting)))
    with acting_as(user):
        item.delete()


@transaction.atomic
def decision_add(
    *,
    meeting: Meeting,
    text: str,
    responsible: str,
    deadline: datetime.date,
    agenda_item: AgendaItem | None = None,
    user,
) -> Decision:
    meeting = _locked(meeting)
    _require(may_edit_meeting(user, meeting))
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        responsible=responsible,
        deadline=deadline,
    )
    with acting_as(user):
        decision.full_clean()
        decision.save()
    return decision


@transaction.atomic
def decision_done(*, decision: Decision, done_on: datetime.date | None, user) -> Decision:
    """Mark a decision done on a day (or, with no day, not done after all)."""
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    _require(may_edit_meeting(user, decision.meeting))
    decision.done_on = done_on
    with acting_as(user):
        decision.full_clean()
        decision.save()
    return decision


@transaction.atomic
def info_request_add(
    *, meeting: Meeting, department: Department, question: str, user
) -> InfoRequest:
    """A meeting's request for information from a department: refused unless that
    department's representative was invited to this meeting (the Sestroretsk rule)."""
    meeting = _locked(meeting)
    _require(may_edit_meeting(user, meeting))
    request = InfoRequest(meeting=meeting, department=department, question=question)
    with acting_as(user):
        request.full_clean()
        request.save()
    return request


@transaction.atomic
def info_request_answer(
    *, request: InfoRequest, answer: str, answered_on: datetime.date, user
) -> InfoRequest:
    """The department's answer, recorded by whoever keeps the meeting's papers."""
    request = InfoRequest.objects.select_for_update().select_related("meeting").get(pk=request.pk)
    _require(may_edit_meeting(user, request.meeting))
    request.answer = answer
    request.answered_on = answered_on
    with acting_as(user):
        request.full_clean()
        request.save()
    return request
