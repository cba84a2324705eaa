"""A section's indicators (khozraschet.md §1–§6, operational-planning.md §1; tables 1–6, 11).

Production type from Кз, working and idle time, plan vs actual, plan tension, capacity
use, the incentive fund's split, completeness and rhythmicity.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from itertools import pairwise

from brigades.rules import NothingToSplitBy, allocate
from enterprise.money import HUNDRED, KOPECK, NIL, TENTH, ZERO, half_up
from planning.operational import rules as operational_rules

D = Decimal
RATIO_PLACES = D("0.0001")
"""A ratio, a coefficient (Кнапр, capacity use, completeness, rhythmicity): 4 places."""
PRECISION = 50
"""Digits of the intermediate products, powers and shares: ample for any realistic input."""
ONE = D(1)


def require_non_negative(value: Decimal, what: str) -> None:
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")


# --- §1 production type (tables 1–2) ---------------------------------------------------------


def operations_fixing_coefficient(operations: int, workplaces: int) -> Decimal:
    """Кз = D / Ч (table 1): detail-operations a month per workplace, 2 places half-up.

    Table 2 (shop No. 6): 767 / 42 = 18.26 (the scan truncates to 18.2), 965 / 38 = 25.39,
    1832 / 86 = 21.30, 3564 / 166 = 21.47. No workplaces (or negative counts): ValueError.
    """
    if workplaces <= 0:
        raise ValueError(f"a section has at least one workplace, got {workplaces}")
    require_non_negative(D(operations), "operations")
    return half_up(D(operations) / D(workplaces), KOPECK)


class ProductionType(StrEnum):
    """The type of production of a section (table 1), from its Кз."""

    MASS = "mass"
    LARGE_SERIAL = "large_serial"
    SERIAL = "serial"
    SMALL_SERIAL = "small_serial"
    SINGLE = "single"


MASS_MAX, LARGE_SERIAL_MAX, SERIAL_MAX, SMALL_SERIAL_MAX = D(2), D(10), D(20), D(50)


@dataclass(frozen=True)
class Thresholds:
    """Upper bounds of Кз per production type, inclusive (table 1); above ``small_serial``
    the production is single. The scan leaves a gap between 2 and 5 and prints no
    inclusivity: the default closes every interval on its upper side."""

    mass: Decimal = MASS_MAX
    large_serial: Decimal = LARGE_SERIAL_MAX
    serial: Decimal = SERIAL_MAX
    small_serial: Decimal = SMALL_SERIAL_MAX

    def problems(self) -> list[tuple[str, str]]:
        """(field, code): ``"negative"`` for a bound below 0, ``"not_increasing"`` for a
        bound not strictly above the previous one. Empty when the thresholds are usable."""
        problems: list[tuple[str, str]] = []
        if self.mass < 0:
            problems.append(("mass", "negative"))
        names = ("mass", "large_serial", "serial", "small_serial")
        for previous, current in pairwise(names):
            if getattr(self, current) <= getattr(self, previous):
                problems.append((current, "not_increasing"))
        return problems


DEFAULT_THRESHOLDS = Thresholds()


def production_type(kz: Decimal, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ProductionType:
    """The production type of a section by its Кз (table 1): ≤ 2 mass, (2, 10] large-serial,
    (10, 20] serial, (20, 50] small-serial, > 50 single (bounds from ``thresholds``)."""
    require_non_negative(kz, "Кз")
    if kz <= thresholds.mass:
        return ProductionType.MASS
    if kz <= thresholds.large_serial:
        return ProductionType.LARGE_SERIAL
    if kz <= thresholds.serial:
        return ProductionType.SERIAL
    if kz <= thresholds.small_serial:
        return ProductionType.SMALL_SERIAL
    return ProductionType.SINGLE


# --- §3 working time and idle time (tables 4 and 11) -----------------------------------------


def time_study_total(parts: Mapping[str, Decimal]) -> Decimal:
    """Σ of a time study's parts (table 4), each a % of the shift fund: work time
    (preparatory-final, main, servicing, auxiliary) plus losses. Should be 100."""
    return sum(parts.values(), NIL)


def time_study_problems(parts: Mapping[str, Decimal]) -> list[tuple[str | None, str]]:
    """(part or None, code) of a time study (table 4): ``"negative"`` for a part below 0,
    ``"total_not_100"`` (part None) when work + losses, to 0.1, are not 100 %."""
    problems: list[tuple[str | None, str]] = [
        (name, "negative") for name, value in parts.items() if value < 0
    ]
    if half_up(time_study_total(parts), TENTH) != HUNDRED:
        problems.append((None, "total_not_100"))
    return problems


def machine_idle_percent(main_time_percent: Decimal) -> Decimal:
    """Machine idle, % of the shift fund (table 4): 100 − main (machine) time."""
    return HUNDRED - main_time_percent


@dataclass(frozen=True)
class IdleRow:
    """One cause of table 11: ``share_percent`` of all idle (0.1), ``cumulative_percent``
    of the causes so far in Pareto order (0.1; the last is 100.0), ``fund_percent`` of the
    shift fund (0.01). Shares are None when there is nothing to divide by."""

    cause: str
    hours: Decimal
    share_percent: Decimal | None
    cumulative_percent: Decimal | None
    fund_percent: Decimal | None


@dataclass(frozen=True)
class IdleAnalysis:
    rows: tuple[IdleRow, ...]
    total_hours: Decimal
    fund_percent: Decimal | None
    """All idle as % of the shift fund, 0.01 (table 11: 901.6 / 3073 h = 29.34 %)."""


def _percent(part: Decimal, whole: Decimal, exponent: Decimal) -> Decimal | None:
    return half_up(part * HUNDRED / whole, exponent) if whole else None


def idle_analysis(hours_by_cause: Mapping[str, Decimal], shift_fund_hours: Decimal) -> IdleAnalysis:
    """Equipment idle time by cause (table 11), in Pareto order: hours descending, ties by
    cause name. Table 11: unplanned repair 792.6 h of 901.6 h = 87.9 %; all idle 29.34 % of
    the shift fund. Shares of all idle are None when there is no idle at all; shares of the
    fund are None when the fund is 0. Negative hours or fund: ValueError."""
    require_non_negative(shift_fund_hours, "shift fund hours")
    for cause, hours in hours_by_cause.items():
        require_non_negative(hours, f"idle hours of {cause!r}")
    total = sum(hours_by_cause.values(), NIL)
    rows, running = [], NIL
    for cause, hours in sorted(hours_by_cause.items(), key=lambda item: (-item[1], item[0])):
        running += hours
        rows.append(
            IdleRow(
                cause=cause,
                hours=hours,
                share_percent=_percent(hours, total, TENTH),
                cumulative_percent=_percent(running, total, TENTH),
                fund_percent=_percent(hours, shift_fund_hours, KOPECK),
            )
        )
    return IdleAnalysis(tuple(rows), total, _percent(total, shift_fund_hours, KOPECK))


# --- §4 indicators: plan vs actual -----------------------------------------------------------


def normative_net_output(
    plant_normative: Decimal, kit_wages: Decimal, product_wages: Decimal
) -> Decimal:
    """Чк = Чн × Зк / Зи (§4): the product's normative net output Чн shared to kit K by its
    production workers' base wages Зк out of the product's Зи; to the kopeck. Зи ≤ 0:
    ValueError."""
    if product_wages <= 0:
        raise ValueError(f"the product's wages Зи must be > 0, got {product_wages}")
    return half_up(plant_normative * kit_wages / product_wages, KOPECK)


class Direction(StrEnum):
    """Which way an indicator is better (§4): output up, costs down."""

    HIGHER = "higher"
    LOWER = "lower"


def ratio(actual: Decimal | None, plan: Decimal | None) -> Decimal | None:
    """actual / plan to 4 places (the K of every factor of §6); None without a plan (None
    or 0) or without an actual."""
    if actual is None or not plan:
        return None
    return half_up(actual / plan, RATIO_PLACES)


def deviation_percent(
    actual: Decimal | None, plan: Decimal | None, direction: Direction
) -> Decimal | None:
    """The deviation from plan in % of the plan, positive = better (§4, table 8), 2 places:
    (actual − plan) / plan × 100 for higher-is-better, (plan − actual) / plan × 100 for
    lower-is-better (costs 98 of 100 → +2.00). None without a plan (None or 0) or actual."""
    if actual is None or not plan:
        return None
    difference = actual - plan if direction is Direction.HIGHER else plan - actual
    return half_up(difference * HUNDRED / plan, KOPECK)


def fulfilment_percent(
    actual: Decimal | None, plan: Decimal | None, direction: Direction
) -> Decimal | None:
    """Plan fulfilment in %, 100 = on plan and above 100 = better than plan, 0.1:
    actual / plan × 100 for higher-is-better; 100 + the saving % for lower-is-better
    (costs 98 of 100 → 102.0). None without a plan (None or 0) or actual."""
    if actual is None or not plan:
        return None
    share = actual * HUNDRED / plan
    return half_up(share if direction is Direction.HIGHER else 2 * HUNDRED - share, TENTH)


def met(actual: Decimal, plan: Decimal, direction: Direction) -> bool:
    """Whether the plan is met: actual ≥ plan (higher is better) or actual ≤ plan (lower)."""
    return actual >= plan if direction is Direction.HIGHER else actual <= plan


# --- §6 plan tension, capacity use -----------------------------------------------------------


@dataclass(frozen=True)
class TensionFactor:
    """One factor of Кнапр: its actual / plan ``ratio``, its ``direction`` (a lower-is-
    better factor divides) and its ``weight`` (an exponent; plants weigh e.g. equipment
    load up to 0.5)."""

    ratio: Decimal
    direction: Direction
    weight: Decimal = ONE


def plan_tension_weighted(factors: Sequence[TensionFactor]) -> Decimal:
    """Кнапр = Π ratio^weight over higher-is-better factors / Π ratio^weight over lower-is-
    better ones (§6), 4 places half-up. Weights may be fractional (a Decimal power); with
    all weights 1 it is :func:`plan_tension`. No factors: 1.0000. A ratio ≤ 0 or a
    negative weight: ValueError."""
    numerator, denominator = ONE, ONE
    with localcontext(prec=PRECISION):
        for index, factor in enumerate(factors):
            if factor.ratio <= 0:
                raise ValueError(f"factor #{index + 1}: ratio must be > 0, got {factor.ratio}")
            require_non_negative(factor.weight, f"factor #{index + 1}: weight")
            powered = factor.ratio if factor.weight == 1 else factor.ratio**factor.weight
            if factor.direction is Direction.HIGHER:
                numerator *= powered
            else:
                denominator *= powered
        return half_up(numerator / denominator, RATIO_PLACES)


def plan_tension(
    productivity: Decimal, volume: Decimal, capital_productivity: Decimal, cost_per_ruble: Decimal
) -> Decimal:
    """Кнапр = Кпт × Кп × Кф / Кз (§6), each K = actual / plan: labour productivity, output
    volume, capital productivity, costs per 1 ruble of commodity output (lower is better,
    so it divides). 1.2 × 1.15 × 0.95 / 0.98 = 1.3378 (the scan's 1.5 is an erratum)."""
    return plan_tension_weighted(
        [
            TensionFactor(productivity, Direction.HIGHER),
            TensionFactor(volume, Direction.HIGHER),
            TensionFactor(capital_productivity, Direction.HIGHER),
            TensionFactor(cost_per_ruble, Direction.LOWER),
        ]
    )


def capacity_use(
    actual_norm_hours: Decimal | None, capacity_norm_hours: Decimal | None
) -> Decimal | None:
    """Capacity use (§6) = actual output in norm-hours (or norm-rubles) / normative capacity
    at two-shift load, 4 places; None without a capacity."""
    return ratio(actual_norm_hours, capacity_norm_hours)


def fund_weight(planned_wage_fund: Decimal, tension: Decimal) -> Decimal:
    """A section's weight in the plant incentive fund (§6): planned wage fund × Кнапр."""
    return planned_wage_fund * tension


def split_fund[K: Hashable](total: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """The incentive fund split across sections ∝ ``weights`` (§6: planned wage fund × Кнапр,
    see :func:`fund_weight`), to the kopeck by the largest remainder, ties in the mapping's
    order (:func:`brigades.rules.allocate`): the parts sum exactly to ``total``, each within
    a kopeck of its exact share. All weights zero (or none): every part 0.00 — the fund
    stays undistributed and the caller shows it. Negative weights, ``total`` with fractions
    of a kopeck: ValueError."""
    keys = list(weights)
    try:
        parts = allocate(total, [weights[key] for key in keys])
    except NothingToSplitBy:
        parts = [ZERO] * len(keys)
    return dict(zip(keys, parts, strict=True))


# --- §7 completeness, rhythmicity ------------------------------------------------------------


def completeness(on_time_output: Decimal, shortfall: Decimal) -> Decimal | None:
    """Completeness level П = В / (В + А) (§7), 4 places: В output made on time within plan
    per nomenclature position (safety stocks included), А the plan shortfall. 80 and 20 →
    0.8000. Both 0: None (nothing planned). Negative: ValueError."""
    require_non_negative(on_time_output, "on-time output В")
    require_non_negative(shortfall, "shortfall А")
    whole = on_time_output + shortfall
    return half_up(on_time_output / whole, RATIO_PLACES) if whole else None


# Rhythmicity by decade (operational-planning.md §1) is operational scheduling's arithmetic:
# one definition, in planning.operational.rules, re-exported here for the evaluation.
decade_shares = operational_rules.decade_shares
rhythmicity = operational_rules.rhythmicity
