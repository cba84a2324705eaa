"""The shift tasks waiting for the user on his home page (§5): the bureau's to issue or to
issue again, the master's to check and to sign, and everyone's who records output: the
shifts that are over and whose output is not recorded yet.

The tasks are counted by section, step and month in one query; a role that takes none of
these steps reads nothing. A task of a closed month waits for nobody (nothing of it
changes), and one for a shift more than a week ahead is not due yet. A task whose shift
went by still is: one issued, returned or ready has its output recorded only once it is
signed, and one the shift did not run on (a draft never issued, say) is cancelled by the
bureau — the month does not close while it waits (``planning.shift`` of the close).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Min, Q, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.permissions import can
from enterprise.selectors import open_periods_of
from planning.operational import rules
from planning.operational.models import ShiftTask

Status = ShiftTask.Status

AHEAD_DAYS = 7
"""How far ahead a task to issue, check or sign is listed."""

# The step each waiting status asks for, and the action that takes it.
ACTIONS = {
    Status.DRAFT: "shift.issue",
    Status.RETURNED: "shift.issue",
    Status.ISSUED: "shift.check",
    Status.READY: "shift.check",
    Status.SIGNED: "shift.output",
}


@dataclass(frozen=True)
class _Unit:
    """The section a group of tasks is of, as ``can`` reads a unit."""

    enterprise_id: int
    shop_id: int
    section_id: int

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, self.section_id


def _local_now(now: datetime.datetime | None) -> datetime.datetime:
    """The plant's local time, naive (as :func:`rules.shift_start` gives the shifts)."""
    now = now or timezone.now()
    return timezone.localtime(now).replace(tzinfo=None) if timezone.is_aware(now) else now


def _shift_over(day: datetime.date, shift: int, now: datetime.datetime) -> bool:
    return rules.shift_start(day, shift) + datetime.timedelta(hours=int(rules.SHIFT_HOURS)) <= now


def _over(now: datetime.datetime) -> Q:
    """Signed tasks whose shift is over (``now`` naive local): every shift up to two days
    ago; of yesterday and today those ended by now (the third ends the next morning)."""
    today = now.date()
    condition = Q(date__lt=today - datetime.timedelta(days=1))
    for day in (today - datetime.timedelta(days=1), today):
        ended = [shift for shift in (1, 2, 3) if _shift_over(day, shift, now)]
        if ended:
            condition |= Q(date=day, shift__in=ended)
    return condition


def waiting_groups(user, now: datetime.datetime | None = None) -> list[dict]:
    """The user's waiting tasks by section, status, open month and whether their date is
    gone by: ``section_id``, ``section__number``, ``section__shop_id``,
    ``section__shop__number``, ``enterprise_id``, ``status``, ``gone``, ``period`` (the open
    month's pk), ``n``, ``first`` (the earliest date) and ``task`` (the smallest pk: the
    task itself when ``n`` is 1). One query, besides the user's open months
    (:func:`enterprise.selectors.open_periods_of`, read once per request); none for a user
    who takes none of the steps."""
    wanted = [status for status, action in ACTIONS.items() if can(user, action)]
    if not wanted:
        return []
    now = _local_now(now)
    today = now.date()
    horizon = today + datetime.timedelta(days=AHEAD_DAYS)
    condition = Q()
    # For a shift gone by as well: its output is recorded only once the task is signed, or
    # the bureau cancels it; either is a step still to take before the month closes.
    started = [s for s in wanted if s != Status.SIGNED]
    if started:
        condition |= Q(status__in=started, date__lte=horizon)
    if Status.SIGNED in wanted:
        condition |= Q(status=Status.SIGNED) & _over(now)
    months = {(p.enterprise_id, p.year, p.month): p for p in open_periods_of(user)}
    if not months:
        return []
    in_open_month = Q()
    for period in months.values():
        in_open_month |= Q(
            enterprise_id=period.enterprise_id, date__range=(period.start, period.end)
        )
    rows = (
        ShiftTask.objects.visible_to(user)
        .filter(condition & in_open_month)
        .values(
            "section_id",
            "section__number",
            "section__shop_id",
            "section__shop__number",
            "enterprise_id",
            "status",
            year=ExtractYear("date"),
            month=ExtractMonth("date"),
            # a line for the shifts gone by, another for those to come
            gone=Case(When(date__lt=today, then=Value(True)), default=Value(False)),
        )
        .annotate(n=Count("pk"), first=Min("date"), task=Min("pk"))
        .order_by("first", "section__shop__number", "section__number", "status")
    )
    waiting = []
    for row in rows:
        unit = _Unit(row["enterprise_id"], row["section__shop_id"], row["section_id"])
        if can(user, ACTIONS[row["status"]], unit):
            row["period"] = months[row["enterprise_id"], row["year"], row["month"]].pk
            waiting.append(row)
    return waiting


