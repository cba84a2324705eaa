"""enterprise.widgets.Select writes the HTML Django's template-rendered select writes."""

from __future__ import annotations

import datetime

import django_filters
import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from enterprise import widgets
from enterprise.models import Shop

CHOICES = [
    ("", gettext_lazy("все")),
    (gettext_lazy("Цеха"), [("shop:1", 'цех № 1 «<b>» & "x"'), ("shop:2", "второй")]),
    ("Числа", [(12345, 12345), (1.5, 1.5), ("d", datetime.date(2026, 1, 2))]),
    (mark_safe("<i>"), mark_safe("<i>")),
]
ATTRS = [
    {},
    {"id": "id_x", "class": "form-select is-invalid", "required": True, "disabled": False},
    {"aria-describedby": 'a"b', "data-claim-type": ""},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "shop:2", 12345, ""])
def test_it_writes_what_the_template_writes(attrs, value):
    with override("ru"):
        django = forms.Select(choices=CHOICES, attrs={"data-x": "1"}).render("n<ame", value, attrs)
        ours = widgets.Select(choices=CHOICES, attrs={"data-x": "1"}).render("n<ame", value, attrs)
    assert ours == django


@pytest.mark.django_db
@pytest.mark.parametrize("null_label", [None, "— нет —"])
@pytest.mark.parametrize("empty_label", ["все", None])
def test_it_writes_model_choices_as_the_template_does(world, null_label, empty_label):
    def filterset(widget):
        class Filters(django_filters.FilterSet):
            shop = django_filters.ModelChoiceFilter(
                queryset=Shop.objects.all(),
                null_label=null_label,
                empty_label=empty_label,
                widget=widget,
            )

        return Filters({"shop": world.units["A"].pk}, queryset=Shop.objects.all())

    assert str(filterset(widgets.Select).form["shop"]) == str(filterset(forms.Select).form["shop"])
