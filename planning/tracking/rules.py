"""Pure rules of tracking personal plans and the bonuses (§6): no ORM, no request.

Source: seed 004, chapter V; the domain note is ``shared/domain/planning.md``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from enterprise.money import HUNDRED, NIL
from planning.rules import decimal_text

# --- tracking (§6) ---------------------------------------------------------------------------


def fulfilment_percent(actual: Decimal, plan: Decimal) -> Decimal | None:
    """Plan fulfilment actual / plan × 100, in %; None when there is no plan (plan 0)."""
    if plan < 0:
        raise ValueError(f"План не может быть отрицательным: {decimal_text(plan)}.")
    if plan == 0:
        return None
    return actual / plan * HUNDRED


def lead_lag_days(
    actual_cumulative: Decimal, plan_cumulative: Decimal, daily_plan_rate: Decimal
) -> Decimal:
    """Lead (positive) or lag (negative) against the plan, in days of plan (§6), unrounded.

    (actual − plan) / daily plan rate, both totals cumulative from the start of the period.
    """
    if daily_plan_rate <= 0:
        raise ValueError(f"Дневной план должен быть больше нуля: {decimal_text(daily_plan_rate)}.")
    return (actual_cumulative - plan_cumulative) / daily_plan_rate


def completion_date(
    start: datetime.date,
    plan_total: Decimal,
    achieved_by_date: Sequence[tuple[datetime.date, Decimal]],
) -> datetime.date | None:
    """The first date the output achieved since ``start`` reaches ``plan_total`` (§6).

    ``achieved_by_date`` holds (date, output on that date or in the period ending then);
    entries dated before ``start`` are ignored, order does not matter, several entries
    on one date add up. None when the plan is not reached — e.g. a five-year task
    started on 1 January 1976 and done by 20 March 1978 gives ``date(1978, 3, 20)``.
    """
    if plan_total <= 0:
        raise ValueError(f"План должен быть больше нуля: {decimal_text(plan_total)}.")
    cumulative = NIL
    for day, achieved in sorted(
        (entry for entry in achieved_by_date if entry[0] >= start), key=lambda e: e[0]
    ):
        cumulative += achieved
        if cumulative >= plan_total:
            return day
    return None


# --- bonuses (§6, Dynamo plant) --------------------------------------------------------------


def monthly_growth_bonus_eligible(*, personal_plan_met: bool, nomenclature_met: bool) -> bool:
    """Monthly bonus for growth over the base (paid from the incentive fund).

    Conditions, all required: the worker met the personal plan, and the master's
    nomenclature task was met.
    """
    return personal_plan_met and nomenclature_met


def quarterly_output_bonus_eligible(
    *,
    section_met_gross_plan: bool,
    worker_hourly_output: Decimal,
    last_year_hourly_output: Decimal,
    profession_average_hourly_output: Decimal,
) -> bool:
    """Quarterly bonus for exceeding the profession's average hourly output (wage fund).

    Conditions, all required: the section met its gross-output plan; the worker's hourly
    output is above the profession's average; and above the worker's own hourly output
    of last year. "Above" is strict: equal output earns no bonus.
    """
    return (
        section_met_gross_plan
        and worker_hourly_output > profession_average_hourly_output
        and worker_hourly_output > last_year_hourly_output
    )


# --- the arithmetic of the definitions (see planning.tracking.selectors) ----------------------


def monthly_plan(plan, period, employed: Decimal = Decimal(1)) -> Decimal:
    """A worker's plan for a month: annual volume × the month's hours / annual time fund,
    × the share of the month he was employed (``employed``, see
    :func:`enterprise.rules.employed_share`): a worker hired on 1 May has no plan for
    January to April, and is not behind for them."""
    return plan.annual_volume * Decimal(period.working_hours) / plan.annual_time_fund * employed


def daily_rate(month_plan: Decimal, period) -> Decimal | None:
    """The plan of one working day of the month (None: no working days or no plan)."""
    if not period.working_days or month_plan <= 0:
        return None
    return month_plan / Decimal(period.working_days)


def lead_lag(actual: Decimal, plan: Decimal, rate: Decimal | None) -> Decimal | None:
    """:func:`lead_lag_days`, or None when there is no daily rate to measure by."""
    if rate is None or rate <= 0:
        return None
    return lead_lag_days(actual, plan, rate)


def fulfilment(actual: Decimal, plan: Decimal) -> Decimal | None:
    """:func:`fulfilment_percent` (None for a zero plan)."""
    return fulfilment_percent(actual, plan)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    first = (quarter - 1) * 3 + 1
    return first, first + 1, first + 2
