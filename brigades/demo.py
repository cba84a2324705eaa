"""The demo plant's brigades (``manage.py load_demo`` runs :data:`DEMO_STEPS`).

Four brigades, each with members, a leader and a council, and their months June–
November 2026, written through the services as the screens would write them:

* shop 6, section 3, No. 1 — the fitters of table 18 (method A). June–September carry
  the table's hours and its 1053.84 exactly; October is agreed by the council and waits
  for the shop head (``shop6``); November is an empty draft of the leader (``leader63``).
* shop 6, section 1, No. 1 — the milling-machine operators of table 19 (method D), led
  by ``leader61``. June–September carry the table's hours, KTU 1.0 / 0.85 / 1.05 / 1.0
  / 1.1 (from the enterprise's KTU criteria) and its 1022.98 exactly; October is agreed
  and waits for ``shop6``; November is a draft with the timesheet partly entered, for
  ``leader61`` to finish.
* shop 6, section 1, No. 2 — a complex brigade under ``master61`` (method C, a
  conditional grade), which ``leader61`` sees but may not edit: June–October approved,
  November a draft with the timesheet entered.
* shop 1, section 1, No. 1 — assemblers under ``master11`` (method B, by output) with a
  member who joins mid-July and one promoted mid-August (two timesheet lines):
  June–October approved by ``shop1``, November an empty draft.

The documents are drafted by the leader or master and approved by the shop head, never
by the same person. Loading is idempotent: a brigade, member, post or month that is
there already is left alone (so a month someone has since worked on is not reset).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import models

from enterprise.demo import (
    CLOSED_MONTHS,
    DEMO_MONTHS,
    ROLES_FROM,
    TABLE_18_BRIGADE,
    TABLE_18_TOTAL,
    TABLE_19_BRIGADE,
    TABLE_19_LEADER,
    TABLE_19_TOTAL,
    DemoContext,
    days_off,
    ensure,
)
from enterprise.models import Period, RoleAssignment, Section, Worker
from enterprise.models.roles import Role
from enterprise.money import ZERO, half_up
from enterprise.rules import month_bounds

from . import services
from .models import Brigade, Distribution, KtuCriterion, Membership, Post

DRAFT = Distribution.Status.DRAFT
AGREED = Distribution.Status.AGREED
APPROVED = Distribution.Status.APPROVED

# The enterprise's KTU regulation: raises and cuts from the base 1.0.
KTU_CRITERIA: tuple[tuple[str, Decimal], ...] = (
    ("Совмещение профессий", Decimal("0.20")),
    ("Высокая производительность и качество", Decimal("0.10")),
    ("Расширенная зона обслуживания", Decimal("0.10")),
    ("Замена отсутствующего", Decimal("0.05")),
    ("Помощь другим членам бригады", Decimal("0.05")),
    ("Нарушение трудовой дисциплины", Decimal("-0.30")),
    ("Брак по вине рабочего", Decimal("-0.20")),
    ("Невыполнение заданий бригадира", Decimal("-0.15")),
)
SKILL = "Совмещение профессий"
PRODUCTIVITY = "Высокая производительность и качество"
ZONE = "Расширенная зона обслуживания"
STAND_IN = "Замена отсутствующего"
HELP = "Помощь другим членам бригады"
DISCIPLINE = "Нарушение трудовой дисциплины"
DEFECTS = "Брак по вине рабочего"
ORDERS = "Невыполнение заданий бригадира"

# Table 19's KTU, built from the criteria: 0.85 = −0.15, 1.05 = +0.05, 1.1 = +0.1.
TABLE_19_KTU: dict[str, tuple[str, ...]] = {
    "6101": (),
    "6102": (ORDERS,),
    "6103": (STAND_IN,),
    "6104": (),
    "6105": (PRODUCTIVITY,),
}
TABLE_18_LEADER = "6301"


class ExtraUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    section: tuple[int, int]
    worker: str | None = None


# Section 6.3 has no master or leader among the enterprise's demo users: the brigade of
# table 18 gets both (its leader is the table's grade-6 fitter).
EXTRA_USERS: tuple[ExtraUser, ...] = (
    ExtraUser("master63", "Олег", "Рыбаков", Role.MASTER, (6, 3)),
    ExtraUser("leader63", "Сергей", "Петров", Role.BRIGADE_LEADER, (6, 3), TABLE_18_LEADER),
)


class BrigadeSpec(NamedTuple):
    key: str
    section: tuple[int, int]
    number: int
    name: str
    kind: str
    pay_system: str
    method: str
    work_grade: Decimal | None
    formed_on: datetime.date
    members: tuple[str, ...]
    leader: str
    council: tuple[str, ...]
    editor: str  # who forms the brigade (brigade.edit: the shop head)


BRIGADES: tuple[BrigadeSpec, ...] = (
    BrigadeSpec(
        "t18", (6, 3), 1, "Слесарей-сборщиков", Brigade.Kind.THROUGH_SPECIALISED,
        Brigade.PaySystem.TIME_BONUS, Brigade.Method.TARIFF, Decimal("4.2"),
        datetime.date(2021, 9, 1), tuple(number for number, _ in TABLE_18_BRIGADE),
        TABLE_18_LEADER, ("6306", "6302"), "shop6",
    ),
    BrigadeSpec(
        "t19", (6, 1), 1, "Фрезеровщиков", Brigade.Kind.SPECIALISED,
        Brigade.PaySystem.PIECE_BONUS, Brigade.Method.KTU, Decimal("2.8"),
        datetime.date(2023, 9, 1), tuple(number for number, _, _ in TABLE_19_BRIGADE),
        TABLE_19_LEADER, ("6102", "6104"), "shop6",
    ),
    BrigadeSpec(
        "c61", (6, 1), 2, "Комплексная по обработке зубчатых колёс",
        Brigade.Kind.THROUGH_COMPLEX, Brigade.PaySystem.PIECE_BONUS,
        Brigade.Method.CONDITIONAL, Decimal("4.3"), datetime.date(2022, 1, 10),
        ("6106", "6107", "6108", "6109", "6110"), "6106", ("6108",), "shop6",
    ),
    BrigadeSpec(
        "b11", (1, 1), 1, "Сборщиков узлов", Brigade.Kind.SHIFT_COMPLEX,
        Brigade.PaySystem.PIECEWORK, Brigade.Method.OUTPUT, Decimal("3.6"),
        datetime.date(2020, 2, 3), ("1101", "1102", "1103", "1104", "1105"), "1101",
        ("1103",), "shop1",
    ),
)  # fmt: skip

SPECS = {spec.key: spec for spec in BRIGADES}

# Membership out of the ordinary: a later join, a promotion, a conditional grade.
JOINS: dict[tuple[str, str], datetime.date] = {("b11", "1105"): datetime.date(2026, 7, 13)}
PROMOTIONS: dict[tuple[str, str], tuple[datetime.date, int]] = {
    ("b11", "1104"): (datetime.date(2026, 8, 17), 4),
}
CONDITIONAL_GRADES: dict[tuple[str, str], int] = {("c61", "6109"): 4}  # combines professions


class Row(NamedTuple):
    """A member's month in the timesheet (split over his lines if he has several)."""

    hours: Decimal
    absence_hours: Decimal = ZERO
    absence_note: str = ""
    output: Decimal = ZERO


