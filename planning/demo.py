"""Demo personal plans: the coil winder of table 24, the weaver of table 23 (a five-year
plan by the textile method), and the milling section 6.1 set by table 25's differentiated
growth — signed, agreed and draft, so every step of signing can be tried.

The plans go through the services as the people who would make and sign them, so the
history and the signatures are as in real use. A plan already there is left alone
(the load is idempotent).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from enterprise.demo import PLANT_TZ, ROLES_FROM, DemoContext, clock, ensure
from enterprise.models import RoleAssignment, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.money import TENTH, half_even
from enterprise.rules import employed_share
from planning.measures.demo import DEMO_STEPS as MEASURE_STEPS
from planning.operational.demo import DEMO_STEPS as OPERATIONAL_STEPS
from planning.operational.shifts.demo import DEMO_STEPS as SHIFT_STEPS
from planning.plans import services
from planning.plans.models import CorrectionCell, OutputUnit, PersonalPlan, SectionTask
from planning.tracking.demo import DEMO_STEPS as TRACKING_STEPS

D = Decimal
P = PersonalPlan
YEAR = 2026


class PlanUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    shop: int | None = None
    section: tuple[int, int] | None = None
    worker: str | None = None


USERS = (
    PlanUser("economist1", "Лариса", "Григорьева", Role.ECONOMIST, shop=1),
    PlanUser("master13", "Людмила", "Осипова", Role.MASTER, section=(1, 3)),
    PlanUser("worker1301", "Зинаида", "Романова", Role.WORKER, worker="1301"),
    PlanUser("shop20", "Виталий", "Карпов", Role.SHOP_HEAD, shop=20),
    PlanUser("economist20", "Оксана", "Медведева", Role.ECONOMIST, shop=20),
    PlanUser("master201", "Раиса", "Белова", Role.MASTER, section=(20, 1)),
)

# Table 25 of the plant (the source prints two cells: (1.22, 1.36) → 0.87 and
# (1.22, 1.00) → 1.26; the rest is the plant's own continuation of the scale).
CORRECTION_TABLE = (
    (D("1.22"), None, D("1.05"), D("1.26")),
    (D("1.22"), D("1.05"), D("1.15"), D("1.13")),
    (D("1.22"), D("1.15"), D("1.25"), D("1.00")),
    (D("1.22"), D("1.25"), D("1.35"), D("0.93")),
    (D("1.22"), D("1.35"), None, D("0.87")),
    (D("1.15"), None, D("1.10"), D("1.15")),
    (D("1.15"), D("1.10"), D("1.20"), D("1.00")),
    (D("1.15"), D("1.20"), None, D("0.90")),
)

# Table 23: the weaver's years — working-time balance Ti, machine productivity По
# (service norm 29 looms, 96.5 % of them working); 1976–1980 there, 2026–2030 here.
WEAVER = "20101"
WEAVER_YEARS = (
    (2026, D("1994"), D("5.1")),
    (2027, D("1967"), D("5.2")),
    (2028, D("1960"), D("5.3")),
    (2029, D("1960"), D("5.4")),
    (2030, D("1967"), D("5.5")),
)

# Section 6.1: personnel number → (base-year norm fulfilment Нр, status to bring it to).
MILLING = {
    "6101": (D("1.08"), "signed"),
    "6102": (D("1.36"), "signed"),
    "6103": (D("1.00"), "draft"),  # worker61: his plan waits for his agreement
    "6104": (D("1.21"), "signed"),
    "6105": (D("0.98"), "agreed"),
    "6106": (D("1.40"), "signed"),
    "6107": (D("1.30"), "agreed"),
    "6108": (D("1.18"), "agreed"),
    "6109": (D("1.12"), "draft"),
    "6110": (D("1.25"), "draft"),
}
TIME_FUND = D("1982.0")


def fund_of(worker: Worker, year: int = YEAR) -> Decimal:
    """The plan's time fund of a worker: the year's, or its share from his hire date (a
    worker hired on 1 May is planned from May, not from January)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    share = employed_share(worker.hire_date, worker.dismissal_date, start, end)
    return half_even(TIME_FUND * share, TENTH)


def _at(month: int, day: int, hour: int, year: int = YEAR) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=PLANT_TZ)


# The year's plans are drafted, agreed and signed in January (each step stamped so: the
# services and the history take the time from timezone.now()); next year's in November.
DRAFTED = _at(1, 12, 10)
AGREED = _at(1, 14, 11)
SIGNED = {"master": _at(1, 15, 9), "economist": _at(1, 15, 14), "shop_head": _at(1, 16, 10)}
NEXT_YEAR_DRAFTED = _at(11, 20, 10)


