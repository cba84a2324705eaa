"""A claim from filing to the netting statement in Chromium.

Shop A's dispatcher files a claim of section A2 against section A1 for late parts: he
chooses the type (the page's script swaps in its loss calculator and documents), types
the loss in Russian decimals, presses «Рассчитать» and sees the formula with the amount,
references two required documents by number and date and attaches the third as a PDF
scan. The master of A1 (the defendant's head) accepts part of it with reasons; the head
of shop A — the arbitrator, since both sections are his — decides the rest; the netting
statement of October shows the pair with the balance that moves between their results.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim
from claims.seed import IDLE_SLIP, OVERTIME, SCHEDULE, seed_claim_types
from enterprise.models.roles import Role
from tests.claims.factories import PDF

pytestmark = pytest.mark.browser

PASSWORD = "Pretenziya-6-Parol"
LATE_PARTS = "Несвоевременная поставка деталей"
SPACE = r"[\s\u00a0]"  # the Russian thousands separator: a (no-break) space


def _money(text: str) -> re.Pattern:
    """``"2 757,13"`` as shown: whatever space groups the thousands."""
    return re.compile("^" + re.escape(text).replace(r"\ ", SPACE) + "$")


def _money_text(text: str) -> re.Pattern:
    """``"1 250,40"`` inside a longer text, whatever space groups the thousands."""
    return re.compile(re.escape(text).replace(r"\ ", SPACE))


def _account(user, first_name, last_name):
    user.first_name, user.last_name = first_name, last_name
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(page: Page, base: str, username: str):
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")


def _log_out(page: Page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def _claims_menu(page: Page, item: str):
    page.get_by_test_id("claims-menu").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=item).click()


def _document_row(page: Page, title: str):
    return page.get_by_test_id("document-row").filter(has_text=title)


@pytest.fixture
def claim_world(live_world, settings, tmp_path):
    """The world with the claim types of table 10; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_claim_types(live_world.enterprise)
    return live_world


