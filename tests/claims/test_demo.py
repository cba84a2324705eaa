"""The demo plant's claims (``claims.demo``, run by ``load_demo``).

The demo is loaded once for the session (tests/conftest.py, ``loaded_demo``);
each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from claims import demo as claims_demo
from claims import selectors
from claims.documents import claim_for_document
from claims.models import Claim, ClaimDocument, ClaimType
from claims.pdf import render_claim_act, render_statement
from claims.seed import TABLE_10
from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord, Period

D = Decimal
S = Claim.Status


# It needs an empty database: it runs outside the shared demo (tests/conftest.py).
@pytest.mark.django_db
def test_a_plant_whose_september_was_closed_before_the_claims_gets_the_open_months_only():
    demo.load_demo(steps=[*demo.BASE_STEPS, *demo.CLOSING_STEPS])
    steps = [*demo.BASE_STEPS, *claims_demo.DEMO_STEPS, *demo.CLOSING_STEPS]
    out = demo.load_demo(steps=steps).stdout.getvalue()
    plant = _enterprise()
    assert "претензий закрытых месяцев пропущено: 2" in out
    assert not Claim.objects.filter(enterprise=plant, period__month=9).exists()
    assert Claim.objects.filter(enterprise=plant, period__month=10).exists()
    history = HistoryRecord.objects.count()
    demo.load_demo(steps=steps)
    assert HistoryRecord.objects.count() == history


@pytest.fixture
def plant(loaded_demo):
    return _enterprise()


@pytest.fixture
def claims(plant) -> dict[int, Claim]:
    """The demo's claims by the number of their submission key (demo-claim-N)."""
    rows = Claim.objects.filter(enterprise=plant, submission__startswith="demo-claim-")
    return {int(c.submission.rsplit("-", 1)[1]): c for c in rows.select_related("period")}


def _enterprise() -> Enterprise:
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def _user(username):
    return get_user_model().objects.get(username=username)


def test_the_claim_types_of_table_10_are_seeded(plant):
    codes = set(ClaimType.objects.filter(enterprise=plant).values_list("code", flat=True))
    assert codes == {row[0] for row in TABLE_10}


def test_there_are_claims_of_every_type(plant, claims):
    used = {c.claim_type.code for c in claims.values()}
    assert used == {row[0] for row in TABLE_10}
    assert len(claims) == len(claims_demo.CLAIMS)


def test_the_statuses_are_spread_over_the_lifecycle(claims):
    statuses = Counter(c.status for c in claims.values())
    assert statuses[S.SETTLED] >= 3
    assert statuses[S.DECIDED] >= 3
    assert statuses[S.ARBITRATION] >= 3
    assert statuses[S.FILED] == 3
    assert statuses[S.WITHDRAWN] == 1
    today = timezone.localdate()
    waiting = [c for c in claims.values() if c.status == S.FILED]
    assert sum(c.is_overdue(today) for c in waiting) == 1
    assert all(c.answer_due >= today for c in waiting if not c.is_overdue(today))
    escalated = [c for c in claims.values() if c.escalated_unanswered]
    assert [c.status for c in escalated] == [S.DECIDED]


def test_claims_are_filed_by_the_dispatcher_and_the_masters(claims):
    filers = {c.filed_by.username for c in claims.values()}
    assert filers == {"pdb6", "master61", "master11"}


def test_each_inbox_has_something_waiting(plant):
    for username in ("shop3", "master62"):
        assert selectors.inbox(_user(username), "to_answer").exists(), username
    # shop 14's claim is past its deadline: no longer his to answer, but its arbitrator's
    today = timezone.localdate()
    overdue = [
        c
        for c in selectors.claims_for(_user("shop14")).filter(status=S.FILED)
        if c.is_overdue(today)
    ]
    assert len(overdue) == 1
    assert not selectors.inbox(_user("shop14"), "to_answer").filter(pk=overdue[0].pk).exists()
    deciders = [
        name
        for name in ("prodhead", "deputy", "shop6")
        if selectors.inbox(_user(name), "to_decide").filter(pk=overdue[0].pk).exists()
    ]
    assert len(deciders) == 1
    for username in ("prodhead", "deputy", "shop6"):
        assert selectors.inbox(_user(username), "to_decide").exists(), username


