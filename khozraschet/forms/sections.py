"""Forms of a section's attributes, passport (table 3) and time studies (table 4)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from enterprise.forms import DateInput, PlantForm
from enterprise.submissions import SubmittedOnce

from ..models import Passport, Profile, TimeStudy

PASSPORT_FIELDS = [
    "valid_from",
    "area",
    "operations",
    "workplaces",
    "output_plan",
    "output_actual",
    "weight_max",
    "weight_min",
    "equipment",
    "workers",
    "average_grade",
    "specialisation",
    "norms_met",
    "shifts",
    "output_per_worker",
    "mechanisation_degree",
    "mechanisation_level",
    "capacity",
]


class ProfileForm(PlantForm):
    """What the section is: purpose, specialisation, the sections it supplies."""

    class Meta:
        model = Profile
        fields = ["purpose", "specialisation", "consumers"]
        widgets = {"consumers": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, consumers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consumers"]
        field.queryset = consumers
        field.required = False
        field.label_from_instance = lambda s: f"{s.shop.number}/{s.number} {s.name}"
        field.help_text = _("Другие участки предприятия. Несколько — с Ctrl.")


class PassportForm(SubmittedOnce, PlantForm):
    """A version of the passport from a date (new, prefilled from the latest; or edited)."""

    class Meta:
        model = Passport
        fields = PASSPORT_FIELDS
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("operations", "workplaces", "equipment", "workers"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PASSPORT_FIELDS}

    def _post_clean(self):
        # The model refuses a date in a closed month for the whole form: say it at the date.
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        closed = [e for e in errors.as_data() if e.code == "period_closed"]
        if closed:
            kept = [e for e in errors.as_data() if e.code != "period_closed"]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]
            self.add_error("valid_from", closed)


class TimeStudyForm(SubmittedOnce, PlantForm):
    """A day's study of the section's working time, in % of the shift fund."""

    class Meta:
        model = TimeStudy
        fields = ["studied_on", *TimeStudy.WORK_FIELDS, *TimeStudy.LOSS_FIELDS]
        widgets = {"studied_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*TimeStudy.WORK_FIELDS, *TimeStudy.LOSS_FIELDS):
            self.fields[name].widget.attrs.update({"class": "text-end", "data-share": "1"})

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}

    @property
    def work_fields(self):
        return [self[name] for name in TimeStudy.WORK_FIELDS]

    @property
    def loss_fields(self):
        return [self[name] for name in TimeStudy.LOSS_FIELDS]
