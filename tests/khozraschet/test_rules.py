"""Pure arithmetic of section self-financing (khozraschet/rules): khozraschet.md §1–§9."""

import datetime
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enterprise.rules import OutOfScale, Step, step_lookup, step_problems
from khozraschet.rules import (
    DEFAULT_COMPETITION_RULES,
    DEFAULT_COMPLEX_CORRECTION,
    DEFAULT_QUALITY_COLLECTIVE,
    DEFAULT_QUALITY_MASTERS,
    DEFAULT_SCORECARD_ENGINEER,
    DEFAULT_SCORECARD_MASTER,
    DEFAULT_SENIORITY,
    DEFAULT_TENSION_BONUS_PLANT_A,
    DEFAULT_THRESHOLDS,
    ENERGY_BONUS_CAPS,
    SHOP_DUE_DAY,
    BonusInputs,
    CompetitionRule,
    Direction,
    ProductionType,
    ScorecardRow,
    TensionFactor,
    Thresholds,
    bonus_percent,
    capacity_use,
    category_percent,
    competition_coefficient,
    competition_rule_problems,
    completeness,
    complex_evaluation,
    decade_shares,
    deviation_percent,
    due_date,
    energy_bonus,
    fulfilment_percent,
    fund_weight,
    idle_analysis,
    is_late,
    machine_idle_percent,
    met,
    normative_net_output,
    operations_fixing_coefficient,
    plan_tension,
    plan_tension_weighted,
    planned_points,
    production_type,
    quarter_release,
    rank,
    ratio,
    rhythmicity,
    scorecard_points,
    scorecard_problems,
    seniority_reward,
    split_fund,
    time_study_problems,
    time_study_total,
)

D = Decimal
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
SCALES = {
    "tension_scale": DEFAULT_TENSION_BONUS_PLANT_A,
    "correction_scale": DEFAULT_COMPLEX_CORRECTION,
    "quality_scale": DEFAULT_QUALITY_MASTERS,
}


# --- §1 production type (tables 1–2) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("operations", "workplaces", "kz", "kind"),
    [
        (767, 42, "18.26", ProductionType.SERIAL),  # the scan prints 18.2: truncated
        (965, 38, "25.39", ProductionType.SMALL_SERIAL),
        (1832, 86, "21.30", ProductionType.SMALL_SERIAL),
        (3564, 166, "21.47", ProductionType.SMALL_SERIAL),  # the shop as a whole
    ],
)
def test_it_reproduces_table_2_of_shop_6(operations, workplaces, kz, kind):
    coefficient = operations_fixing_coefficient(operations, workplaces)
    assert coefficient == D(kz)
    assert str(coefficient) == kz
    assert production_type(coefficient) is kind


def test_it_rounds_kz_half_up():
    assert operations_fixing_coefficient(1, 8) == D("0.13")  # 0.125


@pytest.mark.parametrize(("operations", "workplaces"), [(10, 0), (10, -1), (-1, 5)])
def test_it_refuses_kz_without_workplaces_or_with_negative_counts(operations, workplaces):
    with pytest.raises(ValueError):
        operations_fixing_coefficient(operations, workplaces)


@pytest.mark.parametrize(
    ("kz", "kind"),
    [
        ("0", ProductionType.MASS),
        ("2", ProductionType.MASS),
        ("2.01", ProductionType.LARGE_SERIAL),
        ("10", ProductionType.LARGE_SERIAL),
        ("10.01", ProductionType.SERIAL),
        ("20", ProductionType.SERIAL),
        ("20.01", ProductionType.SMALL_SERIAL),
        ("50", ProductionType.SMALL_SERIAL),
        ("50.01", ProductionType.SINGLE),
        ("1000", ProductionType.SINGLE),
    ],
)
def test_it_closes_the_production_type_intervals_on_their_upper_side(kz, kind):
    assert production_type(D(kz)) is kind


def test_it_classifies_by_an_enterprises_own_thresholds():
    own = Thresholds(mass=D(1), large_serial=D(5), serial=D(15), small_serial=D(40))
    assert production_type(D("18.26"), own) is ProductionType.SMALL_SERIAL
    assert production_type(D(45), own) is ProductionType.SINGLE
    assert own.problems() == []


def test_it_refuses_a_negative_kz():
    with pytest.raises(ValueError):
        production_type(D("-0.01"))


def test_it_reports_thresholds_that_do_not_increase():
    assert DEFAULT_THRESHOLDS.problems() == []
    bad = Thresholds(mass=D(-1), large_serial=D(10), serial=D(10), small_serial=D(5))
    assert bad.problems() == [
        ("mass", "negative"),
        ("serial", "not_increasing"),
        ("small_serial", "not_increasing"),
    ]


def test_production_types_are_plain_strings():
    assert ProductionType.LARGE_SERIAL == "large_serial"
    assert [t.value for t in ProductionType] == [
        "mass",
        "large_serial",
        "serial",
        "small_serial",
        "single",
    ]


@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_production_type_never_goes_back_as_kz_grows(a, b):
    order = list(ProductionType)
    low, high = sorted((a, b))
    assert order.index(production_type(low)) <= order.index(production_type(high))


# --- §3 time study and idle (tables 4 and 11) -------------------------------------------------

TIME_STUDY = {
    "preparatory_final": D("4.5"),
    "main": D("61.3"),
    "servicing": D("5.2"),
    "auxiliary": D("12.0"),
    "late_start_early_leave": D("3.1"),
    "personal": D("2.4"),
    "no_work": D("4.0"),
    "machine_fault": D("5.6"),
    "other": D("1.9"),
}


def test_it_sums_a_time_study_to_100_percent():
    assert time_study_total(TIME_STUDY) == D("100.0")
    assert time_study_problems(TIME_STUDY) == []
    assert machine_idle_percent(TIME_STUDY["main"]) == D("38.7")


def test_it_reports_a_time_study_off_100_or_with_negative_parts():
    assert time_study_problems({**TIME_STUDY, "other": D("2.0")}) == [(None, "total_not_100")]
    assert time_study_problems({**TIME_STUDY, "other": D("1.94")}) == []  # 100.04 → 100.0
    assert time_study_problems({**TIME_STUDY, "other": D("-1.9"), "main": D("65.1")}) == [
        ("other", "negative")
    ]
    assert time_study_problems({}) == [(None, "total_not_100")]


def test_it_reproduces_table_11_idle_analysis():
    causes = {
        "Текущий ремонт": D("40.0"),
        "Неплановый ремонт": D("792.6"),
        "Нет заготовок": D("69.0"),
    }
    analysis = idle_analysis(causes, D(3073))
    assert analysis.total_hours == D("901.6")
    assert analysis.fund_percent == D("29.34")
    assert [row.cause for row in analysis.rows] == [
        "Неплановый ремонт",
        "Нет заготовок",
        "Текущий ремонт",
    ]
    first = analysis.rows[0]
    assert (first.hours, first.share_percent, first.cumulative_percent) == (
        D("792.6"),
        D("87.9"),
        D("87.9"),
    )
    assert first.fund_percent == D("25.79")  # 792.6 / 3073
    assert [row.share_percent for row in analysis.rows] == [D("87.9"), D("7.7"), D("4.4")]
    assert [row.cumulative_percent for row in analysis.rows] == [D("87.9"), D("95.6"), D("100.0")]


def test_it_orders_equal_idle_hours_by_cause_name():
    analysis = idle_analysis({"b": D(5), "a": D(5), "c": D(9)}, D(100))
    assert [row.cause for row in analysis.rows] == ["c", "a", "b"]


def test_it_leaves_shares_blank_without_idle_or_without_a_fund():
    analysis = idle_analysis({"a": D(0)}, D(0))
    assert analysis.rows[0].share_percent is None
    assert analysis.rows[0].fund_percent is None
    assert analysis.fund_percent is None
    empty = idle_analysis({}, D(3073))
    assert (empty.rows, empty.total_hours, empty.fund_percent) == ((), D(0), D("0.00"))


def test_it_refuses_negative_idle_hours_or_fund():
    with pytest.raises(ValueError, match="'a'"):
        idle_analysis({"a": D(-1)}, D(10))
    with pytest.raises(ValueError):
        idle_analysis({"a": D(1)}, D(-10))


# --- §4 indicators ---------------------------------------------------------------------------


def test_it_shares_the_normative_net_output_to_a_kit_by_wages():
    assert normative_net_output(D("1200.00"), D("35.50"), D("142.00")) == D("300.00")
    assert normative_net_output(D("100"), D("1"), D("3")) == D("33.33")
    with pytest.raises(ValueError):
        normative_net_output(D(100), D(1), D(0))


