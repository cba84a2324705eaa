"""Reads of the shift tasks (§5): a section's month of tasks, a task with its items and
recorded output, the day's output report, the late steps, and which sections and workers
have their output derived from the tasks (so that it is not entered twice).

Units: a section's day and a worker's month are counted in the unit of the section's task
and of the worker's plan; the tasks give norm-hours (each output's pieces × its piece
time) and pieces (a part's pieces off the last operation of its route on the section, or
a worker's good pieces). Norm-rubles need a rate the task does not carry: such a unit is
not derived (:func:`derived_unit` gives None) and stays entered by hand.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.closing import OpenItem
from enterprise.models import Period, Section, Worker
from enterprise.money import NIL
from planning.operational import rules
from planning.operational.models import (
    READINESS_FIELDS,
    RouteOperation,
    ShiftOutput,
    ShiftTask,
    ShiftTaskItem,
)
from planning.plans.models import OutputUnit, SectionTask
from planning.tracking.models import MonthlyOutput, SectionDayOutput
from planning.tracking.selectors import plans_of_workers

Status = ShiftTask.Status
NORM_HOURS, PIECES = "norm_hours", "pieces"


def derived_unit(output_unit: str | None) -> str | None:
    """What the tasks give for a plan's or a section task's unit: norm-hours for the
    labour-intensity and norm-hour units (and when no unit is set: the default one),
    pieces for natural units, None (not derived) for norm-rubles."""
    if output_unit in (None, "", OutputUnit.LABOUR_INTENSITY, OutputUnit.NORM_HOURS):
        return NORM_HOURS
    if output_unit == OutputUnit.NATURAL:
        return PIECES
    return None


def section_unit(section_id: int, year: int) -> str | None:
    """The derived unit of a section's year (its task's unit)."""
    unit = (
        SectionTask.objects.filter(section_id=section_id, year=year)
        .values_list("output_unit", flat=True)
        .first()
    )
    return derived_unit(unit)


# --- late steps ----------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


@dataclass(frozen=True)
class Lateness:
    """The late steps of a task (§5): not issued 3 days ahead, not checked 20 hours before
    the shift. A step not done yet is late once its due time has passed."""

    issue_due: datetime.date
    check_due: datetime.datetime
    issued_late: bool
    checked_late: bool

    @property
    def any(self) -> bool:
        return self.issued_late or self.checked_late


def lateness(task: ShiftTask, now: datetime.datetime | None = None) -> Lateness:
    """A cancelled task is late for nothing: its shift did not run on it."""
    now = _local(now or timezone.now())
    issue_due = rules.issue_deadline(task.date)
    check_due = rules.check_deadline(rules.shift_start(task.date, task.shift))
    if task.status == Status.CANCELLED:
        return Lateness(issue_due, check_due, False, False)
    issued = _local(task.issued_at)
    checked = _local(task.checked_at)
    issued_late = (issued.date() if issued else now.date()) > issue_due
    checked_late = (checked or now) > check_due
    return Lateness(issue_due, check_due, issued_late, checked_late)


# --- a section's month ---------------------------------------------------------------------


def month_tasks(section: Section, period: Period) -> list[ShiftTask]:
    """The section's tasks of the month, by date and shift, with their item and output
    counts (``item_count``, ``output_count``) and late marks (``late``). One query."""
    from django.db.models import Count

    tasks = list(
        ShiftTask.objects.filter(section=section, date__range=(period.start, period.end))
        .annotate(
            item_count=Count("items", distinct=True),
            output_count=Count("items__outputs", distinct=True),
        )
        .order_by("date", "shift")
    )
    now = timezone.now()
    for task in tasks:
        task.section = section
        task.late = lateness(task, now)
    return tasks


@dataclass
class Decades:
    """The section's month by decade: planned by the tasks, recorded (the section's days),
    and the rhythmicity (operational-planning.md §1)."""

    unit: str | None
    planned: list[Decimal] = field(default_factory=lambda: [NIL, NIL, NIL])
    actual: list[Decimal] = field(default_factory=lambda: [NIL, NIL, NIL])

    @property
    def rhythmicity(self) -> Decimal | None:
        if not any(self.planned) or not any(self.actual):
            return None
        return rules.rhythmicity(self.planned, self.actual)


def last_operations(route_ids: Iterable[int]) -> dict[int, int]:
    """Route id → the number of its last operation (the one whose pieces leave the section)."""
    return dict(
        RouteOperation.objects.filter(route_id__in=set(route_ids))
        .values_list("route_id")
        .annotate(last=Max("number"))
        .order_by()
    )


def month_decades(section: Section, period: Period) -> Decades:
    """Planned (the items of the tasks not cancelled) and recorded (the section's days)
    output by decade, in the section's unit. Three queries."""
    unit = section_unit(section.pk, period.year)
    decades = Decades(unit=unit)
    if unit is None:
        return decades
    items = list(
        ShiftTaskItem.objects.filter(
            task__section=section, task__date__range=(period.start, period.end)
        )
        .exclude(task__status=Status.CANCELLED)
        .values_list(
            "task__date",
            "quantity",
            "route_operation__piece_hours",
            "route_operation__number",
            "route_operation__route_id",
        )
    )
    last = last_operations(route for *_, route in items) if unit == PIECES else {}
    for day, quantity, piece_hours, number, route in items:
        index = rules.decade_index(day.day)
        if unit == NORM_HOURS:
            decades.planned[index] += quantity * piece_hours
        elif last.get(route) == number:
            decades.planned[index] += quantity
    for day, output in SectionDayOutput.objects.filter(
        section=section, date__range=(period.start, period.end)
    ).values_list("date", "output"):
        decades.actual[rules.decade_index(day.day)] += output
    return decades


# --- one task ------------------------------------------------------------------------------


def task_for_page(pk: int, user) -> ShiftTask:
    """The task (raises DoesNotExist outside the user's scope) with its section and shop."""
    return (
        ShiftTask.objects.visible_to(user)
        .select_related("section__shop__enterprise", "issued_by", "checked_by", "signed_by")
        .select_related("reported_by")
        .get(pk=pk)
    )


def task_items(task: ShiftTask) -> list[ShiftTaskItem]:
    """The task's items with operation, route, part, worker and recorded outputs. Two
    queries."""
    return list(
        ShiftTaskItem.objects.filter(task=task)
        .select_related(
            "route_operation__route__part", "worker__profession", "route_operation__route"
        )
        .prefetch_related(
            Prefetch("outputs", queryset=ShiftOutput.objects.select_related("worker"))
        )
        .order_by("pk")
    )


def not_ready(item: ShiftTaskItem) -> list[str]:
    """The readiness fields of an item marked not ready."""
    return [name for name in READINESS_FIELDS if getattr(item, name) is False]


def operations_of(section: Section):
    """The route operations of the section, to compose a task from."""
    return (
        RouteOperation.objects.filter(route__section=section)
        .select_related("route__part")
        .order_by("route__part__number", "number")
    )


def workers_on(section: Section, day: datetime.date):
    """The section's workers employed on ``day``."""
    return (
        Worker.objects.filter(section=section, hire_date__lte=day)
        .filter(Q(dismissal_date__isnull=True) | Q(dismissal_date__gte=day))
        .order_by("last_name", "first_name", "personnel_number")
    )


# --- the daily output report ---------------------------------------------------------------


@dataclass
class ReportLine:
    worker: Worker
    part: str
    operation: str
    planned: Decimal
    made: Decimal
    norm_hours: Decimal
    hours_worked: Decimal
    shift: int

    @property
    def percent(self) -> Decimal | None:
        return self.made / self.planned * 100 if self.planned else None


@dataclass
class DayReport:
    """The section's output of a day (all its shifts), worker by worker, from the stubs."""

    section: Section
    date: datetime.date
    tasks: list[ShiftTask]
    lines: list[ReportLine]

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), NIL)

    @property
    def made(self) -> Decimal:
        return sum((line.made for line in self.lines), NIL)

    @property
    def norm_hours(self) -> Decimal:
        return sum((line.norm_hours for line in self.lines), NIL)

    @property
    def hours_worked(self) -> Decimal:
        return sum((line.hours_worked for line in self.lines), NIL)


