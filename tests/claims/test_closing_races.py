"""A claim filed into a month while the month is being closed (PostgreSQL: real locks).

The close holds the period's row FOR UPDATE while it lists what is open, carries it and
writes the workers down; filing locks the same row (FOR NO KEY UPDATE) and looks at the
month's status again under it. The test slows the close down after it has listed the
open claims, so a filer that did not wait would slip a claim into the month being closed.
Whatever the order, never: the month closed with a claim waiting in it.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from enterprise import closing
from enterprise.models import Period
from enterprise.services import period_close
from tests.claims.test_concurrency import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNS = 20
PAUSE = 0.2


@pytest.fixture
def slow_close(monkeypatch):
    """Pause the close after it has listed and carried what is open, before it commits."""
    take = closing.take_worker_snapshot

    def slow(period):
        time.sleep(PAUSE)
        return take(period)

    monkeypatch.setattr(closing, "take_worker_snapshot", slow)


def _reopen(period) -> None:
    period.refresh_from_db()
    if period.is_closed:
        period._reopen_approved = True
        period.status, period.closed_by, period.closed_at = Period.Status.OPEN, None, None
        period.save()


def test_a_claim_filed_while_its_month_closes_never_stays_open_in_the_closed_month(
    file_claim, cast, october, slow_close
):
    closed_first = filed_first = 0
    for run in range(RUNS):
        _reopen(october)
        Claim.objects.filter(period=october).delete()

        results = at_once(
            lambda: period_close(period=october, user=cast.labour),
            lambda run=run: file_claim(description=f"Детали поданы с опозданием ({run})."),
        )

        won, lost = outcomes(results)
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], ValidationError)
        stored = Period.objects.get(pk=october.pk)
        waiting = Claim.objects.filter(period=october, status=Claim.Status.FILED).count()
        if stored.is_closed:
            closed_first += 1
            assert waiting == 0
            assert "Период закрыт" in " ".join(lost[0].messages)
        else:
            filed_first += 1
            assert waiting == 1
            assert "нельзя закрыть" in " ".join(lost[0].messages)
    assert closed_first + filed_first == RUNS
