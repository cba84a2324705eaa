"""Forms of the tracking pages: the output grid, the import file, the section's days.

Decimal inputs are text inputs in Russian format («1 234,5») through
:func:`enterprise.forms.localize`.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField, IntegerField
from enterprise.forms import localize
from enterprise.formsets import row_formset
from enterprise.models import Period
from enterprise.money import NIL

IMPORT_MAX_BYTES = 5 * 1024 * 1024

_CELL = "form-control form-control-sm text-end"


def _decimal(label, *, max_digits, places, max_value=None):
    field = localize(
        DecimalField(
            label=label,
            required=False,
            min_value=NIL,
            max_value=max_value,
            max_digits=max_digits,
            decimal_places=places,
        )
    )
    field.widget.attrs["class"] = _CELL
    return field


class OutputRowForm(forms.Form):
    """A worker's line of the month's grid; an empty line (no output, no hours) is no entry."""

    worker = IntegerField(widget=forms.HiddenInput)
    output = _decimal(_("Выработка"), max_digits=14, places=3)
    hours_worked = _decimal(_("Отработано, ч"), max_digits=7, places=1, max_value=Decimal(400))
    nomenclature_met = forms.BooleanField(
        label=_("Номенклатура выполнена"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        output, hours = cleaned.get("output"), cleaned.get("hours_worked")
        if (
            "output" in cleaned
            and "hours_worked" in cleaned
            and (output is None) != (hours is None)
        ):
            self.add_error(
                "output" if output is None else "hours_worked",
                _("Укажите и выработку, и отработанные часы."),
            )
        return cleaned


OutputFormSet = row_formset(OutputRowForm, key="worker", row_attr="worker_id")


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        closed = _(" (закрыт)") if obj.is_closed else ""
        return f"{obj}{closed}"


class OutputImportForm(forms.Form):
    file = forms.FileField(
        label=_("Файл XLSX или CSV"),
        help_text=_(
            "Столбцы: табельный номер; месяц (ММ.ГГГГ) — или месяц, выбранный ниже; "
            "выработка; отработано часов; номенклатура выполнена (да/нет, пусто — да). "
            "Числа — в русском формате: «12,5». Первая строка может быть заголовком."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
    month = PeriodChoiceField(
        label=_("Месяц"),
        queryset=Period.objects.none(),
        required=False,
        empty_label=_("— из файла —"),
        help_text=_("Для строк, где месяц не указан (или в файле нет столбца «месяц»)."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].queryset = periods

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Нужен файл XLSX или CSV."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Файл больше 5 МБ: разделите его на части."))
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SectionDaysForm(forms.Form):
    """One text input per day of the month: the section's output of that day."""

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = list(days)
        for day in self.days:
            field = _decimal(date_format(day, "d.m"), max_digits=14, places=3)
            self.fields[self.field_name(day)] = field

    @staticmethod
    def field_name(day) -> str:
        return f"d{day:%d}"

    def values(self) -> dict:
        return {day: self.cleaned_data.get(self.field_name(day)) for day in self.days}

    def bound(self, day):
        return self[self.field_name(day)]
