"""The inputs written in Python (a timesheet's grid) write what Django's templates write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from enterprise.forms import localize
from enterprise.inputs import FastHiddenInput, FastTextInput, fast_input

VALUES = [None, "", 0, 12, "a<b>&\"c'", mark_safe("<b>s</b>"), Decimal("1234.50")]
ATTRS = [{}, {"class": "form-control", "id": "id_x", "required": True, "off": False, "q": 'a"b'}]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    ("fast", "stock"), [(FastTextInput, forms.TextInput), (FastHiddenInput, forms.HiddenInput)]
)
def test_it_writes_what_djangos_templates_write(fast, stock, value, attrs):
    with translation.override("ru"):
        written = fast(attrs=dict(attrs)).render("f<1>", value)
        expected = stock(attrs=dict(attrs)).render("f<1>", value)
    assert written == expected


def test_a_localized_figure_keeps_its_comma_and_attributes():
    class Row(forms.Form):
        stock = localize(forms.DecimalField(decimal_places=2, min_value=Decimal(0)))
        fast = fast_input(localize(forms.DecimalField(decimal_places=2, min_value=Decimal(0))))
        note = forms.CharField(max_length=20, required=False)
        fast_note = fast_input(forms.CharField(max_length=20, required=False))

    with translation.override("ru"):
        form = Row(initial={"stock": Decimal("1500.25"), "fast": Decimal("1500.25")})
        assert str(form["fast"]) == str(form["stock"]).replace("stock", "fast")
        assert str(form["fast_note"]) == str(form["note"]).replace("note", "fast_note")
        assert 'value="1\xa0500,25"' in str(form["fast"])
