"""Bonus proposals of §6: the monthly bonus for growth over the base and the quarterly
bonus for exceeding the profession's average hourly output — who is eligible and why,
the amounts to the kopeck, the page, its export and who may open it.

The world's grid: piecework grade 3 = 126.700 rubles an hour, grade 5 = 160.300. Months
have 168 h and 21 working days; a plan of 2517 norm-hours (time fund 1982 h) gives
213.348… a month. Section A1's task is 25 000 a year: its third quarter (63 of 252
working days) is 6 250.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from enterprise.models import Period
from planning.tracking import bonuses
from tests.factories import WorkerFactory, reopened
from tests.planning.factories import (
    MonthlyOutputFactory,
    PersonalPlanFactory,
    SectionDayOutputFactory,
    SectionTaskFactory,
)

D = Decimal


def plan_of(worker, **extra):
    return PersonalPlanFactory(
        worker=worker, annual_volume=D("2517"), annual_time_fund=D("1982"), **extra
    )


def put(worker, period, value, hours="168", nomenclature=True):
    with reopened(*([period] if period.is_closed else [])):
        return MonthlyOutputFactory(
            worker=worker,
            period=period,
            output=D(value),
            hours_worked=D(hours),
            nomenclature_met=nomenclature,
        )


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(world):
    """Plans and October output of shops A and B (see each test)."""
    a1_grade3, a1_grade5 = world.workers["A1"]
    a2_first, a2_second = world.workers["A2"]
    b1 = world.workers["B1"][0]  # fitter, grade 3, piecework
    SectionTaskFactory(section=world.units["A1"], task=D("25000"))
    SectionTaskFactory(
        section=world.units["B1"], monthly_bonus_percent=D("12.5"), reward_on_time=True
    )
    plan_of(a1_grade3, base_output=D("2386"))
    plan_of(a1_grade5)
    plan_of(a2_first)
    plan_of(a2_second)
    plan_of(b1)
    october = world.period(2026, 10)
    put(a1_grade3, october, "220")  # 103.1 %
    put(a1_grade5, october, "213.3")  # 99.98 %: not met
    put(a2_first, october, "250", nomenclature=False)
    put(b1, october, "230", hours="150.5")
    return {
        "a1_grade3": a1_grade3,
        "a1_grade5": a1_grade5,
        "a2_first": a2_first,
        "a2_second": a2_second,
        "b1": b1,
    }


def _shops(world, *keys):
    return [world.units[key] for key in keys]


def _by_worker(items):
    return {p.worker: p for p in items}


def _lines_of(response) -> set[str]:
    """The personnel numbers of the page's lines."""
    return set(
        re.findall(r'class="bonus-worker[^"]*" data-worker="([^"]*)"', response.content.decode())
    )


def test_the_monthly_bonus_needs_the_plan_and_the_nomenclature_met(world, staff):
    result = bonuses.proposals(world.period(2026, 10), _shops(world, "A", "B"))
    assert result.quarterly is None  # October does not end a quarter
    rows = _by_worker(result.monthly)

    eligible = rows[staff["a1_grade3"]]
    assert eligible.eligible
    assert eligible.fulfilment.quantize(D("0.1")) == D("103.1")
    assert eligible.tariff_earnings == D("21285.60")  # 168 h × 126.700
    assert eligible.percent == D("10")
    assert eligible.amount == D("2128.56")
    assert [c.met for c in eligible.conditions] == [True, True]
    assert eligible.conditions[0].text == "личный план месяца выполнен: 103,1 %"

    short = rows[staff["a1_grade5"]]
    assert not short.eligible and short.amount is None
    # 99.977…: shown to two places, never as a «100,0» that was not met
    assert short.conditions[0].text == "личный план месяца не выполнен: 99,97 %"
    assert short.fulfilment < 100

    nomenclature = rows[staff["a2_first"]]
    assert not nomenclature.eligible
    texts = [c.text for c in nomenclature.conditions if not c.met]
    assert texts == [
        "номенклатурное задание мастера не выполнено",
        "задание участка на год не введено: размер премии не задан",
    ]

    missing = rows[staff["a2_second"]]
    assert not missing.eligible
    assert missing.conditions[0].text == "выработка за месяц не введена"

    # 150.5 h × 126.700 = 19 068.35; 12.5 % = 2 383.54375 → 2 383.54
    fitter = rows[staff["b1"]]
    assert fitter.eligible
    assert fitter.tariff_earnings == D("19068.35")
    assert fitter.amount == D("2383.54")
    assert result.monthly_total == D("4512.10")
    assert result.monthly_eligible == 2


