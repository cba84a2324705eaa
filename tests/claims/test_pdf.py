"""The claims' PDFs (claims/pdf.py): the claim act and the period's netting statement.

Claims are walked through the services in the test world (shop A № 6: sections A1, A2;
shop B № 7: section B1), loaded as the documents' selectors load them, then rendered;
the text is read back with pypdf. The render itself runs no queries.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from claims import netting, selectors, services
from claims.documents import claim_for_document
from claims.models import Claim
from claims.pdf import render_claim_act, render_statement
from enterprise.models import Shop

D = Decimal
A4_PORTRAIT = (595, 842)  # points, rounded
A4_LANDSCAPE = (842, 595)


def text_of(pdf: bytes) -> str:
    """The PDF's text with every kind of space (no-break ones too) as one plain space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[^\S\n]+", " ", text)


def has(text: str, phrase: str) -> bool:
    """Does ``text`` contain ``phrase``, spaces aside (text extraction splits kerned pairs)?"""
    return re.sub(r"\s+", "", phrase) in re.sub(r"\s+", "", text)


def page_size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _name(user) -> str:
    return user.get_full_name() or user.username


@pytest.fixture
def decided(file_claim, cast):
    """A1 against B1, late parts (3 000,00): B1's master accepts 1 200,00, the head of
    production decides 2 400,00."""
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),
        reason="Опоздание — 4 часа, а не 10.",
        user=cast.master_b1,
    )
    services.claim_decide(
        claim=claim,
        amount=D("2400.00"),
        reason="По журналу ОТК простой — 8 часов.",
        user=cast.production_head,
    )
    return claim_for_document(claim.pk)


@pytest.fixture
def counter(file_claim, cast, units):
    """B1 against A1, a shortage of 500,00, accepted by A1's master: settled."""
    claim = file_claim(
        units["B1"],
        units["A1"],
        code="unproductive",
        inputs={"amount": D("500.00")},
        user=cast.dispatcher_b,
        description="Недостача при приёмке.",
    )
    services.claim_answer(
        claim=claim, answer=Claim.Answer.ACCEPT, accepted_amount=None, reason="", user=cast.master
    )
    return claim


# --- the claim act ----------------------------------------------------------------------------


def test_it_renders_the_act_on_an_a4_portrait_page(decided):
    pdf = render_claim_act(decided)
    assert pdf.startswith(b"%PDF")
    assert page_size(pdf) == A4_PORTRAIT


