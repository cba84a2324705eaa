"""Tracking of personal plans (§6): output, fulfilment, lead and lag, the competition board.

Reads of a worker's monthly output and of a section's daily output; the writes are in
:mod:`planning.tracking.services`, the import of a file in :mod:`planning.tracking.imports`.
The same definitions hold on every page that shows them — the plan's own page
(:func:`worker_tracking`), the output grid, the competition board (:func:`board`), the
section's days (:func:`section_days`) and the bonus proposals
(:mod:`planning.tracking.bonuses`):

* **A worker's monthly plan** = ``plan.annual_volume × period.working_hours /
  plan.annual_time_fund`` (:func:`~planning.tracking.rules.monthly_plan`), unrounded; pages
  show it to one place.
* **Year to date** (to the chosen month) = the sum over the months of the plan's year up to
  and including the chosen one *that have a Period row* of the enterprise. The actual year
  to date sums the worker's :class:`~planning.tracking.models.MonthlyOutput` of the same
  months; a month without an output row counts 0.
* **Fulfilment, %** = :func:`planning.tracking.rules.fulfilment_percent` (actual, plan);
  None when the plan is 0.
* **Lead (+) or lag (−) in days** = :func:`planning.tracking.rules.lead_lag_days` of the
  year-to-date actual and plan with the daily rate = the chosen month's plan / its
  ``period.working_days``; None when that rate is 0.
* **The date the annual plan was reached** = :func:`planning.tracking.rules.completion_date`
  from 1 January over the monthly outputs dated at each month's last day (so it is always a
  month's end): «годовой план выполнен к 31.10.2026».
* **A section's daily plan** = ``SectionTask.task`` / the year's working days (the sum of
  ``Period.working_days`` of the enterprise's months of that year; a month without a Period
  row counts :data:`~planning.tracking.workdays.DEFAULT_WORKING_DAYS`). The plant's holiday
  calendar is not kept, only each month's number of working days, so a month's working days
  are its weekdays; when there are more weekdays than ``period.working_days``, a weekday the
  section recorded no output on between recorded days is taken as the holiday, and any
  surplus left comes off the month's end
  (:func:`~planning.tracking.workdays.working_days_of`). So the month's plan is exactly the
  daily plan × its working days; only where a holiday falls may shift within the month.
* **A section's gross-output plan of a quarter** = the task × the quarter's working days /
  the year's working days; the actual is the section's daily outputs in the quarter.

Fulfilment and lead/lag of a worker's months (and of a section's days) are given up to the
last month (day) that has output entered: later months still show their plan.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.models import Period, Section, Shop, Worker
from enterprise.money import NIL, TENTH, THOUSANDTH, half_up
from enterprise.permissions import can
from enterprise.rules import employed_share, month_bounds
from enterprise.selectors import own_worker
from planning.numbers import completion_label, plain, signed_days
from planning.plans.models import PersonalPlan, SectionTask
from planning.plans.selectors import plans_in_force

from . import rules
from .models import MonthlyOutput, SectionDayOutput
from .rules import daily_rate, fulfilment, lead_lag, monthly_plan, quarter_months
from .workdays import DEFAULT_WORKING_DAYS, working_days_of, year_working_days


@dataclass(frozen=True)
class MonthRow:
    """One month of a worker's plan: the figures of :func:`worker_tracking`.

    ``actual`` is None when no output is entered for the month. ``fulfilment`` is the
    month's own (actual / plan); ``cumulative_fulfilment`` and ``lead_lag_days`` are year to
    date. Those three are None after the last month with output (and where undefined).
    """

    period: Period
    plan: Decimal
    actual: Decimal | None
    hours_worked: Decimal | None
    nomenclature_met: bool | None
    cumulative_plan: Decimal
    cumulative_actual: Decimal
    fulfilment: Decimal | None
    cumulative_fulfilment: Decimal | None
    lead_lag_days: Decimal | None

    @property
    def lead_lag_label(self) -> str:
        return signed_days(self.lead_lag_days)

    @property
    def deviation(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.plan

    @property
    def cumulative_deviation(self) -> Decimal:
        return self.cumulative_actual - self.cumulative_plan


def employed_in(worker, period: Period) -> Decimal:
    """The share of ``period`` the worker was employed (his plan's share of the month)."""
    return employed_share(worker.hire_date, worker.dismissal_date, period.start, period.end)


def _month_rows(
    plan: PersonalPlan, periods: Sequence[Period], outputs: dict[int, MonthlyOutput]
) -> list[MonthRow]:
    """The rows of ``periods`` (one year, in month order) with the worker's ``outputs`` by
    period id."""
    tracked_until = max(
        (p.month for p in periods if p.pk in outputs), default=0
    )  # the last month with output entered
    rows = []
    cumulative_plan = cumulative_actual = NIL
    worker = plan.worker
    for period in periods:
        month_plan = monthly_plan(plan, period, employed_in(worker, period))
        entry = outputs.get(period.pk)
        actual = entry.output if entry is not None else None
        cumulative_plan += month_plan
        cumulative_actual += actual or NIL
        tracked = period.month <= tracked_until
        rows.append(
            MonthRow(
                period=period,
                plan=month_plan,
                actual=actual,
                hours_worked=entry.hours_worked if entry is not None else None,
                nomenclature_met=entry.nomenclature_met if entry is not None else None,
                cumulative_plan=cumulative_plan,
                cumulative_actual=cumulative_actual,
                fulfilment=fulfilment(actual, month_plan) if actual is not None else None,
                cumulative_fulfilment=fulfilment(cumulative_actual, cumulative_plan)
                if tracked
                else None,
                lead_lag_days=lead_lag(
                    cumulative_actual, cumulative_plan, daily_rate(month_plan, period)
                )
                if tracked
                else None,
            )
        )
    return rows


def _year_periods(enterprise_id: int, year: int, up_to_month: int = 12) -> list[Period]:
    return list(
        Period.objects.filter(
            enterprise_id=enterprise_id, year=year, month__lte=up_to_month
        ).order_by("month")
    )


def worker_tracking(plan: PersonalPlan) -> list[MonthRow]:
    """The months of the plan's year that have a Period row, each with plan and actual,
    the running totals, fulfilment and lead/lag (see the module's definitions). Two queries.
    """
    periods = _year_periods(plan.enterprise_id, plan.year)
    outputs = {
        entry.period_id: entry
        for entry in MonthlyOutput.objects.filter(worker_id=plan.worker_id, period__in=periods)
    }
    return _month_rows(plan, periods, outputs)


def plan_reached_on(plan: PersonalPlan, rows: Sequence[MonthRow]) -> datetime.date | None:
    """The day the annual plan was reached (a month's end), from :func:`worker_tracking`'s
    rows; None when not reached (or the plan is 0)."""
    if plan.annual_volume <= 0:
        return None
    return rules.completion_date(
        datetime.date(plan.year, 1, 1),
        plan.annual_volume,
        [(row.period.end, row.actual) for row in rows if row.actual is not None],
    )


# --- the competition board -------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    place: int
    worker: Worker
    plan: PersonalPlan
    section: Section
    plan_ytd: Decimal
    actual_ytd: Decimal
    fulfilment: Decimal | None
    lead_lag_days: Decimal | None
    completed_on: datetime.date | None

    @property
    def lead_lag_label(self) -> str:
        return signed_days(self.lead_lag_days)

    @property
    def completion_label(self) -> str:
        return completion_label(self.completed_on)


@dataclass(frozen=True)
class Board:
    """The shop's competition board for a month: rows in order of place (§6)."""

    shop: Shop
    period: Period
    rows: list[BoardRow]
    months: list[Period]

    @property
    def months_label(self) -> str:
        if not self.months:
            return ""
        first, last = self.months[0], self.months[-1]
        if first.pk == last.pk:
            return str(first)
        return _("%(first)s — %(last)s") % {"first": first, "last": last}


def _rank_key(fulfilment_value: Decimal | None, actual: Decimal):
    """Places go by fulfilment as shown (one place), ties by actual output."""
    if fulfilment_value is None:
        return (1, NIL, -actual)
    return (0, -half_up(fulfilment_value, TENTH), -actual)


def board(shop: Shop, period: Period) -> Board:
    """Workers of ``shop`` with a plan in force for the period's year, ranked by year-to-date
    fulfilment (as shown, to one place; ties by actual output; equal both — equal place).

    A plan belongs to the shop through its section; workers dismissed before the month
    are left out. A handful of queries for any number of workers.
    """
    plans = plans_in_force(
        Section.objects.filter(shop=shop).values("pk"),
        period.year,
        related=("worker__profession", "section"),
        figures_only=True,
    )
    periods = _year_periods(shop.enterprise_id, period.year, period.month)
    workers = {
        worker_id: plan.worker
        for worker_id, plan in plans.items()
        if plan.worker.dismissal_date is None or plan.worker.dismissal_date >= period.start
    }
    # the outputs as plain values: a shop's year is thousands of rows
    outputs: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for worker_id, period_id, output in (
        MonthlyOutput.objects.filter(worker_id__in=list(workers), period__in=periods)
        .order_by()
        .values_list("worker_id", "period_id", "output")
    ):
        outputs[worker_id][period_id] = output
    chosen = next((p for p in periods if p.pk == period.pk), period)
    ends = [(p.pk, p.end) for p in periods]  # once a page, not once a worker
    unranked = []
    for worker_id, worker in workers.items():
        plan = plans[worker_id]
        by_period = outputs.get(worker_id, {})
        plan_ytd = sum((monthly_plan(plan, p, employed_in(worker, p)) for p in periods), NIL)
        actual_ytd = sum(by_period.values(), NIL)
        rate = daily_rate(monthly_plan(plan, chosen, employed_in(worker, chosen)), chosen)
        completed = (
            rules.completion_date(
                datetime.date(period.year, 1, 1),
                plan.annual_volume,
                [(end, by_period[pk]) for pk, end in ends if pk in by_period],
            )
            if plan.annual_volume > 0
            else None
        )
        value = fulfilment(actual_ytd, plan_ytd)
        unranked.append(
            (
                _rank_key(value, actual_ytd),
                (worker.last_name, worker.first_name, worker.personnel_number),
                dict(
                    worker=worker,
                    plan=plan,
                    section=plan.section,
                    plan_ytd=plan_ytd,
                    actual_ytd=actual_ytd,
                    fulfilment=value,
                    lead_lag_days=lead_lag(actual_ytd, plan_ytd, rate),
                    completed_on=completed,
                ),
            )
        )
    unranked.sort(key=lambda item: (item[0], item[1]))
    rows = []
    place, previous = 0, None
    for position, (key, _name, values) in enumerate(unranked, start=1):
        if key != previous:
            place, previous = position, key
        rows.append(BoardRow(place=place, **values))
    return Board(shop=shop, period=period, rows=rows, months=periods)


def latest_period(enterprise_id: int, *, with_output_of_shop: Shop | None = None) -> Period | None:
    """The month a board or a list opens on: the latest month begun by today — of those,
    the latest with output entered for the shop's workers, when there is one."""
    today = timezone.localdate()
    begun = Period.objects.filter(enterprise_id=enterprise_id).filter(
        Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month)
    )
    if with_output_of_shop is not None:
        entered = begun.filter(
            pk__in=MonthlyOutput.objects.filter(worker__section__shop=with_output_of_shop).values(
                "period_id"
            )
        ).order_by("-year", "-month")
        found = entered.first()
        if found is not None:
            return found
    return (
        begun.order_by("-year", "-month").first()
        or Period.objects.filter(enterprise_id=enterprise_id).order_by("year", "month").first()
    )


