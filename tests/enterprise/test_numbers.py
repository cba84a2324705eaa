"""One way of writing figures: the filters, the table columns and the exports agree."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from enterprise import numbers
from enterprise.templatetags.numbers import num, plain, signed

NBSP = "\u00a0"
MINUS = "\u2212"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_figure_is_rounded_half_up_at_the_places_shown_never_cut():
    assert num(Decimal("2106.866"), 1) == f"2{NBSP}106,9"
    assert plain(Decimal("2106.866"), 1) == f"2{NBSP}106,9"
    assert num(Decimal("2106.866")) == f"2{NBSP}106,866"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("0.05"), 1, "0,1"),
        (Decimal("0.15"), 1, "0,2"),
        (Decimal("0.25"), 1, "0,3"),  # half-up, not banker's 0,2
        (Decimal("-0.05"), 1, f"{MINUS}0,1"),
        (Decimal("2.675"), 2, "2,68"),
        (Decimal("-0.04"), 1, "0,0"),  # rounds to zero: no sign
        (0.05, 1, "0,1"),  # a float through its text, not 0.05000000000000000277
    ],
)
def test_half_up_at_the_shown_precision(value, places, shown):
    assert num(value, places) == shown


def test_a_negative_figure_has_the_true_minus_sign():
    assert num(-5) == f"{MINUS}5"
    assert num(Decimal("-1234.5"), 2) == f"{MINUS}1{NBSP}234,50"
    assert signed(Decimal("-2"), 1) == f"{MINUS}2,0"
    assert signed(Decimal("1.46"), 1) == "+1,5"
    assert signed(Decimal("0.04"), 1) == "0,0"


def test_plain_drops_trailing_zeros_so_a_growth_reads_the_same_from_any_column():
    assert plain(Decimal("6.30"), 3) == plain(Decimal("6.300"), 3) == "6,3"
    assert plain(Decimal("1000.000")) == f"1{NBSP}000"
    assert plain(Decimal("0.32889553"), 4) == "0,3289"


def test_a_missing_figure_is_a_dash_and_a_text_is_left_as_it_is():
    assert num(None, 2) == plain("") == signed(None) == "—"
    assert num(Decimal("NaN")) == "—"
    assert plain("по графику", 2) == "по графику"
    assert plain("12.50", 2) == "12,5"


def test_the_filters_are_on_every_template_without_a_load():
    shown = render("{{ v|num:2 }} {{ g|plain:3 }} {{ d|signed:1 }}", v=Decimal("-717.4"),
                   g=Decimal("6.30"), d=Decimal("3.25"))  # fmt: skip
    assert shown == f"{MINUS}717,40 6,3 +3,3"


def test_an_english_page_writes_figures_the_english_way():
    with translation.override("en"):
        assert num(Decimal("-2106.866"), 1) == f"{MINUS}2,106.9"
    with translation.override("ru"):
        assert num(Decimal("-2106.866"), 1) == f"{MINUS}2{NBSP}106,9"


def test_export_values_are_rounded_decimals_with_an_excel_format():
    value = numbers.export_value(Decimal("717.400000000000"), 2)
    assert value == Decimal("717.40") and str(value) == "717.40"
    assert numbers.excel_number_format(value) == "#,##0.00"
    assert numbers.excel_number_format(7) == "#,##0"
    assert numbers.excel_number_format(Decimal("6.3")) == "#,##0.0"


def test_csv_cells_are_written_for_russian_excel():
    assert numbers.csv_cell(Decimal("-1234.50")) == "-1234,50"
    assert numbers.csv_cell(Decimal("1.5E+3")) == "1500"
    assert numbers.csv_cell(7) == "7"
    assert numbers.csv_cell(datetime.date(2024, 9, 25)) == "25.09.2024"
    assert numbers.csv_cell(datetime.datetime(2024, 9, 25, 14, 5)) == "25.09.2024 14:05"
    assert numbers.csv_cell("Бригада № 18") == "Бригада № 18"


FIGURES = [
    "0",
    "0.00",
    "-0.00",
    "5",
    "-5",
    "999",
    "1000",
    "-1000.5",
    "1234.50",
    "123456789.123456",
    "0.0001",
    "-0.05",
    "1E+3",
    "12E+5",
    "1" + "0" * 30 + ".25",
    "9" * 199 + ".9",
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("text", FIGURES)
def test_a_figure_is_written_as_djangos_number_format_writes_it(language, text):
    from django.utils.formats import number_format

    value = Decimal(text)
    places = max(0, -value.as_tuple().exponent)
    with translation.override(language):
        expected = number_format(abs(value), places, use_l10n=True, force_grouping=True)
        assert numbers._written(value) == (f"{numbers.MINUS}{expected}" if value < 0 else expected)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_figures_are_written_as_djangos_number_format_writes_them(language):
    """The one-step writing of a figure is Django's ``number_format`` (grouped), only
    faster: the same text for every size, sign and number of places."""
    import random

    from django.utils.formats import number_format

    chance = random.Random(16)
    values = [Decimal(0), Decimal("-0.0"), Decimal("0.000"), Decimal("1E+3"), Decimal("-1E+7")]
    for _n in range(3000):
        digits = chance.randint(1, 16)
        places = chance.randint(0, 4)
        mantissa = chance.randint(0, 10**digits)
        values.append(Decimal(mantissa * chance.choice([1, -1])).scaleb(-places))
    with translation.override(language):
        for value in values:
            expected = number_format(abs(value), max(0, -value.as_tuple().exponent), True, True)
            if value < 0:
                expected = numbers.MINUS + expected
            assert numbers._written(value) == expected, value
