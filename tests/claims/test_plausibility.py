"""A claim's figures against the usual (issue 13): an overhead over 300 % or a loss over
10,000 roubles is asked again and filed only when confirmed, with the confirmation in
the claim's history; the answer's and the decision's amounts stay bounded by the claim
(refused outside it)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from claims.models import Claim
from enterprise.models import HistoryRecord
from tests.claims.test_views import filing  # noqa: F401  (the page's POST, a fixture)

D = Decimal


def _reasons(claim) -> list[str]:
    content_type = ContentType.objects.get_for_model(Claim)
    return list(
        HistoryRecord.objects.filter(content_type=content_type, object_pk=str(claim.pk))
        .order_by("id")
        .values_list("reason", flat=True)
    )


def test_a_claim_of_120_000_roubles_is_asked_then_filed_on_confirmation(
    client,
    cast,
    filing,  # noqa: F811
):
    client.force_login(cast.master)
    # 48,000 + 150 % = 120,000.00: a comma too far right in 480,00, say
    asked = client.post(reverse("claims:claim_create"), filing(loss_idle_pay="48 000,00"))
    assert asked.status_code == 200
    text = asked.content.decode().replace("\xa0", " ")
    assert "Сумма претензии 120 000,00 руб. — больше 10 000 руб." in text
    assert 'name="confirm"' in text
    assert not Claim.objects.exists()

    filed = client.post(
        reverse("claims:claim_create"), filing(loss_idle_pay="48 000,00", confirm="1")
    )

    assert filed.status_code == 302
    claim = Claim.objects.get()
    assert claim.loss_amount == D("120000.00")
    assert _reasons(claim)[0].startswith("Подтверждены маловероятные цифры: Сумма претензии")


def test_an_overhead_of_450_percent_is_asked(client, cast, filing):  # noqa: F811
    client.force_login(cast.master)
    asked = client.post(
        reverse("claims:claim_create"),
        filing(loss_idle_pay="100,00", loss_overhead_percent="450"),
    )
    assert asked.status_code == 200
    assert "Накладные расходы 450,0 % — больше 300 %" in asked.content.decode()
    assert not Claim.objects.exists()


def test_a_usual_claim_is_filed_without_a_question(client, cast, filing):  # noqa: F811
    client.force_login(cast.master)
    filed = client.post(reverse("claims:claim_create"), filing())
    assert filed.status_code == 302
    assert _reasons(Claim.objects.get()) == [""]