# --- the months and units the pages offer ----------------------------------------------------


def months_of(enterprise_id: int):
    """The enterprise's months, the latest first."""
    return Period.objects.filter(enterprise_id=enterprise_id).order_by("-year", "-month")


def month_of(enterprise_id: int, pk) -> Period | None:
    """The enterprise's month of this id, or None (also for no id)."""
    return months_of(enterprise_id).filter(pk=pk).first()


def neighbours(period: Period) -> tuple[Period | None, Period | None]:
    """The enterprise's months just before and just after this one (None at either end)."""
    months = Period.objects.filter(enterprise_id=period.enterprise_id)
    earlier = (
        months.filter(year__lte=period.year)
        .exclude(year=period.year, month__gte=period.month)
        .order_by("-year", "-month")
        .first()
    )
    later = (
        months.filter(year__gte=period.year)
        .exclude(year=period.year, month__lte=period.month)
        .order_by("year", "month")
        .first()
    )
    return earlier, later


def output_sections(user, enterprise_id: int) -> list[Section]:
    """The enterprise's sections whose output the user enters."""
    return [
        section
        for section in Section.objects.visible_to(user)
        .filter(shop__enterprise_id=enterprise_id)
        .select_related("shop")
        if can(user, "output.edit", section)
    ]


def board_shop(user) -> Shop | None:
    """The shop whose board the user opens on: his own (a worker's), else the first he sees."""
    shops = Shop.objects.visible_to(user)
    worker = own_worker(user)
    shop = None
    if worker is not None:
        shop = shops.filter(pk=worker.section.shop_id).first()
    return shop or shops.order_by("enterprise__name", "number").first()


