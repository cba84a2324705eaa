"""Separation of duties on claims: whoever filed or answered a claim does not decide it;
the netting statement counts only the claims its reader may open."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import permissions, selectors, services
from claims.models import Claim
from enterprise.models.roles import Role
from tests.claims.test_pdf import has
from tests.claims.test_pdf import text_of as pdf_text
from tests.factories import RoleAssignmentFactory

D = Decimal


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the answerer does not decide -------------------------------------------------------------


@pytest.fixture
def answered_by_arbitrator(world, file_claim, cast):
    """A2 against A1 (the shop head of A arbitrates), answered — partly — by the master of
    A1, who since holds the shop head's role of shop A as well (he stands in for him)."""
    claim = file_claim(world.units["A2"], world.units["A1"], user=cast.master_a2)
    assert claim.arbitrator_role == Role.SHOP_HEAD
    claim = services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1000.00"),
        reason="Простой 4 часа, не 10.",
        user=cast.master,
    )
    RoleAssignmentFactory(user=cast.master, role=Role.SHOP_HEAD, shop=world.units["A"])
    return claim


def test_it_refuses_the_decision_of_the_one_who_answered(answered_by_arbitrator, cast):
    claim = answered_by_arbitrator
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(
            claim=claim, amount=D("1000.00"), reason="Ответ верен.", user=cast.master
        )
    assert "Вы ответили на эту претензию" in _messages(caught.value)
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (Claim.Status.ARBITRATION, None)
    assert not permissions.is_arbitrator(cast.master, claim)
    # …and it is not in his inbox of claims to decide
    assert claim not in selectors.inbox(cast.master, "to_decide")


def test_the_other_arbitrator_decides_the_answered_claim(answered_by_arbitrator, cast):
    claim = services.claim_decide(
        claim=answered_by_arbitrator, amount=D("2000.00"), reason="Простой подтверждён.",
        user=cast.shop_head,
    )  # fmt: skip
    assert (claim.status, claim.decided_by) == (Claim.Status.DECIDED, cast.shop_head)


def test_the_claim_page_says_why_the_answerer_does_not_decide(client, answered_by_arbitrator, cast):
    client.force_login(cast.master)
    page = client.get(answered_by_arbitrator.get_absolute_url()).content.decode()
    assert 'data-testid="decide-blocked"' in page
    assert 'data-testid="decide-form"' not in page
    response = client.post(
        reverse("claims:claim_decide", args=[answered_by_arbitrator.pk]),
        {"amount": "1000,00", "reason": "Ответ верен."},
    )
    assert response.status_code == 404
    answered_by_arbitrator.refresh_from_db()
    assert answered_by_arbitrator.status == Claim.Status.ARBITRATION


