"""Pure arithmetic of brigade pay (brigades/rules.py): tables 16, 18, 19 and the splits."""

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brigades.rules import (
    CONDITIONAL,
    KTU,
    OUTPUT,
    TARIFF,
    KtuSplit,
    MemberMonth,
    NothingToSplitBy,
    allocate,
    average_grade,
    coefficient_display,
    distribute_by_ktu,
    distribute_by_tariff,
    distribute_extra_by_ktu,
    grade_mismatch,
    ktu_from_criteria,
    ktu_problem,
    leader_surcharge,
    leader_surcharge_rate,
    month_figures,
)
from enterprise.money import KOPECK
from enterprise.tariffs import MissingRate, TariffGrid, tariff_earnings

D = Decimal


def ds(*values: str) -> list[Decimal]:
    return [D(v) for v in values]


# --- table 18: method A ----------------------------------------------------------------------

TABLE_18_RATES = {6: D("0.767"), 5: D("0.670"), 4: D("0.596"), 3: D("0.539")}
TABLE_18_MEMBERS = [(6, 167), (4, 161), (3, 167), (3, 167), (4, 154), (5, 167), (4, 167)]
TABLE_18_TARIFF = ds("128.09", "95.96", "90.01", "90.01", "91.78", "111.89", "99.53")
TABLE_18_TOTAL = D("1053.84")
TABLE_18_SHARES = ds("190.85", "142.98", "134.12", "134.12", "136.75", "166.72", "148.30")


def test_it_computes_tariff_earnings_of_table_18_rounded_half_up():
    earnings = [tariff_earnings(TABLE_18_RATES[g], D(h)) for g, h in TABLE_18_MEMBERS]
    assert earnings == TABLE_18_TARIFF
    assert sum(earnings) == D("707.27")
    assert tariff_earnings(D("0.767"), D("167")) == D("128.09")  # 128.089


def test_it_gives_zero_tariff_earnings_for_zero_hours():
    assert tariff_earnings(D("0.767"), D("0")) == D("0.00")


def test_it_rejects_negative_hours_in_tariff_earnings():
    with pytest.raises(ValueError, match=">= 0"):
        tariff_earnings(D("0.767"), D("-1"))


def test_it_splits_table_18_by_tariff_to_the_exact_total():
    shares = distribute_by_tariff(TABLE_18_TOTAL, TABLE_18_TARIFF)
    assert shares == TABLE_18_SHARES
    assert sum(shares) == TABLE_18_TOTAL
    assert coefficient_display(TABLE_18_TOTAL / sum(TABLE_18_TARIFF)) == D("1.4900")


def test_it_corrects_the_erratum_of_table_18():
    """The scan prints 134.11 and 166.71; its rows add to 1053.82, two kopecks short."""
    printed = ds("190.85", "142.98", "134.11", "134.12", "136.75", "166.71", "148.30")
    assert sum(printed) == D("1053.82") != TABLE_18_TOTAL
    assert distribute_by_tariff(TABLE_18_TOTAL, TABLE_18_TARIFF) != printed


# --- table 19: method D ----------------------------------------------------------------------

TABLE_19_TARIFF = ds("106.66", "37.52", "74.53", "106.66", "96.45")
TABLE_19_KTU = ds("1.0", "0.85", "1.05", "1.0", "1.1")
TABLE_19_TOTAL = D("1022.98")


def test_it_splits_table_19_surplus_by_ktu():
    split = distribute_by_ktu(TABLE_19_TOTAL, TABLE_19_TARIFF, TABLE_19_KTU)
    assert isinstance(split, KtuSplit)
    assert split.tariff == TABLE_19_TARIFF
    assert sum(split.tariff) == D("421.82")
    assert split.surplus_total == D("601.16")
    assert split.weighted_sum == D("429.5635")
    assert split.coefficient is not None
    assert coefficient_display(split.coefficient) == D("1.3995")
    assert split.surplus == ds("149.27", "44.63", "109.52", "149.27", "148.47")
    assert split.pay == ds("255.93", "82.15", "184.05", "255.93", "244.92")
    assert sum(split.pay) == TABLE_19_TOTAL
    assert split.below_tariff is False
    assert split.fallback_reason is None


