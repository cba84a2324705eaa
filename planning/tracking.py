"""Tracking of personal plans (§6): output, fulfilment, lead and lag, the competition board.

Reads (selectors) and writes (services) of a worker's monthly output and of a section's
daily output. The same definitions hold on every page that shows them — the plan's own
page (:func:`worker_tracking`), the output grid, the competition board (:func:`board`), the
section's days (:func:`section_days`) and the bonus proposals (``planning.bonuses``):

* **A worker's monthly plan** = ``plan.annual_volume × period.working_hours /
  plan.annual_time_fund`` (:func:`monthly_plan`), unrounded; pages show it to one place.
* **Year to date** (to the chosen month) = the sum over the months of the plan's year up to
  and including the chosen one *that have a Period row* of the enterprise. The actual year
  to date sums the worker's :class:`~planning.models.MonthlyOutput` of the same months; a
  month without an output row counts 0.
* **Fulfilment, %** = :func:`planning.rules.fulfilment_percent` (actual, plan); None when
  the plan is 0.
* **Lead (+) or lag (−) in days** = :func:`planning.rules.lead_lag_days` of the year-to-date
  actual and plan with the daily rate = the chosen month's plan / its
  ``period.working_days``; None when that rate is 0.
* **The date the annual plan was reached** = :func:`planning.rules.completion_date` from
  1 January over the monthly outputs dated at each month's last day (so it is always a
  month's end): «годовой план выполнен к 31.10.2026».
* **A section's daily plan** = ``SectionTask.task`` / the year's working days (the sum of
  ``Period.working_days`` of the enterprise's months of that year; a month without a
  Period row counts :data:`DEFAULT_WORKING_DAYS`). The plant's holiday calendar is not
  kept, only each month's number of working days, so a month's working days are its
  weekdays; when there are more weekdays than ``period.working_days``, a weekday the section
  recorded no output on between recorded days is taken as the holiday, and any surplus
  left comes off the month's end (:func:`working_days_of`). So the month's plan is exactly
  the daily plan × its working days; only where a holiday falls may shift within the month.
* **A section's gross-output plan of a quarter** = the task × the quarter's working days /
  the year's working days; the actual is the section's daily outputs in the quarter.

Fulfilment and lead/lag of a worker's months (and of a section's days) are given up to the
last month (day) that has output entered: later months still show their plan.

Writes keep the house rules: one transaction for the whole grid or file, the closed month
refuses, every row is checked and its errors come back keyed by the row
(:class:`RowErrors`), nothing is half-written.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from enterprise.models import Period, Section, Shop, Worker
from enterprise.permissions import can, require
from enterprise.rules import month_bounds
from enterprise.tracking import PeriodClosedError, acting_as

from . import rules
from .models import MonthlyOutput, PersonalPlan, SectionDayOutput, SectionTask
from .numbers import plain
from .selectors import plans_in_force

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")
KOPECK = Decimal("0.01")
_CONCURRENT = _lazy(
    "Эту выработку только что сохранил другой пользователь: ничего не записано. "
    "Откройте страницу заново и проверьте данные."
)
# A month without a Period row counts this many working days in the year's total.
DEFAULT_WORKING_DAYS = 21


# --- the arithmetic of the definitions -------------------------------------------------------


def monthly_plan(plan: PersonalPlan, period: Period) -> Decimal:
    """A worker's plan for a month: annual volume × the month's hours / annual time fund."""
    return plan.annual_volume * Decimal(period.working_hours) / plan.annual_time_fund


def daily_rate(month_plan: Decimal, period: Period) -> Decimal | None:
    """The plan of one working day of the month (None: no working days or no plan)."""
    if not period.working_days or month_plan <= 0:
        return None
    return month_plan / Decimal(period.working_days)


def lead_lag(actual: Decimal, plan: Decimal, rate: Decimal | None) -> Decimal | None:
    """:func:`rules.lead_lag_days`, or None when there is no daily rate to measure by."""
    if rate is None or rate <= 0:
        return None
    return rules.lead_lag_days(actual, plan, rate)


def fulfilment(actual: Decimal, plan: Decimal) -> Decimal | None:
    """:func:`rules.fulfilment_percent` (None for a zero plan)."""
    return rules.fulfilment_percent(actual, plan)


def year_working_days(periods: Iterable[Period]) -> int:
    """Working days of the year: the months' ``working_days``, 21 for a month without a row."""
    by_month = {period.month: period.working_days for period in periods}
    return sum(by_month.get(month, DEFAULT_WORKING_DAYS) for month in range(1, 13))


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    first = (quarter - 1) * 3 + 1
    return first, first + 1, first + 2


