"""What the shift-task tests share: a part with its route through section A1 of the test
world (two operations), and a task walked through its steps by the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from enterprise.models.roles import Role
from planning.operational.models import Part, Route, RouteOperation, ShiftTask
from planning.operational.shifts import services

D = Decimal
ALL_READY = dict.fromkeys(("work_order", "documentation", "material", "tooling", "tools"), True)


def route_a1(world, number: str = "ВТ-101") -> tuple[RouteOperation, RouteOperation]:
    """Part «Втулка» through A1: turning 0.35 h a piece, then drilling 0.125 h (the last)."""
    part = Part.objects.create(
        enterprise=world.enterprise,
        number=number,
        name="Втулка",
        assembly_shop=world.units["B"],
        daily_need=2,
    )
    route = Route.objects.create(
        part=part, section=world.units["A1"], batch_size=40, monthly_output=D(440)
    )
    turning = RouteOperation.objects.create(
        route=route, number=1, name="Токарная", piece_hours=D("0.35")
    )
    drilling = RouteOperation.objects.create(
        route=route, number=2, name="Сверлильная", piece_hours=D("0.125")
    )
    return turning, drilling


def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """An aware moment of ``day`` at ``hour`` local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def issued_task(world, day: datetime.date, operation, pieces: int = 10) -> ShiftTask:
    """A task of A1 for ``day``'s first shift with one line (the first A1 worker makes
    ``pieces`` of ``operation``), issued on time, 3 days ahead."""
    dispatcher = world.users[Role.DISPATCHER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=day, shift=1, user=dispatcher
    )
    services.shift_items_save(
        task=task,
        rows=[services.ItemRow(1, None, operation.pk, world.workers["A1"][0].pk, D(pieces))],
        user=dispatcher,
    )
    services.shift_task_issue(task=task, user=dispatcher, now=moment(day - datetime.timedelta(3)))
    return task


def signed_task(world, day: datetime.date, lines, shift: int = 1) -> ShiftTask:
    """A task of A1 for ``day`` with ``lines`` — (operation, worker, pieces) — issued,
    checked all ready and signed on time."""
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    section = world.units["A1"]
    task = services.shift_task_create(
        confirmed=True, section=section, date=day, shift=shift, user=dispatcher
    )
    services.shift_items_save(
        task=task,
        rows=[
            services.ItemRow(
                key=index,
                pk=None,
                route_operation_id=operation.pk,
                worker_id=worker.pk if worker else None,
                quantity=D(pieces),
            )
            for index, (operation, worker, pieces) in enumerate(lines)
        ],
        user=dispatcher,
    )
    services.shift_task_issue(task=task, user=dispatcher, now=moment(day - datetime.timedelta(3)))
    items = list(task.items.all())
    services.shift_task_check(
        task=task,
        marks={item.pk: ALL_READY for item in items},
        user=master,
        now=moment(day - datetime.timedelta(2)),
    )
    services.shift_task_sign(task=task, user=master, now=moment(day - datetime.timedelta(2)))
    task.refresh_from_db()
    return task


def close_leaving_tasks_open(world, period) -> None:
    """Close ``period`` as a month was closed before its open shift tasks stopped the
    close (the data of such months stays): through the period's own save."""
    period.status, period.closed_by, period.closed_at = (
        period.Status.CLOSED,
        world.users[Role.LABOUR],
        timezone.now(),
    )
    period.save()
