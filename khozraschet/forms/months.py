"""Forms of a section's month as the bureau and the economist enter it: the indicators'
grid, the month's sheet, idle hours and energy savings (grids of
:mod:`enterprise.formsets`), and the incentive fund.

Decimal inputs take Russian figures («1 234,5»): :class:`enterprise.fields.DecimalField`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField, IntegerField, RangeMax, RangeMin
from enterprise.forms import ModelForm, localize
from enterprise.formsets import RowFormSet, row_formset
from enterprise.submissions import SubmittedOnce

from ..models import SectionMonth
from ..services.months import SHEET_FIELDS, RowErrors

_CELL = "form-control form-control-sm text-end"


def _decimal(label, *, max_digits, places, max_value=None):
    field = localize(
        DecimalField(
            label=label,
            required=False,
            min_value=Decimal(0),
            max_value=max_value,
            max_digits=max_digits,
            decimal_places=places,
        )
    )
    field.widget.attrs["class"] = _CELL
    return field


class EntryGridFormSet(RowFormSet):
    """A grid of a section's month: a service's refusal goes next to the row (and its
    field) it names; what concerns the whole grid is said above the table.

    ``keys`` may be text (a cause, a resource) as well as ids."""

    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        if keys is not None:
            self.keys = {self.key_value(key) for key in keys}
        self.unlikely: set = set()

    @staticmethod
    def key_value(key):
        return key

    def rows_by_key(self) -> dict:
        return {
            form.cleaned_data.get(self.key): form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
        }

    def service_errors(self, error: ValidationError) -> None:
        if not isinstance(error, RowErrors):
            self.non_form_errors().extend(error.messages)
            return
        forms_by_key = self.rows_by_key()
        self.unlikely = set(error.unlikely)
        for key, fields in error.by_row.items():
            form = forms_by_key.get(key)
            for field, messages in fields.items():
                if form is None:
                    self.non_form_errors().extend(messages)
                    continue
                if key in self.unlikely:
                    form.unlikely = True
                form.add_error(field if field in form.fields else None, messages)


# --- indicators ------------------------------------------------------------------------------


class IndicatorRowForm(forms.Form):
    """A row of the grid; both figures empty — no entry for the indicator."""

    indicator = IntegerField(widget=forms.HiddenInput)
    plan = _decimal(_("План"), max_digits=16, places=3)
    actual = _decimal(_("Факт"), max_digits=16, places=3)

    unlikely = False


class BaseIndicatorFormSet(EntryGridFormSet):
    """``automatic``: ids of indicators whose actual comes from another app — their
    actual cannot be typed (a posted value is ignored)."""

    def __init__(self, *args, automatic=(), **kwargs):
        self.automatic = set(automatic)
        super().__init__(*args, **kwargs)

    @staticmethod
    def key_value(key):
        return int(key)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        initial = self.initial[i] if self.initial and i < len(self.initial) else {}
        if initial.get("indicator") in self.automatic:
            form.fields["actual"].disabled = True
            form.automatic = True
        return form


IndicatorFormSet = row_formset(
    IndicatorRowForm, key="indicator", formset=BaseIndicatorFormSet, row_attr="indicator_id"
)


class ConfirmForm(forms.Form):
    """«Подтверждаю цифры» under a grid that asked for confirmation; ``flagged``: the rows
    it asked about with the figures shown (``id:plan:actual;…``) — the tick confirms
    those figures only, not a row changed afterwards."""

    confirm = forms.BooleanField(
        label=_("Подтверждаю цифры"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    flagged = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20_000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "confirm")
        super().__init__(*args, **kwargs)

    @staticmethod
    def encode(rows) -> str:
        """``rows``: (indicator id, plan, actual) of the rows asked about."""
        return ";".join(
            f"{key}:{plan}:{'' if actual is None else actual}" for key, plan, actual in rows
        )

    def confirmed(self) -> set:
        """(indicator id, plan, actual) the user confirmed (empty: no tick)."""
        if not self.is_valid() or not self.cleaned_data.get("confirm"):
            return set()
        found = set()
        for item in self.cleaned_data.get("flagged", "").split(";"):
            parts = item.split(":")
            if len(parts) != 3:
                continue
            try:
                key = int(parts[0])
                plan = Decimal(parts[1])
                actual = Decimal(parts[2]) if parts[2] else None
            except (ValueError, InvalidOperation):
                continue
            if plan.is_finite() and (actual is None or actual.is_finite()):
                found.add((key, plan, actual))
        return found


# --- the month's sheet -----------------------------------------------------------------------


def _model_range(field: DecimalField, model_field) -> None:
    """The column's own limits (Ккт up to 3, a percent up to 100) checked by the form
    field, with the project's Russian message, before the model sees the value."""
    for validator in model_field.validators:
        if isinstance(validator, MaxValueValidator):
            field.range[0] = RangeMax(min(Decimal(validator.limit_value), field.max_value))
        elif isinstance(validator, MinValueValidator):
            field.range[1] = RangeMin(max(Decimal(validator.limit_value), field.min_value))


