"""Pure rules of the platform (enterprise/rules.py): dates, decades, step scales."""

import datetime
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enterprise.rules import (
    OutOfScale,
    Step,
    decade_of,
    month_bounds,
    step_gaps,
    step_lookup,
    step_problems,
    years_between,
)

D = Decimal


# --- years_between --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (datetime.date(2000, 5, 17), datetime.date(2026, 5, 16), 25),  # the day before
        (datetime.date(2000, 5, 17), datetime.date(2026, 5, 17), 26),  # the birthday itself
        (datetime.date(2000, 5, 17), datetime.date(2026, 5, 18), 26),
        (datetime.date(2000, 12, 31), datetime.date(2001, 1, 1), 0),
        (datetime.date(2000, 1, 1), datetime.date(2000, 12, 31), 0),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1), 0),
    ],
)
def test_it_counts_whole_years_up_to_the_anniversary(start, end, years):
    assert years_between(start, end) == years


@pytest.mark.parametrize(
    ("end", "years"),
    [
        (datetime.date(2005, 2, 28), 0),  # not yet a year: 29 Feb has not come round
        (datetime.date(2005, 3, 1), 1),  # in a common year the anniversary is 1 March
        (datetime.date(2008, 2, 28), 3),
        (datetime.date(2008, 2, 29), 4),
        (datetime.date(2026, 2, 28), 21),
        (datetime.date(2026, 3, 1), 22),
    ],
)
def test_it_counts_a_29_february_start_from_1_march_in_common_years(end, years):
    assert years_between(datetime.date(2004, 2, 29), end) == years


def test_it_never_returns_negative_years():
    assert years_between(datetime.date(2026, 5, 1), datetime.date(2020, 1, 1)) == 0


@given(
    start=st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2100, 12, 31)),
    end=st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2100, 12, 31)),
)
def test_it_gives_the_largest_whole_number_of_years_not_after_the_end(start, end):
    years = years_between(start, end)
    assert years >= 0
    if end < start:
        assert years == 0
        return

    def anniversary(n):
        try:
            return start.replace(year=start.year + n)
        except ValueError:  # 29 February in a common year
            return datetime.date(start.year + n, 3, 1)

    assert anniversary(years) <= end
    if start.year + years + 1 <= 9999:
        assert anniversary(years + 1) > end


# --- month_bounds, decade_of ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2024, 2, 29),  # leap year
        (2026, 2, 28),
        (2000, 2, 29),  # divisible by 400
        (1900, 2, 28),  # divisible by 100, not by 400
        (2026, 4, 30),
        (2026, 12, 31),
        (2026, 1, 31),
    ],
)
def test_it_gives_the_first_and_last_day_of_a_month(year, month, last):
    assert month_bounds(year, month) == (
        datetime.date(year, month, 1),
        datetime.date(year, month, last),
    )


