"""Numbers of plans as they are written: no trailing zeros (5,5 %, not 5,500 %)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def plain(value, max_places=3):
    """A decimal localized with its own places, at most ``max_places`` (5.500 → «5,5»)."""
    if value is None or value == "":
        return "—"
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(max_places))).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, places, force_grouping=True)