def test_it_gives_ratios_to_four_places_and_none_without_a_plan():
    assert ratio(D(2), D(3)) == D("0.6667")
    assert ratio(D("110"), D("100")) == D("1.1000")
    assert ratio(D(5), D(0)) is None
    assert ratio(D(5), None) is None
    assert ratio(None, D(5)) is None


@pytest.mark.parametrize(
    ("actual", "plan", "direction", "fulfilment", "deviation", "is_met"),
    [
        ("105", "100", HIGHER, "105.0", "5.00", True),
        ("95", "100", HIGHER, "95.0", "-5.00", False),
        ("100", "100", HIGHER, "100.0", "0.00", True),
        ("98", "100", LOWER, "102.0", "2.00", True),
        ("103", "100", LOWER, "97.0", "-3.00", False),
        ("100", "100", LOWER, "100.0", "0.00", True),
        ("2", "3", HIGHER, "66.7", "-33.33", False),
    ],
)
def test_it_measures_plan_fulfilment_in_the_indicators_direction(
    actual, plan, direction, fulfilment, deviation, is_met
):
    assert fulfilment_percent(D(actual), D(plan), direction) == D(fulfilment)
    assert deviation_percent(D(actual), D(plan), direction) == D(deviation)
    assert met(D(actual), D(plan), direction) is is_met


def test_it_has_no_fulfilment_without_a_plan():
    assert fulfilment_percent(D(5), D(0), HIGHER) is None
    assert fulfilment_percent(D(5), None, LOWER) is None
    assert deviation_percent(D(5), D(0), HIGHER) is None
    assert deviation_percent(None, D(5), HIGHER) is None


# --- §6 plan tension, capacity, the fund -----------------------------------------------------


def test_it_reproduces_the_plan_tension_example():
    # 1.2 × 1.15 × 0.95 / 0.98 = 1.33776 (the scan's 1.5 is an erratum)
    assert plan_tension(D("1.2"), D("1.15"), D("0.95"), D("0.98")) == D("1.3378")


def test_it_weighs_tension_factors_by_exponents():
    factors = [
        TensionFactor(D("1.2"), HIGHER),
        TensionFactor(D("1.15"), HIGHER),
        TensionFactor(D("0.95"), HIGHER),
        TensionFactor(D("0.98"), LOWER),
    ]
    assert plan_tension_weighted(factors) == D("1.3378")
    # equipment load weighed at 0.5: 1.21 ** 0.5 = 1.1
    assert plan_tension_weighted([TensionFactor(D("1.21"), HIGHER, D("0.5"))]) == D("1.1000")
    assert plan_tension_weighted([TensionFactor(D("1.44"), LOWER, D("0.5"))]) == D("0.8333")
    assert plan_tension_weighted([TensionFactor(D("1.2"), HIGHER, D(2))]) == D("1.4400")
    assert plan_tension_weighted([TensionFactor(D("7"), HIGHER, D(0))]) == D("1.0000")
    assert plan_tension_weighted([]) == D("1.0000")


@pytest.mark.parametrize(
    "factor",
    [
        TensionFactor(D(0), HIGHER),
        TensionFactor(D("-1.1"), LOWER),
        TensionFactor(D("1.1"), HIGHER, D(-1)),
    ],
)
def test_it_refuses_a_non_positive_ratio_or_a_negative_weight(factor):
    with pytest.raises(ValueError):
        plan_tension_weighted([factor])
    with pytest.raises(ValueError):
        plan_tension(D(1), D(1), D(1), D(0))


_ratio = st.decimals(min_value=D("0.01"), max_value=D(5), places=4)


@given(_ratio, _ratio, _ratio, _ratio)
def test_weighted_tension_with_unit_weights_is_plan_tension(p, v, c, cost):
    factors = [
        TensionFactor(p, HIGHER),
        TensionFactor(v, HIGHER),
        TensionFactor(c, HIGHER),
        TensionFactor(cost, LOWER, D("1.0")),
    ]
    expected = Fraction(p) * Fraction(v) * Fraction(c) / Fraction(cost)
    tension = plan_tension(p, v, c, cost)
    assert plan_tension_weighted(factors) == tension
    assert abs(Fraction(tension) - expected) <= Fraction(1, 20000)


