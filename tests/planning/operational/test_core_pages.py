"""Operational scheduling's pages with hand-computed figures: a part's route with its
cycle and WIP norms, the Р − Г board, the proportionality file, the journal and the
planning card, the equipment load and the assembly floor of tables 12–13."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprise.models.roles import Role
from planning.operational import selectors
from planning.operational.models import AssemblyDay, ConsumerStock, PartSupply
from tests.planning.operational.factories import (
    AssemblyDayFactory,
    ConsumerStockFactory,
    EquipmentGroupFactory,
    PartFactory,
    PartProductionFactory,
    PartSupplyFactory,
    RouteFactory,
    RouteOperationFactory,
    table_13_area,
    table_13_product,
)

D = Decimal
DAY = datetime.date(2026, 10, 14)


@pytest.fixture
def plant(world):
    """Shaft 7-0001 (2 a kit for assembly shop B) runs A1 (turning: 0.5 + 0.7 h) then A2
    (milling 0.3 h); bush 7-0002 runs A1 only. October: A1 made 30 shafts, A2 18; the
    assembly assembled 10 kits (1–10 October)."""
    a, b = world.units["A"], world.units["B"]
    turning = EquipmentGroupFactory(shop=a, name="Токарные", units=5, shifts=2)
    milling = EquipmentGroupFactory(
        shop=a, name="Фрезерные", units=1, shifts=1, repair_percent=D(0)
    )
    shaft = PartFactory(assembly_shop=b, number="7-0001", name="Вал", daily_need=2)
    bush = PartFactory(assembly_shop=b, number="7-0002", name="Втулка", daily_need=4)
    first = RouteFactory(part=shaft, section=world.units["A1"], sequence=1)
    RouteOperationFactory(route=first, number=5, piece_hours=D("0.5"), equipment_group=turning)
    RouteOperationFactory(route=first, number=10, piece_hours=D("0.7"), equipment_group=turning)
    second = RouteFactory(part=shaft, section=world.units["A2"], sequence=2, monthly_output=D(440))
    RouteOperationFactory(route=second, number=5, piece_hours=D("0.3"), equipment_group=milling)
    bush_route = RouteFactory(part=bush, section=world.units["A1"], monthly_output=D(600))
    RouteOperationFactory(
        route=bush_route, number=5, piece_hours=D("0.24"), equipment_group=milling
    )
    PartSupplyFactory(part=shaft, lead_group=D(3))
    PartSupplyFactory(part=bush, period_need=D("10400"), lead_group=D(2))
    ConsumerStockFactory(part=shaft, date=datetime.date(2026, 10, 12), quantity=D(150))
    ConsumerStockFactory(part=shaft, shop=a, date=datetime.date(2026, 10, 12), quantity=D(100))
    ConsumerStockFactory(part=shaft, date=datetime.date(2026, 10, 5), quantity=D(900))
    ConsumerStockFactory(part=bush, date=datetime.date(2026, 10, 13), quantity=D(1000))
    for day, quantity in ((12, 20), (13, 10)):
        PartProductionFactory(
            part=shaft,
            section=world.units["A1"],
            date=datetime.date(2026, 10, day),
            quantity=D(quantity),
        )
    PartProductionFactory(
        part=shaft, section=world.units["A2"], date=datetime.date(2026, 10, 13), quantity=D(18)
    )
    for day in range(1, 11):
        AssemblyDayFactory(shop=b, date=datetime.date(2026, 10, day), kits=D(1))
    return {"shaft": shaft, "bush": bush, "first": first, "second": second, "turning": turning}


def test_a_route_shows_its_cycle_and_wip_norms_with_the_figures(plant):
    page = selectors.part_page(plant["shaft"])
    first = page.routes[0]
    # Тшт = (0.5 + 0.7) / 1.2 = 1.0; Тц = 1.0 × 40 × 0.6 / (8 × 2) + 1 + 0.25 × (2 − 1)
    assert first.piece_hours == D(1)
    assert first.cycle_days == D("2.75")
    assert first.wip == 55  # 440 / 22 × 2.75
    assert first.safety == 40  # 440 / 22 × 2
    second = page.routes[1]
    # 0.3 / 1.2 = 0.25; 0.25 × 40 × 0.6 / 16 + 1 + 0 = 1.375 → 1.38
    assert second.cycle_days == D("1.38")
    assert second.wip == 28  # 20 × 1.38 = 27.6 → 28
    assert page.total_cycle_days == D("4.13")


def test_the_part_page_fills_the_formulas_in(client, world, plant):
    client.force_login(world.users[Role.DISPATCHER])
    response = client.get(reverse("planning:part_detail", args=[plant["shaft"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Тц = Тшт × Н × Кп / (8 × Ксм)" in text
    assert "= 1 × 40 × 0,6 / (8 × 2) + 1 + 0,25 × (2 − 1) = <strong>2,75" in text
    assert "440 / 22 × 2,75 = <strong>55" in text


def test_the_board_puts_deficits_first_from_the_latest_count(world, plant):
    supplies = PartSupply.objects.filter(year=2026)
    calendar = selectors.five_day_calendar(world.enterprise.pk, 2026)
    board = selectors.supply_board(supplies, DAY, calendar)
    shaft, bush = board.rows
    # ПП = 5200 / 52 = 100; the count of 12.10: 150 + 100 = 250 → Р 2.5, Р − Г = −0.5
    assert shaft.part_id == plant["shaft"].pk
    assert (shaft.counted_on, shaft.stock, shaft.rank, shaft.indicator) == (
        datetime.date(2026, 10, 12),
        D(250),
        D("2.50"),
        D("-0.50"),
    )
    # ПП = 10400 / 52 = 200; 1000 / 200 = 5 → 5 − 2 = +3
    assert (bush.rank, bush.indicator) == (D("5.00"), D("3.00"))
    assert board.deficits == 1
    # Before the 12th only the count of the 5th is known: 900 / 100 − 3 = +6.
    earlier = selectors.supply_board(supplies, datetime.date(2026, 10, 9), calendar)
    assert earlier.rows[-1].indicator == D("6.00")


def test_the_calendar_counts_working_five_days(world):
    calendar = selectors.five_day_calendar(world.enterprise.pk, 2026)
    assert len(calendar) == 52
    assert calendar[0].days[0] == datetime.date(2026, 1, 1)  # a Thursday
    assert calendar[0].last == datetime.date(2026, 1, 7)  # Thu, Fri, Mon, Tue, Wed
    assert all(len(rank.days) == 5 for rank in calendar[:-1])


def test_the_board_page_refreshes_itself_and_pins_its_queries(
    client, world, plant, django_assert_max_num_queries
):
    client.force_login(world.users[Role.DISPATCHER])
    url = reverse("planning:rhythm_board") + "?day=2026-10-14"
    with django_assert_max_num_queries(9):
        response = client.get(url)
    text = response.content.decode()
    assert '<meta http-equiv="refresh" content="60">' in text
    assert text.index("7-0001") < text.index("7-0002")
    assert "−0,50" in text and "+3,00" in text
    assert "<svg" in text


def test_the_proportionality_file_gives_input_and_output_deficits(world, plant):
    from planning.operational.models import Part

    page = selectors.kits_page(Part.objects.all(), world.units["B"], DAY)
    assert (page.assembled, page.kit) == (D(10), 10)
    shaft = next(row for row in page.rows if row.part == plant["shaft"])
    # launch on A1: 30 / 2 = kit 15 → +5 days, +10 pieces; release on A2: 18 / 2 = 9 → −1, −2
    assert (shaft.input_lead.kit, shaft.input_lead.days, shaft.input_lead.pieces) == (15, 5, D(10))
    assert (shaft.output_lead.kit, shaft.output_lead.days, shaft.output_lead.pieces) == (
        9,
        -1,
        D(-2),
    )
    assert shaft.deficit
    bush = next(row for row in page.rows if row.part == plant["bush"])
    assert (bush.output_lead.kit, bush.output_lead.days, bush.output_lead.pieces) == (
        0,
        -10,
        D(-40),
    )
    assert page.rows[0].part == plant["bush"]  # the deepest deficit first


def test_the_planning_card_runs_the_cumulative_against_the_assembly(plant):
    lines = selectors.planning_card(plant["first"], 2026)
    assert [(x.date.day, x.cumulative, x.kit, x.assembly_kit, x.lead.days) for x in lines] == [
        (12, D(20), 10, 10, 0),
        (13, D(30), 15, 10, 5),
    ]


def test_the_journal_lays_out_the_month_by_day(world, plant):
    journal = selectors.section_journal(world.units["A1"], world.period(2026, 10))
    (row,) = journal.rows
    assert row.by_day[11] == D(20) and row.by_day[12] == D(10) and row.by_day[0] is None
    assert (row.month, row.cumulative, row.kit) == (D(30), D(30), 15)


def test_equipment_load_by_month_marks_the_bottlenecks(world, plant):
    page = selectors.capacity_page(world.units["A"], 2026)
    turning, milling = page.groups
    assert turning.group.name == "Токарные"
    # need: (0.5 + 0.7) × 440 / 1.2 = 440 machine-hours a month
    assert turning.need == D("440.00")
    january = turning.months[0]
    # 5 × 2 × 8 × 22 (no January period: the shop's 22) × 0.96 = 1689.60
    assert (january.fund, january.load) == (D("1689.60"), D("0.2604"))
    october = turning.months[9]
    assert october.working_days == world.period(2026, 10).working_days
    # milling: (0.3 × 440 + 0.24 × 600) / 1.2 = 230 h against 1 × 1 × 8 × 22 = 176 h
    assert milling.need == D("230.00")
    assert milling.months[0].load == D("1.3068")
    assert milling.bottleneck and not turning.bottleneck
    assert page.bottlenecks == [milling]


def test_the_assembly_floor_of_tables_12_and_13(world):
    shop = world.units["B"]
    table_13_product(shop, annual_quantity=D(10))
    table_13_area(shop, hours_year=D("4000"))
    area = selectors.area_use(shop)
    (product,) = area.products
    assert product.cycle_hours == D("12.30")
    assert product.area_hours == D("89.79")  # 7.3 × 12.3
    assert product.reduced_hours == D("81.71")  # × 0.91, the table's 81.7
    assert area.need == D("817.10")
    assert area.available == D("13680000")  # 3420 m² × 4000 h
    assert area.use == D("0.0001")


def test_the_area_formula_shows_the_cycle_it_multiplies(client, world):
    """A cycle of 6,53 h was printed 6,5 and the line read «5,6 × 6,5 = 36,57»."""
    shop = world.units["B"]
    table_13_product(shop, annual_quantity=D(10))
    (product,) = selectors.area_use(shop).products
    stage = product.product.stages.get(name__icontains="онтаж")
    stage.labour_hours = D("9.22")  # 9,22 / 1,49 = 6,19 h instead of 6,15: cycle 12,33 h
    stage.save()
    client.force_login(world.users[Role.PRODUCTION_HEAD])
    text = client.get(reverse("planning:capacity", args=[shop.pk])).content.decode()
    assert 'data-testid="cycle-hours">12,33<' in text
    # 7,3 × 12,33 = 90,009 → 90,01
    assert '7,3 × 12,33 = <span data-testid="area-hours">90,01<' in text


def test_the_capacity_page_shows_the_81_7_and_the_load_chart(client, world, plant):
    table_13_product(world.units["B"])
    table_13_area(world.units["B"])
    client.force_login(world.users[Role.PRODUCTION_HEAD])
    text = client.get(reverse("planning:capacity", args=[world.units["B"].pk])).content.decode()
    assert 'data-testid="cycle-hours">12,3<' in text
    assert 'data-testid="area-hours">89,79<' in text
    assert 'data-testid="reduced-hours">81,7<' in text
    # The formula multiplies what it shows: 81,71 (not the headline's 81,7) × the quantity.
    assert "81,71 × " in text
    text = client.get(reverse("planning:capacity", args=[world.units["A"].pk])).content.decode()
    assert "Узкие места" in text and "<svg" in text


def test_the_bureau_records_a_stock_and_a_day_of_assembly(client, world, plant):
    client.force_login(world.users[Role.DISPATCHER])
    response = client.post(
        reverse("planning:stock_record"),
        {
            "part": plant["shaft"].pk,
            "shop": world.units["A"].pk,
            "date": "2026-10-12",
            "quantity": "120,5",
        },
    )
    assert response.status_code == 302
    stock = ConsumerStock.objects.get(
        part=plant["shaft"], shop=world.units["A"], date=DAY.replace(day=12)
    )
    assert stock.quantity == D("120.5")  # the same day's count replaced
    # A closed month is refused next to the date.
    response = client.post(
        reverse("planning:stock_record"),
        {
            "part": plant["shaft"].pk,
            "shop": world.units["A"].pk,
            "date": "2026-09-10",
            "quantity": "5",
        },
    )
    assert response.status_code == 200
    assert "закрыт" in response.content.decode()
    # Shop B's assembly is not the shop A dispatcher's to record.
    response = client.post(
        reverse("planning:assembly_day_record", args=[world.units["B"].pk]),
        {"date": "2026-10-14", "kits": "1"},
    )
    assert response.status_code == 404
    client.force_login(world.users[Role.ADMINISTRATOR])
    response = client.post(reverse("planning:stock_record"), {"part": plant["shaft"].pk})
    assert response.status_code == 404


def test_a_route_is_edited_with_its_operations(client, world, plant):
    client.force_login(world.users[Role.ECONOMIST])
    route = plant["first"]
    url = reverse("planning:route_edit", args=[route.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The operations grid: bare styled inputs under its column heads, not a label in each
    # cell (they pushed the rows apart and squeezed the operation's name).
    grid = page.content.decode().split('data-testid="operations"')[1].split("</table>")[0]
    grid_body = grid.split("<tbody>")[1]
    assert "<label" not in grid_body
    assert 'name="ops-0-name"' in grid_body and "form-control form-control-sm" in grid_body
    assert 'class="form-select form-select-sm"' in grid_body
    form = page.context["form"]
    ops = list(route.operations.order_by("number"))
    data = {
        "version": form["version"].value(),
        "section": route.section_id,
        "sequence": "1",
        "batch_size": "50",
        "parallelism": "0,6",
        "natural_days": "1",
        "waiting_days": "0,25",
        "monthly_output": "440",
        "safety_days": "2",
        "ops-TOTAL_FORMS": "3",
        "ops-INITIAL_FORMS": "2",
        "ops-MIN_NUM_FORMS": "0",
        "ops-MAX_NUM_FORMS": "60",
        "ops-0-id": ops[0].pk,
        "ops-0-number": "5",
        "ops-0-name": "Токарная",
        "ops-0-piece_hours": "0,5",
        "ops-0-equipment_group": plant["turning"].pk,
        "ops-1-id": ops[1].pk,
        "ops-1-number": "10",
        "ops-1-name": "Токарная",
        "ops-1-piece_hours": "0,7",
        "ops-1-equipment_group": "",
        "ops-1-DELETE": "on",
        "ops-2-id": "",
        "ops-2-number": "15",
        "ops-2-name": "Шлифовальная",
        "ops-2-piece_hours": "0,1",
        "ops-2-equipment_group": "",
    }
    # Kп out of its column's range: said in Russian figures by the form, not Django's
    # «больше либо равно 0.01» from the model.
    refused = client.post(url, {**data, "parallelism": "-1"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["parallelism"] == [
        "Слишком маленькое число: не меньше 0,01."
    ]
    refused = client.post(url, {**data, "parallelism": "1,5"})
    assert refused.context["form"].errors["parallelism"] == ["Слишком большое число: не больше 1."]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    route.refresh_from_db()
    assert route.batch_size == 50
    assert [(o.number, o.piece_hours) for o in route.operations.order_by("number")] == [
        (5, D("0.5000")),
        (15, D("0.1000")),
    ]
    # The shop A economist keeps no route of shop B's sections.
    other = RouteFactory(part=plant["bush"], section=world.units["B1"])
    assert client.get(reverse("planning:route_edit", args=[other.pk])).status_code == 404


def test_the_parts_list_pins_its_queries(client, world, plant, django_assert_max_num_queries):
    client.force_login(world.users[Role.MASTER])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("planning:part_list"))
    assert response.status_code == 200
    assert "7-0001" in response.content.decode()


def test_a_worker_sees_none_of_it_and_other_sections_see_only_their_parts(client, world, plant):
    client.force_login(world.users[Role.WORKER])
    assert client.get(reverse("planning:rhythm_board")).status_code == 404
    assert AssemblyDay.objects.visible_to(world.users[Role.MASTER]).count() == 0
    from planning.operational.models import Part

    assert set(Part.objects.visible_to(world.users[Role.MASTER])) == {plant["shaft"], plant["bush"]}


@pytest.mark.parametrize(
    ("name", "args", "query", "queries"),
    [
        ("planning:kits", ("B",), "?day=2026-10-14", 12),
        ("planning:capacity", ("A",), "?year=2026", 12),
        ("planning:journal", ("A1",), "", 10),
        ("planning:part_detail", (), "", 10),
        ("planning:rhythm_calendar", (), "?year=2026", 6),
    ],
)
def test_the_pages_pin_their_queries(
    client, world, plant, django_assert_max_num_queries, name, args, query, queries
):
    client.force_login(world.users[Role.DISPATCHER])
    pks = [world.units[key].pk for key in args] or [plant["shaft"].pk]
    if name == "planning:rhythm_calendar":
        pks = []
    url = reverse(name, args=pks) + query
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_journal_of_a_closed_month_says_it_is_frozen(client, world, plant):
    client.force_login(world.users[Role.MASTER])
    url = reverse("planning:journal", args=[world.units["A1"].pk])
    closed = client.get(url + f"?period={world.period(2026, 9).pk}").content.decode()
    assert 'data-testid="frozen-note"' in closed
    october = client.get(url + f"?period={world.period(2026, 10).pk}").content.decode()
    assert 'data-testid="frozen-note"' not in october
    assert 'data-testid="journal"' in october


def test_the_administrator_keeps_parts_and_routes_in_the_admin(client, world, plant):
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.get(reverse("admin:planning_part_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:planning_route_change", args=[plant["first"].pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:planning_consumerstock_add")).status_code == 403
    client.force_login(world.users[Role.DISPATCHER])
    assert client.get(reverse("admin:planning_part_changelist")).status_code == 302


def test_a_route_refuses_an_operation_number_twice(world, plant):
    from django.core.exceptions import ValidationError

    from planning.operational import services
    from planning.operational.models import RouteOperation

    route = plant["first"]
    clash = RouteOperation(number=10, name="Шлифовальная", piece_hours=D("0.1"))
    with pytest.raises(ValidationError, match="повторяются"):
        services.route_save(route=route, operations=[clash], user=world.users[Role.DISPATCHER])
    assert route.operations.count() == 2


def test_the_load_chart_flags_the_groups_over_their_fund(world, plant):
    from planning.operational.views import _load_chart

    svg = str(_load_chart(selectors.capacity_page(world.units["A"], 2026)))
    # milling at 130.7 % is flagged, turning at 26 % is not
    assert svg.count("tooltip-trigger below") == 1