class Earnings(NamedTuple):
    piecework: Decimal
    bonus: Decimal = ZERO
    savings: Decimal = ZERO
    norm_hours: Decimal = ZERO


class MonthPlan(NamedTuple):
    status: str
    method: str
    rows: dict[str, Row]  # personnel number → row; members left out stay at 0 h
    ktu: dict[str, tuple[str, ...]]  # personnel number → criteria names
    earnings: Earnings | None
    drafter: str
    agreer: str
    approver: str


def _d(value) -> Decimal:
    return Decimal(str(value))


def working_hours(start: datetime.date, end: datetime.date) -> Decimal:
    """Hours of the working days from ``start`` to ``end`` (8 h a day, no short days)."""
    off = days_off(start.year) | days_off(end.year)
    day, days = start, 0
    while day <= end:
        if day.weekday() < 5 and day not in off:
            days += 1
        day += datetime.timedelta(days=1)
    return Decimal(8 * days)


# --- the plan of each brigade's months ------------------------------------------------------


def _status(year: int, month: int, agreed_from: tuple[int, int] | None) -> str:
    if (year, month) in CLOSED_MONTHS:
        return APPROVED
    if (year, month) == DEMO_MONTHS[-1]:
        return DRAFT
    return AGREED if agreed_from is not None and (year, month) >= agreed_from else APPROVED


