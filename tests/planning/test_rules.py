"""Pure rules of personal plans and org-technical measures (planning/rules.py).

Vectors come from shared/domain/planning.md (seed 004, chapter V, tables 20–25) and are
checked at the precision the source prints them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning.measures.rules import (
    labour_intensity_reduction,
    productivity_growth_from_measures,
    released_workers,
)
from planning.plans.rules import (
    CorrectionCell,
    CorrectionTable,
    OutOfTable,
    PlanCheck,
    PlanVerdict,
    correction_cell_problems,
    correction_coefficient_formula,
    differentiated_growth,
    five_year_plan,
    plan_from_average,
    plans_vs_section_task,
    round_coefficient,
    textile_annual_plan,
)
from planning.tracking.rules import (
    completion_date,
    fulfilment_percent,
    lead_lag_days,
    monthly_growth_bonus_eligible,
    quarterly_output_bonus_eligible,
)

D = Decimal


def q(x: Decimal, places: int) -> Decimal:
    """Half-up rounding as the source prints its figures."""
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimals(low: str, high: str, places: int = 2):
    return st.decimals(
        min_value=D(low), max_value=D(high), places=places, allow_nan=False, allow_infinity=False
    )


# --- plan from achieved output (§3a) ---------------------------------------------------------


def test_it_raises_the_average_output_by_the_planned_growth():
    assert plan_from_average(D("2000"), D("5.5")) == D("2110")
    assert plan_from_average(D("1.20"), D("0")) == D("1.20")
    assert plan_from_average(D("100"), D("-10")) == D("90")


def test_it_refuses_a_negative_average_or_a_fall_of_a_hundred_percent():
    with pytest.raises(ValueError, match="Средняя выработка"):
        plan_from_average(D("-1"), D("5"))
    with pytest.raises(ValueError, match="−100 %"):
        plan_from_average(D("100"), D("-100"))


def test_it_finds_table_24_consistent_with_a_plausible_time_balance():
    """Table 24: 2517 norm-hours a year at 1.27 norm-hours an hour.

    The implied balance 2517 / 1.27 ≈ 1982 h lies within the annual balances the source
    uses (table 23: 1960–1994 h), and 1982 h × 1.27 gives back 2517 norm-hours. The base
    the 5.5 % growth applies to is not stated, so plan_from_average is not checked here.
    """
    implied_balance = D("2517") / D("1.27")
    assert q(implied_balance, 0) == D("1982")
    assert D("1960") <= implied_balance <= D("1994")
    assert q(D("1982") * D("1.27"), 0) == D("2517")


# --- correction coefficient (§3b, table 25) --------------------------------------------------


@pytest.mark.parametrize(
    ("worker", "section", "rounded"),
    [
        (D("1.36"), D("1.22"), D("0.885")),  # worker A
        (D("1.00"), D("1.22"), D("1.180")),  # worker B
    ],
)
def test_it_computes_the_blank_shop_coefficient_to_three_places(worker, section, rounded):
    coefficient = correction_coefficient_formula(worker, section)
    assert coefficient != rounded  # returned unrounded
    assert round_coefficient(coefficient) == rounded
    assert str(round_coefficient(coefficient)) == str(rounded)


def test_it_rounds_coefficients_half_up():
    assert round_coefficient(D("0.8845")) == D("0.885")
    assert round_coefficient(D("0.88549")) == D("0.885")
    assert round_coefficient(D("1.25"), places=1) == D("1.3")
    with pytest.raises(ValueError, match="знаков"):
        round_coefficient(D("1"), places=-1)


@pytest.mark.parametrize("section", [D("0"), D("-1.2")])
def test_it_refuses_a_section_fulfilment_not_above_zero(section):
    with pytest.raises(ValueError, match="Выполнение норм участком должно быть больше нуля"):
        correction_coefficient_formula(D("1.36"), section)


def test_it_refuses_a_negative_worker_fulfilment():
    with pytest.raises(ValueError, match="рабочим не может быть отрицательным"):
        correction_coefficient_formula(D("-0.1"), D("1.22"))


@given(decimals("0.01", "5.00"))
def test_it_gives_one_to_a_worker_fulfilling_norms_like_the_section(fulfilment):
    assert correction_coefficient_formula(fulfilment, fulfilment) == 1


@given(decimals("0", "5.00"), decimals("0", "5.00"), decimals("0.01", "5.00"))
def test_it_lowers_the_coefficient_as_the_worker_fulfils_more(a, b, section):
    low, high = sorted((a, b))
    assert correction_coefficient_formula(high, section) <= correction_coefficient_formula(
        low, section
    )


def excerpt_of_table_25() -> CorrectionTable:
    """A small table holding the two known cells of table 25 (Ну 1.22) and neighbours."""
    return CorrectionTable(
        (
            CorrectionCell(D("1.22"), None, D("0.90"), D("1.35")),
            CorrectionCell(D("1.22"), D("0.90"), D("1.10"), D("1.26")),
            CorrectionCell(D("1.22"), D("1.10"), D("1.30"), D("1.00")),
            CorrectionCell(D("1.22"), D("1.30"), D("1.50"), D("0.87")),
            CorrectionCell(D("1.10"), D("1.00"), None, D("0.95")),
        )
    )


@pytest.mark.parametrize(
    ("section", "worker", "coefficient"),
    [
        (D("1.22"), D("1.36"), D("0.87")),  # worker A
        (D("1.22"), D("1.00"), D("1.26")),  # worker B
        (D("1.220"), D("1.30"), D("0.87")),  # the same key; lower bound inclusive
        (D("1.22"), D("0.10"), D("1.35")),  # open lower range
        (D("1.10"), D("9"), D("0.95")),  # open upper range
    ],
)
def test_it_looks_the_coefficient_up_in_the_plant_table(section, worker, coefficient):
    assert excerpt_of_table_25().lookup(section, worker) == coefficient


def test_it_raises_out_of_table_for_an_unknown_section_fulfilment():
    with pytest.raises(OutOfTable, match="нет строки для выполнения норм участком 1,23") as info:
        excerpt_of_table_25().lookup(D("1.23"), D("1.36"))
    assert isinstance(info.value, LookupError)
    assert (info.value.section_fulfilment, info.value.worker_fulfilment) == (D("1.23"), D("1.36"))


def test_it_raises_out_of_table_past_the_last_worker_range():
    with pytest.raises(
        OutOfTable, match=r"нет диапазона для выполнения норм рабочим 1,50 при .* участком 1,22"
    ):
        excerpt_of_table_25().lookup(D("1.22"), D("1.50"))  # upper bound exclusive


def test_it_raises_out_of_table_for_an_empty_table():
    with pytest.raises(OutOfTable):
        CorrectionTable(()).lookup(D("1.22"), D("1.00"))


def test_it_rejects_overlapping_or_empty_ranges_within_a_section():
    cells = [
        CorrectionCell(D("1.22"), D("1.00"), D("1.40"), D("1")),
        CorrectionCell(D("1.10"), D("1.00"), D("1.40"), D("1")),  # another section: fine
        CorrectionCell(D("1.22"), D("1.30"), D("1.50"), D("0.87")),
        CorrectionCell(D("1.22"), D("2.00"), D("2.00"), D("0.5")),
    ]
    assert correction_cell_problems(cells) == [(2, "overlap"), (3, "empty")]
    with pytest.raises(ValueError, match=r"ячейка 3: диапазон пересекается.*ячейка 4: пустой"):
        CorrectionTable(tuple(cells))


def test_it_keeps_the_table_immutable_and_hashable():
    table = CorrectionTable([CorrectionCell(D("1.22"), None, None, D("1"))])
    assert isinstance(table.cells, tuple)
    hash(table)


# --- differentiated growth (§3b) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("coefficient", "growth"),
    [(D("0.87"), "4.35"), (D("1.26"), "6.30")],
)
def test_it_differentiates_the_section_growth(coefficient, growth):
    result = differentiated_growth(D("5.0"), coefficient)
    assert result == D(growth)
    assert q(result, 2) == D(growth)


def test_it_differentiates_with_the_table_lookup():
    table = excerpt_of_table_25()
    assert differentiated_growth(D("5.0"), table.lookup(D("1.22"), D("1.36"))) == D("4.35")
    assert differentiated_growth(D("5.0"), table.lookup(D("1.22"), D("1.00"))) == D("6.30")


@given(decimals("0", "30.0", 1), decimals("-1.00", "3.00"), decimals("-1.00", "3.00"))
def test_it_grows_the_rate_with_the_coefficient(section_growth, a, b):
    low, high = sorted((a, b))
    assert differentiated_growth(section_growth, low) <= differentiated_growth(section_growth, high)


# --- textile method (§3c, table 23) ----------------------------------------------------------

TABLE_23 = [
    # year, Ti, Нот, По, Кро, thousand metres as printed
    (1976, "1994", "29", "5.1", "0.965", "284.6"),
    (1977, "1967", "29", "5.2", "0.965", "286.2"),
    (1978, "1960", "29", "5.3", "0.965", "290.7"),
    (1979, "1960", "29", "5.4", "0.965", "296.2"),
    (1980, "1967", "29", "5.5", "0.965", "302.8"),
]


@pytest.mark.parametrize(("year", "ti", "service", "productivity", "share", "printed"), TABLE_23)
def test_it_reproduces_table_23_year_by_year(year, ti, service, productivity, share, printed):
    metres = textile_annual_plan(D(ti), D(service), D(productivity), D(share))
    assert q(metres / 1000, 1) == D(printed)


def test_it_sums_the_five_year_textile_plan():
    annual = [textile_annual_plan(D(ti), D(n), D(p), D(k)) for _, ti, n, p, k, _ in TABLE_23]
    total = five_year_plan(annual)
    assert total == D("1460489.5755")  # exact: the products terminate
    assert q(total / 1000, 1) == D("1460.5") == sum(D(row[5]) for row in TABLE_23)


def test_it_sums_nothing_to_zero():
    assert five_year_plan([]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-1", "29", "5.1", "0.965"), "Баланс рабочего времени"),
        (("1994", "-29", "5.1", "0.965"), "Норма обслуживания"),
        (("1994", "29", "-5.1", "0.965"), "Производительность"),
        (("1994", "29", "5.1", "1.01"), "от 0 до 1"),
        (("1994", "29", "5.1", "-0.01"), "от 0 до 1"),
    ],
)
def test_it_refuses_impossible_textile_inputs(args, message):
    with pytest.raises(ValueError, match=message):
        textile_annual_plan(*map(D, args))


# --- consistency with the section (§4) -------------------------------------------------------


@pytest.mark.parametrize(
    ("plans", "task", "verdict", "excess"),
    [
        ("1000", "1000", PlanVerdict.SOUND, "0"),
        ("1040", "1000", PlanVerdict.SOUND, "4"),
        ("1100", "1000", PlanVerdict.SOUND, "10"),  # the limit itself is sound
        ("1100.1", "1000", PlanVerdict.TOO_HIGH, "10.01"),
        ("1250", "1000", PlanVerdict.TOO_HIGH, "25"),
        ("999.9", "1000", PlanVerdict.TOO_LOW, "-0.01"),
        ("950", "1000", PlanVerdict.TOO_LOW, "-5"),
    ],
)
def test_it_checks_the_plans_against_the_section_task(plans, task, verdict, excess):
    check = plans_vs_section_task(D(plans), D(task))
    assert check.verdict == verdict
    assert check.excess_percent == D(excess)


def test_it_uses_plain_string_verdicts():
    assert PlanVerdict.SOUND == "sound"
    assert PlanVerdict.TOO_HIGH == "too_high"
    assert PlanVerdict.TOO_LOW == "too_low"


def test_it_honours_a_stricter_sound_limit():
    assert plans_vs_section_task(D("1050"), D("1000"), D("4")).verdict == PlanVerdict.TOO_HIGH
    assert plans_vs_section_task(D("1040"), D("1000"), D("4")).verdict == PlanVerdict.SOUND


@pytest.mark.parametrize(
    ("plans", "upper", "message"),
    [
        ("1000", "10", "Сумма личных планов равна заданию участка — планы обоснованы."),
        (
            "1075",
            "10",
            "Сумма личных планов превышает задание участка на 7,5 % (не больше 10 %)"
            " — планы обоснованы.",
        ),
        (
            "1152",
            "10",
            "Сумма личных планов превышает задание участка на 15,2 % (больше 10 %): избыточная"
            " численность, при оплате — перерасход фонда заработной платы.",
        ),
        (
            "1050",
            "4.5",
            "Сумма личных планов превышает задание участка на 5,0 % (больше 4,5 %): избыточная"
            " численность, при оплате — перерасход фонда заработной платы.",
        ),
        (
            "966",
            "10",
            "Сумма личных планов ниже задания участка на 3,4 %: участок не выполнит задание,"
            " стимулирование теряет смысл.",
        ),
    ],
)
def test_it_explains_the_verdict_in_russian_with_a_decimal_comma(plans, upper, message):
    assert plans_vs_section_task(D(plans), D("1000"), D(upper)).message == message


@pytest.mark.parametrize("task", [D("0"), D("-5")])
def test_it_refuses_a_section_task_not_above_zero(task):
    with pytest.raises(ValueError, match="Задание участка должно быть больше нуля"):
        plans_vs_section_task(D("100"), task)


def test_it_refuses_a_negative_sound_limit():
    with pytest.raises(ValueError, match="Допустимое превышение"):
        plans_vs_section_task(D("100"), D("100"), D("-1"))


def test_it_keeps_the_check_frozen():
    check = plans_vs_section_task(D("100"), D("100"))
    assert isinstance(check, PlanCheck)
    with pytest.raises(AttributeError):
        check.verdict = PlanVerdict.TOO_LOW  # type: ignore[misc]


@given(decimals("0.01", "100000"), decimals("0", "30", 1))
def test_it_calls_the_task_and_its_upper_limit_sound(task, upper):
    assert plans_vs_section_task(task, task, upper).verdict == PlanVerdict.SOUND
    at_limit = task + task * upper / 100
    assert plans_vs_section_task(at_limit, task, upper).verdict == PlanVerdict.SOUND


@given(decimals("0", "200000"), decimals("0.01", "100000"), decimals("0", "30", 1))
def test_it_matches_the_verdict_to_the_excess(plans, task, upper):
    check = plans_vs_section_task(plans, task, upper)
    if plans < task:
        assert check.verdict == PlanVerdict.TOO_LOW
        assert check.excess_percent < 0
    elif check.verdict == PlanVerdict.TOO_HIGH:
        assert plans * 100 > task * (100 + upper)
        assert check.excess_percent >= upper  # quotient inexact at most in the last digit
    else:
        assert check.verdict == PlanVerdict.SOUND
        assert check.excess_percent >= 0


# --- org-technical measures (§5, tables 20–21) -----------------------------------------------


def test_it_computes_the_diamond_tape_measure():
    reduction = labour_intensity_reduction(D("0.45"), D("0.29"), D("216900"))
    assert reduction == D("34704")
    released = released_workers(reduction, D("1807"), D("1.2"))
    assert q(released, 1) == D("16.0")
    assert released != D("16.0")  # returned unrounded


def test_it_signs_a_measure_that_raises_labour_as_negative():
    assert labour_intensity_reduction(D("0.29"), D("0.45"), D("100")) == D("-16")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-0.1", "0.29", "100"), "до мероприятия"),
        (("0.45", "-0.1", "100"), "после мероприятия"),
        (("0.45", "0.29", "-1"), "Годовой объём"),
    ],
)
def test_it_refuses_negative_measure_inputs(args, message):
    with pytest.raises(ValueError, match=message):
        labour_intensity_reduction(*map(D, args))


@pytest.mark.parametrize(
    ("fund", "fulfilment", "message"),
    [("0", "1.2", "фонд рабочего времени"), ("1807", "0", "Выполнение норм")],
)
def test_it_refuses_a_zero_time_fund_or_fulfilment(fund, fulfilment, message):
    with pytest.raises(ValueError, match=message):
        released_workers(D("34704"), D(fund), D(fulfilment))


def test_it_sums_a_group_of_measures_into_productivity_growth():
    """A group of measures in one unit adds up (table 21 style; its 1.09 % for progressive
    technology is reproduced by illustrative measures — the table's rows are not stated)."""
    headcount = 2000
    diamond_tape = released_workers(
        labour_intensity_reduction(D("0.45"), D("0.29"), D("216900")), D("1807"), D("1.2")
    )
    group = [diamond_tape, D("4.5"), D("1.3")]
    per_measure = [productivity_growth_from_measures(r, headcount) for r in group]
    total = sum(per_measure, D(0))
    assert total == productivity_growth_from_measures(sum(group, D(0)), headcount)
    assert q(total, 2) == D("1.09")
    assert productivity_growth_from_measures(D("16"), 1600) == D("1")


@pytest.mark.parametrize("headcount", [0, -3, D("0")])
def test_it_refuses_a_headcount_not_above_zero(headcount):
    with pytest.raises(ValueError, match="Численность подразделения"):
        productivity_growth_from_measures(D("1"), headcount)


# --- tracking (§6) ---------------------------------------------------------------------------


def test_it_computes_fulfilment_percent():
    assert fulfilment_percent(D("105"), D("100")) == D("105")
    assert q(fulfilment_percent(D("2"), D("3")), 1) == D("66.7")
    assert fulfilment_percent(D("5"), D("0")) is None
    with pytest.raises(ValueError, match="План не может быть отрицательным"):
        fulfilment_percent(D("5"), D("-1"))


def test_it_counts_lead_and_lag_in_days_of_plan():
    assert lead_lag_days(D("1100"), D("1000"), D("50")) == D("2")  # two days ahead
    assert lead_lag_days(D("925"), D("1000"), D("50")) == D("-1.5")  # a day and a half behind
    assert lead_lag_days(D("1000"), D("1000"), D("50")) == 0
    with pytest.raises(ValueError, match="Дневной план"):
        lead_lag_days(D("1"), D("1"), D("0"))


@given(decimals("0", "10000"), decimals("0", "10000"), decimals("0.01", "500"))
def test_it_signs_the_lead_as_positive(actual, plan, rate):
    days = lead_lag_days(actual, plan, rate)
    assert (days > 0) == (actual > plan)
    assert (days < 0) == (actual < plan)


def test_it_finds_the_five_year_task_done_by_20_march_1978():
    achieved = [
        (datetime.date(1978, 3, 20), D("1")),
        (datetime.date(1976, 12, 31), D("400")),
        (datetime.date(1977, 12, 31), D("450")),
        (datetime.date(1978, 3, 19), D("149")),  # one short of the task
        (datetime.date(1978, 3, 21), D("10")),
        (datetime.date(1975, 12, 31), D("999")),  # before the start: ignored
    ]
    assert completion_date(datetime.date(1976, 1, 1), D("1000"), achieved) == datetime.date(
        1978, 3, 20
    )


def test_it_returns_none_when_the_task_is_not_reached():
    achieved = [(datetime.date(1976, 12, 31), D("400"))]
    assert completion_date(datetime.date(1976, 1, 1), D("1000"), achieved) is None
    assert completion_date(datetime.date(1976, 1, 1), D("1000"), []) is None


def test_it_adds_up_entries_on_one_date():
    day = datetime.date(1977, 6, 1)
    achieved = [(day, D("600")), (day, D("400"))]
    assert completion_date(datetime.date(1976, 1, 1), D("1000"), achieved) == day


def test_it_refuses_a_task_not_above_zero():
    with pytest.raises(ValueError, match="План должен быть больше нуля"):
        completion_date(datetime.date(1976, 1, 1), D("0"), [])


@given(
    st.lists(
        st.tuples(
            st.dates(datetime.date(1976, 1, 1), datetime.date(1980, 12, 31)),
            decimals("0", "100"),
        ),
        max_size=30,
    ),
    decimals("0.01", "1000"),
)
def test_it_returns_the_first_date_the_cumulative_reaches_the_task(achieved, plan):
    done = completion_date(datetime.date(1976, 1, 1), plan, achieved)
    if done is None:
        assert sum((a for _, a in achieved), D(0)) < plan
    else:
        assert sum((a for d, a in achieved if d <= done), D(0)) >= plan
        assert sum((a for d, a in achieved if d < done), D(0)) < plan


# --- bonuses (§6, Dynamo plant) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_met", "nomenclature_met", "eligible"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_it_requires_plan_and_nomenclature_for_the_monthly_bonus(
    plan_met, nomenclature_met, eligible
):
    assert (
        monthly_growth_bonus_eligible(personal_plan_met=plan_met, nomenclature_met=nomenclature_met)
        is eligible
    )


@pytest.mark.parametrize(
    ("section_met", "worker", "last_year", "average", "eligible"),
    [
        (True, "1.30", "1.25", "1.27", True),
        (False, "1.30", "1.25", "1.27", False),  # the section missed its gross plan
        (True, "1.30", "1.31", "1.27", False),  # below last year's own output
        (True, "1.30", "1.30", "1.27", False),  # equal to last year's: not beaten
        (True, "1.26", "1.20", "1.27", False),  # below the profession's average
        (True, "1.27", "1.20", "1.27", False),  # equal to the average: not exceeded
    ],
)
def test_it_checks_the_quarterly_bonus_conditions(
    section_met, worker, last_year, average, eligible
):
    assert (
        quarterly_output_bonus_eligible(
            section_met_gross_plan=section_met,
            worker_hourly_output=D(worker),
            last_year_hourly_output=D(last_year),
            profession_average_hourly_output=D(average),
        )
        is eligible
    )


def test_it_takes_bonus_conditions_by_keyword_only():
    with pytest.raises(TypeError):
        monthly_growth_bonus_eligible(True, True)  # type: ignore[misc]
