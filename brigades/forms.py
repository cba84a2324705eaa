from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField, IntegerField, ModelMultipleChoiceField
from enterprise.forms import DateInput, ModelForm, PlantForm, localize
from enterprise.formsets import RowFormSet, refuse_incomplete, row_formset
from enterprise.inputs import fast_input
from enterprise.models import Period, Profession, Worker
from enterprise.numbers import figure_signed
from enterprise.submissions import SubmittedOnce

from . import services
from .models import Brigade, KtuCriterion, Post


class PageForm(forms.Form):
    """A plain form laid out by crispy inside the page's own <form> (which has the token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


_localized = localize


def _fast(field: forms.DecimalField) -> forms.DecimalField:
    """A localized figure whose input is written in Python (a grid of many)."""
    return fast_input(localize(field))


class BrigadeForm(SubmittedOnce, PlantForm):
    class Meta:
        model = Brigade
        fields = [
            "section",
            "number",
            "name",
            "kind",
            "pay_system",
            "single_work_order",
            "method",
            "work_grade",
            "formed_on",
            "disbanded_on",
        ]
        widgets = {"formed_on": DateInput(), "disbanded_on": DateInput()}

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections.select_related("shop")


class MembershipForm(SubmittedOnce, PageForm):
    worker = forms.ModelChoiceField(label=_("Рабочий"), queryset=Worker.objects.none())
    valid_from = forms.DateField(label=_("В бригаде с"), widget=DateInput())
    grade = IntegerField(
        label=_("Разряд"), min_value=1, max_value=6, required=False,
        help_text=_("Пусто — разряд рабочего."),
    )  # fmt: skip
    conditional_grade = IntegerField(
        label=_("Условный разряд"), min_value=1, max_value=6, required=False
    )

    def __init__(self, *args, brigade: Brigade, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = Worker.objects.filter(
            section_id=brigade.section_id, dismissal_date__isnull=True
        ).select_related("profession")
        self.fields["worker"].empty_label = _("— выберите —")


class MembershipChangeForm(PageForm):
    on = forms.DateField(label=_("С какого дня"), widget=DateInput())
    profession = forms.ModelChoiceField(label=_("Профессия"), queryset=Profession.objects.none())
    grade = IntegerField(label=_("Разряд"), min_value=1, max_value=6)
    conditional_grade = IntegerField(
        label=_("Условный разряд"), min_value=1, max_value=6, required=False
    )

    def __init__(self, *args, enterprise_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].queryset = Profession.objects.filter(enterprise_id=enterprise_id)


class EndForm(PageForm):
    on = forms.DateField(label=_("Последний день в бригаде"), widget=DateInput())


class PostForm(SubmittedOnce, PageForm):
    kind = forms.ChoiceField(label=_("Должность"), choices=Post.Kind.choices)
    worker = forms.ModelChoiceField(label=_("Рабочий"), queryset=Worker.objects.none())
    valid_from = forms.DateField(label=_("С"), widget=DateInput())

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].empty_label = _("— выберите —")


class OpenMonthForm(SubmittedOnce, PageForm):
    period = forms.ModelChoiceField(label=_("Месяц"), queryset=Period.objects.none())

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].empty_label = _("— выберите —")


class EarningsForm(PageForm):
    method = forms.ChoiceField(label=_("Способ распределения"), choices=Brigade.Method.choices)
    piecework = _localized(
        DecimalField(label=_("Сдельный заработок по наряду, руб."), decimal_places=2)
    )
    bonus = _localized(DecimalField(label=_("Коллективная премия, руб."), decimal_places=2))
    savings = _localized(
        DecimalField(label=_("Экономия фонда заработной платы, руб."), decimal_places=2)
    )
    norm_hours = _localized(
        DecimalField(label=_("Выработка, нормо-часов"), decimal_places=2, min_value=Decimal(0))
    )

    def __init__(self, *args, correction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not correction:
            for name in ("piecework", "bonus", "savings"):
                self.fields[name].validators.append(
                    MinValueValidator(0, _("Сумма не может быть отрицательной."))
                )


class TimesheetRowForm(PageForm):
    line = fast_input(IntegerField(widget=forms.HiddenInput))
    hours = _fast(
        DecimalField(
            label=_("Часы"), min_value=Decimal(0), max_value=Decimal(744), decimal_places=2
        )
    )
    absence_hours = _fast(
        DecimalField(
            label=_("Неявки, ч"), min_value=Decimal(0), max_value=Decimal(744), decimal_places=2
        )
    )
    absence_note = fast_input(
        forms.CharField(label=_("Причина неявки"), max_length=200, required=False)
    )
    output = _fast(
        DecimalField(label=_("Личная выработка, руб."), min_value=Decimal(0), decimal_places=2)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("hours", "absence_hours", "output"):
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm text-end", "inputmode": "decimal"}
            )
        self.fields["absence_note"].widget.attrs["class"] = "form-control form-control-sm"


class BaseTimesheetFormSet(RowFormSet):
    """A refusal of the service (``enterprise.web.run``) that concerns the timesheet as a
    whole — the month closed, the document past the draft, a line no longer in it — goes
    into the formset's own (non-form) errors: one alert above the table; a line's
    implausible hours go next to its hours (:mod:`enterprise.plausibility`)."""

    error_field = "hours"


TimesheetFormSet = row_formset(TimesheetRowForm, key="line", formset=BaseTimesheetFormSet)


class CriteriaField(ModelMultipleChoiceField):
    """Criteria with their raise or cut in Russian figures: «Совмещение профессий (+0,10)»."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({figure_signed(obj.adjustment, 2)})"