def day_report(section: Section, day: datetime.date) -> DayReport:
    """The day's output report of the section (its cancelled tasks planned nothing). Two
    queries."""
    tasks = list(
        ShiftTask.objects.filter(section=section, date=day)
        .exclude(status=Status.CANCELLED)
        .order_by("shift")
    )
    items = (
        ShiftTaskItem.objects.filter(task__in=tasks)
        .select_related("route_operation__route__part", "worker", "task")
        .prefetch_related(
            Prefetch("outputs", queryset=ShiftOutput.objects.select_related("worker"))
        )
        .order_by("task__shift", "pk")
    )
    lines = []
    for item in items:
        operation = item.route_operation
        outputs = list(item.outputs.all())
        for output in outputs or [None]:
            worker = output.worker if output else item.worker
            if worker is None:
                continue
            lines.append(
                ReportLine(
                    worker=worker,
                    part=f"{operation.route.part.number} {operation.route.part.name}",
                    operation=f"{operation.number}. {operation.name}",
                    planned=item.quantity,
                    made=output.quantity if output else NIL,
                    norm_hours=output.norm_hours if output else NIL,
                    hours_worked=output.hours_worked if output else NIL,
                    shift=item.task.shift,
                )
            )
    lines.sort(key=lambda line: (line.worker.last_name, line.worker.first_name, line.shift))
    return DayReport(section=section, date=day, tasks=tasks, lines=lines)


