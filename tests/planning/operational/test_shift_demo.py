"""The demo's shift tasks: section 6.2's November on tasks — its days, its turners' month
and the journal's lines come from the recorded output, the next week's tasks are in every
state, and a second load writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord, Section
from planning.operational.models import PartProduction, ShiftOutput, ShiftTask
from planning.operational.shifts import selectors
from planning.tracking.models import MonthlyOutput, SectionDayOutput

D = Decimal
Status = ShiftTask.Status


@pytest.fixture
def turning(loaded_demo):
    plant = Enterprise.objects.get(name=demo.ENTERPRISE_NAME)
    return Section.objects.get(shop__enterprise=plant, shop__number=6, number=2)


def test_section_6_2_runs_november_on_shift_tasks(turning):
    tasks = ShiftTask.objects.filter(section=turning)
    reported = tasks.filter(status=Status.REPORTED)
    assert reported.count() == 14  # 2–20 November, the 4th a holiday
    states = dict(tasks.filter(date__gte=datetime.date(2026, 11, 23)).values_list("date", "status"))
    assert sorted(states.values()) == sorted(
        [Status.SIGNED, Status.READY, Status.RETURNED, Status.ISSUED, Status.DRAFT]
    )
    late = tasks.get(date=datetime.date(2026, 11, 10))
    assert selectors.lateness(late).issued_late
    assert not selectors.lateness(tasks.get(date=datetime.date(2026, 11, 9))).issued_late
    # One source: each recorded day is the sum of its stubs' norm-hours ...
    for task in reported:
        stubs = ShiftOutput.objects.filter(item__task=task).aggregate(s=Sum("norm_hours"))["s"]
        day = SectionDayOutput.objects.get(section=turning, date=task.date)
        assert day.output == stubs.quantize(D("0.001"))
    # ... each turner's November the sum of his, and the journal the last operations'.
    november = reported.first().date.replace(day=1)
    for worker_id, total in (
        ShiftOutput.objects.filter(item__task__in=reported)
        .values_list("worker_id")
        .annotate(total=Sum("norm_hours"))
    ):
        month = MonthlyOutput.objects.get(worker_id=worker_id, period__year=2026, period__month=11)
        assert month.output == total.quantize(D("0.001")), worker_id
    assert PartProduction.objects.filter(section=turning, date__gte=november).exists()


def test_a_second_load_writes_no_shift_task(turning):
    history = HistoryRecord.objects.count()
    tasks = ShiftTask.objects.count()
    demo.load_demo()
    assert (ShiftTask.objects.count(), HistoryRecord.objects.count()) == (tasks, history)
