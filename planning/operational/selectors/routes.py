"""Parts and their routes (§2): the cycle of a batch and the WIP norms per section, with
each formula's figures for the page to fill in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch

from enterprise.models import Shop

from .. import rules
from ..models import Part, Route, RouteOperation, ShopSchedule


def parts_for(user):
    """The parts the user sees, with their assembly shop and the number of sections on
    their route (the parts list)."""
    return (
        Part.objects.visible_to(user)
        .select_related("assembly_shop")
        .annotate(sections=Count("routes"))
        .order_by("number")
    )


def schedules_of(shops: Iterable[Shop]) -> dict[int, ShopSchedule]:
    """Each shop's regime; a shop without one works to the defaults (Ксм 2, norms 120 %,
    8-hour shifts, 22 days a month) — an unsaved regime says so."""
    ids = {shop.pk for shop in shops}
    stored = {s.shop_id: s for s in ShopSchedule.objects.filter(shop_id__in=ids)}
    return {pk: stored.get(pk) or ShopSchedule(shop_id=pk) for pk in ids}


@dataclass
class RouteFigures:
    """A route's cycle and norms, with the figures the formulas are filled in with."""

    route: Route
    operations: list[RouteOperation]
    schedule: ShopSchedule
    norm_piece_hours: Decimal
    """Σ Тшт of the operations by the norm, h."""
    piece_hours: Decimal | None
    """Тшт of the formula: the sum over the norms' fulfilment, h (unrounded)."""
    cycle_days: Decimal | None
    wip: int | None
    safety: int | None

    @property
    def operation_count(self) -> int:
        return len(self.operations)

    @property
    def schedule_is_default(self) -> bool:
        return self.schedule.pk is None


def route_figures(route: Route, operations: list[RouteOperation], schedule) -> RouteFigures:
    norm = sum((op.piece_hours for op in operations), Decimal(0))
    piece = cycle = wip = None
    if operations:
        piece = rules.effective_piece_hours(
            [op.piece_hours for op in operations], schedule.norm_fulfilment
        )
        cycle = rules.cycle_duration_days(
            piece,
            route.batch_size,
            route.parallelism,
            schedule.shift_coefficient,
            route.natural_days,
            route.waiting_days,
            len(operations),
            shift_hours=schedule.shift_hours,
        )
        wip = rules.wip_norm(
            route.monthly_output, cycle, working_days=Decimal(schedule.working_days_month)
        )
    safety = rules.safety_stock(
        route.monthly_output,
        route.safety_days,
        working_days=Decimal(schedule.working_days_month),
    )
    return RouteFigures(route, operations, schedule, norm, piece, cycle, wip, safety)


@dataclass
class PartPage:
    part: Part
    routes: list[RouteFigures]

    @property
    def total_cycle_days(self) -> Decimal | None:
        """The part's cycle over its whole route: the sections' cycles in turn."""
        cycles = [r.cycle_days for r in self.routes]
        if not cycles or any(c is None for c in cycles):
            return None
        return sum(cycles, Decimal(0))


def part_page(part: Part) -> PartPage:
    """A part's route section by section, with the cycle and WIP norms of each (3 queries)."""
    routes = list(
        Route.objects.filter(part=part)
        .select_related("section__shop")
        .prefetch_related(
            Prefetch(
                "operations",
                queryset=RouteOperation.objects.select_related("equipment_group").order_by(
                    "number"
                ),
            )
        )
        .order_by("sequence", "section__shop__number", "section__number")
    )
    schedules = schedules_of(route.section.shop for route in routes)
    return PartPage(
        part=part,
        routes=[
            route_figures(route, list(route.operations.all()), schedules[route.section.shop_id])
            for route in routes
        ],
    )
