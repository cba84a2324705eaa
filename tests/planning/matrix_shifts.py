"""Permission-matrix rows of the shift-task pages (``planning/operational/shifts/urls.py``).

Who may do what (``planning/permissions.py``): ``shift.view`` — the master of the section,
the shop's head, dispatcher and economist, the plant's labour & wages department,
production head, deputy director and administrator; ``shift.issue`` — the dispatcher (the
bureau, ПДБ: composes, issues and cancels); ``shift.check`` — the master (readiness and
signature); ``shift.output`` — the master and the dispatcher.

The objects: a section and a month as one tuple (the month's page takes both; «A1,
September» is a closed month: shown, a new task refused with a message); tasks of A1 in
each state the steps need (a draft, one issued to the master, one signed), a draft of A2,
of B1 and of the other plant.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from enterprise.models import Period

OBJECTS = frozenset(
    {
        "shifts: A1, October",
        "shifts: A1, September (closed)",
        "shifts: A2, October",
        "shifts: B1, October",
        "shifts: other plant, October",
        "shift task: A1 draft",
        "shift task: A1 issued",
        "shift task: A1 signed",
        "shift task: A2 draft",
        "shift task: B1 draft",
        "shift task: other plant draft",
    }
)

DAY = datetime.date(2026, 10, 12)


def _task(section, worker, status, day=DAY, shift=1):
    """A task of ``section`` with one line (a part's one operation) in ``status``."""
    from planning.operational.models import Part, Route, RouteOperation, ShiftTask, ShiftTaskItem

    enterprise = section.shop.enterprise
    part, _ = Part.objects.get_or_create(
        enterprise=enterprise,
        number=f"М-{section.pk}",
        defaults={"name": "Валик", "assembly_shop": section.shop, "daily_need": 1},
    )
    route, _ = Route.objects.get_or_create(
        part=part, section=section, defaults={"batch_size": 10, "monthly_output": Decimal(100)}
    )
    operation, _ = RouteOperation.objects.get_or_create(
        route=route, number=1, defaults={"name": "Токарная", "piece_hours": Decimal("0.5")}
    )
    task = ShiftTask.objects.create(
        enterprise=enterprise, section=section, date=day, shift=shift, status=status
    )
    ready = status == ShiftTask.Status.SIGNED
    flags = dict.fromkeys(("work_order", "documentation", "material", "tooling", "tools"), ready)
    if status == ShiftTask.Status.DRAFT or status == ShiftTask.Status.ISSUED:
        flags = dict.fromkeys(flags)
    ShiftTaskItem.objects.create(
        task=task, route_operation=operation, worker=worker, quantity=Decimal(10), **flags
    )
    return task


def objects(world) -> dict:
    from planning.operational.models import ShiftTask

    Status = ShiftTask.Status
    other_october, _ = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )
    october, september = world.period(2026, 10), world.period(2026, 9)
    units, workers = world.units, world.workers
    return {
        "shifts: A1, October": (units["A1"], october),
        "shifts: A1, September (closed)": (units["A1"], september),
        "shifts: A2, October": (units["A2"], october),
        "shifts: B1, October": (units["B1"], october),
        "shifts: other plant, October": (units["other_section"], other_october),
        "shift task: A1 draft": _task(units["A1"], workers["A1"][1], Status.DRAFT, shift=1),
        "shift task: A1 issued": _task(units["A1"], workers["A1"][1], Status.ISSUED, shift=2),
        "shift task: A1 signed": _task(units["A1"], workers["A1"][1], Status.SIGNED, shift=3),
        "shift task: A2 draft": _task(units["A2"], workers["A2"][0], Status.DRAFT),
        "shift task: B1 draft": _task(units["B1"], workers["B1"][0], Status.DRAFT),
        "shift task: other plant draft": _task(
            units["other_section"], world.other_worker, Status.DRAFT
        ),
    }


