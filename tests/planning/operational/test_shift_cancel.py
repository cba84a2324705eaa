"""A shift task the shift will not run on is cancelled by the bureau, with a reason; the
month's close waits for every task of the month — its output recorded or the task
cancelled — so that no signed shift's output is left out of the workers' month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enterprise.closing import review
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.services import period_close
from planning.operational.models import ShiftTask
from planning.operational.shifts import selectors, services
from planning.tracking.models import MonthlyOutput
from tests.planning.operational.shiftworld import (
    close_leaving_tasks_open,
    issued_task,
    moment,
    route_a1,
    signed_task,
)

pytestmark = pytest.mark.django_db

Status = ShiftTask.Status
DAY = datetime.date(2026, 10, 12)
REASON = "Смену отменили: нет электроэнергии"


def _cancel(world, task, reason=REASON, role=Role.DISPATCHER):
    return services.shift_task_cancel(task=task, reason=reason, user=world.users[role])


def test_the_bureau_cancels_a_task_with_its_reason_recorded(world):
    turning, _drilling = route_a1(world)
    dispatcher = world.users[Role.DISPATCHER]
    task = issued_task(world, DAY, turning)
    at = moment(DAY - datetime.timedelta(days=1), 15)
    services.shift_task_cancel(task=task, reason=f"  {REASON} ", user=dispatcher, now=at)
    task.refresh_from_db()
    assert (task.status, task.cancelled_by, task.cancelled_at, task.cancel_reason) == (
        Status.CANCELLED,
        dispatcher,
        at,
        REASON,
    )
    # Its check was due 20 h before the shift (11.10, 12:00): a cancelled task is late for
    # nothing all the same (its shift did not run on it).
    late = selectors.lateness(task, moment(DAY + datetime.timedelta(days=5)))
    assert (late.issued_late, late.checked_late) == (False, False)
    record = HistoryRecord.objects.filter(
        content_type__model="shifttask", object_pk=str(task.pk)
    ).first()
    assert record.actor == dispatcher
    assert record.reason == f"Сменное задание: {task}"
    assert record.changes["status"] == ["issued", "cancelled"]
    assert record.changes["cancel_reason"] == ["", REASON]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.READY, Status.SIGNED])
def test_every_step_before_the_output_may_be_cancelled(world, status):
    task = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY, status=status
    )
    assert _cancel(world, task).status == Status.CANCELLED


def test_a_task_with_its_output_or_cancelled_already_is_not_cancelled(world):
    turning, _drilling = route_a1(world)
    worker = world.workers["A1"][0]
    task = signed_task(world, DAY, [(turning, worker, 10)])
    (item,) = task.items.all()
    services.shift_output_record(
        task=task,
        rows=[services.OutputRow(item.pk, worker.pk, Decimal(10), Decimal(8))],
        user=world.users[Role.MASTER],
        now=moment(DAY, 20),
    )
    with pytest.raises(ValidationError, match="«выработка записана»: этот шаг сейчас невозможен"):
        _cancel(world, task)
    other = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY, shift=2
    )
    _cancel(world, other)
    with pytest.raises(ValidationError, match="«отменено»: этот шаг сейчас невозможен"):
        _cancel(world, other, reason="ещё раз")
    # the output recorded stays the worker's
    assert MonthlyOutput.objects.filter(worker=worker, period=world.period(2026, 10)).exists()


def test_a_reason_is_required_and_only_the_bureau_of_the_shop_cancels(world):
    task = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY
    )
    for blank in ("", "   \n"):
        with pytest.raises(ValidationError) as refused:
            _cancel(world, task, reason=blank)
        assert refused.value.message_dict == {"reason": ["Укажите причину отмены задания."]}
    for role in (Role.MASTER, Role.SHOP_HEAD, Role.ECONOMIST, Role.PRODUCTION_HEAD):
        with pytest.raises(PermissionDenied):
            _cancel(world, task, role=role)
    of_shop_b = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["B1"], date=DAY
    )
    with pytest.raises(PermissionDenied):
        _cancel(world, of_shop_b)
    task.refresh_from_db()
    assert task.status == Status.DRAFT and not task.cancel_reason


def test_a_closed_month_s_task_is_not_cancelled(world):
    task = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY
    )
    october = world.period(2026, 10)
    close_leaving_tasks_open(world, october)
    with pytest.raises(ValidationError, match="закрыт"):
        _cancel(world, task)
    task.refresh_from_db()
    assert task.status == Status.DRAFT


def test_the_cancelled_shift_is_free_and_plans_nothing(world):
    turning, _drilling = route_a1(world)
    dispatcher = world.users[Role.DISPATCHER]
    section = world.units["A1"]
    october = world.period(2026, 10)
    task = issued_task(world, DAY, turning, pieces=10)  # 10 × 0,35 = 3,5 norm-hours planned
    decades = selectors.month_decades(section, october)
    assert decades.planned[1] == Decimal("3.50")
    with pytest.raises(ValidationError, match="уже есть"):
        services.shift_task_create(
            confirmed=True, section=section, date=DAY, shift=1, user=dispatcher
        )
    _cancel(world, task)
    assert selectors.month_decades(section, october).planned == [0, 0, 0]
    assert selectors.day_report(section, DAY).tasks == []
    again = services.shift_task_create(
        confirmed=True, section=section, date=DAY, shift=1, user=dispatcher
    )
    assert again.status == Status.DRAFT
    # one task of the shift that is not cancelled, still
    with pytest.raises(ValidationError, match="уже есть"):
        services.shift_task_create(
            confirmed=True, section=section, date=DAY, shift=1, user=dispatcher
        )
    assert selectors.day_report(section, DAY).tasks == [again]


def test_the_month_closes_only_when_each_task_is_recorded_or_cancelled(world):
    turning, _drilling = route_a1(world)
    worker = world.workers["A1"][0]
    master, labour = world.users[Role.MASTER], world.users[Role.LABOUR]
    october = world.period(2026, 10)
    signed = signed_task(world, DAY, [(turning, worker, 10)])
    draft = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY, shift=2
    )
    next_month = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=datetime.date(2026, 11, 2)
    )

    (kind,) = [r for r in review(october) if r.kind.code == "planning.shift"]
    assert not kind.kind.carriable
    assert [(i.pk, i.label, i.unit, i.status, i.url) for i in kind.items] == [
        (
            signed.pk,
            "12.10.2026, смена 1",
            "цех № 6, участок № 1",
            "подписано мастером",
            reverse("planning:shift_task", args=[signed.pk]),
        ),
        (
            draft.pk,
            "12.10.2026, смена 2",
            "цех № 6, участок № 1",
            "составляется",
            reverse("planning:shift_task", args=[draft.pk]),
        ),
    ]
    assert kind.finished == 0
    with pytest.raises(ValidationError) as refused:
        period_close(period=october, user=labour, carry={"planning.shift": [signed.pk]})
    assert (
        "не завершено — Сменные задания без записанной выработки, не отменённые: 2."
        in refused.value.messages[0]
    )

    (item,) = signed.items.all()
    services.shift_output_record(
        task=signed,
        rows=[services.OutputRow(item.pk, worker.pk, Decimal(10), Decimal(8))],
        user=master,
        now=moment(DAY, 20),
    )
    with pytest.raises(ValidationError, match="не отменённые: 1\\."):
        period_close(period=october, user=labour)
    _cancel(world, draft)
    (kind,) = [r for r in review(october) if r.kind.code == "planning.shift"]
    assert (kind.items, kind.finished) == ([], 2)
    period_close(period=october, user=labour)
    october.refresh_from_db()
    assert october.is_closed
    next_month.refresh_from_db()
    assert next_month.status == Status.DRAFT  # November's task waits for November


# --- the pages -----------------------------------------------------------------------------


def test_the_dispatcher_cancels_on_the_task_s_page_with_a_confirmation(world, client):
    turning, _drilling = route_a1(world)
    task = issued_task(world, DAY, turning)
    page = reverse("planning:shift_task", args=[task.pk])
    cancel = reverse("planning:shift_task_cancel", args=[task.pk])

    client.force_login(world.users[Role.MASTER])
    assert 'data-testid="cancel"' not in client.get(page).content.decode()

    client.force_login(world.users[Role.DISPATCHER])
    assert 'data-testid="cancel"' in client.get(page).content.decode()
    # No reason: the page again, the error at the field and in the summary at the top.
    refused = client.post(cancel, {"reason": "  "})
    assert refused.status_code == 200
    content = refused.content.decode()
    assert content.count("Укажите причину отмены задания.") == 2
    assert '<details class="mb-3" open data-testid="cancel">' in content
    # A reason: what will happen, asked first; nothing changed yet.
    asked = client.post(cancel, {"reason": REASON})
    content = asked.content.decode()
    assert "Отменить сменное задание?" in content
    assert "Задание уже у мастера: сообщите ему об отмене." in content
    assert REASON in content
    task.refresh_from_db()
    assert task.status == Status.ISSUED
    # Confirmed: cancelled, the page says by whom and why, and offers no step any more.
    done = client.post(cancel, {"reason": REASON, "confirm": "1"}, follow=True)
    content = done.content.decode()
    assert done.redirect_chain == [(page, 302)]
    assert "Задание отменено." in content
    assert "отменено</span>" in content
    assert f"— {REASON}</dd>" in content
    assert 'data-testid="cancel"' not in content
    task.refresh_from_db()
    assert task.status == Status.CANCELLED
    # Posted again (a second tab): said why not, nothing written.
    count = HistoryRecord.objects.count()
    again = client.post(cancel, {"reason": "ещё раз", "confirm": "1"}, follow=True)
    assert "Задание уже отменено." in again.content.decode()
    assert HistoryRecord.objects.count() == count


def test_a_signed_task_of_a_shift_begun_warns_that_its_output_would_not_count(world, client):
    turning, _drilling = route_a1(world)
    worker = world.workers["A1"][0]
    signed = signed_task(world, DAY, [(turning, worker, 10)])  # 12.10.2026: long begun
    cancel = reverse("planning:shift_task_cancel", args=[signed.pk])
    client.force_login(world.users[Role.DISPATCHER])
    content = client.post(cancel, {"reason": REASON}).content.decode()
    assert (
        "Задание подписано мастером, и его смена уже началась. Если по нему работали, не "
        "отменяйте его, а запишите выработку по корешкам: выработка отменённого задания "
        "рабочим не засчитывается." in content
    )
    assert "Задание уже у мастера" not in content
    assert "Да, отменить задание" in content
    # Its output recorded instead: cancelling is refused, saying what to do.
    (item,) = signed.items.all()
    services.shift_output_record(
        task=signed,
        rows=[services.OutputRow(item.pk, worker.pk, Decimal(10), Decimal(8))],
        user=world.users[Role.MASTER],
        now=moment(DAY, 20),
    )
    refused = client.post(cancel, {"reason": REASON, "confirm": "1"}, follow=True)
    assert "Выработка по заданию уже записана: её исправляют, а задание не отменяют." in (
        refused.content.decode()
    )
    # The address of a refused cancellation, reloaded, is the task's page again.
    page = reverse("planning:shift_task", args=[signed.pk])
    assert client.get(cancel).url == page


def test_the_month_s_page_shows_a_cancelled_task_greyed_with_its_reason(world, client):
    task = ShiftTask.objects.create(
        enterprise=world.enterprise, section=world.units["A1"], date=DAY
    )
    _cancel(world, task)
    client.force_login(world.users[Role.LABOUR])  # labour & wages read the tasks too
    month = reverse("planning:shift_month", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    content = client.get(month).content.decode()
    assert '<tr class="text-body-secondary">' in content
    assert f'<span data-testid="cancel-reason">Отменено: {REASON}</span>' in content
    assert 'data-testid="late-issue"' not in content  # never issued, but cancelled
