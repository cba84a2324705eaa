"""Pure rules of production meetings and workers' proposals (meetings.md). Pure: no Django.

The figures the plant watched in 1925 (seed 000): how proposals were answered (about half
implemented, almost 14 % never answered, many answered late), how many workers took part
in the meetings (18.7 %), what the agendas were made of (20.5 % organisation of the meetings,
12.2 % reports, 57 % proposals, of which 1.8 % major). Percents are ``Decimal`` with one
place (:data:`~enterprise.money.TENTH`), rounded half-up; days are calendar days.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from enterprise.money import HUNDRED, TENTH, half_up

REVIEW_DAYS = 15
"""The bureau's term by default: 15 calendar days from submission (the issue)."""
ANSWER_DAYS = 30
"""The administration's term by default: 30 calendar days from the bureau passing it on."""
AGE_BOUNDS = (15, 30, 60, 90)
"""Upper bounds (days waiting, inclusive) of the open queue's ageing buckets: 0–15 (within
the bureau's default term), 16–30, 31–60, 61–90 and more than 90."""

ZERO_PERCENT = Decimal("0.0")
FULL_PERCENT = Decimal("100.0")

type Dates = tuple[datetime.date, datetime.date | None, datetime.date | None]
"""One proposal as the summary reads it: (submitted, answered, implemented)."""


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent, one place, half-up; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return half_up(Decimal(part) * HUNDRED / Decimal(whole), TENTH)


def nearest_rank(values: Sequence[int], share: int = 90) -> int | None:
    """The ``share``-th percentile by the nearest-rank method: the ⌈share/100 × n⌉-th smallest.

    ``[1, 2, …, 10]`` → 9 for 90; ``[5]`` → 5; nothing → ``None``. Integer arithmetic only.
    """
    if not 0 < share <= 100:
        raise ValueError(f"share must be in (0, 100], got {share}")
    if not values:
        return None
    ordered = sorted(values)
    rank = -(-share * len(ordered) // 100)  # ceil without floats
    return ordered[rank - 1]


def days_between(start: datetime.date, end: datetime.date) -> int:
    """Calendar days from ``start`` to ``end`` (the same day is 0)."""
    return (end - start).days


def due_date(start: datetime.date, days: int) -> datetime.date:
    """The last day of a term of ``days`` calendar days counted from ``start``."""
    if days < 0:
        raise ValueError(f"a term cannot be negative, got {days}")
    return start + datetime.timedelta(days=days)


def is_past_term(
    due: datetime.date | None, *, done: datetime.date | None, as_of: datetime.date
) -> bool:
    """Whether a step with the term ``due`` is past it: done after ``due``, or not done and
    ``as_of`` after ``due``. No term (``None``) is never past it."""
    if due is None:
        return False
    return (done or as_of) > due


@dataclass(frozen=True, slots=True)
class ProposalSummary:
    """How a set of proposals was answered, as of a day (see :func:`proposal_summary`)."""

    total: int
    answered: int
    unanswered: int
    implemented: int
    overdue: int
    median_answer_days: Decimal | None
    p90_answer_days: int | None
    implemented_share: Decimal | None
    unanswered_share: Decimal | None


def proposal_summary(
    proposals: Iterable[Dates], *, as_of: datetime.date, review_days: int = REVIEW_DAYS
) -> ProposalSummary:
    """The response statistics of proposals (issue 14; the source's 1925 figures).

    ``proposals`` are ``(submitted, answered, implemented)`` dates, ``None`` where that has
    not happened; "answered" is the bureau's review. The figures are taken on ``as_of``: a
    date after it has not happened yet (the proposal counts as unanswered or not
    implemented then); a proposal submitted after ``as_of`` is refused, as is an answer or an
    implementation before the submission and an implementation without an answer.

    - ``overdue``: answered more than ``review_days`` calendar days after submission, or
      unanswered and waiting more than ``review_days`` days on ``as_of``;
    - ``median_answer_days``: the median of the answered ones' days (``statistics.median``
      on ``Decimal``: the mean of the middle two when their number is even, e.g. ``3.5``);
    - ``p90_answer_days``: their 90th percentile by the nearest rank (:func:`nearest_rank`);
    - ``implemented_share`` and ``unanswered_share``: percent of ``total``, one place,
      half-up (``None`` when there are no proposals; the days ``None`` when none answered).
    """
    if review_days < 0:
        raise ValueError(f"review_days cannot be negative, got {review_days}")
    total = implemented = overdue = 0
    answer_days: list[int] = []
    for submitted, answered, done in proposals:
        if submitted > as_of:
            raise ValueError(f"submitted {submitted} after the day of the figures {as_of}")
        if answered is not None and answered < submitted:
            raise ValueError(f"answered {answered} before submitted {submitted}")
        if done is not None and done < submitted:
            raise ValueError(f"implemented {done} before submitted {submitted}")
        if done is not None and answered is None:
            raise ValueError(f"implemented {done} without an answer")
        answered = answered if answered is not None and answered <= as_of else None
        done = done if done is not None and done <= as_of and answered is not None else None
        total += 1
        implemented += done is not None
        if answered is None:
            overdue += days_between(submitted, as_of) > review_days
        else:
            days = days_between(submitted, answered)
            answer_days.append(days)
            overdue += days > review_days
    answered_count = len(answer_days)
    return ProposalSummary(
        total=total,
        answered=answered_count,
        unanswered=total - answered_count,
        implemented=implemented,
        overdue=overdue,
        median_answer_days=(
            statistics.median(Decimal(d) for d in answer_days) if answer_days else None
        ),
        p90_answer_days=nearest_rank(answer_days),
        implemented_share=percent(implemented, total),
        unanswered_share=percent(total - answered_count, total),
    )


def participation_rate(present: int, headcount: int) -> Decimal | None:
    """The share of the unit's workers who attended, percent with one place, half-up.

    187 of 1 000 → ``18.7`` (the nine largest unions, October 1925). ``None`` when the unit
    has no workers; more present than the headcount, or a negative figure, is refused.
    """
    if present < 0 or headcount < 0:
        raise ValueError(f"negative attendance {present} of {headcount}")
    if present > headcount:
        raise ValueError(f"{present} present of {headcount} workers")
    return percent(present, headcount)


def agenda_shares[K: Hashable](counts_by_class: Mapping[K, int]) -> dict[K, Decimal]:
    """The agenda items' shares by class, percent with one place, summing to exactly 100.0.

    Each class gets its exact share floored to a tenth; the tenths left go one each to the
    largest remainders, ties in the mapping's order (earlier first). 205/122/570/103 items
    give 20.5/12.2/57.0/10.3 (the 1925 agendas); 1/1/1 give 33.4/33.3/33.3. With no items
    at all every class gets 0.0. Negative counts are refused.
    """
    if any(count < 0 for count in counts_by_class.values()):
        raise ValueError("an agenda class cannot have a negative count")
    total = sum(counts_by_class.values())
    if total == 0:
        return dict.fromkeys(counts_by_class, ZERO_PERCENT)
    # Work in tenths of a percent: 1000 tenths in all.
    floors: dict[K, int] = {}
    remainders: dict[K, int] = {}
    for key, count in counts_by_class.items():
        floors[key], remainders[key] = divmod(count * 1000, total)
    left = 1000 - sum(floors.values())
    order = list(counts_by_class)
    by_remainder = sorted(order, key=lambda key: (-remainders[key], order.index(key)))
    for key in by_remainder[:left]:
        floors[key] += 1
    return {key: Decimal(floors[key]).scaleb(-1) for key in order}


@dataclass(frozen=True, slots=True)
class AgeBucket:
    """Open proposals that have waited ``low``…``high`` days (``high`` ``None``: no limit)."""

    low: int
    high: int | None
    count: int


def ageing(
    waiting_since: Iterable[datetime.date],
    *,
    as_of: datetime.date,
    bounds: Sequence[int] = AGE_BOUNDS,
) -> tuple[AgeBucket, ...]:
    """The open queue aged: how many proposals have waited how long on ``as_of``.

    ``waiting_since`` are the days the open proposals were submitted; ``bounds`` the
    inclusive upper bounds of the buckets, increasing: the default gives 0–15, 16–30,
    31–60, 61–90 and over 90 days (the last bucket has ``high=None``). Every bucket is
    returned, empty ones too. A day after ``as_of`` is refused.
    """
    if list(bounds) != sorted(set(bounds)) or (bounds and bounds[0] < 0):
        raise ValueError(f"bounds must be increasing and not negative, got {bounds}")
    counts = [0] * (len(bounds) + 1)
    for since in waiting_since:
        days = days_between(since, as_of)
        if days < 0:
            raise ValueError(f"waiting since {since}, after the day of the figures {as_of}")
        index = next((i for i, high in enumerate(bounds) if days <= high), len(bounds))
        counts[index] += 1
    lows = [0, *(high + 1 for high in bounds)]
    highs: list[int | None] = [*bounds, None]
    return tuple(
        AgeBucket(low=low, high=high, count=count)
        for low, high, count in zip(lows, highs, counts, strict=True)
    )
