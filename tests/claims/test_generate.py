"""A year of claims in the plant generator (``claims.generate``), at a small scale.

300 workers over 14 months: the claims fill the last 12, about one a month per 30
active workers; closed months hold finished claims only, the open ones every state;
each amount is its type's rule applied to its inputs, each claim routed as the service
routes it, and the same seed gives the same claims after ``--replace``. The other
apps' steps are left out here (their own tests run them): the plant's claims need only
its units, workers, months and users.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from claims import rules
from claims.generate import MONTHS, WORKERS_PER_CLAIM, _active, step_claims
from claims.models import Claim, ClaimType
from claims.selectors import route, statement
from enterprise.generate import generate_plant
from enterprise.models import Enterprise, HistoryRecord, Period, Worker

S = Claim.Status
FINISHED = {S.SETTLED, S.DECIDED, S.WITHDRAWN}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_the_claims(monkeypatch):
    monkeypatch.setattr("enterprise.generate.generate_steps", lambda: [step_claims])


def _plant(seed: int, *, replace: bool = False) -> Enterprise:
    return generate_plant(workers=300, months=14, seed=seed, replace=replace)


def _claims(plant):
    return Claim.objects.filter(enterprise=plant).select_related(
        "period", "carried_from", "claim_type", "filed_by", "claimant_worker"
    )


def _digest(plant) -> list[tuple]:
    return [
        (
            c.number,
            c.period.year,
            c.period.month,
            c.claim_type.code,
            c.claimant_kind,
            c.claimant_shop.number,
            getattr(c.claimant_section, "number", None),
            c.defendant_kind,
            c.defendant_shop.number,
            getattr(c.defendant_section, "number", None),
            c.loss_amount,
            c.status,
            c.accepted_amount,
            c.final_amount,
            c.filed_at,
            c.decided_at,
        )
        for c in _claims(plant)
        .select_related("claimant_shop", "claimant_section", "defendant_shop", "defendant_section")
        .order_by("number")
    ]


def test_a_year_of_claims_spreads_over_months_units_types_and_states():
    plant = _plant(21)
    claims = list(_claims(plant))
    periods = list(Period.objects.filter(enterprise=plant).order_by("year", "month"))
    workers = list(Worker.objects.filter(enterprise=plant))

    # the last twelve months, about one claim a month per 30 active workers (±25 %)
    by_month = Counter((c.carried_from or c.period).pk for c in claims)
    assert set(by_month) == {p.pk for p in periods[-MONTHS:]}
    for period in periods[-MONTHS:]:
        expected = _active(workers, period) / WORKERS_PER_CLAIM
        assert 0.75 * expected - 1 <= by_month[period.pk] <= 1.25 * expected + 1
    # between many units, of many types, routed to every level the pairs need
    assert len({c.claimant_shop_id for c in claims}) >= 8
    assert len({c.defendant_shop_id for c in claims}) >= 8
    assert len({c.claim_type.code for c in claims}) >= 8
    assert {c.claimant_kind for c in claims} == {"section", "shop", "worker"}
    assert {c.arbitrator_level for c in claims} == {"shop", "plant"}
    assert {c.status for c in claims} == set(S.values)
    assert {Claim.Answer.PARTIAL, Claim.Answer.REJECT} <= {c.answer for c in claims}

    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    for claim in claims:
        # the amount is the type's rule on the inputs, as the service computes it
        inputs = {name: Decimal(value) for name, value in claim.loss_inputs.items()}
        loss = rules.compute_loss(claim.claim_type.loss_rule, inputs)
        assert (claim.loss_amount, claim.loss_formula) == (loss.amount, loss.formula)
        assert Decimal("20") <= claim.loss_amount <= Decimal("10000")
        path = route(claim, claim.claim_type, claim.filed_by)
        assert (claim.arbitrator_level, claim.arbitrator_role) == (path.level, path.role)
        assert claim.arbitrator_shop_id == path.shop_id
        # a closed month holds finished claims; the carried ones wait in the next month
        filed_in = claim.carried_from or claim.period
        if claim.carried_from is not None:
            assert claim.carried_from.is_closed and not claim.period.is_closed
            assert claim.status == S.ARBITRATION
        elif claim.period.is_closed:
            assert claim.status in FINISHED
        assert timezone.localtime(claim.filed_at).date().replace(day=1) == filed_in.start
        assert claim.filed_at <= midnight
        if claim.claimant_worker is not None:
            assert claim.claimant_worker.hire_date <= timezone.localtime(claim.filed_at).date()
        # the amounts follow the state
        if claim.status == S.SETTLED:
            assert claim.accepted_amount == claim.final_amount == claim.loss_amount
        elif claim.status == S.DECIDED:
            low = claim.accepted_amount or Decimal(0)
            assert low <= claim.decided_amount == claim.final_amount <= claim.loss_amount
            assert claim.answered_at is None or claim.answered_at <= claim.decided_at
            assert claim.decided_by not in (None, claim.answered_by)
        elif claim.status == S.ARBITRATION:
            assert claim.final_amount is None and claim.decided_amount is None
            assert claim.answer in (Claim.Answer.PARTIAL, Claim.Answer.REJECT)
            assert Decimal(0) <= claim.accepted_amount < claim.loss_amount
        elif claim.status == S.FILED:
            assert (claim.answer, claim.accepted_amount, claim.final_amount) == ("", None, None)
        if claim.answered_at is not None:
            assert claim.filed_at <= claim.answered_at <= midnight

    # the numbers run from 1, and a closed month's statement nets its claims
    assert sorted(c.number for c in claims) == list(range(1, len(claims) + 1))
    closed = periods[-3]
    assert closed.is_closed
    netted = statement(plant.pk, closed)
    assert netted.claims == sum(
        1 for c in claims if c.period_id == closed.pk and c.status in (S.SETTLED, S.DECIDED)
    )
    assert netted.total > 0
    # the history was written with the rows
    created = HistoryRecord.objects.filter(
        content_type__model="claim",
        object_pk__in=[str(c.pk) for c in claims],
        action=HistoryRecord.Action.CREATE,
    )
    assert created.count() == len(claims)


def test_the_same_seed_gives_the_same_claims_and_replace_deletes_the_old_ones():
    first = _plant(22)
    before = _digest(first)
    old_claims = [
        str(pk) for pk in Claim.objects.filter(enterprise=first).values_list("pk", flat=True)
    ]

    rebuilt = _plant(22, replace=True)

    assert _digest(rebuilt) == before
    assert not Claim.objects.filter(enterprise_id=first.pk).exists()
    assert not ClaimType.objects.filter(enterprise_id=first.pk).exists()
    deleted = HistoryRecord.objects.filter(
        content_type__model="claim", object_pk__in=old_claims, action=HistoryRecord.Action.DELETE
    )
    assert deleted.count() == len(old_claims)
