"""``{{ field|filter_field }}``: a list's filter field as crispy-forms writes it, in Python.

Every list page draws its filters with ``as_crispy_field``, which renders crispy's
``bootstrap5/field.html`` and its includes for each field: about a twentieth of a plant
user's request went there (py-spy over the load mix), more than the filters' options. The
usual filter field — a labelled input or select with no help text and no error — is
written here as that template writes it (a test compares the two for every filter set of
the project); anything else (an error, a help text, a check box, a radio list, a file, a
form with a crispy helper) still goes through crispy.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import conditional_escape, format_html

register = template.Library()

_CRISPY_ONLY = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def _plain(field) -> bool:
    widget = field.field.widget
    return not (
        field.is_hidden
        or isinstance(widget, _CRISPY_ONLY)
        or hasattr(widget, "widget")  # a wrapper (the admin's related-field widget)
        or field.errors
        or field.help_text
        or field.use_fieldset
        or getattr(field.form, "helper", None) is not None
    )


def _widget_class(widget: forms.Widget) -> str:
    """The widget's ``class`` as crispy's ``crispy_field`` leaves it: its own classes, the
    widget's name (as converted by ``CRISPY_CLASS_CONVERTERS``), then Bootstrap's."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if bootstrap not in css.split():
        css += f" {bootstrap}"
    return css


@register.filter
def filter_field(field):
    if not _plain(field):
        return as_crispy_field(field)
    required = field.field.required
    wrapper = "mb-3"
    if field.css_classes():
        wrapper += f" {field.css_classes()}"
    label = ""
    if field.label:
        target = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        if required:
            label = format_html(
                '<label{} class="form-label requiredField">{}'
                '<span class="asteriskField">*</span></label>',
                target,
                field.label,
            )
        else:
            label = format_html('<label{} class="form-label">{}</label>', target, field.label)
    widget = field.as_widget(attrs={"class": _widget_class(field.field.widget)})
    return format_html(
        '<div id="div_{}" class="{}">{}{}</div>',
        field.auto_id,
        wrapper,
        label,
        conditional_escape(widget),
    )
