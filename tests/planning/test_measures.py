"""Org-technical measures (§5, tables 20–21): the calculation, the summary by factors,
the share of growth from measures, the services, the pages and who may use them.

The vectors: polishing the shuttle spring with diamond tape — (0,45 − 0,29) × 216 900 =
34 704 norm-hours, 34 704 / (1 807 × 1,2) = 16,0 workers; table 21's factor
«внедрение прогрессивной технологии» — plastic parts 10 800 norm-hours (5 workers),
boring with cutters 4 340 (2), the spring 34 704 (16), 123 993 norm-hours and 58
workers in all: with the plant's 5 321 people, 0,09 / 0,04 / 0,30 and 1,09 %.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from enterprise import demo
from enterprise.models import HistoryRecord, Period
from enterprise.models.roles import Role
from planning.measures import demo as demo_measures
from planning.measures import rules, selectors, services
from planning.models import Factor, FactorGroup, OrgMeasure, SavingsEntry
from tests.factories import PeriodFactory, WorkerFactory
from tests.pages import text_of
from tests.planning import matrix_measures
from tests.planning.factories import OrgMeasureFactory

D = Decimal
NBSP = "\u00a0"
S = OrgMeasure.Status


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


# Table 21, «внедрение прогрессивной технологии»: (name, В1, В2, Д, К).
TABLE_21 = [
    ("Замена металлических деталей пластмассовыми", "0.300", "0.120", "60000", "1.200"),
    ("Растачивание резцами вместо шлифования", "0.250", "0.180", "62000", "1.200"),
    ("Полирование пружины челнока алмазной лентой", "0.450", "0.290", "216900", "1.200"),
    ("Накатывание резьбы вместо нарезания", "0.540", "0.300", "200000", "1.200"),
    ("Холодная высадка заготовок осей", "0.259", "0.180", "331000", "1.124"),
]


@pytest.fixture
def table_21(world):
    """Table 21's factor in section A1, referred to the plant's 5 321 people."""
    rows = []
    for number, (name, before, after, quantity, fulfilment) in enumerate(TABLE_21):
        rows.append(
            OrgMeasureFactory(
                section=world.units["A1"],
                name=name,
                labour_before=D(before),
                labour_after=D(after),
                annual_quantity=D(quantity),
                norm_fulfilment=D(fulfilment),
                headcount=5321,
                deadline=datetime.date(2026, 6 + number, 1),
            )
        )
    return rows


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- the calculation -------------------------------------------------------------------------


def test_it_computes_the_shuttle_spring_of_section_5(world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    assert measure.reduction == D("34704")
    assert rules.released_places(measure.released) == D("16.0")
    calc = selectors.calculation(measure)
    assert plain(calc.reduction_line) == (
        "Т = (В1 − В2) × Д = (0,45 − 0,29) × 216 900 = 34 704 нормо-ч"
    )
    assert plain(calc.released_line) == "А = Т / (Ф × К) = 34 704 / (1 807 × 1,2) = 16,0 чел."
    assert plain(calc.growth_line) == "Рост = А / Ч × 100 = 16,0 / 5 321 × 100 = 0,30 %"


def test_it_shows_the_calculation_on_the_measures_page(client, world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    response = _client(world.users[Role.MASTER]).get(measure.get_absolute_url())
    text = plain(text_of(response.content))
    assert "(0,45 − 0,29) × 216 900 = 34 704 нормо-ч" in text
    assert "34 704 / (1 807 × 1,2) = 16,0 чел." in text
    assert "16,0 / 5 321 × 100 = 0,30 %" in text
    assert "Внедрение прогрессивной технологии" in text


# --- the summary (table 21) ------------------------------------------------------------------


def test_it_sums_table_21_by_factor_with_the_plants_headcount(world, table_21):
    a1 = selectors.Unit("section", world.units["A1"])
    result = selectors.summary(world.users[Role.MASTER], a1, 2026)
    assert result.headcount == 5321
    [group] = result.groups
    assert group.group == FactorGroup.TECHNICAL
    [block] = group.factors
    assert block.factor == Factor.PROGRESSIVE_TECHNOLOGY
    shown = [
        (
            line.measure.name,
            line.figures.reduction,
            rules.released_places(line.figures.released),
            line.figures.growth.quantize(D("0.01")),
        )
        for line in block.lines
    ]
    assert shown[:3] == [
        ("Замена металлических деталей пластмассовыми", D("10800"), D("5.0"), D("0.09")),
        ("Растачивание резцами вместо шлифования", D("4340"), D("2.0"), D("0.04")),
        ("Полирование пружины челнока алмазной лентой", D("34704"), D("16.0"), D("0.30")),
    ]
    for figures in (block.figures, group.figures, result.figures):
        assert figures.reduction == D("123993")
        assert rules.released_places(figures.released) == D("58.0")
        assert figures.growth.quantize(D("0.01")) == D("1.09")


def test_it_shows_table_21_on_the_summary_page(world, table_21):
    a1 = world.units["A1"]
    response = _client(world.users[Role.ECONOMIST]).get(
        reverse("planning:measure_summary"), {"unit": f"section:{a1.pk}", "year": "2026"}
    )
    assert response.status_code == 200
    text = plain(text_of(response.content))
    assert "Численность подразделения — 5 321 чел." in text
    assert (
        "Замена металлических деталей пластмассовыми цех 6, уч. 1 запланировано 10 800 5,0 0,09"
        in text
    )
    assert (
        "Растачивание резцами вместо шлифования цех 6, уч. 1 запланировано 4 340 2,0 0,04" in text
    )
    assert "алмазной лентой цех 6, уч. 1 запланировано 34 704 16,0 0,30" in text
    assert "Внедрение прогрессивной технологии 123 993 58,0 1,09" in text
    assert "Итого: 5 мероприятий 123 993 58,0 1,09" in text


def test_it_refers_a_shop_to_the_sum_of_its_sections_headcounts(world, table_21):
    # A1: its measures' 5 321; A2: no measures — its two active workers.
    shop = selectors.Unit("shop", world.units["A"])
    result = selectors.summary(world.users[Role.SHOP_HEAD], shop, 2026)
    assert result.headcount == 5323
    assert result.figures.reduction == D("123993")
    plant = selectors.Unit("enterprise", world.enterprise)
    assert selectors.summary(world.users[Role.LABOUR], plant, 2026).headcount == 5325


def test_it_leaves_cancelled_measures_and_other_years_out_of_the_summary(world, table_21):
    a1 = world.units["A1"]
    OrgMeasureFactory(section=a1, status=S.CANCELLED, headcount=10, name="Отменённое")
    OrgMeasureFactory(section=a1, year=2025, headcount=10, name="Прошлогоднее")
    result = selectors.summary(world.users[Role.MASTER], selectors.Unit("section", a1), 2026)
    assert result.count == 5
    assert result.headcount == 5321  # the cancelled one's headcount does not count either
    assert result.figures.reduction == D("123993")


def test_it_takes_the_latest_measures_headcount_for_a_section(world):
    a1 = world.units["A1"]
    OrgMeasureFactory(section=a1, headcount=40)
    OrgMeasureFactory(section=a1, headcount=42, factor=Factor.SERVICE_ZONES)
    result = selectors.summary(world.users[Role.MASTER], selectors.Unit("section", a1), 2026)
    assert result.headcount == 42
    # 2 × 16.004… workers of 42: organisation and technical groups, in table 20's order
    assert [g.group for g in result.groups] == [FactorGroup.TECHNICAL, FactorGroup.ORGANISATION]
    assert result.figures.growth.quantize(D("0.01")) == D("76.21")


def test_it_exports_the_summary_as_a_workbook(world, table_21):
    a1 = world.units["A1"]
    response = _client(world.users[Role.MASTER]).get(
        reverse("planning:measure_summary"),
        {"unit": f"section:{a1.pk}", "year": "2026", "_export": "xlsx"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == ["Численность подразделения, чел.", 5321] + [None] * 4
    assert ["Повышение технического уровня производства", None, None, 123993, 58, 1.09] in rows
    assert ["  Внедрение прогрессивной технологии", None, None, 123993, 58, 1.09] in rows
    spring = next(r for r in rows if "пружины" in str(r[0]))
    assert spring[3:] == [34704, 16.0, 0.3]
    assert rows[-1] == ["Итого", None, None, 123993, 58, 1.09]


def test_it_offers_each_role_the_units_it_sees_whole(world):
    def keys(role):
        return [u.key for u in selectors.summary_units(world.users[role])]

    units = world.units
    assert keys(Role.LABOUR)[0] == f"enterprise:{world.enterprise.pk}"
    assert keys(Role.SHOP_HEAD) == [
        f"shop:{units['A'].pk}",
        f"section:{units['A1'].pk}",
        f"section:{units['A2'].pk}",
    ]
    # a master's shop is seen as the shop of his section only: not a unit to sum up
    assert keys(Role.MASTER) == [f"section:{units['A1'].pk}"]
    assert keys(Role.WORKER) == [f"section:{units['A1'].pk}"]


def test_it_ignores_a_unit_the_user_does_not_see(world, table_21):
    b1 = world.units["B1"]
    response = _client(world.users[Role.MASTER]).get(
        reverse("planning:measure_summary"), {"unit": f"section:{b1.pk}"}
    )
    assert response.context["unit"].obj == world.units["A1"]


# --- the share of growth from measures (§5, last paragraph) ------------------------------------


def test_it_gives_each_sections_growth_from_its_measures(world, table_21):
    units = world.units
    OrgMeasureFactory(section=units["A1"], status=S.CANCELLED, headcount=5321)
    OrgMeasureFactory(section=units["B1"], headcount=2, labour_before=D("0.100"),
                      labour_after=D("0.090"), annual_quantity=D("21684"))  # fmt: skip
    shares = selectors.growth_from_measures([units["A1"].pk, units["A2"].pk, units["B1"].pk], 2026)
    reduction, released, growth = shares[units["A1"].pk]
    assert reduction == D("123993")
    assert rules.released_places(released) == D("58.0")
    assert growth.quantize(D("0.01")) == D("1.09")
    assert shares[units["A2"].pk] == (D(0), D(0), D(0))
    # 216,84 norm-hours / 2 168,4 = 0,1 worker of 2: 5 %
    reduction, released, growth = shares[units["B1"].pk]
    assert (reduction, released, growth) == (D("216.840"), D("0.1"), D("5"))


def test_it_answers_the_share_in_a_few_queries(world, table_21, django_assert_max_num_queries):
    ids = [world.units[key].pk for key in ("A1", "A2", "B1")]
    with django_assert_max_num_queries(2):
        selectors.growth_from_measures(ids, 2026)


# --- services --------------------------------------------------------------------------------


def _new(world, section="A1", **values) -> OrgMeasure:
    fields = {
        "section": world.units[section],
        "year": 2026,
        "name": "Полирование пружины челнока алмазной лентой",
        "factor": Factor.PROGRESSIVE_TECHNOLOGY,
        "responsible": "Технолог Петров П. П.",
        "deadline": datetime.date(2026, 12, 1),
        "labour_before": D("0.450"),
        "labour_after": D("0.290"),
        "annual_quantity": D("216900"),
        **values,
    }
    return OrgMeasure(**fields)


def test_it_refers_a_new_measure_to_the_sections_active_workers(world):
    WorkerFactory(section=world.units["A1"], dismissal_date=datetime.date(2026, 1, 31))
    measure = services.measure_create(
        measure=_new(world), authors=[world.worker], user=world.users[Role.MASTER]
    )
    measure.refresh_from_db()
    assert measure.headcount == 2
    assert measure.enterprise == world.enterprise
    assert measure.status == S.PLANNED
    assert list(measure.authors.all()) == [world.worker]
    history = HistoryRecord.objects.filter(group=measure.history_group())
    assert history.filter(action="create", actor=world.users[Role.MASTER]).exists()
    assert history.filter(changes__has_key="авторы и участники").exists()


def test_it_keeps_an_entered_headcount(world):
    measure = services.measure_create(
        measure=_new(world, headcount=5321), user=world.users[Role.ECONOMIST]
    )
    assert measure.headcount == 5321


def test_it_refuses_authors_of_another_section(world):
    stranger = world.workers["A2"][0]
    with pytest.raises(ValidationError) as refused:
        services.measure_create(
            measure=_new(world), authors=[stranger], user=world.users[Role.SHOP_HEAD]
        )
    assert "authors" in refused.value.message_dict


def test_it_lets_only_the_sections_master_shop_head_and_economist_create(world):
    for role in (Role.MASTER, Role.SHOP_HEAD, Role.ECONOMIST):
        with transaction.atomic():
            services.measure_create(measure=_new(world), user=world.users[role])
    for role in (Role.DISPATCHER, Role.LABOUR, Role.WORKER, Role.BRIGADE_LEADER):
        with pytest.raises(PermissionDenied):
            services.measure_create(measure=_new(world), user=world.users[role])
    with pytest.raises(PermissionDenied):  # the master of A1 in A2
        services.measure_create(measure=_new(world, "A2"), user=world.users[Role.MASTER])


def test_it_moves_a_measure_through_its_states(world):
    master = world.users[Role.MASTER]
    measure = OrgMeasureFactory(section=world.units["A1"])
    with pytest.raises(ValidationError) as skipped:
        services.measure_set_status(
            measure=measure, status=S.DONE, completed_on=datetime.date(2026, 11, 20), user=master
        )
    assert "status" in skipped.value.message_dict
    measure = services.measure_set_status(measure=measure, status=S.IN_PROGRESS, user=master)
    assert measure.status == S.IN_PROGRESS
    with pytest.raises(ValidationError) as undated:
        services.measure_set_status(measure=measure, status=S.DONE, user=master)
    assert undated.value.message_dict == {"completed_on": ["Укажите дату внедрения."]}
    with pytest.raises(ValidationError):
        services.measure_set_status(
            measure=measure, status=S.DONE, completed_on=datetime.date(2027, 1, 1), user=master
        )
    measure = services.measure_set_status(
        measure=measure, status=S.DONE, completed_on=datetime.date(2026, 11, 20), user=master
    )
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == (S.DONE, datetime.date(2026, 11, 20))
    measure = services.measure_set_status(measure=measure, status=S.IN_PROGRESS, user=master)
    assert measure.completed_on is None
    measure = services.measure_set_status(measure=measure, status=S.CANCELLED, user=master)
    measure = services.measure_set_status(measure=measure, status=S.PLANNED, user=master)
    assert measure.status == S.PLANNED


def test_it_freezes_a_measure_once_its_years_december_is_closed(world):
    measure = OrgMeasureFactory(section=world.units["A1"], year=2025)
    PeriodFactory(enterprise=world.enterprise, year=2025, month=12, closed=True)
    closed = "Период «декабрь 2025» закрыт"
    with pytest.raises(ValidationError, match=closed):
        services.measure_set_status(
            measure=measure, status=S.IN_PROGRESS, user=world.users[Role.MASTER]
        )
    measure.name = "Другое"
    with pytest.raises(ValidationError, match=closed):
        services.measure_update(measure=measure, authors=[], user=world.users[Role.MASTER])


def test_it_keeps_an_author_who_has_moved_to_another_section(world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    measure.authors.set([world.worker])
    world.worker.section = world.units["A2"]
    world.worker.save()
    measure.name = "Полирование пружины челнока алмазной лентой (2-й этап)"
    services.measure_update(measure=measure, authors=[world.worker], user=world.users[Role.MASTER])
    assert list(measure.authors.all()) == [world.worker]


# --- pages -----------------------------------------------------------------------------------


def _form(world, **changes) -> dict:
    return {**matrix_measures.MEASURE, "section": str(world.units["A1"].pk), **changes}


def test_it_creates_a_measure_from_the_form_with_russian_numbers(world):
    client = _client(world.users[Role.MASTER])
    data = _form(world, headcount="", authors=[str(world.worker.pk)])
    response = client.post(reverse("planning:measure_create"), data)
    measure = OrgMeasure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == measure.get_absolute_url()
    assert measure.annual_quantity == D("216900")
    assert measure.norm_fulfilment == D("1.2")
    assert measure.headcount == 2
    assert list(measure.authors.all()) == [world.worker]


def test_it_offers_the_masters_own_section_only(world):
    response = _client(world.users[Role.MASTER]).get(reverse("planning:measure_create"))
    form = response.context["form"]
    assert list(form.fields["section"].queryset) == [world.units["A1"]]
    assert set(form.fields["authors"].queryset) == set(world.workers["A1"])


def test_it_refuses_a_section_the_user_may_not_edit(world):
    data = _form(world, section=str(world.units["B1"].pk))
    response = _client(world.users[Role.ECONOMIST]).post(reverse("planning:measure_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["section"]
    assert not OrgMeasure.objects.exists()


def test_it_edits_a_measure_and_refuses_a_stale_form(world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    client = _client(world.users[Role.SHOP_HEAD])
    url = reverse("planning:measure_edit", args=[measure.pk])
    version = client.get(url).context["form"]["version"].value()
    data = _form(world, name="Полирование пружин челнока", version=version)
    assert client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert measure.name == "Полирование пружин челнока"
    stale = client.post(url, {**data, "name": "Ещё раз"})
    assert stale.status_code == 200
    assert "уже изменил другой пользователь" in text_of(stale.content)


def test_it_changes_the_status_on_the_page_and_shows_a_missing_date(world):
    measure = OrgMeasureFactory(section=world.units["A1"], status=S.IN_PROGRESS)
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:measure_status", args=[measure.pk])
    response = client.post(url, {"status": "done", "completed_on": ""})
    assert response.status_code == 200
    assert "Укажите дату внедрения." in text_of(response.content)
    response = client.post(url, {"status": "done", "completed_on": "2026-11-20"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == (S.DONE, datetime.date(2026, 11, 20))
    page = text_of(client.get(measure.get_absolute_url()).content)
    assert "Внедрено 20.11.2026" in page
    assert "История" in page


def test_it_hides_the_editing_from_who_may_not_edit(world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    response = _client(world.users[Role.LABOUR]).get(measure.get_absolute_url())
    assert response.context["status_form"] is None
    assert not response.context["can_edit"]


def test_it_lists_and_filters_measures_with_the_figures(world, table_21):
    OrgMeasureFactory(section=world.units["B1"], factor=Factor.SERVICE_ZONES, name="Зоны")
    client = _client(world.users[Role.LABOUR])
    url = reverse("planning:measure_list")
    text = plain(text_of(client.get(url).content))
    assert "Полирование пружины челнока алмазной лентой" in text
    assert "34 704 16,0 0,30" in text
    response = client.get(url, {"factor_group": "organisation"})
    assert [m.name for m in response.context["table"].data] == ["Зоны"]
    response = client.get(url, {"section": world.units["A1"].pk, "year": 2026})
    assert len(response.context["table"].data) == 5
    response = client.get(url, {"status": "done"})
    assert len(response.context["table"].data) == 0


def test_it_exports_the_list(world, table_21):
    response = _client(world.users[Role.MASTER]).get(
        reverse("planning:measure_list"), {"_export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][-3:] == ["Т, нормо-ч", "А, чел.", "Рост, %"]
    spring = next(r for r in rows if r[3] == "Полирование пружины челнока алмазной лентой")
    assert spring[-3:] == [34704, 16.0, 0.3]
    csv = _client(world.users[Role.MASTER]).get(
        reverse("planning:measure_list"), {"_export": "csv"}
    )
    assert csv.content.decode("utf-8-sig").count("\n") == 6


# --- query counts ----------------------------------------------------------------------------


def _more_measures(world, n):
    for i in range(n):
        measure = OrgMeasureFactory(
            section=world.units["A1" if i % 2 else "A2"],
            factor=list(Factor)[i % len(Factor)],
            name=f"Мероприятие {i}",
        )
        measure.authors.set(world.workers["A1"] if i % 2 else [])


@pytest.mark.parametrize(
    ("name", "query", "pinned"),
    [
        ("planning:measure_list", {}, 8),
        ("planning:measure_summary", {}, 9),
        ("planning:measure_summary", {"_export": "xlsx"}, 9),
    ],
)
def test_it_pins_the_queries_of_the_list_and_the_summary(
    world, django_assert_max_num_queries, name, query, pinned
):
    client = _client(world.users[Role.SHOP_HEAD])
    url = reverse(name)
    _more_measures(world, 3)
    client.get(url, query)  # warm the per-process caches
    with django_assert_max_num_queries(pinned):
        client.get(url, query)
    _more_measures(world, 30)
    with django_assert_max_num_queries(pinned):
        assert client.get(url, query).status_code == 200


def test_it_pins_the_queries_of_the_measures_page(world, django_assert_max_num_queries):
    measure = OrgMeasureFactory(section=world.units["A1"])
    measure.authors.set(world.workers["A1"])
    client = _client(world.users[Role.MASTER])
    client.get(measure.get_absolute_url())
    with django_assert_max_num_queries(10):
        assert client.get(measure.get_absolute_url()).status_code == 200


# --- the demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_loads_table_21_and_loads_again_without_changes():
    steps = [*demo.BASE_STEPS, *demo_measures.DEMO_STEPS, *demo.CLOSING_STEPS]
    ctx = demo.load_demo(steps=steps)
    section = ctx.sections[6, 3]
    user = ctx.users["economist6"]
    result = selectors.summary(user, selectors.Unit("section", section), 2026)
    [group] = result.groups
    [block] = group.factors
    assert [
        (m.figures.reduction, rules.released_places(m.figures.released)) for m in block.lines[:3]
    ] == [(D("10800"), D("5.0")), (D("4340"), D("2.0")), (D("34704"), D("16.0"))]
    assert block.figures.reduction == D("123993")
    assert rules.released_places(block.figures.released) == D("58.0")
    assert block.figures.growth.quantize(D("0.01")) == D("1.09")
    worker = ctx.workers["6103"]
    account = selectors.account(ctx.users["worker61"], worker, 2026)
    assert account.total == D("275.50")
    assert [a.measure.name for a in account.authored] == [
        "Пневмозажим заготовок на фрезерном станке",
        "Обслуживание двух фрезерных станков одним рабочим",
    ]
    assert Period.objects.get(enterprise=ctx.enterprise, year=2026, month=7).is_closed
    history = HistoryRecord.objects.count()
    demo.load_demo(steps=steps)
    assert HistoryRecord.objects.count() == history
    assert SavingsEntry.objects.filter(worker=worker).count() == 4


@pytest.mark.django_db
def test_the_demo_skips_savings_of_months_closed_before_they_were_loaded():
    demo.load_demo(steps=[*demo.BASE_STEPS, *demo.CLOSING_STEPS])
    demo.load_demo(steps=[*demo.BASE_STEPS, *demo_measures.DEMO_STEPS, *demo.CLOSING_STEPS])
    months = set(SavingsEntry.objects.values_list("period__month", flat=True))
    assert months == {10, 11}
    assert OrgMeasure.objects.count() == len(demo_measures.MEASURES)


# --- who may open what (tests/planning/matrix_measures.py) -----------------------------------


def test_it_names_only_objects_it_builds_or_the_world_has(world):
    built = matrix_measures.objects(world)
    assert set(built) == matrix_measures.OBJECTS