def step_users(ctx: DemoContext) -> None:
    """The economists, masters and shop head who draft and sign the demo plans."""
    for spec in USERS:
        user = ctx.ensure_user(spec.username, first_name=spec.first_name, last_name=spec.last_name)
        shop = ctx.shops[spec.shop] if spec.shop else None
        section = ctx.sections[spec.section] if spec.section else None
        ensure(
            RoleAssignment,
            {
                "user": user,
                "role": spec.role,
                "enterprise": ctx.enterprise,
                "shop": shop,
                "section": section,
                "valid_from": ROLES_FROM,
            },
            valid_to=None,
        )
        unit = str(section or shop or ctx.enterprise)
        if spec.worker:
            worker = ensure(
                Worker, {"enterprise": ctx.enterprise, "personnel_number": spec.worker}, user=user
            )
            ctx.workers[spec.worker] = worker
            unit = f"{worker.section}, таб. № {worker.personnel_number}"
        if spec.role == Role.SHOP_HEAD:
            ctx.shops[spec.shop] = ensure(
                Shop, {"enterprise": ctx.enterprise, "number": spec.shop}, head=user
            )
        if spec.role == Role.MASTER:
            ctx.sections[spec.section] = ensure(
                Section, {"shop": section.shop, "number": section.number}, head=user
            )
        ctx.add_login(spec.username, f"{Role(spec.role).label} ({spec.role})", unit)


def step_correction_table(ctx: DemoContext) -> None:
    for section_f, worker_from, worker_to, coefficient in CORRECTION_TABLE:
        ensure(
            CorrectionCell,
            {
                "enterprise": ctx.enterprise,
                "section_fulfilment": section_f,
                "worker_from": worker_from,
            },
            worker_to=worker_to,
            coefficient=coefficient,
        )


def _bring_to(ctx: DemoContext, plan: PersonalPlan, status: str, signers: dict) -> None:
    """Agree and sign ``plan`` as far as ``status`` (signers: role → username)."""
    if status == "draft" or plan.status != P.Status.DRAFT:
        return
    with clock(AGREED):
        plan = services.plan_agree(plan=plan, user=ctx.users[signers["master"]])
    if status == "agreed":
        return
    for role in ("master", "economist", "shop_head"):
        with clock(SIGNED[role]):
            plan = services.plan_sign(plan=plan, role=role, user=ctx.users[signers[role]])


def _has_plan(worker: Worker, year: int) -> bool:
    return P.objects.filter(worker=worker, year=year).exists()


def step_coil_winders(ctx: DemoContext) -> None:
    """Section 1.3: the coil winder of table 24 (2 517 norm-hours, +5.5 %, 1.27 per hour)
    signed for 2026 and her 2027 draft waiting for her agreement; her colleagues' plans
    by the profession's average output."""
    section = ctx.sections[1, 3]
    signers = {"master": "master13", "economist": "economist1", "shop_head": "shop1"}
    economist = ctx.users["economist1"]
    ensure(
        SectionTask,
        {"section": section, "year": YEAR},
        enterprise=ctx.enterprise,
        output_unit=OutputUnit.LABOUR_INTENSITY,
        unit="нормо-ч",
        task=D("11500.000"),
        growth_percent=D("5.500"),
    )
    # Вср of coil winders; the table-24 winder's own achieved output is the average.
    averages = {"1301": D("2385.8"), "1302": D("2290.0"), "1303": D("2290.0")}
    averages |= {"1304": D("2105.0"), "1305": D("2105.0")}
    statuses = {"1301": "signed", "1302": "signed", "1303": "agreed"}
    statuses |= {"1304": "draft", "1305": "draft"}
    for number, average in averages.items():
        worker = ctx.workers[number]
        if _has_plan(worker, YEAR):
            continue
        with clock(DRAFTED):
            plan = services.plan_save_draft(
                worker=worker,
                year=YEAR,
                method=P.Method.AVERAGE,
                values={
                    "average_output": average,
                    "growth_percent": D("5.5"),
                    "annual_time_fund": fund_of(worker),
                },
                user=economist,
                output_unit=OutputUnit.LABOUR_INTENSITY,
                unit="нормо-ч",
                commitments={
                    "production_task": (
                        "Намотка катушек реле РП-21 и РЭС-9 по сменному заданию мастера"
                    ),
                    "scrap_reduction_percent": D("0.5"),
                    "materials_savings": D("45.00"),
                    "energy_savings": D("12.00"),
                    "proposals": 1,
                },
            )
        _bring_to(ctx, plan, statuses[number], signers)
    winder = ctx.workers["1301"]
    if not _has_plan(winder, YEAR + 1):
        with clock(NEXT_YEAR_DRAFTED):
            services.plan_save_draft(
                worker=winder,
                year=YEAR + 1,
                method=P.Method.AVERAGE,
                values={
                    "average_output": D("2517.0"),
                    "growth_percent": D("4.0"),
                    "annual_time_fund": D("1976.0"),
                },
                user=economist,
                output_unit=OutputUnit.LABOUR_INTENSITY,
                unit="нормо-ч",
                commitments={"production_task": "Намотка катушек реле РП-21", "proposals": 2},
            )


