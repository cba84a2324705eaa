"""Two people of the plant log in through the login form and walk the structure in Chromium.

The shop head of shop No. 6 (A) sees both of its sections and none of shop No. 7 (B);
the master of section 1 (A1) sees his section's workers only and gets the 404 page for a
worker of another shop. Both reach the password change page and log out.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from enterprise.models.roles import Role
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "Cex6-Parol-2026"
NEW_PASSWORD = "Novyj-Parol-2027"
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def _person(username, first_name, last_name, role, **unit):
    user = UserFactory(username=username, first_name=first_name, last_name=last_name)
    user.set_password(PASSWORD)
    user.save()
    RoleAssignmentFactory(user=user, role=role, **unit)
    return user


def _log_in(page: Page, base: str, username: str, password: str = PASSWORD):
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def _open_menu(page: Page, item: str):
    """Choose an item of the «Структура» menu (a Bootstrap dropdown: needs its script)."""
    page.get_by_role("button", name="Структура").or_(
        page.get_by_role("link", name="Структура")
    ).click()
    page.get_by_role("link", name=item, exact=True).click()


def _table_text(page: Page) -> str:
    return page.locator("main table").first.inner_text()


def _change_password_page(page: Page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Сменить пароль").click()
    expect(page.get_by_role("heading", name="Смена пароля")).to_be_visible()
    expect(page.get_by_text("Старый пароль")).to_be_visible()


def _log_out(page: Page, base: str):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    # Logged out for real: the home page asks to log in again.
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_the_shop_head_walks_his_shop(page: Page, live_server, live_world, shoot, console_errors):
    world = live_world
    shop_a, shop_b = world.units["A"], world.units["B"]
    _person("nachalnik6", "Андрей", "Волков", Role.SHOP_HEAD, shop=shop_a)
    base = live_server.url

    page.goto(base + "/")
    shoot(page, "login")
    _log_in(page, base, "nachalnik6")
    expect(page.get_by_role("heading", name="Здравствуйте, Андрей Волков")).to_be_visible()
    # Bootstrap's stylesheet is served and allowed by the CSP.
    navbar = page.locator("nav.navbar")
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)
    shoot(page, "home")

    _open_menu(page, "Цеха")
    expect(page.get_by_role("heading", name="Цеха")).to_be_visible()
    shops = _table_text(page)
    assert shop_a.name in shops
    assert shop_b.name not in shops
    shoot(page, "shops")

    page.get_by_role("link", name=shop_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(shop_a.name)
    sections = _table_text(page)
    assert world.units["A1"].name in sections
    assert world.units["A2"].name in sections
    assert world.units["B1"].name not in sections
    shoot(page, "shop")

    page.get_by_role("link", name=world.units["A2"].name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.units["A2"].name)
    workers = _table_text(page)
    for worker in world.workers["A2"]:
        assert worker.full_name in workers
    shoot(page, "section")

    worker = world.workers["A2"][0]
    page.get_by_role("link", name=worker.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(worker.full_name)
    expect(page.locator("#history")).to_contain_text("История")
    shoot(page, "worker")

    # The whole list of sections: his two, not shop No. 7's.
    _open_menu(page, "Участки")
    sections = _table_text(page)
    assert world.units["A1"].name in sections and world.units["A2"].name in sections
    assert world.units["B1"].name not in sections

    # Shop No. 7 by its address: not there for him.
    response = page.goto(base + reverse("enterprise:section_detail", args=[world.units["B1"].pk]))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
    shoot(page, "404")
    console_errors.clear()  # the browser logs the 404 itself

    _change_password_page(page)
    shoot(page, "password")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сменить пароль").click()
    expect(page.get_by_text("Пароль изменён.")).to_be_visible()
    shoot(page, "password-changed")

    _log_out(page, base)
    _log_in(page, base, "nachalnik6", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Здравствуйте, Андрей Волков")).to_be_visible()
    shoot(page, "home-with-the-new-password")
    assert console_errors == []


def test_the_master_sees_his_section_only(
    page: Page, live_server, live_world, shoot, console_errors
):
    world = live_world
    a1 = world.units["A1"]
    _person("master61", "Сергей", "Лебедев", Role.MASTER, section=a1)
    base = live_server.url

    _log_in(page, base, "master61")
    expect(page.get_by_role("heading", name="Здравствуйте, Сергей Лебедев")).to_be_visible()
    shoot(page, "home")

    _open_menu(page, "Цеха")
    shops = _table_text(page)
    assert world.units["A"].name in shops
    assert world.units["B"].name not in shops
    shoot(page, "shops")

    page.get_by_role("link", name=world.units["A"].name).click()
    sections = _table_text(page)
    assert a1.name in sections
    assert world.units["A2"].name not in sections
    shoot(page, "shop")

    page.get_by_role("link", name=a1.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(a1.name)
    shoot(page, "section")

    # The workers list: section 1's people, nobody else's.
    _open_menu(page, "Рабочие")
    expect(page.get_by_role("heading", name="Рабочие")).to_be_visible()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(world.workers["A1"]))
    listed = _table_text(page)
    for worker in world.workers["A1"]:
        assert worker.full_name in listed
    for key in ("A2", "B1"):
        for worker in world.workers[key]:
            assert worker.full_name not in listed
    shoot(page, "workers")

    # Sort by grade through the column header: 3 before 5.
    page.get_by_role("link", name="Разряд").click()
    expect(page).to_have_url(re.compile(r"sort=grade"))
    first = page.locator("main table tbody tr").first
    expect(first).to_contain_text(world.workers["A1"][0].full_name)

    worker = world.workers["A1"][1]
    page.get_by_role("link", name=worker.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(worker.full_name)
    expect(page.locator("dl")).to_contain_text(worker.personnel_number)
    # Changing a worker is the labour & wages department's: no button for the master.
    expect(page.get_by_role("link", name="Изменить")).to_have_count(0)
    shoot(page, "worker")

    # A worker of shop No. 7 by his address: the 404 page.
    stranger = world.workers["B1"][0]
    response = page.goto(base + reverse("enterprise:worker_detail", args=[stranger.pk]))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
    expect(page.get_by_text(stranger.full_name)).to_have_count(0)
    shoot(page, "404")
    console_errors.clear()

    page.get_by_role("link", name="На главную").click()
    expect(page).to_have_url(base + "/")
    _change_password_page(page)
    shoot(page, "password")
    _log_out(page, base)
    shoot(page, "logged-out")
    assert console_errors == []


def test_a_locked_login_says_until_when_and_spares_the_next_user(
    page: Page, live_server, live_world, console_errors
):
    _person("master61", "Сергей", "Лебедев", Role.MASTER, section=live_world.units["A1"])
    _person("shop6", "Иван", "Петров", Role.SHOP_HEAD, shop=live_world.units["A"])
    base = live_server.url
    page.goto(base + "/login/")
    for _n in range(10):
        page.locator("#id_username").fill("master61")
        page.locator("#id_password").fill("wrong-password")
        page.get_by_role("button", name="Войти").click()
        expect(page.get_by_role("heading", name="Вход в систему")).to_be_visible()
    page.locator("#id_username").fill("master61")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    alert = page.locator("[data-login-locked]")
    expect(alert).to_contain_text("вход закрыт на 15 мин.")
    expect(alert).to_contain_text(re.compile(r"Попробуйте снова после \d\d:\d\d\."))
    # the shop head at the same computer logs in
    page.locator("#id_username").fill("shop6")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", name="Здравствуйте, Иван Петров")).to_be_visible()
