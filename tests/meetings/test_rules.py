"""Pure rules of production meetings and proposals (meetings/rules.py), against hand-computed
figures and the source's 1925 shares."""

import datetime
import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.rules import (
    AGE_BOUNDS,
    AgeBucket,
    ageing,
    agenda_shares,
    days_between,
    due_date,
    is_past_term,
    nearest_rank,
    participation_rate,
    percent,
    proposal_summary,
)

D = Decimal
day = datetime.date

# Fourteen proposals of 1925 (the source: about half implemented, ~14 % never answered).
# (submitted, answered, implemented); days to the answer written after each.
YEAR_1925 = [
    (day(1925, 1, 5), day(1925, 1, 12), day(1925, 2, 1)),  # 7
    (day(1925, 1, 10), day(1925, 1, 20), day(1925, 3, 1)),  # 10
    (day(1925, 2, 2), day(1925, 2, 17), day(1925, 3, 15)),  # 15: on the term's last day
    (day(1925, 2, 20), day(1925, 3, 8), day(1925, 4, 1)),  # 16: late (8 of Feb + 8)
    (day(1925, 3, 1), day(1925, 3, 4), day(1925, 3, 20)),  # 3
    (day(1925, 3, 10), day(1925, 4, 9), day(1925, 5, 1)),  # 30: late
    (day(1925, 4, 1), day(1925, 4, 6), day(1925, 4, 30)),  # 5
    (day(1925, 4, 15), day(1925, 4, 20), None),  # 5
    (day(1925, 5, 4), day(1925, 5, 24), None),  # 20: late
    (day(1925, 6, 1), day(1925, 6, 14), None),  # 13
    (day(1925, 7, 1), day(1925, 7, 9), None),  # 8
    (day(1925, 8, 3), day(1925, 10, 2), None),  # 60: late (28 + 30 + 2)
    (day(1925, 11, 20), None, None),  # waits 41 days on 31 Dec: late
    (day(1925, 12, 20), None, None),  # waits 11 days: within the term
]


def test_it_summarises_the_year_as_the_source_reports_it():
    summary = proposal_summary(YEAR_1925, as_of=day(1925, 12, 31))
    assert summary.total == 14
    assert summary.answered == 12
    assert summary.unanswered == 2
    assert summary.implemented == 7
    # 16, 30, 20, 60 days answered late + one waiting 41 days
    assert summary.overdue == 5
    # sorted: 3 5 5 7 8 10 | 13 15 16 20 30 60 → (10 + 13) / 2
    assert summary.median_answer_days == D("11.5")
    # nearest rank ⌈0.9 × 12⌉ = 11 → the 11th smallest
    assert summary.p90_answer_days == 30
    assert summary.implemented_share == D("50.0")
    assert summary.unanswered_share == D("14.3")  # 2 / 14 = 14.2857…


def test_it_takes_the_figures_on_the_day_given():
    # On 30 June 1925 only the first ten exist; the tenth was answered on 14 June.
    summary = proposal_summary(YEAR_1925[:10], as_of=day(1925, 6, 30))
    assert (summary.total, summary.answered, summary.implemented) == (10, 10, 7)
    # On 10 June the tenth waits 9 days, the ninth's answer of 24 May stands.
    summary = proposal_summary(YEAR_1925[:10], as_of=day(1925, 6, 10))
    assert (summary.answered, summary.unanswered, summary.overdue) == (9, 1, 3)
    # On 1 March the second's implementation that day counts, the third's (15 March) has
    # not happened yet, and the fourth, submitted 20 February, waits 9 days unanswered.
    summary = proposal_summary(YEAR_1925[:4], as_of=day(1925, 3, 1))
    assert (summary.answered, summary.implemented, summary.overdue) == (3, 2, 0)


def test_it_counts_the_wait_past_the_term_from_the_next_day():
    submitted = day(2026, 3, 1)
    on_term = proposal_summary([(submitted, None, None)], as_of=day(2026, 3, 16))
    past_term = proposal_summary([(submitted, None, None)], as_of=day(2026, 3, 17))
    assert (on_term.overdue, past_term.overdue) == (0, 1)
    shorter = proposal_summary([(submitted, None, None)], as_of=day(2026, 3, 16), review_days=10)
    assert shorter.overdue == 1


def test_an_empty_set_has_no_shares_and_no_days():
    summary = proposal_summary([], as_of=day(2026, 1, 1))
    assert summary.total == summary.answered == summary.overdue == 0
    assert summary.median_answer_days is None
    assert summary.p90_answer_days is None
    assert summary.implemented_share is None
    assert summary.unanswered_share is None


def test_a_single_answer_is_its_own_median_and_percentile():
    summary = proposal_summary([(day(2026, 1, 1), day(2026, 1, 6), None)], as_of=day(2026, 2, 1))
    assert summary.median_answer_days == D(5)
    assert summary.p90_answer_days == 5
    assert summary.unanswered_share == D("0.0")
    assert summary.implemented_share == D("0.0")