def _plan_t18(year: int, month: int, norm: Decimal) -> MonthPlan:
    """Table 18: June–September as printed; October agreed; November an empty draft."""
    status = _status(year, month, agreed_from=(2026, 10))
    who = {"drafter": "master63", "agreer": "leader63", "approver": "shop6"}
    if (year, month) in CLOSED_MONTHS:
        absences = {"6302": (6, "отгулы"), "6305": (13, "неявка с разрешения администрации")}
        rows = {
            number: Row(
                _d(hours), _d(absences.get(number, (0, ""))[0]), absences.get(number, (0, ""))[1]
            )
            for number, hours in TABLE_18_BRIGADE
        }
        earnings = Earnings(TABLE_18_TOTAL, norm_hours=Decimal("1265.40"))
        return MonthPlan(status, Brigade.Method.TARIFF, rows, {}, earnings, **who)
    who["drafter"] = "leader63"
    if status == DRAFT:
        return MonthPlan(status, Brigade.Method.TARIFF, {}, {}, None, **who)
    rows = {number: Row(norm) for number, _ in TABLE_18_BRIGADE}
    rows["6303"] = Row(norm - 8, Decimal(8), "донорский день")
    earnings = Earnings(
        Decimal("1181.60"), Decimal("118.16"), Decimal("42.30"), norm_hours=Decimal("1342.80")
    )
    return MonthPlan(status, Brigade.Method.TARIFF, rows, {}, earnings, **who)


def _plan_t19(year: int, month: int, norm: Decimal) -> MonthPlan:
    """Table 19: June–September as printed; October agreed; November partly entered."""
    status = _status(year, month, agreed_from=(2026, 10))
    who = {"drafter": "leader61", "agreer": "leader61", "approver": "shop6"}
    method = Brigade.Method.KTU
    if (year, month) in CLOSED_MONTHS:
        absences = {"6102": (120, "временная нетрудоспособность"), "6103": (40, "учебный отпуск")}
        rows = {
            number: Row(
                _d(hours), _d(absences.get(number, (0, ""))[0]), absences.get(number, (0, ""))[1]
            )
            for number, hours, _ in TABLE_19_BRIGADE
        }
        earnings = Earnings(TABLE_19_TOTAL, norm_hours=Decimal("812.50"))
        return MonthPlan(status, method, rows, TABLE_19_KTU, earnings, **who)
    if status == DRAFT:
        # The leader has entered three members so far; KTU and earnings are still to come.
        rows = {"6101": Row(norm), "6102": Row(norm), "6104": Row(norm - 16, _d(16), "отгулы")}
        return MonthPlan(status, method, rows, {}, None, **who)
    rows = {number: Row(norm) for number, _, _ in TABLE_19_BRIGADE}
    rows["6102"] = Row(norm - 8, Decimal(8), "отгул")
    rows["6105"] = Row(norm - 16, Decimal(16), "учебный отпуск")
    ktu = {
        "6101": (PRODUCTIVITY,),
        "6102": (),
        "6103": (HELP,),
        "6104": (SKILL,),
        "6105": (DEFECTS,),
    }
    earnings = Earnings(Decimal("1096.50"), Decimal("153.00"), norm_hours=Decimal("901.20"))
    return MonthPlan(status, method, rows, ktu, earnings, **who)


