"""Demo shift tasks: the turning section 6.2 runs November 2026 on shift tasks.

Each working day up to 20 November the bureau (``pdb6``) issued the section's task three
days ahead — the parts of assembly shop No. 1 that pass through the section, as many as
the registration journal says it made that day, spread over its turners — the master
(``master62``, added here) checked the workplaces and signed, and after the shift the
output was recorded from the stubs. So the section's days of November, its turners'
November output and the journal's lines of 6.2 all come from the tasks (one source), and
the journal keeps its figures. Along the way: one task issued late (two days ahead), one
returned for want of material and resolved. The next week's tasks are in every state: a
signed one waiting for its shift, a ready one, a returned one, an issued one and a draft.

The steps run through the services (the history says who did what, when: the clock is
set to each step's moment). A second load writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from enterprise.demo import PLANT_TZ, ROLES_FROM, DemoContext, clock, ensure
from enterprise.models import Period, RoleAssignment, Worker
from enterprise.models.roles import Role
from enterprise.money import TENTH, half_up
from planning.operational.models import PartProduction, Route, ShiftTask

from . import services

D = Decimal
SECTION = (6, 2)
FIRST_DAY, LAST_RECORDED = datetime.date(2026, 11, 2), datetime.date(2026, 11, 20)
HOLIDAYS = {datetime.date(2026, 11, 4)}
NEXT_WEEK = {
    datetime.date(2026, 11, 23): ShiftTask.Status.SIGNED,
    datetime.date(2026, 11, 24): ShiftTask.Status.READY,
    datetime.date(2026, 11, 25): ShiftTask.Status.RETURNED,
    datetime.date(2026, 11, 26): ShiftTask.Status.ISSUED,
    datetime.date(2026, 11, 27): ShiftTask.Status.DRAFT,
}
LATE_ISSUE = datetime.date(2026, 11, 10)  # issued two days ahead, not three
RETURNED_ON = datetime.date(2026, 11, 17)  # returned for want of material, then resolved
ALL_READY = dict.fromkeys(("work_order", "documentation", "material", "tooling", "tools"), True)
SHIFT_HOURS = D(8)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PLANT_TZ)


def _master(ctx: DemoContext):
    user = ctx.ensure_user("master62", first_name="Степан", last_name="Фролов")
    section = ctx.sections[SECTION]
    ensure(
        RoleAssignment,
        {
            "user": user,
            "role": Role.MASTER,
            "enterprise": ctx.enterprise,
            "shop": None,
            "section": section,
            "valid_from": ROLES_FROM,
        },
        valid_to=None,
    )
    ctx.add_login("master62", f"{Role.MASTER.label} (master)", str(section))
    return user


def _days() -> list[datetime.date]:
    days, day = [], FIRST_DAY
    while day <= max(NEXT_WEEK):
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _lines(section, day: datetime.date, workers: list[Worker], index: int) -> list:
    """(operation, worker, pieces) of the day: each part through the section, as many as
    the journal says it made (the next week: its daily need), the lines dealt over the
    turners from a different one each day."""
    made = dict(
        PartProduction.objects.filter(section=section, date=day).values_list("part_id", "quantity")
    )
    lines = []
    routes = Route.objects.filter(section=section).select_related("part").order_by("part__number")
    for route in routes:
        pieces = made.get(route.part_id) if day <= LAST_RECORDED else D(route.part.daily_need)
        if not pieces:
            continue
        for operation in route.operations.order_by("number"):
            lines.append((operation, pieces))
    return [
        (operation, workers[(index + position) % len(workers)], pieces)
        for position, (operation, pieces) in enumerate(lines)
    ]


def _hours(task) -> dict[int, D]:
    """Each line's hours: a turner's 8 hours split over his lines by their norm-hours."""
    by_worker: dict[int, list] = {}
    for item in task.items.select_related("route_operation").order_by("pk"):
        by_worker.setdefault(item.worker_id, []).append(item)
    hours = {}
    for items in by_worker.values():
        weights = [item.quantity * item.route_operation.piece_hours for item in items]
        total, left = sum(weights), SHIFT_HOURS
        for item, weight in zip(items[:-1], weights[:-1], strict=True):
            share = half_up(SHIFT_HOURS * weight / total, TENTH) if total else D(0)
            hours[item.pk] = share
            left -= share
        hours[items[-1].pk] = left
    return hours


def _walk(ctx, section, day, lines, status, dispatcher, master) -> None:
    """The task of ``day`` through its steps up to ``status`` (reported: with output)."""
    Status = ShiftTask.Status
    issue_at = _at(day - datetime.timedelta(days=2 if day == LATE_ISSUE else 3), 10)
    with clock(issue_at - datetime.timedelta(hours=1)):
        # The tracking demo has entered the month by hand: its tasks take it over.
        task = services.shift_task_create(
            section=section,
            date=day,
            shift=1,
            user=dispatcher,
            take_over_month=True,
            confirmed=True,  # its shifts are gone by the time the demo is loaded
        )
        services.shift_items_save(
            task=task,
            rows=[
                services.ItemRow(index, None, operation.pk, worker.pk, D(pieces))
                for index, (operation, worker, pieces) in enumerate(lines)
            ],
            user=dispatcher,
        )
    if status == Status.DRAFT:
        return
    with clock(issue_at):
        services.shift_task_issue(task=task, user=dispatcher, now=issue_at)
    if status == Status.ISSUED:
        return
    items = list(task.items.order_by("pk"))
    check_at = _at(day - datetime.timedelta(days=1), 9)
    short = day in (RETURNED_ON, *[d for d, s in NEXT_WEEK.items() if s == Status.RETURNED])
    marks = {item.pk: ALL_READY for item in items}
    if short:
        marks[items[0].pk] = {**ALL_READY, "material": False}
    with clock(check_at):
        services.shift_task_check(
            task=task,
            marks=marks,
            notes={items[0].pk: "Нет проката нужного диаметра"} if short else {},
            user=master,
            now=check_at,
        )
    if status == Status.RETURNED:
        return
    if short:
        first = items[0]
        resolve_at = check_at + datetime.timedelta(hours=2)
        with clock(resolve_at):
            services.shift_items_save(
                task=task,
                rows=[
                    services.ItemRow(
                        0,
                        first.pk,
                        first.route_operation_id,
                        first.worker_id,
                        first.quantity,
                        resolved_note="Прокат выдан со склада цеха № 7",
                    )
                ],
                user=dispatcher,
            )
            services.shift_task_issue(task=task, user=dispatcher, now=resolve_at)
        with clock(resolve_at + datetime.timedelta(hours=1)):
            services.shift_task_check(
                task=task,
                marks={item.pk: ALL_READY for item in items},
                user=master,
                now=resolve_at + datetime.timedelta(hours=1),
            )
    if status == Status.READY:
        return
    sign_at = check_at + datetime.timedelta(hours=4)
    with clock(sign_at):
        services.shift_task_sign(task=task, user=master, now=sign_at)
    if status == Status.SIGNED:
        return
    recorded_at = _at(day, 16, 30)
    hours = _hours(task)
    with clock(recorded_at):
        services.shift_output_record(
            task=task,
            rows=[
                services.OutputRow(item.pk, item.worker_id, item.quantity, hours[item.pk])
                for item in task.items.order_by("pk")
            ],
            user=master,
            now=recorded_at,
        )


def step_shift_tasks(ctx: DemoContext) -> None:
    """Section 6.2's November on shift tasks (see the module)."""
    section = ctx.sections[SECTION]
    dispatcher, master = ctx.users["pdb6"], _master(ctx)
    november = Period.objects.filter(enterprise=ctx.enterprise, year=2026, month=11).first()
    if november is None or november.is_closed:
        ctx.say("  сменные задания: ноябрь 2026 закрыт или не заведён — пропущено")
        return
    workers = list(
        Worker.objects.filter(
            section=section, hire_date__lte=FIRST_DAY, dismissal_date=None
        ).order_by("personnel_number")
    )
    if not workers:
        return
    stored = set(
        ShiftTask.objects.filter(section=section, date__gte=FIRST_DAY).values_list("date", "shift")
    )
    written = 0
    for index, day in enumerate(_days()):
        if (day, 1) in stored:
            continue
        status = NEXT_WEEK.get(day, ShiftTask.Status.REPORTED)
        lines = _lines(section, day, workers, index)
        if lines:
            _walk(ctx, section, day, lines, status, dispatcher, master)
            written += 1
    ctx.say(f"  сменные задания участка {section}: {written} (ноябрь 2026)")


DEMO_STEPS = [step_shift_tasks]
