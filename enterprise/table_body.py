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

from functools import partial
from types import SimpleNamespace

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A, call_with_appropriate

TEMPLATE = "django_tables2/plant.html"

# ``{{ cell }}`` of the stock template: localized, escaped, in the engine's defaults.
_CONTEXT = SimpleNamespace(use_tz=None, use_l10n=None, autoescape=True)
_NO_FIELD = object()


def _text(value) -> str:
    """``{{ cell }}``: a safe text as it is, a text escaped, anything else localized first."""
    if type(value) is SafeString:
        return value
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _computed(attrs) -> bool:
    return any(callable(value) for value in attrs.values())


class _Column:
    """What rendering a column's cells needs, worked out once per table."""

    def __init__(self, bound_column, table):
        self.bound = bound_column
        self.column = bound_column.column
        self.accessor = A(bound_column.accessor)
        path, _, self.last = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = tuple(A(path).bits)
        self.default = bound_column.default
        self.empty_values = self.column.empty_values
        self.link_text = isinstance(self.column, BaseLinkColumn) and self.column.text is not None
        self._fields: dict[type, object] = {}
        self.choices: tuple | None = None
        link = bound_column.link
        self.plain_link = type(link) is LinkTransform and not link.attrs
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
        walked, penultimate = _walk(record, self.path)
        if not walked:
            return self.stock_cell(row)
        remainder = self.last
        value = None
        if isinstance(penultimate, models.Model):
            field = self.field(record)
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if field is not None and getattr(field, "choices", ()) and display:
                value = self.display(display, penultimate)
                remainder = None
        if remainder:
            walked, value = _walk(penultimate, (remainder,))
            if not walked:
                return self.stock_cell(row)
        if value in self.empty_values:
            return self.default
        return self.render(row, value)

    def render(self, row: BoundRow, value):
        """``BoundRow._call_render``; a plain link (``linkify`` without attributes of its
        own) written as its ``LinkTransform`` writes it, without the attribute dict."""
        if not self.plain_link:
            return row._call_render(self.bound, value)
        kwargs = row._optional_cell_arguments(self.bound, value)
        content = call_with_appropriate(self.bound.render, kwargs)
        href = self.bound.link.compose_url(**kwargs)
        if href is None:
            return content
        return format_html('<a href="{}">{}</a>', href, content)

    def display(self, display, instance):
        """``instance.get_FOO_display()``: Django's builds a dict of the field's choices (every
        label hashed, a translation each) at each call; here once per column."""
        if not (
            isinstance(display, partial)
            and getattr(display.func, "__func__", None) is models.Model._get_FIELD_display
        ):
            return display()  # the model's own
        field = display.keywords["field"]
        if self.choices is None or self.choices[0] is not field:
            self.choices = (field, dict(make_hashable(field.flatchoices)))
        value = getattr(instance, field.attname)
        return force_str(self.choices[1].get(make_hashable(value), value), strings_only=True)

    def stock_cell(self, row: BoundRow):
        """The cell as django-tables2 resolves it (a path through more than attributes)."""
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


def _walk(current, bits) -> tuple[bool, object]:
    """``Accessor.resolve`` along ``bits`` when each step is a model's plain attribute (not
    a method to call, not an item of a mapping): (True, what it reaches). (False, None) when
    a step is anything else: the caller resolves the cell as django-tables2 does.

    django-tables2 tries ``current[bit]`` first and takes the attribute when that raises:
    a model instance has no items, so the attribute is what it reaches, without the raise.
    """
    for bit in bits:
        if current is None:
            break
        if not isinstance(current, models.Model) or hasattr(current, "__getitem__"):
            return False, None
        try:
            current = getattr(current, bit)
        except AttributeError:
            return False, None
        if callable(current):
            return False, None
    return True, current


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
            parts.append(_text(value))
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

    def url_of(self, record) -> str:
        """``record.get_absolute_url()``, asked once per record of the table (a row links
        its page from two cells: ``linkify=lambda table, record: table.url_of(record)``)."""
        urls = self.__dict__.setdefault("_urls", {})
        key = (type(record), record.pk)
        url = urls.get(key)
        if url is None:
            url = urls[key] = record.get_absolute_url()
        return url
