"""Writes of the shift tasks (operational-planning.md §5).

The task's life: the bureau (ПДБ) composes a section's task for a shift and issues it to
the master 3 days ahead (:func:`shift_task_create`, :func:`shift_items_save`,
:func:`shift_task_issue`); the master marks each item's workplace ready or not — work
order, documentation, material, tooling, tools (:func:`shift_task_check`). Anything not
ready returns the task to the bureau, which resolves it (says how, on the item) or
recomposes the task from what is available, and issues it again by the day before; the
master checks again and signs (:func:`shift_task_sign`). After the shift the master or the
dispatcher records each worker's good pieces and hours from the stubs
(:func:`shift_output_record`). A task whose shift will not run on it is cancelled by the
bureau, with a reason (:func:`shift_task_cancel`).

One source of truth: recorded output writes — in the same transaction — the section's
day (:class:`~planning.tracking.models.SectionDayOutput`: rhythmicity and the section's
actuals follow), the workers' month (:class:`~planning.tracking.models.MonthlyOutput`:
their personal plans' tracking follows) and the part's production of the day
(:class:`~planning.operational.models.PartProduction`: the kits follow). Every write is
tracked (who, when, what; the history of the task holds its items and outputs), and a
closed month refuses.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from enterprise import plausibility, versions
from enterprise.models import Section
from enterprise.money import NIL
from enterprise.permissions import require
from enterprise.plausibility import RowErrors
from enterprise.tracking import acting_as, assert_months_open
from planning.operational import rules
from planning.operational.models import (
    READINESS_FIELDS,
    ShiftOutput,
    ShiftTask,
    ShiftTaskItem,
)

from . import derive, selectors
from .selectors import Status

UNLIKELY_RATIO = Decimal(2)
"""Good pieces above twice the task's (or norm-hours above twice the hours) are asked."""
IMPOSSIBLE_RATIO = Decimal(10)
"""Ten times the task's pieces (or norm-hours ten times the hours) are refused."""
LONG_SHIFT_HOURS = Decimal(12)
"""A worker's hours on one shift's task above this (a shift and 4 h over) are asked."""
DAY_HOURS = Decimal(24)
"""No worker works more hours in a shift's task than a day holds."""

_CONCURRENT = _lazy(
    "Эту выработку только что записал другой пользователь: откройте задание заново."
)
OUTPUT_FIELDS = ("quantity", "hours_worked", "worker_id")
ITEM_FIELDS = [
    "route_operation",
    "worker",
    "quantity",
    "resolved_note",
    "not_ready_note",
    *READINESS_FIELDS,
]


def _lock(task: ShiftTask) -> ShiftTask:
    """The task's row locked (steps of one task go one by one), with its section."""
    return (
        ShiftTask.objects.select_for_update(of=("self",))
        .select_related("section__shop")
        .get(pk=task.pk)
    )


def _refuse_status(task: ShiftTask, *allowed: str) -> None:
    if task.status not in allowed:
        raise ValidationError(
            _("Задание в состоянии «%(status)s»: этот шаг сейчас невозможен.")
            % {"status": task.get_status_display()}
        )


def _open(task: ShiftTask) -> None:
    assert_months_open(task.period_keys())


def _reason(task: ShiftTask) -> str:
    return _("Сменное задание: %(task)s") % {"task": task}


# --- composing and issuing -------------------------------------------------------------------


