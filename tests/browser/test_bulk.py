"""The shop head approves a shop's agreed distributions at once, in Chromium.

Three brigades of section A1 have November agreed by their councils. The person who is
both shop A's head and, standing in, A1's master recorded the council's agreement of
one: the list shows it without a checkbox and says why (separation of duties). He
follows the home page's to-do, keeps the two others ticked, sees what approving does,
confirms, and gets the outcome row by row.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from brigades.models import Brigade, Distribution
from brigades.services import distribution_agree
from enterprise.models.roles import Role
from tests.brigades.conftest import (
    TABLE_18_MEMBERS,
    TABLE_18_RATES,
    TABLE_19_MEMBERS,
    TABLE_19_RATES,
    make_crew,
    make_grid,
)
from tests.factories import RoleAssignmentFactory, UserFactory, close_as_is

pytestmark = pytest.mark.browser

PASSWORD = "Spisok-Utverdit-1"


def _month(world, crew, piecework):
    """November of the crew, opened, filled and earned by the master of A1 (a draft)."""
    master = world.users[Role.MASTER]
    distribution = crew.open(master, world.period(2026, 11), Brigade.Method.TARIFF)
    return crew.earn(distribution, master, piecework)


@pytest.fixture
def agreed_three(live_world):
    world = live_world
    grid18 = make_grid(world, "table-18", TABLE_18_RATES)
    grid19 = make_grid(world, "table-19", TABLE_19_RATES)
    head = UserFactory(username="volkov", first_name="Андрей", last_name="Волков")
    head.set_password(PASSWORD)
    head.save()
    RoleAssignmentFactory(user=head, role=Role.SHOP_HEAD, shop=world.units["A"])
    RoleAssignmentFactory(user=head, role=Role.MASTER, section=world.units["A1"])
    documents = []
    for number, grid, members, piecework, agreer in (
        (18, grid18, TABLE_18_MEMBERS, "1053.84", world.users[Role.MASTER]),
        (19, grid19, TABLE_19_MEMBERS, "1100.00", world.users[Role.MASTER]),
        (21, grid19, TABLE_19_MEMBERS[:3], "640.00", head),
    ):
        crew = make_crew(world, grid, members, number=number)
        documents.append(
            distribution_agree(
                distribution=_month(world, crew, piecework),
                minutes=f"№ {number} от 27.11.2026",
                user=agreer,
            )
        )
    return head, documents


def test_the_shop_head_approves_the_agreed_months_at_once(
    page: Page, live_server, agreed_three, shoot, console_errors
):
    head, (first, second, his) = agreed_three
    base = live_server.url
    page.goto(base + "/")
    page.locator("#id_username").fill(head.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")

    page.get_by_role("link", name=re.compile(r"Утвердить списком")).click()
    listing = page.get_by_test_id("bulk-list")
    expect(listing.locator("input[name=pk]")).to_have_count(2)
    expect(listing.locator(f"input[name=pk][value='{first.pk}']")).to_be_checked()
    expect(page.get_by_test_id("bulk-blocked")).to_contain_text("записавший согласие совета")
    shoot(page, "list")

    page.get_by_test_id("bulk-submit").click()
    confirm = page.get_by_test_id("confirm")
    expect(confirm).to_contain_text("Утвердить согласованные распределения")
    expect(page.get_by_test_id("confirm-details")).to_contain_text("2")
    expect(page.get_by_test_id("confirm-effects")).to_contain_text("станет окончательным")
    expect(page.get_by_test_id("confirm-items").locator("li")).to_have_count(2)
    shoot(page, "confirm")
    assert Distribution.objects.filter(status=Distribution.Status.APPROVED).count() == 0

    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("bulk-summary")).to_have_text(
        re.compile(r"Выполнено: 2; отказано: 0\.")
    )
    expect(page.get_by_test_id("bulk-result")).to_have_count(2)
    shoot(page, "done")
    for document in (first, second, his):
        document.refresh_from_db()
    assert [d.status for d in (first, second, his)] == ["approved", "approved", "agreed"]
    assert first.approved_by == head and second.approved_by == head

    # November closes with the third still agreed (as months were closed before the close
    # checked them): its sheet offers nothing and says why; the home page asks nothing
    close_as_is(his.period, UserFactory(username="trud", first_name="Ольга", last_name="Трудова"))
    page.goto(base + his.get_absolute_url())
    note = page.get_by_test_id("frozen-note")
    expect(note).to_contain_text("Месяц «ноябрь 2026» закрыт")
    expect(note).to_contain_text("Ольга Трудова")
    expect(page.get_by_test_id("approve")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    shoot(page, "frozen")
    page.goto(base + "/")
    expect(page.get_by_role("link", name=re.compile(r"Утвердить"))).to_have_count(0)
    assert console_errors == []