def money(value: Decimal) -> Decimal:
    """Rubles rounded half-up to the kopeck."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def signed_days(days: Decimal | None) -> str:
    """Lead/lag for display: «+3,2» or «−1,5» (a true minus sign), «0,0», «—»."""
    if days is None:
        return "—"
    rounded = days.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    text = number_format(abs(rounded), 1)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"\u2212{text}"
    return text


def completion_label(day: datetime.date | None) -> str:
    """«годовой план выполнен к 31.10.2026» (empty when not reached)."""
    if day is None:
        return ""
    return _("годовой план выполнен к %(date)s") % {"date": date_format(day, "d.m.Y")}


# --- a worker's months -----------------------------------------------------------------------


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


def _month_rows(
    plan: PersonalPlan, periods: Sequence[Period], outputs: dict[int, MonthlyOutput]
) -> list[MonthRow]:
    """The rows of ``periods`` (one year, in month order) with the worker's ``outputs`` by
    period id."""
    tracked_until = max(
        (p.month for p in periods if p.pk in outputs), default=0
    )  # the last month with output entered
    rows = []
    cumulative_plan = cumulative_actual = ZERO
    for period in periods:
        month_plan = monthly_plan(plan, period)
        entry = outputs.get(period.pk)
        actual = entry.output if entry is not None else None
        cumulative_plan += month_plan
        cumulative_actual += actual or ZERO
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
        return (1, ZERO, -actual)
    return (0, -fulfilment_value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP), -actual)


def board(shop: Shop, period: Period) -> Board:
    """Workers of ``shop`` with a plan in force for the period's year, ranked by year-to-date
    fulfilment (as shown, to one place; ties by actual output; equal both — equal place).

    A plan belongs to the shop through its section; workers dismissed before the month
    are left out. A handful of queries for any number of workers.
    """
    sections = {s.pk: s for s in Section.objects.filter(shop=shop)}
    plans = plans_in_force(list(sections), period.year)
    periods = _year_periods(shop.enterprise_id, period.year, period.month)
    workers = {
        w.pk: w
        for w in Worker.objects.filter(pk__in=list(plans))
        .filter(Q(dismissal_date__isnull=True) | Q(dismissal_date__gte=period.start))
        .select_related("profession")
    }
    outputs: dict[int, dict[int, MonthlyOutput]] = defaultdict(dict)
    for entry in MonthlyOutput.objects.filter(worker_id__in=list(workers), period__in=periods):
        outputs[entry.worker_id][entry.period_id] = entry
    chosen = next((p for p in periods if p.pk == period.pk), period)
    unranked = []
    for worker_id, worker in workers.items():
        plan = plans[worker_id]
        by_period = outputs.get(worker_id, {})
        plan_ytd = sum((monthly_plan(plan, p) for p in periods), ZERO)
        actual_ytd = sum((e.output for e in by_period.values()), ZERO)
        rate = daily_rate(monthly_plan(plan, chosen), chosen)
        completed = (
            rules.completion_date(
                datetime.date(period.year, 1, 1),
                plan.annual_volume,
                [(p.end, by_period[p.pk].output) for p in periods if p.pk in by_period],
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
                    section=sections[plan.section_id],
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
                month_plan=monthly_plan(plan, period) if plan is not None else None,
                output=outputs.get(worker.pk),
            )
        )
    return rows


# --- writing output --------------------------------------------------------------------------


class RowErrors(ValidationError):
    """Errors of a grid or a file, keyed by the row (worker id, or line number of a file);
    ``messages_by_row`` maps each key to its messages."""

    def __init__(self, messages_by_row: dict):
        self.messages_by_row = {key: list(msgs) for key, msgs in messages_by_row.items()}
        super().__init__(
            [f"{key}: {message}" for key, msgs in self.messages_by_row.items() for message in msgs]
        )


@dataclass(frozen=True)
class OutputEntry:
    """One worker's month to write. Output and hours both None: clear the month's row."""

    key: object
    worker: Worker
    period: Period
    output: Decimal | None
    hours_worked: Decimal | None
    nomenclature_met: bool = True

    @property
    def clears(self) -> bool:
        return self.output is None and self.hours_worked is None


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def entry_problems(entry: OutputEntry, user) -> list[str]:
    """What is wrong with one entry before anything is written (no queries: the worker's
    section and shop, and the period, are loaded by the caller)."""
    problems = []
    if entry.worker.enterprise_id != entry.period.enterprise_id:
        problems.append(_("Рабочий другого предприятия."))
    elif not can(user, "output.edit", entry.worker):
        problems.append(_("Рабочий не из ваших подразделений: вводить его выработку вы не можете."))
    if entry.period.is_closed:
        problems.append(str(PeriodClosedError(str(entry.period)).messages[0]))
    if not entry.clears and (entry.output is None or entry.hours_worked is None):
        problems.append(_("Укажите и выработку, и отработанные часы."))
    return problems


@transaction.atomic
def output_save(*, entries: Sequence[OutputEntry], user) -> SaveResult:
    """Write workers' monthly output — every entry or none (:class:`RowErrors` says why).

    Existing rows of the same worker and month are replaced; an entry with neither output
    nor hours removes the month's row. Each row passes the model's field checks; the
    closed-month rule is checked once for all rows (and again by the model layer).
    """
    errors: dict = defaultdict(list)
    seen: dict[tuple[int, int], object] = {}
    for entry in entries:
        errors[entry.key].extend(entry_problems(entry, user))
        pair = (entry.worker.pk, entry.period.pk)
        if pair in seen:
            errors[entry.key].append(
                _("Этот рабочий и месяц уже есть выше (строка %(row)s).") % {"row": seen[pair]}
            )
        else:
            seen[pair] = entry.key
    worker_ids = {entry.worker.pk for entry in entries}
    period_ids = {entry.period.pk for entry in entries}
    stored = {
        (row.worker_id, row.period_id): row
        for row in MonthlyOutput.objects.select_for_update(of=("self",))
        .filter(worker_id__in=worker_ids, period_id__in=period_ids)
        .select_related("worker", "period")
    }
    result = SaveResult()
    to_create, to_update, to_delete = [], [], []
    for entry in entries:
        if errors[entry.key]:
            continue
        row = stored.get((entry.worker.pk, entry.period.pk))
        if entry.clears:
            if row is not None:
                to_delete.append(row.pk)
            else:
                result.unchanged += 1
            continue
        values = {
            "output": entry.output,
            "hours_worked": entry.hours_worked,
            "nomenclature_met": entry.nomenclature_met,
        }
        if row is None:
            row = MonthlyOutput(
                enterprise_id=entry.period.enterprise_id,
                worker=entry.worker,
                period=entry.period,
                **values,
            )
            target = to_create
        else:
            if all(getattr(row, name) == value for name, value in values.items()):
                result.unchanged += 1
                continue
            for name, value in values.items():
                setattr(row, name, value)
            target = to_update
        try:
            row.clean_fields(exclude=["enterprise", "worker", "period"])
        except ValidationError as error:
            errors[entry.key].extend(error.messages)
            continue
        target.append(row)
    problems = {key: msgs for key, msgs in errors.items() if msgs}
    if problems:
        raise RowErrors(problems)
    with acting_as(user):
        if to_create:
            try:
                MonthlyOutput.objects.bulk_create(to_create)
            except IntegrityError:
                raise ValidationError(_CONCURRENT) from None
        if to_update:
            MonthlyOutput.objects.bulk_update(
                to_update, ["output", "hours_worked", "nomenclature_met"]
            )
        if to_delete:
            MonthlyOutput.objects.filter(pk__in=to_delete).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)
    return result


@dataclass(frozen=True)
class OutputRow:
    """A line of the grid as entered (see :func:`output_save_month`)."""

    worker_id: int
    output: Decimal | None
    hours_worked: Decimal | None
    nomenclature_met: bool = True


@transaction.atomic
def output_save_month(*, section: Section, period: Period, rows: Iterable[OutputRow], user):
    """The output grid of a section's month, saved whole or not at all.

    Rows are keyed by worker id in :class:`RowErrors`. A worker must be one of the grid's
    (:func:`workers_of_month`); the user needs ``output.edit`` on the section.
    """
    require(user, "output.edit", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))
    rows = list(rows)
    workers = {w.pk: w for w in workers_of_month(section, period)}
    entries, errors = [], {}
    for row in rows:
        worker = workers.get(row.worker_id)
        if worker is None:
            errors[row.worker_id] = [_("Рабочий не из этого участка.")]
            continue
        entries.append(
            OutputEntry(
                key=row.worker_id,
                worker=worker,
                period=period,
                output=row.output,
                hours_worked=row.hours_worked,
                nomenclature_met=row.nomenclature_met,
            )
        )
    if errors:
        raise RowErrors(errors)
    return output_save(entries=entries, user=user)


# --- import from a file ----------------------------------------------------------------------

IMPORT_MAX_ROWS = 5000
_MONTH_RE = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")
_ISO_MONTH_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})(?:-\d{1,2})?\s*$")
_YES = {"да", "д", "yes", "y", "1", "+", "true", "истина", "выполнено", "выполнена"}
_NO = {"нет", "н", "no", "n", "0", "-", "−", "false", "ложь", "не выполнено", "не выполнена"}


class ImportFileError(ValueError):
    """The file cannot be read at all (not its rows' problems)."""


def parse_decimal(value) -> Decimal:
    """A number of a cell: a number, or text in Russian format («1 234,5»; «12.5» too).

    Raises :class:`ValueError` with a Russian message.
    """
    if isinstance(value, bool):
        raise ValueError(_("Не число: «%(value)s».") % {"value": value})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        number = value
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value))
        if "," in text and "." in text:
            raise ValueError(_("Не число: «%(value)s».") % {"value": value})
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Не число: «%(value)s».") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("Не число: «%(value)s».") % {"value": value})
    return number