def test_it_measures_capacity_use():
    assert capacity_use(D("7300"), D("10428")) == D("0.7000")
    assert capacity_use(D("10"), D(0)) is None
    assert capacity_use(D("10"), None) is None


def test_it_splits_the_incentive_fund_by_wage_fund_times_tension():
    weights = {
        "Участок 1": fund_weight(D("10000.00"), D("1.3378")),
        "Участок 2": fund_weight(D("8000.00"), D("0.9800")),
        "Участок 3": fund_weight(D("12000.00"), D("1.0500")),
    }
    parts = split_fund(D("5000.00"), weights)
    assert list(parts) == ["Участок 1", "Участок 2", "Участок 3"]
    # weights 13 378, 7 840, 12 600 of 33 818: 1977.940…, 1159.146…, 1862.913…; the floors
    # sum to 4999.99 and the kopeck left goes to the largest remainder (0.6 of a kopeck)
    assert parts == {
        "Участок 1": D("1977.94"),
        "Участок 2": D("1159.15"),
        "Участок 3": D("1862.91"),
    }
    assert sum(parts.values()) == D("5000.00")


def test_it_breaks_fund_ties_in_the_given_order():
    assert split_fund(D("0.02"), {"c": D(1), "a": D(1), "b": D(1)}) == {
        "c": D("0.01"),
        "a": D("0.01"),
        "b": D("0.00"),
    }


def test_it_leaves_the_fund_undistributed_when_every_weight_is_zero():
    assert split_fund(D("100.00"), {"a": D(0), "b": D(0)}) == {"a": D("0.00"), "b": D("0.00")}
    assert split_fund(D("100.00"), {}) == {}


def test_it_refuses_a_fund_with_fractions_of_a_kopeck_or_negative_weights():
    with pytest.raises(ValueError):
        split_fund(D("1.005"), {"a": D(1)})
    with pytest.raises(ValueError):
        split_fund(D("1.00"), {"a": D(-1), "b": D(2)})


@given(
    st.integers(min_value=0, max_value=10**10),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=4), min_size=1, max_size=30).filter(
        lambda ws: any(ws)
    ),
)
def test_the_fund_split_sums_exactly_and_is_proportional_within_a_kopeck(kopecks, weights):
    total = D(kopecks).scaleb(-2)
    parts = split_fund(total, dict(enumerate(weights)))
    assert sum(parts.values()) == total
    weight_sum = sum(Fraction(w) for w in weights)
    for index, weight in enumerate(weights):
        exact = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(Fraction(parts[index]) - exact) < Fraction(1, 100)
        assert parts[index].as_tuple().exponent == -2


# --- §7 completeness and rhythmicity ---------------------------------------------------------


def test_it_computes_the_completeness_level():
    assert completeness(D(80), D(20)) == D("0.8000")
    assert completeness(D(2), D(1)) == D("0.6667")
    assert completeness(D(50), D(0)) == D("1.0000")
    assert completeness(D(0), D(0)) is None
    with pytest.raises(ValueError):
        completeness(D(-1), D(5))


def test_it_measures_rhythmicity_by_decade():
    plan = [D(300), D(300), D(400)]
    assert rhythmicity(plan, [D(300), D(300), D(400)]) == D("1.0000")
    assert rhythmicity(plan, [D(150), D(150), D(200)]) == D("1.0000")  # half, evenly
    # storming at month end: shares 0.1, 0.2, 0.7 against 0.3, 0.3, 0.4
    assert rhythmicity(plan, [D(100), D(200), D(700)]) == D("0.7000")
    assert rhythmicity(plan, [D(0), D(0), D(0)]) == D("0.0000")  # nothing made
    assert rhythmicity([D(0), D(0), D(0)], [D(1), D(2), D(3)]) is None  # nothing planned
    assert rhythmicity([D(1), D(1), D(1)], [D(1), D(0), D(0)]) == D("0.3333")


def test_it_gives_decade_shares_of_the_own_total():
    assert decade_shares([D(1), D(1), D(2)]) == [D("0.25"), D("0.25"), D("0.5")]
    assert decade_shares([D(0), D(0), D(0)]) == [D(0), D(0), D(0)]
    assert sum(decade_shares([D(1), D(1), D(1)])).quantize(D("0.0001")) == D(1)


