"""Proposals over the shared test world (tests/conftest.py), built through the models.

:func:`proposal_world` gives shop A's commission (terms 15 and 30 days) its bureau — the
world's worker — and its factory-committee member — the brigade leader of A1 — and makes
a meeting of shop A held a week ago, a proposal of A in every state of its life, one of
shop B (reviewed by the plant's commission, term 10 days) and one of the other plant.
Dates are counted back from today so that "past its term" holds whenever the suite runs:

* ``submitted proposal of A``: submitted 20 days ago, the bureau's term (15) 5 days past;
* ``accepted proposal of A``: submitted 30 days ago, accepted 10 days ago;
* ``passed proposal of A``: passed 40 days ago, the administration's term 10 days past;
* ``agreed proposal of A`` (section A1): agreed 5 days ago; expected labour 120 norm-hours
  a year;
* ``implemented proposal of A``, ``rejected proposal of A``;
* ``submitted proposal of B``: submitted 3 days ago (within the plant's 10 days);
* ``proposal of other plant``: submitted 30 days ago.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import (
    Commission,
    CommissionMember,
    Meeting,
    Proposal,
    ProposalAuthor,
    ProposalDocument,
)
from tests.claims.factories import PDF

S = Proposal.Status


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def commission(enterprise, shop=None, **values) -> Commission:
    level = "shop" if shop is not None else "plant"
    found, _ = Commission.objects.get_or_create(
        enterprise=enterprise,
        level=level,
        shop=shop,
        defaults={
            "name": f"Производственная комиссия цеха № {shop.number}" if shop else "Заводская",
            **values,
        },
    )
    if values:
        Commission.objects.filter(pk=found.pk).update(**values)
        found.refresh_from_db()
    return found


def seat(commission_, *, worker=None, user=None, **values) -> CommissionMember:
    lookup = {"worker": worker} if worker is not None else {"user": user}
    member, _ = CommissionMember.objects.get_or_create(
        commission=commission_,
        **lookup,
        defaults={"name": values.pop("name", "Член комиссии"), **values},
    )
    if values:
        CommissionMember.objects.filter(pk=member.pk).update(**values)
    return member


_numbers = iter(range(1, 10_000))


def proposal(shop, authors, *, status=S.SUBMITTED, submitted=None, review_days=15, **values):
    """A proposal of ``shop`` by ``authors`` in ``status`` (the dates of the steps before
    it filled in, each a few days after the previous)."""
    submitted = submitted or ago(20)
    row = Proposal(
        enterprise=shop.enterprise,
        number=values.pop("number", None) or next(_numbers),
        shop=shop,
        title=values.pop("title", "Приспособление для зажима"),
        problem="Деталь выставляют вручную",
        solution="Сделать кондуктор",
        submitted_on=submitted,
        review_due=submitted + datetime.timedelta(days=review_days),
        status=status,
        expected_labour=values.pop("expected_labour", Decimal("120.0")),
        **values,
    )
    if status != S.SUBMITTED:
        row.reviewed_on = row.reviewed_on or submitted + datetime.timedelta(days=10)
    if status in (S.PASSED, S.AGREED, S.DECLINED, S.IMPLEMENTED, S.DROPPED):
        row.passed_on = row.passed_on or row.reviewed_on
        row.answer_due = row.answer_due or row.passed_on + datetime.timedelta(days=30)
    if status in (S.AGREED, S.DECLINED, S.IMPLEMENTED, S.DROPPED):
        row.answered_on = row.answered_on or row.passed_on + datetime.timedelta(days=5)
    if status == S.IMPLEMENTED:
        row.implemented_on = row.implemented_on or row.answered_on
        row.implementation_responsible = "Мастер"
    if status == S.REJECTED:
        row.review_reason = "Уже сделано"
    row.save()
    ProposalAuthor.objects.bulk_create(
        ProposalAuthor(proposal=row, worker=w, order=i) for i, w in enumerate(authors)
    )
    return row


def document(proposal_, name="Эскиз") -> ProposalDocument:
    doc = ProposalDocument(
        proposal=proposal_,
        name=name,
        file_name="эскиз.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_at=timezone.now(),
    )
    doc.file.save("x.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def proposal_world(world) -> dict:
    units, users = world.units, world.users
    shop_a = commission(world.enterprise, units["A"], review_days=15, answer_days=30)
    commission(world.enterprise, review_days=10, answer_days=20)  # the plant's, for shop B
    other = commission(world.other_enterprise, units["other_shop"])
    seat(shop_a, worker=world.worker, name=world.worker.short_name, group="workers", is_bureau=True)
    seat(
        shop_a,
        user=users["brigade_leader"],
        name="Член фабзавкома",
        group="committee",
        is_factory_committee=True,
    )
    meeting = Meeting.objects.create(
        enterprise=world.enterprise,
        commission=shop_a,
        number=90,
        date=ago(7),
        status=Meeting.Status.HELD,
        headcount=4,
    )
    co_author = next(w for w in world.workers["A1"] if w.pk != world.worker.pk)
    authors = [world.worker, co_author]
    a = units["A"]
    submitted = proposal(a, authors, submitted=ago(20), title="Кондуктор для сверления")
    accepted = proposal(a, authors, status=S.ACCEPTED, submitted=ago(30), reviewed_on=ago(10))
    passed = proposal(
        a,
        authors,
        status=S.PASSED,
        submitted=ago(60),
        reviewed_on=ago(45),
        passed_on=ago(40),
        answer_due=ago(10),
    )
    agreed = proposal(
        a,
        authors,
        status=S.AGREED,
        submitted=ago(50),
        reviewed_on=ago(40),
        passed_on=ago(35),
        answer_due=ago(5),
        answered_on=ago(5),
        section=units["A1"],
    )
    implemented = proposal(a, authors, status=S.IMPLEMENTED, submitted=ago(90))
    rejected = proposal(a, [co_author], status=S.REJECTED, submitted=ago(40))
    of_b = proposal(units["B"], world.workers["B1"][:1], submitted=ago(3), review_days=10)
    of_other = proposal(units["other_shop"], [world.other_worker], submitted=ago(30))
    return {
        "commission of A (proposals)": shop_a,
        "commission of other plant (proposals)": other,
        "meeting of A (proposals)": meeting,
        "submitted proposal of A": submitted,
        "accepted proposal of A": accepted,
        "passed proposal of A": passed,
        "agreed proposal of A": agreed,
        "implemented proposal of A": implemented,
        "rejected proposal of A": rejected,
        "submitted proposal of B": of_b,
        "proposal of other plant": of_other,
        "document of proposal of A": document(submitted),
        "document of other plant": document(of_other),
    }
