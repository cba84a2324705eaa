"""Forms of personal plans: one plan, a section's plans by a method, the section's task."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField, IntegerField
from enterprise.forms import ModelForm, PlantForm, localize
from enterprise.submissions import SubmittedOnce

from .models import OutputUnit, PersonalPlan, SectionTask

M = PersonalPlan.Method

# Which inputs each method shows (the rest are hidden by static/js/plan-form.js and ignored).
METHOD_FIELDS = {
    M.AVERAGE: ("average_output", "growth_percent", "base_output"),
    M.TABLE: (
        "base_output",
        "section_growth_percent",
        "section_norm_fulfilment",
        "worker_norm_fulfilment",
    ),
    M.FORMULA: (
        "base_output",
        "section_growth_percent",
        "section_norm_fulfilment",
        "worker_norm_fulfilment",
    ),
    M.TEXTILE: (
        "time_balance_hours",
        "service_norm",
        "machine_productivity",
        "working_share",
        "base_output",
    ),
    M.MANUAL: ("annual_volume", "growth_percent", "base_output"),
}
INPUTS = (
    "average_output",
    "base_output",
    "section_growth_percent",
    "section_norm_fulfilment",
    "worker_norm_fulfilment",
    "time_balance_hours",
    "service_norm",
    "machine_productivity",
    "working_share",
    "annual_volume",
    "growth_percent",
)
COMMITMENTS = (
    "production_task",
    "scrap_reduction_percent",
    "labour_reduction_hours",
    "materials_savings",
    "tools_savings",
    "energy_savings",
    "proposals",
    "other_commitments",
)


class PlanForm(SubmittedOnce, ModelForm):
    """One worker's plan: the method, its inputs and the other commitments.

    The figures are not entered but calculated (``planning.calculation``) on save; for the
    manual method the volume (and, if known, the growth) is what the user enters.
    """

    class Meta:
        model = PersonalPlan
        fields = (
            "method",
            "output_unit",
            "unit",
            "five_year_from",
            "annual_time_fund",
            *INPUTS,
            *COMMITMENTS,
        )
        widgets = {
            "production_task": forms.Textarea(attrs={"rows": 2}),
            "other_commitments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField):
                localize(field)
            if name in INPUTS:
                field.required = False
                methods = [m for m, names in METHOD_FIELDS.items() if name in names]
                field.widget.attrs["data-methods"] = " ".join(methods)
        self.fields["method"].widget.attrs["data-plan-method"] = ""
        self.fields["growth_percent"].help_text = _(
            "Для способа «от средней выработки» — планируемый рост; при вводе вручную — "
            "если пусто, рассчитывается к выработке базового года."
        )

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in (*INPUTS, "annual_time_fund")}

    def commitments(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in COMMITMENTS}

    @property
    def input_fields(self):
        return [self[name] for name in INPUTS]

    @property
    def commitment_fields(self):
        return [self[name] for name in COMMITMENTS]


class SectionMethodForm(forms.Form):
    """Set every worker's plan of a section at once by a method (§3)."""

    method = forms.ChoiceField(
        label=_("Способ"),
        choices=[(m.value, m.label) for m in M if m != M.MANUAL],
        widget=forms.Select(attrs={"data-plan-method": ""}),
    )
    annual_time_fund = localize(
        DecimalField(
            label=_("Плановый фонд рабочего времени, ч"),
            max_digits=7,
            decimal_places=1,
            min_value=1,
        )
    )
    five_year_from = IntegerField(
        label=_("Пятилетка с"), min_value=1960, max_value=2100, required=False
    )
    growth_percent = localize(
        DecimalField(
            label=_("Планируемый рост Д, %"), max_digits=7, decimal_places=3, required=False
        )
    )
    section_growth_percent = localize(
        DecimalField(label=_("Рост участка Пу, %"), max_digits=7, decimal_places=3, required=False)
    )
    section_norm_fulfilment = localize(
        DecimalField(
            label=_("Выполнение норм участком Ну"),
            max_digits=6,
            decimal_places=3,
            required=False,
            min_value=0,
        )
    )
    service_norm = localize(
        DecimalField(
            label=_("Норма обслуживания Нот"), max_digits=6, decimal_places=3, required=False
        )
    )
    machine_productivity = localize(
        DecimalField(
            label=_("Производительность оборудования По, м/ч"),
            max_digits=6,
            decimal_places=3,
            required=False,
        )
    )
    working_share = localize(
        DecimalField(
            label=_("Коэффициент работающего оборудования Кро"),
            max_digits=6,
            decimal_places=3,
            required=False,
            min_value=0,
            max_value=1,
        )
    )

    NEEDS = {
        M.AVERAGE: ("growth_percent",),
        M.TABLE: ("section_growth_percent", "section_norm_fulfilment"),
        M.FORMULA: ("section_growth_percent", "section_norm_fulfilment"),
        M.TEXTILE: ("service_norm", "machine_productivity", "working_share"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            methods = [m for m, names in self.NEEDS.items() if name in names]
            if methods:
                field.widget.attrs["data-methods"] = " ".join(methods)

    def clean(self):
        data = super().clean()
        for name in self.NEEDS.get(data.get("method"), ()):
            if data.get(name) is None:
                self.add_error(name, _("Нужно для выбранного способа."))
        return data

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("method",)}


class SectionTaskForm(PlantForm):
    class Meta:
        model = SectionTask
        fields = (
            "output_unit",
            "unit",
            "task",
            "growth_percent",
            "norm_fulfilment",
            "sound_upper_percent",
            "reward_on_time",
            "monthly_bonus_percent",
            "quarterly_bonus_percent",
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Причина"), max_length=300)


class ReviseForm(SubmittedOnce, ReasonForm):
    """A new version of a signed plan: one per form sent."""


MEASURE_UNITS = {
    OutputUnit.LABOUR_INTENSITY: "нормо-ч",
    OutputUnit.NORM_HOURS: "нормо-ч",
    OutputUnit.NORM_RUBLES: "нормо-руб.",
    OutputUnit.NATURAL: "шт.",
}
