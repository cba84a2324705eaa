from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import inlineformset_factory
from django.forms.models import ModelFormMetaclass
from django.utils.translation import gettext_lazy as _

from .fields import formfield
from .formsets import refuse_incomplete
from .models import PayCondition, Profession, Section, StepScale, StepScaleRow, TariffRate, Worker
from .models.structure import MAX_GRADE, MIN_GRADE
from .numbers import figure_plain
from .rules import Step, step_gaps, step_problems
from .services import ScaleRowIn
from .submissions import SubmittedOnce
from .versions import StaleError, VersionField, check, renew_version, stamp


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def localize(field: forms.DecimalField) -> forms.DecimalField:
    """Accept and show "1 500,25": a text input (a number input refuses the comma and
    shows nothing for a localized value), with the decimal keypad on touch screens."""
    field.localize = True
    attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
    field.widget = forms.TextInput(attrs={**attrs, "inputmode": "decimal"})
    field.widget.is_localized = True
    return field


class _ProjectModelFormMetaclass(ModelFormMetaclass):
    """Gives every model form's ``Meta`` the project's ``formfield`` (unless it names its
    own): a decimal column becomes ``enterprise.fields.DecimalField``."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ProjectModelFormMetaclass):
    """The base of the project's model forms: decimal columns refuse hostile input."""


class PlantForm(ModelForm):
    """A model form with crispy layout, Russian number input (decimal comma) and a
    version check (:mod:`enterprise.versions`): saving over a row someone else changed
    after it was opened is refused, saying what changed; a service that saves the row
    checks :attr:`posted_version` again under its lock.
    """

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                localize(field)
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = _("— выберите —")
        if self.instance.pk:
            stored = self._stored()
            if stored is not None:
                self.fields["version"].initial = stamp(self.version_group(stored))
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's <form> carries the CSRF token; crispy would render a second one.
        self.helper.disable_csrf = True

    def _stored(self):
        return type(self.instance)._base_manager.filter(pk=self.instance.pk).first()

    def version_group(self, row):
        """The row and the fields of it this form edits, for :mod:`enterprise.versions`."""
        concrete = {f.name for f in row._meta.concrete_fields}
        return ([row], [name for name in self._meta.fields or () if name in concrete])

    @property
    def posted_version(self) -> str:
        """The version the page was drawn with (for a service's check under its lock)."""
        return str(self.data.get(self.add_prefix("version"), "")) if self.is_bound else ""

    def renew_version(self, token: str) -> None:
        renew_version(self, token)

    def clean(self):
        cleaned = super().clean()
        stored = self._stored() if self.instance.pk else None
        if stored is not None:
            try:
                check(self.posted_version, self.version_group(stored))
            except StaleError as error:
                self.renew_version(error.current)
                raise
        return cleaned


