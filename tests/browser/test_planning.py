"""Personal plans in Chromium: a section set by table 25, signed by the right roles, printed.

The economist of shop A opens section A1 for 2026, chooses the correction-table method
(the fields of the other methods hide), types the section's growth and norm fulfilment
in Russian decimals, presses «Рассчитать» and reads each worker's calculation and the §4
check, then saves the drafts. The worker agrees with his plan from «Мой личный план»;
the master, the economist and the shop head sign it on its page. The shop head prints
the section's sheets: the batch runs (here inside the request: the immediate task
backend stands in for the worker), the progress page offers the download, and the PDF
has one page per worker with their plans.
"""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from enterprise.models.roles import Role
from planning.models import PersonalPlan, PrintJob
from tests.factories import PeriodFactory
from tests.planning.factories import (
    CorrectionCellFactory,
    MonthlyOutputFactory,
    SectionTaskFactory,
)

pytestmark = pytest.mark.browser

PASSWORD = "Lichnyi-Plan-6"
SPACE = r"[\s\u00a0]"
D = Decimal


def _text(text: str) -> re.Pattern:
    """``"2 812,8"`` inside a longer text, whatever space groups the thousands."""
    return re.compile(re.escape(text).replace(r"\ ", SPACE))


@pytest.fixture(autouse=True)
def _media_and_immediate_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


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


def test_a_section_is_planned_signed_and_printed(
    page: Page, live_server, live_world, shoot, console_errors
):
    world = live_world
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save()
    a1 = world.units["A1"]
    first, second = world.workers["A1"]  # first is the worker who logs in
    # last year's output: 1.36 and 1.00 norm-hours an hour; the plant's table 25 cells
    for month, worker, output in ((6, first, "2448"), (7, second, "1800")):
        period = PeriodFactory(enterprise=world.enterprise, year=2025, month=month)
        MonthlyOutputFactory(
            worker=worker, period=period, output=D(output), hours_worked=D("1800.0")
        )
    CorrectionCellFactory(enterprise=world.enterprise, worker_from=D("1.30"), coefficient=D("0.87"))
    CorrectionCellFactory(
        enterprise=world.enterprise, worker_from=None, worker_to=D("1.10"), coefficient=D("1.26")
    )
    SectionTaskFactory(section=a1, task=D("4800"))
    base = live_server.url

    # the economist sets the section's plans by table 25
    _log_in(page, base, world.users[Role.ECONOMIST])
    page.get_by_test_id("planning-menu").click()
    page.get_by_role("link", name="Сверка с заданиями участков").click()
    page.goto(f"{base}/planning/sections/{a1.pk}/?year=2026")
    form = page.get_by_test_id("method-form")
    form.locator("select[data-plan-method]").select_option("table")
    expect(page.locator("#id_growth_percent")).to_be_hidden()
    expect(page.locator("#id_service_norm")).to_be_hidden()
    expect(page.locator("#id_section_norm_fulfilment")).to_be_visible()
    page.locator("#id_annual_time_fund").fill("1 982,0")
    page.locator("#id_five_year_from").fill("2026")
    page.locator("#id_section_growth_percent").fill("5,0")
    page.locator("#id_section_norm_fulfilment").fill("1,22")
    page.get_by_test_id("preview").click()
    proposal = page.get_by_test_id("proposal")
    expect(page.get_by_text("Расчёт: дифференцированный рост по таблице")).to_be_visible()
    expect(proposal).to_contain_text("К(1,22; 1,36) = 0,870")
    expect(proposal).to_contain_text(_text("2 812,8"))
    expect(page.get_by_test_id("preview-check")).to_contain_text("2,5 %")
    assert not PersonalPlan.objects.exists()  # a preview writes nothing
    shoot(page, "preview")
    page.get_by_test_id("save").click()
    plans = page.get_by_test_id("plans")
    expect(plans.locator("tbody tr")).to_have_count(2)
    expect(plans).to_contain_text(_text("2 812,8"))
    expect(plans.locator(".badge")).to_have_text(["черновик", "черновик"])
    expect(page.get_by_test_id("verdict")).to_contain_text("обоснованы")
    shoot(page, "drafts")
    _log_out(page)

    # the worker agrees with his plan
    _log_in(page, base, world.users[Role.WORKER])
    page.get_by_test_id("planning-menu").click()
    page.get_by_role("link", name="Мой личный план").click()
    # his plan of this year opens itself; in another year the menu offers the list of his
    if page.url.endswith("/planning/"):
        page.get_by_role("link", name="2026").first.click()
    expect(page.get_by_test_id("volume")).to_have_text(_text("2 812,8"))
    expect(page.get_by_test_id("steps")).to_contain_text("0,870")
    shoot(page, "worker's plan")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Вы согласны с планом?")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("status")).to_have_text("согласован с рабочим")
    plan_url = page.url
    _log_out(page)

    # the master, the economist and the shop head sign, each on the plan's page
    for role, key in (
        (Role.MASTER, "master"),
        (Role.ECONOMIST, "economist"),
        (Role.SHOP_HEAD, "shop_head"),
    ):
        user = world.users[role]
        _log_in(page, base, user)
        page.goto(plan_url)
        for other in ("master", "economist", "shop_head"):
            if other != key:
                expect(page.get_by_test_id(f"sign-{other}-button")).to_have_count(0)
        page.get_by_test_id(f"sign-{key}-button").click()
        page.get_by_test_id("confirm-button").click()  # what signing does, asked first
        expect(page.get_by_test_id(f"sign-{key}")).to_contain_text(user.get_full_name())
        if key != "shop_head":
            _log_out(page)
    expect(page.get_by_test_id("status")).to_have_text("подписан")
    plan = PersonalPlan.objects.get(worker=first)
    assert plan.status == PersonalPlan.Status.SIGNED
    assert plan.shop_head_signed_by == world.users[Role.SHOP_HEAD]
    shoot(page, "signed")

    # the shop head prints the section's sheets into one PDF
    page.goto(f"{base}/planning/sections/{a1.pk}/?year=2026")
    page.get_by_test_id("print-section").click()
    job = PrintJob.objects.get()
    expect(page).to_have_url(f"{base}/planning/print/{job.pk}/")
    expect(page.get_by_test_id("progress-text")).to_have_text("Готово: листов в файле — 2.")
    shoot(page, "printed")
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    pdf = Path(info.value.path()).read_bytes()
    if folder := os.environ.get("SCREENSHOT_DIR"):
        (Path(folder) / "section-sheets.pdf").write_bytes(pdf)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    text = " ".join(re.sub(r"\s+", " ", p) for p in pages)
    # The text layer splits a word where a kerning pair pulls its letters together
    # («Т етерин», «Т окарный»): the names are looked for with the spaces taken out.
    solid = re.sub(r"\s+", "", text)
    for worker in (first, second):
        assert worker.last_name in solid
    assert re.search(r"2\s?812,775", text) and "К(1,22; 1,36) = 0,870" in text
    assert console_errors == []