@pytest.mark.parametrize(
    "entry",
    [
        (day(2026, 3, 2), None, None),  # submitted after the day of the figures
        (day(2026, 2, 1), day(2026, 1, 31), None),  # answered before submitted
        (day(2026, 2, 1), day(2026, 2, 2), day(2026, 1, 31)),  # implemented before submitted
        (day(2026, 2, 1), None, day(2026, 2, 20)),  # implemented without an answer
    ],
)
def test_it_refuses_impossible_dates(entry):
    with pytest.raises(ValueError):
        proposal_summary([entry], as_of=day(2026, 3, 1))


def test_it_refuses_a_negative_term():
    with pytest.raises(ValueError):
        proposal_summary([], as_of=day(2026, 3, 1), review_days=-1)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 9),  # order does not matter
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10),  # ⌈9.9⌉ = 10
        ([5], 90, 5),
        ([3, 1], 50, 1),
        ([3, 1], 100, 3),
        ([], 90, None),
    ],
)
def test_nearest_rank(values, share, expected):
    assert nearest_rank(values, share) == expected


def test_nearest_rank_refuses_a_share_out_of_range():
    with pytest.raises(ValueError):
        nearest_rank([1], 0)
    with pytest.raises(ValueError):
        nearest_rank([1], 101)


@pytest.mark.parametrize(
    ("present", "headcount", "expected"),
    [
        (187, 1000, D("18.7")),  # the nine largest unions, October 1925
        (1, 3, D("33.3")),
        (2, 3, D("66.7")),
        (1, 8, D("12.5")),  # exactly half a tenth up: 12.5
        (1, 16, D("6.3")),  # 6.25 half-up
        (0, 40, D("0.0")),
        (40, 40, D("100.0")),
        (0, 0, None),
    ],
)
def test_participation_rate(present, headcount, expected):
    assert participation_rate(present, headcount) == expected


@pytest.mark.parametrize(("present", "headcount"), [(41, 40), (-1, 40), (0, -1)])
def test_participation_rate_refuses_impossible_figures(present, headcount):
    with pytest.raises(ValueError):
        participation_rate(present, headcount)


def test_agenda_shares_of_1925_exact():
    counts = {"organisation": 205, "report": 122, "proposal": 552, "major": 18, "other": 103}
    assert agenda_shares(counts) == {
        "organisation": D("20.5"),
        "report": D("12.2"),
        "proposal": D("55.2"),
        "major": D("1.8"),  # 57 % proposals of which 1.8 % major
        "other": D("10.3"),
    }


def test_agenda_shares_of_1925_by_largest_remainder():
    # 156 items: 32 → 20.51 %, 19 → 12.17…, 89 → 57.05…, 16 → 10.25…; floored in tenths
    # 205 + 121 + 570 + 102 = 998, the two tenths left go to the largest remainders:
    # reports (.795) and the rest (.564), not proposals (.513) or organisation (.128).
    shares = agenda_shares({"organisation": 32, "report": 19, "proposal": 89, "other": 16})
    assert shares == {
        "organisation": D("20.5"),
        "report": D("12.2"),
        "proposal": D("57.0"),
        "other": D("10.3"),
    }
    assert sum(shares.values()) == D("100.0")


def test_agenda_shares_break_ties_in_the_mapping_order():
    assert list(agenda_shares({"a": 1, "b": 1, "c": 1}).values()) == [
        D("33.4"),
        D("33.3"),
        D("33.3"),
    ]
    assert list(agenda_shares({"c": 1, "b": 1, "a": 1}).items()) == [
        ("c", D("33.4")),
        ("b", D("33.3")),
        ("a", D("33.3")),
    ]


def test_agenda_shares_of_nothing():
    assert agenda_shares({}) == {}
    assert agenda_shares({"report": 0, "proposal": 0}) == {
        "report": D("0.0"),
        "proposal": D("0.0"),
    }


def test_agenda_shares_refuse_a_negative_count():
    with pytest.raises(ValueError):
        agenda_shares({"report": -1, "proposal": 2})


def test_ageing_buckets_the_open_queue():
    as_of = day(2026, 6, 30)
    since = [
        day(2026, 6, 30),  # 0
        day(2026, 6, 15),  # 15: still the first bucket
        day(2026, 6, 14),  # 16
        day(2026, 5, 31),  # 30
        day(2026, 5, 1),  # 60
        day(2026, 4, 1),  # 90
        day(2026, 3, 31),  # 91
        day(2025, 6, 30),  # 365
    ]
    assert ageing(since, as_of=as_of) == (
        AgeBucket(low=0, high=15, count=2),
        AgeBucket(low=16, high=30, count=2),
        AgeBucket(low=31, high=60, count=1),
        AgeBucket(low=61, high=90, count=1),
        AgeBucket(low=91, high=None, count=2),
    )
    assert AGE_BOUNDS == (15, 30, 60, 90)


