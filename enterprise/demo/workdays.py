"""The demo's working-day calendar: Russian public holidays and a month's working time."""

from __future__ import annotations

import datetime
from decimal import Decimal

# Non-working public holidays of the Russian Federation (Labour Code, art. 112).
RU_HOLIDAYS: tuple[tuple[int, int], ...] = (
    *((1, day) for day in range(1, 9)),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
)


def days_off(year: int) -> set[datetime.date]:
    """Holidays of ``year`` plus the weekdays they move to when they fall on a weekend.

    A simplification of the real production calendar: a holiday on Saturday or Sunday
    (except the New Year days) moves to the next weekday; the government's yearly
    transfers of the New Year days are not modelled.
    """
    holidays = {datetime.date(year, month, day) for month, day in RU_HOLIDAYS}
    off = set(holidays)
    for day in sorted(holidays):
        if day.month == 1 or day.weekday() < 5:
            continue
        moved = day + datetime.timedelta(days=1)
        while moved.weekday() >= 5 or moved in off:
            moved += datetime.timedelta(days=1)
        off.add(moved)
    return off


def month_calendar(year: int, month: int) -> tuple[int, Decimal]:
    """Working days and hours of a month for a 40-hour week (8 h, 7 h before a holiday).

    June 2026: 21 days, 167 h; November 2026: 20 days, 159 h — as in the official
    production calendar.
    """
    off = days_off(year) | days_off(year + 1)
    holidays = {datetime.date(y, m, d) for y in (year, year + 1) for m, d in RU_HOLIDAYS}
    day = datetime.date(year, month, 1)
    days = hours = 0
    while day.month == month:
        if day.weekday() < 5 and day not in off:
            days += 1
            hours += 7 if day + datetime.timedelta(days=1) in holidays else 8
        day += datetime.timedelta(days=1)
    return days, Decimal(hours)
