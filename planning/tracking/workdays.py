"""The working days of a month and of a year, as tracking takes them (no ORM).

The plant's holiday calendar is not kept, only each month's number of working days
(``Period.working_days``), so a month's working days are its weekdays, corrected as
:func:`working_days_of` says; a month without a Period row counts
:data:`DEFAULT_WORKING_DAYS` in the year's total.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from enterprise.rules import month_bounds

# A month without a Period row counts this many working days in the year's total.
DEFAULT_WORKING_DAYS = 21


def year_working_days(periods: Iterable) -> int:
    """Working days of the year: the months' ``working_days``, 21 for a month without a row."""
    by_month = {period.month: period.working_days for period in periods}
    return sum(by_month.get(month, DEFAULT_WORKING_DAYS) for month in range(1, 13))


def working_days_of(period, entered: Iterable[datetime.date] = ()) -> set[datetime.date]:
    """The month's working days as the module's definition takes them.

    Weekdays are working days. When the month has more weekdays than
    ``period.working_days`` (a holiday fell on one), the surplus comes off first as the
    weekdays the section recorded no output on before its last recorded day (``entered``:
    the days with output — such a gap is most likely the holiday), then from the month's
    end. When it has fewer, Saturdays and then Sundays are added in calendar order.
    """
    first, last = month_bounds(period.year, period.month)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    surplus = len(weekdays) - period.working_days
    if surplus <= 0:
        extra = [d for d in days if d.weekday() == 5] + [d for d in days if d.weekday() == 6]
        return set(weekdays + extra[:-surplus])
    entered = set(entered)
    until = max(entered, default=None)
    gaps = [d for d in weekdays if until is not None and d < until and d not in entered]
    off = set(gaps[:surplus])
    working = [d for d in weekdays if d not in off]
    return set(working[: period.working_days])