def test_answers_and_decisions_come_from_the_right_people(claims):
    answered = {c.answered_by.username for c in claims.values() if c.answered_by_id}
    assert answered <= {
        "shop6",
        "shop1",
        "shop3",
        "shop12",
        "shop14",
        "master61",
        "master62",
        "master11",
    }
    decided = {c.decided_by.username for c in claims.values() if c.decided_by_id}
    assert decided == {"prodhead", "deputy", "shop6"}
    for claim in claims.values():
        assert claim.answered_by_id != claim.filed_by_id
        if claim.decided_by_id:
            assert claim.decided_by_id not in (claim.filed_by_id, claim.answered_by_id)


def test_september_is_settled_and_closed(plant, claims):
    september = [c for c in claims.values() if c.period.month == 9]
    assert sorted(c.status for c in september) == [S.DECIDED, S.SETTLED]
    assert Period.objects.get(enterprise=plant, year=2026, month=9).is_closed


def test_claims_carry_the_dates_of_their_months(claims):
    plant_day = lambda moment: timezone.localtime(moment).date()  # noqa: E731
    third = claims[3]  # filed 06.10, answered 08.10, decided 14.10
    assert plant_day(third.filed_at) == datetime.date(2026, 10, 6)
    assert plant_day(third.answered_at) == datetime.date(2026, 10, 8)
    assert plant_day(third.decided_at) == datetime.date(2026, 10, 14)
    assert third.answer_due == datetime.date(2026, 10, 13)
    created = HistoryRecord.objects.filter(
        object_pk=str(third.pk), content_type__model="claim", action="create"
    ).get()
    assert plant_day(created.at) == datetime.date(2026, 10, 6)
    for claim in claims.values():
        if claim.status == S.FILED and not claim.is_overdue(timezone.localdate()):
            continue  # filed today, to wait for its answer
        assert (claim.period.year, claim.period.month) == (
            claim.filed_at.year,
            timezone.localtime(claim.filed_at).month,
        )


def test_documents_are_references_with_number_and_date(plant, claims):
    documents = ClaimDocument.objects.filter(claim__in=list(claims.values()))
    assert documents.count() >= 2 * len(claims)
    assert not documents.exclude(file="").exists()
    assert not documents.filter(number="").exists()
    assert not documents.filter(date__isnull=True).exists()


def test_octobers_statement_nets_the_counter_claims_of_sections_1_1_and_6_2(plant):
    october = Period.objects.get(enterprise=plant, year=2026, month=10)
    statement = selectors.statement(plant.pk, october)
    pair = next(
        p
        for p in statement.pairs
        if {p.first, p.second} == {"участок № 1 цеха № 1", "участок № 2 цеха № 6"}
    )
    assert (pair.offset, pair.balance) == (D("36.75"), D("76.05"))
    assert pair.debtor == "участок № 2 цеха № 6"
    assert statement.pending == 2
    assert sum(u.net for u in statement.units) == 0


def test_the_demo_claims_print(plant, claims, django_assert_num_queries):
    claim = claim_for_document(claims[5].pk)  # decided after the deadline passed unanswered
    october = Period.objects.get(enterprise=plant, year=2026, month=10)
    statement = selectors.statement(plant.pk, october)
    with django_assert_num_queries(0):
        act = render_claim_act(claim)
        sheet = render_statement(statement, enterprise=plant)
    assert act.startswith(b"%PDF") and sheet.startswith(b"%PDF")


def test_a_second_load_adds_nothing_and_writes_no_history(plant):
    claims = Claim.objects.count()
    history = HistoryRecord.objects.count()
    demo.load_demo()
    assert Claim.objects.count() == claims
    assert HistoryRecord.objects.count() == history