def parse_month(value) -> tuple[int, int]:
    """(year, month) of a cell: «10.2026», «10/2026», «2026-10» or a date."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.year, value.month
    text = str(value)
    if match := _MONTH_RE.match(text):
        month, year = int(match[1]), int(match[2])
    elif match := _ISO_MONTH_RE.match(text):
        year, month = int(match[1]), int(match[2])
    else:
        raise ValueError(_("Месяц не распознан: «%(value)s» (нужно ММ.ГГГГ).") % {"value": value})
    if not 1 <= month <= 12:
        raise ValueError(_("Месяц не распознан: «%(value)s» (нужно ММ.ГГГГ).") % {"value": value})
    return year, month


def parse_yes_no(value) -> bool:
    """«да»/«нет» (and 1/0, +/−, yes/no); an empty cell is «да», the usual case."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if isinstance(value, int | float | Decimal):
        text = "1" if value == 1 else "0" if value == 0 else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("Ожидается «да» или «нет»: «%(value)s».") % {"value": value})


def _personnel_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content: bytes, filename: str) -> list[list]:
    """The cells of the first sheet of an XLSX file, or of a CSV file (``;``, ``,`` or tab;
    UTF-8 or Windows-1251), as lists of values; blank lines dropped."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a broken file
            raise ImportFileError(_("Не удалось прочитать файл XLSX.")) from error
        try:
            sheet = book.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1251 decodes any byte but a few
            raise ImportFileError(_("Не удалось прочитать файл CSV: неизвестная кодировка."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ";"
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    else:
        raise ImportFileError(_("Нужен файл XLSX или CSV."))
    return [row for row in rows if any(not _blank(cell) for cell in row)]


# Header words → column (Russian, and the English of the English interface).
_HEADERS = (
    ("number", ("таб", "personnel")),
    ("month", ("месяц", "период", "month", "period")),
    ("output", ("выработ", "выполн. объём", "объём", "output")),
    ("hours", ("час", "hour")),
    ("nomenclature", ("номенкл", "product range", "nomenclature")),
)


def _columns(first_row: list, month_chosen: bool) -> tuple[dict[str, int], bool]:
    """Column positions and whether the first row is a header."""
    head = [str(cell or "").strip().lower() for cell in first_row]
    first = _personnel_number(first_row[0]) if first_row else ""
    if head and not first.isdigit():
        columns: dict[str, int] = {}
        for index, title in enumerate(head):
            for key, words in _HEADERS:
                if key not in columns and any(word in title for word in words):
                    columns[key] = index
                    break
        if "number" in columns and "output" in columns and "hours" in columns:
            return columns, True
        raise ImportFileError(
            _(
                "В заголовке файла не найдены столбцы «табельный номер», «выработка» и "
                "«отработано часов»."
            )
        )
    width = len(first_row)
    if width >= 5 or not month_chosen:
        return {"number": 0, "month": 1, "output": 2, "hours": 3, "nomenclature": 4}, False
    return {"number": 0, "output": 1, "hours": 2, "nomenclature": 3}, False


@dataclass
class ImportLine:
    """A line of the file as understood, with its problems."""

    line: int
    personnel_number: str
    worker: Worker | None = None
    period: Period | None = None
    month_label: str = ""
    output: Decimal | None = None
    hours_worked: Decimal | None = None
    nomenclature_met: bool = True
    stored: MonthlyOutput | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def replaces(self) -> bool:
        return self.stored is not None

    @property
    def output_plain(self) -> Decimal | None:
        return plain(self.output)

    @property
    def hours_plain(self) -> Decimal | None:
        return plain(self.hours_worked)

    @property
    def stored_output_plain(self) -> Decimal | None:
        return plain(self.stored.output) if self.stored is not None else None

    @property
    def stored_hours_plain(self) -> Decimal | None:
        return plain(self.stored.hours_worked) if self.stored is not None else None


@dataclass
class ImportPreview:
    lines: list[ImportLine]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not any(line.errors for line in self.lines)

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.lines if line.errors)

    def entries(self) -> list[OutputEntry]:
        return [
            OutputEntry(
                key=line.line,
                worker=line.worker,
                period=line.period,
                output=line.output,
                hours_worked=line.hours_worked,
                nomenclature_met=line.nomenclature_met,
            )
            for line in self.lines
        ]


def _cell(row: list, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]


def import_preview(
    *, rows: list[list], enterprise_id: int, month: Period | None, user
) -> ImportPreview:
    """Understand a file's rows and check each: unknown personnel number, a worker outside
    the user's units, no such or a closed month, a bad number. A constant number of queries.
    """
    if not rows:
        raise ImportFileError(_("В файле нет строк."))
    columns, header = _columns(rows[0], month is not None)
    body = rows[1:] if header else rows
    first_line = 2 if header else 1
    if len(body) > IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("В файле больше %(n)s строк: разделите его на части.") % {"n": IMPORT_MAX_ROWS}
        )
    if "month" not in columns and month is None:
        raise ImportFileError(_("В файле нет столбца «месяц»: выберите месяц в форме."))
    numbers = {_personnel_number(_cell(row, columns["number"])) for row in body}
    workers = {
        w.personnel_number: w
        for w in Worker.objects.filter(
            enterprise_id=enterprise_id, personnel_number__in=numbers
        ).select_related("section__shop")
    }
    periods = {(p.year, p.month): p for p in Period.objects.filter(enterprise_id=enterprise_id)}
    lines: list[ImportLine] = []
    for offset, row in enumerate(body):
        number = _personnel_number(_cell(row, columns["number"]))
        line = ImportLine(line=first_line + offset, personnel_number=number)
        lines.append(line)
        if _blank(number):
            line.errors.append(_("Не указан табельный номер."))
        else:
            line.worker = workers.get(number)
            if line.worker is None:
                line.errors.append(_("Неизвестный табельный номер %(n)s.") % {"n": number})
            elif not can(user, "output.edit", line.worker):
                line.errors.append(
                    _("Рабочий не из ваших подразделений: вводить его выработку вы не можете.")
                )
        month_cell = _cell(row, columns.get("month"))
        if _blank(month_cell):
            if month is None:
                line.errors.append(_("Не указан месяц."))
            else:
                line.period = month
        else:
            try:
                year_month = parse_month(month_cell)
            except ValueError as error:
                line.errors.append(str(error))
            else:
                line.period = periods.get(year_month)
                if line.period is None:
                    line.month_label = f"{year_month[1]:02d}.{year_month[0]}"
                    line.errors.append(
                        _("Месяца %(m)s нет среди периодов предприятия.") % {"m": line.month_label}
                    )
        if line.period is not None:
            line.month_label = str(line.period)
            if line.period.is_closed:
                line.errors.append(str(PeriodClosedError(str(line.period)).messages[0]))
        for name, label in (("output", _("выработка")), ("hours", _("отработано часов"))):
            value = _cell(row, columns[name])
            if _blank(value):
                line.errors.append(_("Не указано: %(what)s.") % {"what": label})
                continue
            try:
                number_value = parse_decimal(value)
            except ValueError as error:
                line.errors.append(f"{label}: {error}")
                continue
            if number_value < 0:
                line.errors.append(_("%(what)s не может быть меньше нуля.") % {"what": label})
            setattr(line, "output" if name == "output" else "hours_worked", number_value)
        try:
            line.nomenclature_met = parse_yes_no(_cell(row, columns.get("nomenclature")))
        except ValueError as error:
            line.errors.append(str(error))
    _check_fields(lines)
    _mark_duplicates(lines)
    _attach_stored(lines)
    return ImportPreview(lines)


def _check_fields(lines: list[ImportLine]) -> None:
    """The model's own field checks (digits, places, at most 400 hours)."""
    for line in lines:
        if line.output is None or line.hours_worked is None:
            continue
        probe = MonthlyOutput(
            output=line.output, hours_worked=line.hours_worked, nomenclature_met=True
        )
        try:
            probe.clean_fields(exclude=["enterprise", "worker", "period"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = str(MonthlyOutput._meta.get_field(name).verbose_name)
                line.errors.extend(f"{label}: {message}" for message in messages)


def _mark_duplicates(lines: list[ImportLine]) -> None:
    seen: dict[tuple[int, int], int] = {}
    for line in lines:
        if line.worker is None or line.period is None:
            continue
        pair = (line.worker.pk, line.period.pk)
        if pair in seen:
            line.errors.append(
                _("Этот рабочий и месяц уже есть выше (строка %(row)s).") % {"row": seen[pair]}
            )
        else:
            seen[pair] = line.line


def _attach_stored(lines: list[ImportLine]) -> None:
    workers = {line.worker.pk for line in lines if line.worker is not None}
    periods = {line.period.pk for line in lines if line.period is not None}
    if not workers or not periods:
        return
    stored = {
        (row.worker_id, row.period_id): row
        for row in MonthlyOutput.objects.filter(worker_id__in=workers, period_id__in=periods)
    }
    for line in lines:
        if line.worker is not None and line.period is not None:
            line.stored = stored.get((line.worker.pk, line.period.pk))


@transaction.atomic
def output_import(*, preview: ImportPreview, user) -> SaveResult:
    """Write a checked file: all its lines or none (a line that went wrong since the
    preview refuses the whole file, keyed by line number)."""
    require(user, "output.edit")
    if not preview.ok:
        raise RowErrors({line.line: line.errors for line in preview.lines if line.errors})
    return output_save(entries=preview.entries(), user=user)


# --- the section's days ----------------------------------------------------------------------


def working_days_of(period: Period, entered: Iterable[datetime.date] = ()) -> set[datetime.date]:
    """The month's working days as the module's definition takes them.

    Weekdays are working days. When the month has more weekdays than
    ``period.working_days`` (a holiday fell on one), the surplus comes off first as the
    weekdays the section recorded no output on before its last recorded day (``entered``:
    the days with output — such a gap is most likely the holiday), then from the month's
    end. When it has fewer, Saturdays and then Sundays are added in calendar order.
    """
    first, last = month_bounds(period.year, period.month)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    surplus = len(weekdays) - period.working_days
    if surplus <= 0:
        extra = [d for d in days if d.weekday() == 5] + [d for d in days if d.weekday() == 6]
        return set(weekdays + extra[:-surplus])
    entered = set(entered)
    until = max(entered, default=None)
    gaps = [d for d in weekdays if until is not None and d < until and d not in entered]
    off = set(gaps[:surplus])
    working = [d for d in weekdays if d not in off]
    return set(working[: period.working_days])


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
        return sum((row.actual or ZERO for row in self.rows), ZERO)

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
    cumulative_plan = cumulative_actual = ZERO
    day = period.start
    while day <= period.end:
        plan = (daily if day in working else ZERO) if daily is not None else None
        actual = outputs.get(day)
        cumulative_actual += actual or ZERO
        if plan is not None:
            cumulative_plan += plan
        tracked = last_entered is not None and day <= last_entered and daily is not None
        rows.append(
            DayRow(
                date=day,
                working=day in working,
                plan=plan,
                actual=actual,
                deviation=(actual or ZERO) - plan if tracked else None,
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


@transaction.atomic
def section_days_save(
    *, section: Section, period: Period, values: dict[datetime.date, Decimal | None], user
) -> SaveResult:
    """The section's daily output of a month, all days at once: a value sets the day's
    output, None clears it. Keys are days of ``period``; :class:`RowErrors` by day."""
    require(user, "output.edit", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))
    stored = {
        row.date: row
        for row in SectionDayOutput.objects.select_for_update(of=("self",))
        .filter(section=section, date__range=(period.start, period.end))
        .select_related("section__shop")
    }
    errors: dict = {}
    to_create, to_update, to_delete = [], [], []
    result = SaveResult()
    for day, value in sorted(values.items()):
        if not period.contains(day):
            errors[day] = [_("День не из этого месяца.")]
            continue
        row = stored.get(day)
        if value is None:
            if row is not None:
                to_delete.append(row.pk)
            else:
                result.unchanged += 1
            continue
        if row is None:
            row = SectionDayOutput(
                enterprise_id=period.enterprise_id, section=section, date=day, output=value
            )
            target = to_create
        elif row.output == value:
            result.unchanged += 1
            continue
        else:
            row.output = value
            target = to_update
        try:
            row.clean_fields(exclude=["enterprise", "section"])
        except ValidationError as error:
            errors[day] = error.messages
            continue
        target.append(row)
    if errors:
        raise RowErrors(errors)
    with acting_as(user):
        if to_create:
            try:
                SectionDayOutput.objects.bulk_create(to_create)
            except IntegrityError:
                raise ValidationError(_CONCURRENT) from None
        if to_update:
            SectionDayOutput.objects.bulk_update(to_update, ["output"])
        if to_delete:
            SectionDayOutput.objects.filter(pk__in=to_delete).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)
    return result


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
    section_ids: Iterable[int], enterprise_id: int, year: int, quarter: int
) -> dict[int, QuarterGross]:
    """Each section's daily output in the quarter and the quarter's share of its annual
    task by working days (see the module's definitions). Three queries."""
    section_ids = list(section_ids)
    periods = list(Period.objects.filter(enterprise_id=enterprise_id, year=year))
    year_days = year_working_days(periods)
    by_month = {p.month: p.working_days for p in periods}
    quarter_days = sum(by_month.get(m, DEFAULT_WORKING_DAYS) for m in quarter_months(quarter))
    first = month_bounds(year, quarter_months(quarter)[0])[0]
    last = month_bounds(year, quarter_months(quarter)[2])[1]
    tasks = {
        t.section_id: t for t in SectionTask.objects.filter(section_id__in=section_ids, year=year)
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
            section_id=section_id, task=task, plan=plan, actual=actual.get(section_id) or ZERO
        )
    return result