def test_a_superuser_who_answered_does_not_decide(world, file_claim, cast):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True)
    claim = file_claim(user=cast.master)
    claim = services.claim_answer(
        claim=claim, answer=Claim.Answer.REJECT, accepted_amount=None, reason="Не по нашей вине.",
        user=root,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.claim_decide(claim=claim, amount=D("0.00"), reason="Отказать.", user=root)


def test_the_filer_still_does_not_decide(world, file_claim, cast):
    claim = file_claim(world.units["A2"], world.units["A1"], user=cast.shop_head)
    # filed by the shop head: the claim moved to the plant; even holding that role he is out
    RoleAssignmentFactory(
        user=cast.shop_head, role=claim.arbitrator_role, enterprise=world.enterprise
    )
    claim = services.claim_answer(
        claim=claim, answer=Claim.Answer.REJECT, accepted_amount=None, reason="Не согласны.",
        user=cast.master,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(
            claim=claim, amount=D("0.00"), reason="Отказать.", user=cast.shop_head
        )
    assert "подал претензию" in _messages(caught.value)


# --- the statement: only the claims the reader may open ---------------------------------------


@pytest.fixture
def shop_claims(world, file_claim, cast):
    """Shop A's month: A1 → B1 3 000,00 and A2 → B1 3 000,00, both accepted; A2 → B1 one
    more still waiting."""
    one = file_claim(world.units["A1"], world.units["B1"], user=cast.master)
    services.claim_answer(
        claim=one, answer="accept", accepted_amount=None, reason="", user=cast.master_b1
    )
    two = file_claim(
        world.units["A2"], world.units["B1"], user=cast.master_a2,
        inputs={"idle_pay": D("400.00"), "overhead_percent": D("150")},
    )  # fmt: skip
    services.claim_answer(
        claim=two, answer="accept", accepted_amount=None, reason="", user=cast.master_b1
    )
    file_claim(world.units["A2"], world.units["B1"], user=cast.master_a2)
    return one, two


def test_a_section_master_gets_his_sections_rows_only(client, world, cast, shop_claims, october):
    client.force_login(cast.master)  # master of A1
    response = client.get(reverse("claims:statement"), {"period": october.pk})
    statement = response.context["statement"]
    assert response.context["shop"] == world.units["A"]
    assert (statement.claims, statement.total, statement.pending) == (1, D("3000.00"), 0)
    labels = {unit.label for unit in statement.units}
    assert labels == {"участок № 1 цеха № 6", "участок № 1 цеха № 7"}
    assert statement.partial
    html = response.content.decode()
    assert 'data-testid="partial"' in html
    assert "1 000,00" not in html.replace("\xa0", " ")  # A2's claim of 1 000,00 is not there


def test_the_shop_economist_still_gets_the_whole_shop(client, cast, shop_claims, october):
    client.force_login(cast.economist)
    statement = client.get(reverse("claims:statement"), {"period": october.pk}).context["statement"]
    assert (statement.claims, statement.total, statement.pending) == (2, D("4000.00"), 1)
    assert not statement.partial


def test_a_section_masters_pdf_holds_his_rows_only(client, cast, shop_claims, october, world):
    client.force_login(cast.master)
    sheet = client.get(
        reverse("claims:statement_pdf"), {"period": october.pk, "shop": world.units["A"].pk}
    )
    assert sheet.status_code == 200
    text = pdf_text(sheet.content)
    assert has(text, "участок № 1 цеха № 6")
    assert not has(text, "участок № 2 цеха № 6")
    assert has(text, "Ведомость составлена по претензиям, которые вы можете открыть")


def test_a_multi_role_master_and_economist_sees_the_whole_shop(
    client, world, cast, shop_claims, october
):
    RoleAssignmentFactory(user=cast.master, role=Role.ECONOMIST, shop=world.units["A"])
    client.force_login(cast.master)
    statement = client.get(reverse("claims:statement"), {"period": october.pk}).context["statement"]
    assert (statement.claims, statement.partial) == (2, False)


def test_the_selector_without_a_reader_counts_every_claim(world, shop_claims, october):
    # what the section results (khozraschet) read: the whole month, not a reader's share
    statement = selectors.statement(world.enterprise.pk, october, world.units["A"])
    assert (statement.claims, statement.partial) == (2, False)


@pytest.fixture
def statement_html(client, monkeypatch, world, october):
    """The HTML the statement's PDF is printed from, as the reader gets it."""
    from claims import pdf
    from enterprise.pdf import render_html

    monkeypatch.setattr(pdf, "_pdf", lambda template, context: render_html(template, context))

    def html(user) -> str:
        client.force_login(user)
        response = client.get(
            reverse("claims:statement_pdf"), {"period": october.pk, "shop": world.units["A"].pk}
        )
        assert response.status_code == 200
        return " ".join(response.content.decode().replace("\xa0", " ").split())

    return html


def test_a_section_masters_pdf_is_an_extract_for_his_section_signed_for_it(
    statement_html, cast, shop_claims, world
):
    section = world.units["A1"]
    html = statement_html(cast.master)

    assert "<h1>Выписка из ведомости взаимного погашения претензий</h1>" in html
    assert f"по участку № {section.number} «{section.name}»" in html
    assert "Начальник участка (мастер)" in html
    assert "Начальник цеха" not in html  # the shop's signature lines are not his


def test_the_shop_heads_pdf_stays_the_shop_s_statement(statement_html, cast, shop_claims):
    html = statement_html(cast.shop_head)

    assert "<h1>Ведомость взаимного погашения претензий</h1>" in html
    assert "Выписка" not in html and "по участку" not in html
    assert "Начальник цеха" in html and "Экономист цеха" in html
    assert "Начальник участка (мастер)" not in html
