"""Five-day calendar ranks, system «Ритм» (§3): the plant's calendar of working five-days
and the Р − Г board the dispatcher reads each morning, deficits first."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum

from enterprise.models import Period
from planning.tracking.workdays import working_days_of

from .. import rules
from ..models import ConsumerStock


@dataclass(frozen=True)
class Rank:
    """A calendar rank КР: a working five-day week of the year and its days."""

    number: int
    days: tuple[datetime.date, ...]

    @property
    def first(self) -> datetime.date:
        return self.days[0]

    @property
    def last(self) -> datetime.date:
        return self.days[-1]


def working_days_of_year(enterprise_id: int, year: int) -> list[datetime.date]:
    """The plant's working days of a year: a month with a Period row has its
    ``working_days`` (:func:`planning.tracking.workdays.working_days_of`), a month
    without one its weekdays (1 query)."""
    periods = {p.month: p for p in Period.objects.filter(enterprise_id=enterprise_id, year=year)}
    days: list[datetime.date] = []
    for month in range(1, 13):
        if month in periods:
            days.extend(sorted(working_days_of(periods[month])))
            continue
        day = datetime.date(year, month, 1)
        while day.month == month:
            if day.weekday() < 5:
                days.append(day)
            day += datetime.timedelta(days=1)
    return days


def five_day_calendar(enterprise_id: int, year: int) -> list[Rank]:
    """The year's calendar ranks: each five working days one КР; the days past the 52nd
    five-day (a year has 250–262 working days) belong to the 52nd."""
    ranks: dict[int, list[datetime.date]] = {}
    for index, day in enumerate(working_days_of_year(enterprise_id, year), start=1):
        number = min(rules.calendar_rank(index), rules.RANKS_PER_YEAR)
        ranks.setdefault(number, []).append(day)
    return [Rank(number, tuple(days)) for number, days in sorted(ranks.items())]


def rank_on(calendar: list[Rank], day: datetime.date) -> Rank | None:
    """The КР a day falls in (a day off: the rank of the working day before it; before
    the year's first working day: the first rank)."""
    if not calendar:
        return None
    firsts = [rank.first for rank in calendar]
    return calendar[max(bisect_right(firsts, day) - 1, 0)]


@dataclass
class SupplyRow:
    """A part's line of the board (plain figures: the board reads hundreds of them)."""

    part_id: int
    number: str
    name: str
    batch: int
    lead_group: Decimal
    counted_on: datetime.date | None
    stock: Decimal
    five_day_need: Decimal
    rank: Decimal | None
    """Р: the stock in five-day needs."""
    indicator: Decimal | None
    """Р − Г: negative — a deficit (launch now), positive — a lead."""

    @property
    def deficit(self) -> bool:
        return self.indicator is not None and self.indicator < 0


@dataclass
class SupplyBoard:
    day: datetime.date
    rank: Rank | None
    rows: list[SupplyRow]

    @property
    def deficits(self) -> int:
        return sum(1 for row in self.rows if row.deficit)


def supply_board(supplies, day: datetime.date, calendar: list[Rank]) -> SupplyBoard:
    """The Р − Г board on ``day`` for ``supplies`` (the parts' PartSupply rows of the
    year, already scoped): Р from the latest count of each part's stock at its consumer
    shops on or before the day (the shops' counts of that day summed), deficits first,
    the deepest on top, then by part number (1 query)."""
    last_count = (
        ConsumerStock.objects.filter(part_id=OuterRef("part_id"), date__lte=day)
        .order_by("-date")
        .values("date")[:1]
    )
    stock_of_day = (
        ConsumerStock.objects.filter(part_id=OuterRef("part_id"), date=OuterRef("counted_on"))
        .values("part_id")
        .annotate(total=Sum("quantity"))
        .values("total")[:1]
    )
    rows = []
    for part_id, number, name, period_need, ranks, batch, lead, counted_on, stock in (
        supplies.annotate(counted_on=Subquery(last_count))
        .annotate(stock=Subquery(stock_of_day))
        .values_list(
            "part_id",
            "part__number",
            "part__name",
            "period_need",
            "ranks",
            "batch",
            "lead_group",
            "counted_on",
            "stock",
        )
    ):
        stock = stock or Decimal(0)
        need = rules.five_day_need(period_need, ranks)
        rank = indicator = None
        if need > 0:
            rank = rules.supply_rank(stock, need)
            indicator = rules.supply_indicator(stock, need, lead)
        rows.append(
            SupplyRow(part_id, number, name, batch, lead, counted_on, stock, need, rank, indicator)
        )
    rows.sort(
        key=lambda r: (
            r.indicator is None,
            r.indicator if r.indicator is not None else 0,
            r.number,
        )
    )
    return SupplyBoard(day=day, rank=rank_on(calendar, day), rows=rows)
