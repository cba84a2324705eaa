"""Forms of the bureau's data: a part's route with its operations, a stock counted at a
consumer shop, the kits an assembly shop assembled in a day."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField
from enterprise.forms import DateInput, ModelForm, PlantForm, localize
from enterprise.models import Section, Shop

from .models import EquipmentGroup, Part, Route, RouteOperation


class _PageForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                localize(field)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class PartForm(PlantForm):
    class Meta:
        model = Part
        fields = ["number", "name", "assembly_shop", "daily_need"]

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly_shop"].queryset = shops


class RouteForm(PlantForm):
    class Meta:
        model = Route
        fields = [
            "section",
            "sequence",
            "batch_size",
            "parallelism",
            "natural_days",
            "waiting_days",
            "monthly_output",
            "safety_days",
        ]
        help_texts = {
            "parallelism": _("От 0 до 1: 1 — последовательная передача партии."),
            "safety_days": _("Страховой запас в днях выпуска: Зстр = А / 22 × Кк."),
        }

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections.select_related("shop")


class OperationForm(ModelForm):
    class Meta:
        model = RouteOperation
        fields = ["number", "name", "piece_hours", "equipment_group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize(self.fields["piece_hours"])
        self.fields["equipment_group"].required = False
        # Rendered bare in the operations grid (its column heads are the labels).
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if name == "equipment_group"
                else "form-control form-control-sm"
            )


OperationFormSet = inlineformset_factory(
    Route,
    RouteOperation,
    form=OperationForm,
    extra=2,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


def operation_formset(data=None, *, route: Route, shops) -> forms.BaseInlineFormSet:
    """The route's operations; a machine group is one of the shops' of the section."""
    formset = OperationFormSet(
        data, instance=route, prefix="ops", queryset=RouteOperation.objects.order_by("number")
    )
    groups = EquipmentGroup.objects.filter(shop__in=shops).select_related("shop")
    for form in formset.forms:
        form.fields["equipment_group"].queryset = groups
    formset.empty_form.fields["equipment_group"].queryset = groups
    return formset


class StockForm(_PageForm):
    part = forms.ModelChoiceField(label=_("Деталь"), queryset=Part.objects.none())
    shop = forms.ModelChoiceField(label=_("Цех-потребитель"), queryset=Shop.objects.none())
    date = forms.DateField(label=_("Дата учёта"), widget=DateInput())
    quantity = DecimalField(label=_("Задел, шт."), max_digits=12, decimal_places=2, min_value=0)

    def __init__(self, *args, parts, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = parts
        self.fields["shop"].queryset = shops
        self.fields["date"].initial = timezone.localdate()


class AssemblyDayForm(_PageForm):
    date = forms.DateField(label=_("Дата"), widget=DateInput())
    kits = DecimalField(
        label=_("Собрано суточных комплектов"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        max_value=10,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


def route_sections(user, part: Part):
    """Sections a route of the part may pass through: those of the part's plant the user
    keeps routes for."""
    return Section.objects.visible_to(user).filter(shop__enterprise_id=part.enterprise_id)
