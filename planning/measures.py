"""Org-technical measures (§5, tables 20–21) and the workers' accounts: writes and reads.

Writes (``measure_*``, ``savings_*``) check the user's right on the object, lock the row
they change, run ``full_clean()`` — which refuses a measure whose year's December is
closed and a saving in a closed month (:class:`~enterprise.tracking.PeriodClosedError`)
— and record who did it through :func:`~enterprise.tracking.acting_as`.

Reads: the calculation of one measure with its numbers filled in, the summary of a
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
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from enterprise.models import Enterprise, Period, Section, Shop, Worker
from enterprise.models.history import HistoryRecord
from enterprise.permissions import require
from enterprise.scoping import scope_of
from enterprise.tracking import _record, acting_as

from . import rules
from .models import FACTOR_GROUPS, Factor, FactorGroup, OrgMeasure, PersonalPlan, SavingsEntry
from .numbers import fmt, fmt_plain

ZERO = Decimal(0)
M = OrgMeasure.Status

# Status changes a measure may make: planned → in progress → done (with the date), or
# cancelled; a cancelled one may be planned again, a done one returned to work (its
# date is cleared) when it was marked done by mistake.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    M.PLANNED: (M.IN_PROGRESS, M.CANCELLED),
    M.IN_PROGRESS: (M.DONE, M.CANCELLED, M.PLANNED),
    M.DONE: (M.IN_PROGRESS,),
    M.CANCELLED: (M.PLANNED,),
}


# --- numbers as the pages write them --------------------------------------------------------


def released_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- measures: writes ------------------------------------------------------------------------


def default_headcount(section: Section, on: datetime.date | None = None) -> int:
    """The section's active workers on ``on`` (today): a new measure's headcount."""
    return Worker.objects.active(on).filter(section=section).count()


def _check_authors(measure: OrgMeasure, authors, kept_ids=frozenset()) -> list[Worker]:
    """Authors are workers of the measure's section (those already named may stay when
    they have moved since)."""
    authors = list(authors)
    strangers = [w for w in authors if w.section_id != measure.section_id and w.pk not in kept_ids]
    if strangers:
        raise ValidationError(
            {
                "authors": _("Авторы и участники — рабочие участка мероприятия: %(names)s.")
                % {"names": ", ".join(w.short_name for w in strangers)}
            }
        )
    return authors


def _record_authors(measure: OrgMeasure, before: list[Worker], after: list[Worker]) -> None:
    """Many-to-many changes are not tracked by the model: write them into the history."""
    if {w.pk for w in before} == {w.pk for w in after}:
        return
    label = str(OrgMeasure._meta.get_field("authors").verbose_name)

    def names(workers):
        return ", ".join(sorted(w.short_name for w in workers)) or "—"

    _record([(measure, HistoryRecord.Action.UPDATE, {label: [names(before), names(after)]})])


@transaction.atomic
def measure_create(*, measure: OrgMeasure, authors=(), user) -> OrgMeasure:
    """A new measure of a section (planned); the headcount defaults to the section's
    active workers."""
    measure.enterprise_id = measure.section.shop.enterprise_id
    require(user, "measure.edit", measure)
    if measure.headcount is None:
        measure.headcount = default_headcount(measure.section) or None
        if measure.headcount is None:
            raise ValidationError(
                {"headcount": _("На участке нет работающих: укажите численность подразделения.")}
            )
    measure.status = M.PLANNED
    measure.completed_on = None
    authors = _check_authors(measure, authors)
    with acting_as(user):
        measure.full_clean()
        measure.save()
        measure.authors.set(authors)
        _record_authors(measure, [], authors)
    return measure


@transaction.atomic
def measure_update(*, measure: OrgMeasure, authors, user) -> OrgMeasure:
    """Save the measure's description and figures (not its status: see
    :func:`measure_set_status`)."""
    stored = (
        OrgMeasure.objects.select_for_update().select_related("section__shop").get(pk=measure.pk)
    )
    require(user, "measure.edit", stored)
    measure.enterprise_id = measure.section.shop.enterprise_id
    require(user, "measure.edit", measure)  # and where it goes, if the section changes
    measure.status, measure.completed_on = stored.status, stored.completed_on
    before = list(stored.authors.all())
    authors = _check_authors(measure, authors, kept_ids={w.pk for w in before})
    with acting_as(user):
        measure.full_clean()
        measure.save()
        measure.authors.set(authors)
        _record_authors(measure, before, authors)
    return measure


@transaction.atomic
def measure_set_status(
    *, measure: OrgMeasure, status: str, completed_on: datetime.date | None = None, user
) -> OrgMeasure:
    """Move the measure along planned → in progress → done (on ``completed_on``) or to
    cancelled."""
    measure = (
        OrgMeasure.objects.select_for_update().select_related("section__shop").get(pk=measure.pk)
    )
    require(user, "measure.edit", measure)
    if status not in TRANSITIONS.get(measure.status, ()):
        raise ValidationError(
            {
                "status": _("Мероприятие «%(status)s» нельзя перевести в «%(to)s».")
                % {"status": measure.get_status_display(), "to": M(status).label}
                if status in M.values
                else _("Нет такого состояния.")
            }
        )
    if status == M.DONE:
        if completed_on is None:
            raise ValidationError({"completed_on": _("Укажите дату внедрения.")})
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("Дата внедрения не может быть в будущем.")})
        measure.completed_on = completed_on
    else:
        measure.completed_on = None
    measure.status = status
    with acting_as(user):
        measure.full_clean()
        measure.save()
    return measure


# --- savings: writes -------------------------------------------------------------------------


@transaction.atomic
def savings_add(
    *,
    worker: Worker,
    period: Period,
    kind: str,
    amount: Decimal,
    description: str,
    measure: OrgMeasure | None = None,
    user,
) -> SavingsEntry:
    """Credit a saving to the worker's account in an open month."""
    require(user, "savings.edit", worker)
    errors = {}
    if period.enterprise_id != worker.enterprise_id:
        errors["period"] = _("Месяц другого предприятия.")
    if measure is not None and measure.enterprise_id != worker.enterprise_id:
        errors["measure"] = _("Мероприятие другого предприятия.")
    if errors:
        raise ValidationError(errors)
    entry = SavingsEntry(
        enterprise_id=worker.enterprise_id,
        worker=worker,
        period=period,
        kind=kind,
        amount=amount,
        description=description,
        measure=measure,
        recorded_by=user,
    )
    with acting_as(user):
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def savings_delete(*, entry: SavingsEntry, user) -> None:
    """Remove an entry of an open month (a closed month's entries stay)."""
    entry = (
        SavingsEntry.objects.select_for_update()
        .select_related("worker__section", "period")
        .get(pk=entry.pk)
    )
    require(user, "savings.edit", entry)
    with acting_as(user):
        entry.delete()


