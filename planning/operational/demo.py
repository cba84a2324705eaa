"""Demo operational scheduling: the machining shop No. 6 makes the parts of the assembly
shop No. 1 — their routes through the turning (6.2) and milling (6.1) sections with the
shop's machines, the year's five-day need of each part, the stocks counted at the
assembly shop, the registration journal of October and November and the assembly's
daily kits — and the assembly floor of tables 12–13 (the open switchboard: 12.3 h,
7.3 m², 81.7 m²·h) with two more products, so the floor's use is the booklet's 0.7.

The figures are fixed (a second load writes nothing): some parts lead, the grinding of
the gear and a shaft's stock fall behind, so the board and the file show deficits.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from enterprise.demo import DemoContext, ensure

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
    ShopSchedule,
)

D = Decimal
YEAR = 2026
MACHINING, ASSEMBLY = 6, 1
TURNING, MILLING = (6, 2), (6, 1)
FIRST_DAY = datetime.date(2026, 10, 1)
LAST_DAY = datetime.date(2026, 11, 20)  # the last Friday entered before «today»
HOLIDAYS = {datetime.date(2026, 11, 4)}

# name → (units, shifts, planned repairs %)
EQUIPMENT = {
    "Токарные станки": (6, 2, D("4")),
    "Фрезерные станки": (4, 2, D("5")),
    "Шлифовальные станки": (1, 2, D("6")),
    "Сверлильные станки": (2, 1, D("3")),
}

# number, name, pieces in the daily kit, year's lead group Г, accepted batch П,
# turning operations [(name, Тшт, machines)], milling operations, the pace of making
# the part (1 = as the assembly takes it).
PARTS = (
    (
        "8А-101",
        "Вал приводной",
        20,
        D("3"),
        120,
        [
            ("Токарная черновая", "0.42", "Токарные станки"),
            ("Токарная чистовая", "0.35", "Токарные станки"),
        ],
        [
            ("Фрезерование шпоночного паза", "0.28", "Фрезерные станки"),
            ("Шлифовальная", "0.40", "Шлифовальные станки"),
        ],
        D("1.10"),
    ),
    (
        "8А-102",
        "Шестерня",
        20,
        D("4"),
        100,
        [("Токарная", "0.55", "Токарные станки")],
        [
            ("Зубофрезерная", "0.90", "Фрезерные станки"),
            ("Зубошлифовальная", "0.60", "Шлифовальные станки"),
        ],
        D("0.85"),
    ),
    (
        "8А-103",
        "Втулка",
        40,
        D("2"),
        400,
        [("Токарная", "0.18", "Токарные станки"), ("Сверлильная", "0.08", "Сверлильные станки")],
        [],
        D("1.05"),
    ),
    (
        "8А-104",
        "Крышка подшипника",
        20,
        D("2"),
        150,
        [("Токарная", "0.30", "Токарные станки")],
        [("Фрезерная", "0.22", "Фрезерные станки"), ("Сверлильная", "0.12", "Сверлильные станки")],
        D("1.00"),
    ),
    (
        "8А-105",
        "Фланец",
        10,
        D("3"),
        80,
        [("Токарная", "0.40", "Токарные станки")],
        [("Фрезерная", "0.35", "Фрезерные станки")],
        D("0.95"),
    ),
    ("8А-106", "Ось", 30, D("2"), 300, [("Токарная", "0.25", "Токарные станки")], [], D("1.15")),
)

# The five-day need is the daily kit × 250 kits a year; the stock counted at the assembly
# shop, in five-day needs ahead of or behind the lead group (Р − Г).
STOCK_LEAD = {
    "8А-101": D("-0.6"),
    "8А-102": D("-1.4"),
    "8А-103": D("1.2"),
    "8А-104": D("0.3"),
    "8А-105": D("-0.2"),
    "8А-106": D("2.1"),
}
KITS_A_YEAR = 250

# Tables 12–13: the open switchboard, and two more products of the same floor.
SWITCHBOARD_STAGES = (
    ("Выставка", "0.74", "146.2", 3),
    ("Сборка", "3.59", "146.2", 2),
    ("Монтаж", "9.17", "149", 1),
    ("Прозвонка", "0.85", "149", 1),
    ("Ошиновка", "1.22", "149", 1),
    ("Контроль", "5.0", "149", 1),
)
PRODUCTS = (
    (
        "Щит открытого исполнения",
        D("1.0"),
        D("0.8"),
        D("2.5"),
        D("4.8"),
        D("0.91"),
        D(52000),
        SWITCHBOARD_STAGES,
    ),
    (
        "Щит защищённого исполнения",
        D("1.2"),
        D("0.9"),
        D("3.1"),
        D("5.2"),
        D("0.93"),
        D(24000),
        (
            ("Выставка", "0.90", "146.2", 3),
            ("Сборка", "4.80", "146.2", 2),
            ("Монтаж", "12.40", "149", 1),
            ("Прозвонка", "1.10", "149", 1),
            ("Ошиновка", "1.60", "149", 1),
            ("Контроль", "5.5", "149", 1),
        ),
    ),
    (
        "Пульт управления",
        D("0.8"),
        D("0.6"),
        D("2.0"),
        D("3.6"),
        D("0.95"),
        D(70000),
        (
            ("Сборка", "2.40", "146.2", 2),
            ("Монтаж", "5.90", "149", 1),
            ("Контроль", "2.6", "149", 1),
        ),
    ),
)


def _unit(*parts) -> Decimal:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def working_days() -> list[datetime.date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def step_routes(ctx: DemoContext) -> None:
    """Shop 6's regime and machines, the parts of shop 1 and their routes."""
    machining, assembly = ctx.shops[MACHINING], ctx.shops[ASSEMBLY]
    for shop in (machining, assembly):
        ensure(
            ShopSchedule,
            {"shop": shop},
            shift_coefficient=D("2.000"),
            norm_fulfilment=D("1.200"),
            shift_hours=D("8.00"),
            working_days_month=22,
        )
    groups = {
        name: ensure(
            EquipmentGroup,
            {"shop": machining, "name": name},
            units=units,
            shifts=shifts,
            repair_percent=repair,
        )
        for name, (units, shifts, repair) in EQUIPMENT.items()
    }
    for number, name, daily, _lead, _batch, turning, milling, _pace in PARTS:
        part = ensure(
            Part,
            {"enterprise": ctx.enterprise, "number": number},
            name=name,
            assembly_shop=assembly,
            daily_need=daily,
        )
        monthly = D(daily * 22)
        path = [(TURNING, turning)] + ([(MILLING, milling)] if milling else [])
        for sequence, (section, operations) in enumerate(path, start=1):
            route = ensure(
                Route,
                {"part": part, "section": ctx.sections[section]},
                sequence=sequence,
                batch_size=daily * 5,
                parallelism=D("0.600") if sequence == 1 else D("0.800"),
                natural_days=D("0.50") if sequence == 2 else D("0.00"),
                waiting_days=D("0.25"),
                monthly_output=monthly,
                safety_days=D("2.00"),
            )
            for index, (op_name, hours, group) in enumerate(operations, start=1):
                ensure(
                    RouteOperation,
                    {"route": route, "number": index * 5},
                    name=op_name,
                    piece_hours=D(hours),
                    equipment_group=groups[group],
                )