def test_it_keeps_the_ktu_coefficient_unrounded():
    split = distribute_by_ktu(TABLE_19_TOTAL, TABLE_19_TARIFF, TABLE_19_KTU)
    assert split.coefficient != D("1.3995")
    assert abs(split.coefficient - D("601.16") / D("429.5635")) < D("1E-20")


def test_it_splits_a_collective_bonus_by_ktu_like_the_surplus():
    bonus = distribute_extra_by_ktu(D("601.16"), TABLE_19_TARIFF, TABLE_19_KTU)
    assert bonus == ds("149.27", "44.63", "109.52", "149.27", "148.47")


def test_it_splits_a_bonus_by_tariff_when_every_ktu_is_zero():
    bonus = distribute_extra_by_ktu(D("100.00"), ds("30.00", "10.00"), ds("0", "0"))
    assert bonus == ds("75.00", "25.00")


def test_it_refuses_a_bonus_when_nobody_has_tariff_earnings():
    with pytest.raises(NothingToSplitBy):
        distribute_extra_by_ktu(D("100.00"), ds("0", "0"), ds("1", "1"))


# --- table 16: leader surcharge ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "rate"),
    [(1, D("0.10")), (9, D("0.10")), (10, D("0.10")), (11, D("0.15")), (40, D("0.15"))],
)
def test_it_pays_the_leader_10_percent_up_to_10_people_and_15_above(size, rate):
    assert leader_surcharge_rate(size) == rate


@pytest.mark.parametrize("size", [0, -3])
def test_it_rejects_a_brigade_of_nobody(size):
    with pytest.raises(ValueError, match="at least one member"):
        leader_surcharge_rate(size)


def test_it_reproduces_table_16_grade_4_brigade_of_10():
    assert tariff_earnings(D("0.67"), D("2085")) == D("1396.95")
    assert leader_surcharge(D("0.67"), D("2085"), 10) == D("139.69")  # 139.695, a tie: down


def test_it_reproduces_table_16_grade_3_brigade_of_12():
    assert tariff_earnings(D("0.606"), D("2085")) == D("1263.51")
    assert leader_surcharge(D("0.606"), D("2085"), 12) == D("189.53")  # 189.5265: up


def test_it_rounds_the_surcharge_half_down_as_neither_down_nor_half_up_fits_table_16():
    """Why half-down: each of the usual roundings contradicts one row of table 16."""
    first, second = D("139.695"), D("189.5265")
    assert first.quantize(KOPECK, ROUND_DOWN) == D("139.69")
    assert second.quantize(KOPECK, ROUND_DOWN) == D("189.52") != D("189.53")
    assert first.quantize(KOPECK, ROUND_HALF_UP) == D("139.70") != D("139.69")
    assert second.quantize(KOPECK, ROUND_HALF_UP) == D("189.53")


def test_it_pays_no_surcharge_for_no_hours():
    assert leader_surcharge(D("0.67"), D("0"), 5) == D("0.00")


# --- allocate: edge cases ----------------------------------------------------------------------


def test_it_gives_ties_the_leftover_kopeck_by_position():
    assert allocate(D("1.00"), ds("1", "1", "1")) == ds("0.34", "0.33", "0.33")
    assert allocate(D("0.02"), ds("1", "1", "1")) == ds("0.01", "0.01", "0.00")
    assert allocate(D("0.02"), ds("0", "1", "1", "1")) == ds("0.00", "0.01", "0.01", "0.00")


def test_it_gives_the_leftover_to_the_largest_remainder_not_the_first():
    # exact shares 0.3, 0.3, 0.4 kopecks of 1 kopeck → the last gets it
    assert allocate(D("0.01"), ds("3", "3", "4")) == ds("0.00", "0.00", "0.01")


def test_it_splits_a_negative_amount_by_its_absolute_value():
    parts = allocate(D("-1.00"), ds("1", "1", "1"))
    assert parts == ds("-0.34", "-0.33", "-0.33")
    assert sum(parts) == D("-1.00")


