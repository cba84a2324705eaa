"""Grids of rows (the timesheet, the output grid): formsets validated against what was
posted, not against what the management form claims.

- Every row the management form counts must have been sent, and a grid of the page's
  rows must send some: a ``TOTAL_FORMS`` larger than the rows posted, negative or zero
  is refused with one message (Django would take the missing rows
  for empty "extra" forms and skip their checks, and the view read fields they lack).
- Every row is checked, none is skipped as an unchanged extra form.
- Each row names its key (a hidden id: the line, the worker); a key not among the page's
  rows (another section's worker, an id made up) or given twice is refused before any
  service sees it.
- A missing or tampered management form, a negative or absurd count: Django's own
  refusal (``ManagementForm`` errors, ``absolute_max``), shown as the grid's error.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .plausibility import asks_confirmation

MAX_ROWS = 500
"""The most rows a grid takes in one post (a section's or a brigade's month is far less)."""


class RowFormSet(forms.BaseFormSet):
    key: str = ""
    """The name of the hidden field with the row's id."""
    row_attr: str = "pk"
    """The attribute of a stored row (as the version holds it) that is the row's key."""
    error_field: str | None = None
    """The field of a row that a service's refusal of the row is shown at (None: the row's
    own errors)."""
    ask_confirm: bool = False
    """Set when a service asked to confirm unlikely figures (:mod:`enterprise.plausibility`):
    the page shows the «Подтверждаю» checkbox."""

    def __init__(self, *args, keys=None, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = None if keys is None else {int(k) for k in keys}
        self.labels = labels or {}

    def row_label(self, form) -> str:
        """How the page's error summary names a row (the worker), when the view said."""
        values = getattr(form, "cleaned_data", None) or form.initial or {}
        return str(self.labels.get(values.get(self.key), ""))

    def service_errors(self, error: ValidationError) -> None:
        """A service's refusal (``enterprise.web.run``): errors keyed by the row
        (:class:`enterprise.plausibility.RowErrors`) go to that row, the rest above the
        table; unlikely figures set :attr:`ask_confirm`."""
        self.ask_confirm = asks_confirmation(error)
        by_row = getattr(error, "messages_by_row", None)
        if by_row is None:
            self.non_form_errors().extend(error.messages)
            return
        rows = {
            form.cleaned_data.get(self.key): form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
        }
        for key, texts in by_row.items():
            form = rows.get(key)
            for text in texts:
                if form is None:
                    self.non_form_errors().append(text)
                else:
                    form.add_error(self.error_field, text)

    def _construct_form(self, i, **kwargs):
        # A posted grid has no optional "extra" rows: each one is checked.
        kwargs["empty_permitted"] = False
        form = super()._construct_form(i, **kwargs)
        self._name_inputs(form)
        return form

    def _row_key(self, form):
        """The row's key as :attr:`labels` holds it: from the page's rows, or as posted."""
        value = (form.initial or {}).get(self.key)
        if value is None and form.is_bound:
            value = form.data.get(form.add_prefix(self.key))
        if value in self.labels:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            return value

    def _name_inputs(self, form) -> None:
        """A grid's inputs stand under a column's head and beside a row's name, which a
        screen reader does not connect to a cell: each visible input is named for both
        («Часы — Иванов И. И.»)."""
        row = self.labels.get(self._row_key(form)) if self.key else None
        if row is None:
            return
        for name, field in form.fields.items():
            if field.widget.is_hidden or "aria-label" in field.widget.attrs:
                continue
            field.widget.attrs["aria-label"] = f"{form[name].label} — {row}"

    def clean(self):
        super().clean()
        if not self.is_bound:
            return
        refuse_incomplete(self, empty=not self.forms and bool(self.keys))
        if not self.key:
            return
        seen = set()
        for form in self.forms:
            value = getattr(form, "cleaned_data", {}).get(self.key)
            if value is None:
                continue
            if self.keys is not None and value not in self.keys:
                raise ValidationError(
                    _("В таблице строка не с этой страницы. Откройте страницу заново."),
                    code="foreign_row",
                )
            if value in seen:
                raise ValidationError(
                    _("В таблице одна и та же строка дважды. Откройте страницу заново."),
                    code="duplicate_row",
                )
            seen.add(value)


def _sent(formset, form) -> bool:
    start = f"{form.prefix}-"
    return any(name.startswith(start) for name in formset.data)


def refuse_incomplete(formset, *, empty: bool = False) -> None:
    """Refuse a posted formset whose management form counts rows that were not sent, or
    a negative number of them (Django builds none then, and a save would write nothing
    while saying it saved) — any formset's ``clean`` calls it."""
    posted = formset.management_form.cleaned_data.get(TOTAL_FORM_COUNT, 0)
    if posted < 0 or empty or any(not _sent(formset, form) for form in formset.forms):
        raise ValidationError(
            _("Таблица пришла не полностью. Откройте страницу заново и повторите ввод."),
            code="incomplete",
        )


def row_formset(form, *, key: str, formset=RowFormSet, row_attr: str = "pk"):
    """A grid of ``form`` rows keyed by the field ``key`` (no extra rows, at most
    :data:`MAX_ROWS`); ``row_attr``: the stored row's attribute equal to that key."""
    return forms.formset_factory(
        form,
        formset=type(f"{form.__name__}Grid", (formset,), {"key": key, "row_attr": row_attr}),
        extra=0,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


def merge_stale(formset: RowFormSet, error) -> int:
    """After a stale refusal (:class:`enterprise.versions.StaleError`): a row someone else
    changed meanwhile and this user did not is shown as it is stored now (the ``initial``
    the view built from the rows now) — saving again then keeps the other person's work;
    a row both changed keeps the user's values, and the message lists the other change.
    Returns the number of rows shown anew."""
    if not formset.is_bound or not error.rows:
        return 0
    changed = {
        getattr(obj, formset.row_attr): (key, obj)
        for key, obj in error.rows.items()
        if obj is not None
    }
    initial = {row.get(formset.key): row for row in (formset.initial or [])}
    renewed = 0
    for i, form in enumerate(formset.forms):
        values = getattr(form, "cleaned_data", None) or {}
        row_key = values.get(formset.key)
        if row_key not in changed or row_key not in initial:
            continue
        key, obj = changed[row_key]
        if error.edited(key, obj, values):
            continue
        fresh = formset.form(
            auto_id=formset.auto_id,
            prefix=formset.add_prefix(i),
            initial=initial[row_key],
            **formset.get_form_kwargs(i),
        )
        fresh.renewed = True
        formset.forms[i] = fresh
        renewed += 1
    return renewed


def renewed_note(count: int) -> str:
    """What :func:`merge_stale` did, for the refusal's message."""
    return ngettext(
        "Строку, которую изменили без вас, показываем такой, какая она сейчас (%(n)s); "
        "в строках, которые изменили и вы, остались ваши значения.",
        "Строки, которые изменили без вас, показываем такими, какие они сейчас (%(n)s); "
        "в строках, которые изменили и вы, остались ваши значения.",
        count,
    ) % {"n": count}
