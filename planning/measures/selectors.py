"""Org-technical measures (§5, tables 20–21) and the workers' accounts: reads.

The calculation of one measure with its numbers filled in, the summary of a
unit's measures by factor group and factor (table 21), the share of a section's planned
growth that comes from measures (:func:`growth_from_measures`), and a worker's savings
and creative-contribution accounts.

The headcount growth is referred to (§5: "productivity growth from a measure = released
workers / headcount of the unit"):

* a measure's own growth is its released workers over its ``headcount`` field — entered
  with the measure (by default the section's active workers on the day it is created),
  so the figure stays as planned while people come and go;
* a section's headcount for a year is the ``headcount`` of its latest measure of that
  year that is not cancelled — the number its measures are referred to — or, when it
  has none, its active workers today;
* a shop's or the plant's headcount is the sum of its sections' headcounts.

The summary refers every row — a measure, a factor, a group, the total — to the unit's
headcount, so its rows add up: the growth of a group is the group's released workers
over the unit's headcount (table 21: 58 workers of 5 321 — 1,09 %).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from enterprise.models import Enterprise, Period, Section, Shop, Worker
from enterprise.money import KOPECK, NIL, half_even
from enterprise.permissions import can
from enterprise.scoping import scope_of
from planning.numbers import fmt, fmt_plain
from planning.plans.models import PersonalPlan

from . import rules
from .models import FACTOR_GROUPS, Factor, FactorGroup, OrgMeasure, SavingsEntry

M = OrgMeasure.Status


def default_headcount(section: Section, on: datetime.date | None = None) -> int:
    """The section's active workers on ``on`` (today): a new measure's headcount."""
    return Worker.objects.active(on).filter(section=section).count()


def measures_for(user):
    """Measures this user sees, with what the lists show."""
    return OrgMeasure.objects.visible_to(user).select_related("section__shop")


# --- what the measure pages show -------------------------------------------------------------


def editable_sections(user, *, also: int | None = None):
    """Sections the user may add measures to (measure.edit within their unit) — and the
    section ``also`` (a measure's own, when it is edited)."""
    sections = Section.objects.visible_to(user).select_related("shop")
    allowed = [s.pk for s in sections if can(user, "measure.edit", s)]
    editable = Section.objects.filter(pk__in=allowed)
    if also is not None:
        editable = editable | Section.objects.filter(pk=also)
    return editable


def measure_authors(measure: OrgMeasure) -> list[Worker]:
    """The measure's authors, by last name, with their sections."""
    return list(measure.authors.select_related("section__shop").order_by("last_name"))


def visible_worker_ids(user, workers) -> set[int]:
    """The ids of those of ``workers`` the user sees (their names link to their accounts)."""
    return set(
        Worker.objects.visible_to(user)
        .filter(pk__in=[w.pk for w in workers])
        .values_list("pk", flat=True)
    )


def measure_savings(user, measure: OrgMeasure) -> list[SavingsEntry]:
    """The savings the user sees recorded against the measure, by month."""
    return list(
        SavingsEntry.objects.visible_to(user)
        .filter(measure=measure)
        .select_related("worker", "period")
        .order_by("period__year", "period__month", "pk")
    )


@dataclass(frozen=True)
class Calculation:
    """The figures of one measure with the formulas and their numbers (§5)."""

    reduction: Decimal
    released: Decimal
    growth: Decimal
    reduction_line: str
    released_line: str
    growth_line: str


def calculation(measure: OrgMeasure) -> Calculation:
    """Т = (В1 − В2) × Д; А = Т / (Ф × К); growth = А / headcount × 100 — written out."""
    reduction, released, growth = measure.reduction, measure.released, measure.productivity_growth
    shown_reduction = fmt_plain(half_even(reduction, KOPECK))
    reduction_line = _("Т = (В1 − В2) × Д = (%(b1)s − %(b2)s) × %(d)s = %(t)s нормо-ч") % {
        "b1": fmt_plain(measure.labour_before),
        "b2": fmt_plain(measure.labour_after),
        "d": fmt_plain(measure.annual_quantity),
        "t": shown_reduction,
    }
    released_line = _("А = Т / (Ф × К) = %(t)s / (%(f)s × %(k)s) = %(a)s чел.") % {
        "t": shown_reduction,
        "f": fmt_plain(measure.annual_time_fund),
        "k": fmt_plain(measure.norm_fulfilment),
        "a": fmt(released, 1),
    }
    growth_line = _("Рост = А / Ч × 100 = %(a)s / %(h)s × 100 = %(p)s %%") % {
        "a": fmt(released, 1),
        "h": fmt_plain(Decimal(measure.headcount)),
        "p": fmt(growth, 2),
    }
    return Calculation(reduction, released, growth, reduction_line, released_line, growth_line)


def _section_headcounts(section_ids, year: int, measures=None) -> dict[int, int]:
    """Each section's headcount for the year (see the module's docstring)."""
    section_ids = list(section_ids)
    if measures is None:
        measures = (
            OrgMeasure.objects.filter(section_id__in=section_ids, year=year)
            .exclude(status=M.CANCELLED)
            .only("pk", "section_id", "status", "headcount")
        )
    latest: dict[int, tuple[int, int]] = {}
    for measure in measures:
        if measure.status == M.CANCELLED:
            continue
        held = latest.get(measure.section_id)
        if held is None or measure.pk > held[0]:
            latest[measure.section_id] = (measure.pk, measure.headcount)
    counts = dict(
        Worker.objects.active()
        .filter(section_id__in=section_ids)
        .values_list("section_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sid: latest[sid][1] if sid in latest else counts.get(sid, 0) for sid in section_ids}


def _growth(released: Decimal, headcount: int) -> Decimal | None:
    if headcount <= 0:
        return None
    return rules.productivity_growth_from_measures(released, headcount)


def growth_from_measures(section_ids, year: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """section id → (reduction Т, released А, growth %) of its measures of ``year`` that
    are not cancelled, unrounded; a section without measures gets zeros.

    The growth is the section's released workers over its headcount (the module's
    docstring): the share of the section's planned growth that measures bring; the rest
    is the workers' own (training, combining professions, wider service zones,
    mentoring — §5, last paragraph).
    """
    section_ids = list(section_ids)
    measures = list(
        OrgMeasure.objects.filter(section_id__in=section_ids, year=year)
        .exclude(status=M.CANCELLED)
        .only(
            "pk",
            "section_id",
            "status",
            "headcount",
            "labour_before",
            "labour_after",
            "annual_quantity",
            "annual_time_fund",
            "norm_fulfilment",
        )
    )
    headcounts = _section_headcounts(section_ids, year, measures)
    totals = {sid: [NIL, NIL] for sid in section_ids}
    for measure in measures:
        totals[measure.section_id][0] += measure.reduction
        totals[measure.section_id][1] += measure.released
    return {
        sid: (reduction, released, _growth(released, headcounts[sid]) or NIL)
        for sid, (reduction, released) in totals.items()
    }


# --- the summary (tables 20–21) --------------------------------------------------------------


@dataclass
class Figures:
    reduction: Decimal = NIL
    released: Decimal = NIL
    growth: Decimal | None = None

    def add(self, reduction: Decimal, released: Decimal) -> None:
        self.reduction += reduction
        self.released += released


@dataclass
class SummaryLine:
    measure: OrgMeasure
    figures: Figures


@dataclass
class FactorBlock:
    factor: str
    label: str
    lines: list[SummaryLine] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)


@dataclass
class GroupBlock:
    group: str
    label: str
    factors: list[FactorBlock] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)


@dataclass(frozen=True)
class Unit:
    """A unit of the plant a summary is made for: the plant, a shop or a section."""

    level: str  # "enterprise" | "shop" | "section"
    obj: Enterprise | Shop | Section

    @property
    def key(self) -> str:
        return f"{self.level}:{self.obj.pk}"

    @property
    def label(self) -> str:
        if self.level == "enterprise":
            return str(self.obj)
        if self.level == "shop":
            return _("Цех %(number)s «%(name)s»") % {
                "number": self.obj.number,
                "name": self.obj.name,
            }
        return str(self.obj)

    def sections(self):
        if self.level == "enterprise":
            return Section.objects.filter(shop__enterprise=self.obj)
        if self.level == "shop":
            return Section.objects.filter(shop=self.obj)
        return Section.objects.filter(pk=self.obj.pk)


def summary_units(user) -> list[Unit]:
    """The units whose summary the user may see: those he sees whole — the plant for
    plant-wide roles, his shops, the sections he sees."""
    scope = scope_of(user)
    if scope.everything:
        enterprises = Enterprise.objects.all()
        shops = Shop.objects.all()
    else:
        enterprises = Enterprise.objects.filter(pk__in=scope.enterprises)
        shops = Shop.objects.filter(Q(enterprise_id__in=scope.enterprises) | Q(pk__in=scope.shops))
    sections = Section.objects.visible_to(user).select_related("shop")
    return (
        [Unit("enterprise", e) for e in enterprises.order_by("name")]
        + [Unit("shop", s) for s in shops.order_by("enterprise_id", "number")]
        + [Unit("section", s) for s in sections.order_by("shop__number", "number")]
    )


@dataclass
class Summary:
    unit: Unit
    year: int
    headcount: int
    groups: list[GroupBlock]
    figures: Figures
    count: int


def summary(user, unit: Unit, year: int) -> Summary:
    """The unit's measures of ``year`` (not cancelled) by factor group → factor →
    measure, each row with Т, А and the growth over the unit's headcount (table 21)."""
    section_ids = list(unit.sections().values_list("pk", flat=True))
    measures = list(
        OrgMeasure.objects.visible_to(user)
        .filter(section_id__in=section_ids, year=year)
        .exclude(status=M.CANCELLED)
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "deadline", "pk")
    )
    headcount = sum(_section_headcounts(section_ids, year, measures).values())
    groups: dict[str, GroupBlock] = {}
    factors: dict[str, FactorBlock] = {}
    total = Figures()
    for measure in sorted(measures, key=lambda m: Factor.values.index(m.factor)):
        group_key = FACTOR_GROUPS[measure.factor]
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = GroupBlock(
                group_key, str(capfirst(FactorGroup(group_key).label))
            )
        block = factors.get(measure.factor)
        if block is None:
            block = factors[measure.factor] = FactorBlock(
                measure.factor, str(capfirst(Factor(measure.factor).label))
            )
            group.factors.append(block)
        reduction, released = measure.reduction, measure.released
        line = Figures(reduction, released, _growth(released, headcount))
        block.lines.append(SummaryLine(measure, line))
        for figures in (block.figures, group.figures, total):
            figures.add(reduction, released)
    blocks = [*groups.values(), *factors.values()]
    for figures in [total, *(block.figures for block in blocks)]:
        figures.growth = _growth(figures.released, headcount)
    ordered = [groups[g] for g in FactorGroup.values if g in groups]
    return Summary(unit, year, headcount, ordered, total, len(measures))


# --- the workers' accounts -------------------------------------------------------------------


def plan_in_force(worker: Worker, year: int) -> PersonalPlan | None:
    """The worker's plan that counts for the year: signed if there is one, else the
    version being made."""
    plans = list(
        PersonalPlan.objects.filter(worker=worker, year=year).exclude(
            status=PersonalPlan.Status.SUPERSEDED
        )
    )
    signed = [p for p in plans if p.status == PersonalPlan.Status.SIGNED]
    return (signed or plans or [None])[0]


def measures_offered(worker: Worker, on: datetime.date | None = None):
    """The measures a saving of the worker may be recorded against: his section's or his
    own, of this year or the last, not cancelled."""
    year = (on or timezone.localdate()).year
    return (
        OrgMeasure.objects.filter(Q(section_id=worker.section_id) | Q(authors=worker))
        .filter(year__gte=year - 1)
        .exclude(status=M.CANCELLED)
        .distinct()
        .order_by("-year", "name")
    )


def open_period_ids(worker: Worker) -> set[int]:
    """The ids of the open months of the worker's enterprise (savings may be deleted there)."""
    return set(worker.enterprise.periods.filter(status="open").values_list("pk", flat=True))


@dataclass
class MonthRow:
    period: Period
    amounts: list[Decimal]  # by kind, in SavingsEntry.Kind order
    total: Decimal


@dataclass
class Commitment:
    kind: str
    label: str
    committed: Decimal | None
    actual: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.committed:
            return None
        return self.actual / self.committed * 100


@dataclass
class Authored:
    measure: OrgMeasure
    visible: bool
    co_authors: int


@dataclass
class Account:
    worker: Worker
    year: int
    kinds: list[tuple[str, str]]
    months: list[MonthRow]
    totals: list[Decimal]
    total: Decimal
    entries: list[SavingsEntry]
    plan: PersonalPlan | None
    commitments: list[Commitment]
    authored: list[Authored]
    authored_figures: Figures
    authored_effect: Decimal
    years: list[int]


COMMITTED_KINDS = {
    SavingsEntry.Kind.MATERIALS: "materials_savings",
    SavingsEntry.Kind.TOOLS: "tools_savings",
    SavingsEntry.Kind.ENERGY: "energy_savings",
}


def account(user, worker: Worker, year: int) -> Account:
    """The worker's savings account for the year (by month and kind, against the
    commitments of his plan in force) and his creative-contribution account (the
    measures of the year he is an author or participant of)."""
    kinds = list(SavingsEntry.Kind.choices)
    entries = list(
        SavingsEntry.objects.filter(worker=worker, period__year=year)
        .select_related("period", "measure", "recorded_by")
        .order_by("period__month", "pk")
    )
    by_month: dict[int, MonthRow] = {}
    totals = defaultdict(lambda: NIL)
    for entry in entries:
        row = by_month.get(entry.period_id)
        if row is None:
            row = by_month[entry.period_id] = MonthRow(entry.period, [NIL] * len(kinds), NIL)
        index = [k for k, _label in kinds].index(entry.kind)
        row.amounts[index] += entry.amount
        row.total += entry.amount
        totals[entry.kind] += entry.amount
    plan = plan_in_force(worker, year)
    commitments = [
        Commitment(
            kind,
            str(SavingsEntry.Kind(kind).label),
            getattr(plan, field_name) if plan is not None else None,
            totals[kind],
        )
        for kind, field_name in COMMITTED_KINDS.items()
    ]
    authored_rows = list(
        OrgMeasure.objects.filter(pk__in=worker.measures.filter(year=year).values("pk"))
        .select_related("section__shop")
        .annotate(n_authors=Count("authors"))
        .order_by("deadline", "pk")
    )
    visible = set(
        OrgMeasure.objects.visible_to(user)
        .filter(pk__in=[m.pk for m in authored_rows])
        .values_list("pk", flat=True)
    )
    authored = [Authored(m, m.pk in visible, m.n_authors - 1) for m in authored_rows]
    authored_figures = Figures()
    effect = NIL
    for item in authored:
        if item.measure.status != M.CANCELLED:
            authored_figures.add(item.measure.reduction, item.measure.released)
            effect += item.measure.economic_effect or NIL
    years = sorted(
        {timezone.localdate().year, year}
        | set(worker.savings.values_list("period__year", flat=True).distinct())
        | set(worker.measures.values_list("year", flat=True).distinct()),
        reverse=True,
    )
    return Account(
        worker=worker,
        year=year,
        kinds=kinds,
        months=sorted(by_month.values(), key=lambda r: r.period.month),
        totals=[totals[k] for k, _label in kinds],
        total=sum(totals.values(), NIL),
        entries=entries,
        plan=plan,
        commitments=commitments,
        authored=authored,
        authored_figures=authored_figures,
        authored_effect=effect,
        years=years,
    )


# --- the close of December: the year's measures not done ----------------------------------------


_UNDONE = (OrgMeasure.Status.PLANNED, OrgMeasure.Status.IN_PROGRESS)


def open_in(period) -> list:
    """The year's measures neither done nor cancelled, when its December closes."""
    from enterprise.closing import OpenItem

    if period.month != 12:
        return []
    measures = (
        OrgMeasure.objects.filter(
            enterprise_id=period.enterprise_id, year=period.year, status__in=_UNDONE
        )
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "deadline", "pk")
    )
    return [
        OpenItem(
            pk=m.pk,
            label=_("%(name)s (срок %(deadline)s)")
            % {"name": m.name, "deadline": m.deadline.strftime("%d.%m.%Y")},
            unit=_("цех № %(shop)s, участок № %(section)s")
            % {"shop": m.section.shop.number, "section": m.section.number},
            status=m.get_status_display(),
            url=m.get_absolute_url(),
        )
        for m in measures
    ]


def finished_in(period) -> int:
    """The year's measures done or cancelled, at December's close."""
    if period.month != 12:
        return 0
    return (
        OrgMeasure.objects.filter(enterprise_id=period.enterprise_id, year=period.year)
        .exclude(status__in=_UNDONE)
        .count()
    )
