"""Races on a brigade's month, through its pages, on PostgreSQL (real row locks): each
race is run 20 times and its invariant checked every time.

* ten «correct this distribution» posts at once — some a double click of one form (one
  token), some from forms of their own — make exactly one draft correction;
* two people saving the same timesheet at once: one is saved, the other refused with
  what changed meanwhile, and the stored timesheet is the first one's, whole.

On SQLite these tests are skipped (the ``postgres`` marker).
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from brigades.models import Brigade, Distribution, Line
from brigades.services import distribution_agree, distribution_approve
from tests.brigades.conftest import D
from tests.pages import form_data, formset_data, text_of
from tests.races import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNS = 20
STALE = "уже изменил другой пользователь"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ten_parallel_corrections_of_a_distribution_make_one_draft(
    table18, october, november, master, leader, shop_head
):
    original = table18.earn(table18.open(master, october, Brigade.Method.TARIFF), master, "1053.84")
    distribution_agree(distribution=original, minutes="Протокол № 10", user=leader)
    original = distribution_approve(distribution=original, user=shop_head)
    url = reverse("brigades:distribution_correct", args=[original.pk])
    clients = [_client(master) for _ in range(10)]

    for run in range(RUNS):
        shared = uuid.uuid4().hex  # a form clicked five times; five other forms
        tokens = [shared] * 5 + [uuid.uuid4().hex for _ in range(5)]
        results = at_once(
            *[
                lambda c=client, t=token: c.post(url, {"period": november.pk, "submission": t})
                for client, token in zip(clients, tokens, strict=True)
            ]
        )

        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        corrections = list(Distribution.objects.filter(corrects=original))
        assert len(corrections) == 1, (run, corrections)
        correction = corrections[0]
        assert correction.status == Distribution.Status.DRAFT
        assert correction.lines.count() == len(table18.memberships)
        earnings = reverse("brigades:earnings_edit", args=[correction.pk])
        assert all(r.status_code == 302 for r in responses), run
        assert {r["Location"] for r in responses} <= {earnings, original.get_absolute_url()}
        # The draft is set aside for the next run (a test step, not the application's).
        correction.lines.all().delete()
        correction.ktus.all().delete()
        correction.delete()


def test_two_people_saving_one_timesheet_at_once_lose_nothing(table18, november, master, leader):
    distribution = table18.open(master, november, hours=False)
    lines = table18.lines(distribution)
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    people = {"master": _client(master), "leader": _client(leader)}

    for run in range(RUNS):
        # plausible hours for every line (the checks would refuse 200 h in a 159-h month)
        typed = {"master": str(60 + run), "leader": str(80 + run)}
        posts = {}
        for name, client in people.items():
            page = client.get(url)
            data = {**formset_data(page.context["formset"]), **form_data(page.context["version"])}
            for form in page.context["formset"].forms:
                data[form.add_prefix("hours")] = typed[name]
            posts[name] = data
        names = list(people)
        results = at_once(*[lambda n=n, p=posts: people[n].post(url, p[n]) for n in names])

        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        by_name = dict(zip(names, responses, strict=True))
        saved = [n for n, r in by_name.items() if r.status_code == 302]
        refused = [n for n, r in by_name.items() if r.status_code == 200]
        assert len(saved) == 1 and len(refused) == 1, (run, by_name)
        text = text_of(by_name[refused[0]].content)
        assert STALE in text, run
        winner = master if saved[0] == "master" else leader
        assert winner.get_full_name() in text, run
        assert by_name[refused[0]].context["formset"][0]["hours"].value() == typed[refused[0]]
        stored = {line.hours for line in Line.objects.filter(distribution=distribution)}
        assert stored == {D(typed[saved[0]])}, run
        assert len(lines) == Line.objects.filter(distribution=distribution).count()
