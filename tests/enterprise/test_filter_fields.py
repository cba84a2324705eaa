"""``filter_field`` writes each list filter as crispy-forms' ``as_crispy_field`` does."""

from __future__ import annotations

import importlib

import django_filters
import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils.translation import override

from enterprise.templatetags import filter_fields
from enterprise.templatetags.filter_fields import filter_field
from tests.factories import UserFactory

# Every module of the project that defines the filter sets of its lists.
MODULES = [
    "enterprise.filtersets",
    "brigades.filtersets",
    "claims.filtersets",
    "planning.plans.filtersets",
    "planning.measures.filtersets",
    "planning.operational.filtersets",
    "meetings.filtersets",
    "meetings.proposals.filtersets",
]


def filter_sets() -> list[type]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == name
                and value._meta.model is not None
            ):
                found.append(value)
    return found


def test_every_filter_set_is_found():
    names = {cls.__name__ for cls in filter_sets()}
    assert {"WorkerFilterSet", "ClaimFilterSet", "PlanFilterSet", "DistributionFilterSet"} <= names
    assert len(names) >= 12


def _first_choice(field: forms.Field) -> str:
    for value, _label in getattr(field, "choices", ()):
        if value not in ("", None):
            return str(value.value if hasattr(value, "value") else value)
    return ""


def _data(filter_set: type, request) -> dict:
    """A query string choosing the first real option of every choice, text elsewhere."""
    form = filter_set(data={}, queryset=filter_set._meta.model.objects.none(), request=request).form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            data[name] = _first_choice(field)
        elif isinstance(field, forms.IntegerField):
            data[name] = "2026"
        elif isinstance(field, forms.DateField):
            data[name] = "2026-03-01"
        else:
            data[name] = 'токарь "<b>"'
    return data


@pytest.mark.parametrize("bound", [False, True], ids=["empty", "chosen"])
def test_same_html_as_crispy(world, bound):
    request = RequestFactory().get("/")
    # Sees every row: every filter has its options.
    request.user = UserFactory(is_superuser=True, is_staff=True)
    plain = 0
    with override("ru"):
        for filter_set in filter_sets():
            data = _data(filter_set, request) if bound else None
            for name in filter_set(data=data, request=request).form.fields:
                # A fresh form for each rendering: crispy writes its classes into the widget.
                ours = filter_field(filter_set(data=data, request=request).form[name])
                theirs = as_crispy_field(filter_set(data=data, request=request).form[name])
                assert parse_html(ours) == parse_html(theirs), (filter_set.__name__, name)
                plain += filter_fields._plain(filter_set(data=data, request=request).form[name])
    # The fast path is the usual one, not the exception.
    assert plain >= 20


def test_an_error_or_a_help_text_goes_through_crispy():
    class Form(forms.Form):
        year = forms.IntegerField(label="Год", min_value=1960)
        note = forms.CharField(label="Заметка", help_text="до <b>10</b> знаков", required=False)
        done = forms.BooleanField(label="Готово", required=False)

    form = Form(data={"year": "12"})
    for name in ("year", "note", "done"):
        assert not filter_fields._plain(form[name])
        assert parse_html(filter_field(form[name])) == parse_html(as_crispy_field(form[name]))
    assert "invalid-feedback" in filter_field(form["year"])


def test_what_it_writes():
    class Form(forms.Form):
        q = forms.CharField(label='Поиск "<i>"', required=False)
        year = forms.IntegerField(label="Год")

    form = Form()
    assert parse_html(filter_field(form["q"])) == parse_html(
        '<div id="div_id_q" class="mb-3"><label for="id_q" class="form-label">'
        "Поиск &quot;&lt;i&gt;&quot;</label>"
        '<input type="text" name="q" class="textinput form-control" id="id_q"></div>'
    )
    assert parse_html(filter_field(form["year"])) == parse_html(
        '<div id="div_id_year" class="mb-3"><label for="id_year" class="form-label '
        'requiredField">Год<span class="asteriskField">*</span></label>'
        '<input type="number" name="year" class="numberinput form-control" required '
        'id="id_year"></div>'
    )