@transaction.atomic
def shift_task_create(
    *,
    section: Section,
    date: datetime.date,
    shift: int,
    user,
    note: str = "",
    take_over_month: bool = False,
    confirmed: bool = False,
) -> ShiftTask:
    """A new task of the section's shift, a draft the bureau composes.

    A shift already gone by is asked again (``confirmed``): a task is composed days ahead,
    so a past date is most likely a slip of the calendar; backfilling a shift's output is
    what confirms it.

    Not the first task of a month kept by hand: a month with a task takes its days and its
    workers' output from the tasks, so the first task's stubs would replace a month of
    entered figures with one shift's (:func:`selectors.kept_by_hand`) — unless
    ``take_over_month`` says that is meant (the demo moves its month onto the tasks)."""
    require(user, "shift.issue", section)
    if not take_over_month and selectors.kept_by_hand(section, date):
        raise ValidationError(
            {
                "date": _(
                    "Выработка участка за этот месяц уже ведётся вручную (по дням или по "
                    "рабочим): выработка первого сменного задания заменила бы её. Начните "
                    "сменные задания со следующего месяца."
                )
            }
        )
    task = ShiftTask(
        enterprise_id=section.shop.enterprise_id,
        section=section,
        date=date,
        shift=shift,
        note=note,
    )
    task.full_clean()  # a taken shift or a closed month is refused here, before asking
    findings = plausibility.Findings(by_field=True)
    if date < timezone.localdate():
        findings.doubt(
            "date",
            _(
                "Смена %(date)s уже прошла: задание на неё составляют, только чтобы записать "
                "выработку задним числом. Проверьте дату."
            )
            % {"date": date.strftime("%d.%m.%Y")},
        )
    notes = findings.settle(confirmed=confirmed)
    with acting_as(user, plausibility.confirmed_reason(notes)):
        try:
            with transaction.atomic():
                task.save()
        except IntegrityError:
            raise ValidationError({"shift": _("Задание участку на эту смену уже есть.")}) from None
    return task


@dataclass(frozen=True)
class ItemRow:
    """A line of the task as the bureau composes it. ``pk`` None: a new line; ``delete``:
    remove the line. ``resolved_note``: how what was not ready is resolved."""

    key: object
    pk: int | None
    route_operation_id: int | None
    worker_id: int | None
    quantity: Decimal | None
    resolved_note: str = ""
    delete: bool = False


@transaction.atomic
def shift_items_save(*, task: ShiftTask, rows: Sequence[ItemRow], user) -> int:
    """Compose (a draft) or recompose (a returned task) the task's lines, all or none.

    An operation must be of a route through the task's section, a worker one of the
    section's employed on the day. A line changed in what it asks (operation, worker,
    pieces) is checked again by the master (its marks are cleared). Returns the number of
    lines written or removed; :class:`RowErrors` by row key."""
    task = _lock(task)
    require(user, "shift.issue", task.section)
    _refuse_status(task, Status.DRAFT, Status.RETURNED)
    _open(task)
    operations = {op.pk: op for op in selectors.operations_of(task.section).only("pk", "route_id")}
    workers = {worker.pk: worker for worker in selectors.workers_on(task.section, task.date)}
    stored = {item.pk: item for item in ShiftTaskItem.objects.filter(task=task)}
    errors: dict = defaultdict(list)
    to_create, to_update, to_delete = [], [], []
    for row in rows:
        item = stored.get(row.pk) if row.pk is not None else None
        if row.pk is not None and item is None:
            errors[row.key].append(_("Этой строки в задании уже нет: откройте задание заново."))
            continue
        if row.delete:
            if item is not None:
                to_delete.append(item.pk)
            continue
        if row.route_operation_id not in operations:
            errors[row.key].append(_("Выберите операцию маршрута этого участка."))
        if row.worker_id is not None and row.worker_id not in workers:
            errors[row.key].append(_("Рабочий не из этого участка (или не работает в этот день)."))
        if row.quantity is None or row.quantity <= 0:
            errors[row.key].append(_("Укажите задание в штуках, больше нуля."))
        if errors[row.key]:
            continue
        if item is None:
            item = ShiftTaskItem(task=task)
            target = to_create
        else:
            target = to_update
        asks = (row.route_operation_id, row.worker_id, row.quantity)
        if asks != (item.route_operation_id, item.worker_id, item.quantity):
            item.route_operation_id, item.worker_id, item.quantity = asks
            for name in READINESS_FIELDS:
                setattr(item, name, None)
            item.not_ready_note = ""
        item.resolved_note = row.resolved_note.strip()
        try:
            item.clean_fields(exclude=["task", "route_operation", "worker"])
        except ValidationError as error:
            errors[row.key].extend(error.messages)
            continue
        target.append(item)
    problems = {key: texts for key, texts in errors.items() if texts}
    if problems:
        raise RowErrors(problems, labelled=True)
    with acting_as(user, _reason(task)):
        if to_delete:
            ShiftTaskItem.objects.filter(pk__in=to_delete).delete()
        if to_create:
            ShiftTaskItem.objects.bulk_create(to_create)
        if to_update:
            ShiftTaskItem.objects.bulk_update(
                to_update,
                ITEM_FIELDS,
            )
    return len(to_create) + len(to_update) + len(to_delete)


