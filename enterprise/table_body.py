"""A list's table body written in one pass of Python instead of django-tables2's template loop.

django-tables2's template renders a page of 50 rows × 12 columns cell by cell through the
template engine: ``row.items`` looks each column up by name (a walk over the columns),
rebuilds the column's attributes for every cell (dicts merged, classes sorted, an
``AttributeDict``), asks the model's ``_meta`` whether the cell's field has choices, and
renders ``{{ cell }}`` through the engine's variable lookup — about two thirds of the CPU of
a list page at plant scale. :class:`FastBodyTable` writes the same ``<tbody>`` (the same
cells, attributes and text; only the whitespace between tags differs) with what does not
change from row to row worked out once per column: the accessor, whether its field has
choices, the cell's attributes when none of them is computed per record.

A table whose cells need the template's context (a ``TemplateColumn``) or that localizes
columns explicitly is written by the stock template, as before.
"""

from __future__ import annotations

from types import SimpleNamespace

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A

TEMPLATE = "django_tables2/plant.html"

# ``{{ cell }}`` of the stock template: localized, escaped, in the engine's defaults.
_CONTEXT = SimpleNamespace(use_tz=None, use_l10n=None, autoescape=True)
_NO_FIELD = object()


def _computed(attrs) -> bool:
    return any(callable(value) for value in attrs.values())


class _Column:
    """What rendering a column's cells needs, worked out once per table."""

    def __init__(self, bound_column, table):
        self.bound = bound_column
        self.column = bound_column.column
        self.accessor = A(bound_column.accessor)
        self.default = bound_column.default
        self.empty_values = self.column.empty_values
        self.link_text = isinstance(self.column, BaseLinkColumn) and self.column.text is not None
        self._fields: dict[type, object] = {}
        # The stock template asks the column for its ``td`` attributes at every cell (they
        # may depend on the record); when none is computed they are the same for all.
        merged = {**table.attrs, **self.column.attrs}
        td = merged.get("td", merged.get("cell", {}))
        self.td = None if _computed(td) else bound_column.attrs["td"].as_html()

    def field(self, record):
        """The model field the accessor ends on, for records of ``record``'s class."""
        kind = type(record)
        found = self._fields.get(kind, _NO_FIELD)
        if found is _NO_FIELD:
            try:
                found = self.accessor.get_field(record)
            except FieldDoesNotExist:
                found = None
            self._fields[kind] = found
        return found

    def cell(self, row: BoundRow):
        """``BoundRow.get_cell`` (django-tables2 3.0's ``_get_and_render_with``)."""
        record = row.record
        value = None
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, models.Model):
            field = self.field(record)
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if field is not None and getattr(field, "choices", ()) and display:
                value = display()
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                if self.link_text:
                    return row._call_render(self.bound)
        if value in self.empty_values:
            return self.default
        return row._call_render(self.bound, value)

    def td_html(self, value, record) -> str:
        if self.td is not None:
            return self.td
        self.bound.current_value = value
        self.bound.current_record = record
        return self.bound.attrs["td"].as_html()


def supported(table) -> bool:
    """Can :func:`body_html` write this table (else the stock template does)?"""
    return not any(
        isinstance(bound.column, tables.TemplateColumn) or bound.column.localize is not None
        for bound in table.columns
    )


def body_html(table) -> SafeString:
    """The ``<tbody>`` of the stock ``django_tables2/bootstrap5.html`` for ``table``."""
    columns = [_Column(bound, table) for bound in table.columns]
    parts = [format_html("<tbody {}>", table.attrs.get("tbody", _EMPTY).as_html())]
    rows = 0
    for row in table.paginated_rows:
        rows += 1
        parts.append(format_html("<tr {}>", row.attrs.as_html()))
        record = row.record
        for column in columns:
            value = column.cell(row)
            parts.append("<td ")
            parts.append(column.td_html(value, record))
            parts.append(">")
            parts.append(render_value_in_context(value, _CONTEXT))
            parts.append("</td>")
        parts.append("</tr>")
    if not rows and table.empty_text:
        parts.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
        )
    parts.append("</tbody>")
    # Every part is escaped.
    return mark_safe("".join(parts))  # nosec B308 B703


class _Empty:
    @staticmethod
    def as_html() -> str:
        return ""


_EMPTY = _Empty()


class FastBodyTable(tables.Table):
    """A table whose body :func:`body_html` writes (see the module)."""

    @property
    def template_name(self):
        if self._template is not None:
            return self._template
        if self._meta.template_name != tables.Table._meta.template_name:
            return self._meta.template_name
        return TEMPLATE if supported(self) else self._meta.template_name

    @template_name.setter
    def template_name(self, value):
        self._template = value

    def body_html(self) -> SafeString:
        return body_html(self)
