"""The project's number fields (``enterprise.fields``): hostile input is refused in Russian,
never raised; Russian input is accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprise.fields import DecimalField, IntegerField, safe_int
from enterprise.forms import ModelForm


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def _errors(field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


@pytest.mark.parametrize(
    "value",
    ["sNaN", "-sNaN", "NaN", "nan", "Infinity", "-inf", "inf", "1e400", "1E5", "٣", "１２",
     "²", "0x10", "1_000", "1,2,3", "1.000,5", "<script>", "a\x00b", "--1", "x" * 500],
)  # fmt: skip
def test_a_value_that_is_no_plain_number_is_refused_as_such(value):
    assert _errors(DecimalField(max_digits=8, decimal_places=2), value) == ["Введите число."]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1 500,25", Decimal("1500.25")),
        ("1\u00a0500,25", Decimal("1500.25")),
        ("1\u202f500,25", Decimal("1500.25")),
        ("1500.25", Decimal("1500.25")),
        ("−3,5", Decimal("-3.5")),
        (" 7 ", Decimal("7")),
        ("0,10000", Decimal("0.10")),
    ],
)
def test_russian_input_is_taken(typed, number):
    assert DecimalField(max_digits=8, decimal_places=2).clean(typed) == number


def test_a_value_past_the_column_is_refused_with_the_limit_in_russian_figures():
    field = DecimalField(max_digits=8, decimal_places=2)
    assert _errors(field, "1234567,1") == ["Слишком большое число: не больше 999\xa0999,99."]
    assert _errors(field, "-1234567") == ["Слишком маленькое число: не меньше -999\xa0999,99."]
    assert _errors(field, "12,345") == ["Слишком много знаков после запятой: не больше 2."]


def test_the_limits_given_are_kept_and_a_negative_is_refused_plainly():
    field = DecimalField(max_digits=7, decimal_places=2, min_value=0, max_value=744)
    assert _errors(field, "745") == ["Слишком большое число: не больше 744."]
    assert _errors(field, "-5") == ["Число не может быть отрицательным."]
    assert field.clean("744") == Decimal("744")


def test_a_field_without_limits_gets_the_widest_a_column_holds():
    field = DecimalField()
    assert field.clean("123456789012,123456") == Decimal("123456789012.123456")
    assert _errors(field, "9" * 13) == [
        "Слишком большое число: не больше 999\xa0999\xa0999\xa0999,999999."
    ]


def test_a_signalling_nan_as_initial_or_data_changes_the_form_without_an_error():
    field = DecimalField(max_digits=8, decimal_places=2)
    assert field.has_changed(Decimal("1.00"), "sNaN") is True
    assert field.has_changed(Decimal("1.00"), "1,00") is False
    assert field.has_changed(None, "") is False


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.decimals().map(str), st.integers().map(str)))
def test_no_text_makes_the_decimal_field_raise_anything_but_a_refusal(text):
    field = DecimalField(max_digits=10, decimal_places=3, required=False)
    try:
        value = field.clean(text)
    except forms.ValidationError:
        return
    assert value is None or (value.is_finite() and abs(value) < Decimal(10) ** 7)


def test_the_integer_field_refuses_what_no_column_holds_and_other_scripts():
    field = IntegerField()
    assert field.clean("1 000") == 1000
    assert _errors(field, "٣") == ["Введите целое число."]
    assert _errors(field, "1.5") == ["Введите целое число."]
    assert _errors(field, "9" * 25)[0].startswith("Слишком большое число")
    assert _errors(IntegerField(min_value=1, max_value=6), "7") == [
        "Слишком большое число: не больше 6."
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("0", None), ("-3", None), ("abc", None), ("²", None), ("١٢", None),
     ("99999999999999999999", None), ("", None), (None, None), (" 7 ", 7)],
)  # fmt: skip
def test_safe_int_gives_a_number_in_range_or_none(text, number):
    assert safe_int(text) == number


def test_a_model_form_of_the_project_takes_the_project_decimal_field():
    from brigades.forms import KtuCriterionForm
    from planning.plans.forms import PlanForm

    class Form(ModelForm):
        class Meta:
            from enterprise.models import TariffRate

            model = TariffRate
            fields = ["hourly_rate"]

    assert type(Form().fields["hourly_rate"]) is DecimalField
    assert type(KtuCriterionForm().fields["adjustment"]) is DecimalField
    plan_decimals = [f for f in PlanForm.base_fields.values() if isinstance(f, forms.DecimalField)]
    assert plan_decimals and all(type(f) is DecimalField for f in plan_decimals)


def test_every_decimal_column_in_the_admin_takes_the_project_field(db):
    from django.contrib.auth import get_user_model

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    checked = 0
    for model_admin in admin.site._registry.values():
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            for db_field in each.model._meta.fields:
                if isinstance(db_field, models.DecimalField):
                    formfield = each.formfield_for_dbfield(db_field, request)
                    assert type(formfield) is DecimalField, f"{each}: {db_field.name}"
                    checked += 1
    assert checked >= 5  # scale rows, tariff rates, KTU criteria, claims …


FORM_MODULES = (
    "enterprise.forms",
    "brigades.forms",
    "claims.forms",
    "planning.plans.forms",
    "planning.measures.forms",
    "planning.tracking.forms",
)


def test_no_form_of_the_project_declares_django_s_own_number_fields():
    """A new form must take ``enterprise.fields``: Django's decimal field lets a signalling
    NaN through to ``has_changed``, its integer field sends any size to the database."""
    import importlib
    import inspect

    found, checked = [], 0
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            fields = getattr(cls, "base_fields", None)
            if not fields or not cls.__module__.startswith(name):
                continue
            for field_name, field in fields.items():
                checked += isinstance(field, forms.DecimalField | forms.IntegerField)
                plain_integer = type(field) is forms.IntegerField and not issubclass(
                    cls, forms.ModelForm
                )
                if type(field) is forms.DecimalField or plain_integer:
                    found.append(f"{name}.{cls_name}.{field_name}")
    assert not found, found
    assert checked >= 30  # the timesheet's, the plans', the claims' … number fields


@pytest.mark.parametrize(
    ("typed", "language", "expected"),
    [
        # As an English page shows a figure, it is read back unchanged.
        ("1,800", "en", Decimal("1800")),
        ("1,800.000", "en", Decimal("1800.000")),
        ("1,234.5", "en", Decimal("1234.5")),
        ("12,345,678.25", "en", Decimal("12345678.25")),
        # A comma that does not group thousands stays a decimal comma, in either language.
        ("1234,5", "en", Decimal("1234.5")),
        ("1234.5", "en", Decimal("1234.5")),
        # In Russian the comma is the decimal separator.
        ("1,800", "ru", Decimal("1.800")),
        ("1 800,5", "ru", Decimal("1800.5")),
    ],
)
def test_it_reads_a_figure_in_the_page_s_language(typed, language, expected):
    from django.utils import translation

    from enterprise.fields import DecimalField

    with translation.override(language):
        assert DecimalField(max_digits=14, decimal_places=3).clean(typed) == expected


def test_an_english_page_s_own_figure_goes_back_unchanged():
    from django import forms
    from django.utils import translation

    from enterprise.fields import DecimalField

    class Form(forms.Form):
        amount = DecimalField(max_digits=14, decimal_places=3)

    with translation.override("en"):
        shown = Form(initial={"amount": Decimal("1800.000")})["amount"].value()
        rendered = Form().fields["amount"].widget.format_value(shown)
        assert rendered == "1,800.000"
        form = Form({"amount": rendered})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("1800.000")
