"""The «Хозрасчёт» pages' tags: a person's name and the menu (no queries: the user's scope
is cached for the request). Figures are written by the project's builtin filters ``num``,
``plain`` and ``signed`` (``enterprise/templatetags/numbers.py``)."""

from django import template

from enterprise import numbers
from enterprise.permissions import can

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name, else the login; "" for none (a close run by the system)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def indicator_figure(value, places) -> str:
    """An indicator's plan or actual at its unit's places (``Indicator.places``): exactly
    those, so that a row's plan and actual align («1 844,3» and «1 850,0» нормо-ч); a unit
    of no known precision (None) at most three places, trailing zeros dropped."""
    if places is None or places == "":
        return numbers.figure_plain(value, 3)
    return numbers.figure(value, int(places))


@register.simple_tag
def khz_menu(user) -> dict:
    """Which items of the «Хозрасчёт» menu the user has."""
    return {
        "view": can(user, "khz.view"),
        "board": can(user, "khz.board"),
        "close": can(user, "khz.close_shop") or can(user, "khz.close_plant"),
    }
