"""Competition between sections (khozraschet.md §8, table 8): the coefficient, the places,
the due dates."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from enterprise.money import half_up

D = Decimal


# --- §8 competition (table 8) ----------------------------------------------------------------


@dataclass(frozen=True)
class CompetitionRule:
    """A line of table 8: per whole ``per`` % of deviation, +``gain`` when better than plan,
    −``loss`` when worse (not counted at all when worse if ``counts_when_unmet`` is off)."""

    code: str
    per: Decimal
    gain: Decimal
    loss: Decimal
    counts_when_unmet: bool = True


DEFAULT_COMPETITION_RULES = (
    CompetitionRule("output", D(1), D("0.01"), D(0), counts_when_unmet=False),
    CompetitionRule("cost", D("0.1"), D("0.01"), D(0)),
    CompetitionRule("productivity", D(1), D("0.01"), D(0)),
    CompetitionRule("nomenclature", D(1), D(0), D("0.05")),
    CompetitionRule("wage_fund", D(1), D("0.03"), D("0.1")),
    CompetitionRule("materials", D(1), D("0.01"), D("0.01")),
)
"""Table 8: output +0.01 per 1 % over (unmet not counted); cost +0.01 per 0.1 % reduction;
productivity +0.01 per 1 %; nomenclature −0.05 per 1 % unmet; wage fund +0.03 per 1 %
saved, −0.1 per 1 % overspent; materials ±0.01 per 1 % saved / overspent."""
COMPETITION_BASE = D("1.0")
COMPETITION_PLACES = D("0.001")


def competition_rule_problems(rules: Sequence[CompetitionRule]) -> list[tuple[int, str]]:
    """(rule index, code): ``"duplicate"`` code, ``"per_not_positive"``, ``"negative"``
    gain or loss (the coefficient must grow with every delta)."""
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.code in seen:
            problems.append((index, "duplicate"))
        seen.add(rule.code)
        if rule.per <= 0:
            problems.append((index, "per_not_positive"))
        if rule.gain < 0 or rule.loss < 0:
            problems.append((index, "negative"))
    return problems


def competition_coefficient(
    deltas: Mapping[str, Decimal], rules: Sequence[CompetitionRule] = DEFAULT_COMPETITION_RULES
) -> Decimal:
    """The competition coefficient (table 8), 3 places: 1.0 + Σ over rules of whole
    ``per`` steps of the deviation × gain (better) or × loss (worse). ``deltas`` are the
    deviations from plan in %, positive = better (:func:`deviation_percent`); partial
    steps do not count (floored toward zero: 1.9 % is one step, −0.9 % none); a missing
    delta is 0. A delta without a rule or an unusable rule: ValueError."""
    if problems := competition_rule_problems(rules):
        raise ValueError(f"unusable competition rules: {problems}")
    by_code = {rule.code: rule for rule in rules}
    if unknown := sorted(set(deltas) - set(by_code)):
        raise ValueError(f"no competition rule for {', '.join(unknown)}")
    total = COMPETITION_BASE
    for code, delta in deltas.items():
        rule = by_code[code]
        steps = abs(delta) // rule.per
        if delta > 0:
            total += steps * rule.gain
        elif delta < 0 and rule.counts_when_unmet:
            total -= steps * rule.loss
    return half_up(total, COMPETITION_PLACES)


QUALITY_MINIMUM = D("0.5")
"""A section with Ккт below this is not ranked (table 8)."""


@dataclass(frozen=True)
class RankEntry:
    """A place in the competition: ``rank`` None when not ranked, ``reason`` says why
    (``"quality_below_minimum"``, ``"quality_unknown"``)."""

    key: Hashable
    coefficient: Decimal
    quality: Decimal | None
    rank: int | None
    reason: str | None


def rank(
    entries: Sequence[tuple[Hashable, Decimal, Decimal | None]],
    quality_minimum: Decimal = QUALITY_MINIMUM,
) -> list[RankEntry]:
    """Places of the competition (table 8) from (key, coefficient, Ккт): highest coefficient
    first, equal coefficients share a place and the next place skips ("1, 2, 2, 4"), ties
    in the given order. Ккт below ``quality_minimum`` (or None) is not ranked: such entries
    follow, by coefficient, with rank None and a reason."""
    ordered = sorted(entries, key=lambda entry: -entry[1])
    ranked: list[RankEntry] = []
    unranked: list[RankEntry] = []
    for key, coefficient, quality in ordered:
        if quality is None or quality < quality_minimum:
            reason = "quality_unknown" if quality is None else "quality_below_minimum"
            unranked.append(RankEntry(key, coefficient, quality, None, reason))
            continue
        place = len(ranked) + 1
        if ranked and ranked[-1].coefficient == coefficient:
            place = ranked[-1].rank
        ranked.append(RankEntry(key, coefficient, quality, place, None))
    return ranked + unranked


SECTION_DUE_DAY = 12
"""Sections' results are due by the 12th of the next month (§8)."""
SHOP_DUE_DAY = 20
"""Shops' results are due by the 20th of the next month (§8)."""


def due_date(year: int, month: int, day_of_next_month: int = SECTION_DUE_DAY) -> datetime.date:
    """The day a month's results are due (§8): ``day_of_next_month`` of the next month."""
    if month == 12:
        return datetime.date(year + 1, 1, day_of_next_month)
    return datetime.date(year, month + 1, day_of_next_month)


def is_late(submitted_on: datetime.date, due: datetime.date) -> bool:
    """Submitted after the due day (the due day itself is on time)."""
    return submitted_on > due