def board_shops(user, enterprise_id: int):
    """The enterprise's shops the user sees, to switch the board between them."""
    return Shop.objects.visible_to(user).filter(enterprise_id=enterprise_id).order_by("number")


def bonus_shops(user, enterprise_id: int) -> list[Shop]:
    """The enterprise's shops whose bonus proposals the user sees, in number order."""
    return [
        shop
        for shop in Shop.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("enterprise")
        .order_by("number")
        if can(user, "bonus.view", shop)
    ]


# --- the output grid of a section's month ----------------------------------------------------


def workers_of_month(section: Section, period: Period):
    """The section's workers employed at any time in the month, plus any who already have
    output recorded for it in this section."""
    return (
        Worker.objects.filter(section=section)
        .filter(
            Q(hire_date__lte=period.end, dismissal_date__isnull=True)
            | Q(hire_date__lte=period.end, dismissal_date__gte=period.start)
            | Q(outputs__period=period)
        )
        .distinct()
        .select_related("profession", "section__shop")
        .order_by("last_name", "first_name", "personnel_number")
    )


def plans_of_workers(worker_ids: Sequence[int], year: int) -> dict[int, PersonalPlan]:
    """Worker id → plan in force for the year, whichever section the plan was drafted in."""
    wanted = set(worker_ids)
    if not wanted:
        return {}
    # The sections the workers' plans were drafted in, as a subquery (one query in all).
    sections = (
        PersonalPlan.objects.filter(worker_id__in=sorted(wanted), year=year)
        .order_by()
        .values("section_id")
    )
    return {
        worker_id: plan
        for worker_id, plan in plans_in_force(sections, year).items()
        if worker_id in wanted
    }