def test_it_refuses_mismatched_or_negative_decades():
    with pytest.raises(ValueError):
        rhythmicity([D(1), D(1), D(1)], [D(1), D(1)])
    with pytest.raises(ValueError):
        rhythmicity([], [])
    with pytest.raises(ValueError):
        rhythmicity([D(1), D(1), D(1)], [D(1), D(-1), D(1)])


_decades = st.lists(st.decimals(min_value=0, max_value=10**6, places=3), min_size=3, max_size=3)


@given(_decades, _decades)
def test_rhythmicity_lies_between_0_and_1(plan, actual):
    value = rhythmicity(plan, actual)
    if not any(plan):
        assert value is None
    else:
        assert D(0) <= value <= D(1)


@given(_decades.filter(any), st.decimals(min_value=D("0.001"), max_value=1000, places=3))
def test_rhythmicity_is_1_when_output_follows_the_plan(plan, factor):
    assert rhythmicity(plan, [p * factor for p in plan]) == D("1.0000")


# --- §7 complex evaluation (table 7) ---------------------------------------------------------


def test_it_reproduces_the_masters_complex_evaluation():
    deviations = {"completeness": D(20)}  # completeness 80 %; the ratio on plan
    points = scorecard_points(DEFAULT_SCORECARD_MASTER, deviations, ProductionType.SERIAL)
    assert points == D("11.00")  # 10 − 20 × 0.2 + 5
    assert planned_points(DEFAULT_SCORECARD_MASTER) == D(15)
    evaluation = complex_evaluation(points, planned_points(DEFAULT_SCORECARD_MASTER))
    assert evaluation == D("0.73")
    assert step_lookup(DEFAULT_COMPLEX_CORRECTION, evaluation) == D("0.75")


@pytest.mark.parametrize(
    ("kind", "points"),
    [
        (ProductionType.MASS, "11.00"),
        (ProductionType.LARGE_SERIAL, "11.00"),
        (ProductionType.SERIAL, "11.00"),
        (ProductionType.SMALL_SERIAL, "5.00"),  # 10 − 20 × 0.5 = 0, + 5
        (ProductionType.SINGLE, "5.00"),
    ],
)
def test_it_takes_the_penalty_column_of_the_production_type(kind, points):
    assert scorecard_points(DEFAULT_SCORECARD_MASTER, {"completeness": D(20)}, kind) == D(points)


def test_it_never_takes_a_row_below_zero_and_gives_no_extra_for_overfulfilment():
    rows = DEFAULT_SCORECARD_MASTER
    deviations = {"completeness": D(70), "productivity_wage_ratio": D(-10), "unknown": D(5)}
    assert scorecard_points(rows, deviations, ProductionType.SERIAL) == D("5.00")
    assert scorecard_points(rows, {}, ProductionType.SERIAL) == D("15.00")
    assert scorecard_points([], {}, ProductionType.SERIAL) == D("0.00")


def test_it_evaluates_engineers_on_their_own_rows():
    assert planned_points(DEFAULT_SCORECARD_ENGINEER) == D(25)
    deviations = {"rhythmicity_decade_1": D(4), "completeness": D(10)}
    points = scorecard_points(DEFAULT_SCORECARD_ENGINEER, deviations, ProductionType.SMALL_SERIAL)
    assert points == D("18.00")  # 10 − 4 × 0.5 + 10 + 5 − 10 × 0.5
    assert complex_evaluation(points, D(25)) == D("0.72")


def test_it_reports_duplicate_or_negative_scorecard_rows():
    rows = [
        ScorecardRow("a", D(10), D("0.2"), D("0.5")),
        ScorecardRow("a", D(5), D("-0.2"), D("0.5")),
    ]
    assert scorecard_problems(rows) == [(1, "duplicate"), (1, "negative")]
    assert scorecard_problems(DEFAULT_SCORECARD_MASTER) == []


def test_it_refuses_a_complex_evaluation_without_planned_points():
    with pytest.raises(ValueError):
        complex_evaluation(D(11), D(0))


# --- §7 scales -------------------------------------------------------------------------------

ALL_SCALES = [
    DEFAULT_COMPLEX_CORRECTION,
    DEFAULT_QUALITY_COLLECTIVE,
    DEFAULT_QUALITY_MASTERS,
    DEFAULT_TENSION_BONUS_PLANT_A,
    DEFAULT_SENIORITY,
]


