"""Races on proposals, on PostgreSQL (real row locks), each run several times:

* ten posts of one filing form at once (a double click, a resent page) file one proposal;
* two workers filing at once get different numbers;
* the bureau accepting and rejecting one proposal at once: one wins, the other is told it
  was changed meanwhile, and the stored state is the winner's.

On SQLite these tests are skipped (the ``postgres`` marker).
"""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings.models import Proposal
from meetings.proposals import services
from tests.meetings.proposal_world import proposal, proposal_world
from tests.races import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNS = 5
S = Proposal.Status


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ten_posts_of_one_filing_form_file_one_proposal(world, media):
    pw = proposal_world(world)
    url = reverse("meetings:proposal_create")
    clients = [_client(world.users["worker"]) for _ in range(10)]
    for run in range(RUNS):
        data = {
            "shop": world.units["A"].pk,
            "section": world.units["A1"].pk,
            "meeting": pw["meeting of A (proposals)"].pk,
            "authors": [world.worker.pk],
            "title": f"Упор, раз {run + 1}",
            "problem": "Меряют линейкой",
            "solution": "Упор",
            "expected_labour": "10",
            "submission": uuid.uuid4().hex,
        }
        results = at_once(*[lambda c=client, d=data: c.post(url, d) for client in clients])
        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        assert [r.status_code for r in responses] == [302] * 10, run
        filed = Proposal.objects.get(title=data["title"])
        assert {r["Location"] for r in responses} == {filed.get_absolute_url()}


def test_two_filers_at_once_get_different_numbers(world, media):
    proposal_world(world)
    master = world.users["master"]
    for run in range(RUNS):
        calls = [
            lambda n=n, run=run: services.proposal_file(
                shop=world.units["A"],
                title=f"Раз {run}, предложение {n}",
                problem="п",
                solution="р",
                authors=[world.worker],
                user=master,
            )
            for n in range(2)
        ]
        filed, errors = outcomes(at_once(*calls))
        assert errors == [], errors
        assert len({p.number for p in filed}) == 2
    numbers = list(
        Proposal.objects.filter(enterprise=world.enterprise).values_list("number", flat=True)
    )
    assert len(numbers) == len(set(numbers))


def test_accepting_and_rejecting_at_once_one_wins(world, media):
    proposal_world(world)
    bureau = world.users["worker"]
    for run in range(RUNS):
        p = proposal(world.units["A"], [world.worker], title=f"Гонка {run}")
        results = at_once(
            lambda p=p: services.proposal_review(proposal=p, accept=True, user=bureau),
            lambda p=p: services.proposal_review(
                proposal=p, accept=False, reason="Не нужно", user=bureau
            ),
        )
        won, lost = outcomes(results)
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], ValidationError)
        assert "его изменил кто-то другой" in lost[0].messages[0]
        p.refresh_from_db()
        assert p.status == won[0].status
