"""Races on planning pages, on PostgreSQL (real row locks): each race is run 20 times
and its invariant checked every time.

* ten posts of one savings form at once (a double click, a resent page, a script)
  credit the worker's account once;
* two people saving the same output grid at once: one is saved, the other refused with
  what changed meanwhile, and the stored grid is the first one's, whole.

On SQLite these tests are skipped (the ``postgres`` marker).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from enterprise.models import Submission
from enterprise.models.roles import Role
from planning.models import MonthlyOutput, SavingsEntry
from tests.pages import form_data, formset_data, text_of
from tests.races import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
RUNS = 20
STALE = "уже изменил другой пользователь"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ten_posts_of_one_savings_form_credit_the_account_once(world):
    worker = world.worker
    url = reverse("planning:savings_add", args=[worker.pk])
    account = f"{reverse('planning:account', args=[worker.pk])}?year=2026"
    clients = [_client(world.users[Role.MASTER]) for _ in range(10)]

    for run in range(RUNS):
        data = {
            "period": world.period(2026, 11).pk,
            "kind": "tools",
            "amount": "1 250,50",
            "description": f"Переточка фрез, раз {run + 1}",
            "submission": uuid.uuid4().hex,
        }
        results = at_once(*[lambda c=client, d=data: c.post(url, d) for client in clients])

        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        assert [r.status_code for r in responses] == [302] * 10, run
        assert {r["Location"] for r in responses} == {account}
        entries = SavingsEntry.objects.filter(worker=worker)
        assert entries.count() == run + 1, run
        assert entries.filter(description=data["description"]).count() == 1, run
        assert entries.aggregate(total=Sum("amount"))["total"] == D("1250.50") * (run + 1)
        entry = entries.get(description=data["description"])
        assert Submission.objects.get(token=data["submission"]).object_pk == str(entry.pk)


def _grid(client, url, typed: str) -> dict:
    page = client.get(url)
    formset = page.context["formset"]
    data = {**formset_data(formset), **form_data(page.context["version"])}
    for form in formset.forms:
        data[form.add_prefix("output")] = typed
        data[form.add_prefix("hours_worked")] = "160"
    return data


def test_two_people_saving_one_output_grid_at_once_lose_nothing(world):
    october = world.period(2026, 10)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    users = {"master": world.users[Role.MASTER], "economist": world.users[Role.ECONOMIST]}
    people = {name: _client(user) for name, user in users.items()}
    workers = list(world.workers["A1"])

    for run in range(RUNS):
        # The first run fills an empty grid (no row to lock: the section's lock decides).
        typed = {"master": f"{100 + run},5", "economist": f"{300 + run},5"}
        posts = {name: _grid(client, url, typed[name]) for name, client in people.items()}
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
        assert users[saved[0]].get_full_name() in text, run
        kept = by_name[refused[0]].context["formset"][0]["output"].value()
        assert kept == typed[refused[0]], run
        stored = MonthlyOutput.objects.filter(worker__in=workers, period=october)
        assert stored.count() == len(workers), run
        winner = D(typed[saved[0]].replace(",", "."))
        assert set(stored.values_list("output", flat=True)) == {winner}, run