class WorkerForm(SubmittedOnce, PlantForm):
    class Meta:
        model = Worker
        fields = [
            "personnel_number",
            "last_name",
            "first_name",
            "middle_name",
            "section",
            "profession",
            "grade",
            "pay_condition",
            "birth_date",
            "hire_date",
            "dismissal_date",
        ]
        widgets = {
            "birth_date": DateInput(),
            "hire_date": DateInput(),
            "dismissal_date": DateInput(),
            "grade": forms.NumberInput(attrs={"min": 1, "max": 6}),
        }

    def __init__(self, *args, enterprise, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.fields["section"].queryset = (
            Section.objects.visible_to(user)
            .filter(shop__enterprise=enterprise)
            .select_related("shop")
        )
        self.fields["profession"].queryset = Profession.objects.filter(enterprise=enterprise)
        self.fields["pay_condition"].queryset = PayCondition.objects.filter(enterprise=enterprise)
        self.fields["grade"].error_messages["min_value"] = _("Разряд — от 1 до 6.")
        self.fields["grade"].error_messages["max_value"] = _("Разряд — от 1 до 6.")
        # The model field is a PositiveSmallIntegerField: its min_value=0 overrides the
        # widget's min; the input must offer the grades 1–6.
        self.fields["grade"].widget.attrs.update(min=MIN_GRADE, max=MAX_GRADE)

        self.helper.layout = Layout(
            Row(
                Column("personnel_number", css_class="col-md-3"),
                Column("last_name", css_class="col-md-3"),
                Column("first_name", css_class="col-md-3"),
                Column("middle_name", css_class="col-md-3"),
            ),
            Row(
                Column("section", css_class="col-md-6"), Column("profession", css_class="col-md-6")
            ),
            Row(
                Column("grade", css_class="col-md-3"), Column("pay_condition", css_class="col-md-9")
            ),
            Row(
                Column("birth_date", css_class="col-md-4"),
                Column("hire_date", css_class="col-md-4"),
                Column("dismissal_date", css_class="col-md-4"),
            ),
            "version",
            "submission",
        )

    def clean_personnel_number(self):
        # The enterprise is set by the view, not a form field, so Django's own unique
        # check skips the (enterprise, personnel number) rule: check it here, at the field.
        number = self.cleaned_data["personnel_number"]
        taken = Worker.objects.filter(
            enterprise=self.instance.enterprise, personnel_number=number
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Рабочий с таким табельным номером уже есть."))
        return number


class TariffRateForm(SubmittedOnce, PlantForm):
    class Meta:
        model = TariffRate
        fields = ["pay_condition", "grade", "hourly_rate", "valid_from"]
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.fields["pay_condition"].queryset = PayCondition.objects.filter(enterprise=enterprise)

    def clean(self):
        cleaned = super().clean()
        condition, grade, start = (
            cleaned.get("pay_condition"),
            cleaned.get("grade"),
            cleaned.get("valid_from"),
        )
        if condition and grade and start:
            taken = TariffRate.objects.filter(
                enterprise=self.instance.enterprise,
                pay_condition=condition,
                grade=grade,
                valid_from=start,
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "valid_from",
                    _("Ставка этого разряда и условий оплаты с этой даты уже есть."),
                )
        return cleaned


class StepScaleForm(SubmittedOnce, PlantForm):
    class Meta:
        model = StepScale
        fields = ["name", "code", "argument_label", "value_label", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = StepScale.objects.filter(enterprise=self.instance.enterprise, code=code).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Шкала с таким кодом уже есть."))
        return code


MAX_SCALE_ROWS = 100


class BaseStepRowFormSet(forms.BaseInlineFormSet):
    def rows(self) -> list[ScaleRowIn]:
        """The ranges as edited (the changed ones only), for ``step_scale_save``."""
        rows = []
        for form in self.forms:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            rows.append(
                ScaleRowIn(
                    lower=data.get("lower"),
                    upper=data.get("upper"),
                    value=data.get("value"),
                    pk=form.instance.pk,
                    delete=bool(data.get("DELETE")),
                )
            )
        return rows

    def clean(self):
        super().clean()
        if self.is_bound:
            refuse_incomplete(self)
        if any(self.errors):
            return
        live = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not live:
            raise forms.ValidationError(_("В шкале должен быть хотя бы один диапазон."))
        steps = [
            Step(
                form.cleaned_data.get("lower"),
                form.cleaned_data.get("upper"),
                form.cleaned_data.get("value"),
            )
            for form in live
        ]
        for index, problem in step_problems(steps):
            message = (
                _("Нижняя граница должна быть меньше верхней.")
                if problem == "empty"
                else _("Диапазон пересекается с другим диапазоном шкалы.")
            )
            live[index].add_error("lower", message)
        # A value in a gap would be an error when the scale is read: refused here, with the
        # rows on both sides of the gap named.
        rows = {id(form): number for number, form in enumerate(self.forms, start=1)}

        def shown(value):  # 105,0000 → 105; 0,9700 → 0,97
            return figure_plain(value)

        named = []
        for below, above, start, end in step_gaps(steps):
            message = _(
                "Пропуск между диапазонами: значения от %(start)s до %(end)s не попадают "
                "ни в один диапазон."
            ) % {"start": shown(start), "end": shown(end)}
            live[above].add_error("lower", message)
            named.append(
                _("строки %(below)s и %(above)s: от %(start)s до %(end)s")
                % {
                    "below": rows[id(live[below])],
                    "above": rows[id(live[above])],
                    "start": shown(start),
                    "end": shown(end),
                }
            )
        if named:
            raise forms.ValidationError(
                _("В шкале пропуски между диапазонами — %(gaps)s.") % {"gaps": "; ".join(named)}
            )


StepRowFormSet = inlineformset_factory(
    StepScale,
    StepScaleRow,
    form=PlantForm,
    formset=BaseStepRowFormSet,
    fields=["lower", "upper", "value"],
    extra=2,
    can_delete=True,
    # A posted TOTAL_FORMS builds that many forms (Django's cap is 2,000).
    max_num=MAX_SCALE_ROWS,
    absolute_max=MAX_SCALE_ROWS,
    validate_max=True,
)


class ReasonForm(SubmittedOnce, forms.Form):
    """The reason of a request to reopen a month (one request per form sent)."""

    reason = forms.CharField(
        label=_("Причина"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Укажите причину открытия периода.")},
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Решение"),
        choices=[("1", _("Открыть период")), ("0", _("Отказать"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Комментарий"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class RoleGrantFilterForm(forms.Form):
    """Filters of the log of role grants: a period of dates and the person who granted."""

    date_from = forms.DateField(label=_("С"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("По"), required=False, widget=DateInput())
    grantor = forms.TypedChoiceField(
        label=_("Кто назначил"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, grantors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantor"].choices = [("", _("все"))] + [
            (person.pk, person.get_full_name() or person.username) for person in grantors
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Конец периода раньше начала."))
        return cleaned