@pytest.mark.parametrize("scale", ALL_SCALES)
def test_the_default_scales_have_no_gaps_overlaps_or_empty_ranges(scale):
    assert step_problems(scale) == []
    for previous, current in pairwise(scale):
        assert previous.upper == current.lower
    assert scale[-1].upper is None


@pytest.mark.parametrize(
    ("value", "correction"),
    [
        ("0.00", "0.75"),
        ("0.79", "0.75"),
        ("0.80", "0.91"),
        ("0.99", "0.91"),
        ("1.00", "1.0"),
        ("1.01", "1.1"),
        ("1.15", "1.1"),
        ("1.16", "1.2"),
        ("1.35", "1.2"),
        ("1.36", "1.25"),
        ("3.00", "1.25"),
    ],
)
def test_it_reads_the_complex_correction_scale(value, correction):
    assert step_lookup(DEFAULT_COMPLEX_CORRECTION, D(value)) == D(correction)


@pytest.mark.parametrize(
    ("quality", "collective", "masters"),
    [
        ("0.59", 50, 50),
        ("0.60", 65, 60),
        ("0.69", 65, 60),
        ("0.70", 80, 70),
        ("0.85", 90, 80),
        ("0.90", 100, 100),
        ("1.00", 100, 100),
        ("1.01", 105, 105),
        ("1.10", 105, 105),
        ("1.11", 110, 110),
        ("1.20", 110, 110),
        ("1.21", 115, 115),
        ("2.00", 115, 115),
    ],
)
def test_it_reads_the_quality_scales_of_table_9(quality, collective, masters):
    assert step_lookup(DEFAULT_QUALITY_COLLECTIVE, D(quality)) == D(collective)
    assert step_lookup(DEFAULT_QUALITY_MASTERS, D(quality)) == D(masters)


@pytest.mark.parametrize(
    ("tension", "percent"),
    [("0.50", 20), ("0.68", 20), ("0.97", 35), ("1.00", 35), ("1.23", 42), ("1.25", 42)],
)
def test_the_tension_scale_keeps_the_booklets_steps_exactly(tension, percent):
    assert step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D(tension)) == D(percent)


def test_the_tension_scale_rises_monotonely_through_the_completed_gaps():
    values = [step.value for step in DEFAULT_TENSION_BONUS_PLANT_A]
    assert values == sorted(values)
    assert step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D("0.69")) > D(20)
    assert step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D("0.96")) < D(35)
    assert D(35) < step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D("1.01")) < D(42)
    assert step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D("1.26")) == D(42)
    assert step_lookup(DEFAULT_TENSION_BONUS_PLANT_A, D("9.99")) == D(42)


@pytest.mark.parametrize(
    ("years", "percent"), [(0, 0), (1, 3), (2, 3), (3, 4), (5, 4), (6, 5), (9, 5), (10, 6), (40, 6)]
)
def test_it_reads_the_seniority_scale(years, percent):
    assert step_lookup(DEFAULT_SENIORITY, D(years)) == D(percent)


# --- §7 bonus --------------------------------------------------------------------------------


def _inputs(**changes) -> BonusInputs:
    values = {
        "tension": D("0.98"),
        "productivity_met": True,
        "cost_met": True,
        "quality": D("0.95"),
        "complex_evaluation": D("0.73"),
        "month": 3,
    }
    return BonusInputs(**{**values, **changes})


def test_it_reproduces_the_masters_bonus_of_26_25_percent():
    bonus = bonus_percent(_inputs(), **SCALES)
    assert bonus.base_percent == D(35)
    assert bonus.conditions_met is True
    assert bonus.unmet == ()
    assert bonus.complex_correction == D("0.75")
    assert bonus.quality_percent == D(100)
    assert bonus.percent == D("26.25")
    assert (bonus.month_of_quarter, bonus.paid_now, bonus.withheld) == (3, D("26.25"), D("0"))


def test_it_pays_75_percent_in_months_1_and_2_and_withholds_the_rest():
    for month, order in ((1, 1), (5, 2), (11, 2), (4, 1)):
        bonus = bonus_percent(_inputs(month=month), **SCALES)
        assert bonus.month_of_quarter == order
        assert bonus.paid_now == D("19.69")  # 26.25 × 0.75 = 19.6875
        assert bonus.withheld == D("6.56")
        assert bonus.paid_now + bonus.withheld == bonus.percent