@dataclass(frozen=True)
class GridRow:
    """A worker's line of the output grid: plan of the month and what is recorded."""

    worker: Worker
    plan: PersonalPlan | None
    month_plan: Decimal | None
    output: MonthlyOutput | None

    @property
    def output_plain(self) -> Decimal | None:
        return plain(self.output.output) if self.output is not None else None

    @property
    def hours_plain(self) -> Decimal | None:
        return plain(self.output.hours_worked) if self.output is not None else None

    @property
    def fulfilment(self) -> Decimal | None:
        if self.output is None or self.month_plan is None:
            return None
        return fulfilment(self.output.output, self.month_plan)


def output_grid(section: Section, period: Period) -> list[GridRow]:
    """The rows of the output grid (a constant number of queries for any headcount)."""
    workers = list(workers_of_month(section, period))
    ids = [w.pk for w in workers]
    plans = plans_of_workers(ids, period.year)
    outputs = {
        o.worker_id: o for o in MonthlyOutput.objects.filter(worker_id__in=ids, period=period)
    }
    rows = []
    for worker in workers:
        plan = plans.get(worker.pk)
        rows.append(
            GridRow(
                worker=worker,
                plan=plan,
                month_plan=monthly_plan(plan, period, employed_in(worker, period))
                if plan is not None
                else None,
                output=outputs.get(worker.pk),
            )
        )
    return rows


