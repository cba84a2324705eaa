"""Tracking (§6): the writes of a worker's monthly output and of a section's daily output.

Writes keep the house rules: one transaction for the whole grid or file, the closed month
refuses, every row is checked and its errors come back keyed by the row
(:class:`RowErrors`), nothing is half-written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from enterprise import plausibility, versions
from enterprise.models import Period, Section, Worker
from enterprise.permissions import can, require
from enterprise.plausibility import RowErrors, UnlikelyFigures  # noqa: F401  (re-exported)
from enterprise.tracking import PeriodClosedError, acting_as
from planning.operational.shifts import selectors as shift_selectors

from .imports import ImportPreview
from .models import MonthlyOutput, SectionDayOutput
from .plausibility import check_days, check_outputs
from .selectors import workers_of_month

_CONCURRENT = _lazy(
    "Эту выработку только что сохранил другой пользователь: ничего не записано. "
    "Откройте страницу заново и проверьте данные."
)

# --- writing output --------------------------------------------------------------------------


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


def _derived_month_message(worker: Worker, period: Period) -> str:
    return _(
        "Выработка рабочего %(worker)s за %(period)s записывается по сменным заданиям "
        "участка: исправьте её там (страница «Сменные задания»)."
    ) % {"worker": worker.short_name, "period": period}


def _changes(row: MonthlyOutput | None, entry: OutputEntry) -> bool:
    """Would the entry change the stored month (a derived one is not changed by hand)?"""
    if entry.clears:
        return row is not None
    return row is None or (row.output, row.hours_worked) != (entry.output, entry.hours_worked)


def derived_days_message(section: Section, period: Period) -> str:
    """Why a section's days of a month that runs on shift tasks are not entered by hand."""
    return _(
        "Выработка участка «%(section)s» за %(period)s записывается по сменным заданиям: "
        "здесь она только показывается. Исправления — в выработке по сменным заданиям."
    ) % {"section": section.short_label, "period": period}


def days_derived(section: Section, period: Period) -> bool:
    """Does the section's month take its days from the shift tasks?"""
    return bool(shift_selectors.shift_run_sections({section.pk}, period)) and (
        shift_selectors.section_unit(section.pk, period.year) is not None
    )


@transaction.atomic
def output_save(*, entries: Sequence[OutputEntry], user, confirmed: bool = False) -> SaveResult:
    """Write workers' monthly output — every entry or none (:class:`RowErrors` says why).

    Existing rows of the same worker and month are replaced; an entry with neither output
    nor hours removes the month's row. Each row passes the model's field checks; the
    closed-month rule is checked once for all rows (and again by the model layer). A
    written row's figures are checked against the worker's month
    (:mod:`planning.tracking.plausibility`): impossible ones refuse, unlikely ones raise
    :class:`UnlikelyFigures` until ``confirmed`` — and the history records the
    confirmation. So the board (which reads stored output) shows no figure nobody
    confirmed.
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
    derived = shift_selectors.derived_worker_months(
        (entry.worker, entry.period) for entry in entries if not errors[entry.key]
    )
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
    to_check = []  # entries whose figures change: checked for plausibility
    for entry in entries:
        if errors[entry.key]:
            continue
        row = stored.get((entry.worker.pk, entry.period.pk))
        if (entry.worker.pk, entry.period.pk) in derived and _changes(row, entry):
            errors[entry.key].append(_derived_month_message(entry.worker, entry.period))
            continue
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
            to_check.append(entry)
        else:
            if all(getattr(row, name) == value for name, value in values.items()):
                result.unchanged += 1
                continue
            if (row.output, row.hours_worked) != (entry.output, entry.hours_worked):
                to_check.append(entry)
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
    findings = plausibility.Findings()
    check_outputs(findings, to_check)
    notes = findings.settle(confirmed=confirmed)
    with acting_as(user, plausibility.confirmed_reason(notes)):
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


OUTPUT_FIELDS = ("output", "hours_worked", "nomenclature_met")
DAY_FIELDS = ("output",)


def output_grid_version(outputs: Iterable[MonthlyOutput]) -> str:
    """The version of a month's output grid a page shows (:mod:`enterprise.versions`)."""
    return versions.stamp((outputs, OUTPUT_FIELDS))


def section_days_version(days: Iterable[SectionDayOutput]) -> str:
    """The version of a section's days a page shows."""
    return versions.stamp((days, DAY_FIELDS))


def _lock_section(section: Section) -> None:
    """Saves of one section's grid go one by one (new rows have no row lock of their own)."""
    list(Section.objects.select_for_update().filter(pk=section.pk).values_list("pk", flat=True))


@transaction.atomic
def output_save_month(
    *,
    section: Section,
    period: Period,
    rows: Iterable[OutputRow],
    user,
    version: str = "",
    confirmed: bool = False,
):
    """The output grid of a section's month, saved whole or not at all.

    Rows are keyed by worker id in :class:`RowErrors`. A worker must be one of the grid's
    (:func:`workers_of_month`); the user needs ``output.edit`` on the section. ``version``:
    the grid's when the page was drawn (:func:`output_grid_version`); if someone saved it
    meanwhile, :class:`~enterprise.versions.StaleError` says who changed what.
    """
    require(user, "output.edit", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))
    rows = list(rows)
    _lock_section(section)
    workers = {w.pk: w for w in workers_of_month(section, period)}
    versions.check(
        version,
        (MonthlyOutput.objects.filter(worker_id__in=list(workers), period=period), OUTPUT_FIELDS),
    )
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
    return output_save(entries=entries, user=user, confirmed=confirmed)


# --- import from a file ----------------------------------------------------------------------


@transaction.atomic
def output_import(*, preview: ImportPreview, user, confirmed: bool = False) -> SaveResult:
    """Write a checked file: all its lines or none (a line that went wrong since the
    preview refuses the whole file, keyed by line number)."""
    require(user, "output.edit")
    if not preview.ok:
        raise RowErrors({line.line: line.errors for line in preview.lines if line.errors})
    entries = [
        OutputEntry(
            key=line.line,
            worker=line.worker,
            period=line.period,
            output=line.output,
            hours_worked=line.hours_worked,
            nomenclature_met=line.nomenclature_met,
        )
        for line in preview.lines
    ]
    return output_save(entries=entries, user=user, confirmed=confirmed)


# --- the section's days ----------------------------------------------------------------------


@transaction.atomic
def section_days_save(
    *,
    section: Section,
    period: Period,
    values: dict[datetime.date, Decimal | None],
    user,
    version: str = "",
    confirmed: bool = False,
) -> SaveResult:
    """The section's daily output of a month, all days at once: a value sets the day's
    output, None clears it. Keys are days of ``period``; :class:`RowErrors` by day.
    ``version``: the days' when the page was drawn (:func:`section_days_version`). A day
    written far above the daily plan is refused or asked again until ``confirmed``
    (:func:`planning.tracking.plausibility.check_days`)."""
    require(user, "output.edit", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))
    _lock_section(section)
    stored = {
        row.date: row
        for row in SectionDayOutput.objects.select_for_update(of=("self",))
        .filter(section=section, date__range=(period.start, period.end))
        .select_related("section__shop")
    }
    versions.check(version, (stored.values(), DAY_FIELDS))
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
    if (to_create or to_update or to_delete) and days_derived(section, period):
        raise ValidationError(derived_days_message(section, period))
    findings = plausibility.Findings()
    written = {row.date: row.output for row in (*to_create, *to_update)}
    check_days(findings, section, period, written)
    notes = findings.settle(confirmed=confirmed)
    with acting_as(user, plausibility.confirmed_reason(notes)):
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
