"""The demo's operational scheduling: shop 6 making shop 1's parts, the floor of tables
12–13 (the reference data loaded twice, the second time writing nothing)."""

import datetime
import io
from decimal import Decimal

from enterprise.demo import DemoContext
from enterprise.models import HistoryRecord
from planning.operational import demo, selectors
from planning.operational.models import Part, PartSupply
from tests.factories import EnterpriseFactory, SectionFactory, ShopFactory

D = Decimal


def _context() -> DemoContext:
    enterprise = EnterpriseFactory(name="ЧМЗ-демо", short_name="ЧМЗ")
    assembly = ShopFactory(enterprise=enterprise, number=1, name="Сборочный")
    machining = ShopFactory(enterprise=enterprise, number=6, name="Механический")
    sections = {
        (6, 1): SectionFactory(shop=machining, number=1, name="Фрезерный"),
        (6, 2): SectionFactory(shop=machining, number=2, name="Токарный"),
    }
    return DemoContext(
        stdout=io.StringIO(),
        enterprise=enterprise,
        shops={1: assembly, 6: machining},
        sections=sections,
    )


def test_the_demo_shows_deficits_a_bottleneck_and_the_floor_of_table_13(db):
    ctx = _context()
    for step in demo.DEMO_STEPS:
        step(ctx)
    written = HistoryRecord.objects.count()
    demo.step_routes(ctx)
    demo.step_assembly_floor(ctx)
    assert HistoryRecord.objects.count() == written  # a second load writes nothing

    day = datetime.date(2026, 11, 20)
    calendar = selectors.five_day_calendar(ctx.enterprise.pk, 2026)
    board = selectors.supply_board(PartSupply.objects.all(), day, calendar)
    assert [row.number for row in board.rows[:2]] == ["8А-102", "8А-101"]
    assert board.deficits == 3
    kits = selectors.kits_page(Part.objects.all(), ctx.shops[1], day)
    assert kits.rows[0].part.number == "8А-102" and kits.rows[0].output_lead.days < 0
    capacity = selectors.capacity_page(ctx.shops[6], 2026)
    assert [row.group.name for row in capacity.bottlenecks] == ["Шлифовальные станки"]
    area = selectors.area_use(ctx.shops[1])
    switchboard = next(p for p in area.products if p.product.name == "Щит открытого исполнения")
    assert (switchboard.cycle_hours, switchboard.area_hours, switchboard.reduced_hours) == (
        D("12.30"),
        D("89.79"),
        D("81.71"),
    )
    assert area.use == D("0.7006")  # the booklet's shop: 0.7
