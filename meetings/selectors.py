"""Reads of commissions, meetings and the statistics, scoped to the user.

Every read starts from ``visible_to(user)``; the statistics read a unit (a shop or the
plant) the user may see as a whole (:func:`stats_units`) and hand the figures to the pure
rules (``meetings.rules``): the shares of the agenda, participation, the answer times
against the terms, the ageing of the open queue.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from enterprise.models import Enterprise, Shop, Worker
from enterprise.models.roles import Role
from enterprise.scoping import scope_of

from . import rules
from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    InfoRequest,
    Invitation,
    Meeting,
    Proposal,
)
from .models.commissions import Level, memberships_of

# --- commissions and meetings --------------------------------------------------------------


def commissions_for(user):
    return (
        Commission.objects.visible_to(user)
        .select_related("enterprise", "shop")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("enterprise__name", "-level", "shop__number", "pk")
    )


def members_of(commission: Commission) -> list[CommissionMember]:
    return list(
        commission.members.select_related("user", "worker__section").order_by("group", "name", "pk")
    )


def meetings_for(user):
    return (
        Meeting.objects.visible_to(user)
        .select_related("commission__shop", "chair")
        .annotate(
            present=Count("attendees", distinct=True),
            items=Count("agenda", distinct=True),
        )
    )


def meeting_for_page(user, pk: int) -> Meeting:
    """The meeting ``pk`` with everything its page shows (``DoesNotExist`` outside scope)."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("commission__shop", "commission__enterprise", "enterprise", "chair")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("department").order_by(
                    "department__name"
                ),
            ),
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item").order_by("deadline", "pk"),
            ),
            Prefetch(
                "requests",
                queryset=InfoRequest.objects.select_related("department").order_by("pk"),
            ),
        )
        .get(pk=pk)
    )
    meeting.present = meeting.attendees.count()
    return meeting


def unit_workers(commission: Commission, on: datetime.date):
    """The workers of the commission's unit (the shop, or the whole plant) on a day."""
    workers = Worker.objects.active(on).filter(enterprise_id=commission.enterprise_id)
    if commission.level == Level.SHOP:
        workers = workers.filter(section__shop_id=commission.shop_id)
    return workers


def unit_headcount(commission: Commission, on: datetime.date) -> int:
    return unit_workers(commission, on).count()


def attendance_choices(meeting: Meeting):
    """The workers a meeting's attendance is marked among: the unit's on its day and
    whoever is marked already (a worker moved since stays on the list)."""
    marked = meeting.attendees.values("pk") if meeting.pk else Worker.objects.none()
    return (
        Worker.objects.filter(
            models.Q(pk__in=unit_workers(meeting.commission, meeting.date).values("pk"))
            | models.Q(pk__in=marked)
        )
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "last_name", "first_name", "pk")
    )


def overdue_decisions(meeting: Meeting, today: datetime.date) -> set[int]:
    return {d.pk for d in meeting.decisions.all() if d.is_overdue(today)}


# --- the statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsUnit:
    """A unit the statistics are taken for: a shop, or the plant as a whole."""

    key: str  # "shop:<id>" or "plant:<enterprise id>"
    label: str
    enterprise_id: int
    shop_id: int | None = None

    @property
    def is_plant(self) -> bool:
        return self.shop_id is None


STATS_ROLES_PLANT = frozenset(
    {Role.LABOUR, Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR, Role.ECONOMIST}
)
STATS_ROLES_SHOP = frozenset({Role.MASTER, Role.SHOP_HEAD, Role.DISPATCHER, Role.ECONOMIST})


def stats_units(user) -> list[StatsUnit]:
    """The units whose statistics the user reads: the plant for its heads and services,
    a shop for its heads (a master: his section's shop), a commission's unit for its
    bureau."""
    scope = scope_of(user)
    seats = memberships_of(user)
    plants: set[int] = set(seats.plants & _bureau_enterprises(seats))
    shops: set[int] = set(_bureau_shops(seats))
    if scope.everything:
        plants |= set(Enterprise.objects.values_list("pk", flat=True))
    for grant in scope.grants:
        if grant.shop_id is None and grant.section_id is None:
            if grant.role in STATS_ROLES_PLANT:
                plants.add(grant.enterprise_id)
        elif grant.role in STATS_ROLES_SHOP:
            shops.add(grant.shop_id)
    units: list[StatsUnit] = []
    for enterprise in Enterprise.objects.filter(pk__in=plants).order_by("name"):
        units.append(
            StatsUnit(f"plant:{enterprise.pk}", _("Завод в целом: %s") % enterprise, enterprise.pk)
        )
    shop_rows = Shop.objects.filter(
        models.Q(pk__in=shops) | models.Q(enterprise_id__in=plants)
    ).order_by("enterprise__name", "number")
    for shop in shop_rows:
        units.append(StatsUnit(f"shop:{shop.pk}", str(shop), shop.enterprise_id, shop.pk))
    return units


