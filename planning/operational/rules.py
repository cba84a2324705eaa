"""Pure arithmetic of operational scheduling (operational-planning.md; seed 004, chapter III).

No ORM, no request: the services and selectors call these, the tests check them alone.
Quantities and coefficients are ``Decimal`` (or ``int`` where a count is meant), never
float. Each figure is computed unrounded and rounded half-up once, at the end, to the
places it is shown with: days and hours to 2 places, pieces of a norm up to a whole
piece, ranks to 2 places, ratios to 4.

- cycles and work-in-progress norms (§2): :func:`cycle_duration_days`, :func:`wip_norm`,
  :func:`safety_stock`, :func:`effective_piece_hours`;
- five-day calendar ranks, system «Ритм» (§3): :func:`calendar_rank`,
  :func:`five_day_need`, :func:`supply_rank`, :func:`supply_indicator`;
- daily kits, system of «Электроприбор» (§4): :func:`kit_number`, :func:`kit_lead`;
- shift tasks and their due times (§5): :func:`issue_deadline`, :func:`check_deadline`,
  :func:`recompose_deadline`, :func:`shift_start`, :func:`output_norm_hours`;
- capacity of equipment and of assembly area (§6, tables 12–13): :func:`stage_duration`,
  :func:`assembly_cycle_hours`, :func:`square_metre_hours`, :func:`programme_need`,
  :func:`effective_time_fund`, :func:`load_ratio`;
- rhythmicity by decade (§1): :func:`decade_index`, :func:`decade_shares`,
  :func:`rhythmicity` (section self-financing reads the same functions).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from enterprise.money import HUNDRED, KOPECK, NIL, half_up

D = Decimal
DAY_PLACES = KOPECK
"""A cycle in working days, a lead in days: 2 places."""
HOUR_PLACES = KOPECK
"""Hours (a stage, a cycle, a time fund, norm-hours of output): 2 places."""
RANK_PLACES = KOPECK
"""A supply rank Р and the indicator Р − Г, in five-day needs: 2 places."""
RATIO_PLACES = D("0.0001")
"""A ratio (rhythmicity, load, capacity use): 4 places."""
SHIFT_HOURS = D(8)
"""The length of a shift, h (the «8» of the cycle formula)."""
WORKING_DAYS_MONTH = D(22)
"""Working days a month (the «22» of the WIP norms)."""
RANK_DAYS = 5
"""Working days in a calendar rank (a five-day week)."""
RANKS_PER_YEAR = 52
"""Calendar ranks in a year (26 in a half, 13 in a quarter)."""
ISSUE_LEAD_DAYS = 3
"""The bureau hands a shift task to the master 3 days before the shift (§5)."""
CHECK_LEAD_HOURS = 20
"""The master checks every workplace at least 20 hours before the shift (§5)."""
RECOMPOSE_LEAD_DAYS = 1
"""A returned task is resolved or recomposed and handed over a day before the shift (§5)."""
FIRST_SHIFT_START = datetime.time(8, 0)
"""When the first shift of a day starts; the next ones follow shift after shift."""
UNIT = D(1)
"""No cycle reduction."""
PRECISION = 50
"""Digits of the intermediate quotients: ample for any realistic input."""


def _non_negative(value: Decimal | int, what: str) -> None:
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")


def _positive(value: Decimal | int, what: str) -> None:
    if value <= 0:
        raise ValueError(f"{what} must be > 0, got {value}")


# --- §2 cycle duration and work-in-progress norms ------------------------------------------


def effective_piece_hours(piece_hours: Iterable[Decimal], norm_fulfilment: Decimal) -> Decimal:
    """Тшт of the cycle formula (operational-planning.md §2): the piece times of all
    operations of the route, h, summed and divided by the shop's norm-fulfilment
    coefficient (1.20: norms met 120 %), unrounded. 0.5 + 0.7 at 1.2 → 1.0.
    A negative time or a coefficient not above 0: ValueError."""
    _positive(norm_fulfilment, "norm fulfilment")
    total = NIL
    for index, hours in enumerate(piece_hours):
        _non_negative(hours, f"piece time #{index + 1}")
        total += hours
    with localcontext(prec=PRECISION):
        return total / norm_fulfilment


def cycle_duration_days(
    piece_hours: Decimal,
    batch: int,
    parallelism: Decimal,
    shift_coefficient: Decimal,
    natural_days: Decimal,
    waiting_days: Decimal,
    operations: int,
    *,
    shift_hours: Decimal = SHIFT_HOURS,
) -> Decimal:
    """Cycle of a batch on a section, working days, 2 places (operational-planning.md §2,
    seed 004 ch. III): Тц = Тшт × Н × Кп / (8 × Ксм) + Тест + Тмо × (n − 1).

    ``piece_hours`` is Тшт (all operations, already divided by the norm fulfilment, see
    :func:`effective_piece_hours`), ``batch`` Н, ``parallelism`` Кп, ``shift_coefficient``
    Ксм, ``natural_days`` Тест, ``waiting_days`` Тмо, ``operations`` n ≥ 1.
    1.0 h × 40 × 0.6 / (8 × 2) + 1 + 0.25 × 3 = 1.5 + 1 + 0.75 = 3.25 days.
    """
    _non_negative(piece_hours, "piece time")
    _positive(batch, "batch")
    _positive(parallelism, "parallelism")
    _positive(shift_coefficient, "shift coefficient")
    _positive(shift_hours, "shift hours")
    _non_negative(natural_days, "natural-process days")
    _non_negative(waiting_days, "waiting days")
    if operations < 1:
        raise ValueError(f"a route has at least one operation, got {operations}")
    with localcontext(prec=PRECISION):
        processing = piece_hours * D(batch) * parallelism / (shift_hours * shift_coefficient)
        total = processing + natural_days + waiting_days * D(operations - 1)
    return half_up(total, DAY_PLACES)


def _pieces_per_day(monthly_output: Decimal | int, working_days: Decimal) -> Decimal:
    _non_negative(monthly_output, "monthly output")
    _positive(working_days, "working days")
    return D(monthly_output) / working_days


def wip_norm(
    monthly_output: Decimal | int,
    cycle_days: Decimal,
    *,
    working_days: Decimal = WORKING_DAYS_MONTH,
) -> int:
    """Intra-shop work-in-progress norm, pieces (operational-planning.md §2):
    Звц = А / 22 × Тц, rounded up to a whole piece (a norm a piece short would not
    cover the cycle). 440 a month over a 3.25-day cycle: 20 × 3.25 = 65 pieces;
    100 over 3.25: 14.77… → 15."""
    _non_negative(cycle_days, "cycle")
    with localcontext(prec=PRECISION):
        value = _pieces_per_day(monthly_output, working_days) * cycle_days
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def safety_stock(
    monthly_output: Decimal | int,
    safety_days: Decimal,
    *,
    working_days: Decimal = WORKING_DAYS_MONTH,
) -> int:
    """Safety stock, pieces (operational-planning.md §2): Зстр = А / 22 × Кк, rounded up
    to a whole piece. 440 a month, 2 days: 40 pieces; 100 a month, 2 days: 9.09… → 10."""
    _non_negative(safety_days, "safety days")
    with localcontext(prec=PRECISION):
        value = _pieces_per_day(monthly_output, working_days) * safety_days
    return int(value.to_integral_value(rounding=ROUND_CEILING))


# --- §3 five-day calendar ranks (system «Ритм») --------------------------------------------


def calendar_rank(working_day: int) -> int:
    """КР of the ``working_day``-th working day of the year (1-based): the number of its
    working five-day week (operational-planning.md §3). Days 1–5 → 1, 6 → 2, 260 → 52."""
    _positive(working_day, "working day")
    return (working_day - 1) // RANK_DAYS + 1


def five_day_need(period_need: Decimal | int, ranks: int) -> Decimal:
    """ПП = need for the period / number of КР in it (operational-planning.md §3),
    unrounded: 5200 a year over 52 ranks → 100; 1300 a quarter over 13 → 100."""
    _non_negative(period_need, "period need")
    _positive(ranks, "ranks")
    with localcontext(prec=PRECISION):
        return D(period_need) / D(ranks)


def supply_rank(stock: Decimal | int, five_day_need: Decimal) -> Decimal:
    """Р: the stock of the part at its consumer shops in five-day needs, 2 places
    (operational-planning.md §3). 250 pieces at ПП 100 → 2.50."""
    _non_negative(stock, "stock")
    _positive(five_day_need, "five-day need")
    with localcontext(prec=PRECISION):
        return half_up(D(stock) / five_day_need, RANK_PLACES)


def supply_indicator(stock: Decimal | int, five_day_need: Decimal, lead_group: Decimal) -> Decimal:
    """Р − Г (operational-planning.md §3), 2 places: negative is a deficit (launch now),
    positive a lead. 250 pieces at ПП 100 with Г 3 → 2.50 − 3 = −0.50."""
    _non_negative(lead_group, "lead group")
    _non_negative(stock, "stock")
    _positive(five_day_need, "five-day need")
    with localcontext(prec=PRECISION):
        return half_up(D(stock) / five_day_need - lead_group, RANK_PLACES)


# --- §4 daily kits and the proportionality file (system of «Электроприбор») ---------------


def kit_number(cumulative: Decimal | int, daily_need: Decimal | int) -> int:
    """The daily kit a part's cumulative production covers (operational-planning.md §4):
    cumulative / daily need, whole kits only (a kit short of a piece is not covered).
    250 pieces at 20 a kit → 12 (12.5 kits: the 13th is not complete)."""
    _non_negative(cumulative, "cumulative production")
    _positive(daily_need, "daily need")
    with localcontext(prec=PRECISION):
        return int((D(cumulative) / D(daily_need)).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class KitLead:
    """A part's lead (positive) or deficit (negative) against the assembly's kit number."""

    kit: int
    """The kit the part's cumulative production covers."""
    days: int
    """Kits (= days of assembly) ahead of the assembly's kit number."""
    pieces: Decimal
    """Pieces ahead of what the assembly's kits up to now take."""


