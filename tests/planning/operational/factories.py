"""factory-boy factories of operational scheduling (routes, ranks, kits, assembly area)
and the worked examples of the booklet's tables 12–13."""

import datetime
from decimal import Decimal

import factory

from planning.operational.models import (
    AssemblyArea,
    AssemblyDay,
    AssemblyProduct,
    AssemblyStage,
    ConsumerStock,
    EquipmentGroup,
    Part,
    PartProduction,
    PartSupply,
    Route,
    RouteOperation,
    ShopSchedule,
)
from tests.factories import SectionFactory, ShopFactory

OCTOBER = datetime.date(2026, 10, 1)


class ShopScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopSchedule

    shop = factory.SubFactory(ShopFactory)


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    assembly_shop = factory.SubFactory(ShopFactory)
    enterprise = factory.LazyAttribute(lambda o: o.assembly_shop.enterprise)
    number = factory.Sequence(lambda n: f"7-{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Вал {n + 1}")
    daily_need = 2


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    part = factory.SubFactory(PartFactory)
    section = factory.SubFactory(SectionFactory)
    sequence = 1
    batch_size = 40
    parallelism = Decimal("0.600")
    natural_days = Decimal("1.00")
    waiting_days = Decimal("0.25")
    monthly_output = Decimal("440.00")
    safety_days = Decimal("2.00")


class EquipmentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentGroup

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Токарные станки {n + 1}")
    units = 5
    shifts = 2
    repair_percent = Decimal("4.000")


class RouteOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteOperation

    route = factory.SubFactory(RouteFactory)
    number = factory.Sequence(lambda n: (n % 900) + 5)
    name = "Токарная"
    piece_hours = Decimal("0.5000")
    equipment_group = None


class PartSupplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartSupply

    part = factory.SubFactory(PartFactory)
    enterprise = factory.LazyAttribute(lambda o: o.part.enterprise)
    year = 2026
    period_need = Decimal("5200.00")
    ranks = 52
    batch = 200
    lead_group = Decimal("3.00")


class ConsumerStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsumerStock

    part = factory.SubFactory(PartFactory)
    enterprise = factory.LazyAttribute(lambda o: o.part.enterprise)
    shop = factory.LazyAttribute(lambda o: o.part.assembly_shop)
    date = datetime.date(2026, 10, 12)
    quantity = Decimal("250.00")


class PartProductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartProduction

    part = factory.SubFactory(PartFactory)
    enterprise = factory.LazyAttribute(lambda o: o.part.enterprise)
    section = factory.SubFactory(SectionFactory)
    date = datetime.date(2026, 10, 12)
    quantity = Decimal("20.00")


class AssemblyDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssemblyDay

    shop = factory.SubFactory(ShopFactory)
    enterprise = factory.LazyAttribute(lambda o: o.shop.enterprise)
    date = datetime.date(2026, 10, 12)
    kits = Decimal("1.00")


# Table 12 (open switchboards): stage, labour norm-hours, norms met %, assemblers.
TABLE_12 = (
    ("Выставка", "0.74", "146.2", 3),
    ("Сборка", "3.59", "146.2", 2),
    ("Монтаж", "9.17", "149", 1),
    ("Прозвонка", "0.85", "149", 1),
    ("Ошиновка", "1.22", "149", 1),
    ("Контроль", "5.0", "149", 1),
)


def table_13_product(shop, *, annual_quantity=Decimal("10")) -> AssemblyProduct:
    """The open switchboard of tables 12–13: 2.5 + 4.8 = 7.3 m², a 12.3-hour cycle, 0.91."""
    product = AssemblyProduct.objects.create(
        enterprise=shop.enterprise,
        shop=shop,
        name="Щит открытого исполнения",
        length=Decimal("1.0"),
        width=Decimal("0.8"),
        product_area=Decimal("2.5"),
        assemblers_area=Decimal("4.8"),
        reduction=Decimal("0.91"),
        annual_quantity=annual_quantity,
    )
    for number, (name, labour, percent, workers) in enumerate(TABLE_12, start=1):
        AssemblyStage.objects.create(
            product=product,
            number=number,
            name=name,
            labour_hours=Decimal(labour),
            fulfilment_percent=Decimal(percent),
            assemblers=workers,
        )
    return product


def table_13_area(shop, *, hours_year=Decimal("4000")) -> AssemblyArea:
    """The example shop's floor: 3420 m² of production and 740 m² of auxiliary area."""
    return AssemblyArea.objects.create(
        shop=shop,
        production_area=Decimal("3420"),
        auxiliary_area=Decimal("740"),
        hours_year=hours_year,
    )


def admin_rows(world) -> None:
    """One row of every operational model in the admin (its change form has one to open):
    a part of shop B through section A1 with its route, machines and regime, a supply
    plan, an October stock, day of production and of assembly, the floor of table 13
    and a draft shift task."""
    from planning.operational.models import ShiftTask

    a, b, a1 = world.units["A"], world.units["B"], world.units["A1"]
    ShopScheduleFactory(shop=a)
    group = EquipmentGroupFactory(shop=a, name="Токарные станки")
    part = PartFactory(assembly_shop=b, number="7-0500", name="Вал")
    route = RouteFactory(part=part, section=a1)
    RouteOperationFactory(route=route, number=5, equipment_group=group)
    PartSupplyFactory(part=part)
    ConsumerStockFactory(part=part)
    PartProductionFactory(part=part, section=a1)
    AssemblyDayFactory(shop=b)
    table_13_area(b)
    table_13_product(b)
    ShiftTask.objects.create(
        enterprise=world.enterprise, section=a1, date=datetime.date(2026, 10, 20), shift=1
    )
