"""Personal plans of the plant-scale data set (``manage.py generate_plant`` runs
:data:`GENERATE_STEPS`): a plan for every active worker for the current year — most of
them signed — with each section's task, and the workers' monthly output of the year so
far. Rows are written with the tracked ``bulk_create`` (history included).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from enterprise.generate import BATCH_SIZE, GenerateContext
from enterprise.models import Enterprise
from enterprise.money import KOPECK, TENTH, THOUSANDTH, half_up
from planning.measures.models import OrgMeasure, SavingsEntry
from planning.operational.generate import DELETE_STEPS as OPERATIONAL_DELETE
from planning.operational.generate import GENERATE_STEPS as OPERATIONAL_STEPS
from planning.operational.shifts.generate import GENERATE_STEPS as SHIFT_STEPS
from planning.plans.models import DEFAULT_TIME_FUND, OutputUnit, PersonalPlan, PrintJob, SectionTask
from planning.tracking.models import MonthlyOutput, SectionDayOutput

P = PersonalPlan


def step_plans(ctx: GenerateContext) -> None:
    rng = ctx.random("planning")
    year = ctx.months[-1][0]
    start = datetime.date(year, 1, 1)
    workers = [
        w
        for w in ctx.workers
        if w.hire_date <= start and (w.dismissal_date is None or w.dismissal_date >= start)
    ]
    master, economist = ctx.users.get("gen-master"), ctx.users.get("gen-economist")
    shop_head = ctx.users.get("gen-shophead")
    signed_at = timezone.make_aware(datetime.datetime(year, 1, 20, 10, 0))
    plans, hourly = [], {}
    for worker in workers:
        fulfilment = half_up(Decimal(rng.randint(95, 140)) / 100, KOPECK)
        growth = Decimal(rng.choice(("3.0", "4.0", "4.5", "5.0", "5.5", "6.0")))
        average = half_up(fulfilment * DEFAULT_TIME_FUND, TENTH)
        volume = half_up(average * (1 + growth / 100), THOUSANDTH)
        hourly[worker.pk] = volume / DEFAULT_TIME_FUND
        roll = rng.random()
        status = (
            P.Status.SIGNED if roll < 0.8 else P.Status.AGREED if roll < 0.9 else P.Status.DRAFT
        )
        signed = status == P.Status.SIGNED
        plans.append(
            P(
                enterprise=ctx.enterprise,
                worker=worker,
                section=worker.section,
                year=year,
                five_year_from=year - (year - 1976) % 5,
                output_unit=OutputUnit.NORM_HOURS,
                unit="нормо-ч",
                method=P.Method.AVERAGE,
                average_output=average,
                growth_percent=growth,
                annual_volume=volume,
                annual_time_fund=DEFAULT_TIME_FUND,
                production_task="Детали по номенклатуре мастера",
                status=status,
                drafted_by=economist,
                worker_agreed_at=signed_at if status != P.Status.DRAFT else None,
                worker_agreed_recorded_by=master if status != P.Status.DRAFT else None,
                master_signed_by=master if signed else None,
                master_signed_at=signed_at if signed else None,
                economist_signed_by=economist if signed else None,
                economist_signed_at=signed_at if signed else None,
                shop_head_signed_by=shop_head if signed else None,
                shop_head_signed_at=signed_at if signed else None,
                signed_at=signed_at if signed else None,
            )
        )
    P.objects.bulk_create(plans, batch_size=BATCH_SIZE)
    # Each section's task: its plans' sum less a little (the §4 check mostly «sound»).
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        sums[plan.section_id] += plan.annual_volume
    tasks = [
        SectionTask(
            enterprise=ctx.enterprise,
            section_id=section_id,
            year=year,
            output_unit=OutputUnit.NORM_HOURS,
            unit="нормо-ч",
            task=half_up(
                total / Decimal(rng.choice(("1.02", "1.04", "1.06", "1.12", "0.97"))), THOUSANDTH
            ),
            growth_percent=Decimal("5.000"),
            norm_fulfilment=Decimal("1.220"),
        )
        for section_id, total in sums.items()
    ]
    SectionTask.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
    # The monthly output of the year so far: the plan's pace ± a little.
    outputs = []
    for (y, _month), period in sorted(ctx.periods.items()):
        if y != year:
            continue
        for worker in workers:
            hours = half_up(period.working_hours * Decimal(rng.randint(88, 100)) / 100, TENTH)
            pace = Decimal(rng.randint(90, 115)) / 100
            outputs.append(
                MonthlyOutput(
                    enterprise=ctx.enterprise,
                    worker=worker,
                    period=period,
                    output=half_up(hourly[worker.pk] * hours * pace, THOUSANDTH),
                    hours_worked=hours,
                    nomenclature_met=rng.random() < 0.93,
                )
            )
    MonthlyOutput.objects.bulk_create(outputs, batch_size=BATCH_SIZE)
    ctx.summary.append(f"личных планов {len(plans)}")
    ctx.summary.append(f"записей выработки {len(outputs)}")


DAY_MONTHS = 6
"""The last generated months that get every section's output day by day (what the section
self-financing's close reads by decade); ~16,000 rows at 120 sections."""


def step_section_days(ctx: GenerateContext) -> None:
    """Every section's output of each working day (Monday–Friday) of the last
    :data:`DAY_MONTHS` months, in norm-hours: its workers × 8 h × 95–125 % of norms."""
    rng = ctx.random("planning-days")
    staff: dict[int, int] = defaultdict(int)
    for worker in ctx.workers:
        if worker.dismissal_date is None:
            staff[worker.section_id] += 1
    rows = []
    for key in ctx.months[-DAY_MONTHS:]:
        period = ctx.periods[key]
        day = period.start
        while day <= period.end:
            if day.weekday() < 5:
                for section_id, count in sorted(staff.items()):
                    pace = Decimal(rng.randint(95, 125)) / 100
                    rows.append(
                        SectionDayOutput(
                            enterprise=ctx.enterprise,
                            section_id=section_id,
                            date=day,
                            output=half_up(Decimal(count * 8) * pace, TENTH),
                        )
                    )
            day += datetime.timedelta(days=1)
    SectionDayOutput.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    ctx.summary.append(f"выработки участков по дням {len(rows)}")


def delete_planning(enterprise: Enterprise) -> None:
    """The plant's planning rows (history recorded by the tracked deletes)."""
    PrintJob.objects.filter(enterprise=enterprise).delete()
    SavingsEntry.objects.filter(enterprise=enterprise).delete()
    for measure in OrgMeasure.objects.filter(enterprise=enterprise):
        measure.authors.clear()
    OrgMeasure.objects.filter(enterprise=enterprise).delete()
    MonthlyOutput.objects.filter(enterprise=enterprise).delete()
    SectionDayOutput.objects.filter(enterprise=enterprise).delete()
    plans = P.objects.filter(enterprise=enterprise)
    # Revisions point to the versions they revise: newest first.
    plans.filter(revises__isnull=False).order_by("-version").delete()
    plans.delete()
    SectionTask.objects.filter(enterprise=enterprise).delete()


GENERATE_STEPS = [step_plans, step_section_days, *OPERATIONAL_STEPS, *SHIFT_STEPS]
DELETE_STEPS = [*OPERATIONAL_DELETE, delete_planning]