def kit_lead(cumulative: Decimal | int, daily_need: Decimal | int, assembly_kit: int) -> KitLead:
    """The proportionality file's row of a part (operational-planning.md §4): the kit it
    covers, its lead or deficit in days (kits) and in pieces against the assembly's kit
    number. 250 at 20 a kit against kit 10: kit 12, +2 days, +50 pieces; against kit 15:
    −3 days, −50 pieces (the input deficit the section must make up)."""
    _non_negative(assembly_kit, "assembly kit")
    kit = kit_number(cumulative, daily_need)
    return KitLead(
        kit=kit,
        days=kit - assembly_kit,
        pieces=D(cumulative) - D(daily_need) * D(assembly_kit),
    )


# --- §5 shift tasks: due times and the output's norm-hours ---------------------------------


def shift_start(
    day: datetime.date,
    shift: int,
    *,
    first_start: datetime.time = FIRST_SHIFT_START,
    shift_hours: int = 8,
) -> datetime.datetime:
    """When shift ``shift`` (1–3) of ``day`` starts, a naive local time: the first at
    8:00, the next ones a shift later each (16:00, then 0:00 of the next day)."""
    if shift not in (1, 2, 3):
        raise ValueError(f"a day has shifts 1 to 3, got {shift}")
    start = datetime.datetime.combine(day, first_start)
    return start + datetime.timedelta(hours=shift_hours * (shift - 1))


