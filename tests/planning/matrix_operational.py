"""Permission-matrix rows of operational scheduling (routes, five-day ranks, kits,
capacity).

Objects (see :func:`objects`): a shaft assembled by shop B whose route runs through
section A1 («part via A1», its «route of A1»), a plate shop A assembles itself («part
assembled by A»), a part made on B1 only («part of B1»,
«route of B1»), a part of the other plant, and shop B as the assembly shop of them
(«assembly shop B»). The rows also name the world's shops and sections.

Who (``planning/operational/permissions.py``): everyone but a worker reads the pages,
each the rows of his unit (a part is seen by its plant, its assembly shop and the shops
and sections on its route); the dispatcher and the economist keep the parts their shop
assembles and the routes of their shop's sections; the dispatcher and the shop head
record the stocks and the assembly's days of their shop.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.permission_matrix import BACK, LOGIN, Pk, Redirect, get, post

L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
RB = Redirect("planning:rhythm_board")

ROUTE = {
    "version": "",
    "section": Pk("section A2"),
    "sequence": "2",
    "batch_size": "20",
    "parallelism": "1",
    "natural_days": "0",
    "waiting_days": "0,5",
    "monthly_output": "220",
    "safety_days": "1",
    "ops-TOTAL_FORMS": "1",
    "ops-INITIAL_FORMS": "0",
    "ops-MIN_NUM_FORMS": "0",
    "ops-MAX_NUM_FORMS": "60",
    "ops-0-id": "",
    "ops-0-number": "5",
    "ops-0-name": "Фрезерная",
    "ops-0-piece_hours": "0,3",
    "ops-0-equipment_group": "",
}
PART = {
    "version": "",
    "number": "7-0099",
    "name": "Кронштейн",
    "assembly_shop": Pk("shop A"),
    "daily_need": "2",
}
STOCK = {"part": Pk("part via A1"), "shop": Pk("shop A"), "date": "2026-10-14", "quantity": "120"}
STOCK_CLOSED = {**STOCK, "date": "2026-09-14"}
DAY = {"date": "2026-10-14", "kits": "1"}

# fmt: off
ROWS = [
    # url name, object,                                 anon wrk brg mst shp dsp eco lab prh dep adm
    get("planning:part_list", None,                     L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:part_list", None,                     L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"_export": "xlsx"}),
    # parts: the dispatcher and the economist of the assembly shop
    get("planning:part_create", None,                   L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
    post("planning:part_create", None,                  L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
         data=PART),
    get("planning:part_edit", "part assembled by A",    L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
    get("planning:part_edit", "part via A1",            L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:part_edit", "part of other plant",    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:part_detail", "part assembled by A",  L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:part_detail", "part via A1",          L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:part_detail", "part of B1",           L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:part_detail", "part of other plant",  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # routes: the dispatcher and the economist of the shop of the route's section
    get("planning:route_create", "part via A1",         L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
    post("planning:route_create", "part via A1",        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
         data=ROUTE),
    get("planning:route_create", "part of B1",          L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:route_create", "part of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:route_edit", "route of A1",           L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
    get("planning:route_edit", "route of B1",           L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:route_edit", "route of other plant",  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:planning_card", "route of A1",        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:planning_card", "route of B1",        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:planning_card", "route of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # the five-day ranks: the board of the user's parts (an assembly shop his parts go to)
    get("planning:rhythm_board", None,                  L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:rhythm_board", None,                  L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"day": "2026-10-14", "shop": Pk("assembly shop B"), "screen": "1"}),
    get("planning:rhythm_board", None,                  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
        query={"shop": Pk("shop of other plant")}),
    get("planning:rhythm_calendar", None,               L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:stock_record", None,                  L,  NF, NF, NF, ok, ok, NF, NF, NF, NF, NF),
    post("planning:stock_record", None,                 L,  NF, NF, NF, RB, RB, NF, NF, NF, NF, NF,
         data=STOCK),
    # a count in a closed month is refused next to its date (the form again)
    post("planning:stock_record", None,                 L,  NF, NF, NF, ok, ok, NF, NF, NF, NF, NF,
         data=STOCK_CLOSED),
    # daily kits: an assembly shop the user sees or that assembles his parts
    get("planning:kits_index", None,                    L,  NF, BK, BK, BK, BK, BK, BK, BK, BK, BK),
    get("planning:kits", "assembly shop B",             L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"day": "2026-10-14"}),
    get("planning:kits", "shop A",                      L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:kits", "shop of other plant",         L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:assembly_day_record", "shop A",       L,  NF, NF, NF, ok, ok, NF, NF, NF, NF, NF),
    post("planning:assembly_day_record", "shop A",      L,  NF, NF, NF, BK, BK, NF, NF, NF, NF, NF,
         data=DAY),
    get("planning:assembly_day_record", "shop of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    post("planning:assembly_day_record", "assembly shop B",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=DAY),
    get("planning:journal", "section A1",               L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:journal", "section B1",               L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:journal", "section of other plant",   L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # capacity: the shops the user sees
    get("planning:capacity_index", None,                L,  NF, BK, BK, BK, BK, BK, BK, BK, BK, BK),
    get("planning:capacity", "shop A",                  L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"year": "2026"}),
    get("planning:capacity", "shop B",                  L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:capacity", "shop of other plant",     L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
]
# fmt: on

OBJECTS = frozenset(
    {
        "part via A1",
        "part assembled by A",
        "part of B1",
        "part of other plant",
        "route of A1",
        "route of B1",
        "route of other plant",
        "assembly shop B",
    }
)


def objects(world) -> dict:
    """The parts and routes the rows name, with a supply plan, a stock and a day's
    production of the shaft (October 2026)."""
    from tests.planning.operational.factories import (
        ConsumerStockFactory,
        PartFactory,
        PartProductionFactory,
        PartSupplyFactory,
        RouteFactory,
        RouteOperationFactory,
    )

    units = world.units
    shaft = PartFactory(assembly_shop=units["B"], number="7-0001", name="Вал")
    route_a1 = RouteFactory(part=shaft, section=units["A1"])
    RouteOperationFactory(route=route_a1, number=5, piece_hours=Decimal("0.5"))
    b1_part = PartFactory(assembly_shop=units["B"], number="7-0002", name="Корпус")
    route_b1 = RouteFactory(part=b1_part, section=units["B1"])
    RouteOperationFactory(route=route_b1, number=5)
    own = PartFactory(assembly_shop=units["A"], number="7-0003", name="Планка")
    RouteFactory(part=own, section=units["A2"])
    other = PartFactory(assembly_shop=units["other_shop"], number="7-0001", name="Вал")
    route_other = RouteFactory(part=other, section=units["other_section"])
    PartSupplyFactory(part=shaft)
    ConsumerStockFactory(part=shaft)
    PartProductionFactory(
        part=shaft, section=units["A1"], date=datetime.date(2026, 10, 13), quantity=Decimal(12)
    )
    return {
        "part via A1": shaft,
        "part assembled by A": own,
        "part of B1": b1_part,
        "part of other plant": other,
        "route of A1": route_a1,
        "route of B1": route_b1,
        "route of other plant": route_other,
        "assembly shop B": units["B"],
    }
