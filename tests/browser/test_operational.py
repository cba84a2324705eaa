"""Shift tasks in Chromium: a dispatcher and a master run a section's days.

The dispatcher (the bureau) finds «Сменные задания» in the menu, opens section A1's
October, creates the task of a day (gone by: asked again, confirmed), composes its lines
(turning and drilling of a part, for two turners) and issues it to the master after the
confirmation page; the next day's task, which the shift will not run on, it cancels (no
reason is refused). The master marks the drilling without tooling: the task goes back to
the bureau, which says how it is resolved and issues it again; the master ticks
everything, signs it (confirmation page) and, after the shift, records both stubs in one
form. The day's report shows the norm-hours, the month's page the rhythmicity, and the
worker's line of the month's output grid his plan's fulfilment — all from the one
recording.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from enterprise.models.roles import Role
from planning.operational.models import ShiftTask
from tests.planning.factories import PersonalPlanFactory
from tests.planning.operational.shiftworld import route_a1

pytestmark = pytest.mark.browser

PASSWORD = "Smennoe-Zadanie-5"
TWELFTH, THIRTEENTH = datetime.date(2026, 10, 12), datetime.date(2026, 10, 13)


def _log_in(page: Page, base: str, user) -> None:
    page.goto(base + "/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def _log_out(page: Page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_a_dispatcher_and_a_master_run_a_shift_task(
    page: Page, live_server, live_world, shoot, console_errors
):
    world = live_world
    for role in (Role.DISPATCHER, Role.MASTER):
        world.users[role].set_password(PASSWORD)
        world.users[role].save()
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    PersonalPlanFactory(worker=first)  # 2517,23 norm-hours a year over 1982 h
    base = live_server.url

    # The bureau: the menu, the section's month, a new task and its lines.
    _log_in(page, base, world.users[Role.DISPATCHER])
    page.get_by_test_id("planning-menu").click()
    page.get_by_test_id("nav-shifts").click()
    page.get_by_label("Месяц").select_option(label="октябрь 2026")
    page.get_by_role("button", name="Показать").click()
    page.get_by_test_id("shift-month-link").first.click()
    page.get_by_label("Дата").fill("2026-10-12")
    page.get_by_role("button", name="Создать и составить").click()
    # October is gone by: asked again at the date; confirmed.
    expect(page.get_by_test_id("confirm-unlikely")).to_be_visible()
    shoot(page, "past-shift-asked")
    page.get_by_label("Подтверждаю: отмеченные цифры верны").check()
    page.get_by_role("button", name="Создать и составить").click()
    page.locator("select[name='items-0-route_operation']").select_option(str(turning.pk))
    page.locator("select[name='items-0-worker']").select_option(str(first.pk))
    page.locator("input[name='items-0-quantity']").fill("20")
    page.locator("select[name='items-1-route_operation']").select_option(str(drilling.pk))
    page.locator("select[name='items-1-worker']").select_option(str(second.pk))
    page.locator("input[name='items-1-quantity']").fill("20")
    page.get_by_test_id("items-save").click()
    page.get_by_test_id("issue").click()
    shoot(page, "issue-confirm")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("task-status")).to_have_text("выдано мастеру")
    task_url = page.url

    # A task for the 13th that the shift will not run on: cancelled, with its reason.
    page.get_by_role("link", name=re.compile("Участок № 1, октябрь 2026")).click()
    page.get_by_label("Дата").fill("2026-10-13")
    page.get_by_role("button", name="Создать и составить").click()
    page.get_by_label("Подтверждаю: отмеченные цифры верны").check()
    page.get_by_role("button", name="Создать и составить").click()
    page.goto(
        base + reverse("planning:shift_task", args=[ShiftTask.objects.get(date=THIRTEENTH).pk])
    )
    page.get_by_test_id("cancel").locator("summary").click()
    page.get_by_test_id("cancel-submit").click()
    expect(page.locator(".alert-danger").first).to_contain_text("Укажите причину отмены задания.")
    page.get_by_label("Причина отмены").fill("Смену перенесли на субботу")
    page.get_by_test_id("cancel-submit").click()
    shoot(page, "cancel-confirm")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("task-status")).to_have_text("отменено")
    expect(page.get_by_test_id("cancelled")).to_contain_text("Смену перенесли на субботу")
    _log_out(page)

    # The master: no tooling for the drilling — back to the bureau.
    _log_in(page, base, world.users[Role.MASTER])
    page.goto(task_url)
    task = ShiftTask.objects.get(date=TWELFTH)
    drill_item = task.items.get(route_operation=drilling)
    page.locator(f"input[name='i{drill_item.pk}-tooling']").uncheck()
    page.locator(f"input[name='i{drill_item.pk}-note']").fill("нет кондуктора")
    page.get_by_test_id("check-submit").click()
    expect(page.get_by_test_id("task-status")).to_have_text("возвращено в ПДБ")
    _log_out(page)

    # The bureau resolves it and issues it again.
    _log_in(page, base, world.users[Role.DISPATCHER])
    page.goto(task_url)
    expect(page.get_by_test_id("not-ready")).to_contain_text("оснастки")
    page.get_by_test_id("compose").click()
    page.locator("input[name='items-1-resolved_note']").fill("Кондуктор из цеха № 7")
    page.get_by_test_id("items-save").click()
    page.get_by_test_id("issue").click()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("task-status")).to_have_text("выдано мастеру")
    _log_out(page)

    # The master: all ready, signed; after the shift, both stubs in one form.
    _log_in(page, base, world.users[Role.MASTER])
    page.goto(task_url)
    page.get_by_test_id("check-submit").click()
    expect(page.get_by_test_id("task-status")).to_have_text("готово")
    page.get_by_test_id("sign").click()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("task-status")).to_have_text("подписано мастером")
    page.get_by_test_id("record-output").click()
    items = {item.route_operation_id: item for item in task.items.all()}
    for operation, pieces, hours in ((turning, "20", "7,5"), (drilling, "18", "4")):
        item = items[operation.pk]
        page.locator(f"input[name='o{item.pk}-quantity']").fill(pieces)
        page.locator(f"input[name='o{item.pk}-hours']").fill(hours)
    page.get_by_test_id("output-save").click()
    # 20 × 0,35 + 18 × 0,125 = 9,25 norm-hours.
    expect(page.get_by_test_id("report-norm-hours")).to_have_text("9,25")
    shoot(page, "day-report")

    # The section's month: its rhythmicity follows (one decade planned, one made).
    page.get_by_role("link", name=re.compile("Участок № 1, октябрь 2026")).click()
    expect(page.get_by_test_id("rhythmicity")).to_have_text("1,0000")
    expect(page.get_by_test_id("decade-actual").nth(1)).to_have_text("9,3")
    # The worker's month in his plan's tracking: 7 norm-hours of 213,4 planned = 3,3 %.
    october = world.period(2026, 10)
    page.goto(base + reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk]))
    row = page.locator("tr", has_text=first.short_name)
    expect(row.locator("[data-fulfilment]")).to_have_text("3,3")
    shoot(page, "plan-fulfilment")
    assert console_errors == []


def test_a_full_menu_wraps_instead_of_pushing_the_user_menu_off_a_1280_screen(
    page: Page, live_server, live_world, console_errors
):
    """An administrator sees every app's menu (~1520 px on one line): at 1280 px the menu
    wraps, nothing scrolls sideways and the user menu (with «Выйти») stays on the screen."""
    admin = live_world.users[Role.ADMINISTRATOR]
    admin.set_password(PASSWORD)
    admin.save()
    _log_in(page, live_server.url, admin)
    expect(page.get_by_test_id("operational-menu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    box = page.get_by_test_id("user-menu").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    _log_out(page)
    assert console_errors == []
