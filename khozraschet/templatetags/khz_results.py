"""Figures of self-financing as they are written (Russian: «1 234,56», «1,3378»), and the
«Хозрасчёт» menu (no queries: the user's scope is cached for the request)."""

from decimal import Decimal

from django import template

from enterprise.charts import number
from enterprise.money import half_up
from enterprise.permissions import can

register = template.Library()

DASH = "—"
MINUS = "\N{MINUS SIGN}"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def num(value, places=None):
    """A figure with its own places (or rounded to ``places``), grouped, decimal comma;
    «—» for a missing one; a minus sign, not a hyphen."""
    figure = _decimal(value)
    if figure is None:
        return DASH
    if places not in (None, ""):
        figure = half_up(figure, Decimal(1).scaleb(-int(places)))
    text = number(abs(figure))
    return f"{MINUS}{text}" if figure < 0 else text


@register.filter
def plain(value):
    """A figure without its trailing zeros: 1000.000 → «1 000», 0.9500 → «0,95»."""
    figure = _decimal(value)
    if figure is None:
        return DASH
    whole = figure == figure.to_integral_value()
    return num(figure.quantize(Decimal(1)) if whole else figure.normalize())


@register.filter
def signed(value, places=None):
    """A deviation: «+1,5», «−2», «0»."""
    figure = _decimal(value)
    if figure is None:
        return DASH
    text = num(value, places)
    return f"+{text}" if figure > 0 else text


@register.filter
def person(user) -> str:
    """A user's full name, else the login; "" for none (a close run by the system)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def khz_menu(user) -> dict:
    """Which items of the «Хозрасчёт» menu the user has."""
    return {
        "view": can(user, "khz.view"),
        "board": can(user, "khz.board"),
        "close": can(user, "khz.close_shop") or can(user, "khz.close_plant"),
    }
