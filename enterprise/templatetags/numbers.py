"""The figures' template filters, for every page and PDF (a builtin: no ``{% load %}``).

``{{ x|num:2 }}`` exactly two places, half-up («1 234,50»; «−5» with a true minus);
``{{ x|num }}`` with the figure's own places; ``{{ x|plain:1 }}`` at most one place, no
trailing zeros («6,3»); ``{{ x|signed:1 }}`` a deviation («+1,5», «−2»). A missing figure
is «—»; a text that is not a number is shown as it is (a commitment written in words).
The writing itself is :mod:`enterprise.numbers`, which the tables and exports use too, so
a figure reads the same on a list, a detail page, a PDF and in a spreadsheet.
"""

from django import template

from enterprise import numbers

register = template.Library()


def _places(places) -> int | None:
    return None if places in (None, "") else int(places)


def _text(value) -> bool:
    """A non-empty text that is not a number: the filters leave it as it is."""
    return isinstance(value, str) and value.strip() != "" and numbers.to_decimal(value) is None


@register.filter
def num(value, places=None):
    """Exactly ``places`` places (or the figure's own), half-up, grouped, true minus."""
    return value if _text(value) else numbers.figure(value, _places(places))


@register.filter
def plain(value, max_places=None):
    """At most ``max_places`` places, trailing zeros dropped: 5.500 → «5,5»."""
    return value if _text(value) else numbers.figure_plain(value, _places(max_places))


@register.filter
def signed(value, places=None):
    """A deviation: «+1,5», «−2», «0»."""
    return value if _text(value) else numbers.figure_signed(value, _places(places))
