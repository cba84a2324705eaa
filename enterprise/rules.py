"""Pure rules of the platform: no ORM, no request — checked on their own in tests."""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

PERSONNEL_NUMBER = r"^[0-9]{1,10}$"
"""A personnel number: 1 to 10 ASCII digits (a regex's ``\\d`` takes «١٢٣» too)."""


def is_personnel_number(text: str) -> bool:
    return re.fullmatch(PERSONNEL_NUMBER, text) is not None


def years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole years from ``start`` to ``end``; never negative (seniority, age)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


@functools.lru_cache(maxsize=1024)
def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar month (remembered: a board asks it of every
    worker's every month)."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def employed_share(
    hire_date: datetime.date | None,
    dismissal_date: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
) -> Decimal:
    """The share (0–1) of the calendar days from ``start`` to ``end`` on which the worker
    was employed (from ``hire_date`` to ``dismissal_date`` inclusive)."""
    first = max(start, hire_date) if hire_date else start
    last = min(end, dismissal_date) if dismissal_date else end
    if last < first:
        return Decimal(0)
    return Decimal((last - first).days + 1) / Decimal((end - start).days + 1)


def decade_of(day: datetime.date) -> int:
    """The decade (декада) of a month a day falls in: 1 (1–10), 2 (11–20), 3 (21–end)."""
    return 1 if day.day <= 10 else 2 if day.day <= 20 else 3


@dataclass(frozen=True, slots=True)
class Step:
    """One range of a step scale: ``lower <= x < upper`` gives ``value``.

    ``lower`` None means from minus infinity, ``upper`` None — to plus infinity.
    """

    lower: Decimal | None
    upper: Decimal | None
    value: Decimal

    def contains(self, x: Decimal) -> bool:
        return (self.lower is None or x >= self.lower) and (self.upper is None or x < self.upper)


class OutOfScale(LookupError):
    """The argument falls in no range of the scale: an error, never a silent default."""


def step_lookup(steps: Sequence[Step], x: Decimal) -> Decimal:
    """The value of the range that holds ``x``; :class:`OutOfScale` if none does."""
    for step in steps:
        if step.contains(x):
            return step.value
    raise OutOfScale(x)


def step_problems(steps: Sequence[Step]) -> list[tuple[int, str]]:
    """Problems of a scale's ranges as (row index, message): empty ranges and overlaps."""
    problems: list[tuple[int, str]] = []
    for index, step in enumerate(steps):
        if step.lower is not None and step.upper is not None and step.lower >= step.upper:
            problems.append((index, "empty"))
    order = sorted(
        (i for i in range(len(steps)) if (i, "empty") not in problems),
        key=lambda i: (steps[i].lower is not None, steps[i].lower or Decimal(0)),
    )
    for previous, current in pairwise(order):
        upper = steps[previous].upper
        lower = steps[current].lower
        if upper is None or lower is None or lower < upper:
            problems.append((current, "overlap"))
    return problems


def step_gaps(steps: Sequence[Step]) -> list[tuple[int, int, Decimal, Decimal]]:
    """Gaps between a scale's ranges as (index of the range below, index of the range above,
    gap from, gap to): values in a gap fall in no range. Empty ranges are left to
    :func:`step_problems`; overlapping neighbours have no gap."""
    order = sorted(
        (i for i, s in enumerate(steps) if s.lower is None or s.upper is None or s.lower < s.upper),
        key=lambda i: (steps[i].lower is not None, steps[i].lower or Decimal(0)),
    )
    gaps = []
    for below, above in pairwise(order):
        upper, lower = steps[below].upper, steps[above].lower
        if upper is not None and lower is not None and lower > upper:
            gaps.append((below, above, upper, lower))
    return gaps
