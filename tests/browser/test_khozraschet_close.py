"""The demo plant's October summed up in Chromium, then read by the shop head.

The economist of shop 6 (``economist6``) opens «Хозрасчёт» → «Подвести итоги месяца», sums
up his shop: the run's page follows it to the end and opens the shop's results. The shop
head (``shop6``) reads each section's result — its bonuses, its place — and the signed
PDF of section 6.1's month; July–September were summed up by the demo itself, and
September shows the booklet's plan tension 1,3378.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from enterprise.demo import DEMO_PASSWORD, load_demo
from khozraschet.models import ResultRun, SectionResult

pytestmark = pytest.mark.browser
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def test_the_economist_sums_up_october_and_the_shop_head_reads_it(
    page: Page, live_server, transactional_db, settings, shoot, console_errors
):
    # The task runs in the request that queues it (no worker in the test).
    settings.TASKS = IMMEDIATE
    load_demo()
    base = live_server.url

    _log_in(page, base, "economist6")
    page.get_by_test_id("khozraschet-menu").click()
    page.get_by_test_id("khz-close-menu").click()
    expect(page).to_have_url(re.compile(r"/khozraschet/close/2026/10/$"))
    states = page.get_by_test_id("close-states")
    expect(states).to_contain_text("Цех № 6")
    shoot(page, "close-page")
    page.get_by_test_id("close-shop-6").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Подвести итоги цеха № 6")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("готово")
    expect(page.get_by_test_id("progress-text")).to_contain_text("Готово")
    shoot(page, "run")
    run = ResultRun.objects.get()
    assert (run.status, run.requested_by.username, run.changed) == ("done", "economist6", 3)
    page.get_by_test_id("open-results").click()
    expect(page.get_by_test_id("shop-rows")).to_contain_text("Фрезерный")
    assert console_errors == []

    page.context.clear_cookies()
    _log_in(page, base, "shop6")
    page.goto(page.url.rstrip("/") + "/")  # the home page, with the shop's results panel
    section = SectionResult.objects.select_related("section").get(
        period__month=10, section__shop__number=6, section__number=1
    )
    page.goto(base + f"/khozraschet/shops/{section.shop_id}/2026/10/")
    expect(page.get_by_test_id("shop-rows")).to_be_visible()
    for number in (1, 2, 3):
        expect(page.get_by_test_id(f"row-{number}")).to_be_visible()
    places = sorted(
        SectionResult.objects.filter(period__month=10, section__shop__number=6).values_list(
            "rank", flat=True
        )
    )
    assert places == [1, 2, 3]
    shoot(page, "shop-october")

    page.get_by_test_id("row-1").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/khozraschet/sections/{section.section_id}/2026/10/$"))
    expect(page.get_by_test_id("bonus-masters")).to_be_visible()
    expect(page.get_by_test_id("tension")).to_have_text(f"{section.tension}".replace(".", ","))
    shoot(page, "section-october")

    pdf = page.request.get(base + f"/khozraschet/sections/{section.section_id}/2026/10/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Итоги хозрасчёта участка" in text
    assert "Экономист цеха" in text

    page.goto(base + f"/khozraschet/sections/{section.section_id}/2026/9/")
    expect(page.get_by_test_id("tension")).to_have_text("1,3378")
    shoot(page, "section-september")
    assert console_errors == []