def test_it_releases_the_quarters_withheld_bonus_only_when_the_quarter_holds():
    assert quarter_release([D("656.25"), D("700.10")], quarter_met=True) == D("1356.35")
    assert quarter_release([D("656.25"), D("700.10")], quarter_met=False) == D("0.00")
    assert quarter_release([], quarter_met=True) == D("0.00")


@pytest.mark.parametrize(
    ("productivity_met", "cost_met", "unmet"),
    [
        (False, True, ("productivity",)),
        (True, False, ("cost",)),
        (False, False, ("productivity", "cost")),
    ],
)
def test_it_pays_nothing_when_a_mandatory_condition_fails_and_says_which(
    productivity_met, cost_met, unmet
):
    bonus = bonus_percent(
        _inputs(productivity_met=productivity_met, cost_met=cost_met, month=1), **SCALES
    )
    assert bonus.conditions_met is False
    assert bonus.unmet == unmet
    assert bonus.base_percent == D(35)  # what it would have been, kept for the page
    assert (bonus.percent, bonus.paid_now, bonus.withheld) == (D("0.00"), D("0.00"), D("0.00"))


def test_it_skips_the_correction_for_a_category_without_complex_evaluation():
    bonus = bonus_percent(_inputs(complex_evaluation=None, quality=D("0.55")), **SCALES)
    assert bonus.complex_correction == D(1)
    assert bonus.quality_percent == D(50)
    assert bonus.percent == D("17.50")  # 35 × 1 × 50 %


def test_it_rounds_the_coefficients_to_two_places_before_the_scales():
    # Кнапр 0.9651 → 0.97 → 35 %; Ккоэкт 0.995 → 1.00 → 1.0; Ккт 1.004 → 1.00 → 100 %
    bonus = bonus_percent(
        _inputs(tension=D("0.9651"), complex_evaluation=D("0.995"), quality=D("1.004")), **SCALES
    )
    assert (bonus.base_percent, bonus.complex_correction, bonus.quality_percent) == (
        D(35),
        D("1.0"),
        D(100),
    )
    assert bonus.percent == D("35.00")


def test_it_raises_out_of_scale_never_a_silent_default():
    partial = [Step(D("0.97"), D("1.01"), D(35))]
    with pytest.raises(OutOfScale):
        bonus_percent(_inputs(tension=D("1.5")), **{**SCALES, "tension_scale": partial})
    with pytest.raises(OutOfScale):
        bonus_percent(_inputs(), **{**SCALES, "quality_scale": []})
    with pytest.raises(OutOfScale):
        bonus_percent(_inputs(), **{**SCALES, "correction_scale": []})


def test_it_refuses_a_wrong_month_or_withholding():
    with pytest.raises(ValueError):
        bonus_percent(_inputs(month=13), **SCALES)
    with pytest.raises(ValueError):
        bonus_percent(_inputs(withhold_percent=D(101)), **SCALES)


def test_it_pays_other_categories_in_the_ratio_of_their_maxima():
    assert category_percent(D("26.25"), D(28), D(35)) == D("21.00")
    with pytest.raises(ValueError):
        category_percent(D("26.25"), D(28), D(0))


def test_it_computes_the_seniority_reward():
    assert seniority_reward(4, D("24000.00"), DEFAULT_SENIORITY) == D("960.00")
    assert seniority_reward(4, D("24000.00"), DEFAULT_SENIORITY, True) == D("1200.00")
    assert seniority_reward(12, D("1234.57"), DEFAULT_SENIORITY) == D("74.07")  # 74.0742
    assert seniority_reward(0, D("24000.00"), DEFAULT_SENIORITY) == D("0.00")
    with pytest.raises(ValueError):
        seniority_reward(-1, D("100.00"), DEFAULT_SENIORITY)
    with pytest.raises(OutOfScale):
        seniority_reward(2, D("100.00"), [Step(D(5), None, D(6))])


def test_it_computes_the_energy_bonus_within_the_cap():
    assert energy_bonus(D("1000.00"), D(30), ENERGY_BONUS_CAPS["fuel"]) == D("300.00")
    assert energy_bonus(D("333.33"), D(17), D(45)) == D("56.67")  # 56.6661
    assert energy_bonus(D("-50.00"), D(30), D(45)) == D("0.00")
    with pytest.raises(ValueError, match="above the cap 30"):
        energy_bonus(D("1000.00"), D(31), ENERGY_BONUS_CAPS["fuel"])
    with pytest.raises(ValueError):
        energy_bonus(D("1000.00"), D(-1), D(45))


