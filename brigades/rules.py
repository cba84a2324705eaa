"""Pure arithmetic of brigade pay (seed 004, chapter IV, tables 16, 18, 19): no ORM, no request.

Money is ``Decimal`` rubles with two places (kopecks), never float. Every split of money
sums exactly to what is split: shares are found by the largest-remainder method in
whole kopecks (see :func:`allocate`). Coefficients (K, Кп) are computed unrounded and
only shown rounded (:func:`coefficient_display`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from math import lcm

from enterprise.money import COEFFICIENT_SHOWN, KOPECK, ZERO, to_coefficient
from enterprise.tariffs import MissingRate, TariffGrid, tariff_earnings

KTU_BASE = Decimal("1.0")
"""The base KTU a member starts from before the council's raises and cuts."""

# The ways a brigade's month is split (``Brigade.Method``'s values, domain/brigades.md §3).
TARIFF, OUTPUT, CONDITIONAL, KTU = "A", "B", "C", "D"
COEFFICIENT_LIMIT = Decimal("1E6")
"""A coefficient is stored with 14 digits, 8 of them places: a larger one is left blank."""

LEADER_SURCHARGE_SMALL = Decimal("0.10")
LEADER_SURCHARGE_LARGE = Decimal("0.15")
LEADER_SURCHARGE_SMALL_MAX_SIZE = 10
"""Table 16 pays 10 % for a brigade of exactly 10 (the text says "fewer than 10")."""

# Products and sums of weights are computed with ample precision, so they are exact for
# any realistic input (a rate with 3–4 places times hours times a KTU).
_PRECISION = 60


class NothingToSplitBy(ValueError):
    """A non-zero amount is to be split, but every weight is zero (or there are none)."""


# --- allocation ------------------------------------------------------------------------------


def _check_finite(value: Decimal, what: str) -> None:
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not float: {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value}")


def _kopecks(amount: Decimal) -> int:
    """``amount`` as a whole number of kopecks; ValueError if it has fractions of a kopeck."""
    _check_finite(amount, "amount")
    kopecks = Decimal(amount).scaleb(2)
    if kopecks != kopecks.to_integral_value():
        raise ValueError(f"amount must be a whole number of kopecks (2 places), got {amount}")
    return int(kopecks)