def test_it_gives_a_single_member_everything():
    assert allocate(D("1053.84"), [D("0.01")]) == [D("1053.84")]
    assert distribute_by_tariff(D("500.00"), [D("128.09")]) == [D("500.00")]
    split = distribute_by_ktu(D("500.00"), [D("128.09")], [D("1.3")])
    assert split.pay == [D("500.00")]
    assert split.surplus == [D("371.91")]


def test_it_gives_a_member_with_zero_hours_nothing():
    tariff = [tariff_earnings(D("0.67"), D("160")), tariff_earnings(D("0.67"), D("0"))]
    assert distribute_by_tariff(D("200.00"), tariff) == ds("200.00", "0.00")
    split = distribute_by_ktu(D("200.00"), tariff, ds("1.0", "1.5"))
    assert split.pay == ds("200.00", "0.00")


def test_it_returns_zeros_for_a_zero_amount_even_with_zero_weights():
    assert allocate(D("0"), ds("0", "0")) == ds("0.00", "0.00")
    assert allocate(D("0.00"), []) == []


def test_it_refuses_to_split_money_by_zero_weights():
    with pytest.raises(NothingToSplitBy, match="all weights are zero"):
        allocate(D("10.00"), ds("0", "0.0"))


def test_it_refuses_to_split_money_among_nobody():
    with pytest.raises(NothingToSplitBy, match="nobody"):
        allocate(D("10.00"), [])


def test_it_makes_nothing_to_split_by_a_value_error():
    assert issubclass(NothingToSplitBy, ValueError)


def test_it_rejects_a_negative_weight():
    with pytest.raises(ValueError, match=r"weight #2 is negative"):
        allocate(D("10.00"), ds("1", "-1"))


def test_it_rejects_fractions_of_a_kopeck():
    with pytest.raises(ValueError, match="whole number of kopecks"):
        allocate(D("10.005"), ds("1", "1"))


def test_it_rejects_float_money():
    with pytest.raises(TypeError, match="float"):
        allocate(10.0, ds("1"))  # type: ignore[arg-type]


def test_it_always_returns_two_places():
    assert [str(p) for p in allocate(D("100"), ds("1", "3"))] == ["25.00", "75.00"]


# --- distribute_by_ktu: edge cases -------------------------------------------------------------


def test_it_splits_the_surplus_by_tariff_when_every_ktu_is_zero():
    split = distribute_by_ktu(D("200.00"), ds("60.00", "40.00"), ds("0", "0"))
    assert split.surplus == ds("60.00", "40.00")
    assert split.pay == ds("120.00", "80.00")
    assert split.fallback_reason == "all_ktu_zero"
    assert split.coefficient is None
    assert split.below_tariff is False


def test_it_splits_the_whole_total_by_tariff_when_below_tariff():
    split = distribute_by_ktu(D("50.00"), ds("60.00", "40.00", "0.01"), ds("1.0", "2.0", "1.0"))
    assert split.below_tariff is True
    assert split.fallback_reason == "below_tariff"
    assert split.coefficient is None
    assert split.surplus_total == D("-50.01")
    assert split.pay == ds("30.00", "20.00", "0.00")
    assert sum(split.pay) == D("50.00")
    assert split.surplus == ds("-30.00", "-20.00", "-0.01")


def test_it_pays_exactly_the_tariff_when_there_is_no_surplus():
    split = distribute_by_ktu(D("100.00"), ds("60.00", "40.00"), ds("1.0", "1.2"))
    assert split.pay == ds("60.00", "40.00")
    assert split.surplus == ds("0.00", "0.00")
    assert split.coefficient == 0
    assert split.below_tariff is False


def test_it_refuses_a_ktu_split_when_nobody_has_tariff_earnings():
    with pytest.raises(NothingToSplitBy):
        distribute_by_ktu(D("100.00"), ds("0.00", "0.00"), ds("1", "1"))