def issue_deadline(day: datetime.date) -> datetime.date:
    """The last day the bureau may issue a shift task of ``day`` on time: 3 days before
    (operational-planning.md §5). A task of the 10th is issued by the 7th."""
    return day - datetime.timedelta(days=ISSUE_LEAD_DAYS)


def recompose_deadline(day: datetime.date) -> datetime.date:
    """The last day a returned task is resolved or recomposed and handed to the master:
    the day before the shift (operational-planning.md §5)."""
    return day - datetime.timedelta(days=RECOMPOSE_LEAD_DAYS)


def check_deadline(start: datetime.datetime) -> datetime.datetime:
    """The latest moment the master checks every workplace is supplied: 20 hours before
    the shift starts (operational-planning.md §5; seed 004 ch. III). A shift at 8:00 of
    the 10th: by 12:00 of the 9th."""
    return start - datetime.timedelta(hours=CHECK_LEAD_HOURS)


def output_norm_hours(quantity: Decimal | int, piece_hours: Decimal) -> Decimal:
    """Norm-hours of good pieces made (their piece time each), 2 places: 12 at 0.35 h →
    4.20 (the worker's monthly output in norm-hours sums these)."""
    _non_negative(quantity, "quantity")
    _non_negative(piece_hours, "piece time")
    return half_up(D(quantity) * piece_hours, HOUR_PLACES)


# --- §6 capacity of equipment and of assembly area (tables 12–13) -------------------------


def stage_duration(labour_hours: Decimal, fulfilment_percent: Decimal, workers: int) -> Decimal:
    """A stage of assembly in hours of cycle, unrounded (seed 004 table 12): its labour
    hours over the norm fulfilment over the workers doing it in parallel. Exposure:
    0.74 h at 146.2 % by 3 workers → 0.1687… (the table prints 0.17)."""
    _non_negative(labour_hours, "labour hours")
    _positive(fulfilment_percent, "fulfilment percent")
    _positive(workers, "workers")
    with localcontext(prec=PRECISION):
        return labour_hours * HUNDRED / fulfilment_percent / D(workers)


def assembly_cycle_hours(stages: Iterable[tuple[Decimal, Decimal, int]]) -> Decimal:
    """The assembly cycle of a product, h, 2 places (seed 004 table 12): the sum of its
    stages' durations (:func:`stage_duration` of labour hours, fulfilment %, workers in
    parallel). Table 12 (open switchboards): exposure 0.74/146.2/3, assembly 3.59/146.2/2,
    mounting 9.17/149/1, ringing 0.85/149/1, busbars 1.22/149/1, inspection 5.0/149/1 →
    12.30 h. No stage: ValueError."""
    stages = list(stages)
    if not stages:
        raise ValueError("an assembly has at least one stage")
    with localcontext(prec=PRECISION):
        total = sum((stage_duration(*stage) for stage in stages), NIL)
    return half_up(total, HOUR_PLACES)