# --- §8 competition (table 8) ----------------------------------------------------------------


def test_it_computes_the_competition_coefficient_of_table_8():
    deltas = {
        "output": D("3.5"),  # +0.03
        "cost": D("0.25"),  # +0.02
        "productivity": D("2"),  # +0.02
        "nomenclature": D("-1.5"),  # −0.05
        "wage_fund": D("2"),  # +0.06
        "materials": D("-1"),  # −0.01
    }
    assert competition_coefficient(deltas) == D("1.070")
    assert competition_coefficient({}) == D("1.000")


@pytest.mark.parametrize(
    ("code", "delta", "coefficient"),
    [
        ("output", "-5", "1.000"),  # unmet output is not counted
        ("output", "0.99", "1.000"),  # partial steps do not count
        ("cost", "-3", "1.000"),
        ("nomenclature", "4", "1.000"),  # no gain for nomenclature
        ("nomenclature", "-2", "0.900"),
        ("wage_fund", "-2.9", "0.800"),  # −0.1 per whole 1 % overspent
        ("wage_fund", "1", "1.030"),
        ("materials", "-0.9", "1.000"),
    ],
)
def test_it_counts_whole_steps_by_each_rule(code, delta, coefficient):
    assert competition_coefficient({code: D(delta)}) == D(coefficient)


def test_it_refuses_a_delta_without_a_rule_or_bad_rules():
    with pytest.raises(ValueError, match="outptu"):
        competition_coefficient({"outptu": D(1)})
    bad = [
        CompetitionRule("a", D(0), D("0.01"), D(0)),
        CompetitionRule("a", D(1), D("-0.01"), D(0)),
    ]
    assert competition_rule_problems(bad) == [
        (0, "per_not_positive"),
        (1, "duplicate"),
        (1, "negative"),
    ]
    assert competition_rule_problems(DEFAULT_COMPETITION_RULES) == []
    with pytest.raises(ValueError):
        competition_coefficient({}, bad)


_delta = st.decimals(min_value=-50, max_value=50, places=2)


@given(
    st.sampled_from([rule.code for rule in DEFAULT_COMPETITION_RULES]),
    _delta,
    _delta,
    st.fixed_dictionaries({rule.code: _delta for rule in DEFAULT_COMPETITION_RULES}),
)
def test_the_competition_coefficient_grows_with_every_delta(code, a, b, others):
    low, high = sorted((a, b))
    assert competition_coefficient({**others, code: low}) <= competition_coefficient(
        {**others, code: high}
    )


def test_it_ranks_with_shared_places_and_leaves_low_quality_unranked():
    entries = [
        ("Участок 1", D("1.050"), D("0.9")),
        ("Участок 2", D("1.120"), D("1.0")),
        ("Участок 3", D("1.050"), D("0.8")),
        ("Участок 4", D("1.200"), D("0.45")),
        ("Участок 5", D("0.990"), D("0.5")),
        ("Участок 6", D("1.000"), None),
    ]
    result = rank(entries)
    assert [(e.key, e.rank, e.reason) for e in result] == [
        ("Участок 2", 1, None),
        ("Участок 1", 2, None),
        ("Участок 3", 2, None),
        ("Участок 5", 4, None),
        ("Участок 4", None, "quality_below_minimum"),
        ("Участок 6", None, "quality_unknown"),
    ]
    assert result[0].coefficient == D("1.120")
    assert rank([]) == []
    assert [e.rank for e in rank(entries, quality_minimum=D("0.4"))][:2] == [1, 2]


def test_it_sets_the_due_dates_of_the_results():
    assert due_date(2026, 3, 12) == datetime.date(2026, 4, 12)
    assert due_date(2026, 12) == datetime.date(2027, 1, 12)
    assert due_date(2026, 1, SHOP_DUE_DAY) == datetime.date(2026, 2, 20)
    due = due_date(2026, 3)
    assert is_late(datetime.date(2026, 4, 12), due) is False
    assert is_late(datetime.date(2026, 4, 13), due) is True
    with pytest.raises(ValueError):
        due_date(2026, 1, 30)  # no 30 February
