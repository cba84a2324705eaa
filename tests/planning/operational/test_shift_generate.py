"""generate_plant's month of shift tasks: reported tasks of every producing section, and
the sections' days, the workers' month and the journal derived from their output — read
from the session's shared generated plant (``generated_plant``, tests/conftest.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from planning.operational.models import PartProduction, ShiftOutput, ShiftTask
from planning.tracking.models import MonthlyOutput, SectionDayOutput

D = Decimal


def test_the_generated_plant_has_a_month_of_shift_tasks_with_its_output(generated_plant):
    plant = generated_plant
    tasks = ShiftTask.objects.filter(enterprise=plant)
    assert tasks.exists()
    assert set(tasks.values_list("status", flat=True)) == {ShiftTask.Status.REPORTED}
    assert len({(t.date.year, t.date.month) for t in tasks}) == 1
    task = tasks.order_by("section", "date").first()
    stubs = ShiftOutput.objects.filter(item__task__section=task.section, item__task__date=task.date)
    day = SectionDayOutput.objects.get(section=task.section, date=task.date)
    assert day.output == stubs.aggregate(s=Sum("norm_hours"))["s"].quantize(D("0.001"))
    worker_id = stubs.values_list("worker_id", flat=True).first()
    month = ShiftOutput.objects.filter(
        worker_id=worker_id, item__task__date__year=task.date.year,
        item__task__date__month=task.date.month,
    ).aggregate(s=Sum("norm_hours"))["s"]  # fmt: skip
    stored = MonthlyOutput.objects.get(
        worker_id=worker_id, period__year=task.date.year, period__month=task.date.month
    )
    assert stored.output == month.quantize(D("0.001"))
    assert PartProduction.objects.filter(enterprise=plant, date=task.date).exists()