C61_ABSENCES = {("6107", 7): (96, "очередной отпуск"), ("6110", 9): (8, "донорский день")}


def _plan_c61(year: int, month: int, norm: Decimal) -> MonthPlan:
    """The complex brigade: every month in full; November's earnings still to come."""
    status = _status(year, month, agreed_from=None)
    who = {"drafter": "master61", "agreer": "master61", "approver": "shop6"}
    rows = {}
    for number in SPECS["c61"].members:
        absent, note = C61_ABSENCES.get((number, month), (0, ""))
        rows[number] = Row(norm - absent, _d(absent), note)
    earnings = None
    if status != DRAFT:
        piecework = half_up(norm * Decimal("5.45"))
        earnings = Earnings(
            piecework,
            half_up(piecework * Decimal("0.12")),
            norm_hours=half_up(norm * Decimal("5.6")),
        )
    return MonthPlan(status, Brigade.Method.CONDITIONAL, rows, {}, earnings, **who)


B11_ABSENCES = {
    ("1102", 8): (120, "очередной отпуск"),
    ("1103", 10): (24, "временная нетрудоспособность"),
}
B11_OUTPUT = {"1101": "1.62", "1102": "1.55", "1103": "1.58", "1104": "1.49", "1105": "1.31"}


def _plan_b11(year: int, month: int, norm: Decimal) -> MonthPlan:
    """Assemblers by output; the member who joined on 13 July works from then."""
    status = _status(year, month, agreed_from=None)
    who = {"drafter": "master11", "agreer": "master11", "approver": "shop1"}
    if status == DRAFT:
        return MonthPlan(status, Brigade.Method.OUTPUT, {}, {}, None, **who)
    start, end = month_bounds(year, month)
    rows = {}
    for number in SPECS["b11"].members:
        joined = JOINS.get(("b11", number))
        if joined is not None and joined > end:
            continue
        hours = working_hours(max(start, joined), end) if joined and joined > start else norm
        hours = min(hours, norm)
        absent, note = B11_ABSENCES.get((number, month), (0, ""))
        worked = hours - absent
        rows[number] = Row(
            worked, _d(absent), note, half_up(worked * _d(B11_OUTPUT[number]) * Decimal("0.62"))
        )
    piecework = sum((row.output for row in rows.values()), ZERO)
    earnings = Earnings(
        piecework, norm_hours=half_up(sum(r.hours for r in rows.values()) * Decimal("1.12"))
    )
    return MonthPlan(status, Brigade.Method.OUTPUT, rows, {}, earnings, **who)


PLANS = {"t18": _plan_t18, "t19": _plan_t19, "c61": _plan_c61, "b11": _plan_b11}


# --- the steps ------------------------------------------------------------------------------


def step_ktu_criteria(ctx: DemoContext) -> None:
    """The KTU regulation of the enterprise (the labour department keeps it)."""
    for order, (name, adjustment) in enumerate(KTU_CRITERIA, start=1):
        ensure(
            KtuCriterion,
            {"enterprise": ctx.enterprise, "name": name},
            adjustment=adjustment,
            active=True,
            order=order,
        )


