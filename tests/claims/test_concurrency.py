"""Two people acting on one claim at the same moment (PostgreSQL: real row locks).

Each thread has its own database connection and closes it when done. The services lock
the claim's row and look at its state again under the lock; to make sure the two really
overlap, the tests slow the step down right after the lock (or, for filing, before the
settings row that serialises filers is locked), so the second thread is waiting on the
first. On SQLite these tests are skipped (the ``postgres`` marker).
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims import selectors, services
from claims.models import Claim, ClaimDocument
from enterprise.models import HistoryRecord
from tests.races import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
PAUSE = 0.3


@pytest.fixture
def slow_lock(monkeypatch):
    """Hold the claim's lock a moment before going on, so the other thread waits on it."""
    locked = services.locked_for_update

    def slow(claim):
        claim = locked(claim)
        time.sleep(PAUSE)
        return claim

    monkeypatch.setattr(services, "locked_for_update", slow)


def _decisions(claim) -> list[HistoryRecord]:
    return [
        r
        for r in HistoryRecord.objects.filter(group=f"claims.claim:{claim.pk}")
        if r.changes.get("status", [None, None])[1] == Claim.Status.DECIDED
    ]


def test_it_lets_one_of_two_simultaneous_answers_through(file_claim, cast, slow_lock):
    claim = file_claim()

    results = at_once(
        lambda: services.claim_answer(
            claim=claim,
            answer=Claim.Answer.ACCEPT,
            accepted_amount=None,
            reason="",
            user=cast.master_b1,
        ),
        lambda: services.claim_answer(
            claim=claim,
            answer=Claim.Answer.REJECT,
            accepted_amount=None,
            reason="Детали поданы в срок.",
            user=cast.shop_head_b,
        ),
    )

    won, lost = outcomes(results)
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], ValidationError)
    assert lost[0].code == "stale"
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.status == won[0].status
    assert stored.answered_by_id == won[0].answered_by_id
    answers = [
        r
        for r in HistoryRecord.objects.filter(group=f"claims.claim:{claim.pk}")
        if "answer" in r.changes
    ]
    assert len(answers) == 1


def test_it_decides_a_claim_once_when_two_decide_at_once(file_claim, cast, slow_lock):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),
        reason="Частично.",
        user=cast.master_b1,
    )

    def decide(amount):
        return lambda: services.claim_decide(
            claim=claim, amount=D(amount), reason=f"Решение на {amount}.", user=cast.production_head
        )

    won, lost = outcomes(at_once(decide("2000.00"), decide("2500.00")))

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], ValidationError) and lost[0].code == "stale"
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.status == Claim.Status.DECIDED
    assert stored.final_amount == won[0].final_amount
    assert len(_decisions(claim)) == 1
    # Charged once: the statement moves exactly the one decision.
    statement = selectors.statement(claim.enterprise_id, claim.period)
    assert statement.total == stored.final_amount
    assert statement.claims == 1


def test_it_files_one_claim_for_one_submission_clicked_twice(file_claim, monkeypatch):
    route = services.route

    def slow_route(*args, **kwargs):
        time.sleep(PAUSE)  # both have looked for the key and found nothing
        return route(*args, **kwargs)

    monkeypatch.setattr(services, "route", slow_route)

    results = at_once(
        lambda: file_claim(submission="form-1a2b"), lambda: file_claim(submission="form-1a2b")
    )

    won, lost = outcomes(results)
    assert lost == []
    assert won[0].pk == won[1].pk
    assert Claim.objects.count() == 1
    assert ClaimDocument.objects.count() == 3


def test_it_numbers_claims_filed_at_once_one_after_another(file_claim, units, cast, monkeypatch):
    route = services.route

    def slow_route(*args, **kwargs):
        time.sleep(PAUSE)
        return route(*args, **kwargs)

    monkeypatch.setattr(services, "route", slow_route)

    won, lost = outcomes(
        at_once(
            lambda: file_claim(),
            lambda: file_claim(defendant=units["A2"]),
            lambda: file_claim(claimant=units["B1"], defendant=units["A1"], user=cast.dispatcher_b),
        )
    )

    assert lost == []
    assert sorted(c.number for c in won) == [1, 2, 3]
    assert sorted(Claim.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_it_does_not_answer_a_claim_the_escalation_took_at_the_same_time(
    world, file_claim, cast, slow_lock
):
    claim = file_claim()
    later = claim.answer_due + datetime.timedelta(days=1)

    _won, lost = outcomes(
        at_once(
            lambda: services.claim_answer(
                claim=claim,
                answer=Claim.Answer.ACCEPT,
                accepted_amount=None,
                reason="",
                user=cast.master_b1,
            ),
            lambda: services.escalate_overdue(enterprise_ids=[world.enterprise.pk], today=later),
        )
    )

    assert lost == [] or (len(lost) == 1 and lost[0].code == "stale")
    stored = Claim.objects.get(pk=claim.pk)
    # Either the answer came first (settled; the escalation skipped or found it answered)
    # or the escalation did (the answer is refused) — never both.
    if stored.status == Claim.Status.SETTLED:
        assert not stored.escalated_unanswered
    else:
        assert stored.status == Claim.Status.ARBITRATION
        assert stored.escalated_unanswered
        assert stored.answered_by_id is None
