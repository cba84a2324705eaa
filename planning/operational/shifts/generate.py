"""A month of shift tasks for the plant-scale data set (``manage.py generate_plant`` runs
:data:`GENERATE_STEPS` through ``planning/generate.py``, after the parts and routes).

The last complete month (the current one up to yesterday, when it is the only one): each
working day, every section a route passes through has a reported task of its first
shift — a line for each of its workers, on one of the section's operations in turn, as
many pieces as 8 hours make at 100–125 % of the norm — and each line's stub recorded at
90–110 % of it in 8 hours. What the output derives is then written as the recording
writes it: the sections' days, the parts' production journal, the workers' month. Rows
are written with the tracked ``bulk_create`` (history included).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from enterprise.generate import BATCH_SIZE, GenerateContext
from planning.operational import rules
from planning.operational.models import (
    READINESS_FIELDS,
    RouteOperation,
    ShiftOutput,
    ShiftTask,
    ShiftTaskItem,
)
from planning.tracking.models import MonthlyOutput

from . import derive

D = Decimal
SHIFT_HOURS = D(8)


def _month(ctx: GenerateContext) -> tuple[tuple[int, int], list[datetime.date]]:
    today = timezone.localdate()
    key = ctx.months[-2] if len(ctx.months) > 1 else ctx.months[-1]
    period = ctx.periods[key]
    days, day = [], period.start
    while day <= period.end and day < today:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return key, days


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(hour))
    return timezone.make_aware(naive)


def step_shift_month(ctx: GenerateContext) -> None:
    """The month of shift tasks (see the module)."""
    rng = ctx.random("operational-shifts")
    key, days = _month(ctx)
    period = ctx.periods[key]
    operations: dict[int, list[RouteOperation]] = defaultdict(list)
    for operation in (
        RouteOperation.objects.filter(route__part__enterprise=ctx.enterprise)
        .select_related("route")
        .order_by("route__section_id", "route_id", "number")
    ):
        operations[operation.route.section_id].append(operation)
    # The workers whose month the plant's output already holds (those with a plan): the
    # tasks give their month, and nobody gains a month the rest of the set lacks.
    tracked = set(MonthlyOutput.objects.filter(period=period).values_list("worker_id", flat=True))
    staff: dict[int, list] = defaultdict(list)
    for worker in ctx.workers:
        if worker.section_id in operations and worker.pk in tracked:
            staff[worker.section_id].append(worker)
    sections = [s for s in ctx.sections if s.pk in operations and staff[s.pk]]
    ready = dict.fromkeys(READINESS_FIELDS, True)
    tasks, lines = [], []
    for section in sections:
        for day in days:
            task = ShiftTask(
                enterprise=ctx.enterprise,
                section=section,
                date=day,
                shift=1,
                status=ShiftTask.Status.REPORTED,
                issued_at=_moment(day - datetime.timedelta(days=3), 10),
                checked_at=_moment(day - datetime.timedelta(days=1), 9),
                signed_at=_moment(day - datetime.timedelta(days=1), 13),
                reported_at=_moment(day, 17),
            )
            tasks.append(task)
            ops = operations[section.pk]
            for index, worker in enumerate(staff[section.pk]):
                if worker.hire_date > day or worker.dismissal_date is not None:
                    continue
                operation = ops[(index + day.day) % len(ops)]
                pace = D(rng.randint(100, 125)) / 100
                planned = max(
                    (SHIFT_HOURS * pace / operation.piece_hours).to_integral_value(), D(1)
                )
                made = (planned * D(rng.randint(90, 110)) / 100).quantize(D(1), ROUND_HALF_UP)
                lines.append((task, operation, worker, planned, made))
    ShiftTask.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
    items = [
        ShiftTaskItem(
            task=task, route_operation=operation, worker=worker, quantity=planned, **ready
        )
        for task, operation, worker, planned, _made in lines
    ]
    ShiftTaskItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    outputs = [
        ShiftOutput(
            item=item,
            worker=worker,
            quantity=made,
            norm_hours=rules.output_norm_hours(made, operation.piece_hours),
            hours_worked=SHIFT_HOURS,
            recorded_at=task.reported_at,
        )
        for item, (task, operation, worker, _planned, made) in zip(items, lines, strict=True)
    ]
    ShiftOutput.objects.bulk_create(outputs, batch_size=BATCH_SIZE)
    recorded: dict[int, set[int]] = defaultdict(set)
    for task, _operation, worker, _planned, _made in lines:
        recorded[task.section_id].add(worker.pk)
    for section in sections:
        derive.derive_month(
            section=section, days=days, period=period, worker_ids=recorded[section.pk]
        )
    ctx.summary.append(f"сменных заданий {len(tasks)}, строк {len(items)}")


GENERATE_STEPS = [step_shift_month]