def test_it_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="2 tariff earnings but 3 KTU"):
        distribute_by_ktu(D("100.00"), ds("60.00", "40.00"), ds("1", "1", "1"))
    with pytest.raises(ValueError, match="one per member"):
        distribute_extra_by_ktu(D("100.00"), ds("60.00"), ds("1", "1"))


def test_it_rejects_a_negative_ktu():
    with pytest.raises(ValueError, match=r"KTU #2 is negative"):
        distribute_by_ktu(D("100.00"), ds("60.00", "40.00"), ds("1", "-0.1"))


def test_it_rejects_negative_tariff_earnings():
    with pytest.raises(ValueError, match="negative"):
        distribute_by_ktu(D("100.00"), ds("60.00", "-40.00"), ds("1", "1"))


# --- display, grades, KTU ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "places", "shown"),
    [
        (D("1.49001"), 4, D("1.4900")),
        (D("1.39946713"), 4, D("1.3995")),
        (D("1.39946713"), 3, D("1.399")),
        (D("0.00005"), 4, D("0.0001")),  # half-up
    ],
)
def test_it_shows_coefficients_rounded_half_up(x, places, shown):
    assert coefficient_display(x, places) == shown
    assert str(coefficient_display(x, places)) == str(shown)


def test_it_averages_grades_weighted_by_hours():
    assert average_grade([(D("6"), D("167")), (D("3"), D("167"))]) == D("4.5")
    assert average_grade([(D("4"), D("100")), (D("5"), D("0"))]) == D("4")


def test_it_has_no_average_grade_without_hours():
    assert average_grade([]) is None
    assert average_grade([(D("4"), D("0"))]) is None


def test_it_flags_a_grade_mismatch_beyond_the_tolerance():
    assert grade_mismatch(D("4.6"), D("4.0")) == D("0.6")
    assert grade_mismatch(D("3.2"), D("4.0")) == D("-0.8")
    assert grade_mismatch(D("4.5"), D("4.0")) is None  # exactly the tolerance
    assert grade_mismatch(D("4.2"), D("4.0"), tolerance=D("0.1")) == D("0.2")
    assert grade_mismatch(None, D("4.0")) is None


def test_it_builds_ktu_from_a_base_and_criteria():
    assert ktu_from_criteria(D("1.0"), ds("0.2", "0.15", "-0.1")) == D("1.25")
    assert ktu_from_criteria(D("1.0"), []) == D("1.0")


def test_it_reports_a_ktu_out_of_range_in_russian_with_a_decimal_comma():
    assert ktu_problem(D("2.3"), D("0"), D("2.0")) == "КТУ 2,30 вне допустимого диапазона 0,00–2,00"
    assert ktu_problem(D("0.55"), D("0.6"), D("1.6")) == (
        "КТУ 0,55 вне допустимого диапазона 0,60–1,60"
    )
    assert ktu_problem(D("1.305"), D("0.7"), D("1.3")) == (
        "КТУ 1,305 вне допустимого диапазона 0,70–1,30"
    )


@pytest.mark.parametrize("ktu", [D("0"), D("1.0"), D("2.00")])
def test_it_accepts_a_ktu_within_the_range_bounds_included(ktu):
    assert ktu_problem(ktu, D("0"), D("2.0")) is None


def test_it_rejects_an_empty_ktu_range():
    with pytest.raises(ValueError, match="empty"):
        ktu_problem(D("1"), D("2"), D("1"))


# --- properties ----------------------------------------------------------------------------------

_kopecks = st.integers(min_value=0, max_value=10**9)
_weights = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
).filter(lambda ws: any(w > 0 for w in ws))


def _money(kopecks: int) -> Decimal:
    return Decimal(kopecks).scaleb(-2)