def step_users(ctx: DemoContext) -> None:
    """The master and the leader of section 6.3 (table 18's brigade)."""
    for spec in EXTRA_USERS:
        user = ctx.ensure_user(spec.username, first_name=spec.first_name, last_name=spec.last_name)
        section = ctx.sections[spec.section]
        ensure(
            RoleAssignment,
            {
                "user": user,
                "role": spec.role,
                "enterprise": ctx.enterprise,
                "shop": None,
                "section": section,
                "valid_from": ROLES_FROM,
            },
            valid_to=None,
        )
        if spec.worker:
            ctx.workers[spec.worker] = ensure(
                Worker,
                {"enterprise": ctx.enterprise, "personnel_number": spec.worker},
                user=user,
            )
        if spec.role == Role.MASTER:
            ctx.sections[spec.section] = ensure(
                Section, {"shop": section.shop, "number": section.number}, head=user
            )
        ctx.add_login(spec.username, f"{Role(spec.role).label} ({spec.role})", str(section))


def _reopen_if_needed(ctx: DemoContext) -> None:
    """A plant loaded before the brigades existed has June–September closed already.

    The brigades' months there can only be written into open months, so they are
    reopened for the load (the closing step closes them again, as before). A complete
    load finds every document and reopens nothing.
    """
    closed = [ctx.periods[key] for key in CLOSED_MONTHS if ctx.periods[key].is_closed]
    if not closed:
        return
    ours = models.Q(pk__in=[])
    for spec in BRIGADES:
        ours |= models.Q(brigade__section=ctx.sections[spec.section], brigade__number=spec.number)
    present = Distribution.objects.filter(
        ours, period__in=[ctx.periods[key] for key in CLOSED_MONTHS], corrects=None
    ).count()
    if present >= len(BRIGADES) * len(CLOSED_MONTHS):
        return
    ctx.say("  бригады: открываю июнь–сентябрь 2026, чтобы записать их месяцы")
    for period in closed:
        period._reopen_approved = True
        period.status = Period.Status.OPEN
        period.closed_by = None
        period.closed_at = None
        period.save()


def _brigade(ctx: DemoContext, spec: BrigadeSpec) -> Brigade:
    section = ctx.sections[spec.section]
    values = {
        "enterprise_id": ctx.enterprise.pk,
        "name": spec.name,
        "kind": spec.kind,
        "pay_system": spec.pay_system,
        "single_work_order": True,
        "method": spec.method,
        "work_grade": spec.work_grade,
        "formed_on": spec.formed_on,
    }
    brigade = Brigade.objects.filter(section=section, number=spec.number).first()
    if brigade is not None and all(getattr(brigade, k) == v for k, v in values.items()):
        return brigade
    brigade = brigade or Brigade(section=section, number=spec.number)
    for name, value in values.items():
        setattr(brigade, name, value)
    return services.brigade_save(brigade=brigade, user=ctx.users[spec.editor])


def _members(ctx: DemoContext, spec: BrigadeSpec, brigade: Brigade) -> None:
    editor = ctx.users[spec.editor]
    for number in spec.members:
        worker = ctx.workers[number]
        if not Membership.objects.filter(brigade=brigade, worker=worker).exists():
            joined = JOINS.get((spec.key, number)) or max(spec.formed_on, worker.hire_date)
            services.membership_add(
                brigade=brigade,
                worker=worker,
                valid_from=joined,
                conditional_grade=CONDITIONAL_GRADES.get((spec.key, number)),
                user=editor,
            )
        if (promotion := PROMOTIONS.get((spec.key, number))) is not None:
            on, grade = promotion
            if not Membership.objects.filter(
                brigade=brigade, worker=worker, valid_from=on
            ).exists():
                current = Membership.objects.get(
                    models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
                    brigade=brigade,
                    worker=worker,
                    valid_from__lte=on,
                )
                services.membership_change(
                    membership=current,
                    on=on,
                    grade=grade,
                    profession=current.profession,
                    conditional_grade=current.conditional_grade,
                    user=editor,
                )
    posts = [(spec.leader, Post.Kind.LEADER)] + [(n, Post.Kind.COUNCIL) for n in spec.council]
    for number, kind in posts:
        worker = ctx.workers[number]
        if not Post.objects.filter(brigade=brigade, worker=worker, kind=kind).exists():
            membership = Membership.objects.filter(brigade=brigade, worker=worker).earliest(
                "valid_from"
            )
            services.post_assign(
                brigade=brigade,
                worker=worker,
                kind=kind,
                valid_from=membership.valid_from,
                user=editor,
            )


