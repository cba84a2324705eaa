"""Races on the shift tasks' output, on PostgreSQL (real row locks): the same stubs posted
ten times at once (a double click, a resent page, a script) are recorded once, and what
they derive — the section's day, the workers' months, the part's production — is exact
every time. Run 10 times, with other figures each time. Ten cancels at once cancel the
task once; a cancel racing the output leaves the one that came first, never both.

On SQLite these tests are skipped (the ``postgres`` marker).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from planning.operational.models import PartProduction, ShiftOutput
from planning.tracking.models import MonthlyOutput, SectionDayOutput
from tests.planning.operational.shiftworld import route_a1, signed_task
from tests.races import at_once, outcomes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
RUNS = 10
DAY = datetime.date(2026, 10, 12)


def test_ten_posts_of_the_same_stubs_record_them_once(world):
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    task = signed_task(world, DAY, [(turning, first, 20), (drilling, second, 20)])
    url = reverse("planning:shift_output", args=[task.pk])
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(world.users[Role.MASTER])
        clients.append(client)
    october = world.period(2026, 10)

    for run in range(RUNS):
        page = clients[0].get(url)
        form = page.context["form"]
        turn_item, drill_item = form.items
        pieces = 10 + run
        data = {
            "grid-version": page.context["version"]["version"].value(),
            form.name(turn_item, "quantity"): str(pieces),
            form.name(turn_item, "hours"): "8",
            form.name(drill_item, "quantity"): str(pieces),
            form.name(drill_item, "hours"): "4",
        }
        results = at_once(*[lambda c=client, d=data: c.post(url, d) for client in clients])

        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        assert [r.status_code for r in responses] == [302] * 10, (
            run,
            [(r.context["problems"], r.context["form"].errors) for r in responses if r.context],
        )
        outputs = ShiftOutput.objects.filter(item__task=task)
        assert outputs.count() == 2, run
        assert set(outputs.values_list("quantity", flat=True)) == {D(pieces)}, run
        # pieces × 0.35 + pieces × 0.125 norm-hours the day (each stub's to the
        # hundredth: 11 → 3.85 + 1.38); the drilled pieces leave the section.
        day = SectionDayOutput.objects.get(section=task.section, date=DAY)
        drilled = (D(pieces) * D("0.125")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert day.output == D(pieces) * D("0.35") + drilled, run
        assert MonthlyOutput.objects.get(worker=first, period=october).output == D(pieces) * D(
            "0.35"
        ), run
        assert PartProduction.objects.get(section=task.section, date=DAY).quantity == D(pieces)
        # Written once: one history line per output per run (a create, then an update).
        kind = ContentType.objects.get_for_model(ShiftOutput)
        for output in outputs:
            lines = HistoryRecord.objects.filter(content_type=kind, object_pk=str(output.pk))
            assert lines.count() == run + 1, run


def test_ten_cancels_at_once_cancel_the_task_once(world):
    turning, _drilling = route_a1(world)
    task = signed_task(world, DAY, [(turning, world.workers["A1"][0], 20)])
    url = reverse("planning:shift_task_cancel", args=[task.pk])
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(world.users[Role.DISPATCHER])
        clients.append(client)
    data = {"reason": "Смену отменили", "confirm": "1"}
    results = at_once(*[lambda c=client: c.post(url, data) for client in clients])
    responses, errors = outcomes(results)
    assert errors == [] and [r.status_code for r in responses] == [302] * 10
    # What each was told, read one by one (a page rendered in a thread would lend its
    # context to another's response).
    page = reverse("planning:shift_task", args=[task.pk])
    said = [str(m) for client in clients for m in client.get(page).context["messages"]]
    assert said.count("Задание отменено.") == 1, said
    refused = {
        "Задание уже отменено.",  # read after the winner
        "Задание в состоянии «отменено»: этот шаг сейчас невозможен.",  # waited on its lock
    }
    assert len(said) == 10 and set(said) - {"Задание отменено."} <= refused, said
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("cancelled", "Смену отменили")
    kind = ContentType.objects.get_for_model(task)
    changes = HistoryRecord.objects.filter(content_type=kind, object_pk=str(task.pk))
    assert next(c.changes["status"] for c in changes if "status" in c.changes) == [
        "signed",
        "cancelled",
    ]
    cancelled = [c for c in changes if c.changes.get("status", [None])[-1] == "cancelled"]
    assert len(cancelled) == 1


def test_a_cancel_racing_the_output_leaves_one_of_them(world):
    """The task is cancelled or its output recorded, never both: each step locks the task
    and reads its state after the lock. Run 10 times."""
    turning, _drilling = route_a1(world)
    worker = world.workers["A1"][0]
    dispatcher, master = Client(), Client()
    dispatcher.force_login(world.users[Role.DISPATCHER])
    master.force_login(world.users[Role.MASTER])
    for run in range(RUNS):
        task = signed_task(world, DAY + datetime.timedelta(days=run), [(turning, worker, 20)])
        output = reverse("planning:shift_output", args=[task.pk])
        page = master.get(output)
        form = page.context["form"]
        (item,) = form.items
        recorded = {
            "grid-version": page.context["version"]["version"].value(),
            form.name(item, "quantity"): "20",
            form.name(item, "hours"): "8",
        }
        cancel = reverse("planning:shift_task_cancel", args=[task.pk])
        at_once(
            lambda u=output, d=recorded: master.post(u, d),
            lambda u=cancel: dispatcher.post(u, {"reason": "Смену отменили", "confirm": "1"}),
        )
        task.refresh_from_db()
        has_output = ShiftOutput.objects.filter(item__task=task).exists()
        day_recorded = SectionDayOutput.objects.filter(section=task.section, date=task.date)
        assert (task.status, has_output, day_recorded.exists()) in {
            ("reported", True, True),
            ("cancelled", False, False),
        }, run
