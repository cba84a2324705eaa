"""Table columns of figures and dates that read the same on a page and export as typed cells.

A page shows a figure as :mod:`enterprise.numbers` writes it («2 106,9», «−5»); an export
(``enterprise.lists.PlantTableExport``) gets the ``Decimal`` rounded the same way, and a
date as a ``date``, so that a spreadsheet sums, sorts and filters them.
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format

from . import numbers

NUM_ATTRS = {"td": {"class": "num"}, "th": {"class": "num"}}


class NumberColumn(tables.Column):
    """A figure: ``places`` exactly (``plain=True``: at most, trailing zeros dropped)."""

    def __init__(self, *args, places: int | None = None, plain: bool = False, **kwargs):
        kwargs.setdefault("attrs", NUM_ATTRS)
        super().__init__(*args, **kwargs)
        self.places = places
        self.plain = plain

    def render(self, value):
        if self.plain:
            return numbers.figure_plain(value, self.places)
        return numbers.figure(value, self.places)

    def value(self, value):
        exported = numbers.export_value(value, self.places)
        if exported is not None and self.plain:
            return numbers.trimmed(exported)
        return exported


class DateColumn(tables.Column):
    """A date: «25.09.2024» on the page, a date cell in an export."""

    def render(self, value):
        return date_format(value, "d.m.Y")

    def value(self, value):
        return value


class DateTimeColumn(tables.Column):
    """A moment: «25.09.2024 14:05» (local time) on the page, a date-time cell in an export."""

    def render(self, value):
        from django.utils import timezone

        return date_format(timezone.localtime(value), "d.m.Y H:i")

    def value(self, value):
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