def issue_problems(task: ShiftTask, items: Iterable[ShiftTaskItem]) -> list[str]:
    """Why the task cannot be issued now (nothing: it can)."""
    items = list(items)
    if not items:
        return [_("В задании нет ни одной строки.")]
    if task.status == Status.RETURNED:
        unresolved = [
            item for item in items if selectors.not_ready(item) and not item.resolved_note
        ]
        if unresolved:
            return [
                _(
                    "Не решено, чего не хватает, в строках: %(lines)s. Укажите, как решено, "
                    "или перестройте задание из того, что есть."
                )
                % {"lines": ", ".join(str(item.route_operation) for item in unresolved)}
            ]
    return []


@transaction.atomic
def shift_task_issue(*, task: ShiftTask, user, now: datetime.datetime | None = None) -> ShiftTask:
    """Hand the task to the master (a draft, or a returned task resolved or recomposed).
    A line marked not ready and resolved is checked again (its marks are cleared); the
    time of the first issue is kept (it is what the 3 days ahead are measured by)."""
    task = _lock(task)
    require(user, "shift.issue", task.section)
    _refuse_status(task, Status.DRAFT, Status.RETURNED)
    _open(task)
    items = list(ShiftTaskItem.objects.filter(task=task).select_related("route_operation"))
    if problems := issue_problems(task, items):
        raise ValidationError(problems)
    recheck = [item for item in items if selectors.not_ready(item)]
    for item in recheck:
        for name in READINESS_FIELDS:
            setattr(item, name, None)
    with acting_as(user, _reason(task)):
        if recheck:
            ShiftTaskItem.objects.bulk_update(recheck, list(READINESS_FIELDS))
        task.status = Status.ISSUED
        if task.issued_at is None:
            task.issued_at, task.issued_by = now or timezone.now(), user
        task.full_clean()
        task.save()
    return task


# --- the master: readiness and signature -------------------------------------------------------


@transaction.atomic
def shift_task_check(
    *,
    task: ShiftTask,
    marks: dict[int, dict[str, bool]],
    notes: dict[int, str] | None = None,
    user,
    now: datetime.datetime | None = None,
) -> ShiftTask:
    """The master's readiness of every line (each of :data:`READINESS_FIELDS` True or
    False; ``notes`` — what is missing). All ready: the task is ready to sign; anything
    not ready returns it to the bureau."""
    task = _lock(task)
    require(user, "shift.check", task.section)
    _refuse_status(task, Status.ISSUED)
    _open(task)
    notes = notes or {}
    items = list(ShiftTaskItem.objects.filter(task=task).select_related("route_operation"))
    errors: dict = {}
    for item in items:
        given = marks.get(item.pk)
        if given is None or any(name not in given for name in READINESS_FIELDS):
            errors[item.pk] = [
                _("%(line)s: отметьте готовность по каждому пункту.")
                % {"line": item.route_operation}
            ]
            continue
        for name in READINESS_FIELDS:
            setattr(item, name, bool(given[name]))
        item.not_ready_note = (notes.get(item.pk) or "").strip()
        if not selectors.not_ready(item):
            item.not_ready_note = ""
    if errors:
        raise RowErrors(errors, labelled=True)
    returned = any(selectors.not_ready(item) for item in items)
    with acting_as(user, _reason(task)):
        ShiftTaskItem.objects.bulk_update(items, [*READINESS_FIELDS, "not_ready_note"])
        task.status = Status.RETURNED if returned else Status.READY
        task.checked_at, task.checked_by = now or timezone.now(), user
        task.full_clean()
        task.save()
    return task