@given(st.dates(min_value=datetime.date(1960, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_it_puts_every_day_inside_its_month_bounds(day):
    first, last = month_bounds(day.year, day.month)
    assert first <= day <= last
    assert (last + datetime.timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    ("day", "decade"),
    [(1, 1), (10, 1), (11, 2), (20, 2), (21, 3), (28, 3)],
)
def test_it_splits_a_month_into_decades_at_the_10th_and_20th(day, decade):
    assert decade_of(datetime.date(2026, 2, day)) == decade


def test_it_puts_the_31st_in_the_third_decade():
    assert decade_of(datetime.date(2026, 10, 31)) == 3


# --- step scales ----------------------------------------------------------------------------

BONUS = [
    Step(None, D("95"), D("0")),
    Step(D("95"), D("100"), D("5")),
    Step(D("100"), D("105"), D("10")),
    Step(D("105"), None, D("15")),
]
CLOSED_SCALE = [
    Step(D("100"), D("105"), D("10")),
    Step(D("105"), D("110"), D("20")),
]


@pytest.mark.parametrize(
    ("x", "value"),
    [
        (D("-1000"), D("0")),  # open lower end
        (D("94.9999"), D("0")),
        (D("95"), D("5")),  # a lower bound belongs to its range
        (D("99.99"), D("5")),
        (D("100"), D("10")),  # an upper bound belongs to the next range
        (D("104.999"), D("10")),
        (D("105"), D("15")),
        (D("1000000"), D("15")),  # open upper end
    ],
)
def test_it_includes_the_lower_bound_and_excludes_the_upper(x, value):
    assert step_lookup(BONUS, x) == value


@pytest.mark.parametrize("x", [D("99.9999"), D("110"), D("1000"), D("-5")])
def test_it_raises_out_of_scale_outside_every_range(x):
    with pytest.raises(OutOfScale):
        step_lookup(CLOSED_SCALE, x)


def test_it_raises_out_of_scale_for_an_empty_scale():
    with pytest.raises(OutOfScale):
        step_lookup([], D("1"))


def test_it_raises_out_of_scale_in_a_gap_between_ranges():
    gapped = [Step(D("0"), D("10"), D("1")), Step(D("20"), D("30"), D("2"))]
    assert step_lookup(gapped, D("5")) == D("1")
    assert step_lookup(gapped, D("20")) == D("2")
    with pytest.raises(OutOfScale):
        step_lookup(gapped, D("15"))
    # An empty or overlapping range is a problem of the ranges themselves; a gap is found
    # by step_gaps (the scale's form refuses it).
    assert step_problems(gapped) == []
    assert step_gaps(gapped) == [(0, 1, D("10"), D("20"))]


def test_it_finds_no_problem_in_adjacent_ranges_with_open_ends():
    assert step_gaps(BONUS) == [] and step_gaps(list(reversed(BONUS))) == []
    assert step_problems(BONUS) == []
    assert step_problems(list(reversed(BONUS))) == []


def test_it_reports_an_empty_range():
    steps = [Step(D("10"), D("10"), D("1")), Step(D("20"), D("5"), D("2"))]
    assert step_problems(steps) == [(0, "empty"), (1, "empty")]


def test_it_reports_overlapping_ranges():
    steps = [Step(D("0"), D("10"), D("1")), Step(D("9"), D("20"), D("2"))]
    assert step_problems(steps) == [(1, "overlap")]


def test_it_reports_two_ranges_open_at_the_bottom_as_an_overlap():
    steps = [Step(None, D("10"), D("1")), Step(None, D("5"), D("2"))]
    assert [kind for _, kind in step_problems(steps)] == ["overlap"]


def test_it_reports_a_range_after_one_open_at_the_top_as_an_overlap():
    steps = [Step(D("0"), None, D("1")), Step(D("50"), D("60"), D("2"))]
    assert step_problems(steps) == [(1, "overlap")]


def test_it_reports_duplicate_ranges_as_an_overlap():
    steps = [Step(D("0"), D("10"), D("1")), Step(D("0"), D("10"), D("1"))]
    assert [kind for _, kind in step_problems(steps)] == ["overlap"]


_bounds = st.lists(
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
    min_size=2,
    max_size=8,
    unique=True,
).map(sorted)


@given(_bounds, st.decimals(min_value=-2000, max_value=2000, places=3, allow_nan=False))
def test_it_finds_exactly_the_range_of_consecutive_steps_holding_x(bounds, x):
    steps = [Step(lower, upper, D(index)) for index, (lower, upper) in enumerate(pairwise(bounds))]
    assert step_problems(steps) == []
    holders = [step for step in steps if step.lower <= x < step.upper]
    if holders:
        assert step_lookup(steps, x) == holders[0].value
        assert len(holders) == 1
    else:
        assert x < bounds[0] or x >= bounds[-1]
        with pytest.raises(OutOfScale):
            step_lookup(steps, x)


@given(_bounds, st.decimals(min_value=-2000, max_value=2000, places=3, allow_nan=False))
def test_it_covers_every_value_when_both_ends_are_open(bounds, x):
    points = [None, *bounds, None]
    steps = [Step(lower, upper, D(i)) for i, (lower, upper) in enumerate(pairwise(points))]
    assert step_problems(steps) == []
    assert step_lookup(steps, x) in {step.value for step in steps}


@given(_bounds, st.permutations(range(7)))
def test_it_finds_no_problem_whatever_the_order_of_adjacent_ranges(bounds, order):
    steps = [Step(lower, upper, D(0)) for lower, upper in pairwise(bounds)]
    shuffled = [steps[i] for i in order if i < len(steps)]
    assert step_problems(shuffled) == []