# --- where output is derived from the tasks (no double entry) ------------------------------


def shift_run_sections(section_ids: Iterable[int], period: Period) -> set[int]:
    """The sections among ``section_ids`` that run on shift tasks in ``period`` (have a
    task dated in it): their days and their workers' month are the tasks' output. One
    query."""
    return set(
        ShiftTask.objects.filter(
            section_id__in=set(section_ids), date__range=(period.start, period.end)
        )
        .values_list("section_id", flat=True)
        .distinct()
    )


def kept_by_hand(section: Section, day: datetime.date) -> bool:
    """Is the section's month of ``day`` kept by hand — days or workers' output entered,
    and no shift task in it yet? Its first task would make the month the tasks' and replace
    what was entered (:func:`shift_run_sections`). A few queries."""
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    if ShiftTask.objects.filter(section=section, date__range=(start, end)).exists():
        return False
    if SectionDayOutput.objects.filter(section=section, date__range=(start, end)).exists():
        return True
    return MonthlyOutput.objects.filter(
        worker__section=section, period__year=day.year, period__month=day.month
    ).exists()


def derived_worker_months(pairs: Iterable[tuple[Worker, Period]]) -> set[tuple[int, int]]:
    """(worker id, period id) of the pairs whose monthly output the tasks give: the worker
    has output recorded on a task of that month, or his section runs on tasks in it — and
    his plan's unit is one the tasks give (:func:`derived_unit`). A few queries a month."""
    by_period: dict[int, tuple[Period, list[Worker]]] = {}
    for worker, period in pairs:
        by_period.setdefault(period.pk, (period, []))[1].append(worker)
    derived = set()
    for period, workers in by_period.values():
        ids = {worker.pk for worker in workers}
        running = shift_run_sections({worker.section_id for worker in workers}, period)
        recorded = set(
            ShiftOutput.objects.filter(
                worker_id__in=ids,
                item__task__date__range=(period.start, period.end),
            )
            .values_list("worker_id", flat=True)
            .distinct()
        )
        candidates = {
            worker.pk for worker in workers if worker.section_id in running or worker.pk in recorded
        }
        if not candidates:
            continue
        plans = plans_of_workers(sorted(candidates), period.year)
        for worker_id in candidates:
            plan = plans.get(worker_id)
            if derived_unit(plan.output_unit if plan else None) is not None:
                derived.add((worker_id, period.pk))
    return derived


def worker_month_figures(
    worker_ids: Iterable[int], period: Period
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Worker id → (norm-hours, good pieces, hours worked) on the tasks of the month. One
    query."""
    rows = (
        ShiftOutput.objects.filter(
            worker_id__in=set(worker_ids), item__task__date__range=(period.start, period.end)
        )
        .values_list("worker_id", "norm_hours", "quantity", "hours_worked")
        .order_by()
    )
    result: dict[int, list[Decimal]] = defaultdict(lambda: [NIL, NIL, NIL])
    for worker_id, norm_hours, quantity, hours in rows:
        figures = result[worker_id]
        figures[0] += norm_hours
        figures[1] += quantity
        figures[2] += hours
    return {key: tuple(value) for key, value in result.items()}


# --- the month's close (enterprise.closing) ------------------------------------------------

_FINISHED = (Status.REPORTED, Status.CANCELLED)


def _of_month(period: Period):
    return ShiftTask.objects.filter(
        enterprise_id=period.enterprise_id, date__range=(period.start, period.end)
    )


def open_in(period: Period) -> list:
    """The month's tasks neither reported nor cancelled: a signed one's output is not in
    its workers' month yet, the others were never carried out (by section, day, shift)."""
    tasks = (
        _of_month(period)
        .exclude(status__in=_FINISHED)
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "date", "shift")
    )
    return [
        OpenItem(
            pk=task.pk,
            label=_("%(date)s, смена %(shift)s")
            % {"date": task.date.strftime("%d.%m.%Y"), "shift": task.shift},
            unit=_("цех № %(shop)s, участок № %(section)s")
            % {"shop": task.section.shop.number, "section": task.section.number},
            status=task.get_status_display(),
            url=reverse("planning:shift_task", args=[task.pk]),
        )
        for task in tasks
    ]


def finished_in(period: Period) -> int:
    """The month's tasks whose output is recorded, or cancelled."""
    return _of_month(period).filter(status__in=_FINISHED).count()
