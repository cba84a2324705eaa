"""Forms of org-technical measures and of the savings account."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField
from enterprise.forms import DateInput, PlantForm, localize
from enterprise.models import Period, Worker
from enterprise.money import KOPECK
from enterprise.submissions import SubmittedOnce
from planning.numbers import plain

from .models import FACTOR_GROUPS, TRANSITIONS, Factor, FactorGroup, OrgMeasure, SavingsEntry

# Figures shown without trailing zeros when a measure is opened for editing.
PLAIN_FIELDS = (
    "labour_before",
    "labour_after",
    "annual_quantity",
    "annual_time_fund",
    "norm_fulfilment",
)


class PageForm(forms.Form):
    """A plain form laid out by crispy inside the page's own <form> (which has the token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def factor_choices() -> list:
    """Table 20's factors grouped under their groups (an <optgroup> each)."""
    return [("", _("— выберите —"))] + [
        (group.label, [(f.value, f.label) for f in Factor if FACTOR_GROUPS[f] == group])
        for group in FactorGroup
    ]


class MeasureForm(SubmittedOnce, PlantForm):
    class Meta:
        model = OrgMeasure
        fields = [
            "section",
            "year",
            "name",
            "factor",
            "workplaces",
            "responsible",
            "deadline",
            "labour_before",
            "labour_after",
            "annual_quantity",
            "annual_time_fund",
            "norm_fulfilment",
            "headcount",
            "economic_effect",
            "authors",
        ]
        widgets = {"deadline": DateInput()}
        help_texts = {
            "labour_before": _("На единицу продукции, до мероприятия."),
            "labour_after": _("На единицу продукции, после мероприятия."),
            "annual_quantity": _("Единиц продукции в год."),
            "norm_fulfilment": _("Отношение: 1,2 — это 120 %."),
        }

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        sections = list(sections.select_related("shop"))
        self.fields["section"].queryset = self.fields["section"].queryset.filter(
            pk__in=[s.pk for s in sections]
        )
        self.fields["factor"].choices = factor_choices()
        localize(self.fields["headcount"])  # "5 321" as typed and as shown
        self.fields["headcount"].widget.attrs["inputmode"] = "numeric"
        creating = self.instance.pk is None
        for name in PLAIN_FIELDS:  # "216 900", not "216 900,000"
            value = self.initial.get(name)
            if value is not None:
                self.initial[name] = plain(value)
        if creating:
            self.fields["year"].initial = timezone.localdate().year
            self.fields["headcount"].required = False
            self.fields["headcount"].help_text = _(
                "Пусто — работающие участка на сегодня. К ней относится рост "
                "производительности от мероприятия."
            )
            if len(sections) == 1:
                self.fields["section"].initial = sections[0].pk
        # Authors: the workers of the sections offered, grouped by section (the page's
        # script shows the chosen section's); those already named stay on the list.
        kept = list(self.instance.authors.all()) if not creating else []
        workers = list(
            Worker.objects.active()
            .filter(section__in=sections)
            .select_related("section__shop")
            .order_by("section__shop__number", "section__number", "last_name", "first_name")
        )
        workers += [w for w in kept if w.pk not in {x.pk for x in workers}]
        field = self.fields["authors"]
        field.queryset = Worker.objects.filter(pk__in=[w.pk for w in workers])
        field.required = False
        field.help_text = _(
            "Рабочие участка — для их лицевых счетов творческого вклада. Несколько — с Ctrl."
        )
        grouped: dict[str, list] = {}
        for worker in workers:
            grouped.setdefault(str(worker.section), []).append(
                (worker.pk, f"{worker.full_name} ({worker.personnel_number})")
            )
        field.widget = forms.SelectMultiple(
            attrs={"size": 8, "data-authors": "1"}, choices=list(grouped.items())
        )
        self.fields["section"].widget.attrs["data-measure-section"] = "1"


class StatusForm(PageForm):
    status = forms.ChoiceField(label=_("Новое состояние"))
    completed_on = forms.DateField(
        label=_("Дата внедрения"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, measure: OrgMeasure, **kwargs):
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, OrgMeasure.Status(status).label)
            for status in TRANSITIONS.get(measure.status, ())
        ]


class SavingsForm(SubmittedOnce, PageForm):
    """A saving for the worker's account. The months offered are the open ones; a month
    closed meanwhile is refused by the model with the period's message."""

    period = forms.ModelChoiceField(label=_("Месяц"), queryset=Period.objects.none())
    kind = forms.ChoiceField(label=_("Вид экономии"), choices=SavingsEntry.Kind.choices)
    amount = localize(
        DecimalField(label=_("Сумма, руб."), max_digits=12, decimal_places=2, min_value=KOPECK)
    )
    description = forms.CharField(label=_("За что"), max_length=300)
    measure = forms.ModelChoiceField(
        label=_("По мероприятию"), queryset=OrgMeasure.objects.none(), required=False
    )

    def __init__(self, *args, worker: Worker, measures, **kwargs):
        super().__init__(*args, **kwargs)
        periods = Period.objects.filter(enterprise_id=worker.enterprise_id)
        field = self.fields["period"]
        field.queryset = periods
        open_periods = list(periods.filter(status=Period.Status.OPEN).order_by("year", "month"))
        field.widget.choices = [("", _("— выберите —"))] + [(p.pk, str(p)) for p in open_periods]
        if open_periods and not self.is_bound:
            today = timezone.localdate()
            current = [p for p in open_periods if (p.year, p.month) == (today.year, today.month)]
            field.initial = (current or open_periods[-1:])[0].pk
        self.fields["measure"].queryset = measures
        self.fields["measure"].empty_label = _("— нет —")
