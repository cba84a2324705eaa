"""The workers' accounts: the savings account (by month and kind, against the plan's
commitments) and the creative-contribution account (the measures he took part in);
writing and removing savings, closed months, who may see and write.

The world: June–September 2026 closed, October and November open; the worker of the
world is the first worker of section A1.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from enterprise.models.roles import Role
from enterprise.services import period_close
from planning.measures import rules, selectors, services
from planning.models import OrgMeasure, PersonalPlan, SavingsEntry
from tests.factories import PeriodFactory
from tests.pages import field_errors, text_of
from tests.planning.factories import OrgMeasureFactory, PersonalPlanFactory, SavingsEntryFactory

D = Decimal
NBSP = "\u00a0"
K = SavingsEntry.Kind


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(worker, year=2026):
    return f"{reverse('planning:account', args=[worker.pk])}?year={year}"


@pytest.fixture
def savings(world):
    """The worker's year: materials and tools in October, energy and materials in
    November; and a saving of December 2025 (closed since)."""
    december = PeriodFactory(enterprise=world.enterprise, year=2025, month=12)

    def entry(period, kind, amount):
        return SavingsEntryFactory(worker=world.worker, period=period, kind=kind, amount=D(amount))

    october, november = world.period(2026, 10), world.period(2026, 11)
    rows = [
        entry(october, K.MATERIALS, "150.00"),
        entry(october, K.TOOLS, "45.50"),
        entry(november, K.ENERGY, "30.00"),
        entry(november, K.MATERIALS, "70.25"),
        entry(december, K.OTHER, "10.00"),
    ]
    period_close(period=december, user=world.users[Role.LABOUR])
    return rows


# --- the savings account ---------------------------------------------------------------------


def test_it_sums_the_savings_by_month_and_kind(world, savings):
    account = selectors.account(world.users[Role.MASTER], world.worker, 2026)
    assert [(row.period.month, row.amounts, row.total) for row in account.months] == [
        (10, [D("150.00"), D("45.50"), D(0), D(0)], D("195.50")),
        (11, [D("70.25"), D(0), D("30.00"), D(0)], D("100.25")),
    ]
    assert account.totals == [D("220.25"), D("45.50"), D("30.00"), D(0)]
    assert account.total == D("295.75")
    assert account.years == [2026, 2025]


def test_it_compares_the_savings_with_the_commitments_of_the_plan_in_force(world, savings):
    PersonalPlanFactory(
        worker=world.worker,
        materials_savings=D("400.00"),
        tools_savings=D("40.00"),
        energy_savings=None,
    )
    account = selectors.account(world.users[Role.MASTER], world.worker, 2026)
    assert account.plan is not None
    shown = [(c.kind, c.committed, c.actual, c.percent) for c in account.commitments]
    assert shown[0][:3] == (K.MATERIALS, D("400.00"), D("220.25"))
    assert shown[0][3].quantize(D("0.1")) == D("55.1")
    assert shown[1][3].quantize(D("0.01")) == D("113.75")
    assert shown[2] == (K.ENERGY, None, D("30.00"), None)


def test_it_takes_the_signed_plan_over_a_draft_revision(world):
    signed = PersonalPlanFactory(
        worker=world.worker,
        status=PersonalPlan.Status.SIGNED,
        signed_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
        materials_savings=D("300.00"),
    )
    PersonalPlanFactory(worker=world.worker, version=2, revises=signed, materials_savings=D("1"))
    assert selectors.plan_in_force(world.worker, 2026) == signed


def test_it_shows_the_account_page(world, savings):
    PersonalPlanFactory(worker=world.worker, materials_savings=D("400.00"))
    response = _client(world.users[Role.WORKER]).get(_url(world.worker))
    assert response.status_code == 200
    text = plain(text_of(response.content))
    assert "Октябрь 2026 150,00 45,50 — — 195,50" in text.replace("октябрь", "Октябрь")
    assert "За год 220,25 45,50 30,00 0,00 295,75" in text
    assert "Материалы 400,00 220,25 55,1" in text
    # the worker sees his own account, but may not write into it
    assert response.context["form"] is None
    assert "Записать экономию" not in text


def test_it_says_when_there_is_no_plan_and_no_savings(world):
    text = text_of(_client(world.users[Role.MASTER]).get(_url(world.worker)).content)
    assert "Экономии за этот год на счёте ещё нет." in text
    assert "Личного плана на этот год нет" in text
    assert "не участвовал в оргтехмероприятиях" in text


# --- the creative-contribution account -------------------------------------------------------


def test_it_lists_the_measures_the_worker_took_part_in(world):
    a1 = world.units["A1"]
    spring = OrgMeasureFactory(section=a1, economic_effect=D("68700.00"))
    spring.authors.set(world.workers["A1"])
    cancelled = OrgMeasureFactory(
        section=a1,
        name="Отменённое",
        status=OrgMeasure.Status.CANCELLED,
        deadline=datetime.date(2026, 12, 31),
    )
    cancelled.authors.set([world.worker])
    OrgMeasureFactory(section=a1, name="Без него")
    account = selectors.account(world.users[Role.WORKER], world.worker, 2026)
    assert [(a.measure.name, a.co_authors, a.visible) for a in account.authored] == [
        ("Полирование пружины челнока алмазной лентой", 1, True),
        ("Отменённое", 0, True),
    ]
    assert account.authored_figures.reduction == D("34704")
    assert rules.released_places(account.authored_figures.released) == D("16.0")
    assert account.authored_effect == D("68700.00")
    text = plain(text_of(_client(world.users[Role.WORKER]).get(_url(world.worker)).content))
    assert "Итого (без отменённых) 34 704 16,0 68 700,00" in text


# --- writing savings -------------------------------------------------------------------------


def test_the_master_writes_a_saving_in_an_open_month(world):
    measure = OrgMeasureFactory(section=world.units["A1"])
    response = _client(world.users[Role.MASTER]).post(
        reverse("planning:savings_add", args=[world.worker.pk]),
        {
            "period": world.period(2026, 11).pk,
            "kind": "tools",
            "amount": "1 250,50",
            "description": "Переточка фрез вместо замены",
            "measure": measure.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(world.worker)
    entry = SavingsEntry.objects.get()
    assert (entry.amount, entry.kind, entry.measure, entry.recorded_by) == (
        D("1250.50"),
        K.TOOLS,
        measure,
        world.users[Role.MASTER],
    )
    assert entry.enterprise == world.enterprise


def test_it_offers_the_open_months_only(world):
    response = _client(world.users[Role.ECONOMIST]).get(_url(world.worker))
    form = response.context["form"]
    offered = [value for value, _label in form.fields["period"].widget.choices if value]
    assert offered == [world.period(2026, 10).pk, world.period(2026, 11).pk]
    assert form.fields["period"].initial == world.period(2026, 11).pk  # today's month


def test_it_refuses_a_closed_month_next_to_the_form(world):
    response = _client(world.users[Role.MASTER]).post(
        reverse("planning:savings_add", args=[world.worker.pk]),
        {"period": world.period(2026, 8).pk, "kind": "materials", "amount": "100",
         "description": "Раскрой листа"},
    )  # fmt: skip
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Период «август 2026» закрыт: его данные не изменяются." in text
    errors = response.context["form"].non_field_errors()
    assert "закрыт" in errors[0]
    assert not SavingsEntry.objects.exists()


def test_it_shows_a_wrong_amount_next_to_its_field(world):
    response = _client(world.users[Role.MASTER]).post(
        reverse("planning:savings_add", args=[world.worker.pk]),
        {"period": world.period(2026, 10).pk, "kind": "materials", "amount": "0",
         "description": "Раскрой листа"},
    )  # fmt: skip
    assert response.status_code == 200
    assert field_errors(response.content, "amount")


def test_the_service_refuses_a_closed_month_and_other_roles(world):
    worker = world.worker
    values = {
        "worker": worker,
        "kind": K.MATERIALS,
        "amount": D("10.00"),
        "description": "Раскрой",
    }
    with pytest.raises(ValidationError, match="закрыт"):
        services.savings_add(period=world.period(2026, 9), user=world.users[Role.MASTER], **values)
    for role in (Role.SHOP_HEAD, Role.DISPATCHER, Role.LABOUR, Role.WORKER, Role.BRIGADE_LEADER):
        with pytest.raises(PermissionDenied):
            services.savings_add(period=world.period(2026, 10), user=world.users[role], **values)
    b1 = {**values, "worker": world.workers["B1"][0]}
    with pytest.raises(PermissionDenied):
        services.savings_add(period=world.period(2026, 10), user=world.users[Role.ECONOMIST], **b1)


# --- removing savings ------------------------------------------------------------------------


def test_the_economist_removes_an_entry_of_an_open_month(world, savings):
    entry = savings[0]
    response = _client(world.users[Role.ECONOMIST]).post(
        reverse("planning:savings_delete", args=[entry.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == _url(world.worker)
    assert not SavingsEntry.objects.filter(pk=entry.pk).exists()


def test_it_keeps_an_entry_once_its_month_is_closed(world, savings):
    entry = savings[0]  # October
    period_close(period=world.period(2026, 10), user=world.users[Role.LABOUR])
    client = _client(world.users[Role.MASTER])
    response = client.post(reverse("planning:savings_delete", args=[entry.pk]), follow=True)
    assert SavingsEntry.objects.filter(pk=entry.pk).exists()
    assert "Период «октябрь 2026» закрыт" in text_of(response.content)
    # the page offers no removal for it any more (a lock instead)
    assert entry.period_id not in response.context["open_period_ids"]


def test_a_shop_head_may_see_but_not_write(world, savings):
    client = _client(world.users[Role.SHOP_HEAD])
    assert client.get(_url(world.worker)).context["form"] is None
    assert client.post(reverse("planning:savings_delete", args=[savings[0].pk])).status_code == 404
    assert client.post(reverse("planning:savings_add", args=[world.worker.pk])).status_code == 404


def test_a_master_may_not_reach_another_sections_worker(world):
    other = world.workers["A2"][0]
    client = _client(world.users[Role.MASTER])
    assert client.get(_url(other)).status_code == 404
    assert client.post(reverse("planning:savings_add", args=[other.pk])).status_code == 404


def test_a_worker_sees_his_own_account_only(world):
    client = _client(world.users[Role.WORKER])
    assert client.get(_url(world.worker)).status_code == 200
    assert client.get(_url(world.workers["A1"][1])).status_code == 404


# --- query count -----------------------------------------------------------------------------


def test_it_pins_the_queries_of_the_account(world, django_assert_max_num_queries):
    client = _client(world.users[Role.ECONOMIST])
    url = _url(world.worker)

    def grow(n):
        for i in range(n):
            month = 10 + i % 2
            SavingsEntryFactory(
                worker=world.worker, period=world.period(2026, month), amount=D(i + 1)
            )
            measure = OrgMeasureFactory(section=world.units["A1"], name=f"Мероприятие {i}")
            measure.authors.set(world.workers["A1"])

    PersonalPlanFactory(worker=world.worker, materials_savings=D("100"))
    grow(2)
    client.get(url)
    with django_assert_max_num_queries(15):
        client.get(url)
    grow(20)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
