"""A working day of every role on the demo plant, in Chromium.

The demo plant of ``make run`` is loaded once for this module (it takes about as long as
eight ordinary browser tests) and served by a live server of the module's own; each test
logs one demo user in through the login form and walks what that role does in a day:
the home page first, then what it points to. Every page passed is checked for its
status, its heading and the absence of script errors, and is photographed when
``SCREENSHOT_DIR`` is set.

The walks act on different documents (the worker agrees his plan, the shop head
approves a distribution, the bureau files a claim, …), so their order does not matter —
except the last test's: the economist sums up October, which changes what the home pages
of the walks above show, so it runs after them (tests run in the file's order). The
module's tests are one xdist group (tests/conftest.py, ``XdistGroups``): one worker of the
suite runs them all over one demo plant, loaded once in the whole run.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import modify_settings, override_settings
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from enterprise.demo import DEMO_PASSWORD, load_demo
from khozraschet.models import ResultRun, SectionResult

# The tests are database tests (their own transaction, rolled back) over the module's
# committed demo plant; the live server is the module's, not pytest-django's, whose every
# test would empty the tables.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PHONE = {"width": 375, "height": 760}


@pytest.fixture(scope="module")
def demo_plant(django_db_setup, django_db_blocker, world_keeper):
    """The demo plant, committed, and a live server over it, for the whole module."""
    world_keeper.flush()
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS=IMMEDIATE),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
    ):
        load_demo()
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # Closed here, while the ORM may still run beside Playwright's loop: at the
            # session's end the test database could not be dropped with it open.
            connection.close()


class Walk:
    """One user's walk: every page checked and photographed in order."""

    def __init__(self, page: Page, base: str, shoot, console_errors):
        self.page, self.base, self.shoot, self.errors = page, base, shoot, console_errors
        page.on(
            "response",
            lambda r: console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def log_in(self, username: str) -> None:
        self.page.goto(self.base + "/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Войти").click()
        expect(self.page).to_have_url(self.base + "/")
        self.seen("home")

    def visit(self, path: str, name: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (path, response)
        self.seen(name)

    def follow(self, link_text: str | re.Pattern, name: str) -> None:
        """Click a link of the main area (not the menu) and check the page it opens."""
        self.page.locator("main").get_by_role("link", name=link_text).first.click()
        self.page.wait_for_load_state()
        self.seen(name)

    def confirm(self, name: str) -> None:
        """Pass the confirmation page of an irreversible step (photographed as ``name``)."""
        expect(self.page.get_by_test_id("confirm")).to_be_visible()
        self.seen(f"{name}-confirmation")
        self.page.get_by_test_id("confirm-button").click()
        self.page.wait_for_load_state()
        self.seen(name)

    def tick_all_and_confirm(self, button: str | re.Pattern, name: str) -> None:
        """Tick every item of a bulk list, send it, confirm, and see every item done."""
        boxes = self.page.locator("main input[type=checkbox]:not([disabled])")
        assert boxes.count() >= 1
        for i in range(boxes.count()):
            boxes.nth(i).check()
        self.page.get_by_role("button", name=button).last.click()
        self.confirm(name)
        expect(self.page.locator("main")).to_contain_text("Выполнено")

    def open_result(self, section: str, name: str) -> None:
        """Open a section's result from the home page's self-financing panel."""
        self.page.locator("main a[href*='/khozraschet/sections/']", has_text=section).first.click()
        self.page.wait_for_load_state()
        self.seen(name)

    def seen(self, name: str) -> None:
        expect(self.page.locator("h1").first).to_be_visible()
        body = self.page.locator("body").inner_text()
        assert "Traceback" not in body and "Server Error" not in body
        self.shoot(self.page, name)
        assert self.errors == [], (name, self.errors)

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.fixture
def walk(page: Page, demo_plant, shoot, console_errors) -> Walk:
    return Walk(page, demo_plant, shoot, console_errors)


def test_the_worker_agrees_his_plan_and_reads_his_pay_and_the_board(walk: Walk, page: Page):
    walk.log_in("worker1301")
    menu = page.locator("nav").inner_text()
    assert "Структура" not in menu and "Тарифная сетка" not in menu  # not a worker's pages
    walk.follow("Ваш личный план на 2027 год ждёт согласия", "plan-2027")
    page.get_by_role("button", name="Я согласен с планом").click()
    walk.confirm("plan-agreed")
    expect(page.locator("main")).to_contain_text("согласован с рабочим")

    page.context.clear_cookies()
    walk.log_in("worker61")
    expect(page.locator("main")).to_contain_text("Мой заработок в бригаде")
    expect(page.locator("main")).to_contain_text("Моя бригада:")
    walk.visit("/planning/board/", "board")
    mine = page.locator("main tr", has_text="это вы")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Тимофеев")
    page.set_viewport_size(PHONE)
    walk.seen("board-phone")
    # On a phone nothing is cut off: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    walk.visit("/", "home-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_leader_opens_november_and_reads_the_brigades(walk: Walk, page: Page):
    walk.log_in("leader61")
    walk.follow(re.compile("Табель и распределение"), "distribution-november")
    expect(page.locator("main")).to_contain_text("ноябрь 2026")
    page.locator("main").get_by_role("link", name=re.compile("Табель")).first.click()
    page.wait_for_load_state()
    walk.seen("timesheet")
    expect(page.locator("main form")).to_be_visible()
    walk.visit("/brigades/report/", "brigade-report")


def test_the_master_is_refused_an_impossible_output_and_signs_his_section(walk: Walk, page: Page):
    walk.log_in("master61")
    walk.visit("/planning/output/", "output")
    walk.follow("Выработка рабочих за ноябрь 2026", "output-grid")
    page.locator("#id_rows-0-output").fill("99999")
    page.get_by_role("button", name="Сохранить выработку").click()
    page.wait_for_load_state()
    walk.seen("output-refused")
    summary = page.locator(".alert-danger").first
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 400  # the summary is at the top, not below the fold

    walk.visit("/", "home-again")
    walk.follow(re.compile("Подписать личные планы"), "plans-to-sign")
    walk.tick_all_and_confirm(re.compile("Подписать"), "signed")
    walk.visit("/", "home-after-signing")
    walk.open_result("Участок № 1", "section-september")
    expect(page.get_by_test_id("tension")).to_have_text("1,3378")


def test_the_shop_head_approves_october_at_once(walk: Walk, page: Page):
    walk.log_in("shop6")
    walk.follow(re.compile("Утвердить списком"), "bulk-approve")
    walk.tick_all_and_confirm("Утвердить отмеченные", "approved")
    walk.visit("/planning/bonuses/", "bonuses")
    walk.visit("/", "home-after-approving")
    walk.open_result("Участок № 1", "section-september")
    expect(page.get_by_test_id("tension")).to_have_text("1,3378")


def test_the_bureau_sees_its_errors_at_the_top(walk: Walk, page: Page):
    walk.log_in("pdb6")
    walk.visit("/claims/new/", "claim-form")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    walk.seen("claim-refused")
    summary = page.locator(".alert-danger").first
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 400
    walk.visit("/claims/statement/", "statement")


def test_the_economist_exports_typed_figures(walk: Walk, page: Page):
    walk.log_in("economist6")
    walk.visit("/planning/", "plans")
    with page.expect_download() as download:
        page.locator("main a[href*='_export=xlsx']").first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.title == "Личные планы"
    figures = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert any(isinstance(v, (int, float)) and v > 1000 for v in figures)  # numbers, not text
    walk.visit("/planning/bonuses/", "bonuses")
    walk.visit("/khozraschet/close/", "close-index")


def test_the_labour_department_reads_the_month_before_closing_it(walk: Walk, page: Page):
    walk.log_in("otiz")
    walk.follow(re.compile("Закрыть период «октябрь 2026»"), "period")
    walk.visit("/brigades/ktu/", "ktu-regulation")
    walk.visit("/scales/", "scales")
    walk.visit("/admin/enterprise/worker/", "admin-workers")
    expect(page.locator("h1")).to_contain_text("Выберите рабочего для изменения")


def test_the_production_head_decides_a_claim(walk: Walk, page: Page):
    walk.log_in("prodhead")
    walk.follow(re.compile("Решить спор по претензии"), "claim")
    form = page.locator("main form", has=page.locator("#id_amount"))
    expect(form).to_be_visible()
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    walk.seen("decision-refused")
    summary = page.locator(".alert-danger").first
    expect(summary).to_contain_text("Обоснование решения")
    assert summary.bounding_box()["y"] < 400  # at the top, above the claim's title
    page.locator("#id_amount").fill("42,12")
    page.locator("#id_reason").fill("Ответчик признал половину; признание обосновано.")
    page.locator("main form", has=page.locator("#id_amount")).locator(
        "button[type=submit]"
    ).last.click()
    walk.confirm("decided")
    expect(page.locator("main")).to_contain_text("42,12")
    walk.visit("/claims/statement/", "statement")
    walk.visit("/khozraschet/board/", "khozraschet-board")


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


# On PostgreSQL only: on SQLite the module's live server shares the test's connection (an
# in-memory database has no other), so the run's request never commits and the close it
# queues on commit never starts (the page waits at «в очереди»). The close's pages and
# its run are tested on SQLite too, through the test client (tests/khozraschet).
@pytest.mark.postgres
def test_the_economist_sums_up_october_and_the_shop_head_reads_it(
    page: Page, demo_plant, shoot, console_errors
):
    """The demo plant's October summed up in Chromium, then read by the shop head.

    The economist of shop 6 (``economist6``) opens «Хозрасчёт» → «Подвести итоги месяца»,
    sums up his shop: the run's page follows it to the end and opens the shop's results
    (the task runs in the request that queues it: the module's TASKS). The shop head
    (``shop6``) reads each section's result — its bonuses, its place — and the signed PDF
    of section 6.1's month; July–September were summed up by the demo itself, and
    September shows the booklet's plan tension 1,3378. Last in the module: the walks above
    read the home pages before October is summed up.
    """
    base = demo_plant

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