def test_it_runs_no_queries_for_the_act(decided, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_claim_act(decided)


def test_the_act_loads_in_two_queries(decided, django_assert_num_queries):
    with django_assert_num_queries(2):  # the claim with its relations, its documents
        claim_for_document(decided.pk)


def test_the_act_shows_number_period_type_and_parties(decided, world):
    text = text_of(render_claim_act(decided))
    assert has(text, f"Акт-претензия № {decided.number}")
    assert has(text, "о возмещении потерь за октябрь 2026 г.")
    assert has(text, "Несвоевременная поставка деталей")
    assert has(text, "участок № 1 цеха № 6 «Токарный участок», цех «Механический цех»")
    assert has(text, "участок № 1 цеха № 7 «Участок сборки», цех «Сборочный цех»")
    assert has(text, "Детали корпуса поданы на двое суток позже графика.")
    assert has(text, world.enterprise.name)


def test_the_act_lists_the_documents_with_numbers_and_dates(decided):
    text = text_of(render_claim_act(decided))
    assert has(text, "1 График производства 11 05.10.2026 ссылка")
    assert has(text, "2 Листок на оплату простоя 12 05.10.2026 ссылка")
    assert has(text, "3 Список рабочих, работавших сверхурочно 13 05.10.2026 ссылка")


def test_the_act_shows_the_loss_parts_and_formula(decided):
    text = text_of(render_claim_act(decided))
    assert has(text, "Простой рабочих по причине вне участка")
    assert has(text, "Оплата по листку простоя 1 200,00")
    assert has(text, "Накладные расходы участка 150 % 1 800,00")
    assert has(text, "Сумма претензии, руб. 3 000,00")
    assert has(text, "1 200,00 + 1 200,00 × 150 % = 3 000,00")
    assert "3000.00" not in text


def test_the_act_shows_the_answer_and_the_decision_with_reasons(decided, cast):
    text = text_of(render_claim_act(decided))
    assert has(text, "Ответ: признаю частично")
    assert has(text, "Признано ответчиком, руб. 1 200,00")
    assert has(text, "Опоздание — 4 часа, а не 10.")
    assert has(text, f"Ответил {_name(cast.master_b1)}")
    assert has(text, "Спорная сумма, руб. 1 800,00")
    assert has(text, "Решено отнести на ответчика, руб. 2 400,00")
    assert has(text, "По журналу ОТК простой — 8 часов.")
    assert has(text, f"Решил {_name(cast.production_head)} (начальник производства)")
    assert has(text, "зачтено истцу за октябрь 2026 г.: 2 400,00 руб.")
    assert has(text, "(предъявлено 3 000,00 руб.)")


def test_the_act_has_signature_lines_for_filer_defendant_and_arbitrator(decided, cast):
    text = text_of(render_claim_act(decided))
    for caption in ("От истца", "От ответчика", "Арбитр", "подпись", "расшифровка подписи"):
        assert has(text, caption)
    for user in (cast.dispatcher, cast.master_b1, cast.production_head):
        assert has(text, _name(user))
    assert has(text, f"Претензия № {decided.number}")
    assert "стр. 1 из 1" in text


def test_an_unanswered_act_names_the_deadline_and_the_defendants_head(file_claim, world, cast):
    world.units["B1"].head = cast.master_b1
    world.units["B1"].save()
    claim = claim_for_document(file_claim().pk)
    text = text_of(render_claim_act(claim))
    assert has(text, "ждёт ответа")
    assert has(text, f"Ответить до {claim.answer_due:%d.%m.%Y}")
    assert "срок истёк" not in text
    assert has(text, "не урегулирована")
    assert has(text, "на результаты подразделений пока не влияет")
    assert has(text, _name(cast.master_b1))  # the defendant's head signs for it

    claim.answer_due = timezone.localdate() - datetime.timedelta(days=1)
    assert has(text_of(render_claim_act(claim)), "срок истёк")


def test_an_act_decided_without_an_answer_says_so(file_claim, cast):
    claim = file_claim()
    Claim.objects.filter(pk=claim.pk).update(
        answer_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    services.claim_decide(
        claim=claim, amount=D("3000.00"), reason="Не ответил.", user=cast.production_head
    )
    text = text_of(render_claim_act(claim_for_document(claim.pk)))
    assert has(text, "Ответчик не ответил в срок")
    assert has(text, "передана арбитру без ответа")
    assert has(text, "решена арбитром")


def test_a_settled_act_needs_no_decision(counter):
    text = text_of(render_claim_act(claim_for_document(counter.pk)))
    assert has(text, "признана")
    assert has(text, "ответчик признал претензию полностью")
    assert has(text, "500,00 (полная сумма) = 500,00")


def test_a_withdrawn_act_is_marked_with_its_reason(file_claim, cast):
    claim = file_claim()
    services.claim_withdraw(claim=claim, reason="Детали нашлись на складе.", user=cast.dispatcher)
    text = text_of(render_claim_act(claim_for_document(claim.pk)))
    assert has(text, "отозвана")
    assert has(text, "Детали нашлись на складе.")
    assert has(text, "на результаты подразделений не влияет")


def test_the_act_renders_in_russian_even_when_no_language_is_active(decided):
    with translation.override(None):
        text = text_of(render_claim_act(decided))
    assert has(text, "2 400,00")


# --- the netting statement --------------------------------------------------------------------


@pytest.fixture
def october_statement(decided, counter, file_claim, world, units):
    file_claim(units["A2"], units["B1"])  # still waiting for an answer
    return selectors.statement(world.enterprise.pk, world.period(2026, 10))


def test_it_renders_the_statement_on_an_a4_landscape_page(october_statement, world):
    pdf = render_statement(october_statement, enterprise=world.enterprise)
    assert pdf.startswith(b"%PDF")
    assert page_size(pdf) == A4_LANDSCAPE


def test_it_runs_no_queries_for_the_statement(october_statement, world, django_assert_num_queries):
    shop = Shop.objects.select_related("head").get(pk=world.units["A"].pk)
    with django_assert_num_queries(0):
        render_statement(october_statement, enterprise=world.enterprise, shop=shop)
    with django_assert_num_queries(0):
        render_statement(october_statement, enterprise=world.enterprise, shop=world.units["B"])


def test_the_statement_nets_the_counter_claims_of_a_pair(october_statement, world):
    text = text_of(render_statement(october_statement, enterprise=world.enterprise))
    assert has(text, "Ведомость взаимного погашения претензий")
    assert has(text, "за октябрь 2026 г.")
    # A1 claims 2 400,00 from B1, B1 500,00 from A1: 500,00 offset, 1 900,00 moves B1 → A1
    assert has(
        text,
        "участок № 1 цеха № 6 участок № 1 цеха № 7 2 2 400,00 500,00 500,00 1 900,00 "
        "участок № 1 цеха № 7 → участок № 1 цеха № 6",
    )
    assert has(text, "Погашено взаимно (зачёт), руб. 500,00")
    assert has(text, "Сальдо к отнесению, руб. 1 900,00")


def test_the_statement_shows_each_units_effect_with_its_sign(october_statement, world):
    text = text_of(render_statement(october_statement, enterprise=world.enterprise))
    assert has(text, "участок № 1 цеха № 6 2 400,00 500,00 +1 900,00")
    assert has(text, "участок № 1 цеха № 7 500,00 2 400,00 −1 900,00")
    assert has(text, "Итого 2 900,00 2 900,00 0,00")
    assert has(text, "сумма влияний равна нулю: да")


def test_the_statement_counts_the_claims_left_out(october_statement, world):
    text = text_of(render_statement(october_statement, enterprise=world.enterprise))
    assert has(text, "Претензий отнесено на результаты 2")
    assert has(text, "Не урегулирована 1 претензия этого периода")


def test_the_plants_statement_is_signed_by_economist_and_deputy_director(october_statement, world):
    text = text_of(render_statement(october_statement, enterprise=world.enterprise))
    assert has(text, "Экономист планово-экономического отдела")
    assert has(text, "Заместитель директора")
    assert "период открыт" in text.lower()
    assert "стр. 1 из" in text


def test_a_shops_statement_is_signed_by_its_economist_and_head(october_statement, world):
    shop = Shop.objects.select_related("head").get(pk=world.units["A"].pk)
    text = text_of(render_statement(october_statement, enterprise=world.enterprise, shop=shop))
    assert has(text, "цех № 6 «Механический цех»")
    assert has(text, "Экономист цеха")
    assert has(text, "Начальник цеха")
    assert has(text, _name(world.users["shop_head"]))


def test_a_closed_months_statement_is_final_and_an_empty_one_says_so(world):
    statement = selectors.statement(world.enterprise.pk, world.period(2026, 9))
    text = text_of(render_statement(statement, enterprise=world.enterprise))
    assert "период закрыт" in text.lower()
    assert has(text, "Ведомость окончательная")
    assert has(text, "За период нет признанных или решённых претензий.")


def test_a_long_statement_breaks_over_pages_and_numbers_them(world):
    pairs = [
        netting.PairRow(
            first=f"участок № {n} цеха № 6",
            second=f"участок № {n} цеха № 7",
            first_to_second=D("100.00"),
            second_to_first=D("40.00"),
            offset=D("40.00"),
            balance=D("60.00"),
            debtor=f"участок № {n} цеха № 7",
            creditor=f"участок № {n} цеха № 6",
            claims=2,
        )
        for n in range(1, 61)
    ]
    statement = selectors.Statement(
        period=world.period(2026, 10),
        pairs=pairs,
        units=[],
        total=D("8400.00"),
        claims=120,
        pending=0,
    )
    reader = PdfReader(io.BytesIO(render_statement(statement, enterprise=world.enterprise)))
    pages = len(reader.pages)
    assert pages >= 2
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert f"стр. {pages} из {pages}" in last
    assert "Заместитель директора" in last


@pytest.mark.parametrize("shop_kind", ["plant", "shop"])
def test_the_statement_sums_match_the_selector(october_statement, world, shop_kind):
    shop = world.units["A"] if shop_kind == "shop" else None
    statement = selectors.statement(world.enterprise.pk, world.period(2026, 10), shop)
    text = text_of(render_statement(statement, enterprise=world.enterprise, shop=shop))
    assert statement.total == D("2900.00")
    assert has(text, "на сумму, руб. 2 900,00")
