"""A drop-down that writes its options in Python: the filters' lists of a whole plant.

Django renders a ``<select>`` through its templates, one ``{% include %}`` of
``select_option.html`` (and of ``attrs.html``) per option: the sections filter of a
plant-wide list has hundreds of options, and writing them costs more CPU than the list's
rows. :class:`Select` writes the same HTML as those templates, character for character,
in one pass (a test compares the two).
"""

from __future__ import annotations

import html
from types import SimpleNamespace

import django_filters.fields
from django import forms
from django.forms.models import ModelChoiceIterator
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, SafeString, mark_safe

# How the templates write a variable: localized and escaped, in the engine's defaults.
_CONTEXT = SimpleNamespace(use_tz=None, use_l10n=None, autoescape=True)


def template_text(value) -> str:
    """``{{ value }}`` as a template writes it: a safe text as it is, a text escaped (as
    Django's ``escape`` does, without its check for lazy arguments), anything else localized
    first."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        # Django's escape(): escaped, then safe.
        return SafeString(html.escape(value))  # nosec B703
    return render_value_in_context(value, _CONTEXT)


def formatted_text(value) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe value safe)."""
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    if isinstance(value, SafeData):
        # It was safe before.
        text = mark_safe(text)  # nosec B308 B703
    return template_text(text)


def attrs_html(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + template_text(name))
        if value is not True:
            parts.append('="' + formatted_text(value) + '"')
    return "".join(parts)


_SELECT = forms.Select.template_name
_OPTION = forms.Select.option_template_name
_MODEL_ITERATORS = (ModelChoiceIterator, django_filters.fields.ModelChoiceIterator)


def render_select(widget: dict) -> str:
    """``select.html`` and ``select_option.html`` for a widget's context
    (``get_context()["widget"]``); "" when an option is not a plain one (Django writes it)."""
    parts = ['<select name="', template_text(widget["name"]), '"', attrs_html(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts += ['\n  <optgroup label="', template_text(group_name), '">']
        for option in group_choices:
            if option.get("template_name") != _OPTION:
                return ""
            parts += [
                '\n  <option value="',
                formatted_text(option["value"]),
                '"',
                attrs_html(option["attrs"]),
                ">",
                template_text(option["label"]),
                "</option>\n",
            ]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the file's last newline
    return "".join(parts)


class Select(forms.Select):
    """``forms.Select`` with ``select.html`` and ``select_option.html`` written in Python;
    a subclass' own template or a multiple select goes through Django as before.

    Named as Django's: crispy-forms gives a field the name of its widget's class as a CSS
    class («select form-select»)."""

    def render(self, name, value, attrs=None, renderer=None):
        if (
            self.template_name != _SELECT
            or self.option_template_name != _OPTION
            or self.allow_multiple_selected
        ):
            return super().render(name, value, attrs, renderer)
        choices = self.choices
        if type(choices) in _MODEL_ITERATORS:
            # The same choices, read as one plain query: the iterator reads its rows
            # through a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE on
            # PostgreSQL), round trips for the dozen rows of a select.
            self.choices = _model_choices(choices)
        try:
            written = render_select(self.get_context(name, value, attrs)["widget"])
        finally:
            self.choices = choices
        if not written:
            return super().render(name, value, attrs, renderer)
        # Every value is escaped.
        return mark_safe(written)  # nosec B308 B703


def _model_choices(iterator: ModelChoiceIterator) -> list:
    """What the iterator yields — the empty choice, django-filter's null choice, a choice
    per row — with its queryset evaluated as a list."""
    field = iterator.field
    choices = [("", field.empty_label)] if field.empty_label is not None else []
    if getattr(field, "null_label", None) is not None:
        choices.append((field.null_value, field.null_label))
    return choices + [iterator.choice(obj) for obj in iterator.queryset]