@pytest.fixture
def third_quarter(world, staff):
    a1_grade3, a1_grade5 = staff["a1_grade3"], staff["a1_grade5"]
    months = [world.period(2026, m) for m in (7, 8, 9)]
    for period, first, second in zip(
        months, ("230", "240", "250"), ("180", "190", "200"), strict=True
    ):
        put(a1_grade3, period, first)  # 720 in 504 h: 1.429 an hour
        put(a1_grade5, period, second)  # 570 in 504 h: 1.131 an hour
        put(staff["b1"], period, "300")
    with reopened(world.period(2026, 7)):
        SectionDayOutputFactory(
            section=world.units["A1"], date=datetime.date(2026, 7, 1), output=D("6300")
        )
    return months


def test_the_quarterly_bonus_beats_the_profession_average_and_the_own_base(
    world, staff, third_quarter
):
    result = bonuses.proposals(world.period(2026, 9), _shops(world, "A", "B"))
    assert result.quarter == 3 and result.quarter_label == "III квартал 2026 г."
    rows = _by_worker(result.quarterly)

    best = rows[staff["a1_grade3"]]
    assert best.hourly_output == D(720) / D(504)
    assert best.average_hourly_output == D(1290) / D(1008)  # the turners: 1.280 an hour
    assert best.own_hourly_output == D(2386) / D(1982)  # no last year: the plan's base
    assert best.eligible
    assert best.tariff_earnings == D("63856.80")  # 3 × 168 h × 126.700
    assert best.amount == D("9578.52")  # 15 %
    assert [c.text for c in best.conditions] == [
        "участок выполнил план по валовой продукции за квартал: 6\u00a0300,0 из 6\u00a0250,0",
        "выработка в час 1,429 выше средней по профессии 1,280",
        "выше базовой по личному плану 1,204 (за III квартал 2025 г. данных нет)",
    ]

    below = rows[staff["a1_grade5"]]
    assert not below.eligible
    assert "выработка в час 1,131 не выше средней по профессии 1,280" in below.reasons

    on_time = rows[staff["b1"]]
    assert not on_time.eligible and on_time.not_proposed
    assert result.on_time_sections == [world.units["B1"]]
    assert result.quarterly_total == D("9578.52")


def test_the_quarterly_bonus_compares_with_the_same_quarter_last_year(world, staff, third_quarter):
    for month in (7, 8, 9):
        period = Period.objects.create(enterprise=world.enterprise, year=2025, month=month)
        put(staff["a1_grade3"], period, "250")  # 750 in 504 h: 1.488 an hour
    result = bonuses.proposals(world.period(2026, 9), _shops(world, "A"))
    best = _by_worker(result.quarterly)[staff["a1_grade3"]]
    assert best.own_hourly_output == D(750) / D(504)
    assert not best.eligible
    assert best.conditions[-1].text == "не выше своей за III квартал 2025 г. 1,488"


def test_the_quarterly_bonus_needs_the_section_gross_plan(world, staff, third_quarter):
    from planning.models import SectionDayOutput

    with reopened(world.period(2026, 7)):
        SectionDayOutput.objects.update(output=D("6249.999"))
    result = bonuses.proposals(world.period(2026, 9), _shops(world, "A"))
    best = _by_worker(result.quarterly)[staff["a1_grade3"]]
    assert not best.eligible
    assert best.conditions[0].text.startswith(
        "участок не выполнил план по валовой продукции за квартал"
    )


def test_the_page_shows_why_and_the_on_time_note(world, staff, third_quarter):
    url = reverse("planning:bonuses")
    labour = client_of(world.users["labour"])
    september = world.period(2026, 9).pk
    response = labour.get(url, {"period": september})
    assert response.status_code == 200
    assert response.context["result"].shops == [world.units["A"]]  # the first shop
    assert response.context["result"].quarterly == 0  # the month's tab: no quarter's lines
    page = response.content.decode()
    assert "Ежемесячная премия за рост выработки" in page
    assert 'data-testid="export-all"' in page
    assert f"?period={september}&amp;shop={world.units['A'].pk}&amp;kind=quarterly" in page
    response = labour.get(url, {"period": september, "kind": "quarterly"})
    assert response.context["result"].monthly == 0
    page = response.content.decode()
    assert "Квартальная премия за превышение средней выработки профессии" in page
    assert "9\u00a0578,52" in page
    assert "выше базовой по личному плану 1,204" in page
    shop_b = labour.get(
        url, {"period": september, "shop": world.units["B"].pk, "kind": "quarterly"}
    )
    assert "data-on-time" in shop_b.content.decode()