def square_metre_hours(
    area_m2: Decimal, cycle_hours: Decimal, reduction: Decimal = UNIT
) -> Decimal:
    """Square-metre-hours to assemble one product, 2 places (operational-planning.md §6,
    seed 004 table 13): area (product with passages + assemblers) × assembly cycle, h ×
    the year's cycle-reduction coefficient. 7.3 m² × 12.3 h = 89.79; × 0.91 = 81.71
    (the table prints 81.7)."""
    _non_negative(area_m2, "area")
    _non_negative(cycle_hours, "cycle hours")
    _positive(reduction, "reduction")
    return half_up(area_m2 * cycle_hours * reduction, KOPECK)


def programme_need(items: Iterable[tuple[Decimal, Decimal | int]]) -> Decimal:
    """The programme's need for assembly area, m²·h (operational-planning.md §6): Σ over
    products of m²·h of one × quantity. 81.71 × 10 + 50 × 2 = 917.10."""
    total = NIL
    for index, (per_product, quantity) in enumerate(items):
        _non_negative(per_product, f"m²·h of product #{index + 1}")
        _non_negative(quantity, f"quantity of product #{index + 1}")
        total += per_product * D(quantity)
    return half_up(total, KOPECK)


def effective_time_fund(
    units: int,
    shifts: int,
    working_days: Decimal | int,
    repair_percent: Decimal,
    *,
    shift_hours: Decimal = SHIFT_HOURS,
) -> Decimal:
    """An equipment group's effective time fund, machine-hours, 2 places
    (operational-planning.md §6): units × shifts × shift hours × working days, less the
    planned repairs' percent. 5 machines × 2 shifts × 8 h × 22 days less 4 % → 1689.60."""
    _non_negative(units, "units")
    _positive(shifts, "shifts")
    _non_negative(working_days, "working days")
    _non_negative(repair_percent, "repair percent")
    if repair_percent > HUNDRED:
        raise ValueError(f"repairs take at most 100 %, got {repair_percent}")
    with localcontext(prec=PRECISION):
        gross = D(units) * D(shifts) * shift_hours * D(working_days)
        return half_up(gross * (HUNDRED - repair_percent) / HUNDRED, HOUR_PLACES)


def load_ratio(need: Decimal, available: Decimal) -> Decimal | None:
    """Load (capacity use) = need / available, 4 places (operational-planning.md §6):
    above 1 is a bottleneck. 1520 / 1689.60 → 0.8996; nothing available: None."""
    _non_negative(need, "need")
    _non_negative(available, "available")
    if not available:
        return None
    with localcontext(prec=PRECISION):
        return half_up(need / available, RATIO_PLACES)


# --- §1 rhythmicity by decade ----------------------------------------------------------------


def decade_index(day: int) -> int:
    """The decade (0, 1, 2) of a day of the month: 1–10, 11–20, 21–end
    (operational-planning.md §1)."""
    if not 1 <= day <= 31:
        raise ValueError(f"a day of a month is 1 to 31, got {day}")
    return min((day - 1) // 10, 2)


def decade_shares(values: Sequence[Decimal]) -> list[Decimal]:
    """Each decade's share of the month's total, unrounded (operational-planning.md §1).
    A zero total gives zero shares (nothing made gives no share). Negative: ValueError."""
    for index, value in enumerate(values):
        _non_negative(value, f"decade #{index + 1}")
    total = sum(values, NIL)
    if not total:
        return [NIL for _ in values]
    with localcontext(prec=PRECISION):
        return [value / total for value in values]


def rhythmicity(
    planned_by_decade: Sequence[Decimal], actual_by_decade: Sequence[Decimal]
) -> Decimal | None:
    """Rhythmicity = Σ over decades of min(actual share, planned share) (operational-planning
    .md §1), shares of each series' own total, 4 places: 1.0000 when output follows the
    plan's split exactly, lower the more it bunches. Nothing made: 0.0000; nothing planned
    (zero plan total): None. The series (normally the 3 decades) must be as long as each
    other and not empty (ValueError)."""
    if len(planned_by_decade) != len(actual_by_decade) or not planned_by_decade:
        raise ValueError(
            f"{len(planned_by_decade)} planned and {len(actual_by_decade)} actual decades:"
            " the same non-zero number needed"
        )
    planned = decade_shares(planned_by_decade)
    actual = decade_shares(actual_by_decade)
    if not any(planned):
        return None
    with localcontext(prec=PRECISION):
        total = sum((min(p, a) for p, a in zip(planned, actual, strict=True)), NIL)
    return half_up(total, RATIO_PLACES)
