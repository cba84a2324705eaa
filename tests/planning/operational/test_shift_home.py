"""The shift tasks on the home page's «ждёт вашего действия» (operational-planning.md §5):
the bureau's drafts and returned tasks, the master's tasks to check and to sign, and the
shifts that are over with their output not recorded — by section and step, the shifts
gone by apart from those to come (a draft never issued for one is to be cancelled), for the
roles that take the step, within their units, never of a closed month."""

from __future__ import annotations

import datetime
import functools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprise.memo import request_memo
from enterprise.models import Period
from enterprise.models.roles import Role
from enterprise.scoping import scope_of
from enterprise.selectors import open_periods_of
from enterprise.services import period_close
from planning.operational.models import ShiftTask
from planning.operational.shifts import services
from planning.operational.shifts.home import tasks_for, waiting_groups
from tests.planning.operational.shiftworld import (
    ALL_READY,
    close_leaving_tasks_open,
    issued_task,
    moment,
    route_a1,
    signed_task,
)

pytestmark = pytest.mark.django_db

Status = ShiftTask.Status
DAY = datetime.date(2026, 10, 12)
NOW = moment(DAY, 10)  # the first shift of the 12th has run two hours
D = datetime.timedelta


@pytest.fixture
def shifts(world):
    """A1's tasks at every step, around the 12th of October."""
    turning, _drilling = route_a1(world)
    worker = world.workers["A1"][0]
    dispatcher = world.users[Role.DISPATCHER]
    # a shift of the past (the test world's October): confirmed, as the bureau would
    create = functools.partial(services.shift_task_create, confirmed=True)
    section = world.units["A1"]
    return {
        "draft": create(section=section, date=DAY + D(days=3), shift=1, user=dispatcher),
        "draft later": create(section=section, date=DAY + D(days=5), shift=1, user=dispatcher),
        "draft far": create(section=section, date=DAY + D(days=10), shift=1, user=dispatcher),
        "issued": issued_task(world, DAY + D(days=1), turning),
        "issued, gone by": issued_task(world, DAY - D(days=2), turning),
        "draft, gone by": create(section=section, date=DAY - D(days=2), shift=2, user=dispatcher),
        "over": signed_task(world, DAY - D(days=1), [(turning, worker, 5)], shift=1),
        "running": signed_task(world, DAY, [(turning, worker, 5)], shift=1),
        "tonight": signed_task(world, DAY, [(turning, worker, 5)], shift=2),
        "B": ShiftTask.objects.create(
            enterprise=world.enterprise, section=world.units["B1"], date=DAY + D(days=2)
        ),
    }


def _lines(user):
    return [(t.title, t.detail, t.url, t.urgent) for t in tasks_for(user, NOW)]