def step_supply(ctx: DemoContext) -> None:
    """The year's five-day need of each part and the stock counted at shop 1 each
    working day: the lead group Г plus the part's own lead (Р − Г) on the last count."""
    assembly = ctx.shops[ASSEMBLY]
    days = working_days()
    for number, _name, daily, lead, batch, *_rest in PARTS:
        part = Part.objects.get(enterprise=ctx.enterprise, number=number)
        ensure(
            PartSupply,
            {"part": part, "year": YEAR},
            enterprise=ctx.enterprise,
            period_need=D(daily * KITS_A_YEAR),
            ranks=52,
            batch=batch,
            lead_group=lead,
        )
        five_day = D(daily * KITS_A_YEAR) / 52
        for index, day in enumerate(days):
            drift = (D(len(days) - 1 - index) / 10) * (_unit(number, day) - D("0.5"))
            ranks = lead + STOCK_LEAD[number] + drift
            quantity = max((five_day * ranks).quantize(D(1)), D(0))
            ensure(
                ConsumerStock,
                {"part": part, "shop": assembly, "date": day},
                enterprise=ctx.enterprise,
                quantity=quantity,
            )


def step_journal(ctx: DemoContext) -> None:
    """The assembly's kits (one a working day, half on a Friday in October) and the
    registration journal of sections 6.2 and 6.1: each part's daily production at its
    own pace, turning a batch day ahead of milling."""
    assembly = ctx.shops[ASSEMBLY]
    days = working_days()
    for day in days:
        kits = D("0.5") if day.month == 10 and day.weekday() == 4 and day.day > 20 else D(1)
        ensure(AssemblyDay, {"shop": assembly, "date": day}, enterprise=ctx.enterprise, kits=kits)
    for number, _name, daily, _lead, _batch, _turning, milling, pace in PARTS:
        part = Part.objects.get(enterprise=ctx.enterprise, number=number)
        sections = [TURNING] + ([MILLING] if milling else [])
        for position, section in enumerate(sections):
            for index, day in enumerate(days):
                if index < position:
                    continue  # the milling starts a day after the turning
                jitter = D("0.7") + D("0.6") * _unit(number, section, day)
                quantity = (D(daily) * pace * jitter).quantize(D(1))
                ensure(
                    PartProduction,
                    {"part": part, "section": ctx.sections[section], "date": day},
                    enterprise=ctx.enterprise,
                    quantity=quantity,
                )


def step_assembly_floor(ctx: DemoContext) -> None:
    """Shop 1's floor (3420 m² of production, 740 of auxiliary area, two shifts of 250
    days) and its products of tables 12–13."""
    assembly = ctx.shops[ASSEMBLY]
    ensure(
        AssemblyArea,
        {"shop": assembly},
        production_area=D("3420.00"),
        auxiliary_area=D("740.00"),
        hours_year=D("4000.00"),
    )
    for name, length, width, area, assemblers, reduction, quantity, stages in PRODUCTS:
        product = ensure(
            AssemblyProduct,
            {"shop": assembly, "name": name},
            enterprise=ctx.enterprise,
            length=length,
            width=width,
            product_area=area,
            assemblers_area=assemblers,
            reduction=reduction,
            annual_quantity=quantity,
        )
        for number, (stage, labour, percent, workers) in enumerate(stages, start=1):
            ensure(
                AssemblyStage,
                {"product": product, "number": number},
                name=stage,
                labour_hours=D(labour),
                fulfilment_percent=D(percent),
                assemblers=workers,
            )


DEMO_STEPS = [step_routes, step_supply, step_journal, step_assembly_floor]