def test_ageing_with_own_bounds_and_nothing_open():
    assert ageing([], as_of=day(2026, 1, 1), bounds=(7,)) == (
        AgeBucket(low=0, high=7, count=0),
        AgeBucket(low=8, high=None, count=0),
    )
    assert ageing([day(2026, 1, 1)], as_of=day(2026, 1, 1), bounds=()) == (
        AgeBucket(low=0, high=None, count=1),
    )


def test_ageing_refuses_bad_bounds_and_future_days():
    with pytest.raises(ValueError):
        ageing([], as_of=day(2026, 1, 1), bounds=(30, 15))
    with pytest.raises(ValueError):
        ageing([], as_of=day(2026, 1, 1), bounds=(15, 15))
    with pytest.raises(ValueError):
        ageing([day(2026, 1, 2)], as_of=day(2026, 1, 1))


def test_terms():
    assert due_date(day(2026, 2, 20), 15) == day(2026, 3, 7)
    assert days_between(day(2026, 2, 20), day(2026, 3, 7)) == 15
    with pytest.raises(ValueError):
        due_date(day(2026, 2, 20), -1)
    due = day(2026, 3, 7)
    assert not is_past_term(due, done=None, as_of=due)
    assert is_past_term(due, done=None, as_of=day(2026, 3, 8))
    assert not is_past_term(due, done=due, as_of=day(2026, 4, 1))
    assert is_past_term(due, done=day(2026, 3, 8), as_of=day(2026, 4, 1))
    assert not is_past_term(None, done=None, as_of=day(2030, 1, 1))


def test_percent():
    assert percent(1, 3) == D("33.3")
    assert percent(0, 0) is None
    assert percent(D("0.5"), 4) == D("12.5")


# --- properties -------------------------------------------------------------------------------

_AS_OF = day(2026, 12, 31)
_day_before = st.integers(min_value=0, max_value=800)


@st.composite
def _proposal(draw):
    submitted = _AS_OF - datetime.timedelta(days=draw(_day_before))
    answered = implemented = None
    if draw(st.booleans()):
        answered = submitted + datetime.timedelta(days=draw(st.integers(0, 900)))
        if draw(st.booleans()):
            implemented = answered + datetime.timedelta(days=draw(st.integers(0, 400)))
    return submitted, answered, implemented


@given(st.lists(_proposal(), max_size=40), st.integers(min_value=0, max_value=60))
def test_summary_properties(proposals, review_days):
    summary = proposal_summary(proposals, as_of=_AS_OF, review_days=review_days)
    assert summary.total == len(proposals)
    assert summary.answered + summary.unanswered == summary.total
    assert summary.implemented <= summary.answered
    assert summary.overdue <= summary.total
    days = [(a - s).days for s, a, _ in proposals if a is not None and a <= _AS_OF]
    assert summary.answered == len(days)
    if days:
        assert summary.median_answer_days == statistics.median(D(d) for d in days)
        assert min(days) <= summary.p90_answer_days <= max(days)
        assert summary.p90_answer_days in days
        # at least 90 % of the answers took no longer than the 90th percentile
        assert sum(d <= summary.p90_answer_days for d in days) * 10 >= 9 * len(days)
    if summary.total:
        assert D(0) <= summary.unanswered_share <= D(100)
        assert summary.unanswered_share == percent(summary.unanswered, summary.total)
    # a longer term never makes more proposals late
    longer = proposal_summary(proposals, as_of=_AS_OF, review_days=review_days + 1)
    assert longer.overdue <= summary.overdue


@given(st.dictionaries(st.text(max_size=3), st.integers(0, 10_000), max_size=12))
def test_agenda_shares_sum_to_a_hundred(counts):
    shares = agenda_shares(counts)
    assert list(shares) == list(counts)
    total = sum(counts.values())
    if total == 0:
        assert all(share == D("0.0") for share in shares.values())
        return
    assert sum(shares.values()) == D("100.0")
    for key, count in counts.items():
        exact = D(count) * 100 / D(total)
        # each share is within a tenth of its exact value, and no items stay at zero
        assert abs(shares[key] - exact) < D("0.1")
        assert count > 0 or shares[key] == 0
        assert shares[key].as_tuple().exponent == -1


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_participation_rate_is_a_rounded_share(present, extra):
    headcount = present + extra
    rate = participation_rate(present, headcount)
    if headcount == 0:
        assert rate is None
        return
    assert D(0) <= rate <= D(100)
    assert abs(rate - D(present) * 100 / D(headcount)) <= D("0.05")


@given(st.lists(_day_before, max_size=40))
def test_ageing_counts_every_open_proposal_once(offsets):
    since = [_AS_OF - datetime.timedelta(days=o) for o in offsets]
    buckets = ageing(since, as_of=_AS_OF)
    assert sum(b.count for b in buckets) == len(since)
    assert [b.low for b in buckets] == [0, 16, 31, 61, 91]
    for bucket in buckets:
        inside = [
            o for o in offsets if bucket.low <= o and (bucket.high is None or o <= bucket.high)
        ]
        assert bucket.count == len(inside)
