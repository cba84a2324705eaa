"""The demo plant's production commissions and a year of their meetings (``DEMO_STEPS``,
run by ``manage.py load_demo``), then the proposals' demo (``meetings.proposals.demo``).

* Technical departments ТБ, ОТК, ИНО, ОГМ, ПЭО.
* Commissions of shop No. 6, of shop No. 1 and of the plant (bureau's term 15 days, the
  administration's 30) with members of the four groups. Who acts on proposals:
  ``buro6`` — a turner of section 6.2 (No. 6201) in the bureau of shop 6's commission;
  ``fzk`` — a turner (No. 6202), the factory committee's member of shop 6's and of the
  plant's commission who passes accepted proposals to the administration; the shop head
  ``shop6`` and the production head ``prodhead`` sit for the administration and answer.
* A year of meetings, December 2025 – November 2026: monthly in shops 6 and 1, quarterly
  at the plant; 112 agenda items in the 1925 proportions (seed 000: 20,5 % organisation,
  12,2 % reports, 57 % proposals of which 1,8 % major, the rest other questions), about
  18,7 % of the unit's workers present, ТБ (and often ОТК) invited, requests to them,
  decisions with deadlines — the autumn's not done, so overdue now.

Idempotent: rows are found by natural keys (commission by unit, member by name, meeting
by number, item by order, decision by text) and the attendance is set only if it differs.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random

from enterprise.demo import ROLES_FROM, DemoContext, ensure
from enterprise.models import RoleAssignment, Worker
from enterprise.models.roles import Role

from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    Department,
    InfoRequest,
    Invitation,
    Meeting,
)

DEPARTMENTS = (
    ("ТБ", "Техническое бюро", "Лебедев А. С., технолог"),
    ("ОТК", "Отдел технического контроля", "Григорьева Е. В., контрольный мастер"),
    ("ИНО", "Инструментальный отдел", "Фомин Д. И., инженер"),
    ("ОГМ", "Отдел главного механика", "Крылов В. П., механик"),
    ("ПЭО", "Планово-экономический отдел", "Панова И. Н., экономист"),
)

# (username, first name, last name, personnel number of his worker record)
USERS = (
    ("buro6", "Максим", "Мухин", "6201"),
    ("fzk", "Валерий", "Орлов", "6202"),
)

# Agenda items in the 1925 proportions: 23 + 14 + 62 + 2 + 11 = 112 (20,5 / 12,5 /
# 55,4 + 1,8 = 57,1 / 9,8 %).
AGENDA_MIX = {"organisation": 23, "report": 14, "proposal": 62, "major": 2, "other": 11}
TITLES = {
    "organisation": (
        "О плане работы совещания на квартал",
        "О выборах бюро производственной комиссии",
        "О порядке приёма и учёта предложений рабочих",
        "О посещаемости совещаний и оповещении рабочих",
        "Об отчёте бюро перед совещанием",
        "О привлечении инженерно-технических работников к работе совещания",
    ),
    "report": (
        "Доклад начальника цеха о выполнении плана за месяц",
        "Отчёт бюро о рассмотренных предложениях",
        "Доклад технического бюро о новой оснастке",
        "Отчёт ОТК о браке за месяц",
    ),
    "proposal": (
        "Переставить стеллаж заготовок ближе к фрезерным станкам",
        "Применить быстросменные кулачки на токарных патронах",
        "Централизовать заточку резцов в инструментальном цехе",
        "Изменить маршрут межоперационной тележки",
        "Установить местное освещение на зуборезном станке",
        "Изготавливать втулки из обрезков прутка",
        "Ввести карту наладки на операцию 25",
        "Заменить ручную разметку кондуктором",
        "Подавать эмульсию к станкам по трубопроводу",
        "Выдавать инструмент на рабочее место по графику",
    ),
    "major": (
        "Приспособление для одновременной обработки двух корпусов",
        "Пневматический зажим на фрезерном станке",
    ),
    "other": (
        "О графике отпусков",
        "О субботнике по благоустройству цеха",
        "Разное",
    ),
}
# Shares of the unit's workers present, around the source's 18,7 %.
PRESENCE = (0.16, 0.18, 0.20, 0.17, 0.19, 0.15, 0.18, 0.21, 0.17, 0.16, 0.19, 0.18)
FIRST_MONTH = (2025, 12)


def _months():
    year, month = FIRST_MONTH
    for _ in range(12):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _second_thursday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 7)


def step_departments(ctx: DemoContext) -> None:
    for short, name, _representative in DEPARTMENTS:
        ensure(Department, {"enterprise": ctx.enterprise, "short_name": short}, name=name)


def step_users(ctx: DemoContext) -> None:
    for username, first_name, last_name, number in USERS:
        user = ctx.ensure_user(username, first_name=first_name, last_name=last_name)
        ensure(
            RoleAssignment,
            {
                "user": user,
                "role": Role.WORKER,
                "enterprise": ctx.enterprise,
                "shop": None,
                "section": None,
                "valid_from": ROLES_FROM,
            },
            valid_to=None,
        )
        worker = ensure(
            Worker, {"enterprise": ctx.enterprise, "personnel_number": number}, user=user
        )
        ctx.workers[number] = worker
    ctx.add_login("buro6", "член бюро производственной комиссии (рабочий)", "цех № 6, таб. № 6201")
    ctx.add_login("fzk", "член комиссии от фабзавкома (рабочий)", "цех № 6 и завод, таб. № 6202")


def _member(commission, name, group, **values):
    return ensure(CommissionMember, {"commission": commission, "name": name}, group=group, **values)


def step_commissions(ctx: DemoContext) -> None:
    plant = ctx.enterprise
    shop6, shop1 = ctx.shops[6], ctx.shops[1]
    users, workers = ctx.users, ctx.workers
    c6 = ensure(
        Commission,
        {"enterprise": plant, "level": "shop", "shop": shop6},
        name="Производственная комиссия цеха № 6",
    )
    _member(c6, "Орлов В. Ф.", "committee", worker=workers["6202"], user=None,
            position="председатель цехкома", is_factory_committee=True)  # fmt: skip
    _member(c6, "Мухин М. Г.", "workers", worker=workers["6201"], position="токарь 6 разряда",
            is_bureau=True)  # fmt: skip
    _member(c6, "Кузьмин М. А.", "administration", user=users["shop6"],
            position="начальник цеха")  # fmt: skip
    _member(c6, "Лебедев А. С.", "engineers", position="технолог цеха", is_bureau=True)
    _member(c6, "Семёнов Б. А.", "workers", worker=workers["6106"], position="фрезеровщик")
    c1 = ensure(
        Commission,
        {"enterprise": plant, "level": "shop", "shop": shop1},
        name="Производственная комиссия цеха № 1",
    )
    _member(c1, "Зуев Г. П.", "administration", user=users["shop1"], position="начальник цеха")
    _member(c1, "Лукина В. С.", "engineers", user=users["master11"], position="мастер",
            is_bureau=True)  # fmt: skip
    _member(c1, "Орлов В. Ф.", "committee", worker=workers["6202"],
            position="член фабзавкома", is_factory_committee=True)  # fmt: skip
    cp = ensure(
        Commission,
        {"enterprise": plant, "level": "plant", "shop": None},
        name="Заводская производственная комиссия",
    )
    _member(cp, "Орлов В. Ф.", "committee", worker=workers["6202"],
            position="член фабзавкома", is_factory_committee=True)  # fmt: skip
    _member(cp, "Гусев А. Н.", "administration", user=users["prodhead"],
            position="начальник производства", is_bureau=True)  # fmt: skip
    _member(cp, "Соловьёв В. И.", "administration", user=users["deputy"],
            position="заместитель директора")  # fmt: skip
    _member(cp, "Лебедев А. С.", "engineers", position="технолог", is_bureau=True)
    _member(cp, "Мухин М. Г.", "workers", worker=workers["6201"], position="токарь")


def _agenda_plan(count: int) -> list[str]:
    classes = [code for code, n in AGENDA_MIX.items() for _ in range(n)]
    # A fixed demo order from a seed, not a secret: random, not secrets, on purpose.
    random.Random(1925).shuffle(classes)  # nosec B311
    if len(classes) != count:
        raise ValueError(f"AGENDA_MIX holds {len(classes)} items, the year needs {count}")
    return classes


def step_meetings(ctx: DemoContext) -> None:
    plant = ctx.enterprise
    commissions = list(
        Commission.objects.filter(enterprise=plant).order_by("-level", "shop__number")
    )  # shop 1, shop 6, the plant
    departments = {d.short_name: d for d in Department.objects.filter(enterprise=plant)}
    representatives = {short: who for short, _name, who in DEPARTMENTS}
    schedule = []
    for commission in commissions:
        for index, (year, month) in enumerate(_months()):
            if commission.level == "plant" and month % 3 != 2:
                continue  # the plant meets in February, May, August, November
            day = _second_thursday(year, month)
            if commission.level == "plant":
                day += datetime.timedelta(days=7)
            schedule.append((commission, day, index))
    classes = _agenda_plan(4 * len(schedule))
    counters = {code: 0 for code in AGENDA_MIX}
    for position, (commission, day, index) in enumerate(sorted(schedule, key=lambda s: s[1])):
        number = sum(1 for c, d, _i in schedule if c == commission and d <= day)
        workers = Worker.objects.active(day).filter(enterprise=plant)
        if commission.shop_id:
            workers = workers.filter(section__shop_id=commission.shop_id)
        workers = list(workers.order_by("personnel_number"))
        headcount = len(workers)
        chair = commission.members.filter(group="committee").first()
        present = max(1, round(headcount * PRESENCE[(index + position) % len(PRESENCE)]))
        # The demo's attendees drawn from a seed, not a secret: random on purpose.
        chosen = random.Random(f"{commission.pk}-{number}").sample(workers, present)  # nosec B311
        meeting = ensure(
            Meeting,
            {"commission": commission, "number": number},
            enterprise=plant,
            date=day,
            status=Meeting.Status.HELD,
            chair=chair,
            headcount=headcount,
            minutes=(
                f"Присутствовало рабочих: {present} из {headcount}. "
                f"Председатель — {chair.name if chair else '—'}.\n"
                "Слушали вопросы повестки дня. Постановили: решения записаны с "
                "ответственными и сроками."
            ),
        )
        if set(meeting.attendees.values_list("pk", flat=True)) != {w.pk for w in chosen}:
            meeting.attendees.set(chosen)
        invited = ["ТБ"] + (["ОТК"] if number % 2 else []) + (["ИНО"] if number % 5 == 0 else [])
        for short in invited:
            ensure(
                Invitation,
                {"meeting": meeting, "department": departments[short]},
                representative=representatives[short],
                attended=number % 4 != 3,
            )
        items = []
        for order in range(1, 5):
            code = classes[4 * position + order - 1]
            titles = TITLES[code]
            title = titles[counters[code] % len(titles)]
            counters[code] += 1
            items.append(
                ensure(
                    AgendaItem,
                    {"meeting": meeting, "order": order},
                    title=title,
                    kind="proposal" if code == "major" else code,
                    major=code == "major",
                )
            )
        _decisions(meeting, items)
        if number % 3 == 0:
            question = "Сообщить сроки изготовления оснастки по принятым предложениям"
            answered = day.month not in (10, 11) or day.year != 2026
            ensure(
                InfoRequest,
                {"meeting": meeting, "department": departments["ТБ"], "question": question},
                answer="Оснастка будет изготовлена в течение месяца." if answered else "",
                answered_on=day + datetime.timedelta(days=10) if answered else None,
            )


def _decisions(meeting: Meeting, items: list[AgendaItem]) -> None:
    """A decision on the first proposal of the agenda (or its first item): due in three
    weeks; done in two, except the autumn's (overdue at the demo's day)."""
    item = next((i for i in items if i.kind == "proposal"), items[0])
    deadline = meeting.date + datetime.timedelta(days=21)
    autumn = meeting.date >= datetime.date(2026, 9, 1)
    done_on = None if autumn and meeting.number % 2 else meeting.date + datetime.timedelta(days=14)
    ensure(
        Decision,
        {"meeting": meeting, "text": f"Рассмотреть и внедрить: {item.title.lower()}"},
        agenda_item=item,
        responsible="Технолог цеха Лебедев А. С."
        if meeting.commission.shop_id
        else "Начальник производства",
        deadline=deadline,
        done_on=done_on,
    )


def _proposal_steps() -> list:
    """The proposals' demo (``meetings/proposals/demo.py``), after the meetings it uses."""
    if importlib.util.find_spec("meetings.proposals.demo") is None:
        return []
    return list(importlib.import_module("meetings.proposals.demo").DEMO_STEPS)


DEMO_STEPS = [
    step_departments,
    step_users,
    step_commissions,
    step_meetings,
    *_proposal_steps(),
]
