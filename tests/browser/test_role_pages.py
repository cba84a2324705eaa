"""The worker's own pages on a phone (375 px wide) in Chromium: his home — his pay, his
plan's progress chart, his brigade — with a menu of his pages only, and the competition
board, where his row is marked and no column is cut off (each row stacks as a card)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from enterprise.models.roles import Role
from tests.browser.login import log_in
from tests.role_world import TODAY, brigade_pay, plans_with_output

pytestmark = pytest.mark.browser

PASSWORD = "Svoi-Stranitsy-7"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser: Browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    )
    yield context.new_page()
    context.close()


def _fits(page) -> None:
    """Nothing wider than the phone: the page does not scroll sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_worker_reads_his_pay_and_finds_himself_on_the_board_on_a_phone(
    live_server, live_world, phone, shoot, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    world = live_world
    brigade_pay(world)
    plans_with_output(world, outputs=("180", "200"))
    page, base = phone, live_server.url
    log_in(page, base, world.users[Role.WORKER], PASSWORD)

    pay = page.get_by_test_id("my-pay-approved")
    expect(pay.get_by_test_id("my-pay-total")).to_have_text("25\u00a0768,18 руб.")
    expect(pay.get_by_test_id("my-pay-share")).to_have_text("42,9 %")
    expect(page.get_by_test_id("my-pay-pending")).to_be_visible()
    expect(page.get_by_test_id("my-brigade")).to_contain_text("Бригада № 5 «Токари»")
    chart = page.get_by_test_id("my-plan-chart-phone").locator("svg")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= PHONE["width"]
    _fits(page)
    shoot(page, "home")

    page.get_by_role("button", name="Меню").click()
    menu = page.locator("#mainnav")
    expect(menu.get_by_text("Бригады", exact=True).first).to_be_visible()
    for item in ("nav-structure", "nav-tariffs", "nav-scales", "nav-periods"):
        expect(page.get_by_test_id(item)).to_have_count(0)
    menu.get_by_test_id("planning-menu").click()
    expect(menu.get_by_test_id("nav-my-plan")).to_be_visible()
    shoot(page, "menu")

    page.goto(base + f"/planning/board/{world.units['A'].pk}/")
    page.get_by_test_id("board-find-me").click()
    mine = page.get_by_test_id("board-mine")
    expect(mine).to_contain_text(world.worker.short_name)
    expect(mine).to_contain_text("это вы")
    expect(mine.locator(".place-badge")).to_have_text("2")
    for cell in mine.locator("td:visible").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
    # the column's heading is the cell's label on a phone (the table's head is hidden)
    expect(page.locator(".board-table thead")).to_be_hidden()
    label = mine.locator("td.pct").evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Выполнение, %"'
    _fits(page)
    shoot(page, "board")


def test_the_economist_reads_a_scale_s_whole_table_on_a_phone(
    live_server, live_world, phone, shoot
):
    """A scale's columns are named by its long labels («коэффициент комплексной оценки
    Ккоэкт: от»): kept on one line, they pushed its third column, the value, off a phone's
    screen. The headings wrap; the three columns fit."""
    from tests.factories import StepScaleFactory, StepScaleRowFactory

    world = live_world
    scale = StepScaleFactory(
        enterprise=world.enterprise,
        name="Корректировка премии по коэффициенту комплексной оценки Ккоэкт",
        argument_label="коэффициент комплексной оценки Ккоэкт",
        value_label="коэффициент корректировки премии",
    )
    for lower, upper, value in (("0", "0.5", "0"), ("0.5", "0.75", "0.75"), ("0.75", None, "1")):
        StepScaleRowFactory(scale=scale, lower=lower, upper=upper, value=value)
    page, base = phone, live_server.url
    log_in(page, base, world.users[Role.ECONOMIST], PASSWORD)

    page.goto(base + f"/scales/{scale.pk}/")
    table = page.locator("main table").first
    expect(table.locator("tbody tr")).to_have_count(3)
    value = table.locator("tbody tr").last.locator("td").last
    expect(value).to_have_text("1")
    shoot(page, "scale")
    box = value.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], box
    for wrapper in page.locator("main .table-responsive").all():  # the scale's, the history's
        assert wrapper.evaluate("w => w.scrollWidth <= w.clientWidth")
    expect(page.get_by_test_id("scale-labels")).to_contain_text(
        "Показатель: коэффициент комплексной оценки Ккоэкт"
    )
    # The history stacks its entries: each change reads whole on the phone's width.
    change = page.get_by_test_id("history").locator("tbody tr").first
    expect(change).to_contain_text("создание")
    box = change.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    _fits(page)


def test_the_master_sees_his_urgent_steps_marked_and_his_results_whole_on_a_phone(
    live_server, live_world, phone, shoot
):
    """A master's home on a phone: yesterday's signed shift waits for its output, marked
    urgent — a red bar and the word «срочно» (the bar had been drawn 0 px wide: Bootstrap's
    flush list set it so) — and the card of his section's results stacks: the half-year
    line ran 70 px past the screen."""
    import datetime

    from django.utils import timezone

    from enterprise.models import Period
    from tests.khozraschet.results_world import results_world
    from tests.planning.operational.shiftworld import route_a1, signed_task

    world = live_world
    results_world(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for day in (yesterday, timezone.localdate()):
        Period.objects.get_or_create(enterprise=world.enterprise, year=day.year, month=day.month)
    turning, _drilling = route_a1(world)
    signed_task(world, yesterday, [(turning, world.workers["A1"][0], 5)], shift=1)
    page, base = phone, live_server.url
    log_in(page, base, world.users[Role.MASTER], PASSWORD)

    task = page.get_by_test_id("tasks").locator("a", has_text="Записать выработку")
    expect(task).to_contain_text("цех 6, участок 1")
    expect(task.get_by_test_id("task-urgent")).to_have_text("срочно")
    assert task.evaluate("a => getComputedStyle(a).borderLeftWidth") == "4px"
    not_urgent = page.get_by_test_id("tasks").locator("a:not(.task-urgent)")
    for other in not_urgent.all():
        assert other.evaluate("a => getComputedStyle(a).borderLeftWidth") == "0px"
    # named at the top too: on a phone the list stands below the cards
    summary = page.get_by_test_id("tasks-urgent-summary")
    expect(summary).to_have_text("Срочных дел: 1 — к списку «Ждёт ваших действий»")
    summary.click()
    expect(page).to_have_url(re.compile(r"#tasks$"))
    expect(task).to_be_in_viewport()

    panel = page.get_by_test_id("khz-panel")
    expect(panel).to_contain_text("Токарный участок")
    line = panel.locator(".trend-cell svg").first
    expect(line).to_be_visible()
    box = line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert panel.locator(".table-responsive").evaluate("w => w.scrollWidth <= w.clientWidth")
    expect(panel.locator(".trend-cell")).to_have_attribute("data-label", "Кнапр за полгода")
    _fits(page)
    shoot(page, "master-home")
