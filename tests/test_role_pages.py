"""Pages that fit the role: each role's menu, the worker's home (his pay, his plan's progress,
his brigade), his row on the competition board, the lists' empty states."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brigades.home import my_pay
from enterprise.models.roles import Role
from tests.factories import PeriodFactory, RoleAssignmentFactory
from tests.pages import text_of
from tests.planning.factories import PersonalPlanFactory
from tests.role_world import TODAY, brigade_pay, plans_with_output

D = Decimal
REFERENCE_ITEMS = ("nav-structure", "nav-tariffs", "nav-scales", "nav-periods", "nav-claim-types")


@pytest.fixture(autouse=True)
def _november_2026(monkeypatch):
    """The world's year: its plans are of 2026, October and November are open."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def pay_world(world):
    return brigade_pay(world)


# --- the menus ---------------------------------------------------------------------------------


def test_a_worker_s_menu_lacks_the_plant_s_reference_pages(world, client):
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    for item in REFERENCE_ITEMS:
        assert f'data-testid="{item}"' not in html, item
    assert "Претензии с моим участием" in html
    assert "Все претензии" not in html
    assert 'data-testid="open-periods"' not in html


def test_the_economist_s_menu_keeps_them(world, client):
    client.force_login(world.users[Role.ECONOMIST])
    html = client.get(reverse("home")).content.decode()
    for item in REFERENCE_ITEMS:
        assert f'data-testid="{item}"' in html, item
    assert "Все претензии" in html
    assert 'data-testid="nav-my-plan"' not in html
    assert 'data-testid="open-periods"' in html


@pytest.mark.parametrize("with_worker_role", [False, True])
def test_a_brigade_leader_s_menu_keeps_the_tariff_grid_only(world, client, with_worker_role):
    """His brigade's pay is counted by the tariff grid; the plant's structure, scales,
    periods and claim types are of no use to him (he files no claims, closes no month)."""
    leader = world.users[Role.BRIGADE_LEADER]
    if with_worker_role:  # as in the demo: the leader is a worker of his brigade too
        RoleAssignmentFactory(user=leader, role=Role.WORKER, enterprise=world.enterprise)
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    for item in ("nav-structure", "nav-scales", "nav-periods", "nav-claim-types"):
        assert f'data-testid="{item}"' not in html, item
    assert 'data-testid="nav-tariffs"' in html
    assert ">Распределение заработка<" in html  # his brigade's menu stays
    # the pages stay open to him by their links (a frozen month's note, a breadcrumb)
    for name in ("enterprise:scale_list", "enterprise:period_list", "claims:claim_types"):
        assert client.get(reverse(name)).status_code == 200, name


def test_the_master_s_menu_keeps_the_reference_pages(world, client):
    """A master files claims by their types, asks to reopen a month, reads his section's
    workers and is paid by the bonus scales."""
    client.force_login(world.users[Role.MASTER])
    html = client.get(reverse("home")).content.decode()
    for item in REFERENCE_ITEMS:
        assert f'data-testid="{item}"' in html, item


def test_my_plan_in_the_worker_s_menu_opens_his_plan(world, client):
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="nav-my-plan"', html)
    assert link.group(1) == reverse("planning:plan_list")  # no plan yet: the list of his
    plan = PersonalPlanFactory(worker=world.worker)
    html = client.get(reverse("home")).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="nav-my-plan"', html)
    assert link.group(1) == plan.get_absolute_url()


def test_an_empty_list_says_so_and_asks_to_change_the_filter_only_when_one_is_set(world, client):
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("claims:claim_list")).content.decode()
    assert "Претензий, которые вам видны, пока нет." in html
    assert "Измените условия отбора" not in html
    assert "<title>Претензии с моим участием" in html
    # the inbox's button names that list as his menu does (it said «Все претензии»)
    inbox = client.get(reverse("claims:inbox")).content.decode()
    assert "Претензии с моим участием" in inbox and "Все претензии" not in inbox
    html = client.get(reverse("claims:claim_list") + "?status=filed").content.decode()
    assert "Ничего не найдено. Измените условия отбора или сбросьте их." in html
    html = client.get(reverse("claims:claim_list") + "?page=1&sort=number").content.decode()
    assert "Измените условия отбора" not in html


# --- the worker's home -------------------------------------------------------------------------


def test_his_pay_is_his_lines_of_the_approved_month_and_the_draft(world, pay_world):
    october, november = pay_world["october"], pay_world["november"]
    pays = my_pay(world.worker.pk)
    assert [p.distribution.pk for p in pays] == [november.pk, october.pk]
    draft, approved = pays
    # tariff: 126.70 × 160 = 20,272.00 of 20,272.00 + 160.30 × 168 = 26,930.40 → 47,202.40;
    # the 60,000.00 split by it: his 60,000 × 20,272 / 47,202.40 = 25,768.18
    assert approved.hours == D("160.00")
    assert approved.tariff == D("20272.00")
    assert approved.total == D("25768.18")
    assert approved.brigade_total == D("60000.00")
    assert approved.share == D("42.9")
    assert approved.computed
    assert draft.hours == D("150.00")
    assert not draft.computed
    assert draft.share is None