def _bureau_shops(seats) -> set[int]:
    return (
        set(
            Commission.objects.filter(pk__in=seats.bureau, level=Level.SHOP).values_list(
                "shop_id", flat=True
            )
        )
        if seats.bureau
        else set()
    )


def _bureau_enterprises(seats) -> set[int]:
    return (
        set(
            Commission.objects.filter(pk__in=seats.bureau, level=Level.PLANT).values_list(
                "enterprise_id", flat=True
            )
        )
        if seats.bureau
        else set()
    )


AGENDA_CLASSES = ("organisation", "report", "proposal", "major", "other")


def agenda_class_labels() -> dict[str, str]:
    return {
        "organisation": _("организация совещаний"),
        "report": _("доклады и отчёты"),
        "proposal": _("предложения (обычные)"),
        "major": _("крупные усовершенствования и изобретения"),
        "other": _("прочие вопросы"),
    }


@dataclass(frozen=True)
class AgendaRow:
    code: str
    label: str
    count: int
    share: Decimal


@dataclass(frozen=True)
class MonthParticipation:
    year: int
    month: int
    present: int
    headcount: int
    rate: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.month:02d}.{self.year}"


@dataclass(frozen=True)
class Outcomes:
    """Proposals by where they ended up (a partition of the total)."""

    implemented: int
    rejected: int
    dropped: int
    in_progress: int
    never_answered: int

    @property
    def total(self) -> int:
        return (
            self.implemented + self.rejected + self.dropped + self.in_progress + self.never_answered
        )

    @property
    def still_open(self) -> int:
        return self.in_progress + self.never_answered


@dataclass
class Statistics:
    unit: StatsUnit
    date_from: datetime.date
    date_to: datetime.date
    as_of: datetime.date
    review_days: int
    answer_days: int
    meetings_held: int
    agenda: list[AgendaRow]
    agenda_total: int
    proposals_share: Decimal  # ordinary and major together
    participation: Decimal | None
    present: int
    headcount: int
    months: list[MonthParticipation]
    review: rules.ProposalSummary
    answer: rules.ProposalSummary
    outcomes: Outcomes
    ageing: tuple
    outcome_shares: dict[str, Decimal | None] = field(default_factory=dict)


def _terms(unit: StatsUnit) -> tuple[int, int]:
    commission = Commission.objects.filter(enterprise_id=unit.enterprise_id).filter(
        models.Q(level=Level.PLANT) if unit.is_plant else models.Q(shop_id=unit.shop_id)
    )
    found = commission.values_list("review_days", "answer_days").first()
    return found or (rules.REVIEW_DAYS, rules.ANSWER_DAYS)


