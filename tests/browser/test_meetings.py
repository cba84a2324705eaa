"""A worker's proposal from filing to the administration's answer, the overdue list and the
statistics, in Chromium (the «Done when» of issue 14).

Over the test world (shop A: sections A1, A2) with its commissions (tests/meetings/worlds):
the world's worker sits in the bureau of shop A's commission; a turner of A2 sits for the
factory committee and passes accepted proposals on; the shop head answers for the
administration. One proposal of shop A («Заточка резцов …») was passed to the
administration 40 days ago: its 30-day term ran out 10 days ago and nobody answered.

A turner of A1 files a proposal with a sketch (a PNG); the bureau accepts it, the factory
committee passes it, the shop head agrees the same day — within the term — and leaves the
other one past it. His overdue list shows the old one and not the new; the statistics of
shop A show both passed proposals: one answered in 0 days, one late.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from enterprise.models import RoleAssignment
from enterprise.models.roles import Role
from meetings.models import CommissionMember, Proposal, ProposalAuthor
from tests.factories import PASSWORD, UserFactory
from tests.meetings.worlds import meeting_world

pytestmark = pytest.mark.browser

OLD_TITLE = "Заточка резцов централизованно в инструментальном цехе"
NEW_TITLE = "Быстросменные кулачки на токарных патронах"


def _worker_user(world, worker, username: str):
    user = UserFactory(username=username, first_name=worker.first_name, last_name=worker.last_name)
    RoleAssignment.objects.create(
        user=user,
        role=Role.WORKER,
        enterprise=world.enterprise,
        valid_from=datetime.date(2026, 1, 1),
    )
    worker.user = user
    worker.save()
    return user


@pytest.fixture
def proposal_world(live_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = live_world
    objects = meeting_world(world)
    filer = world.workers["A1"][1]
    _worker_user(world, filer, "turner")
    committee = _worker_user(world, world.workers["A2"][1], "fzk")
    CommissionMember.objects.create(
        commission=objects["commission of A"],
        user=committee,
        worker=world.workers["A2"][1],
        name="Орлов В. Ф.",
        group="committee",
        is_factory_committee=True,
    )
    today = timezone.localdate()
    old = Proposal.objects.create(
        enterprise=world.enterprise,
        number=1,
        shop=world.units["A"],
        title=OLD_TITLE,
        problem="Резцы точат на каждом станке, теряя время",
        solution="Точить централизованно",
        submitted_on=today - datetime.timedelta(days=60),
        review_due=today - datetime.timedelta(days=45),
        status=Proposal.Status.PASSED,
        reviewed_on=today - datetime.timedelta(days=55),
        passed_on=today - datetime.timedelta(days=40),
        answer_due=today - datetime.timedelta(days=10),
    )
    ProposalAuthor.objects.create(proposal=old, worker=world.workers["A2"][0])
    return world


def _sketch(tmp_path):
    path = tmp_path / "эскиз.png"
    image = Image.new("RGB", (120, 80), "white")
    for x in range(10, 110):
        image.putpixel((x, 40), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _log_in(page: Page, base: str, username: str):
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def _take_step(page: Page, shoot, name: str):
    """Send the step's form; a step that cannot be undone is confirmed first, on the
    page that says what it will do."""
    page.get_by_test_id("step-submit").click()
    page.wait_for_load_state()
    if page.get_by_test_id("confirm").count():
        shoot(page, f"{name}-confirmation")
        page.get_by_test_id("confirm-button").click()
        page.wait_for_load_state()
    shoot(page, name)


def _menu(page: Page, item: str):
    page.get_by_test_id("meetings-menu").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=item).click()
    page.wait_for_load_state()


def test_a_proposal_is_filed_accepted_passed_answered_and_the_late_one_is_listed(
    page: Page, live_server, proposal_world, shoot, console_errors, tmp_path
):
    base = live_server.url

    # The turner files his proposal with a sketch.
    _log_in(page, base, "turner")
    _menu(page, "Подать предложение")
    shoot(page, "form")
    page.get_by_label("Предложение кратко").fill(NEW_TITLE)
    page.get_by_label("Что плохо").fill("Кулачки меняют ключом по 20 минут на каждой наладке")
    page.get_by_label("Что сделать").fill(
        "Поставить быстросменные кулачки на патроны станков 16К20"
    )
    page.get_by_label("Экономия труда, нормо-ч в год").fill("120,5")
    page.locator("#id_doc_0_name").fill("Эскиз кулачка")
    page.locator("#id_doc_0_file").set_input_files(str(_sketch(tmp_path)))
    page.get_by_test_id("proposal-submit").click()
    page.wait_for_load_state()
    shoot(page, "filed")
    expect(page.locator("h1")).to_contain_text("Предложение №")
    expect(page.get_by_test_id("documents")).to_contain_text("Эскиз кулачка")
    proposal_url = page.url
    new = Proposal.objects.get(title=NEW_TITLE)
    assert new.documents.get().content_type == "image/png"
    # on his phone neither the proposal's facts nor his home card push the page sideways
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (proposal_url, base + "/"):
        page.goto(path)
        shoot(page, "phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.set_viewport_size({"width": 1280, "height": 860})

    # The bureau (the world's worker) accepts it.
    _log_in(page, base, "worker")
    page.goto(proposal_url)
    page.get_by_test_id("step-form-review").get_by_label("принять").check()
    _take_step(page, shoot, "accepted")
    expect(page.get_by_test_id("step-reviewed")).to_contain_text("Принято бюро")

    # The factory committee passes it to the administration.
    _log_in(page, base, "fzk")
    page.goto(proposal_url)
    _take_step(page, shoot, "passed")
    expect(page.get_by_test_id("step-passed")).to_be_visible()

    # The shop head agrees within the term; the old one stays unanswered.
    _log_in(page, base, "shop_head")
    page.goto(proposal_url)
    page.get_by_test_id("step-form-answer").get_by_label("согласовать").check()
    page.get_by_label("Текст ответа").fill("Кулачки заказать в инструментальном цехе")
    _take_step(page, shoot, "answered")
    answered = page.get_by_test_id("step-answered")
    expect(answered).to_contain_text("Согласовано администрацией")
    expect(answered).not_to_contain_text("позже срока")

    # His overdue list: the old one, past its term; not the new one.
    _menu(page, "Просроченные предложения")
    shoot(page, "overdue")
    main = page.locator("main")
    expect(main).to_contain_text(OLD_TITLE)
    expect(main).not_to_contain_text(NEW_TITLE)

    # The statistics of shop A since the old proposal's filing.
    today = timezone.localdate()
    start = today - datetime.timedelta(days=90)
    page.goto(f"{base}/meetings/statistics/?date_from={start:%Y-%m-%d}&date_to={today:%Y-%m-%d}")
    shoot(page, "statistics")
    review = page.get_by_test_id("stats-times").locator("tr[data-step=review] td")
    answer = page.get_by_test_id("stats-times").locator("tr[data-step=answer] td")
    # the bureau: both answered, in 5 and 0 days; the administration: one of two, in 0
    # days, one late (waiting 40 days against 30)
    expect(review.nth(2)).to_have_text("2")
    expect(answer.nth(1)).to_have_text("30")
    expect(answer.nth(2)).to_have_text("1")
    expect(answer.nth(3)).to_have_text("0")
    expect(answer.nth(5)).to_have_text("1")
    outcomes = page.get_by_test_id("stats-outcomes")
    expect(outcomes.locator("tr[data-outcome=in_progress] td").nth(1)).to_have_text("2")
    expect(page.get_by_test_id("stats-pdf")).to_be_visible()
    # the menus and the page fit the screen: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # on a phone too (it was 682 px wide at 390): the tables read as cards, each figure
    # under its column's heading
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "statistics-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(answer.nth(1)).to_have_attribute("data-label", "Срок")
    expect(page.get_by_test_id("stats-times").locator("thead")).to_be_hidden()
    assert re.search(r"/meetings/statistics/", page.url)
    assert console_errors == []