def test_the_leader_s_pay_carries_his_surcharge_on_top_of_his_share(world, pay_world):
    leader = world.workers["A1"][1]
    approved = next(p for p in my_pay(leader.pk) if p.distribution.pk == pay_world["october"].pk)
    # table 16: 10 % of his tariff 160.30 × 168 = 26,930.40 in a brigade of two → 2,693.04,
    # paid on top of his share of the collective 60,000.00 (60,000 − 25,768.18 = 34,231.82)
    assert approved.surcharge == D("2693.04")
    assert approved.total == D("34231.82") + D("2693.04")
    assert approved.brigade_total == D("60000.00")
    assert approved.share == D("57.1")


def test_the_worker_s_home_shows_his_pay_plan_chart_and_brigade(world, client, pay_world):
    plans_with_output(world)
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    approved = html[html.index('data-testid="my-pay-approved"') :]
    assert 'data-testid="my-pay-total">25\xa0768,18 руб.<' in approved
    assert 'data-testid="my-pay-hours">160 ч<' in approved
    assert 'data-testid="my-pay-share">42,9 %<' in approved
    assert 'data-testid="my-pay-pending"' in html  # November: timesheet only
    assert pay_world["october"].get_absolute_url() in html
    assert 'data-testid="my-brigade"' in html and "Бригада № 5 «Токари»" in html
    assert "бригадир — " + world.workers["A1"][1].short_name in html
    chart = html[html.index('data-testid="my-plan-chart"') :]
    assert "<svg" in chart[:400] and "Факт с начала года" in chart
    assert "Ваш личный план на 2026 год ждёт согласия" not in html  # agreed already
    nothing = html[html.index('data-testid="no-tasks"') :]
    assert "Здесь появится ваш личный план" in nothing[:400]
    assert "тарифной сетки" not in nothing[:600]
    assert 'data-testid="open-periods"' not in html


def test_the_worker_s_plan_chart_writes_its_figures_upwards_on_a_wide_screen(world, client):
    """January to October, two bars a month: a figure like «1 651,7» is wider than its bar,
    and written across it ran into the next bar's. The phone's chart lays the months down
    the side and writes them across."""
    for month in range(1, 6):  # the world's months begin in June
        PeriodFactory(enterprise=world.enterprise, year=2026, month=month, closed=True)
    plans_with_output(world)
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    wide = html.split('data-testid="my-plan-chart"', 1)[1].split("</svg>", 1)[0]
    phone = html.split('data-testid="my-plan-chart-phone"', 1)[1].split("</svg>", 1)[0]
    values = re.findall(r'<text[^>]*class="value"[^>]*>', wide)
    assert len(values) == 20
    assert all("rotate(-90 " in value for value in values)
    assert re.findall(r'<text[^>]*class="value"[^>]*>', phone)
    assert "rotate(" not in phone


def test_the_worker_s_chart_of_a_plan_not_yet_signed_says_it_is_a_proposal(world, client):
    """An agreed plan is not signed yet: its figures may change. The card says so, and the
    chart's bars are the plan's proposal; once signed, they are the plan."""
    from planning.models import PersonalPlan

    plan = plans_with_output(world)[0]
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    note = html[html.index('data-testid="my-plan-unsigned"') :]
    assert text_of(note[: note.index("</p>")]).endswith(
        "План ещё не подписан (согласован с рабочим): выработка сравнивается с его "
        "проектом, цифры могут измениться."
    )
    chart = html[html.index('data-testid="my-plan-chart"') :]
    assert "Проект плана с начала года" in chart[: chart.index("</svg>")]
    PersonalPlan.objects.filter(pk=plan.pk).update(
        status=PersonalPlan.Status.SIGNED, signed_at=timezone.now()
    )
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="my-plan-unsigned"' not in html
    chart = html[html.index('data-testid="my-plan-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert "План с начала года" in chart and "Проект плана" not in chart


def test_the_master_s_home_has_no_worker_cards(world, client, pay_world):
    client.force_login(world.users[Role.MASTER])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="my-pay"' not in html
    assert 'data-testid="my-plan-progress"' not in html


# --- the board ---------------------------------------------------------------------------------


def test_his_row_is_highlighted_on_the_board(world, client):
    plans_with_output(world)
    url = reverse("planning:board", args=[world.units["A"].pk])
    client.force_login(world.users[Role.WORKER])
    html = client.get(url).content.decode()
    assert html.count('data-testid="board-mine"') == 1
    row = html[html.index('data-testid="board-mine"') :]
    row = row[: row.index("</tr>")]
    assert world.worker.short_name in row and "это вы" in row
    assert world.workers["A1"][1].short_name not in row
    place = re.search(r'class="place-badge">(\d+)<', row).group(1)
    assert 'href="#board-mine" data-testid="board-find-me">' in html
    assert f"Ваше место — {place}<" in html
    client.force_login(world.users[Role.MASTER])
    assert 'data-testid="board-mine"' not in client.get(url).content.decode()


def test_an_empty_measure_list_without_a_filter_says_there_are_none(world, client):
    client.force_login(world.users[Role.ECONOMIST])
    html = client.get(reverse("planning:measure_list")).content.decode()
    assert "Оргтехмероприятий пока нет." in html
    assert "Измените условия отбора" not in html
