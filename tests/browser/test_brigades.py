"""A brigade's month in Chromium: the leader fills the timesheet and KTU, the shop head approves.

The brigade of table 19 (method D) works in section A1 from October 2026; its first
member is the leader, whose account is the world's brigade leader. The master of A1 has
opened November. The leader types the hours (the tariff cell follows as he types: the
page's script multiplies rate × hours to the kopeck, as the server will), raises a
member's KTU, enters the earnings and records the council's agreement; the shop head of
shop A approves, and the printed sheet comes as a PDF.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from brigades.models import Brigade, Distribution, Line
from brigades.services import distribution_open
from enterprise.models.roles import Role
from enterprise.numbers import figure
from tests.brigades.conftest import TABLE_19_MEMBERS, TABLE_19_RATES, D, make_crew, make_grid
from tests.brigades.factories import KtuCriterionFactory, PostFactory

pytestmark = pytest.mark.browser

PASSWORD = "Brigada-19-Parol"
# A button's name starts with its Bootstrap icon's glyph: match the end.
TIMESHEET = re.compile(r"Табель$")


def _account(user, first_name, last_name):
    user.first_name, user.last_name = first_name, last_name
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(page: Page, base: str, username: str):
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def _log_out(page: Page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def _row(page: Page, line: Line):
    """The timesheet row of a line (its hidden input carries the line's id)."""
    return page.locator("tr[data-rate]").filter(
        has=page.locator(f"input[type=hidden][value='{line.pk}']")
    )


@pytest.fixture
def brigade19(live_world):
    """Brigade № 19 led by the world's brigade leader; November opened by the master."""
    world = live_world
    grid = make_grid(world, "table-19", TABLE_19_RATES)
    crew = make_crew(world, grid, TABLE_19_MEMBERS, number=19)
    crew.brigade.method = Brigade.Method.KTU
    crew.brigade.name = "Фрезеровщики"
    crew.brigade.save()
    head = crew.workers[0]
    head.user = world.users[Role.BRIGADE_LEADER]
    head.save()
    PostFactory(brigade=crew.brigade, worker=head)
    KtuCriterionFactory(
        enterprise=world.enterprise, name="Помощь другим членам бригады", adjustment=D("0.05")
    )
    distribution = distribution_open(
        brigade=crew.brigade, period=world.period(2026, 11), user=world.users[Role.MASTER]
    )
    return crew, distribution


def test_the_leader_fills_the_month_and_the_shop_head_approves_it(
    page: Page, live_server, live_world, brigade19, shoot, console_errors
):
    world = live_world
    crew, distribution = brigade19
    leader = _account(world.users[Role.BRIGADE_LEADER], "Иван", "Петров")
    shop_head = _account(world.users[Role.SHOP_HEAD], "Андрей", "Волков")
    lines = crew.lines(distribution)
    base = live_server.url

    _log_in(page, base, leader.username)
    shoot(page, "home")
    page.locator("a.dropdown-toggle", has_text="Бригады").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="Бригады", exact=True).click()
    page.get_by_role("link", name="Фрезеровщики").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Фрезеровщики")
    shoot(page, "brigade")
    page.get_by_role("link", name="ноябрь 2026").click()
    expect(page.get_by_test_id("status")).to_have_text("черновик")
    shoot(page, "draft")
    page.get_by_role("link", name=TIMESHEET).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Табель")

    # Hours past any month's 744 are refused: the summary at the top says so, and the
    # refused cell is outlined and takes the focus.
    _row(page, lines[1]).locator("input[name$='-hours']").fill("800")
    page.get_by_role("button", name="Сохранить табель").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    refused = _row(page, lines[1]).locator("input[name$='-hours']")
    expect(refused).to_be_focused()
    expect(refused).to_have_class(re.compile(r"\bis-invalid\b"))
    shoot(page, "timesheet-refused")

    # The tariff cell follows the hours as they are typed: 0.670 × 161,5 = 108.205 → 108,21.
    second = _row(page, lines[1])
    second.locator("input[name$='-hours']").fill("161,5")
    expect(second.locator("[data-tariff]")).to_have_text("108,21")
    first = _row(page, lines[0])
    first.locator("input[name$='-hours']").clear()
    first.locator("input[name$='-hours']").press_sequentially("176")
    expect(first.locator("[data-tariff]")).to_have_text("106,66")
    for line, hours in zip(lines[2:], crew.hours[2:], strict=True):
        _row(page, line).locator("input[name$='-hours']").fill(str(hours))
    # 106.66 + 108.21 + 74.53 + 106.66 + 96.45
    expect(page.locator("[data-tariff-total]")).to_have_text("492,51")
    shoot(page, "timesheet")
    page.get_by_role("button", name="Сохранить табель").click()
    expect(page.get_by_text("Табель сохранён, доли пересчитаны.")).to_be_visible()
    assert Line.objects.get(pk=lines[1].pk).tariff == D("108.21")

    # KTU of the third member: the council raises it for helping others.
    third = crew.workers[2]
    sheet = page.get_by_test_id("sheet")
    sheet.locator("tr", has_text=third.short_name).get_by_role("link", name="1,00").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(third.full_name)
    page.get_by_label("Помощь другим членам бригады").check()
    shoot(page, "ktu")
    page.get_by_role("button", name="Установить").click()
    expect(page.get_by_text("КТУ установлен.")).to_be_visible()
    expect(sheet.locator("tr", has_text=third.short_name)).to_contain_text("1,05")

    page.get_by_role("link", name="Заработок и способ").click()
    page.get_by_label("Сдельный заработок по наряду, руб.").fill("1 100,00")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Заработок сохранён, доли пересчитаны.")).to_be_visible()
    # the collective 1 100,00 and, on top of it, the leader's surcharge (table 16)
    surcharge = sum(
        Line.objects.filter(distribution=distribution).values_list("surcharge", flat=True)
    )
    assert surcharge > 0
    expect(page.get_by_test_id("surcharge-total")).to_have_text(figure(surcharge, 2))
    expect(page.get_by_test_id("grand-total")).to_have_text(figure(D("1100.00") + surcharge, 2))
    expect(page.get_by_test_id("check")).to_contain_text("равны итогам")

    agree = page.get_by_test_id("agree-form")
    agree.get_by_label("Протокол совета бригады").fill("№ 11 от 27.11.2026")
    agree.get_by_role("button", name="Совет согласовал").click()
    # what agreeing does, asked first
    expect(page.get_by_test_id("confirm-effects")).to_contain_text("начальнику цеха")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("status")).to_have_text("согласовано советом бригады")
    # Agreed: the leader's editing links are gone.
    expect(page.get_by_role("link", name=TIMESHEET)).to_have_count(0)
    shoot(page, "agreed")
    _log_out(page)

    _log_in(page, base, shop_head.username)
    page.get_by_role("link", name=re.compile("Утвердить распределение")).first.click()
    expect(page.get_by_test_id("status")).to_have_text("согласовано советом бригады")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Утвердить распределение?")
    expect(page.get_by_test_id("confirm-details")).to_contain_text("1 100,00")
    shoot(page, "approve-confirm")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_text("Распределение утверждено.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("утверждено начальником цеха")
    expect(page.get_by_text("утвердил Андрей Волков")).to_be_visible()
    shoot(page, "approved")
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED
    assert distribution.approved_by == shop_head

    pdf = page.get_by_role("link", name="Печать (PDF)")
    href = pdf.get_attribute("href")
    assert href == reverse("brigades:distribution_pdf", args=[distribution.pk])
    response = page.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert console_errors == []