def test_a_shop_economist_sees_the_proposals_of_his_shop_only(world, staff):
    url = reverse("planning:bonuses")
    response = client_of(world.users["economist"]).get(url, {"period": world.period(2026, 10).pk})
    workers = _lines_of(response)
    assert staff["b1"].personnel_number not in workers
    assert staff["a1_grade3"].personnel_number in workers
    shop_b = world.units["B"].pk
    assert client_of(world.users["economist"]).get(url, {"shop": shop_b}).status_code == 404
    labour = client_of(world.users["labour"]).get(
        url, {"period": world.period(2026, 10).pk, "shop": shop_b}
    )
    assert _lines_of(labour) == {staff["b1"].personnel_number}
    for role in ("worker", "master", "dispatcher", "production_head", "administrator"):
        assert client_of(world.users[role]).get(url).status_code == 404, role


def test_the_proposals_export_to_xlsx(world, staff):
    url = reverse("planning:bonuses")
    labour = client_of(world.users["labour"])
    october = world.period(2026, 10).pk
    shop_a = labour.get(url, {"period": october, "_export": "xlsx"})  # the page's shop
    assert len(list(openpyxl.load_workbook(io.BytesIO(shop_a.content)).active.values)) == 1 + 4
    response = labour.get(url, {"period": october, "_export": "xlsx", "shop": "all"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bonuses-2026-10.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:5] == ("Премия", "Цех", "Участок", "Таб. №", "Рабочий")
    by_number = {row[3]: row for row in rows[1:]}
    best = by_number[staff["a1_grade3"].personnel_number]
    assert best[13] == pytest.approx(21285.60) and best[15] == pytest.approx(2128.56)
    assert best[16] == "да"
    assert by_number[staff["a1_grade5"].personnel_number][15] is None
    assert len(rows) == 1 + 5


@pytest.mark.parametrize("extra", [0, 10])
def test_the_page_takes_a_constant_number_of_queries(
    world, staff, third_quarter, django_assert_num_queries, extra
):
    for _n in range(extra):
        worker = WorkerFactory(
            section=world.units["A1"],
            profession=world.professions["turner"],
            pay_condition=world.conditions["piece"],
            grade=4,
        )
        plan_of(worker)
        put(worker, world.period(2026, 9), "200")
    client = client_of(world.users["labour"])
    whole_plant = {"period": world.period(2026, 9).pk, "shop": "all"}
    assert client.get(reverse("planning:bonuses"), whole_plant).status_code == 404  # XLSX only
    quarter = {"period": world.period(2026, 9).pk, "kind": "quarterly"}
    with django_assert_num_queries(17):  # computed (and cached)
        response = client.get(reverse("planning:bonuses"), quarter)
    assert response.context["result"].quarterly == 4 + extra
    with django_assert_num_queries(9):  # the same figures: from the cache
        again = client.get(reverse("planning:bonuses"), quarter)
    assert again.context["quarterly_html"] == response.context["quarterly_html"]


# --- the cached page: a change to any input of its figures is shown at once ---------------


def _page(world, month=10, shop="A", kind="monthly"):
    response = client_of(world.users["labour"]).get(
        reverse("planning:bonuses"),
        {"period": world.period(2026, month).pk, "shop": world.units[shop].pk, "kind": kind},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_proposals_follow_every_input_of_the_month(world, staff):
    from enterprise.models import Profession, Section, Shop, TariffRate, Worker
    from planning.plans.models import PersonalPlan, SectionTask
    from planning.tracking.models import MonthlyOutput

    best = staff["a1_grade3"]
    october = world.period(2026, 10)
    assert "2\u00a0128,56" in _page(world)  # 168 h × 126.700 = 21 285.60; 10 %: now cached
    assert "2\u00a0128,56" in _page(world)  # (from the cache)
    # the output: 160 h × 126.700 = 20 272.00 → 2 027.20
    with reopened(*([october] if october.is_closed else [])):
        MonthlyOutput.objects.filter(worker=best, period=october).update(hours_worked=D("160"))
    assert "2\u00a0027,20" in _page(world)
    # the tariff grid: 130.000 an hour from October → 20 800.00 → 2 080.00
    old = TariffRate.objects.get(hourly_rate=D("126.700"))
    with reopened(*([october] if october.is_closed else [])):
        TariffRate.objects.create(
            enterprise=old.enterprise,
            pay_condition=old.pay_condition,
            grade=old.grade,
            valid_from=october.start,
            hourly_rate=D("130.000"),
        )
    assert "2\u00a0080,00" in _page(world)
    # the worker's grade: 5 = 160.300 an hour → 25 648.00 → 2 564.80
    Worker.objects.filter(pk=best.pk).update(grade=5)
    assert "2\u00a0564,80" in _page(world)
    # the section's task: 20 % → 5 129.60
    SectionTask.objects.filter(section=world.units["A1"]).update(monthly_bonus_percent=D("20"))
    assert "5\u00a0129,60" in _page(world)
    # the plan: 3000 a year → 168 × 3000 / 1982 = 254.29 a month: 220 is 86.5 %
    PersonalPlan.objects.filter(worker=best).update(annual_volume=D("3000"))
    page = _page(world)
    assert "личный план месяца не выполнен: 86,5" in page and "5\u00a0129,60" not in page
    # the month's hours: 150 → 227.04 a month: 96.9 %
    with reopened(*([october] if october.is_closed else [])):
        Period.objects.filter(pk=october.pk).update(working_hours=D("150"))
    assert "личный план месяца не выполнен: 96,9" in _page(world)
    # the profession, the shop, the section: on the line
    Profession.objects.filter(pk=best.profession_id).update(name="Переименованная")
    assert "Переименованная" in _page(world)
    Shop.objects.filter(pk=world.units["A"].pk).update(number=77)
    assert "цех 77, уч. " in _page(world)
    Section.objects.filter(pk=world.units["A1"].pk).update(number=55)
    assert "цех 77, уч. 55" in _page(world)


def test_the_cached_quarter_follows_the_section_days_and_the_enterprise_average(
    world, staff, third_quarter
):
    from planning.tracking.models import MonthlyOutput, SectionDayOutput

    assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")  # now cached
    assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")  # (from the cache)
    # the section's days: 6 249.999 of 6 250 — the gross plan is not met (in a month still
    # open: no month's row changes, only the section's days)
    with reopened(world.period(2026, 7)):
        assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")  # cached
        SectionDayOutput.objects.update(output=D("6249.999"))
        page = _page(world, 9, kind="quarterly")
        assert "участок не выполнил план по валовой продукции" in page
        assert "9\u00a0578,52" not in page
        SectionDayOutput.objects.update(output=D("6300"))
        assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")
    # another shop's turner raises the profession's average above the worker's own (in a
    # quarter still open: no month's row changes, only the enterprise's output)
    turner = WorkerFactory(
        section=world.units["B1"],
        profession=staff["a1_grade3"].profession,
        pay_condition=world.conditions["piece"],
        grade=3,
    )
    with reopened(world.period(2026, 9)):
        assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")  # cached
        put(turner, world.period(2026, 9), "2000")
        page = _page(world, 9, kind="quarterly")
        assert "9\u00a0578,52" not in page and "не выше средней по профессии" in page
        MonthlyOutput.objects.filter(worker=turner).delete()
        assert "9\u00a0578,52" in _page(world, 9, kind="quarterly")


@pytest.mark.django_db(transaction=True)
def test_the_cached_proposals_follow_a_closed_month_reopened_and_changed(world, staff):
    """A closed month's output is not fingerprinted: reopening it writes its row anew."""
    from planning.tracking.models import MonthlyOutput

    june = world.period(2026, 6)
    assert june.is_closed
    put(staff["a1_grade3"], june, "230")
    assert "2\u00a0128,56" in _page(world, 6)  # 168 h × 126.700; 10 %
    with reopened(june):
        MonthlyOutput.objects.filter(worker=staff["a1_grade3"], period=june).update(
            hours_worked=D("160")
        )
    assert world.period(2026, 6).is_closed
    assert "2\u00a0027,20" in _page(world, 6)


@pytest.mark.postgres
def test_the_proposals_fingerprint_follows_a_plans_figures_not_its_signatures(
    world, staff, third_quarter
):
    """A signature that leaves a plan agreed keeps the cached proposals; a changed base
    output (the quarter's growth is measured from it) or volume changes them."""
    from django.utils import timezone

    from planning.plans.models import PersonalPlan
    from planning.tracking import bonuses
    from planning.tracking.pages import bonus_fingerprint

    september = world.period(2026, 9)
    shops = [world.units["A"]]
    periods = bonuses.quarter_periods(september)

    def fingerprint():
        return bonus_fingerprint(september, shops, periods, {})

    rows = PersonalPlan.objects.filter(worker=staff["a1_grade3"])
    first = fingerprint()
    assert first is not None
    rows.update(master_signed_at=timezone.now(), economist_signed_at=timezone.now())
    assert fingerprint() == first
    plan = rows.get()
    for column, value in (("base_output", plan.base_output + 1), ("annual_volume", D("3000"))):
        rows.update(**{column: value})
        assert fingerprint() != first, column
        rows.update(**{column: getattr(plan, column)})
        assert fingerprint() == first, column
