"""The error summary of a form that failed, at the top of every page (``base.html``).

``{% form_error_summary as summary %}`` looks through the page's context for forms and
formsets that were posted and refused, and lists their errors — each field's with its
label and a link to the field — so that the page says at the top, near its title, that
it was not saved and why. ``static/js/form-errors.js`` then takes the user to the first
error (the forms of a claim's page are far below its title).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    label: str = ""
    anchor: str = ""


def _form_errors(form: forms.BaseForm, prefix_label: str = "") -> list[SummaryError]:
    """A form's errors; a form may name a field's error otherwise than by the field's label
    (``summary_labels``: a claim's missing document by the document, not its file)."""
    found = [SummaryError(str(message)) for message in form.non_field_errors()]
    labels = getattr(form, "summary_labels", {})
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = str(labels.get(name) or bound.label or name)
        if prefix_label:
            label = f"{prefix_label}: {label}"
        anchor = bound.id_for_label or bound.auto_id or ""
        found.extend(SummaryError(str(message), label, anchor) for message in errors)
    return found


def _formset_errors(formset: forms.BaseFormSet) -> list[SummaryError]:
    found = [SummaryError(str(message)) for message in formset.non_form_errors()]
    named = getattr(formset, "row_label", None)
    for number, form in enumerate(formset.forms, start=1):
        if form.is_bound and form.errors:
            label = (named(form) if named else "") or f"№ {number}"
            found.extend(_form_errors(form, prefix_label=label))
    return found


def errors_of(values) -> list[SummaryError]:
    """The errors of the refused forms and formsets among ``values`` (each once)."""
    seen, found = set(), []
    for value in values:
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, forms.BaseFormSet) and value.is_bound:
            if not value.is_valid():
                found.extend(_formset_errors(value))
        elif isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            found.extend(_form_errors(value))
    return found


@register.simple_tag(takes_context=True)
def form_error_summary(context) -> list[SummaryError]:
    """The errors of the forms posted to this page and refused (empty: nothing failed)."""
    request = context.get("request")
    if request is None or request.method != "POST":
        return []
    return errors_of(context.flatten().values())


@register.simple_tag
def submission_input():
    """A fresh one-time token for a create form posted from a page without a form object
    of its own (see :mod:`enterprise.submissions`)."""
    from django.utils.html import format_html

    from enterprise.submissions import new_token

    return format_html('<input type="hidden" name="submission" value="{}">', new_token())