# --- measures: reads -------------------------------------------------------------------------


def measures_for(user):
    """Measures this user sees, with what the lists show."""
    return OrgMeasure.objects.visible_to(user).select_related("section__shop")


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
    shown_reduction = fmt_plain(reduction.quantize(Decimal("0.01")))
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
    totals = {sid: [ZERO, ZERO] for sid in section_ids}
    for measure in measures:
        totals[measure.section_id][0] += measure.reduction
        totals[measure.section_id][1] += measure.released
    return {
        sid: (reduction, released, _growth(released, headcounts[sid]) or ZERO)
        for sid, (reduction, released) in totals.items()
    }


# --- the summary (tables 20–21) --------------------------------------------------------------


@dataclass
class Figures:
    reduction: Decimal = ZERO
    released: Decimal = ZERO
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


def summary_xlsx(result: Summary) -> bytes:
    """The summary as a workbook: one sheet, numbers as numbers."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Мероприятия")[:31]
    bold = Font(bold=True)
    sheet.append([_("Сводка оргтехмероприятий: %(unit)s, %(year)s год") % {
        "unit": result.unit.label, "year": result.year}])  # fmt: skip
    sheet["A1"].font = bold
    sheet.append([_("Численность подразделения, чел."), result.headcount])
    sheet.append([])
    sheet.append(
        [
            _("Группа факторов, фактор, мероприятие"),
            _("Участок"),
            _("Состояние"),
            _("Снижение трудоёмкости Т, нормо-ч"),
            _("Условное высвобождение А, чел."),
            _("Рост производительности труда, %"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold

    def numbers(figures: Figures):
        growth = figures.growth
        return [
            float(figures.reduction.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
            float(released_places(figures.released)),
            None if growth is None else float(growth.quantize(Decimal("0.01"), ROUND_HALF_UP)),
        ]

    for group in result.groups:
        sheet.append([group.label, "", "", *numbers(group.figures)])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for block in group.factors:
            sheet.append(["  " + block.label, "", "", *numbers(block.figures)])
            for line in block.lines:
                m = line.measure
                sheet.append(
                    [
                        "    " + m.name,
                        m.section.short_label + f" ({m.section.shop.number})",
                        m.get_status_display(),
                        *numbers(line.figures),
                    ]
                )
    sheet.append([_("Итого"), "", "", *numbers(result.figures)])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 70
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
    totals = defaultdict(lambda: ZERO)
    for entry in entries:
        row = by_month.get(entry.period_id)
        if row is None:
            row = by_month[entry.period_id] = MonthRow(entry.period, [ZERO] * len(kinds), ZERO)
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
    effect = ZERO
    for item in authored:
        if item.measure.status != M.CANCELLED:
            authored_figures.add(item.measure.reduction, item.measure.released)
            effect += item.measure.economic_effect or ZERO
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
        total=sum(totals.values(), ZERO),
        entries=entries,
        plan=plan,
        commitments=commitments,
        authored=authored,
        authored_figures=authored_figures,
        authored_effect=effect,
        years=years,
    )