def step_weaver(ctx: DemoContext) -> None:
    """The weaver of table 23: her five-year plan 2026–2030 by the textile method, each
    year a plan (2026 signed, the later years agreed with her)."""
    weaver = ctx.workers[WEAVER]
    signers = {"master": "master201", "economist": "economist20", "shop_head": "shop20"}
    ensure(
        SectionTask,
        {"section": weaver.section, "year": YEAR},
        enterprise=ctx.enterprise,
        output_unit=OutputUnit.NATURAL,
        unit="м",
        task=D("1100000.000"),
        growth_percent=D("2.000"),
    )
    for year, hours, productivity in WEAVER_YEARS:
        if _has_plan(weaver, year):
            continue
        with clock(DRAFTED):
            plan = services.plan_save_draft(
                worker=weaver,
                year=year,
                method=P.Method.TEXTILE,
                values={
                    "time_balance_hours": hours,
                    "service_norm": D("29"),
                    "machine_productivity": productivity,
                    "working_share": D("0.965"),
                },
                user=ctx.users["economist20"],
                five_year_from=2026,
                output_unit=OutputUnit.NATURAL,
                unit="м",
                commitments={"production_task": "Ткань бязь арт. 142, сорт 1 — не ниже 98 %"},
            )
        _bring_to(ctx, plan, "signed" if year == YEAR else "agreed", signers)


def step_milling(ctx: DemoContext) -> None:
    """Section 6.1 set by table 25: Пу = 5 %, Ну = 1.22; each worker's base is his
    achieved output (Нр × the time fund)."""
    section = ctx.sections[6, 1]
    signers = {"master": "master61", "economist": "economist6", "shop_head": "shop6"}
    ensure(
        SectionTask,
        {"section": section, "year": YEAR},
        enterprise=ctx.enterprise,
        output_unit=OutputUnit.NORM_HOURS,
        unit="нормо-ч",
        task=D("23300.000"),
        growth_percent=D("5.000"),
        norm_fulfilment=D("1.220"),
    )
    for number, (fulfilment, status) in MILLING.items():
        worker = ctx.workers[number]
        if _has_plan(worker, YEAR):
            continue
        with clock(DRAFTED):
            plan = services.plan_save_draft(
                worker=worker,
                year=YEAR,
                method=P.Method.TABLE,
                values={
                    "base_output": half_even(fulfilment * fund_of(worker), TENTH),
                    "section_growth_percent": D("5.0"),
                    "section_norm_fulfilment": D("1.22"),
                    "worker_norm_fulfilment": fulfilment,
                    "annual_time_fund": fund_of(worker),
                },
                user=ctx.users["economist6"],
                output_unit=OutputUnit.NORM_HOURS,
                unit="нормо-ч",
                commitments={
                    "production_task": (
                        "Детали по номенклатуре мастера, сдача с первого предъявления"
                    ),
                    "scrap_reduction_percent": D("0.3"),
                    "tools_savings": D("30.00"),
                },
            )
        _bring_to(ctx, plan, status, signers)


def step_turning(ctx: DemoContext) -> None:
    """Section 6.2 by the formula К = 2 − Нр / Ну, against a task the plans overshoot
    (the §4 check says «завышены»)."""
    section = ctx.sections[6, 2]
    ensure(
        SectionTask,
        {"section": section, "year": YEAR},
        enterprise=ctx.enterprise,
        output_unit=OutputUnit.NORM_HOURS,
        unit="нормо-ч",
        task=D("20500.000"),
        growth_percent=D("4.000"),
        norm_fulfilment=D("1.150"),
    )
    fulfilments = ["1.35", "1.28", "1.20", "1.18", "1.10", "1.05", "0.98", "1.22", "1.15", "1.12"]
    for index, fulfilment in enumerate(fulfilments, start=1):
        worker = ctx.workers[f"62{index:02d}"]
        if _has_plan(worker, YEAR):
            continue
        ratio = D(fulfilment)
        with clock(DRAFTED):
            services.plan_save_draft(
                worker=worker,
                year=YEAR,
                method=P.Method.FORMULA,
                values={
                    "base_output": half_even(ratio * fund_of(worker), TENTH),
                    "section_growth_percent": D("4.0"),
                    "section_norm_fulfilment": D("1.15"),
                    "worker_norm_fulfilment": ratio,
                    "annual_time_fund": fund_of(worker),
                },
                user=ctx.users["economist6"],
                output_unit=OutputUnit.NORM_HOURS,
                unit="нормо-ч",
            )


DEMO_STEPS = [
    step_users,
    step_correction_table,
    step_coil_winders,
    step_weaver,
    step_milling,
    step_turning,
    *MEASURE_STEPS,
    *TRACKING_STEPS,
    *OPERATIONAL_STEPS,
    *SHIFT_STEPS,
]
