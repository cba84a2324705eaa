"""A batch of plan sheets watched in Chromium: the progress bar moves by itself.

The economist of shop A has a batch half printed (a background worker would be doing the
rest): the page shows it as it is — 2 of 6 sheets, 33 % — and polls the status every
1.5 s. When the worker finishes (here: the test, behind the live server's back) the bar
fills, turns green and the download button appears, without reloading the page.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from planning.models import PrintJob
from tests.planning.matrix_print import plant_plans

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_progress_bar_follows_the_batch_to_the_download(
    page: Page, live_server, live_world, shoot, console_errors
):
    world = live_world
    plant_plans(world)
    economist = world.users["economist"]
    economist.set_password("Pechat-6-Parol")
    economist.save()
    job = PrintJob.objects.create(
        enterprise=world.enterprise,
        year=2026,
        shop=world.units["A"],
        requested_by=economist,
        status=PrintJob.Status.RUNNING,
        total=6,
        done=2,
        chunks=3,
        chunks_done=1,
        started_at=timezone.now(),
    )
    base = live_server.url
    page.goto(base + "/")
    page.locator("#id_username").fill(economist.username)
    page.locator("#id_password").fill("Pechat-6-Parol")
    page.get_by_role("button", name="Войти").click()

    page.goto(f"{base}/planning/print/{job.pk}/")
    bar = page.locator('[data-role="bar"]')
    expect(bar).to_have_text("33 %")
    expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", "33")
    expect(page.get_by_test_id("progress-text")).to_have_text("Напечатано листов: 2 из 6.")
    expect(page.get_by_test_id("download")).to_be_hidden()
    width = bar.evaluate("element => element.getBoundingClientRect().width")
    full = page.get_by_test_id("progress").evaluate("e => e.getBoundingClientRect().width")
    assert 0.3 < width / full < 0.36
    shoot(page, "half-way")

    # the worker renders the rest and merges
    job.done, job.chunks_done, job.status = 6, 3, PrintJob.Status.DONE
    job.finished_at = timezone.now()
    job.file.save("sheets.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    job.save()

    expect(bar).to_have_text("100 %", timeout=5000)
    expect(bar).to_have_class(re.compile(r"\bbg-success\b"))
    expect(page.get_by_test_id("progress-text")).to_have_text("Готово: листов в файле — 6.")
    download = page.get_by_test_id("download")
    expect(download).to_be_visible()
    expect(download).to_have_attribute("href", f"/planning/print/{job.pk}/download/")
    shoot(page, "done")

    # the list of the economist's orders and of what she may print
    page.get_by_role("link", name="Печать листов личных планов").click()
    units = page.get_by_test_id("units")
    expect(units.locator("tbody tr")).to_have_count(3)  # shop A and its two sections
    expect(units.locator("tbody tr").first).to_contain_text("Цех № 6 «Механический цех»")
    expect(page.get_by_test_id("jobs")).to_contain_text("готово")
    shoot(page, "list")
    assert console_errors == []
