"""Self-financing's result pages in Chromium: what the shop head and a worker read.

The close has run for October and November (shop A: A1 with the booklet's vectors, A2;
shop B: B1). The shop head opens his home page (a panel of his sections with a trend),
goes to section A1's November (Кнапр 1,3378, its three charts drawn — the CSP lets their
styles apply), steps back to October (the master's 26,25 %), opens the shop's summary;
a worker opens the board from the menu and lands on his shop's November.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.login import log_in
from tests.khozraschet.results_world import results_world

pytestmark = pytest.mark.browser

PASSWORD = "Khozraschet-6"


def test_the_shop_head_reads_his_sections_and_a_worker_the_board(
    page: Page, live_server, live_world, shoot, console_errors
):
    world = live_world
    results_world(world)
    base = live_server.url

    log_in(page, base, world.users["shop_head"], PASSWORD)
    panel = page.get_by_test_id("khz-panel")
    expect(panel).to_contain_text("итоги за ноябрь 2026")
    expect(panel).to_contain_text("1,3378")
    expect(panel.locator("svg.chart")).to_have_count(2)
    shoot(page, "home")

    panel.get_by_role("link", name="Участок № 1").click()
    expect(page.get_by_test_id("tension")).to_have_text("1,3378")
    for chart in ("chart-plan-actual", "chart-decades", "chart-pareto"):
        svg = page.get_by_test_id(chart).locator("svg")
        expect(svg).to_be_visible()
        # the chart's own <style> applied (the CSP nonce): its bars are filled in colour
        fill = svg.locator("rect.rect").first.evaluate("e => getComputedStyle(e).fill")
        assert fill not in ("", "rgb(0, 0, 0)"), (chart, fill)
    shoot(page, "section-november")

    page.get_by_role("link", name=re.compile("октябрь 2026")).click()
    expect(page.get_by_test_id("bonus-masters").get_by_test_id("bonus-percent")).to_have_text(
        "26,25"
    )
    shoot(page, "section-october")

    page.get_by_role("link", name=re.compile("Механический цех», октябрь 2026")).click()
    expect(page.get_by_test_id("row-1")).to_contain_text("0,9804")
    shoot(page, "shop-october")
    assert console_errors == []

    page.context.clear_cookies()
    log_in(page, base, world.users["worker"], PASSWORD)
    page.get_by_test_id("khozraschet-menu").click()
    page.get_by_role("link", name="Соревнование участков").click()
    expect(page).to_have_url(re.compile(rf"/khozraschet/board/{world.units['A'].pk}/2026/11/$"))
    expect(page.get_by_test_id("board")).to_contain_text("Токарный участок")
    expect(page.get_by_test_id("shop-place")).to_contain_text("1 из 2")
    shoot(page, "board")
    assert console_errors == []
