"""Demo tracking (§6): monthly output of the demo workers with a 2026 plan, January to
November 2026, and the daily output of the milling section 6.1 from July to 20 November.

Runs after the demo plans (``planning/demo.py``): it looks the plans up and writes only
output, which needs no plan. The numbers are made up but fixed — each worker keeps his own
pace (92–112 % of his plan's hourly output), a month's leave in summer, now and then the
master's nomenclature task missed — so the board, the lead/lag and the bonus proposals
have something to show, and a second load writes nothing.

The demo's own months are June–November; January–May 2026 are added here (with the
production calendar's days and hours) and closed again once their output is in, as the
labour department would have closed them in spring. A month closed before this step ever
ran (a plant loaded before the tracking existed) is reopened for the load, like the
brigades' demo does; a closed month that already has output is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from enterprise.closing import take_worker_snapshot
from enterprise.demo import PLANT_TZ, DemoContext, days_off, ensure, month_calendar
from enterprise.models import Period, Section
from enterprise.money import HUNDRED, TENTH, half_even, half_up
from planning.operational.shifts import selectors as shift_selectors
from planning.plans.models import SectionTask
from planning.plans.selectors import plans_in_force

from .models import MonthlyOutput, SectionDayOutput
from .workdays import year_working_days

YEAR = 2026
MONTHS = range(1, 12)  # January … November 2026
EARLY_MONTHS = range(1, 6)  # January … May: added and closed by this step
# Shop 6's sections: the milling section 6.1 (its master «master61») and its neighbours,
# whose recorded output the section self-financing's demo reads by decade.
DAILY_SECTIONS = ((6, 1), (6, 2), (6, 3))
DAILY_MONTHS = range(7, 12)  # July … November (the third quarter and after)
DAILY_UNTIL = datetime.date(2026, 11, 20)  # entered up to the last Friday before «today»


def _unit(*parts) -> Decimal:
    """A fixed number in [0, 1) drawn from ``parts`` (the same on every load)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def _close(ctx: DemoContext, period: Period) -> Period:
    closed_at = datetime.datetime(
        period.year + period.month // 12, period.month % 12 + 1, 5, 17, 0, tzinfo=PLANT_TZ
    )
    take_worker_snapshot(period)  # as the close does, while the month is still open
    period.status, period.closed_by, period.closed_at = (
        Period.Status.CLOSED,
        ctx.users["otiz"],
        closed_at,
    )
    period.save()
    return period


def _reopen(period: Period) -> None:
    period._reopen_approved = True
    period.status, period.closed_by, period.closed_at = Period.Status.OPEN, None, None
    period.save()


def step_early_months(ctx: DemoContext) -> None:
    """January–May 2026 as months of the plant (left open until their output is in)."""
    for month in EARLY_MONTHS:
        key = {"enterprise": ctx.enterprise, "year": YEAR, "month": month}
        stored = Period.objects.filter(**key).first()
        if stored is None:
            days, hours = month_calendar(YEAR, month)
            stored = ensure(Period, key, working_days=days, working_hours=hours)
        ctx.periods[YEAR, month] = stored


def step_monthly_output(ctx: DemoContext) -> None:
    """Each worker with a 2026 plan: his month's hours and output, January–November."""
    sections = Section.objects.filter(shop__enterprise=ctx.enterprise).values_list("pk", flat=True)
    plans = plans_in_force(list(sections), YEAR)
    written = 0
    for month in MONTHS:
        period = ctx.periods[YEAR, month]
        if period.is_closed:
            if MonthlyOutput.objects.filter(enterprise=ctx.enterprise, period=period).exists():
                continue
            _reopen(period)
        on_tasks = shift_selectors.shift_run_sections(sections, period)
        for plan in plans.values():
            worker = plan.worker
            if worker.hire_date > period.end or worker.section_id in on_tasks:
                continue  # a month on shift tasks: its output is the tasks' (their demo)
            number = worker.personnel_number
            pace = Decimal("0.92") + Decimal("0.20") * _unit("pace", number)
            pace *= Decimal("0.97") + Decimal("0.06") * _unit("month", number, month)
            hours = Decimal(period.working_hours)
            if month == 6 + int(_unit("leave", number) * 3):  # a month's leave: June–August
                hours = half_even(hours / 3, TENTH)
            if worker.hire_date > period.start:  # hired during the month
                share = Decimal((period.end - worker.hire_date).days + 1) / period.end.day
                hours = half_even(hours * share, TENTH)
            value = plan.annual_volume / plan.annual_time_fund * hours * pace
            ensure(
                MonthlyOutput,
                {"worker": worker, "period": period},
                enterprise=ctx.enterprise,
                output=half_up(value, TENTH),
                hours_worked=hours,
                nomenclature_met=_unit("nomenclature", number, month) >= Decimal("0.1"),
            )
            written += 1
    for month in EARLY_MONTHS:
        period = ctx.periods[YEAR, month]
        if not period.is_closed:
            ctx.periods[YEAR, month] = _close(ctx, period)
    ctx.say(f"  выработка рабочих по личным планам: {len(plans)} чел., январь–ноябрь {YEAR}")


def step_section_days(ctx: DemoContext) -> None:
    """Shop 6's sections' output day by day, July – 20 November 2026: each one's daily plan
    (its task over the year's working days; 100 a day without a task) at 92–112 %."""
    periods = Period.objects.filter(enterprise=ctx.enterprise, year=YEAR)
    working_days = year_working_days(periods)
    off = days_off(YEAR)
    for key in DAILY_SECTIONS:
        section = ctx.sections[key]
        task = SectionTask.objects.filter(section=section, year=YEAR).first()
        daily = task.task / working_days if task is not None else HUNDRED
        for month in DAILY_MONTHS:
            period = ctx.periods[YEAR, month]
            if period.is_closed:
                if SectionDayOutput.objects.filter(
                    section=section, date__range=(period.start, period.end)
                ).exists():
                    continue
                _reopen(period)
            if shift_selectors.shift_run_sections({section.pk}, period):
                continue  # the section's days of a month on shift tasks are the tasks'
            day = period.start
            while day <= min(period.end, DAILY_UNTIL):
                if day.weekday() < 5 and day not in off:
                    pace = Decimal("0.92") + Decimal("0.20") * _unit("day", section.pk, day)
                    ensure(
                        SectionDayOutput,
                        {"section": section, "date": day},
                        enterprise=ctx.enterprise,
                        output=half_up(daily * pace, TENTH),
                    )
                day += datetime.timedelta(days=1)
        ctx.say(f"  выработка участка {section} по дням: июль – {DAILY_UNTIL:%d.%m.%Y}")


DEMO_STEPS = [step_early_months, step_monthly_output, step_section_days]