class KtuForm(PageForm):
    criteria = CriteriaField(
        label=_("Показатели"),
        queryset=KtuCriterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Примечание"), max_length=300, required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = criteria


class AgreeForm(PageForm):
    minutes = forms.CharField(
        label=_("Протокол совета бригады"),
        max_length=200,
        help_text=_("Номер и дата протокола заседания совета, например «№ 11 от 28.11.2026»."),
    )


class ReturnForm(PageForm):
    reason = forms.CharField(label=_("Причина возврата"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip


class CorrectForm(SubmittedOnce, PageForm):
    period = forms.ModelChoiceField(label=_("Открытый месяц"), queryset=Period.objects.none())

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].empty_label = _("— выберите —")


MAX_CRITERIA = 100


class KtuCriterionForm(ModelForm):
    """A row of the regulation's grid: its column heads name the inputs (each input keeps
    a label, visually hidden), the adjustment's hint is written once under the grid."""

    class Meta:
        model = KtuCriterion
        fields = ["name", "adjustment", "active", "order"]
        localized_fields = ["adjustment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("adjustment", "order"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm text-end"
        self.fields["adjustment"].widget.attrs.update(
            {"inputmode": "decimal", "aria-describedby": KTU_ADJUSTMENT_HINT}
        )
        self.fields["order"].widget.attrs["inputmode"] = "numeric"
        self.fields["active"].widget.attrs["class"] = "form-check-input"


KTU_ADJUSTMENT_HINT = "ktu-adjustment-hint"
"""The id of the adjustment's hint under the regulation's grid (each row's input refers
to it)."""


class KtuRangeForm(PageForm):
    ktu_min = _localized(
        DecimalField(label=_("КТУ — минимум"), min_value=Decimal(0), decimal_places=2)
    )
    ktu_max = _localized(
        DecimalField(label=_("КТУ — максимум"), min_value=Decimal(0), decimal_places=2)
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("ktu_min"), cleaned.get("ktu_max")
        if low is not None and high is not None and high <= low:
            self.add_error("ktu_max", _("Максимум КТУ должен быть больше минимума."))
        return cleaned


class BaseKtuCriterionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if self.is_bound:
            refuse_incomplete(self)

    def criteria(self) -> list[services.CriterionIn]:
        """The changed and the new criteria, for ``ktu_settings_save``."""
        return [
            services.CriterionIn(
                name=form.cleaned_data["name"],
                adjustment=form.cleaned_data["adjustment"],
                active=form.cleaned_data["active"],
                order=form.cleaned_data["order"],
                pk=form.instance.pk,
            )
            for form in self.forms
            if form.has_changed()
        ]


KtuCriterionFormSet = forms.modelformset_factory(
    KtuCriterion,
    form=KtuCriterionForm,
    formset=BaseKtuCriterionFormSet,
    extra=2,
    can_delete=False,
    # A posted TOTAL_FORMS builds that many forms (Django's cap is 2,000): an enterprise
    # has a few dozen criteria.
    max_num=MAX_CRITERIA,
    absolute_max=MAX_CRITERIA,
    validate_max=True,
)
