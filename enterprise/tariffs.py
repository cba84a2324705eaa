"""The tariff grid as every computation reads it: the hourly rate of grade g under pay
condition c in force on day d, and the tariff earnings it gives. Pure: no Django.

A computation loads the grid once (:func:`enterprise.selectors.load_tariff_grid`, one
query) and asks it for every line, whatever the number of lines: a rate stays in force
from its ``valid_from`` until the next rate of the same grade and condition starts.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, localcontext

from .money import KOPECK, half_up

# Products are computed with ample precision, so they are exact for any realistic input.
PRECISION = 60


class MissingRate(LookupError):
    """The grid has no rate of ``grade`` under ``condition`` in force on ``day``.

    ``line`` is the index of the line that asked, when a computation over lines raised it.
    """

    def __init__(
        self, condition: int, grade: int, day: datetime.date, *, line: int | None = None
    ) -> None:
        self.condition, self.grade, self.day, self.line = condition, grade, day, line
        super().__init__(
            f"no tariff rate of grade {grade} under pay condition {condition} on {day}"
        )


class TariffGrid:
    """Hourly rates by (pay condition, grade), each with the day it starts.

    Built from rows ``(condition, grade, valid_from, hourly_rate)`` in any order; two rows
    of one grade and condition starting on the same day are refused (the database refuses
    them too).
    """

    def __init__(self, rows: Iterable[tuple[int, int, datetime.date, Decimal]]) -> None:
        starts: dict[tuple[int, int], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        for condition, grade, valid_from, rate in rows:
            starts[(condition, grade)].append((valid_from, rate))
        self._days: dict[tuple[int, int], list[datetime.date]] = {}
        self._rates: dict[tuple[int, int], list[Decimal]] = {}
        for key, changes in starts.items():
            changes.sort(key=lambda change: change[0])
            days = [day for day, _rate in changes]
            if len(set(days)) != len(days):
                raise ValueError(f"two rates of grade {key[1]}, condition {key[0]} start together")
            self._days[key] = days
            self._rates[key] = [rate for _day, rate in changes]

    def on(self, condition: int, grade: int, day: datetime.date) -> Decimal | None:
        """The rate in force on ``day`` (the latest started by then), or None."""
        days = self._days.get((condition, grade))
        if not days:
            return None
        index = bisect_right(days, day) - 1
        return self._rates[(condition, grade)][index] if index >= 0 else None

    def changes(
        self, condition: int, grade: int, start: datetime.date, end: datetime.date
    ) -> list[tuple[datetime.date, Decimal]]:
        """The rates in force from ``start`` to ``end``: ``(start, rate in force on it)``
        and then ``(day, new rate)`` for each rate starting after ``start`` up to ``end``;
        :class:`MissingRate` when none is in force on ``start``."""
        changes = [(start, self.rate(condition, grade, start))]
        days = self._days[(condition, grade)]
        rates = self._rates[(condition, grade)]
        for index in range(bisect_right(days, start), bisect_right(days, end)):
            changes.append((days[index], rates[index]))
        return changes

    def rate(self, condition: int, grade: int, day: datetime.date) -> Decimal:
        """The rate in force on ``day``; :class:`MissingRate` when there is none."""
        rate = self.on(condition, grade, day)
        if rate is None:
            raise MissingRate(condition, grade, day)
        return rate


def tariff_earnings(rate: Decimal, hours: Decimal) -> Decimal:
    """Тз = hourly tariff rate × hours, rounded half-up to the kopeck (brigades.md table 18).

    0.767 × 167 = 128.089 → 128.09. Zero hours give 0.00; a float, a non-finite value, a
    negative rate or negative hours raise (TypeError / ValueError).
    """
    for what, value in (("rate", rate), ("hours", hours)):
        if isinstance(value, float):
            raise TypeError(f"{what} must be a Decimal, not float: {value!r}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{what} must be a finite number, got {value}")
    if rate < 0 or hours < 0:
        raise ValueError(f"rate and hours must be >= 0, got rate {rate}, hours {hours}")
    with localcontext(prec=PRECISION):
        return half_up(rate * hours, KOPECK)