def _from_kopecks(kopecks: int) -> Decimal:
    """Rubles with exactly two places; built from the string, so no context rounding."""
    return Decimal(f"{kopecks}E-2")


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` to the kopeck in proportion to ``weights`` (largest remainder).

    Each exact share ``amount × w / Σw`` is floored to the kopeck; the kopecks left over
    go one each to the largest remainders, ties by position (earlier first). The parts
    sum exactly to ``amount``, each is within one kopeck of its exact share, a zero
    weight always gets 0.00, and every part has exactly two places. Computed in exact
    integer arithmetic, so the result is deterministic.

    A negative ``amount`` (a deduction, a shortfall) is split by its absolute value and
    the parts negated: the members with the largest remainders carry the extra kopeck of
    the loss, and the parts still sum exactly to ``amount``.

    ``amount`` must be a whole number of kopecks (ValueError otherwise). Weights must be
    >= 0 (ValueError). If all weights are zero, or there are none, a non-zero amount
    raises :class:`NothingToSplitBy`; a zero amount gives zeros.
    """
    total = _kopecks(amount)
    fractions: list[Fraction] = []
    for index, weight in enumerate(weights):
        _check_finite(weight, f"weight #{index + 1}")
        if weight < 0:
            raise ValueError(f"weight #{index + 1} is negative ({weight}); weights must be >= 0")
        fractions.append(Fraction(weight))
    if total == 0:
        return [_from_kopecks(0) for _ in fractions]
    if not any(fractions):
        raise NothingToSplitBy(
            f"cannot split {amount}: "
            + ("there is nobody to split it among" if not fractions else "all weights are zero")
        )
    # Scale the weights to integers with a common denominator: the shares stay the same.
    denominator = lcm(*(f.denominator for f in fractions))
    integer_weights = [f.numerator * (denominator // f.denominator) for f in fractions]
    weight_sum = sum(integer_weights)
    sign, size = (-1, -total) if total < 0 else (1, total)
    floors = [size * w // weight_sum for w in integer_weights]
    remainders = [size * w % weight_sum for w in integer_weights]
    leftover = size - sum(floors)
    by_remainder = sorted(range(len(floors)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return [_from_kopecks(sign * part) for part in floors]


# --- methods A / C ---------------------------------------------------------------------------


def distribute_by_tariff(total: Decimal, tariff_earnings: Sequence[Decimal]) -> list[Decimal]:
    """Methods A and C (table 18): ``total`` split in proportion to tariff earnings Тз.

    The same as K × Тз with K = total / ΣТз, but in whole kopecks summing exactly to
    ``total`` (largest remainder, see :func:`allocate`). For method C the Тз are computed
    from the conditional grades the council assigns.
    """
    return allocate(total, tariff_earnings)


# --- method D: tariff part plus surplus by KTU --------------------------------------------------


@dataclass(frozen=True, slots=True)
class KtuSplit:
    """The result of method D (table 19), member by member in the order given.

    ``pay`` is each member's full pay and sums exactly to the total; ``tariff`` is his Тз;
    ``surplus`` his share of the piecework surplus (pay − tariff). ``surplus_total`` is
    П = total − ΣТз, ``weighted_sum`` is Σ(Тз × KTU) unrounded, ``coefficient`` is
    Кп = П / Σ(Тз × KTU) unrounded (None where the KTU split did not apply).
    ``below_tariff`` is set when total < ΣТз: the whole total was then split by tariff
    and the caller must warn. ``fallback_reason`` names why the KTU weighting was not
    used: ``"below_tariff"`` or ``"all_ktu_zero"`` (surplus split by tariff instead).
    """

    pay: list[Decimal]
    tariff: list[Decimal]
    surplus: list[Decimal]
    surplus_total: Decimal
    weighted_sum: Decimal
    coefficient: Decimal | None
    below_tariff: bool
    fallback_reason: str | None


def _ktu_weights(tariff_earnings: Sequence[Decimal], ktu: Sequence[Decimal]) -> list[Decimal]:
    """Тз × KTU for each member; checks matching lengths, Тз >= 0 and KTU >= 0."""
    if len(tariff_earnings) != len(ktu):
        raise ValueError(
            f"{len(tariff_earnings)} tariff earnings but {len(ktu)} KTU: one per member needed"
        )
    for index, value in enumerate(tariff_earnings):
        _check_finite(value, f"tariff earnings #{index + 1}")
        if value < 0:
            raise ValueError(f"tariff earnings #{index + 1} are negative ({value}); must be >= 0")
    for index, value in enumerate(ktu):
        _check_finite(value, f"KTU #{index + 1}")
        if value < 0:
            raise ValueError(f"KTU #{index + 1} is negative ({value}); KTU must be >= 0")
    with localcontext(prec=_PRECISION):
        return [t * k for t, k in zip(tariff_earnings, ktu, strict=True)]


def _sum(values: Sequence[Decimal]) -> Decimal:
    with localcontext(prec=_PRECISION):
        return sum(values, Decimal(0))


def distribute_by_ktu(
    total: Decimal, tariff_earnings: Sequence[Decimal], ktu: Sequence[Decimal]
) -> KtuSplit:
    """Method D (table 19): each member gets his Тз plus a share of the surplus by KTU.

    П = total − ΣТз is split in proportion to Тз × KTU (largest remainder), so the pay
    sums exactly to ``total``; Кп = П / Σ(Тз × KTU) is reported unrounded.

    - total < ΣТз (negative surplus): the whole total is split by tariff, ``below_tariff``
      is set (fallback ``"below_tariff"``), each member gets less than his Тз.
    - All Тз × KTU zero (all KTU zero) with a positive surplus: the surplus is split by
      tariff instead (fallback ``"all_ktu_zero"``).
    - All Тз zero with a non-zero total: :class:`NothingToSplitBy`.
    - Lengths differ, a KTU or Тз is negative: ValueError.
    """
    tariff = list(tariff_earnings)
    weights = _ktu_weights(tariff, ktu)
    tariff_sum = _sum(tariff)
    weighted_sum = _sum(weights)
    surplus_total = total - tariff_sum
    coefficient: Decimal | None = None
    fallback_reason: str | None = None
    if surplus_total < 0:
        pay = allocate(total, tariff)
        return KtuSplit(
            pay=pay,
            tariff=tariff,
            surplus=[p - t for p, t in zip(pay, tariff, strict=True)],
            surplus_total=surplus_total,
            weighted_sum=weighted_sum,
            coefficient=None,
            below_tariff=True,
            fallback_reason="below_tariff",
        )
    if weighted_sum > 0:
        surplus = allocate(surplus_total, weights)
        with localcontext(prec=_PRECISION):
            coefficient = surplus_total / weighted_sum
    elif surplus_total > 0:
        surplus = allocate(surplus_total, tariff)
        fallback_reason = "all_ktu_zero"
    else:
        surplus = allocate(surplus_total, tariff)  # zeros: nothing to split
    return KtuSplit(
        pay=[t + s for t, s in zip(tariff, surplus, strict=True)],
        tariff=tariff,
        surplus=surplus,
        surplus_total=surplus_total,
        weighted_sum=weighted_sum,
        coefficient=coefficient,
        below_tariff=False,
        fallback_reason=fallback_reason,
    )


def distribute_extra_by_ktu(
    amount: Decimal, tariff_earnings: Sequence[Decimal], ktu: Sequence[Decimal]
) -> list[Decimal]:
    """The KTU split of table 19 applied to a collective bonus or wage-fund savings.

    ``amount`` is split in proportion to Тз × KTU (largest remainder, sums exactly); if
    every Тз × KTU is zero it is split by tariff earnings instead. Lengths must match and
    KTU must be >= 0 (ValueError); all Тз zero with a non-zero amount raises
    :class:`NothingToSplitBy`.
    """
    weights = _ktu_weights(tariff_earnings, ktu)
    if any(w > 0 for w in weights):
        return allocate(amount, weights)
    return allocate(amount, tariff_earnings)


# --- leader surcharge (table 16) ----------------------------------------------------------------


def leader_surcharge_rate(brigade_size: int) -> Decimal:
    """The leader's surcharge as a fraction of his tariff: 10 % up to 10 people, 15 % above.

    Table 16 pays 10 % for a brigade of exactly 10. A size below 1 raises ValueError.
    """
    if brigade_size < 1:
        raise ValueError(f"a brigade has at least one member, got size {brigade_size}")
    if brigade_size <= LEADER_SURCHARGE_SMALL_MAX_SIZE:
        return LEADER_SURCHARGE_SMALL
    return LEADER_SURCHARGE_LARGE


def leader_surcharge(rate: Decimal, hours: Decimal, brigade_size: int) -> Decimal:
    """Surcharge of a leader not released from work (table 16), in rubles.

    Tariff earnings (``rate × hours`` to the kopeck, as the table prints them) times
    :func:`leader_surcharge_rate`, rounded to the kopeck **half-down** (nearest kopeck,
    an exact half kopeck goes down).

    This is the one reading that reproduces both rows of table 16 as printed:
    1396.95 × 10 % = 139.695 → 139.69 (an exact half, rounded down) and
    1263.51 × 15 % = 189.5265 → 189.53 (past the half, rounded up). Rounding down
    would give 189.52, half-up (and half-even) would give 139.70. The domain notes call
    the first row "the scan rounds down"; half-down is that, applied consistently.
    """
    with localcontext(prec=_PRECISION):
        product = tariff_earnings(rate, hours) * leader_surcharge_rate(brigade_size)
        return product.quantize(KOPECK, rounding=ROUND_HALF_DOWN)


@dataclass(frozen=True)
class SurchargeSegment:
    """The leader's surcharge for one segment of his month (table 16): the days of one
    timesheet line at one tariff rate while he led the brigade."""

    date_from: datetime.date
    date_to: datetime.date
    rate: Decimal
    hours: Decimal
    tariff: Decimal
    percent: Decimal  # of the tariff, in per cent (10, 15)
    amount: Decimal


def leader_surcharge_segments(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    hours: Decimal,
    rates: Sequence[tuple[datetime.date, Decimal]],
    led: Sequence[tuple[datetime.date, datetime.date | None]],
    brigade_size: int,
) -> list[SurchargeSegment]:
    """The surcharge of one timesheet line of the leader, segment by segment.

    The line runs ``date_from``..``date_to`` with ``hours`` worked; ``rates`` are the
    tariff rates of his grade in force over it, ``(first day, rate)`` sorted, the first
    in force on ``date_from`` (:meth:`enterprise.tariffs.TariffGrid.changes`); ``led`` the
    spans he was the brigade's leader (``None``: still is). The line is cut where a rate
    starts and where a leadership begins or ends; the timesheet keeps a line's hours,
    not its days, so the hours go to the pieces in proportion to their calendar days
    (largest remainder, to 0.01 h: they sum to the line's hours). Each piece he led is a
    segment paid :func:`leader_surcharge` at its own rate.
    """
    one_day = datetime.timedelta(days=1)
    cuts = {day for day, _rate in rates[1:]}
    for start, end in led:
        cuts.add(start)
        if end is not None:
            cuts.add(end + one_day)
    starts = [date_from, *sorted(day for day in cuts if date_from < day <= date_to)]
    ends = [day - one_day for day in starts[1:]] + [date_to]
    days = [Decimal((end - start).days + 1) for start, end in zip(starts, ends, strict=True)]
    shares = allocate(hours, days)
    segments = []
    for start, end, share in zip(starts, ends, shares, strict=True):
        if not any(a <= start and (b is None or end <= b) for a, b in led):
            continue
        rate = [r for day, r in rates if day <= start][-1]
        segments.append(
            SurchargeSegment(
                start,
                end,
                rate,
                share,
                tariff_earnings(rate, share),
                leader_surcharge_rate(brigade_size) * 100,
                leader_surcharge(rate, share, brigade_size),
            )
        )
    return segments


# --- display, grades, KTU -----------------------------------------------------------------------


def coefficient_display(x: Decimal, places: int = COEFFICIENT_SHOWN) -> Decimal:
    """A coefficient (K, Кп) rounded half-up for showing; computations keep it unrounded."""
    if places < 0:
        raise ValueError(f"places must be >= 0, got {places}")
    with localcontext(prec=_PRECISION):
        return x.quantize(Decimal(f"1E-{places}"), rounding=ROUND_HALF_UP)


def average_grade(grades_hours: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Hours-weighted average grade Σ(grade × hours) / Σhours, unrounded.

    None when there are no hours at all (nobody, or everybody with zero hours).
    Negative hours raise ValueError.
    """
    with localcontext(prec=_PRECISION):
        hours_sum = Decimal(0)
        weighted = Decimal(0)
        for grade, hours in grades_hours:
            if hours < 0:
                raise ValueError(f"hours must be >= 0, got {hours}")
            hours_sum += hours
            weighted += grade * hours
    if hours_sum == 0:
        return None
    return weighted / hours_sum


def grade_mismatch(
    members_avg: Decimal | None, work_avg: Decimal | None, tolerance: Decimal = Decimal("0.5")
) -> Decimal | None:
    """Signed difference members' average grade − work's average grade if it exceeds
    ``tolerance`` in absolute value, else None (also None when either average is unknown).

    Positive: the members are graded above the work (pay drifts to high grades);
    negative: below it (a risk for quality).
    """
    if members_avg is None or work_avg is None:
        return None
    difference = members_avg - work_avg
    return difference if abs(difference) > tolerance else None


def ktu_from_criteria(base: Decimal, adjustments: Sequence[Decimal]) -> Decimal:
    """KTU = base (normally :data:`KTU_BASE`, 1.0) + the council's raises and cuts.

    Raises are positive, cuts negative; the result is not clipped — check it with
    :func:`ktu_problem` against the enterprise's range.
    """
    with localcontext(prec=_PRECISION):
        return base + sum(adjustments, Decimal(0))


def _decimal_comma(value: Decimal) -> str:
    """At least two places (more if the value has them), decimal comma: 2.3 → «2,30»."""
    places = max(2, -value.as_tuple().exponent) if value.is_finite() else 2
    return f"{value:.{places}f}".replace(".", ",")


def ktu_problem(ktu: Decimal, minimum: Decimal, maximum: Decimal) -> str | None:
    """A Russian message if ``ktu`` lies outside ``minimum``…``maximum`` (inclusive), else None.

    «КТУ 2,30 вне допустимого диапазона 0,00–2,00». ValueError if minimum > maximum.
    """
    if minimum > maximum:
        raise ValueError(f"KTU range is empty: minimum {minimum} > maximum {maximum}")
    if minimum <= ktu <= maximum:
        return None
    return (
        f"КТУ {_decimal_comma(ktu)} вне допустимого диапазона "
        f"{_decimal_comma(minimum)}–{_decimal_comma(maximum)}"
    )


# --- a brigade's month: the services' and the generator's one computation ------------------------


@dataclass(frozen=True)
class Split:
    """The split of a month's earnings, line by line, and the document's coefficient."""

    tariff: list[Decimal]
    share: list[Decimal]
    bonus: list[Decimal]
    savings: list[Decimal]
    coefficient: Decimal | None
    below_tariff: bool


def split(
    method: str,
    *,
    piecework: Decimal,
    bonus: Decimal,
    savings: Decimal,
    tariff: list[Decimal],
    output: list[Decimal],
    ktu: list[Decimal],
    correction: bool = False,
) -> Split:
    """Split the month's earnings by ``method`` (domain/brigades.md §3).

    If nobody worked an hour (or, for method B, nobody has output), there is nothing to
    split by: everything stays zero and the sheet's check says so.

    A ``correction``'s earnings are what is added to (or, negative, taken back from) an
    approved month whose tariff part is paid already: the whole amount is split by the
    method's weights — Тз × KTU for D, Тз for A and C, output for B — and its tariff
    column is zero.
    """
    zeros = [ZERO] * len(tariff)
    try:
        if correction:
            return _split_correction(method, piecework, bonus, savings, tariff, output, ktu)
        if method == KTU:
            result = distribute_by_ktu(piecework, tariff, ktu)
            return Split(
                tariff,
                result.pay,
                distribute_extra_by_ktu(bonus, tariff, ktu),
                distribute_extra_by_ktu(savings, tariff, ktu),
                result.coefficient,
                result.below_tariff,
            )
        weights = output if method == OUTPUT else tariff
        total_weight = sum(weights, ZERO)
        return Split(
            tariff,
            allocate(piecework, weights),
            allocate(bonus, weights),
            allocate(savings, weights),
            piecework / total_weight if total_weight else None,
            sum(tariff, ZERO) > piecework,
        )
    except NothingToSplitBy:
        return Split(zeros if correction else tariff, zeros, zeros, zeros, None, False)


def _split_correction(method, piecework, bonus, savings, tariff, output, ktu) -> Split:
    if method == KTU:
        weights = [t * k for t, k in zip(tariff, ktu, strict=True)]
        parts = [distribute_extra_by_ktu(a, tariff, ktu) for a in (piecework, bonus, savings)]
    else:
        weights = output if method == OUTPUT else tariff
        parts = [allocate(a, weights) for a in (piecework, bonus, savings)]
    total_weight = sum(weights, ZERO)
    return Split(
        [ZERO] * len(tariff),
        *parts,
        piecework / total_weight if total_weight else None,
        False,
    )


@dataclass(frozen=True, slots=True)
class MemberMonth:
    """What a timesheet line brings to the split: who is paid at which grade, from which
    day (the rate in force on it), for how many hours, with what output and KTU."""

    condition: int
    pay_grade: int
    first_day: datetime.date
    hours: Decimal
    output: Decimal
    ktu: Decimal


@dataclass(frozen=True, slots=True)
class LineFigures:
    """A line's computed columns; ``total`` = share (tariff + surplus) + bonus + savings."""

    rate: Decimal
    tariff: Decimal
    surplus: Decimal
    bonus: Decimal
    savings: Decimal
    total: Decimal


@dataclass(frozen=True)
class MonthFigures:
    """A month's computed columns: its lines' in their order and the document's.

    ``coefficient`` is as the document stores it (8 places; None past
    :data:`COEFFICIENT_LIMIT`, or where the method gives none).
    """

    lines: list[LineFigures]
    tariff_total: Decimal
    coefficient: Decimal | None
    below_tariff: bool


def member_rate(member: MemberMonth, grid: TariffGrid) -> Decimal:
    """The hourly rate a member's line is paid at: the rate of its pay grade in force on
    its first day (table 18); :class:`~enterprise.tariffs.MissingRate` when the grid has
    none."""
    return grid.rate(member.condition, member.pay_grade, member.first_day)


def month_figures(
    method: str,
    *,
    piecework: Decimal,
    bonus: Decimal,
    savings: Decimal,
    members: Sequence[MemberMonth],
    grid: TariffGrid,
    correction: bool = False,
) -> MonthFigures:
    """A brigade's month from its timesheet, KTU and earnings, as the document keeps it.

    Each line is paid at the rate of its pay grade in force on its first day (a
    correction's lines keep the corrected month's dates, and so its rates); its Тз is
    that rate × its hours (table 18); the earnings are split by :func:`split`. A line
    without a rate raises :class:`~enterprise.tariffs.MissingRate` naming the line.
    """
    rates, tariff = [], []
    for index, member in enumerate(members):
        try:
            rate = member_rate(member, grid)
        except MissingRate as error:
            raise MissingRate(error.condition, error.grade, error.day, line=index) from None
        rates.append(rate)
        tariff.append(tariff_earnings(rate, member.hours))
    result = split(
        method,
        piecework=piecework,
        bonus=bonus,
        savings=savings,
        tariff=tariff,
        output=[member.output for member in members],
        ktu=[member.ktu for member in members],
        correction=correction,
    )
    lines = []
    for index, rate in enumerate(rates):
        share, line_tariff = result.share[index], result.tariff[index]
        line_bonus, line_savings = result.bonus[index], result.savings[index]
        lines.append(
            LineFigures(
                rate=rate,
                tariff=line_tariff,
                surplus=share - line_tariff,
                bonus=line_bonus,
                savings=line_savings,
                total=share + line_bonus + line_savings,
            )
        )
    coefficient = None
    # Shown only (the shares are exact without it): a coefficient too large for its
    # column (a few kopecks of tariff against the month's earnings) is left blank.
    if result.coefficient is not None and abs(result.coefficient) < COEFFICIENT_LIMIT:
        coefficient = to_coefficient(result.coefficient)
    return MonthFigures(lines, sum(result.tariff, ZERO), coefficient, result.below_tariff)