# A line's title and its detail — of one task and of several (named by the first) — by
# status and whether it says the first one's shift is over.
_RETURNED = _("Решить, чего не хватает, и выдать снова: цех %(shop)s, участок %(section)s")
_CHECK = _("Проверить готовность к смене: цех %(shop)s, участок %(section)s")
TITLES = {
    (Status.DRAFT, False): (
        _("Выдать сменное задание мастеру: цех %(shop)s, участок %(section)s"),
        _("Выдать сменные задания мастеру: цех %(shop)s, участок %(section)s"),
    ),
    (Status.DRAFT, True): (
        _("Отменить невыданное задание прошедшей смены: цех %(shop)s, участок %(section)s"),
        _("Отменить невыданные задания прошедших смен: цех %(shop)s, участок %(section)s"),
    ),
    Status.RETURNED: (_RETURNED, _RETURNED),
    Status.ISSUED: (_CHECK, _CHECK),
    Status.READY: (
        _("Подписать сменное задание: цех %(shop)s, участок %(section)s"),
        _("Подписать сменные задания: цех %(shop)s, участок %(section)s"),
    ),
    Status.SIGNED: (
        _("Записать выработку по сменному заданию: цех %(shop)s, участок %(section)s"),
        _("Записать выработку по сменным заданиям: цех %(shop)s, участок %(section)s"),
    ),
}
DETAILS = {
    (Status.DRAFT, False): (
        _("Задание на %(date)s составляется; выдать мастеру до %(due)s."),
        _("Составляются заданий: %(n)s, первое — на %(date)s; выдать до %(due)s."),
    ),
    (Status.DRAFT, True): (
        _(
            "Смена %(date)s прошла, а задание на неё так и не выдано. Если смену не "
            "работали по нему, отмените его с причиной — иначе месяц не закрыть."
        ),
        _(
            "Не выданы задания прошедших смен: %(n)s, первое — на %(date)s. Если смены не "
            "работали по ним, отмените их с причиной — иначе месяц не закрыть."
        ),
    ),
    (Status.RETURNED, False): (
        _("Мастер вернул задание на %(date)s: не всё готово на рабочих местах."),
        _("Мастер вернул заданий: %(n)s, первое — на %(date)s."),
    ),
    (Status.RETURNED, True): (
        _(
            "Мастер вернул задание на %(date)s, а его смена уже прошла: выдайте его снова "
            "или, если смену не работали по нему, отмените с причиной."
        ),
        _(
            "Мастер вернул задания прошедших смен: %(n)s, первое — на %(date)s. Выдайте "
            "их снова или, если смены не работали по ним, отмените с причиной."
        ),
    ),
    (Status.ISSUED, False): (
        _("Задание на %(date)s выдано ПДБ; проверить готовность за 20 часов до смены."),
        _(
            "Выдано ПДБ заданий: %(n)s, первое — на %(date)s; "
            "проверить готовность за 20 часов до смены."
        ),
    ),
    (Status.ISSUED, True): (
        _(
            "Задание на %(date)s выдано ПДБ, а его смена уже прошла: выработку "
            "запишут только после проверки и подписи. Если смену не работали по нему, "
            "попросите ПДБ его отменить."
        ),
        _(
            "Выдано ПДБ заданий прошедших смен: %(n)s, первое — на %(date)s: выработку "
            "запишут только после проверки и подписи. Если смены не работали по ним, "
            "попросите ПДБ их отменить."
        ),
    ),
    (Status.READY, False): (
        _("Все рабочие места готовы: задание на %(date)s ждёт подписи."),
        _("Все рабочие места готовы, ждут подписи заданий: %(n)s, первое — на %(date)s."),
    ),
    (Status.READY, True): (
        _(
            "Все рабочие места готовы: задание на %(date)s ждёт подписи, а его смена уже "
            "прошла: выработку запишут только после подписи. Если смену не работали по "
            "нему, попросите ПДБ его отменить."
        ),
        _(
            "Ждут подписи задания прошедших смен: %(n)s, первое — на %(date)s: выработку "
            "запишут только после подписи. Если смены не работали по ним, попросите ПДБ "
            "их отменить."
        ),
    ),
    (Status.SIGNED, True): (
        _("Смена %(date)s прошла, выработка по заданию не записана."),
        _("Смены прошли, выработка не записана по заданиям: %(n)s, первое — %(date)s."),
    ),
}


def _texts(row: dict, today: datetime.date) -> tuple[str, str, bool]:
    """The line's title, its detail and whether it is urgent."""
    status, first, n = row["status"], row["first"], row["n"]
    gone_by = first < today
    # Does the line say the shifts are over? A signed task's always does (it is listed once
    # its shift is over); another's when its tasks' dates are gone by.
    over = status == Status.SIGNED or gone_by
    due = rules.issue_deadline(first)
    urgent = {
        Status.DRAFT: due <= today,
        Status.RETURNED: True,
        Status.SIGNED: gone_by,
    }.get(status, first <= today + datetime.timedelta(days=1))
    values = {"n": n, "date": f"{first:%d.%m.%Y}", "due": f"{due:%d.%m.%Y}"}
    unit = {"shop": row["section__shop__number"], "section": row["section__number"]}
    which = 0 if n == 1 else 1
    title = (TITLES.get((status, over)) or TITLES[status])[which]
    return title % unit, DETAILS[status, over][which] % values, urgent


def tasks_for(user, now: datetime.datetime | None = None) -> list:
    """The home page's list: a line for each section and step (:func:`waiting_groups`),
    linked to the task when it is one, else to the section's month of tasks."""
    from enterprise.selectors import Task

    now = _local_now(now)
    tasks = []
    for row in waiting_groups(user, now):
        title, detail, urgent = _texts(row, now.date())
        if row["n"] == 1:
            url = reverse("planning:shift_task", args=[row["task"]])
        else:
            url = reverse("planning:shift_month", args=[row["section_id"], row["period"]])
        tasks.append(Task(title, detail, url, urgent=urgent))
    return tasks
