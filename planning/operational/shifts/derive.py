"""What recorded shift output writes (operational-planning.md §5: one source of truth):
the section's day, the workers' months and the parts' production of the day, each
recomputed from the stored stubs and written in bulk (checked, the month open, the
history recorded). Called inside the recording's transaction, and by the demo and the
plant-scale generator, which record so too."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _lazy

from enterprise.models import Period, Section, Worker
from enterprise.money import NIL, TENTH, THOUSANDTH, half_up
from planning.operational.models import Part, PartProduction, Route, ShiftOutput, ShiftTask
from planning.tracking.models import MonthlyOutput, SectionDayOutput

from . import selectors
from .selectors import NORM_HOURS

_CONCURRENT = _lazy(
    "Эту выработку только что записал другой пользователь: откройте задание заново."
)


def _write(model, rows: Iterable[tuple], fields: Sequence[str]) -> None:
    """Write derived rows, each ``(stored, lookup, values)``: ``values`` None removes the
    stored row, else it is created from ``lookup`` or updated where it differs. In bulk
    (one insert, one update, one delete a kind), each row checked (its fields, the month
    open) and recorded in the history."""
    to_create, to_update, to_delete = [], [], []
    for stored, lookup, values in rows:
        if values is None:
            if stored is not None:
                to_delete.append(stored.pk)
            continue
        if stored is None:
            row = model(**lookup, **values)
            target = to_create
        elif any(getattr(stored, name) != value for name, value in values.items()):
            row = stored
            for name, value in values.items():
                setattr(row, name, value)
            target = to_update
        else:
            continue
        # The looked-up keys (enterprise, section, worker …) are the service's own: their
        # fields' checks (a query each) are not asked again.
        row.clean_fields(exclude=[name.removesuffix("_id") for name in lookup])
        target.append(row)
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    if to_create:
        try:
            with transaction.atomic():
                model.objects.bulk_create(to_create)
        except IntegrityError:
            raise ValidationError(_CONCURRENT) from None
    if to_update:
        model.objects.bulk_update(to_update, list(fields))


def derive(*, task: ShiftTask, worker_ids: Iterable[int], routes: Iterable) -> None:
    """Write what the task's day and month give: the section's day, the months of
    ``worker_ids``, the production of the parts of ``routes`` on the section that day.
    Called inside the recording's transaction (and by the demo, which records so too)."""
    section, day = task.section, task.date
    _derive_section_days(task.enterprise_id, section, [day])
    period = Period.objects.filter(
        enterprise_id=task.enterprise_id, year=day.year, month=day.month
    ).first()
    if period is not None:
        _derive_worker_months(task.enterprise_id, set(worker_ids), period)
    _derive_parts(task.enterprise_id, section, [day], list(routes))


def derive_month(
    *, section: Section, days: Sequence[datetime.date], period: Period, worker_ids: Iterable[int]
) -> None:
    """What a month of tasks recorded in bulk (the plant-scale generator) writes: the
    section's ``days``, the parts' production of each and the months of ``worker_ids``.
    Each day is derived as :func:`derive` derives it, all the days in one go (a few
    queries for the month, not a few a day)."""
    routes = list(Route.objects.filter(section=section))
    _derive_section_days(period.enterprise_id, section, days)
    _derive_parts(period.enterprise_id, section, days, routes)
    _derive_worker_months(period.enterprise_id, set(worker_ids), period)


def _section_values(
    section: Section, days: Sequence[datetime.date], units: dict[int, str]
) -> dict[datetime.date, Decimal]:
    """The section's output of each of ``days`` that has stubs, in the unit of its year."""
    outputs = ShiftOutput.objects.filter(item__task__section=section, item__task__date__in=days)
    by_day: dict[datetime.date, list[tuple]] = {}
    for row in outputs.values_list(
        "item__task__date",
        "norm_hours",
        "quantity",
        "item__route_operation__number",
        "item__route_operation__route_id",
    ):
        by_day.setdefault(row[0], []).append(row[1:])
    last: dict[int, int] = {}
    if any(units[day.year] != NORM_HOURS for day in by_day):
        last = selectors.last_operations(row[3] for rows in by_day.values() for row in rows)
    values = {}
    for day, rows in by_day.items():
        if units[day.year] == NORM_HOURS:
            values[day] = half_up(sum((row[0] for row in rows), NIL), THOUSANDTH)
        else:
            pieces = (row[1] for row in rows if last.get(row[3]) == row[2])
            values[day] = half_up(sum(pieces, NIL), THOUSANDTH)
    return values


