"""Operational scheduling of the plant-scale data set (``manage.py generate_plant`` runs
:data:`GENERATE_STEPS` through ``planning/generate.py``): the parts of the assembly
shops with their routes through the machining, stamping, heat and coating sections, the
shops' regimes and machine groups, the current year's five-day need of every part, the
stocks counted at the assembly shops over the last working days, and the assembly's
daily kits of the year so far. The month of shift tasks (and the production journal their
output writes) is the shift tasks' step. Rows are written with the tracked
``bulk_create`` (history included).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from enterprise.generate import BATCH_SIZE, SHOPS, GenerateContext
from enterprise.models import Enterprise
from enterprise.money import half_up

from .models import (
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
    ShiftOutput,
    ShiftTask,
    ShiftTaskItem,
    ShopSchedule,
)

D = Decimal
PARTS_PER_ASSEMBLY_SHOP = 150
"""Parts each assembly shop assembles (450 at the generator's three assembly shops)."""
STOCK_DAYS = 10
"""The last working days the stocks at the assembly shops were counted on."""
KITS_A_YEAR = 250
# A producing shop's machine groups by its profile: (name, operation names).
GROUPS = {
    "machining": (
        ("Токарные станки", ("Токарная черновая", "Токарная чистовая")),
        ("Фрезерные станки", ("Фрезерная",)),
        ("Сверлильные станки", ("Сверлильная",)),
        ("Шлифовальные станки", ("Шлифовальная",)),
        ("Расточные станки", ("Расточная",)),
    ),
    "stamping": (("Прессы", ("Вырубка", "Гибка", "Вытяжка")),),
    "heat": (("Печи", ("Закалка", "Отпуск")),),
    "coating": (("Гальванические ванны", ("Покрытие",)), ("Окрасочные камеры", ("Окраска",))),
}
NAMES = (
    "Вал",
    "Втулка",
    "Шестерня",
    "Фланец",
    "Крышка",
    "Корпус",
    "Ось",
    "Кронштейн",
    "Рычаг",
    "Планка",
    "Скоба",
    "Стойка",
)


def _working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def step_routes(ctx: GenerateContext) -> None:
    """Regimes, machine groups, parts and their routes (2–4 producing sections each)."""
    rng = ctx.random("operational-routes")
    profile = {spec.number: spec.profile for spec in SHOPS}
    ShopSchedule.objects.bulk_create([ShopSchedule(shop=shop) for shop in ctx.shops])
    groups = {}
    for shop in ctx.shops:
        for name, operations in GROUPS.get(profile.get(shop.number), ()):
            groups.setdefault(shop.pk, []).append(
                (
                    EquipmentGroup(
                        shop=shop,
                        name=name,
                        units=rng.randint(3, 25),
                        shifts=rng.choice((1, 2, 2, 2, 3)),
                        repair_percent=D(rng.randint(2, 8)),
                    ),
                    operations,
                )
            )
    EquipmentGroup.objects.bulk_create([g for shop in groups.values() for g, _ops in shop])
    producing = [s for s in ctx.sections if s.shop_id in groups]
    assembly_shops = [s for s in ctx.shops if profile.get(s.number) == "assembly"]
    parts = []
    for shop in assembly_shops:
        for index in range(1, PARTS_PER_ASSEMBLY_SHOP + 1):
            parts.append(
                Part(
                    enterprise=ctx.enterprise,
                    number=f"{shop.number}-{index:04d}",
                    name=f"{rng.choice(NAMES)} {shop.number}.{index}",
                    assembly_shop=shop,
                    daily_need=rng.choice((1, 1, 2, 2, 3, 4, 6, 8)),
                )
            )
    Part.objects.bulk_create(parts, batch_size=BATCH_SIZE)
    routes, planned = [], []
    for part in parts:
        path = rng.sample(producing, rng.randint(2, min(4, len(producing))))
        for sequence, section in enumerate(path, start=1):
            route = Route(
                part=part,
                section=section,
                sequence=sequence,
                batch_size=part.daily_need * rng.choice((5, 10, 20)),
                parallelism=D(rng.choice(("0.5", "0.6", "0.8", "1"))),
                natural_days=D(rng.choice(("0", "0", "0.5", "1"))),
                waiting_days=D(rng.choice(("0.1", "0.25", "0.5"))),
                monthly_output=D(part.daily_need * 22),
                safety_days=D(rng.choice(("1", "2", "3"))),
            )
            routes.append(route)
            planned.append((route, groups[section.shop_id]))
    Route.objects.bulk_create(routes, batch_size=BATCH_SIZE)
    operations = []
    for route, shop_groups in planned:
        for number in range(1, rng.randint(2, 5) + 1):
            group, names = rng.choice(shop_groups)
            operations.append(
                RouteOperation(
                    route=route,
                    number=number * 5,
                    name=rng.choice(names),
                    piece_hours=D(rng.randint(5, 120)) / 100,
                    equipment_group=group,
                )
            )
    RouteOperation.objects.bulk_create(operations, batch_size=BATCH_SIZE)
    _assembly_floor(ctx, assembly_shops, rng)
    ctx.summary.append(f"деталей {len(parts)}, маршрутов {len(routes)}")


def _assembly_floor(ctx: GenerateContext, shops, rng) -> None:
    AssemblyArea.objects.bulk_create(
        [
            AssemblyArea(
                shop=shop,
                production_area=D(rng.randint(1500, 4000)),
                auxiliary_area=D(rng.randint(300, 900)),
                hours_year=D(4000),
            )
            for shop in shops
        ]
    )
    products, stages = [], []
    for shop in shops:
        for index in range(1, 4):
            product = AssemblyProduct(
                enterprise=ctx.enterprise,
                shop=shop,
                name=f"Изделие {shop.number}.{index}",
                product_area=D(rng.randint(15, 40)) / 10,
                assemblers_area=D(rng.randint(30, 60)) / 10,
                reduction=D(rng.randint(88, 98)) / 100,
                annual_quantity=D(rng.randint(5, 40) * 1000),
            )
            products.append(product)
            for number, name in enumerate(("Сборка", "Монтаж", "Контроль"), start=1):
                stages.append(
                    AssemblyStage(
                        product=product,
                        number=number,
                        name=name,
                        labour_hours=D(rng.randint(50, 900)) / 100,
                        fulfilment_percent=D(rng.randint(110, 150)),
                        assemblers=rng.randint(1, 3),
                    )
                )
    AssemblyProduct.objects.bulk_create(products)
    AssemblyStage.objects.bulk_create(stages, batch_size=BATCH_SIZE)


def step_supply(ctx: GenerateContext) -> None:
    """The year's five-day need of every part, its stock counted at its assembly shop on
    each of the last working days, and the assembly's kits of each working day."""
    rng = ctx.random("operational-supply")
    today = timezone.localdate()
    year = ctx.months[-1][0]
    parts = list(Part.objects.filter(enterprise=ctx.enterprise).order_by("pk"))
    supplies, stocks = [], []
    counted = _working_days(today - datetime.timedelta(days=STOCK_DAYS * 2), today)
    counted = [day for day in counted if day.year == year][-STOCK_DAYS:]
    for part in parts:
        need = D(part.daily_need * KITS_A_YEAR)
        lead = D(rng.randint(1, 5))
        supplies.append(
            PartSupply(
                enterprise=ctx.enterprise,
                part=part,
                year=year,
                period_need=need,
                ranks=52,
                batch=part.daily_need * rng.choice((10, 20, 40)),
                lead_group=lead,
            )
        )
        ahead = D(rng.randint(-30, 40)) / 10
        for day in counted:
            ranks = max(lead + ahead + D(rng.randint(-5, 5)) / 10, D(0))
            stocks.append(
                ConsumerStock(
                    enterprise=ctx.enterprise,
                    part=part,
                    shop_id=part.assembly_shop_id,
                    date=day,
                    quantity=half_up(need / 52 * ranks, D(1)),
                )
            )
    PartSupply.objects.bulk_create(supplies, batch_size=BATCH_SIZE)
    ConsumerStock.objects.bulk_create(stocks, batch_size=BATCH_SIZE)
    shops = sorted({part.assembly_shop_id for part in parts})
    open_months = {(y, m) for (y, m) in ctx.periods}
    days = [
        AssemblyDay(enterprise=ctx.enterprise, shop_id=shop, date=day, kits=D(1))
        for day in _working_days(datetime.date(year, 1, 1), today)
        if (day.year, day.month) in open_months
        for shop in shops
    ]
    AssemblyDay.objects.bulk_create(days, batch_size=BATCH_SIZE)
    ctx.summary.append(f"заделов у потребителей {len(stocks)}, дней сборки {len(days)}")


def delete_operational(enterprise: Enterprise) -> None:
    """The plant's operational rows, shift tasks first (they point to the routes).

    The rows the history names a deleted row by (its task, section, worker, part …) are
    read for all the rows at once (FETCH_PEERS), not once a row."""
    peers = models.FETCH_PEERS
    ShiftOutput.objects.filter(item__task__enterprise=enterprise).fetch_mode(peers).delete()
    ShiftTaskItem.objects.filter(task__enterprise=enterprise).fetch_mode(peers).delete()
    ShiftTask.objects.filter(enterprise=enterprise).fetch_mode(peers).delete()
    PartProduction.objects.filter(enterprise=enterprise).fetch_mode(peers).delete()
    ConsumerStock.objects.filter(enterprise=enterprise).delete()
    PartSupply.objects.filter(enterprise=enterprise).delete()
    AssemblyDay.objects.filter(enterprise=enterprise).delete()
    RouteOperation.objects.filter(route__part__enterprise=enterprise).delete()
    Route.objects.filter(part__enterprise=enterprise).delete()
    Part.objects.filter(enterprise=enterprise).delete()
    EquipmentGroup.objects.filter(shop__enterprise=enterprise).delete()
    AssemblyStage.objects.filter(product__enterprise=enterprise).delete()
    AssemblyProduct.objects.filter(enterprise=enterprise).delete()
    AssemblyArea.objects.filter(shop__enterprise=enterprise).delete()
    ShopSchedule.objects.filter(shop__enterprise=enterprise).delete()


GENERATE_STEPS = [step_routes, step_supply]
DELETE_STEPS = [delete_operational]
