"""Numbers as the plans' pages, sheets and formula lines write them: localized (Russian
by default: «2 386,5»), thousands grouped, rounded half-up — ``number_format`` alone
cuts the places off instead of rounding — and never in exponent form."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from enterprise import money
from enterprise.money import TENTH, half_even, half_up


def plain(value: Decimal | None, places: int | None = None) -> Decimal | None:
    """``value`` without trailing zeros and never with an exponent (216900.000 → 216900,
    5.500 → 5.5); ``places`` first rounds it half-up to at most that many places."""
    if value is None:
        return None
    if places is not None:
        value = half_up(value, money.places(places))
    if value == value.to_integral_value():
        return half_even(value, money.places(0))
    return value.normalize()


def fmt(value: Decimal | None, places: int, rounding: str = ROUND_HALF_UP) -> str:
    """``value`` with exactly ``places`` places (2517 → «2 517,0» with one); «—» for None."""
    if value is None:
        return "—"
    rounded = value.quantize(money.places(places), rounding=rounding)
    return number_format(rounded, places, force_grouping=True)


def fmt_plain(value: Decimal | None, places: int | None = None) -> str:
    """``value`` as :func:`plain` gives it (2517.000 → «2 517», 5.500 → «5,5»); «—» for
    None."""
    if value is None:
        return "—"
    return number_format(plain(value, places), force_grouping=True)


def signed_days(days: Decimal | None) -> str:
    """Lead/lag for display: «+3,2» or «−1,5» (a true minus sign), «0,0», «—»."""
    if days is None:
        return "—"
    rounded = half_up(days, TENTH)
    text = number_format(abs(rounded), 1)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"\u2212{text}"
    return text


def completion_label(day: datetime.date | None) -> str:
    """«годовой план выполнен к 31.10.2026» (empty when not reached)."""
    if day is None:
        return ""
    return _("годовой план выполнен к %(date)s") % {"date": date_format(day, "d.m.Y")}


# --- a worker's months -----------------------------------------------------------------------
