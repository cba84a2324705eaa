"""Plausibility of recorded output (:mod:`enterprise.plausibility`): a worker's month
against his dates of employment, the month's fund and his plan; a section's day against
its daily plan.

Thresholds (the plan's figure is the worker's month plan, or the section's daily plan):

- hours: see :func:`enterprise.plausibility.check_hours` (the fund for the part of the
  month he was employed; over it by more than 120 h refused, by more than 10 % asked);
- output with no hours worked, or in a month he was not employed: refused;
- output over :data:`IMPOSSIBLE_RATIO` times the plan (1,000 %): refused;
- output over :data:`UNLIKELY_RATIO` times the plan (200 %): asked again;
- the output per hour worked over those ratios times the plan's per hour: the same;
- a section's day over the same ratios times its daily plan: the same.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from enterprise.models import Period, Section
from enterprise.plausibility import Findings, check_hours, employed_share, num

from .rules import fulfilment, monthly_plan
from .selectors import plans_of_workers, section_daily_plan

UNLIKELY_RATIO = Decimal(2)
"""Output above this many times the plan (200 %) is asked again."""
IMPOSSIBLE_RATIO = Decimal(10)
"""Output above this many times the plan (1,000 %) is refused."""


def check_outputs(findings: Findings, entries: Iterable) -> None:
    """Check the entries to write (``planning.tracking.services.OutputEntry``, not
    clearing): hours and output of each against his month. One query a year."""
    entries = [entry for entry in entries if not entry.clears]
    by_year: dict[int, set[int]] = defaultdict(set)
    for entry in entries:
        by_year[entry.period.year].add(entry.worker.pk)
    plans = {
        year: plans_of_workers(sorted(worker_ids), year) for year, worker_ids in by_year.items()
    }
    for entry in entries:
        worker, period = entry.worker, entry.period
        share = employed_share(worker.hire_date, worker.dismissal_date, period.start, period.end)
        hours = entry.hours_worked or Decimal(0)
        output = entry.output or Decimal(0)
        check_hours(findings, entry.key, hours, fund=period.working_hours, share=share)
        if output <= 0 or share <= 0:
            continue
        if hours <= 0:
            findings.refuse(
                entry.key,
                _("Выработка %(output)s без отработанных часов: укажите часы.")
                % {"output": num(output)},
            )
            continue
        plan = plans[period.year].get(worker.pk)
        if plan is None or not plan.annual_time_fund:
            continue
        month_plan = monthly_plan(plan, period, share)
        hourly_plan = plan.annual_volume / plan.annual_time_fund
        _against(findings, entry.key, output, month_plan, hourly_plan * hours)


def _against(findings: Findings, key, output: Decimal, *plans: Decimal) -> None:
    """``output`` against each plan figure (the month's, the hours' worth): the farthest
    one decides."""
    plans = [plan for plan in plans if plan > 0]
    if not plans:
        return
    plan = min(plans)
    percent = fulfilment(output, plan)
    values = {"output": num(output), "plan": num(plan), "percent": num(percent)}
    if output > plan * IMPOSSIBLE_RATIO:
        findings.refuse(
            key,
            _(
                "Выработка %(output)s — %(percent)s %% плана %(plan)s: так не бывает. "
                "Проверьте цифру (не лишний ли знак)."
            )
            % values,
        )
    elif output > plan * UNLIKELY_RATIO:
        findings.doubt(
            key,
            _(
                "Выработка %(output)s — %(percent)s %% плана %(plan)s: больше чем вдвое. "
                "Проверьте цифру и подтвердите её."
            )
            % values,
        )


def check_days(
    findings: Findings,
    section: Section,
    period: Period,
    values: dict[datetime.date, Decimal | None],
) -> None:
    """A section's days against its daily plan (the year's task / its working days)."""
    entered = {day: value for day, value in values.items() if value}
    if not entered:
        return
    _task, _days, daily = section_daily_plan(section, period.year)
    if not daily:
        return
    for day, value in entered.items():
        _against(findings, day, value, daily)
