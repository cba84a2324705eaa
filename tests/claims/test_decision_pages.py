"""Issue 13 on a claim's page: a refused decision says so at the top and takes the user
to the field; a closed month's claim is frozen, says why, and waits for nobody."""

from __future__ import annotations

import re

from django.urls import reverse

from claims import services
from claims.models import Claim
from enterprise.models.roles import Role
from tests.factories import close_as_is
from tests.pages import field_errors, text_of


def _rejected(file_claim, cast):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer="reject",
        accepted_amount=None,
        reason="Не виноваты.",
        user=cast.master_b1,
    )
    return claim


def test_a_refused_decision_is_said_at_the_top_and_points_to_its_field(client, cast, file_claim):
    claim = _rejected(file_claim, cast)
    client.force_login(cast.production_head)

    page = client.post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "9 000,00", "reason": "Всё на ответчика.", "confirm": "1"},
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "до суммы претензии" in field_errors(page.content, "amount")
    summary = html.index('data-testid="error-summary"')
    assert summary < html.index("<h1")  # at the top, above the claim's title
    assert re.search(r'<a class="alert-link" href="#id_amount">', html)  # the anchor fallback
    assert "js/form-errors.js" in html  # the script that moves to the first error
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION


def test_an_impossible_amount_is_refused_without_asking_to_confirm(client, cast, file_claim):
    claim = _rejected(file_claim, cast)
    client.force_login(cast.production_head)
    page = client.post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "9 000,00", "reason": "Всё на ответчика."},
    )
    assert 'data-testid="confirm"' not in page.content.decode()
    assert 'data-testid="error-summary"' in page.content.decode()


def test_a_negative_amount_and_a_missing_reason_are_refused_together(client, cast, file_claim):
    """Both errors at once: the amount was checked only after the reason was given, so a
    tired arbitrator learned of it on his second try (the walk of issue 13)."""
    claim = _rejected(file_claim, cast)
    client.force_login(cast.production_head)
    page = client.post(
        reverse("claims:claim_decide", args=[claim.pk]), {"amount": "-5", "reason": ""}
    )
    assert page.status_code == 200
    assert "от признанной ответчиком суммы (0,00) до суммы претензии" in field_errors(
        page.content, "amount"
    )
    assert field_errors(page.content, "reason")
    assert 'data-testid="confirm"' not in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION


def test_a_closed_months_claim_is_frozen_and_waits_for_nobody(
    client, world, cast, file_claim, october
):
    claim = _rejected(file_claim, cast)
    client.force_login(cast.production_head)
    task = f"Решить спор по претензии № {claim.number}"
    assert task in text_of(client.get(reverse("home")).content)

    close_as_is(october, world.users[Role.LABOUR])

    assert task not in text_of(client.get(reverse("home")).content)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'data-testid="decide-form"' not in html
    note = text_of(html)
    assert "Месяц «октябрь 2026» закрыт" in note
    assert "решает заместитель директора или администратор" in note
    response = client.post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "1 000,00", "reason": "Поздно.", "confirm": "1"},
        follow=True,
    )
    assert "закрыт" in text_of(response.content)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION
