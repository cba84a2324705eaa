"""The tariff grid (enterprise.tariffs) and its loader: the rate of a grade under a pay
condition in force on a day, loaded once for a computation."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enterprise.selectors import load_tariff_grid
from enterprise.tariffs import MissingRate, TariffGrid, tariff_earnings
from tests.factories import TariffRateFactory

PIECE, TIME = 1, 2
JAN, JUN = datetime.date(2026, 1, 1), datetime.date(2026, 6, 15)
OCT = datetime.date(2026, 10, 15)  # mid-month in an open month of the test world
DAY = datetime.timedelta(days=1)


def booklet_grid() -> TariffGrid:
    """Grades 3–6 of table 18 (kopecks an hour) from January, grade 6 raised mid-June."""
    return TariffGrid(
        [
            (PIECE, 6, JAN, D("0.767")),
            (PIECE, 5, JAN, D("0.670")),
            (PIECE, 4, JAN, D("0.596")),
            (PIECE, 3, JAN, D("0.539")),
            (PIECE, 6, JUN, D("0.859")),  # out of order on purpose
            (TIME, 6, JAN, D("0.670")),
        ]
    )


def test_it_answers_the_rate_of_a_grade_under_a_condition():
    grid = booklet_grid()
    assert grid.rate(PIECE, 5, datetime.date(2026, 3, 1)) == D("0.670")
    assert grid.rate(PIECE, 3, JAN) == D("0.539")
    assert grid.rate(TIME, 6, JUN) == D("0.670")


def test_a_new_rate_is_in_force_from_its_first_day():
    grid = booklet_grid()
    assert grid.rate(PIECE, 6, JUN - DAY) == D("0.767")
    assert grid.rate(PIECE, 6, JUN) == D("0.859")
    assert grid.rate(PIECE, 6, JUN + DAY) == D("0.859")
    assert grid.rate(PIECE, 5, JUN + DAY) == D("0.670")  # the other grades keep theirs


def test_it_names_a_missing_grade_condition_or_day():
    grid = booklet_grid()
    with pytest.raises(MissingRate, match="no tariff rate of grade 2 under pay condition 1"):
        grid.rate(PIECE, 2, JUN)
    with pytest.raises(MissingRate) as missing:
        grid.rate(TIME, 5, JUN)
    assert (missing.value.condition, missing.value.grade, missing.value.day) == (TIME, 5, JUN)
    with pytest.raises(MissingRate, match="on 2025-12-31"):
        grid.rate(PIECE, 6, JAN - DAY)  # before the grid starts
    assert grid.on(PIECE, 6, JAN - DAY) is None
    assert grid.on(3, 6, JUN) is None  # an unknown condition


def test_it_refuses_two_rates_starting_together():
    with pytest.raises(ValueError, match="start together"):
        TariffGrid([(PIECE, 6, JAN, D("0.767")), (PIECE, 6, JAN, D("0.800"))])


def test_tariff_earnings_of_table_18():
    grid = booklet_grid()
    members = [(6, 167), (4, 161), (3, 167), (3, 167), (4, 154), (5, 167), (4, 167)]
    earnings = [tariff_earnings(grid.rate(PIECE, g, JAN), D(h)) for g, h in members]
    table = ("128.09", "95.96", "90.01", "90.01", "91.78", "111.89", "99.53")
    assert earnings == [D(v) for v in table]
    assert tariff_earnings(D("0.767"), D("0")) == D("0.00")
    with pytest.raises(ValueError, match="must be >= 0"):
        tariff_earnings(D("0.767"), D("-1"))
    with pytest.raises(TypeError, match="not float"):
        tariff_earnings(0.767, D("1"))


@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.decimals(0, 1000, places=3, allow_nan=False)),
        min_size=1,
        max_size=8,
        unique_by=lambda start: start[0],
    ),
    st.integers(-10, 410),
)
def test_the_rate_on_a_day_is_the_latest_started_by_then(starts, offset):
    rows = [(PIECE, 4, JAN + datetime.timedelta(days=d), rate) for d, rate in starts]
    day = JAN + datetime.timedelta(days=offset)
    started = sorted((d, rate) for d, rate in starts if d <= offset)
    expected = started[-1][1] if started else None
    assert TariffGrid(rows).on(PIECE, 4, day) == expected


# --- loaded from the database -------------------------------------------------------------


@pytest.mark.django_db
def test_it_loads_the_grid_of_the_test_world_in_one_query(world, django_assert_num_queries):
    piece, time = world.conditions["piece"].pk, world.conditions["time"].pk
    with django_assert_num_queries(1):
        grid = load_tariff_grid(world.enterprise.pk, datetime.date(2026, 12, 31))
    assert grid.rate(piece, 3, JUN) == D("126.700")
    assert grid.rate(piece, 6, JUN) == D("184.600")
    assert grid.rate(time, 1, JUN) == D("98.300")
    with pytest.raises(MissingRate):
        grid.rate(piece, 3, datetime.date(2025, 12, 31))  # the world's grid starts in 2026


@pytest.mark.django_db
def test_it_loads_a_rate_change_mid_month_and_nothing_after_the_last_day(world):
    piece = world.conditions["piece"]
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=piece,
        grade=3,
        hourly_rate=D("130.000"),
        valid_from=OCT,
    )
    grid = load_tariff_grid(world.enterprise.pk, OCT)
    assert grid.rate(piece.pk, 3, OCT - DAY) == D("126.700")
    assert grid.rate(piece.pk, 3, OCT) == D("130.000")
    assert grid.rate(piece.pk, 3, OCT + DAY) == D("130.000")
    before = load_tariff_grid(world.enterprise.pk, OCT - DAY)  # the change is not loaded
    assert before.rate(piece.pk, 3, OCT + DAY) == D("126.700")


@pytest.mark.django_db
def test_it_loads_only_the_enterprise_s_own_rates(world):
    other = load_tariff_grid(world.other_enterprise.pk, datetime.date(2026, 12, 31))
    with pytest.raises(MissingRate):
        other.rate(world.conditions["piece"].pk, 3, JUN)
