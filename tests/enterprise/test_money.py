"""The money module: constants, the two ways to the kopeck, the places figures keep."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enterprise import money
from enterprise.money import (
    COEFFICIENT_PLACES,
    KOPECK,
    TENTH,
    THOUSANDTH,
    ZERO,
    half_even,
    half_up,
    places,
    to_coefficient,
    to_kopecks,
)

decimals = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6)


def test_it_keeps_money_zero_with_two_places():
    assert str(ZERO) == "0.00"
    assert str(money.ONE) == "1.00"
    assert str(money.NIL) == "0"  # a sum started from it keeps the places of its terms
    assert str(sum([D("1.5"), D("2.25")], money.NIL)) == "3.75"
    assert (str(KOPECK), str(TENTH), str(THOUSANDTH)) == ("0.01", "0.1", "0.001")


def test_it_names_places_by_count():
    assert places(2) == KOPECK
    assert places(0) == D(1)
    assert places(8) == COEFFICIENT_PLACES
    with pytest.raises(ValueError, match="places must be >= 0"):
        places(-1)


def test_it_rounds_an_exact_half_kopeck_up():
    # table 18: 0.767 × 167 = 128.089 → 128.09; 1396.95 × 10 % = 139.695 → 139.70 half-up
    assert half_up(D("128.089")) == D("128.09")
    assert half_up(D("139.695")) == D("139.70")
    assert half_up(D("-139.695")) == D("-139.70")
    assert to_kopecks(D("139.695")) == D("139.70")


def test_it_rounds_to_the_places_of_percents_and_volumes():
    assert half_up(D("104.35"), TENTH) == D("104.4")  # percent of norms met, 0.1 %
    assert half_up(D("2386.4995"), THOUSANDTH) == D("2386.500")  # a volume
    assert str(half_up(D("5"), KOPECK)) == "5.00"


def test_the_two_kopeck_roundings_differ_only_on_a_negative_zero():
    assert str(half_up(D("-0.004"))) == "-0.00"
    assert str(to_kopecks(D("-0.004"))) == "0.00"
    assert to_kopecks(7) == D("7.00")


def test_it_rounds_half_even_where_no_rounding_was_named():
    assert half_even(D("0.125"), KOPECK) == D("0.12")
    assert half_even(D("0.135"), KOPECK) == D("0.14")
    assert half_even(D("4.45"), TENTH) == D("4.4")  # a generated work grade
    assert half_even(D("4.45"), TENTH) == D("4.45").quantize(TENTH)


def test_it_stores_a_coefficient_to_eight_places_half_even():
    assert to_coefficient(D("1.234567885")) == D("1.23456788")  # half to even
    assert to_coefficient(D("1.234567895")) == D("1.23456790")
    assert to_coefficient(D(2) / D(3)) == D("0.66666667")


@given(decimals)
def test_rounding_to_the_kopeck_is_idempotent(value):
    once = half_up(value)
    assert half_up(once) == once
    assert to_kopecks(to_kopecks(value)) == to_kopecks(value)
    assert once.as_tuple().exponent == -2


@given(decimals)
def test_both_roundings_are_within_half_a_kopeck_and_agree(value):
    assert abs(half_up(value) - value) <= D("0.005")
    assert half_up(value) == to_kopecks(value)  # equal as numbers, whatever the sign of zero
    if value >= 0:
        assert str(half_up(value)) == str(to_kopecks(value))


@given(decimals, st.sampled_from([KOPECK, TENTH, THOUSANDTH, COEFFICIENT_PLACES]))
def test_rounding_to_any_places_is_idempotent(value, exponent):
    assert half_up(half_up(value, exponent), exponent) == half_up(value, exponent)
