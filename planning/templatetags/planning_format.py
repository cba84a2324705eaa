"""Numbers of plans as they are written: no trailing zeros (5,5 %, not 5,500 %)."""

from decimal import Decimal

from django import template

from planning.numbers import fmt_plain

register = template.Library()


@register.filter
def plain(value, max_places=3):
    """A decimal localized with its own places, at most ``max_places`` (5.500 → «5,5»)."""
    if value is None or value == "":
        return "—"
    return fmt_plain(Decimal(value), int(max_places))