def test_a_claim_is_filed_answered_in_part_decided_and_netted(
    page: Page, live_server, claim_world, shoot, console_errors
):
    world = claim_world
    dispatcher = _account(world.users[Role.DISPATCHER], "Ольга", "Смирнова")
    master = _account(world.users[Role.MASTER], "Пётр", "Кузнецов")
    shop_head = _account(world.users[Role.SHOP_HEAD], "Андрей", "Волков")
    october = world.period(2026, 10)
    a1, a2 = world.units["A1"], world.units["A2"]
    base = live_server.url

    # --- the dispatcher files the claim ------------------------------------------------------
    _log_in(page, base, dispatcher.username)
    _claims_menu(page, "Подать претензию")
    expect(page.get_by_role("heading", level=1)).to_have_text("Подать претензию")
    page.wait_for_load_state("load")  # the page's script binds the type select at the end
    form = page.get_by_test_id("claim-form")
    form.get_by_label("Период").select_option(str(october.pk))
    form.get_by_label("Вид претензии").select_option(label=LATE_PARTS)
    # The type's block is swapped in by the page's script: its inputs and documents.
    expect(page.get_by_test_id("calculator")).to_contain_text("Расчёт потерь")
    expect(page.get_by_test_id("document-row").first).to_contain_text(SCHEDULE)
    form.get_by_label("Истец — кто предъявляет").select_option(f"section:{a2.pk}")
    form.get_by_label("Ответчик — к кому").select_option(f"section:{a1.pk}")
    form.get_by_label("Суть нарушения").fill(
        "Корпуса для фрезерной обработки поданы токарным участком на двое суток позже графика."
    )
    form.get_by_label("Оплата по листку простоя, руб.").fill("1 250,40")
    form.get_by_label("Накладные расходы участка, %").fill("120,5")
    page.get_by_test_id("preview").click()
    # 1 250,40 + 1 250,40 × 120,5 % = 1 250,40 + 1 506,73 = 2 757,13
    expect(page.get_by_test_id("loss-amount")).to_have_text(_money("2 757,13"))
    expect(page.get_by_test_id("loss-formula")).to_have_text(
        _money("1 250,40 + 1 250,40 × 120,5 % = 2 757,13")
    )
    expect(page.get_by_test_id("form-errors")).to_have_count(0)
    # The typed values survive the round trip.
    expect(form.get_by_label("Оплата по листку простоя, руб.")).to_have_value(_money("1 250,40"))
    shoot(page, "calculated")

    schedule = _document_row(page, SCHEDULE)
    schedule.locator("input[name$='_number']").fill("14/10")
    schedule.locator("input[name$='_date']").fill("2026-10-01")
    overtime = _document_row(page, OVERTIME)
    overtime.locator("input[name$='_number']").fill("27")
    overtime.locator("input[name$='_date']").fill("2026-10-06")
    _document_row(page, IDLE_SLIP).locator("input[type=file]").set_input_files(
        {"name": "Листок простоя № 31.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    shoot(page, "documents")
    page.get_by_test_id("file").click()

    filed = re.compile(r"Претензия № 1 подана\. Ответчик должен ответить до \d\d\.\d\d\.\d{4}\.")
    expect(page.get_by_text(filed)).to_be_visible()
    claim = Claim.objects.get()
    expect(page).to_have_url(base + claim.get_absolute_url())
    expect(page.get_by_test_id("status")).to_have_text("ждёт ответа")
    expect(page.get_by_test_id("loss-amount")).to_have_text(_money("2 757,13"))
    expect(page.get_by_test_id("formula")).to_have_text(
        _money("1 250,40 + 1 250,40 × 120,5 % = 2 757,13")
    )
    documents = page.get_by_test_id("documents")
    expect(documents).to_contain_text("№ 14/10 от 01.10.2026")
    expect(documents).to_contain_text("№ 27 от 06.10.2026")
    expect(documents.get_by_test_id("download")).to_have_text(
        re.compile(r"Листок простоя № 31\.pdf$")
    )
    # Inside one shop: its head arbitrates.
    expect(page.get_by_test_id("route")).to_contain_text("Андрей Волков")
    shoot(page, "filed")
    download = page.request.get(base + documents.get_by_test_id("download").get_attribute("href"))
    assert download.status == 200
    assert download.body() == PDF
    _log_out(page)

    # --- the master of A1 accepts a part -----------------------------------------------------
    _log_in(page, base, master.username)
    _claims_menu(page, "Ждут ответа")
    page.get_by_test_id("claims").get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Претензия № 1")
    answer = page.get_by_test_id("answer-form")
    answer.get_by_label("признаю частично").check()
    answer.get_by_label("Признаю сумму, руб.").fill("1 250,40")
    answer.get_by_label("Доводы").fill(
        "Накладные расходы участка в октябре — 60 %, а не 120,5 %: признаём оплату простоя."
    )
    shoot(page, "answer")
    answer.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Ответить на претензию № 1?")
    expect(page.get_by_test_id("confirm-effects")).to_contain_text("Претензия уходит арбитру")
    shoot(page, "answer-confirm")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_text("Ответ записан.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("у арбитра")
    expect(page.get_by_test_id("accepted-amount")).to_have_text(_money("1 250,40"))
    expect(page.get_by_test_id("answered")).to_contain_text("Пётр Кузнецов: признаю частично")
    expect(page.get_by_test_id("answer-form")).to_have_count(0)
    _log_out(page)

    # --- the head of shop A decides ----------------------------------------------------------
    _log_in(page, base, shop_head.username)
    _claims_menu(page, "Ждут решения")
    page.get_by_test_id("claims").get_by_role("link", name="1", exact=True).click()
    decide = page.get_by_test_id("decide-form")
    expect(decide).to_contain_text(_money_text("1 250,40"))
    # More than the claim is refused: the page says so at the top and takes him to the field.
    decide.get_by_label("Отнести на ответчика, руб.").fill("9 000,00")
    decide.get_by_label("Обоснование решения").fill("Всё на ответчика.")
    decide.get_by_role("button", name="Записать решение").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Не сохранено: исправьте ошибки в форме.")
    expect(summary).to_contain_text("до суммы претензии")
    decide = page.get_by_test_id("decide-form")
    expect(decide.get_by_label("Отнести на ответчика, руб.")).to_be_focused()
    expect(decide.get_by_label("Отнести на ответчика, руб.")).to_be_in_viewport()
    shoot(page, "decide-refused")
    decide.get_by_label("Отнести на ответчика, руб.").fill("2 003,80")
    decide.get_by_label("Обоснование решения").fill(
        "Накладные расходы участка по смете — 60,25 %: 1 250,40 + 753,40 = 2 003,80."
    )
    shoot(page, "decide")
    decide.get_by_role("button", name="Записать решение").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("Решить спор по претензии № 1?")
    expect(page.get_by_test_id("confirm-details")).to_contain_text("2 003,80")
    shoot(page, "decide-confirm")
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_text("Решение записано: сумма отнесена на ответчика.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("решена арбитром")
    expect(page.get_by_test_id("final-amount")).to_have_text(_money("2 003,80"))
    expect(page.get_by_test_id("decided")).to_contain_text("арбитр Андрей Волков решил")
    shoot(page, "decided")
    claim.refresh_from_db()
    assert (claim.status, str(claim.final_amount)) == (Claim.Status.DECIDED, "2003.80")

    # --- the statement of October: the pair and its balance ----------------------------------
    page.get_by_role("link", name="Взаимное погашение").click()
    expect(page).to_have_url(re.compile(rf"/claims/statement/\?period={october.pk}$"))
    expect(page.get_by_role("heading", level=2)).to_contain_text("Октябрь 2026")
    expect(page.get_by_test_id("summary")).to_contain_text("Завершённых претензий в ведомости: 1")
    pair = page.get_by_test_id("pairs").locator("tbody tr")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text("участок № 1")
    expect(pair).to_contain_text("участок № 2")
    expect(pair.locator("td.fw-semibold")).to_have_text(_money("2 003,80"))
    units = page.get_by_test_id("units")
    expect(units.locator("tr", has_text="участок № 2").locator("td").last).to_have_text(
        _money("2 003,80")
    )
    expect(units.locator("tr", has_text="участок № 1").locator("td").last).to_have_text(
        re.compile("^[-−]" + _money("2 003,80").pattern[1:])
    )
    shoot(page, "statement")
    assert console_errors == []