def test_each_step_waits_for_the_role_that_takes_it(world, shifts):
    a1 = "цех 6, участок 1"
    month = reverse("planning:shift_month", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    task_url = lambda name: reverse("planning:shift_task", args=[shifts[name].pk])  # noqa: E731
    over = (
        f"Записать выработку по сменному заданию: {a1}",
        "Смена 11.10.2026 прошла, выработка по заданию не записана.",
        task_url("over"),
        True,
    )
    assert _lines(world.users[Role.DISPATCHER]) == [
        (
            f"Отменить невыданное задание прошедшей смены: {a1}",
            # never issued for a shift gone by: the month's close waits for it
            "Смена 10.10.2026 прошла, а задание на неё так и не выдано. Если смену не работали"
            " по нему, отмените его с причиной — иначе месяц не закрыть.",
            task_url("draft, gone by"),
            True,
        ),
        over,
        (
            f"Выдать сменные задания мастеру: {a1}",
            "Составляются заданий: 2, первое — на 15.10.2026; выдать до 12.10.2026.",
            month,
            True,  # the 15th is issued by the 12th: today
        ),
    ]
    assert _lines(world.users[Role.MASTER]) == [
        (
            f"Проверить готовность к смене: {a1}",
            # the shift of the 10th went by unchecked: its output waits for the signature
            "Задание на 10.10.2026 выдано ПДБ, а его смена уже прошла: выработку запишут"
            " только после проверки и подписи. Если смену не работали по нему, попросите ПДБ"
            " его отменить.",
            task_url("issued, gone by"),
            True,
        ),
        over,
        (
            f"Проверить готовность к смене: {a1}",
            "Задание на 13.10.2026 выдано ПДБ; проверить готовность за 20 часов до смены.",
            task_url("issued"),
            True,  # tomorrow's
        ),
    ]
    # The task running now and tonight's are not over; the draft ten days ahead is not due
    # and the one of the 10th is gone by; shop B's is not the A dispatcher's.
    for role in (Role.WORKER, Role.ECONOMIST, Role.SHOP_HEAD, Role.BRIGADE_LEADER):
        assert tasks_for(world.users[role], NOW) == [], role


def test_a_task_leaves_the_list_with_its_step_and_the_next_one_comes(world, shifts):
    master = world.users[Role.MASTER]
    issued = shifts["issued"]
    item = issued.items.get()
    services.shift_task_check(
        task=issued,
        marks={item.pk: ALL_READY},
        user=master,
        now=NOW,
    )
    titles = [title for title, *_rest in _lines(master)]
    assert titles == [
        "Проверить готовность к смене: цех 6, участок 1",  # the 10th's, still unchecked
        "Записать выработку по сменному заданию: цех 6, участок 1",
        "Подписать сменное задание: цех 6, участок 1",
    ]
    # Two days on, the ready task's shift is gone by: it still waits for the signature.
    (sign,) = [t for t in tasks_for(master, moment(DAY + D(days=2))) if "Подписать" in t.title]
    assert sign.detail == (
        "Все рабочие места готовы: задание на 13.10.2026 ждёт подписи, а его смена уже прошла:"
        " выработку запишут только после подписи. Если смену не работали по нему, попросите"
        " ПДБ его отменить."
    )
    assert sign.urgent
    # Twenty hours later the first and second shifts of the 12th are over as well.
    later = moment(DAY + D(days=1), 6)
    (row,) = [g for g in waiting_groups(master, later) if g["status"] == Status.SIGNED]
    assert row["n"] == 3 and row["first"] == DAY - D(days=1)


def test_a_closed_month_waits_for_nobody(world, shifts):
    # Its open tasks now stop the close (test_shift_cancel.py); a month closed before that
    # rule, with tasks left open, asks nobody to act on them.
    with pytest.raises(ValidationError, match="Сменные задания без записанной выработки"):
        period_close(period=world.period(2026, 10), user=world.users[Role.LABOUR])
    period = world.period(2026, 10)
    close_leaving_tasks_open(world, period)
    for role in (Role.DISPATCHER, Role.MASTER):
        assert tasks_for(world.users[role], NOW) == [], role


def test_the_list_is_one_query_and_none_for_who_takes_no_step(world, shifts):
    master, economist = world.users[Role.MASTER], world.users[Role.ECONOMIST]
    scope_of(master), scope_of(economist)  # the request's, read once for the whole page
    with request_memo():  # as in a page's request: the open months are read once for it
        assert [str(p) for p in open_periods_of(master)] == ["октябрь 2026", "ноябрь 2026"]
        with CaptureQueriesContext(connection) as queries:
            assert len(waiting_groups(master, NOW)) == 3
        assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        waiting_groups(economist, NOW)
    assert len(queries) == 0


def test_the_home_page_lists_them_by_todays_clock(world, client):
    """The page asks with the real clock: yesterday's signed shift waits for its output."""
    yesterday = timezone.localdate() - D(days=1)
    for day in (yesterday, timezone.localdate()):
        Period.objects.get_or_create(enterprise=world.enterprise, year=day.year, month=day.month)
    turning, _drilling = route_a1(world)
    task = signed_task(world, yesterday, [(turning, world.workers["A1"][0], 5)], shift=1)
    client.force_login(world.users[Role.MASTER])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Записать выработку по сменному заданию: цех 6, участок 1" in content
    assert reverse("planning:shift_task", args=[task.pk]) in content
    assert f"Смена {yesterday:%d.%m.%Y} прошла, выработка по заданию не записана." in content
    # urgent (its shift is over): named at the top of the page, with a link to the list
    assert response.context["urgent_count"] == 1
    assert 'href="#tasks" data-testid="tasks-urgent-summary"' in content
    assert "Срочных дел: 1 — к списку «Ждёт ваших действий»" in content
    client.force_login(world.users[Role.ECONOMIST])  # nothing urgent: no such line
    response = client.get(reverse("home"))
    assert response.context["urgent_count"] == 0
    assert "tasks-urgent-summary" not in response.content.decode()


def test_a_returned_task_goes_back_to_the_bureau(world, shifts):
    issued = shifts["issued"]
    item = issued.items.get()
    services.shift_task_check(
        task=issued,
        marks={item.pk: {**ALL_READY, "material": False}},
        notes={item.pk: "нет прутка"},
        user=world.users[Role.MASTER],
        now=NOW,
    )
    lines = _lines(world.users[Role.DISPATCHER])
    assert (
        "Решить, чего не хватает, и выдать снова: цех 6, участок 1",
        "Мастер вернул задание на 13.10.2026: не всё готово на рабочих местах.",
        reverse("planning:shift_task", args=[issued.pk]),
        True,
    ) in lines
    # The master's line of the 13th is gone (the 10th's remains, now alone).
    (check,) = [t for t in tasks_for(world.users[Role.MASTER], NOW) if "готовность" in t.title]
    assert check.detail == (
        "Задание на 10.10.2026 выдано ПДБ, а его смена уже прошла: выработку запишут только"
        " после проверки и подписи. Если смену не работали по нему, попросите ПДБ его"
        " отменить."
    )
    # Returned for a shift gone by, a task is still the bureau's: its output waits for it.
    gone_by = shifts["issued, gone by"]
    services.shift_task_check(
        task=gone_by,
        marks={gone_by.items.get().pk: {**ALL_READY, "tooling": False}},
        user=world.users[Role.MASTER],
        now=NOW,
    )
    # A line of its own, apart from the 13th's, offering to cancel it.
    returned = [line for line in _lines(world.users[Role.DISPATCHER]) if "вернул" in line[1]]
    assert returned == [
        (
            "Решить, чего не хватает, и выдать снова: цех 6, участок 1",
            "Мастер вернул задание на 10.10.2026, а его смена уже прошла: выдайте его снова"
            " или, если смену не работали по нему, отмените с причиной.",
            reverse("planning:shift_task", args=[gone_by.pk]),
            True,
        ),
        (
            "Решить, чего не хватает, и выдать снова: цех 6, участок 1",
            "Мастер вернул задание на 13.10.2026: не всё готово на рабочих местах.",
            reverse("planning:shift_task", args=[issued.pk]),
            True,
        ),
    ]
    titles = [t.title for t in tasks_for(world.users[Role.MASTER], NOW)]
    assert not any("готовность" in title for title in titles), titles
