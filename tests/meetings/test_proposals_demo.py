"""The demo plant's year of proposals (meetings/proposals/demo.py): the source's shares
(half implemented, 14,3 % never answered), some past their term now, some from meetings,
the measures they became — and a second run that writes nothing."""

from __future__ import annotations

import collections
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord
from meetings import rules
from meetings.models import Proposal
from meetings.proposals import demo as proposals_demo
from meetings.proposals import selectors
from meetings.proposals.home import home_panel

S = Proposal.Status


@pytest.fixture
def plant(loaded_demo):
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def test_the_year_has_the_sources_shares(plant):
    proposals = Proposal.objects.filter(enterprise=plant)
    assert collections.Counter(proposals.values_list("status", flat=True)) == {
        S.IMPLEMENTED: 28,
        S.SUBMITTED: 8,
        S.REJECTED: 6,
        S.DECLINED: 4,
        S.PASSED: 3,
        S.AGREED: 3,
        S.ACCEPTED: 2,
        S.DROPPED: 2,
    }
    summary = rules.proposal_summary(
        [(p.submitted_on, p.reviewed_on, p.implemented_on) for p in proposals],
        as_of=datetime.date(2026, 12, 1),
    )
    assert (summary.implemented_share, summary.unanswered_share) == (
        Decimal("50.0"),
        Decimal("14.3"),
    )
    # half from the shops' meetings, on the meeting's day
    from_meetings = proposals.filter(meeting__isnull=False).select_related("meeting")
    assert from_meetings.count() == 28
    assert all(p.submitted_on == p.meeting.date for p in from_meetings)


def test_some_are_past_their_term_now_and_the_shop_head_sees_them(plant):
    head = get_user_model().objects.get(username="shop6")
    overdue = list(selectors.overdue_for(head))
    assert overdue
    today = timezone.localdate()
    assert all(p.is_overdue(today) for p in overdue)
    # the never answered of shop 6 are all on his list
    never = Proposal.objects.filter(enterprise=plant, status=S.SUBMITTED, shop__number=6)
    assert {p.pk for p in never if p.is_overdue(today)} <= {p.pk for p in overdue}


def test_labour_saving_proposals_became_measures_of_their_authors(plant):
    made = Proposal.objects.filter(enterprise=plant, measure__isnull=False).select_related(
        "measure"
    )
    assert made.count() == 7
    for proposal in made:
        authors = set(proposal.authors.values_list("pk", flat=True))
        assert set(proposal.measure.authors.values_list("pk", flat=True)) == authors
        assert proposal.measure.reduction == proposal.expected_labour
    worker61 = get_user_model().objects.get(username="worker61")
    panel = home_panel(worker61)
    assert [row.proposal.status for row in panel["mine"]] == [S.AGREED, S.IMPLEMENTED]


def test_a_second_run_writes_nothing(plant):
    proposals = Proposal.objects.count()
    history = HistoryRecord.objects.count()
    ctx = demo.DemoContext(stdout=None, enterprise=plant)
    proposals_demo.step_proposals(ctx)  # every proposal found by its title and day
    assert Proposal.objects.count() == proposals
    assert HistoryRecord.objects.count() == history
