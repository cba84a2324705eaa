"""Daily kits and the proportionality file, the system of «Электроприбор» (§4): the
assembly's kit number, each part's cumulative production and the kit it covers, the
planning cards and the registration journal of each section."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Sum

from enterprise.models import Period, Section, Shop
from enterprise.rules import month_bounds

from .. import rules
from ..models import AssemblyDay, Part, PartProduction, Route


def assembled_kits(shop: Shop, day: datetime.date) -> Decimal:
    """Daily kits the assembly shop assembled from the year's start to ``day``."""
    total = AssemblyDay.objects.filter(shop=shop, date__year=day.year, date__lte=day).aggregate(
        total=Sum("kits")
    )["total"]
    return total or Decimal(0)


def kit_of(assembled: Decimal) -> int:
    """The assembly's kit number: the whole kits assembled."""
    return int(assembled.to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class KitRow:
    part: Part
    input_route: Route | None
    output_route: Route | None
    input_cumulative: Decimal = Decimal(0)
    output_cumulative: Decimal = Decimal(0)
    input_lead: rules.KitLead | None = None
    output_lead: rules.KitLead | None = None

    @property
    def deficit(self) -> bool:
        leads = (self.input_lead, self.output_lead)
        return any(lead is not None and lead.days < 0 for lead in leads)


@dataclass
class KitsPage:
    shop: Shop
    day: datetime.date
    assembled: Decimal
    kit: int
    rows: list[KitRow] = field(default_factory=list)

    @property
    def deficits(self) -> int:
        return sum(1 for row in self.rows if row.deficit)


def kits_page(parts, shop: Shop, day: datetime.date) -> KitsPage:
    """The proportionality file of an assembly shop on ``day`` (4 queries): each part
    (``parts``: the user's, of this shop) with its cumulative launch on the first
    section of its route and release on the last, from the year's start, the kit each
    covers and its lead or deficit in days and pieces; deficits first."""
    assembled = assembled_kits(shop, day)
    kit = kit_of(assembled)
    parts = list(parts.filter(assembly_shop=shop).order_by("number"))
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in (
        Route.objects.filter(part__in=parts)
        .select_related("section__shop")
        .order_by("part_id", "sequence", "pk")
    ):
        routes[route.part_id].append(route)
    made = {
        (row["part_id"], row["section_id"]): row["total"]
        for row in PartProduction.objects.filter(part__in=parts, date__year=day.year, date__lte=day)
        .values("part_id", "section_id")
        .annotate(total=Sum("quantity"))
    }
    rows = []
    for part in parts:
        path = routes.get(part.pk, [])
        row = KitRow(part, path[0] if path else None, path[-1] if path else None)
        if row.input_route is not None:
            row.input_cumulative = made.get((part.pk, row.input_route.section_id), Decimal(0))
            row.output_cumulative = made.get((part.pk, row.output_route.section_id), Decimal(0))
            row.input_lead = rules.kit_lead(row.input_cumulative, part.daily_need, kit)
            row.output_lead = rules.kit_lead(row.output_cumulative, part.daily_need, kit)
        rows.append(row)
    rows.sort(key=lambda r: (r.output_lead.days if r.output_lead else 0, r.part.number))
    return KitsPage(shop=shop, day=day, assembled=assembled, kit=kit, rows=rows)


@dataclass
class JournalRow:
    part: Part
    by_day: list[Decimal | None]
    month: Decimal
    cumulative: Decimal
    kit: int


@dataclass
class Journal:
    section: Section
    period: Period
    days: list[datetime.date]
    rows: list[JournalRow]


def section_journal(section: Section, period: Period) -> Journal:
    """The registration journal of a section's month as the bureau kept it: a line a
    part, a column a day, the month's total and the cumulative from the year's start
    with the kit it covers (2 queries)."""
    first, last = month_bounds(period.year, period.month)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    entries = (
        PartProduction.objects.filter(section=section, date__year=period.year, date__lte=last)
        .select_related("part")
        .order_by("part__number", "date")
    )
    parts: dict[int, Part] = {}
    before: dict[int, Decimal] = defaultdict(Decimal)
    month: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for entry in entries:
        parts[entry.part_id] = entry.part
        if entry.date < first:
            before[entry.part_id] += entry.quantity
        else:
            month[entry.part_id][entry.date] = entry.quantity
    rows = []
    for part_id, part in parts.items():
        of_month = month.get(part_id, {})
        total = sum(of_month.values(), Decimal(0))
        cumulative = before[part_id] + total
        rows.append(
            JournalRow(
                part=part,
                by_day=[of_month.get(day) for day in days],
                month=total,
                cumulative=cumulative,
                kit=rules.kit_number(cumulative, part.daily_need),
            )
        )
    return Journal(section=section, period=period, days=days, rows=rows)


@dataclass
class CardLine:
    date: datetime.date
    quantity: Decimal
    cumulative: Decimal
    kit: int
    assembly_kit: int
    lead: rules.KitLead


def planning_card(route: Route, year: int) -> list[CardLine]:
    """A part's planning card on a section for a year: each day it made the part, the
    cumulative, the kit it covers against the assembly's kit number that day (2 queries)."""
    part = route.part
    kits_by_day = list(
        AssemblyDay.objects.filter(shop_id=part.assembly_shop_id, date__year=year)
        .order_by("date")
        .values_list("date", "kits")
    )
    lines = []
    cumulative = Decimal(0)
    assembled = Decimal(0)
    index = 0
    for day, quantity in (
        PartProduction.objects.filter(part=part, section_id=route.section_id, date__year=year)
        .order_by("date")
        .values_list("date", "quantity")
    ):
        while index < len(kits_by_day) and kits_by_day[index][0] <= day:
            assembled += kits_by_day[index][1]
            index += 1
        cumulative += quantity
        assembly_kit = kit_of(assembled)
        lead = rules.kit_lead(cumulative, part.daily_need, assembly_kit)
        lines.append(CardLine(day, quantity, cumulative, lead.kit, assembly_kit, lead))
    return lines
