"""Text and hidden inputs written in Python: the rows of a grid of inputs (a timesheet).

Django renders each ``<input>`` through its templates (``text.html`` → ``input.html`` →
``attrs.html``, three templates an input): a brigade's timesheet has five inputs a line,
and writing them cost more CPU than the rest of the page. These widgets write the same HTML
as those templates, character for character (a test compares the two), as
:class:`enterprise.widgets.FastSelect` does for a drop-down.
"""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe

from .widgets import attrs_html, formatted_text, template_text


class _FastInput:
    """``django/forms/widgets/input.html`` in one pass, for the stock template only."""

    stock_template = ""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.stock_template:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        parts = [
            '<input type="',
            template_text(widget["type"]),
            '" name="',
            template_text(widget["name"]),
            '"',
        ]
        if widget["value"] is not None:
            parts += [' value="', formatted_text(widget["value"]), '"']
        parts += [attrs_html(widget["attrs"]), ">"]
        # Every value is escaped.
        return mark_safe("".join(parts))  # nosec B308 B703


class FastTextInput(_FastInput, forms.TextInput):
    stock_template = forms.TextInput.template_name


class FastHiddenInput(_FastInput, forms.HiddenInput):
    stock_template = forms.HiddenInput.template_name


def fast_input(field: forms.Field) -> forms.Field:
    """``field`` with its text or hidden input written in Python (attributes, localization
    and the rest of the widget kept)."""
    kinds = {forms.TextInput: FastTextInput, forms.HiddenInput: FastHiddenInput}
    widget = field.widget
    fast = kinds[type(widget)](attrs=widget.attrs)
    fast.is_localized = widget.is_localized
    fast.is_required = widget.is_required
    field.widget = fast
    return field
