"""Numbers as the plans' pages, sheets and formula lines write them: through
:mod:`enterprise.numbers`, as every page does (Russian by default: «2 386,5», thousands
grouped, rounded half-up, a true minus sign, never in exponent form)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enterprise import money, numbers

GROWTH_PLACES = 2
"""A plan's productivity growth, %, as its sheet prints it (table 24: 5,5 %; table 25's
4,35 % and 6,30 %) and as every column of growth writes it: «5,00» beside «5,25»."""


def plain(value: Decimal | None, places: int | None = None) -> Decimal | None:
    """``value`` without trailing zeros and never with an exponent (216900.000 → 216900,
    5.500 → 5.5); ``places`` first rounds it half-up to at most that many places."""
    if value is None:
        return None
    return numbers.trimmed(value, places)


def fmt(value: Decimal | None, places: int, rounding: str = ROUND_HALF_UP) -> str:
    """``value`` with exactly ``places`` places (2517 → «2 517,0» with one); «—» for None.
    ``rounding`` other than half-up (a bonus cut down to the kopeck) rounds first."""
    if value is not None and rounding != ROUND_HALF_UP:
        value = value.quantize(money.places(places), rounding=rounding)
    return numbers.figure(value, places)


def fmt_plain(value: Decimal | None, places: int | None = None) -> str:
    """``value`` as :func:`plain` gives it (2517.000 → «2 517», 5.500 → «5,5»); «—» for
    None."""
    return numbers.figure_plain(value, places)


def signed_days(days: Decimal | None) -> str:
    """Lead/lag for display: «+3,2» or «−1,5» (a true minus sign), «0,0», «—»."""
    return numbers.figure_signed(days, 1)


def completion_label(day: datetime.date | None) -> str:
    """«годовой план выполнен к 31.10.2026» (empty when not reached)."""
    if day is None:
        return ""
    return _("годовой план выполнен к %(date)s") % {"date": date_format(day, "d.m.Y")}


# --- a worker's months -----------------------------------------------------------------------