def statistics(
    unit: StatsUnit, date_from: datetime.date, date_to: datetime.date, today: datetime.date
) -> Statistics:
    """The figures of a unit for the meetings held and the proposals submitted from
    ``date_from`` to ``date_to``, taken as of ``today`` (or the period's end, if earlier).

    Five queries: the terms, the meetings with their attendance, the agenda by class,
    the proposals' dates and states.
    """
    as_of = min(date_to, today)
    review_days, answer_days = _terms(unit)
    meetings = Meeting.objects.filter(
        enterprise_id=unit.enterprise_id,
        status=Meeting.Status.HELD,
        date__gte=date_from,
        date__lte=date_to,
    )
    if not unit.is_plant:
        meetings = meetings.filter(commission__shop_id=unit.shop_id)
    held = list(
        meetings.annotate(present=Count("attendees", distinct=True))
        .order_by("date", "pk")
        .values_list("date", "present", "headcount")
    )
    by_month: dict[tuple[int, int], list[int]] = {}
    for day, present, headcount in held:
        totals = by_month.setdefault((day.year, day.month), [0, 0])
        totals[0] += present
        totals[1] += headcount
    months = [
        MonthParticipation(y, m, p, h, rules.participation_rate(p, h))
        for (y, m), (p, h) in sorted(by_month.items())
    ]
    present = sum(row[1] for row in held)
    headcount = sum(row[2] for row in held)

    counts = Counter()
    for kind, major, number in (
        AgendaItem.objects.filter(meeting__in=meetings)
        .values("kind", "major")
        .annotate(n=Count("pk"))
        .values_list("kind", "major", "n")
    ):
        counts["major" if major else kind] += number
    by_class = {code: counts.get(code, 0) for code in AGENDA_CLASSES}
    shares = rules.agenda_shares(by_class)
    labels = agenda_class_labels()
    agenda = [AgendaRow(code, labels[code], by_class[code], shares[code]) for code in by_class]

    proposals = Proposal.objects.filter(
        enterprise_id=unit.enterprise_id, submitted_on__gte=date_from, submitted_on__lte=as_of
    )
    if not unit.is_plant:
        proposals = proposals.filter(shop_id=unit.shop_id)
    rows = list(
        proposals.values_list(
            "status",
            "submitted_on",
            "reviewed_on",
            "implemented_on",
            "passed_on",
            "answered_on",
            "dropped_on",
        )
    )
    review = rules.proposal_summary(
        (
            (submitted, reviewed, implemented if reviewed else None)
            for _status, submitted, reviewed, implemented, *_rest in rows
        ),
        as_of=as_of,
        review_days=review_days,
    )
    answer = rules.proposal_summary(
        (
            (passed, answered, None)
            for *_rest, passed, answered, _dropped in rows
            if passed and passed <= as_of
        ),
        as_of=as_of,
        review_days=answer_days,
    )
    outcomes = _outcomes(rows, as_of)
    open_since = [row[1] for row in rows if _open_on(row, as_of)]
    ageing = rules.ageing(open_since, as_of=as_of)
    return Statistics(
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        review_days=review_days,
        answer_days=answer_days,
        meetings_held=len(held),
        agenda=agenda,
        agenda_total=sum(by_class.values()),
        proposals_share=shares["proposal"] + shares["major"],
        participation=rules.participation_rate(present, headcount) if headcount else None,
        present=present,
        headcount=headcount,
        months=months,
        review=review,
        answer=answer,
        outcomes=outcomes,
        ageing=ageing,
        outcome_shares={
            name: rules.percent(getattr(outcomes, name), outcomes.total)
            for name in ("implemented", "rejected", "dropped", "in_progress", "never_answered")
        },
    )


def _open_on(row, as_of: datetime.date) -> bool:
    """Was the proposal still waiting for someone on ``as_of`` (not finished by then)?"""
    status, _submitted, reviewed, implemented, _passed, answered, dropped = row
    S = Proposal.Status

    def by(day) -> bool:
        return day is not None and day <= as_of

    if by(implemented) or (status == S.DROPPED and by(dropped)):
        return False
    if status == S.REJECTED and by(reviewed):
        return False
    return not (status == S.DECLINED and by(answered))


def _outcomes(rows, as_of: datetime.date) -> Outcomes:
    """Where each proposal stood on ``as_of``, from the dates of its steps: implemented,
    rejected (by the bureau or the administration), dropped, under way (answered by the
    bureau, not finished) or never answered (not yet reviewed)."""
    S = Proposal.Status
    tally = Counter()

    def by(day) -> bool:
        return day is not None and day <= as_of

    for status, _submitted, reviewed, implemented, _passed, answered, dropped in rows:
        if by(implemented):
            tally["implemented"] += 1
        elif (status == S.REJECTED and by(reviewed)) or (status == S.DECLINED and by(answered)):
            tally["rejected"] += 1
        elif status == S.DROPPED and by(dropped):
            tally["dropped"] += 1
        elif by(reviewed):
            tally["in_progress"] += 1
        else:
            tally["never_answered"] += 1
    return Outcomes(
        implemented=tally["implemented"],
        rejected=tally["rejected"],
        dropped=tally["dropped"],
        in_progress=tally["in_progress"],
        never_answered=tally["never_answered"],
    )