# --- writing output --------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    """A day of the section's month. ``deviation`` onwards are None after the last day
    with output entered (and everything but ``actual`` is None without a task)."""

    date: datetime.date
    working: bool
    plan: Decimal | None
    actual: Decimal | None
    deviation: Decimal | None
    cumulative_plan: Decimal | None
    cumulative_actual: Decimal
    cumulative_deviation: Decimal | None
    lead_lag_days: Decimal | None

    @property
    def lead_lag_label(self) -> str:
        return signed_days(self.lead_lag_days)

    @property
    def actual_plain(self) -> Decimal | None:
        return plain(self.actual)

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class SectionDays:
    """The section's daily table of a month (§6: the section's deviations daily)."""

    section: Section
    period: Period
    task: SectionTask | None
    year_working_days: int
    daily_plan: Decimal | None
    rows: list[DayRow]

    @property
    def month_plan(self) -> Decimal | None:
        if self.daily_plan is None:
            return None
        return self.daily_plan * self.period.working_days

    @property
    def month_actual(self) -> Decimal:
        return sum((row.actual or NIL for row in self.rows), NIL)

    @property
    def month_fulfilment(self) -> Decimal | None:
        plan = self.month_plan
        return fulfilment(self.month_actual, plan) if plan else None

    @property
    def last(self) -> DayRow | None:
        """The last day with output entered (the month's standing so far)."""
        entered = [row for row in self.rows if row.cumulative_deviation is not None]
        return entered[-1] if entered else None


def section_daily_plan(
    section: Section, year: int, periods: Iterable[Period] | None = None
) -> tuple[SectionTask | None, int, Decimal | None]:
    """(task, the year's working days, the daily plan) of a section's year."""
    task = SectionTask.objects.filter(section=section, year=year).first()
    if periods is None:
        periods = Period.objects.filter(enterprise_id=section.shop.enterprise_id, year=year)
    days = year_working_days(periods)
    daily = task.task / Decimal(days) if task is not None and days else None
    return task, days, daily


def section_day_rows(section: Section, period: Period) -> list[SectionDayOutput]:
    """The section's stored days of the month (what its days page edits)."""
    return list(
        SectionDayOutput.objects.filter(section=section, date__range=(period.start, period.end))
    )


def section_days(section: Section, period: Period) -> SectionDays:
    """The section's month day by day: plan, actual, deviation, cumulative deviation and
    lead/lag in days of the daily plan (see the module's definitions). Three queries."""
    task, year_days, daily = section_daily_plan(section, period.year)
    outputs = {
        row.date: row.output
        for row in SectionDayOutput.objects.filter(
            section=section, date__range=(period.start, period.end)
        )
    }
    working = working_days_of(period, outputs)
    last_entered = max(outputs, default=None)
    rows = []
    cumulative_plan = cumulative_actual = NIL
    day = period.start
    while day <= period.end:
        plan = (daily if day in working else NIL) if daily is not None else None
        actual = outputs.get(day)
        cumulative_actual += actual or NIL
        if plan is not None:
            cumulative_plan += plan
        tracked = last_entered is not None and day <= last_entered and daily is not None
        rows.append(
            DayRow(
                date=day,
                working=day in working,
                plan=plan,
                actual=actual,
                deviation=(actual or NIL) - plan if tracked else None,
                cumulative_plan=cumulative_plan if daily is not None else None,
                cumulative_actual=cumulative_actual,
                cumulative_deviation=cumulative_actual - cumulative_plan if tracked else None,
                lead_lag_days=lead_lag(cumulative_actual, cumulative_plan, daily)
                if tracked
                else None,
            )
        )
        day += datetime.timedelta(days=1)
    return SectionDays(
        section=section,
        period=period,
        task=task,
        year_working_days=year_days,
        daily_plan=daily,
        rows=rows,
    )


# --- quarters (for the bonuses) --------------------------------------------------------------


@dataclass(frozen=True)
class QuarterGross:
    """A section's gross output of a quarter against the quarter's share of its task."""

    section_id: int
    task: SectionTask | None
    plan: Decimal | None
    actual: Decimal

    @property
    def met(self) -> bool:
        return self.plan is not None and self.actual >= self.plan


def quarter_gross(
    section_ids: Iterable[int],
    enterprise_id: int,
    year: int,
    quarter: int,
    tasks: dict[int, SectionTask] | None = None,
) -> dict[int, QuarterGross]:
    """Each section's daily output in the quarter and the quarter's share of its annual
    task by working days (see the module's definitions). Three queries (two when the
    caller gives the year's ``tasks``, section id → task, of at least these sections)."""
    section_ids = list(section_ids)
    periods = list(Period.objects.filter(enterprise_id=enterprise_id, year=year))
    year_days = year_working_days(periods)
    by_month = {p.month: p.working_days for p in periods}
    quarter_days = sum(by_month.get(m, DEFAULT_WORKING_DAYS) for m in quarter_months(quarter))
    first = month_bounds(year, quarter_months(quarter)[0])[0]
    last = month_bounds(year, quarter_months(quarter)[2])[1]
    if tasks is None:
        tasks = {
            t.section_id: t
            for t in SectionTask.objects.filter(section_id__in=section_ids, year=year)
        }
    actual = dict(
        SectionDayOutput.objects.filter(section_id__in=section_ids, date__range=(first, last))
        .values_list("section_id")
        .annotate(total=Sum("output"))
        .order_by()
    )
    result = {}
    for section_id in section_ids:
        task = tasks.get(section_id)
        plan = (
            task.task * Decimal(quarter_days) / Decimal(year_days)
            if task is not None and year_days
            else None
        )
        result[section_id] = QuarterGross(
            section_id=section_id, task=task, plan=plan, actual=actual.get(section_id) or NIL
        )
    return result


def output_by_decade(enterprise_id: int, period: Period) -> dict[int, list[Decimal]]:
    """Each section's recorded output of the month by decade (1–10, 11–20, 21–end), in
    the unit of the section's days page. One query, whatever the number of sections;
    sections with no recorded day are absent. (Read by section self-financing.)"""
    # The decades by the date itself (not its day extracted, a function per row on SQLite).
    decade = Case(
        When(date__lte=period.start + datetime.timedelta(days=9), then=Value(0)),
        When(date__lte=period.start + datetime.timedelta(days=19), then=Value(1)),
        default=Value(2),
    )
    rows = (
        SectionDayOutput.objects.filter(
            enterprise_id=enterprise_id, date__range=(period.start, period.end)
        )
        .annotate(decade=decade)
        .values_list("section_id", "decade")
        .annotate(total=Sum("output"))
        .order_by()  # no Meta.ordering: its joins of the section and shop are for nothing
    )
    result: dict[int, list[Decimal]] = {}
    for section_id, index, total in rows:
        # SQLite sums decimals as floats: back to the field's three places.
        result.setdefault(section_id, [NIL, NIL, NIL])[index] += half_up(total, THOUSANDTH)
    return result
