"""A drop-down that writes its options in Python: the filters' lists of a whole plant.

Django renders a ``<select>`` through its templates, one ``{% include %}`` of
``select_option.html`` (and of ``attrs.html``) per option: the sections filter of a
plant-wide list has hundreds of options, and writing them costs more CPU than the list's
rows. :class:`Select` writes the same HTML as those templates, character for character,
in one pass (a test compares the two).
"""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

# How the templates write a variable: localized and escaped, in the engine's defaults.
_CONTEXT = SimpleNamespace(use_tz=None, use_l10n=None, autoescape=True)


def _text(value) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe value safe)."""
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    if isinstance(value, SafeData):
        # It was safe before.
        text = mark_safe(text)  # nosec B308 B703
    return _text(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + _text(name))
        if value is not True:
            parts.append('="' + _formatted(value) + '"')
    return "".join(parts)


class Select(forms.Select):
    """``forms.Select`` with ``select.html`` and ``select_option.html`` written in Python.

    Named as Django's: crispy-forms gives a field the name of its widget's class as a CSS
    class («select form-select»)."""

    def _render(self, template_name, context, renderer=None):
        if (
            template_name != forms.Select.template_name
            or self.option_template_name != forms.Select.option_template_name
        ):
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        parts = ['<select name="', _text(widget["name"]), '"', _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts += ['\n  <optgroup label="', _text(group_name), '">']
            for option in group_choices:
                parts += [
                    '\n  <option value="',
                    _formatted(option["value"]),
                    '"',
                    _attrs(option["attrs"]),
                    ">",
                    _text(option["label"]),
                    "</option>\n",
                ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the renderer strips the file's last newline
        # Every value is escaped.
        return mark_safe("".join(parts))  # nosec B308 B703
