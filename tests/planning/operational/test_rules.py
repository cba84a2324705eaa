"""Pure arithmetic of operational scheduling (planning/operational/rules):
operational-planning.md §1–§6, seed 004 chapter III, tables 12–13."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.operational.rules import (
    assembly_cycle_hours,
    calendar_rank,
    check_deadline,
    cycle_duration_days,
    decade_index,
    effective_piece_hours,
    effective_time_fund,
    five_day_need,
    issue_deadline,
    kit_lead,
    kit_number,
    load_ratio,
    output_norm_hours,
    programme_need,
    recompose_deadline,
    rhythmicity,
    safety_stock,
    shift_start,
    square_metre_hours,
    stage_duration,
    supply_indicator,
    supply_rank,
    wip_norm,
)

D = Decimal

# Table 12 (open switchboards): stage, labour hours, norm fulfilment %, workers in parallel.
TABLE_12 = [
    (D("0.74"), D("146.2"), 3),  # exposure: 0.506 h → 0.17 h of cycle
    (D("3.59"), D("146.2"), 2),  # assembly: 2.46 → 1.23
    (D("9.17"), D("149"), 1),  # mounting: 6.15
    (D("0.85"), D("149"), 1),  # ringing: 0.57
    (D("1.22"), D("149"), 1),  # busbars: 0.82
    (D("5.0"), D("149"), 1),  # inspection: 3.36
]


# --- tables 12–13: the assembly area -----------------------------------------------------------


def test_it_reproduces_the_stage_cycle_of_table_12_with_parallel_stages():
    assert assembly_cycle_hours(TABLE_12) == D("12.30")
    printed = [D("0.17"), D("1.23"), D("6.15"), D("0.57"), D("0.82"), D("3.36")]
    shown = [stage_duration(*stage).quantize(D("0.01")) for stage in TABLE_12]
    assert shown == printed
    assert sum(printed) == D("12.30")


def test_it_reproduces_the_square_metre_hours_of_table_13():
    area = D("2.5") + D("4.8")  # the product with its passages + the assemblers' area
    assert area == D("7.3")
    assert square_metre_hours(area, D("12.3")) == D("89.79")
    reduced = square_metre_hours(area, D("12.3"), D("0.91"))
    assert reduced == D("81.71")  # 89.79 × 0.91 = 81.7089
    assert reduced.quantize(D("0.1")) == D("81.7")  # as the table prints it


def test_it_sums_the_programme_need_and_its_capacity_use():
    need = programme_need([(D("81.71"), 10), (D("50"), 2)])
    assert need == D("917.10")
    # The example shop's 3420 m² production area over a 176-hour month: 601 920 m²·h.
    assert load_ratio(need, D(3420) * D(176)) == D("0.0015")
    assert load_ratio(D("421344"), D("601920")) == D("0.7000")  # the booklet's 0.7
    assert load_ratio(D(5), D(0)) is None


def test_it_gives_the_effective_time_fund_less_planned_repairs():
    assert effective_time_fund(5, 2, 22, D(4)) == D("1689.60")  # 1760 × 0.96
    assert effective_time_fund(1, 3, 21, D(0)) == D("504.00")
    assert effective_time_fund(0, 1, 22, D(0)) == D("0.00")
    assert load_ratio(D(1520), D("1689.60")) == D("0.8996")
    assert load_ratio(D(1800), D("1689.60")) == D("1.0653")  # a bottleneck
    with pytest.raises(ValueError):
        effective_time_fund(1, 1, 22, D(101))


# --- §2 cycles and WIP norms --------------------------------------------------------------------


def test_it_computes_the_cycle_of_a_batch():
    # Тшт = (0.5 + 0.7) / 1.2 = 1.0 h; 1.0 × 40 × 0.6 / (8 × 2) = 1.5; + 1 + 0.25 × 3.
    piece = effective_piece_hours([D("0.5"), D("0.7")], D("1.2"))
    assert piece == D(1)
    cycle = cycle_duration_days(piece, 40, D("0.6"), D(2), D(1), D("0.25"), 4)
    assert cycle == D("3.25")
    # One operation: no waiting between operations; 0.35 × 100 × 1 / (8 × 1.5) = 2.9166…
    assert cycle_duration_days(D("0.35"), 100, D(1), D("1.5"), D(0), D(1), 1) == D("2.92")
    # A 12-hour shift is the same formula with 12 in place of 8.
    assert cycle_duration_days(D("1.2"), 10, D(1), D(1), D(0), D(0), 1, shift_hours=D(12)) == D(
        "1.00"
    )


def test_it_refuses_an_impossible_route():
    with pytest.raises(ValueError):
        cycle_duration_days(D(1), 10, D(1), D(2), D(0), D(0), 0)
    with pytest.raises(ValueError):
        cycle_duration_days(D(1), 0, D(1), D(2), D(0), D(0), 1)
    with pytest.raises(ValueError):
        cycle_duration_days(D(1), 10, D(1), D(0), D(0), D(0), 1)
    with pytest.raises(ValueError):
        effective_piece_hours([D(1)], D(0))
    with pytest.raises(ValueError):
        effective_piece_hours([D(-1)], D(1))


def test_it_computes_the_wip_norm_and_the_safety_stock_in_whole_pieces():
    assert wip_norm(440, D("3.25")) == 65  # 20 a day × 3.25
    assert wip_norm(100, D("3.25")) == 15  # 14.77… rounded up
    assert wip_norm(0, D("3.25")) == 0
    assert safety_stock(440, D(2)) == 40
    assert safety_stock(100, D(2)) == 10  # 9.09… rounded up
    assert safety_stock(210, D(2), working_days=D(21)) == 20


# --- §3 five-day calendar ranks -----------------------------------------------------------------


def test_it_numbers_the_calendar_ranks_and_the_five_day_need():
    assert [calendar_rank(day) for day in (1, 5, 6, 10, 11, 260)] == [1, 1, 2, 2, 3, 52]
    assert five_day_need(5200, 52) == D(100)
    assert five_day_need(1300, 13) == D(100)
    assert five_day_need(1000, 3) * 3 == D(1000)


def test_it_reads_the_supply_indicator_deficit_first():
    assert supply_rank(250, D(100)) == D("2.50")
    assert supply_indicator(250, D(100), D(3)) == D("-0.50")  # a deficit: launch now
    assert supply_indicator(400, D(100), D(2)) == D("2.00")  # a lead
    assert supply_indicator(0, D(100), D(1)) == D("-1.00")
    assert supply_indicator(100, D(300), D(0)) == D("0.33")
    with pytest.raises(ValueError):
        supply_indicator(100, D(0), D(1))
    with pytest.raises(ValueError):
        supply_indicator(-1, D(100), D(1))


# --- §4 daily kits --------------------------------------------------------------------------------


def test_it_gives_the_kit_number_in_whole_kits():
    assert kit_number(250, 20) == 12  # 12.5: the 13th kit is not complete
    assert kit_number(260, 20) == 13
    assert kit_number(0, 3) == 0
    with pytest.raises(ValueError):
        kit_number(10, 0)


def test_it_gives_a_part_lead_or_deficit_in_days_and_pieces():
    lead = kit_lead(250, 20, 10)
    assert (lead.kit, lead.days, lead.pieces) == (12, 2, D(50))
    deficit = kit_lead(250, 20, 15)
    assert (deficit.kit, deficit.days, deficit.pieces) == (12, -3, D(-50))


# --- §5 shift tasks -------------------------------------------------------------------------------


def test_it_places_the_due_times_of_a_shift_task():
    day = datetime.date(2026, 3, 10)
    assert issue_deadline(day) == datetime.date(2026, 3, 7)
    assert recompose_deadline(day) == datetime.date(2026, 3, 9)
    first = shift_start(day, 1)
    assert first == datetime.datetime(2026, 3, 10, 8, 0)
    assert shift_start(day, 2) == datetime.datetime(2026, 3, 10, 16, 0)
    assert shift_start(day, 3) == datetime.datetime(2026, 3, 11, 0, 0)
    assert check_deadline(first) == datetime.datetime(2026, 3, 9, 12, 0)
    with pytest.raises(ValueError):
        shift_start(day, 4)


def test_it_gives_the_norm_hours_of_output():
    assert output_norm_hours(12, D("0.35")) == D("4.20")
    assert output_norm_hours(7, D("0.125")) == D("0.88")  # 0.875 half-up
    assert output_norm_hours(0, D("2")) == D("0.00")


# --- §1 rhythmicity by decade ---------------------------------------------------------------------


def test_it_places_days_in_decades():
    assert [decade_index(day) for day in (1, 10, 11, 20, 21, 31)] == [0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError):
        decade_index(0)


def test_it_measures_rhythmicity_by_decade():
    plan = [D(300), D(300), D(400)]
    assert rhythmicity(plan, [D(100), D(200), D(700)]) == D("0.7000")
    assert rhythmicity(plan, [D(30), D(30), D(40)]) == D("1.0000")


def test_section_self_financing_reads_the_same_rhythmicity():
    from khozraschet import rules as khozraschet_rules

    assert khozraschet_rules.rhythmicity is rhythmicity


# --- properties -----------------------------------------------------------------------------------

# Input generation is cheap but the machine may be busy: no health check on its speed.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
_positive = st.decimals(min_value=D("0.01"), max_value=1000, places=2)
_non_negative = st.decimals(min_value=0, max_value=1000, places=2)


@relaxed
@given(_non_negative, st.integers(1, 500), _positive, _positive, _non_negative, _non_negative)
def test_the_cycle_grows_with_every_operation(piece, batch, kp, ksm, natural, waiting):
    cycles = [cycle_duration_days(piece, batch, kp, ksm, natural, waiting, n) for n in range(1, 5)]
    assert cycles == sorted(cycles)
    assert cycles[0] >= natural


@relaxed
@given(st.integers(0, 10**5), _non_negative)
def test_the_wip_norm_covers_the_cycle(monthly, cycle):
    norm = wip_norm(monthly, cycle)
    exact = D(monthly) / D(22) * cycle
    assert exact <= norm < exact + 1


@relaxed
@given(st.integers(0, 10**5), st.integers(1, 500), st.integers(0, 5000))
def test_a_kit_number_never_counts_a_kit_not_complete(cumulative, daily, assembly):
    lead = kit_lead(cumulative, daily, assembly)
    assert lead.kit * daily <= cumulative < (lead.kit + 1) * daily
    assert lead.days == lead.kit - assembly
    assert lead.pieces == cumulative - daily * assembly


@relaxed
@given(st.integers(0, 10**5), _positive, _non_negative)
def test_the_supply_indicator_is_the_rank_less_the_lead_group(stock, need, group):
    assert abs(supply_indicator(stock, need, group) - (supply_rank(stock, need) - group)) <= D(
        "0.01"
    )


@relaxed
@given(_positive, _positive, st.decimals(min_value=D("0.5"), max_value=1, places=2))
def test_the_reduction_never_raises_the_square_metre_hours(area, hours, reduction):
    assert square_metre_hours(area, hours, reduction) <= square_metre_hours(area, hours)