@given(_kopecks, _weights)
def test_it_splits_any_amount_exactly_within_a_kopeck_of_each_share(kopecks, weights):
    amount = _money(kopecks)
    parts = allocate(amount, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == amount
    weight_sum = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(amount) * Fraction(weight) / weight_sum
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
        assert part.as_tuple().exponent == -2
    assert allocate(amount, list(weights)) == parts


@given(_kopecks, _weights)
def test_it_splits_a_negative_amount_as_the_mirror_of_the_positive(kopecks, weights):
    positive = allocate(_money(kopecks), weights)
    negative = allocate(-_money(kopecks), weights)
    assert negative == [-p for p in positive]
    assert sum(negative) == -_money(kopecks)


_members = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**7),  # Тз in kopecks
        st.decimals(min_value=0, max_value=3, places=2, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=60,
).filter(lambda ms: any(t > 0 for t, _ in ms))


@given(_kopecks, _members)
def test_it_pays_a_ktu_split_summing_to_the_total(kopecks, members):
    total = _money(kopecks)
    tariff = [_money(t) for t, _ in members]
    ktu = [k for _, k in members]
    split = distribute_by_ktu(total, tariff, ktu)
    assert sum(split.pay) == total
    assert split.tariff == tariff
    assert all(p.as_tuple().exponent == -2 for p in split.pay)
    assert [p - t for p, t in zip(split.pay, tariff, strict=True)] == split.surplus
    if total >= sum(tariff):
        assert not split.below_tariff
        assert all(p >= t for p, t in zip(split.pay, tariff, strict=True))
    else:
        assert split.below_tariff
        assert all(p <= t for p, t in zip(split.pay, tariff, strict=True))
    assert distribute_by_ktu(total, tariff, ktu) == split


# --- a brigade's month: the computation the services and the generator share -----------------


def _table_18_members() -> list[MemberMonth]:
    return [
        MemberMonth(
            condition=1,
            pay_grade=grade,
            first_day=datetime.date(2026, 1, 1),
            hours=D(hours),
            output=D("0.00"),
            ktu=D("1.00"),
        )
        for grade, hours in TABLE_18_MEMBERS
    ]


TABLE_18_GRID = TariffGrid(
    [(1, grade, datetime.date(2026, 1, 1), rate) for grade, rate in TABLE_18_RATES.items()]
)


def test_it_computes_a_month_of_table_18_by_tariff():
    figures = month_figures(
        TARIFF,
        piecework=TABLE_18_TOTAL,
        bonus=D("0.00"),
        savings=D("0.00"),
        members=_table_18_members(),
        grid=TABLE_18_GRID,
    )
    assert [line.tariff for line in figures.lines] == TABLE_18_TARIFF
    assert [line.total for line in figures.lines] == TABLE_18_SHARES
    assert [line.rate for line in figures.lines][:2] == [D("0.767"), D("0.596")]
    assert sum(line.tariff + line.surplus for line in figures.lines) == TABLE_18_TOTAL
    assert figures.tariff_total == D("707.27")
    assert figures.coefficient == D("1.49001089")  # K = 1053.84 / 707.27, to 8 places
    assert figures.below_tariff is False


def test_a_month_without_a_rate_names_the_line():
    members = _table_18_members()
    members[4] = MemberMonth(1, 2, datetime.date(2026, 1, 1), D(154), D(0), D(1))
    with pytest.raises(MissingRate) as missing:
        month_figures(
            KTU,
            piecework=TABLE_18_TOTAL,
            bonus=D("0.00"),
            savings=D("0.00"),
            members=members,
            grid=TABLE_18_GRID,
        )
    assert (missing.value.line, missing.value.grade) == (4, 2)


def test_a_coefficient_too_large_for_its_column_is_left_blank():
    members = [MemberMonth(1, 6, datetime.date(2026, 1, 1), D("0.01"), D(0), D(1))]
    figures = month_figures(
        TARIFF,
        piecework=D("100000.00"),
        bonus=D("0.00"),
        savings=D("0.00"),
        members=members,
        grid=TABLE_18_GRID,
    )
    assert figures.lines[0].total == D("100000.00")
    assert figures.coefficient is None


def test_the_methods_are_the_brigade_model_s():
    from brigades.models import Brigade

    assert (TARIFF, OUTPUT, CONDITIONAL, KTU) == (
        Brigade.Method.TARIFF,
        Brigade.Method.OUTPUT,
        Brigade.Method.CONDITIONAL,
        Brigade.Method.KTU,
    )
