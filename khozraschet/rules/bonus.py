"""A category's bonus (khozraschet.md §7; tables 7 and 9): the complex evaluation, the
step scales, the bonus chain with the quarter's withholding, seniority and energy.

Every scale is a list of :class:`~enterprise.rules.Step` looked up with
:func:`~enterprise.rules.step_lookup`: a value outside every range raises
:class:`~enterprise.rules.OutOfScale`, never a silent default. The ``DEFAULT_*`` scales
are the booklet's (and the demo plant's); each plant edits its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from enterprise.money import HUNDRED, KOPECK, NIL, ZERO, half_up
from enterprise.rules import Step, step_lookup
from khozraschet.rules.indicators import ONE, ProductionType, require_non_negative

D = Decimal
SCALE_PLACES = KOPECK
"""A coefficient looked up in a scale (Кнапр, Ккоэкт, Ккт) is first rounded to 2 places."""


# --- §7 complex evaluation (table 7) ---------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    """A row of table 7: the ``measure``'s base points and the penalty per 1 % deviation
    for serial and for small-serial production."""

    measure: str
    base_points: Decimal
    penalty_serial: Decimal
    penalty_small_serial: Decimal


DEFAULT_SCORECARD_MASTER = (
    ScorecardRow("completeness", D(10), D("0.2"), D("0.5")),
    ScorecardRow("productivity_wage_ratio", D(5), D("0.3"), D("0.3")),
)
"""Table 7, a master: planned level 15 points."""
DEFAULT_SCORECARD_ENGINEER = (
    ScorecardRow("rhythmicity_decade_1", D(10), D("0.5"), D("0.5")),
    ScorecardRow("rhythmicity_decade_2", D(10), D("0.2"), D("0.2")),
    ScorecardRow("completeness", D(5), D("0.2"), D("0.5")),
)
"""Table 7, engineers and technicians (the scan's text and table disagree: editable)."""

_SMALL_SERIAL_PENALTY = frozenset({ProductionType.SMALL_SERIAL, ProductionType.SINGLE})


def scorecard_problems(rows: Sequence[ScorecardRow]) -> list[tuple[int, str]]:
    """(row index, code): ``"duplicate"`` measure, ``"negative"`` points or penalty."""
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.measure in seen:
            problems.append((index, "duplicate"))
        seen.add(row.measure)
        if min(row.base_points, row.penalty_serial, row.penalty_small_serial) < 0:
            problems.append((index, "negative"))
    return problems


def scorecard_points(
    rows: Sequence[ScorecardRow], deviations: Mapping[str, Decimal], production_type: ProductionType
) -> Decimal:
    """The points earned (table 7), 2 places: per row, base − deviation % × penalty, never
    below 0. ``deviations`` are the shortfalls in % by measure; missing, 0 or negative
    (over-fulfilment, which earns nothing extra) = met = base points; measures without a
    row are ignored. The penalty column is the serial one for mass, large-serial and
    serial sections, the small-serial one for small-serial and single ones. Master, serial,
    completeness 80 % (deviation 20), ratio on plan: 10 − 20 × 0.2 + 5 = 11."""
    small = production_type in _SMALL_SERIAL_PENALTY
    points = NIL
    for row in rows:
        deviation = max(deviations.get(row.measure, NIL), NIL)
        penalty = row.penalty_small_serial if small else row.penalty_serial
        points += max(row.base_points - deviation * penalty, NIL)
    return half_up(points, KOPECK)


def planned_points(rows: Sequence[ScorecardRow]) -> Decimal:
    """The planned level (table 7): Σ base points (15 for a master = 1.0)."""
    return sum((row.base_points for row in rows), NIL)


def complex_evaluation(points: Decimal, planned_points: Decimal) -> Decimal:
    """Ккоэкт = points / planned points (table 7), 2 places half-up: 11 / 15 = 0.73.
    Planned points ≤ 0: ValueError."""
    if planned_points <= 0:
        raise ValueError(f"planned points must be > 0, got {planned_points}")
    return half_up(points / planned_points, KOPECK)


# --- §7 scales -------------------------------------------------------------------------------


def _steps(*rows: tuple[str | None, str | None, str | int]) -> tuple[Step, ...]:
    return tuple(
        Step(None if low is None else D(low), None if high is None else D(high), D(value))
        for low, high, value in rows
    )


DEFAULT_COMPLEX_CORRECTION = _steps(
    (None, "0.80", "0.75"),
    ("0.80", "1.00", "0.91"),
    ("1.00", "1.01", "1.0"),
    ("1.01", "1.16", "1.1"),
    ("1.16", "1.36", "1.2"),
    ("1.36", None, "1.25"),
)
"""Ккоэкт (2 places) → correction of the bonus (§7): < 0.8 → 0.75; 0.8–0.99 → 0.91; 1.0 →
1.0; 1.01–1.15 → 1.1; 1.16–1.35 → 1.2; ≥ 1.36 → 1.25 (the scan's "1,01" read as 1.1)."""

DEFAULT_QUALITY_COLLECTIVE = _steps(
    (None, "0.60", 50),
    ("0.60", "0.70", 65),
    ("0.70", "0.80", 80),
    ("0.80", "0.90", 90),
    ("0.90", "1.01", 100),
    ("1.01", "1.11", 105),
    ("1.11", "1.21", 110),
    ("1.21", None, 115),
)
"""Ккт (2 places) → % of the bonus due, a section collective (table 9); ≤ 0.59 → 50 %:
the variable part is not paid."""

DEFAULT_QUALITY_MASTERS = _steps(
    (None, "0.60", 50),
    ("0.60", "0.70", 60),
    ("0.70", "0.80", 70),
    ("0.80", "0.90", 80),
    ("0.90", "1.01", 100),
    ("1.01", "1.11", 105),
    ("1.11", "1.21", 110),
    ("1.21", None, 115),
)
"""Ккт (2 places) → % of the bonus due, masters (table 9)."""

DEFAULT_TENSION_BONUS_PLANT_A = _steps(
    (None, "0.69", 20),
    ("0.69", "0.76", 23),
    ("0.76", "0.83", 26),
    ("0.83", "0.90", 29),
    ("0.90", "0.97", 32),
    ("0.97", "1.01", 35),
    ("1.01", "1.08", 37),
    ("1.08", "1.16", 39),
    ("1.16", "1.23", 41),
    ("1.23", "1.26", 42),
    ("1.26", None, 42),
)
"""Кнапр (2 places) → bonus % of plant А (§7). The booklet gives only < 0.69 → 20,
0.97–1.0 → 35 and 1.23–1.25 → 42, and those steps are exact here; the steps between
(23 … 32, 37 … 41) and the top (≥ 1.26 → 42) are the demo's assumption, a monotone
completion so that every value has a step. Plants edit the scale."""

DEFAULT_SENIORITY = _steps(
    ("0", "1", 0),
    ("1", "3", 3),
    ("3", "6", 4),
    ("6", "10", 5),
    ("10", None, 6),
)
"""Whole years of service → % of the year's wages (§7, plant А): "from 1 to 3" read as
[1, 3), so 3 years → 4 %, 10 years → 6 %; under a year → 0."""


# --- §7 bonus --------------------------------------------------------------------------------


WITHHOLD_PERCENT = D(25)
"""The part of the bonus of months 1 and 2 of a quarter withheld till the quarter's end."""


@dataclass(frozen=True)
class BonusInputs:
    """What a category's monthly bonus depends on (§7, plant А): Кнапр, the mandatory
    conditions (productivity and cost plans met), Ккт, Ккоэкт (None: the category does not
    apply it) and the calendar ``month`` (1–12) for the quarter's withholding."""

    tension: Decimal
    productivity_met: bool
    cost_met: bool
    quality: Decimal
    complex_evaluation: Decimal | None = None
    month: int = 1
    withhold_percent: Decimal = WITHHOLD_PERCENT


@dataclass(frozen=True)
class Bonus:
    """A bonus as % of the wages. ``unmet`` names the mandatory conditions not met
    (``"productivity"``, ``"cost"``): then ``percent`` is 0. ``paid_now`` + ``withheld`` =
    ``percent``."""

    base_percent: Decimal
    conditions_met: bool
    unmet: tuple[str, ...]
    complex_correction: Decimal
    quality_percent: Decimal
    percent: Decimal
    month_of_quarter: int
    paid_now: Decimal
    withheld: Decimal


def bonus_percent(
    inputs: BonusInputs,
    *,
    tension_scale: Sequence[Step],
    correction_scale: Sequence[Step],
    quality_scale: Sequence[Step],
) -> Bonus:
    """A category's monthly bonus (§7, plant А; tables 7 and 9), 2 places:
    base (Кнапр, 2 places, in ``tension_scale``) × correction (Ккоэкт, 2 places, in
    ``correction_scale``; 1 when not applied) × quality % (Ккт, 2 places, in
    ``quality_scale``) / 100. 0 when productivity or cost plan is unmet. Months 1 and 2
    of a quarter pay (100 − withhold) % now and withhold the rest; month 3 pays all of its
    own (the quarter's withheld: :func:`quarter_release`). Vector: 35 % × 0.75 (Ккоэкт
    0.73) × 100 % = 26.25 %. A value outside its scale: OutOfScale."""
    if not 1 <= inputs.month <= 12:
        raise ValueError(f"month must be 1–12, got {inputs.month}")
    if not 0 <= inputs.withhold_percent <= HUNDRED:
        raise ValueError(f"withhold percent must be 0–100, got {inputs.withhold_percent}")
    base = step_lookup(tension_scale, half_up(inputs.tension, SCALE_PLACES))
    correction = ONE
    if inputs.complex_evaluation is not None:
        correction = step_lookup(correction_scale, half_up(inputs.complex_evaluation, SCALE_PLACES))
    quality = step_lookup(quality_scale, half_up(inputs.quality, SCALE_PLACES))
    unmet = tuple(
        name
        for name, ok in (("productivity", inputs.productivity_met), ("cost", inputs.cost_met))
        if not ok
    )
    percent = ZERO if unmet else half_up(base * correction * quality / HUNDRED, KOPECK)
    month_of_quarter = (inputs.month - 1) % 3 + 1
    paid_now = percent
    if month_of_quarter < 3:
        paid_now = half_up(percent * (HUNDRED - inputs.withhold_percent) / HUNDRED, KOPECK)
    return Bonus(
        base_percent=base,
        conditions_met=not unmet,
        unmet=unmet,
        complex_correction=correction,
        quality_percent=quality,
        percent=percent,
        month_of_quarter=month_of_quarter,
        paid_now=paid_now,
        withheld=percent - paid_now,
    )


def quarter_release(withheld: Sequence[Decimal], quarter_met: bool) -> Decimal:
    """What month 3 pays on top of its own bonus (§7): the amounts withheld in months 1 and
    2 when the quarter's conditions hold, else nothing (they are forfeited)."""
    return sum(withheld, ZERO) if quarter_met else ZERO


def category_percent(
    master_percent: Decimal, category_max: Decimal, master_max: Decimal
) -> Decimal:
    """Another category's bonus in the ratio of the categories' maxima (§7), 2 places:
    masters up to 35 %, other engineers up to 28 %: 26.25 × 28 / 35 = 21.00."""
    if master_max <= 0:
        raise ValueError(f"the masters' maximum must be > 0, got {master_max}")
    return half_up(master_percent * category_max / master_max, KOPECK)


THREE_SHIFT_METALLURGY_RAISE = D("1.25")
"""+25 % of the seniority reward for three-shift metallurgical production (§7)."""


def seniority_reward(
    years: int,
    annual_wages: Decimal,
    scale: Sequence[Step] = DEFAULT_SENIORITY,
    three_shift_metallurgy: bool = False,
) -> Decimal:
    """The annual reward for seniority (§7, plant А): the year's wages × the scale's %
    for the whole ``years`` of service (+25 % of the reward in three-shift metallurgical
    production), to the kopeck. Negative years or wages: ValueError; OutOfScale."""
    require_non_negative(D(years), "years")
    require_non_negative(annual_wages, "annual wages")
    reward = annual_wages * step_lookup(scale, D(years)) / HUNDRED
    if three_shift_metallurgy:
        reward *= THREE_SHIFT_METALLURGY_RAISE
    return half_up(reward, KOPECK)


ENERGY_BONUS_RANGE = (D(17), D(45))
"""The general range of the energy-saving bonus, % of the value saved (§7)."""
ENERGY_BONUS_CAPS = MappingProxyType({"fuel": D(30), "electricity": D(55), "power_factor": D(40)})
"""The booklet's example caps by resource, % of the value saved (§7)."""


def energy_bonus(saved_value: Decimal, percent: Decimal, cap: Decimal) -> Decimal:
    """The bonus for saved fuel and energy (§7): ``percent`` of the value saved, to the
    kopeck, paid above the bonus maximum and outside the wage fund. Nothing saved (≤ 0):
    0.00. A percent above the resource's ``cap`` (or negative): ValueError."""
    if percent > cap:
        raise ValueError(f"energy bonus percent {percent} is above the cap {cap}")
    require_non_negative(percent, "energy bonus percent")
    if saved_value <= 0:
        return ZERO
    return half_up(saved_value * percent / HUNDRED, KOPECK)