def _timesheet(distribution: Distribution, rows: dict[str, Row]) -> list[services.TimesheetRow]:
    """The plan's rows on the document's lines; a member with two lines gets his hours
    split by the working hours of each."""
    by_worker: dict[str, list] = {}
    for line in distribution.lines.select_related("worker").order_by("date_from", "pk"):
        by_worker.setdefault(line.worker.personnel_number, []).append(line)
    result = []
    for number, row in rows.items():
        lines = by_worker.get(number, [])
        if not lines:
            continue
        weights = [working_hours(line.date_from, line.date_to) for line in lines]
        total_weight = sum(weights) or Decimal(1)
        left = {"hours": row.hours, "absence": row.absence_hours, "output": row.output}
        for index, (line, weight) in enumerate(zip(lines, weights, strict=True)):
            last = index == len(lines) - 1
            part = {}
            for name, value in (
                ("hours", row.hours),
                ("absence", row.absence_hours),
                ("output", row.output),
            ):
                part[name] = left[name] if last else half_up(value * weight / total_weight)
                left[name] -= part[name]
            result.append(
                services.TimesheetRow(
                    line_id=line.pk,
                    hours=part["hours"],
                    absence_hours=part["absence"],
                    absence_note=row.absence_note if part["absence"] else "",
                    output=part["output"],
                )
            )
    return result


def _month(
    ctx: DemoContext, brigade: Brigade, period: Period, plan: MonthPlan, criteria: dict
) -> None:
    if Distribution.objects.filter(brigade=brigade, period=period, corrects=None).exists():
        return  # written before, or worked on since: left as it is
    drafter = ctx.users[plan.drafter]
    distribution = services.distribution_open(
        brigade=brigade, period=period, user=drafter, method=plan.method
    )
    rows = _timesheet(distribution, plan.rows)
    if rows:
        services.timesheet_save(distribution=distribution, rows=rows, user=drafter)
    for number, names in plan.ktu.items():
        services.ktu_set(
            distribution=distribution,
            worker=ctx.workers[number],
            criteria=[criteria[name] for name in names],
            user=drafter,
        )
    if plan.earnings is not None:
        services.earnings_save(
            distribution=distribution,
            method=plan.method,
            piecework=plan.earnings.piecework,
            bonus=plan.earnings.bonus,
            savings=plan.earnings.savings,
            norm_hours=plan.earnings.norm_hours,
            user=drafter,
        )
    if plan.status in (AGREED, APPROVED):
        last_day = month_bounds(period.year, period.month)[1]
        services.distribution_agree(
            distribution=distribution,
            minutes=f"Протокол совета бригады № {period.month} от {last_day:%d.%m.%Y}",
            user=ctx.users[plan.agreer],
        )
    if plan.status == APPROVED:
        services.distribution_approve(distribution=distribution, user=ctx.users[plan.approver])


def step_brigades(ctx: DemoContext) -> None:
    """The brigades with their members and posts, then their months."""
    _reopen_if_needed(ctx)
    criteria = {c.name: c for c in KtuCriterion.objects.filter(enterprise=ctx.enterprise)}
    for spec in BRIGADES:
        brigade = _brigade(ctx, spec)
        _members(ctx, spec, brigade)
        for year, month in DEMO_MONTHS:
            period = ctx.periods[year, month]
            plan = PLANS[spec.key](year, month, period.working_hours)
            _month(ctx, brigade, period, plan, criteria)
    count = Brigade.objects.filter(enterprise=ctx.enterprise).count()
    ctx.say(f"  бригад: {count}")


DEMO_STEPS = [step_ktu_criteria, step_users, step_brigades]