def _derive_section_days(
    enterprise_id: int, section: Section, days: Sequence[datetime.date]
) -> None:
    units = {year: selectors.section_unit(section.pk, year) for year in {d.year for d in days}}
    days = [day for day in days if units[day.year] is not None]
    if not days:
        return
    values = _section_values(section, days, units)
    stored = {
        row.date: row for row in SectionDayOutput.objects.filter(section=section, date__in=days)
    }
    rows = []
    for day in days:
        lookup = {"enterprise_id": enterprise_id, "section": section, "date": day}
        value = values.get(day)
        rows.append((stored.get(day), lookup, None if value is None else {"output": value}))
    _write(SectionDayOutput, rows, ["output"])


def _derive_worker_months(enterprise_id: int, worker_ids: set[int], period: Period) -> None:
    if not worker_ids:
        return
    from planning.tracking.selectors import plans_of_workers

    figures = selectors.worker_month_figures(worker_ids, period)
    workers = {worker.pk: worker for worker in Worker.objects.filter(pk__in=worker_ids)}
    plans = plans_of_workers(sorted(worker_ids), period.year)
    stored = {
        row.worker_id: row
        for row in MonthlyOutput.objects.filter(
            worker_id__in=worker_ids, period=period
        ).select_related("worker__section", "period")
    }
    rows = []
    for worker_id in sorted(worker_ids):
        plan = plans.get(worker_id)
        unit = selectors.derived_unit(plan.output_unit if plan else None)
        if unit is None:
            continue
        values = None
        if worker_id in figures:
            norm_hours, pieces, hours = figures[worker_id]
            values = {
                "output": half_up(norm_hours if unit == NORM_HOURS else pieces, THOUSANDTH),
                "hours_worked": half_up(hours, TENTH),
            }
        lookup = {"enterprise_id": enterprise_id, "worker": workers[worker_id], "period": period}
        rows.append((stored.get(worker_id), lookup, values))
    _write(MonthlyOutput, rows, ["output", "hours_worked"])


def _derive_parts(
    enterprise_id: int, section: Section, days: Sequence[datetime.date], routes: list
) -> None:
    if not routes:
        return
    last = selectors.last_operations(route.pk for route in routes)
    made: dict[tuple[datetime.date, int], Decimal] = {}
    for day, part_id, number, route_id, quantity in ShiftOutput.objects.filter(
        item__task__section=section,
        item__task__date__in=days,
        item__route_operation__route_id__in=[route.pk for route in routes],
    ).values_list(
        "item__task__date",
        "item__route_operation__route__part_id",
        "item__route_operation__number",
        "item__route_operation__route_id",
        "quantity",
    ):
        if last.get(route_id) == number:
            made[day, part_id] = made.get((day, part_id), NIL) + quantity
    # The parts read once: each row's name in the history shows its part's number.
    parts = Part.objects.in_bulk({route.part_id for route in routes})
    stored = {
        (row.date, row.part_id): row
        for row in PartProduction.objects.filter(section=section, date__in=days, part_id__in=parts)
    }
    for row in stored.values():
        row.part, row.section = parts[row.part_id], section
    rows = []
    for day in days:
        for part_id in sorted(parts):
            value = made.get((day, part_id))
            lookup = {"enterprise_id": enterprise_id, "part": parts[part_id], "section": section}
            lookup["date"] = day
            stored_row = stored.get((day, part_id))
            rows.append((stored_row, lookup, None if value is None else {"quantity": value}))
    _write(PartProduction, rows, ["quantity"])
