"""Forms of the shift-task pages: a new task, its lines (composed by the bureau), the
master's readiness marks, the output grid of the stubs, and a task's cancellation.

The readiness and the output are one form each for the whole task (a field per line and
mark), so a section of 60 workers is one request. Decimal inputs take Russian figures
(«12,5») through :class:`enterprise.fields.DecimalField`.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField
from enterprise.forms import DateInput
from enterprise.money import NIL
from planning.operational.models import READINESS_FIELDS, ShiftTask

_CELL = "form-control form-control-sm text-end"
_SELECT = "form-select form-select-sm"
_CHECK = "form-check-input"


def _decimal(label, *, places, max_value, required=False, min_value=NIL):
    field = DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        max_digits=12,
        decimal_places=places,
    )
    field.widget.attrs["class"] = _CELL
    return field


class TaskCreateForm(forms.Form):
    """The day and shift of a new task of the section."""

    date = forms.DateField(label=_("Дата"), widget=DateInput(attrs={"class": "form-control"}))
    shift = forms.TypedChoiceField(
        label=_("Смена"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not self.period.contains(day):
            raise forms.ValidationError(
                _("Дата не из месяца «%(period)s».") % {"period": self.period}
            )
        return day


class ItemForm(forms.Form):
    """A line of the task as the bureau composes it (an empty new line is no line)."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    route_operation = forms.TypedChoiceField(
        label=_("Деталь и операция"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": _SELECT}),
    )
    worker = forms.TypedChoiceField(
        label=_("Рабочий"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": _SELECT}),
    )
    quantity = _decimal(_("Задание, шт."), places=2, max_value=Decimal(10**9))
    resolved_note = forms.CharField(
        label=_("Как решено"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    delete = forms.BooleanField(
        label=_("Убрать"), required=False, widget=forms.CheckboxInput(attrs={"class": _CHECK})
    )

    def __init__(self, *args, operations=(), workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route_operation"].choices = [("", "—"), *operations]
        self.fields["worker"].choices = [("", _("— без рабочего —")), *workers]

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("pk") and not data.get("route_operation") and not data.get("quantity")


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, operations=(), workers=(), **kwargs):
        self.operations, self.workers = list(operations), list(workers)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"operations": self.operations, "workers": self.workers}


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=3, max_num=300, absolute_max=300
)


READINESS_LABELS = {
    "work_order": _("наряд"),
    "documentation": _("документация"),
    "material": _("материал"),
    "tooling": _("оснастка"),
    "tools": _("инструмент"),
}


class ReadinessForm(forms.Form):
    """The master's marks of every line: a checkbox per line and item of readiness
    (ticked — ready), and what is missing."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for name in READINESS_FIELDS:
                self.fields[self.name(item, name)] = forms.BooleanField(
                    label=READINESS_LABELS[name],
                    required=False,
                    initial=getattr(item, name) is not False,
                    widget=forms.CheckboxInput(attrs={"class": _CHECK}),
                )
            self.fields[self.name(item, "note")] = forms.CharField(
                label=_("Чего не хватает"),
                max_length=300,
                required=False,
                initial=item.not_ready_note,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    @staticmethod
    def name(item, what: str) -> str:
        return f"i{item.pk}-{what}"

    def marks(self) -> dict[int, dict[str, bool]]:
        return {
            item.pk: {name: self.cleaned_data[self.name(item, name)] for name in READINESS_FIELDS}
            for item in self.items
        }

    def notes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[self.name(item, "note")] for item in self.items}

    def rows(self):
        """Each line with its bound fields: the marks, then the note."""
        return [
            (
                item,
                [self[self.name(item, name)] for name in READINESS_FIELDS],
                self[self.name(item, "note")],
            )
            for item in self.items
        ]


def _as_typed(value: Decimal) -> Decimal:
    """A stored figure without the column's trailing zeros (19.00 → 19, 2.50 → 2.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class OutputForm(forms.Form):
    """The stubs of the whole task: good pieces and hours per line (and who, for a line
    without a worker). Both empty: nothing made on the line."""

    def __init__(self, *args, items, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        worker_choices = [("", "—"), *workers]
        for item in self.items:
            output = next(iter(item.outputs.all()), None)
            # The labels name the line: the error summary on top lists them by label, and
            # «Годных, шт.: Введите число.» does not say which of 60 lines is meant.
            line = item.line_label()
            self.fields[self.name(item, "quantity")] = _decimal(
                f"{line}: {_('Годных, шт.')}", places=2, max_value=Decimal(10**9)
            )
            self.fields[self.name(item, "hours")] = _decimal(
                f"{line}: {_('Отработано, ч')}", places=1, max_value=Decimal(24)
            )
            if output is not None:
                # as the master typed it: «19», not the column's «19,00»
                self.initial[self.name(item, "quantity")] = _as_typed(output.quantity)
                self.initial[self.name(item, "hours")] = output.hours_worked
            if item.worker_id is None:
                self.fields[self.name(item, "worker")] = forms.TypedChoiceField(
                    label=_("Рабочий"),
                    choices=worker_choices,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    widget=forms.Select(attrs={"class": _SELECT}),
                )
                if output is not None:
                    self.initial[self.name(item, "worker")] = output.worker_id

    @staticmethod
    def name(item, what: str) -> str:
        return f"o{item.pk}-{what}"

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            quantity = cleaned.get(self.name(item, "quantity"))
            hours = cleaned.get(self.name(item, "hours"))
            names = (self.name(item, "quantity"), self.name(item, "hours"))
            if all(name in cleaned for name in names) and (quantity is None) != (hours is None):
                self.add_error(
                    self.name(item, "quantity" if quantity is None else "hours"),
                    _("Укажите и годные штуки, и отработанные часы."),
                )
        return cleaned

    def entries(self):
        """(item id, worker id, quantity, hours) of every line."""
        data = self.cleaned_data
        return [
            (
                item.pk,
                item.worker_id or data.get(self.name(item, "worker")),
                data.get(self.name(item, "quantity")),
                data.get(self.name(item, "hours")),
            )
            for item in self.items
        ]

    def add_row_error(self, item_id: int, message: str) -> bool:
        """Put a service's message on the line's quantity (False: no such line here)."""
        for item in self.items:
            if item.pk == item_id:
                self.add_error(self.name(item, "quantity"), message)
                return True
        return False

    def rows(self):
        return [
            (
                item,
                self[self.name(item, "worker")] if item.worker_id is None else None,
                self[self.name(item, "quantity")],
                self[self.name(item, "hours")],
            )
            for item in self.items
        ]


class CancelForm(forms.Form):
    """Why the bureau cancels a task (kept on the task and in its history)."""

    reason = forms.CharField(
        label=_("Причина отмены"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Укажите причину отмены задания.")},
    )


STATUS_BADGES = {
    ShiftTask.Status.DRAFT: "text-bg-secondary",
    ShiftTask.Status.ISSUED: "text-bg-info",
    ShiftTask.Status.RETURNED: "text-bg-warning",
    ShiftTask.Status.READY: "text-bg-primary",
    ShiftTask.Status.SIGNED: "text-bg-success",
    ShiftTask.Status.REPORTED: "text-bg-dark",
    ShiftTask.Status.CANCELLED: "bg-danger-subtle text-danger-emphasis border border-danger-subtle",
}