def _rows():
    from tests.permission_matrix import BACK, LOGIN, get, post

    L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
    # October is gone by: a new task of it is asked again, then created when confirmed.
    NEW_TASK = {"date": "2026-10-20", "shift": "1", "confirm": "1"}
    # fmt: off
    return [
        # url name, object,                             anon wrk brg mst shp dsp eco lab prh dep adm
        # Where the tasks are: shift.view.
        get("planning:shifts", None,                    L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        # A section's month: shift.view within the unit; the dispatcher creates a task
        # (and goes on to compose it); a closed month says why not and goes back.
        get("planning:shift_month", "shifts: A1, October",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_month", "shifts: A1, September (closed)",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_month", "shifts: A2, October",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_month", "shifts: B1, October",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:shift_month", "shifts: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_month", "shifts: A1, October",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF,
             data={"date": "2026-10-20", "shift": "1"}),
        post("planning:shift_month", "shifts: A1, October",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF,
             data=NEW_TASK),
        post("planning:shift_month", "shifts: A1, September (closed)",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF,
             data={"date": "2026-09-14", "shift": "1"}),
        post("planning:shift_month", "shifts: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=NEW_TASK),
        # A task: shift.view within the unit.
        get("planning:shift_task", "shift task: A1 draft",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_task", "shift task: A1 issued",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_task", "shift task: A2 draft",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_task", "shift task: B1 draft",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:shift_task", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Composing the lines: the bureau (the shop's dispatcher); once the task is with
        # the master its lines are shown, and a POST says why not and goes back.
        get("planning:shift_task_items", "shift task: A1 draft",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF),
        get("planning:shift_task_items", "shift task: A1 signed",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF),
        get("planning:shift_task_items", "shift task: B1 draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:shift_task_items", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_task_items", "shift task: A1 signed",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF,
             data={"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}),
        post("planning:shift_task_items", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data={"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}),
        # Issuing: the dispatcher, POST only; first the confirmation page, then the step.
        get("planning:shift_task_issue", "shift task: A1 draft",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:shift_task_issue", "shift task: A1 draft",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF),
        post("planning:shift_task_issue", "shift task: A1 draft",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF,
             data={"confirm": "1"}),
        post("planning:shift_task_issue", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data={"confirm": "1"}),
        # The master's readiness marks and signature: the master of the section.
        get("planning:shift_task_check", "shift task: A1 issued",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:shift_task_check", "shift task: A1 issued",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_task_check", "shift task: A2 draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_task_check", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:shift_task_sign", "shift task: A1 issued",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:shift_task_sign", "shift task: A1 issued",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_task_sign", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Cancelling: the dispatcher; no reason — the task's page with the error at the
        # field; a reason — the confirmation; confirmed — the step. A GET (the address of a
        # refused cancellation, reloaded) goes back to the task.
        get("planning:shift_task_cancel", "shift task: A1 draft",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF),
        post("planning:shift_task_cancel", "shift task: A1 draft",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF),
        post("planning:shift_task_cancel", "shift task: A1 issued",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF,
             data={"reason": "Смену отменили"}),
        post("planning:shift_task_cancel", "shift task: A1 signed",
                                                        L,  NF, NF, NF, NF, BK, NF, NF, NF, NF, NF,
             data={"reason": "Смену отменили", "confirm": "1"}),
        post("planning:shift_task_cancel", "shift task: B1 draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data={"reason": "Смену отменили", "confirm": "1"}),
        post("planning:shift_task_cancel", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data={"reason": "Смену отменили", "confirm": "1"}),
        # Output from the stubs: the master and the dispatcher; a blank form writes
        # nothing and goes on to the day's report.
        get("planning:shift_output", "shift task: A1 signed",
                                                        L,  NF, NF, ok, NF, ok, NF, NF, NF, NF, NF),
        get("planning:shift_output", "shift task: A2 draft",
                                                        L,  NF, NF, NF, NF, ok, NF, NF, NF, NF, NF),
        get("planning:shift_output", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:shift_output", "shift task: A1 signed",
                                                        L,  NF, NF, BK, NF, BK, NF, NF, NF, NF, NF),
        post("planning:shift_output", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # The day's output report (and its PDF): shift.view within the unit.
        get("planning:shift_report", "shift task: A1 signed",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_report", "shift task: B1 draft",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:shift_report", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:shift_report_pdf", "shift task: A1 signed",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:shift_report_pdf", "shift task: other plant draft",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ]
    # fmt: on


def __getattr__(name):
    if name == "ROWS":
        return _rows()
    raise AttributeError(name)
