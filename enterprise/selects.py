"""A select box written in Python: the same HTML as Django's template-rendered one.

Django renders each ``<option>`` of a ``Select`` through two included templates
(``select_option.html`` and ``attrs.html``): about 50 µs an option. A claim's defendant
list offers every shop, section and brigade of the plant (hundreds of options), so the
filing page spent most of its time there. :class:`Select` writes exactly what
``django/forms/widgets/select.html`` writes, character for character, without the
template engine; anything it does not handle the same way (a subclass' own template,
a multiple select) goes through Django as before.
"""

from __future__ import annotations

import django_filters.fields
from django import forms
from django.forms.models import ModelChoiceIterator
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_CONTEXT = Context(autoescape=True)
_MODEL_ITERATORS = (ModelChoiceIterator, django_filters.fields.ModelChoiceIterator)


def _shown(value) -> str:
    """``{{ value }}`` in a template: localized (a number, a date), then escaped."""
    if type(value) is str:  # most labels: nothing to localize
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _text(value) -> str:
    """``value|stringformat:'s'``: a plain string (``"%s" %``, unlike ``str()``, does not
    keep a safe string safe: the template escapes it)."""
    return "%s" % (value,)  # noqa: UP031


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, none
    for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_shown(name)}")
        else:
            parts.append(f' {_shown(name)}="{conditional_escape(_text(value))}"')
    return "".join(parts)


def _option(option: dict) -> str:
    # {{ widget.value|stringformat:'s' }} and {{ widget.label }}, both autoescaped
    return (
        f'<option value="{conditional_escape(_text(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{_shown(option['label'])}</option>\n"
    )


def render_select(widget: dict) -> str:
    """The HTML of ``select.html`` for a widget's context (``get_context()["widget"]``)."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != _OPTION:
                return ""  # not a plain option: let Django render it
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last newline
    return "".join(parts)


class Select(forms.Select):
    """``forms.Select`` rendered without the template engine (same HTML). Named as Django's:
    crispy gives a field's input the widget's class name as a CSS class («select»)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != _SELECT or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        choices = self.choices
        if type(choices) in _MODEL_ITERATORS:
            # The same choices, read as one plain query: the iterator reads its rows
            # through a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE on
            # PostgreSQL), round trips for the dozen rows of a select.
            self.choices = _model_choices(choices)
        try:
            html = render_select(self.get_context(name, value, attrs)["widget"])
        finally:
            self.choices = choices
        if not html:
            return super().render(name, value, attrs, renderer)
        return mark_safe(html)


def _model_choices(iterator: ModelChoiceIterator) -> list:
    """What the iterator yields — the empty choice, django-filter's null choice, a choice
    per row — with its queryset evaluated as a list."""
    field = iterator.field
    choices = [("", field.empty_label)] if field.empty_label is not None else []
    if getattr(field, "null_label", None) is not None:
        choices.append((field.null_value, field.null_label))
    return choices + [iterator.choice(obj) for obj in iterator.queryset]
