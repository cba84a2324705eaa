"""Forms of the cost plan: the grid of articles, a correction, a master's explanation.

Money is typed in Russian format («1 234,5»): the project's ``DecimalField`` localized.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprise.fields import DecimalField, IntegerField
from enterprise.forms import PlantForm, localize
from enterprise.formsets import row_formset
from enterprise.money import NIL
from enterprise.submissions import SubmittedOnce

from ..models import CostArticle, DeviationNote

_CELL = "form-control form-control-sm text-end"
LIMIT = Decimal("1e11")


def _money(label, *, required=False, min_value=NIL):
    field = localize(
        DecimalField(
            label=label,
            required=required,
            min_value=min_value,
            max_value=LIMIT,
            max_digits=14,
            decimal_places=2,
        )
    )
    field.widget.attrs["class"] = _CELL
    return field


class CostRowForm(forms.Form):
    """An article's line of the month: plan and actual (both empty — no line)."""

    article = IntegerField(widget=forms.HiddenInput)
    plan = _money(_("План, руб."))
    actual = _money(_("Факт, руб."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan") is None and cleaned.get("actual") is not None:
            self.add_error("plan", _("Укажите план: факт без плана не с чем сравнить."))
        return cleaned


CostGrid = row_formset(CostRowForm, key="article", row_attr="article_id")


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CorrectionForm(SubmittedOnce, forms.Form):
    """A month-end correction of an article's plan: + raises it, − lowers it."""

    article = ArticleChoiceField(
        label=_("Статья"),
        queryset=CostArticle.objects.none(),
        empty_label=_("— выберите —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    amount = localize(
        DecimalField(
            label=_("Поправка плана, руб."),
            min_value=-LIMIT,
            max_value=LIMIT,
            max_digits=14,
            decimal_places=2,
            help_text=_("Плюс — план растёт (материал дороже плана), минус — снижается."),
        )
    )
    reason = forms.CharField(
        label=_("Причина, не зависящая от участка"),
        max_length=500,
        error_messages={"required": _("Укажите причину поправки.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.fields["amount"].widget.attrs["class"] = "form-control text-end"

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("Нулевая поправка ничего не меняет."))
        return amount


class DeviationNoteForm(SubmittedOnce, PlantForm):
    """A master's explanation of a deviation on a part by an article (new or his own)."""

    class Meta:
        model = DeviationNote
        fields = ["part", "article", "deviation", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"deviation": _("Плюс — перерасход, минус — экономия.")}

    def __init__(self, *args, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.fields["article"].label_from_instance = lambda obj: obj.name

    def clean_part(self):
        part = self.cleaned_data["part"].strip()
        if not part:
            raise forms.ValidationError(_("Укажите деталь или заготовку."))
        return part

    def clean_explanation(self):
        text = self.cleaned_data["explanation"].strip()
        if not text:
            raise forms.ValidationError(_("Напишите объяснение отклонения."))
        return text
