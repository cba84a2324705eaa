"""Capacity (§6): the equipment groups' effective time fund and load by month, the
bottlenecks, and the assembly shop's area in square-metre-hours (tables 12–13)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from enterprise.models import Period, Shop
from enterprise.money import HUNDRED, half_up

from .. import rules
from ..models import AssemblyArea, AssemblyProduct, AssemblyStage, EquipmentGroup, RouteOperation
from .routes import schedules_of


@dataclass
class GroupMonth:
    month: int
    working_days: int
    fund: Decimal
    load: Decimal | None
    """need / fund (1.0 = fully loaded)."""

    @property
    def percent(self) -> Decimal | None:
        return None if self.load is None else self.load * HUNDRED

    @property
    def bottleneck(self) -> bool:
        return self.load is not None and self.load > 1


@dataclass
class GroupRow:
    group: EquipmentGroup
    need: Decimal
    """Machine-hours a month the routes take (Σ Тшт × А / norms' fulfilment)."""
    months: list[GroupMonth]
    year_fund: Decimal
    year_load: Decimal | None

    @property
    def year_percent(self) -> Decimal | None:
        return None if self.year_load is None else self.year_load * HUNDRED

    @property
    def bottleneck(self) -> bool:
        return any(month.bottleneck for month in self.months)


@dataclass
class StageRow:
    stage: AssemblyStage
    hours: Decimal
    """The stage's hours of cycle (table 12's last column), unrounded."""


@dataclass
class ProductRow:
    product: AssemblyProduct
    stages: list[StageRow]
    cycle_hours: Decimal | None
    area_hours: Decimal | None
    """m²·h of one product before the cycle's reduction (table 13, line 6)."""
    reduced_hours: Decimal | None
    """m²·h of one product (table 13, line 8)."""
    programme_hours: Decimal | None


@dataclass
class AreaUse:
    area: AssemblyArea | None
    products: list[ProductRow]
    need: Decimal
    available: Decimal | None
    use: Decimal | None


@dataclass
class CapacityPage:
    shop: Shop
    year: int
    schedule: object
    groups: list[GroupRow]
    area: AreaUse

    @property
    def bottlenecks(self) -> list[GroupRow]:
        return [row for row in self.groups if row.bottleneck]


def _month_days(shop: Shop, year: int, default: int) -> dict[int, int]:
    stored = dict(
        Period.objects.filter(enterprise_id=shop.enterprise_id, year=year).values_list(
            "month", "working_days"
        )
    )
    return {month: stored.get(month, default) for month in range(1, 13)}


def equipment_load(shop: Shop, year: int, schedule) -> list[GroupRow]:
    """Each equipment group's fund and load by month of ``year`` (3 queries)."""
    days = _month_days(shop, year, schedule.working_days_month)
    need: dict[int, Decimal] = defaultdict(Decimal)
    for group_id, piece_hours, monthly_output in RouteOperation.objects.filter(
        equipment_group__shop=shop
    ).values_list("equipment_group_id", "piece_hours", "route__monthly_output"):
        need[group_id] += piece_hours * monthly_output
    rows = []
    for group in EquipmentGroup.objects.filter(shop=shop).order_by("name"):
        hours = need[group.pk] / schedule.norm_fulfilment
        months = []
        for month in range(1, 13):
            fund = rules.effective_time_fund(
                group.units,
                group.shifts,
                days[month],
                group.repair_percent,
                shift_hours=schedule.shift_hours,
            )
            months.append(GroupMonth(month, days[month], fund, rules.load_ratio(hours, fund)))
        year_fund = sum((m.fund for m in months), Decimal(0))
        rows.append(
            GroupRow(
                group=group,
                need=half_up(hours, rules.HOUR_PLACES),
                months=months,
                year_fund=year_fund,
                year_load=rules.load_ratio(hours * 12, year_fund),
            )
        )
    return rows


def area_use(shop: Shop) -> AreaUse:
    """The assembly floor's need for the year's programme in m²·h against the hours its
    production area gives (tables 12–13; 3 queries)."""
    area = AssemblyArea.objects.filter(shop=shop).first()
    products = []
    for product in AssemblyProduct.objects.filter(shop=shop).prefetch_related(
        Prefetch("stages", queryset=AssemblyStage.objects.order_by("number"))
    ):
        stages = [
            StageRow(
                stage,
                rules.stage_duration(
                    stage.labour_hours, stage.fulfilment_percent, stage.assemblers
                ),
            )
            for stage in product.stages.all()
        ]
        cycle = area_hours = reduced = programme = None
        if stages:
            cycle = rules.assembly_cycle_hours(
                (s.labour_hours, s.fulfilment_percent, s.assemblers) for s in product.stages.all()
            )
            area_hours = rules.square_metre_hours(product.total_area, cycle)
            reduced = rules.square_metre_hours(product.total_area, cycle, product.reduction)
            programme = rules.programme_need([(reduced, product.annual_quantity)])
        products.append(ProductRow(product, stages, cycle, area_hours, reduced, programme))
    need = rules.programme_need(
        (row.reduced_hours, row.product.annual_quantity)
        for row in products
        if row.reduced_hours is not None
    )
    available = use = None
    if area is not None:
        available = area.production_area * area.hours_year
        use = rules.load_ratio(need, available)
    return AreaUse(area=area, products=products, need=need, available=available, use=use)


def capacity_page(shop: Shop, year: int) -> CapacityPage:
    schedule = schedules_of([shop])[shop.pk]
    return CapacityPage(
        shop=shop,
        year=year,
        schedule=schedule,
        groups=equipment_load(shop, year, schedule),
        area=area_use(shop),
    )