class SectionMonthForm(ModelForm):
    class Meta:
        model = SectionMonth
        fields = list(SHEET_FIELDS)
        help_texts = {
            "plan_decade_1": _("Нормо-часы; по декадам считается ритмичность."),
            "on_time_output": _(
                "Для уровня комплектности П = В / (В + А): выпущено в срок по номенклатуре "
                "с учётом необходимых заделов."
            ),
            "shortfall": _("Недовыполнение плана по номенклатуре, в тех же единицах, что В."),
            "quality_collective": _("Коэффициент качества труда коллектива участка (табл. 9)."),
            "quality_masters": _("Коэффициент качества труда мастеров (табл. 9)."),
            "productivity_wage_deviation": _(
                "На сколько процентов рост производительности отстал от роста зарплаты "
                "(0 — не отстал); входит в комплексную оценку мастера (табл. 7)."
            ),
            "shift_fund_hours": _("Для доли простоев в сменном фонде (табл. 11)."),
            "consumers_filed_no_claims": _(
                "Только для вспомогательного участка: если потребители его работ не "
                "предъявили претензий, его план считается выполненным."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, DecimalField):
                localize(field)
                field.widget.attrs["class"] = "form-control text-end"
                _model_range(field, SectionMonth._meta.get_field(name))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# --- idle hours by cause -----------------------------------------------------------------------


class IdleRowForm(forms.Form):
    cause = forms.CharField(widget=forms.HiddenInput, max_length=20)
    hours = _decimal(_("Простой, ч"), max_digits=10, places=1, max_value=Decimal(1_000_000))


IdleFormSet = row_formset(IdleRowForm, key="cause", formset=EntryGridFormSet, row_attr="cause")


# --- energy savings ----------------------------------------------------------------------------


class EnergyRowForm(forms.Form):
    resource = forms.CharField(widget=forms.HiddenInput, max_length=14)
    saved_value = _decimal(
        _("Стоимость сэкономленного, руб."), max_digits=14, places=2, max_value=Decimal("1e10")
    )
    percent = _decimal(_("Премия, % стоимости"), max_digits=7, places=2, max_value=Decimal(100))


EnergyFormSet = row_formset(
    EnergyRowForm, key="resource", formset=EntryGridFormSet, row_attr="resource"
)


# --- the incentive fund ------------------------------------------------------------------------


class FundForm(SubmittedOnce, forms.Form):
    shop = forms.ModelChoiceField(
        label=_("Кому"),
        queryset=None,
        required=False,
        empty_label=_("Все участки предприятия"),
        help_text=_(
            "Фонд делится между участками пропорционально плановому фонду зарплаты × Кнапр."
        ),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    amount = localize(
        DecimalField(
            label=_("Поощрительный фонд, руб."),
            min_value=Decimal(0),
            max_value=Decimal("1e11"),
            max_digits=14,
            decimal_places=2,
        )
    )

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops
        self.fields["amount"].widget.attrs["class"] = "form-control text-end"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