@transaction.atomic
def shift_task_sign(*, task: ShiftTask, user, now: datetime.datetime | None = None) -> ShiftTask:
    """The master signs the ready task: at the shift's start all is at the workplaces."""
    task = _lock(task)
    require(user, "shift.check", task.section)
    _refuse_status(task, Status.READY)
    _open(task)
    with acting_as(user, _reason(task)):
        task.status = Status.SIGNED
        task.signed_at, task.signed_by = now or timezone.now(), user
        task.full_clean()
        task.save()
    return task


CANCELLABLE = (Status.DRAFT, Status.ISSUED, Status.RETURNED, Status.READY, Status.SIGNED)
"""Every state before the output is recorded: a task with output is corrected, not
cancelled (its output is the workers' pay)."""


@transaction.atomic
def shift_task_cancel(
    *, task: ShiftTask, reason: str, user, now: datetime.datetime | None = None
) -> ShiftTask:
    """The bureau cancels a task whose shift will not run on it (the shift called off, the
    work moved): the task stays, with who cancelled it, when and why; its shift is free
    for a new task. Its month then closes without waiting for it."""
    task = _lock(task)
    require(user, "shift.issue", task.section)
    _refuse_status(task, *CANCELLABLE)
    _open(task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину отмены задания.")})
    with acting_as(user, _reason(task)):
        task.status = Status.CANCELLED
        task.cancelled_at, task.cancelled_by, task.cancel_reason = (
            now or timezone.now(),
            user,
            reason,
        )
        task.full_clean()
        task.save()
    return task


# --- output from the stubs -------------------------------------------------------------------


@dataclass(frozen=True)
class OutputRow:
    """A stub as entered: the line, who made it, good pieces and hours (both None: no
    output on this line — a recorded one is removed)."""

    item_id: int
    worker_id: int | None
    quantity: Decimal | None
    hours_worked: Decimal | None

    @property
    def clears(self) -> bool:
        return self.quantity is None and self.hours_worked is None


@dataclass
class RecordResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def output_version(outputs: Iterable[ShiftOutput]) -> str:
    """The version of a task's recorded output a page shows (:mod:`enterprise.versions`)."""
    return versions.stamp((outputs, OUTPUT_FIELDS))


EMPTY_LINE = _lazy(
    "По этой строке выработка не записана: задание будет отмечено выполненным без неё. "
    "Если по ней не работали, подтвердите."
)


def _ask_about_empty_lines(findings, items: dict, recorded: set[int]) -> list[int]:
    """The task's first report with lines left without output asks about each (returned):
    a stub forgotten at the end of a shift would otherwise report the task done without
    it. The lines that were not worked are confirmed as such, and the history names them
    (:func:`shift_output_record`)."""
    empty = sorted(items.keys() - recorded)
    for item_id in empty:
        findings.doubt(item_id, str(EMPTY_LINE))
    return empty


def _check_outputs(findings, items: dict, written: list[ShiftOutput]) -> None:
    """Impossible figures refused, unlikely ones asked (:mod:`enterprise.plausibility`)."""
    per_worker: dict[int, Decimal] = defaultdict(lambda: NIL)
    for output in written:
        per_worker[output.worker_id] += output.hours_worked
    for output in written:
        item = items[output.item_id]
        key = output.item_id
        values = {
            "made": plausibility.num(output.quantity, 0),
            "task": plausibility.num(item.quantity, 0),
        }
        if output.quantity > 0 and output.hours_worked <= 0:
            findings.refuse(
                key, _("Годных %(made)s шт. без отработанных часов: укажите часы.") % values
            )
            continue
        if output.quantity > item.quantity * IMPOSSIBLE_RATIO:
            findings.refuse(
                key,
                _("Годных %(made)s шт. при задании %(task)s шт.: так не бывает. Проверьте цифру.")
                % values,
            )
        elif output.quantity > item.quantity * UNLIKELY_RATIO:
            findings.doubt(
                key,
                _("Годных %(made)s шт. — больше чем вдвое против задания %(task)s шт.: "
                  "проверьте цифру и подтвердите её.") % values,
            )  # fmt: skip
        if output.hours_worked > 0:
            pace = output.norm_hours / output.hours_worked
            pace_values = {"nh": plausibility.num(output.norm_hours, 2),
                           "h": plausibility.num(output.hours_worked)}  # fmt: skip
            if pace > IMPOSSIBLE_RATIO:
                findings.refuse(
                    key,
                    _("%(nh)s нормо-ч за %(h)s ч — больше чем в десять раз выше нормы: "
                      "так не бывает.") % pace_values,
                )  # fmt: skip
            elif pace > UNLIKELY_RATIO:
                findings.doubt(
                    key,
                    _("%(nh)s нормо-ч за %(h)s ч — норма выполнена больше чем вдвое: "
                      "проверьте и подтвердите.") % pace_values,
                )  # fmt: skip
        total = per_worker[output.worker_id]
        hours = {"hours": plausibility.num(total), "worker": output.worker.short_name}
        if total > DAY_HOURS:
            findings.refuse(
                key, _("%(worker)s: %(hours)s ч за смену — больше, чем в сутках.") % hours
            )
        elif total > LONG_SHIFT_HOURS:
            findings.doubt(
                key,
                _("%(worker)s: %(hours)s ч за смену — смена и больше 4 ч сверх неё: "
                  "проверьте и подтвердите.") % hours,
            )  # fmt: skip


@transaction.atomic
def shift_output_record(
    *,
    task: ShiftTask,
    rows: Sequence[OutputRow],
    user,
    version: str = "",
    confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> RecordResult:
    """Record the task's output from its stubs — every line or none — and derive from it
    the section's day, the workers' months and the parts' production (see the module).

    The task must be signed (or reported: a correction); the shift must have begun; the
    month must be open. A line's worker is the item's, or — for a line without one — one
    of the section's employed on the day. ``version``: the task's recorded output when the
    page was drawn (:func:`output_version`)."""
    task = _lock(task)
    require(user, "shift.output", task.section)
    _refuse_status(task, Status.SIGNED, Status.REPORTED)
    _open(task)
    now = now or timezone.now()
    start = rules.shift_start(task.date, task.shift)
    local_now = timezone.localtime(now).replace(tzinfo=None) if timezone.is_aware(now) else now
    if local_now < start:
        raise ValidationError(
            _("Смена начнётся %(start)s: выработку записывают после смены.")
            % {"start": start.strftime("%d.%m.%Y %H:%M")}
        )
    items = {
        item.pk: item
        for item in ShiftTaskItem.objects.filter(task=task).select_related(
            "route_operation__route__part", "worker"
        )
    }
    for item in items.values():
        item.task = task  # one task for all (its name is in every line's history)
    stored = {
        output.item_id: output
        for output in ShiftOutput.objects.select_for_update(of=("self",))
        .filter(item__task=task)
        .select_related("worker")
    }
    for output in stored.values():
        output.item = items[output.item_id]  # its task, operation and worker read once
    shown = [copy.copy(output) for output in stored.values()]  # as read, for the version
    workers = {worker.pk: worker for worker in selectors.workers_on(task.section, task.date)}
    errors: dict = defaultdict(list)
    result = RecordResult()
    to_create, to_update, to_delete, written = [], [], [], []
    touched_workers: set[int] = set()
    seen: set[int] = set()
    for row in rows:
        item = items.get(row.item_id)
        if item is None:
            errors[row.item_id].append(_("Этой строки в задании нет."))
            continue
        if row.item_id in seen:
            errors[row.item_id].append(_("Строка задания указана дважды."))
            continue
        seen.add(row.item_id)
        output = stored.get(item.pk)
        if row.clears:
            if output is not None:
                to_delete.append(output)
                touched_workers.add(output.worker_id)
            else:
                result.unchanged += 1
            continue
        worker_id = item.worker_id or row.worker_id
        worker = workers.get(worker_id) if worker_id else None
        if worker is None and item.worker is not None and item.worker_id == worker_id:
            worker = item.worker
        if worker is None:
            errors[row.item_id].append(_("Укажите рабочего участка, работавшего в этот день."))
            continue
        if row.quantity is None or row.hours_worked is None:
            errors[row.item_id].append(_("Укажите и годные штуки, и отработанные часы."))
            continue
        norm_hours = rules.output_norm_hours(row.quantity, item.route_operation.piece_hours)
        values = {
            "worker_id": worker.pk,
            "quantity": row.quantity,
            "hours_worked": row.hours_worked,
            "norm_hours": norm_hours,
        }
        if output is None:
            output = ShiftOutput(item=item, recorded_by=user, recorded_at=now, **values)
            target = to_create
        elif all(getattr(output, name) == value for name, value in values.items()):
            result.unchanged += 1
            continue
        else:
            touched_workers.add(output.worker_id)
            for name, value in values.items():
                setattr(output, name, value)
            output.recorded_by, output.recorded_at = user, now
            target = to_update
        output.worker = worker
        try:
            output.clean_fields(exclude=["item", "worker", "recorded_by"])
        except ValidationError as error:
            errors[row.item_id].extend(error.messages)
            continue
        touched_workers.add(worker.pk)
        target.append(output)
        written.append(output)
    problems = {key: texts for key, texts in errors.items() if texts}
    if problems:
        raise RowErrors(problems, labelled=True)
    if not (to_create or to_update or to_delete):
        # The same stubs again (a resent page, a double click): nothing to write.
        result.unchanged = len(rows)
        return result
    # Written over what someone else recorded since the page was drawn: say who and what.
    versions.check(version, (shown, OUTPUT_FIELDS))
    # The hours of a worker's whole shift: the lines not rewritten count too.
    rewritten = {output.item_id for output in (*written, *to_delete)}
    kept = [output for output in stored.values() if output.item_id not in rewritten]
    findings = plausibility.Findings()
    _check_outputs(
        findings, items, [*written, *[o for o in kept if o.worker_id in touched_workers]]
    )
    findings.impossible = {k: v for k, v in findings.impossible.items() if k in rewritten}
    findings.unlikely = defaultdict(
        list, {k: v for k, v in findings.unlikely.items() if k in rewritten}
    )
    empty = []
    if task.status == Status.SIGNED:
        empty = _ask_about_empty_lines(findings, items, {o.item_id for o in (*written, *kept)})
    notes = findings.settle(confirmed=confirmed)
    reason = plausibility.confirmed_reason(
        [note for note in notes if note != str(EMPTY_LINE)], _reason(task)
    )
    if empty:  # the lines confirmed empty, named once (each row of the save carries it)
        lines = "; ".join(items[item_id].line_label() for item_id in empty)
        reason += ". " + _("Подтверждено без выработки: %(lines)s") % {"lines": lines}
    with acting_as(user, reason):
        if to_delete:
            ShiftOutput.objects.filter(pk__in=[output.pk for output in to_delete]).delete()
        if to_create:
            try:
                with transaction.atomic():
                    ShiftOutput.objects.bulk_create(to_create)
            except IntegrityError:
                raise ValidationError(_CONCURRENT) from None
        if to_update:
            ShiftOutput.objects.bulk_update(
                to_update,
                ["worker", "quantity", "hours_worked", "norm_hours", "recorded_by", "recorded_at"],
            )
        task.status = Status.REPORTED
        task.reported_at, task.reported_by = now, user
        task.save()
        routes = {item.route_operation.route for item in items.values()}
        derive.derive(task=task, worker_ids=touched_workers, routes=routes)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)
    return result
