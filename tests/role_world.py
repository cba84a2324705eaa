"""A small world of a worker's own pages: his brigade's paid months and his plan's output
(tests/test_role_pages.py and the phone walk in tests/browser/test_role_pages.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from brigades.models import Brigade
from brigades.services import (
    TimesheetRow,
    distribution_agree,
    distribution_approve,
    distribution_open,
    earnings_save,
    timesheet_save,
)
from enterprise.models.roles import Role
from planning.plans import services as plan_services
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.planning.factories import MonthlyOutputFactory, PersonalPlanFactory

D = Decimal
TODAY = datetime.date(2026, 11, 20)  # the world's months: October and November open


def _fill(distribution, user, hours: dict) -> None:
    rows = [
        TimesheetRow(line_id=line.pk, hours=D(hours[line.worker_id]))
        for line in distribution.lines.all()
    ]
    timesheet_save(distribution=distribution, rows=rows, user=user)


def _earn(distribution, user, piecework: str):
    return earnings_save(
        distribution=distribution,
        method=distribution.method,
        piecework=D(piecework),
        bonus=D("0"),
        savings=D("0"),
        norm_hours=D("0"),
        user=user,
    )


def brigade_pay(world) -> dict:
    """Brigade № 5 of A1: the world's worker (grade 3, piece 126.70 ₽/h) and a colleague
    (grade 5, 160.30 ₽/h) who leads it as the brigade-leader user. October: 160 h and
    168 h, piecework 60,000.00 ₽ split by tariff (method A), approved; November: a draft
    with his 150 h only, not yet earned."""
    worker, colleague = world.workers["A1"]
    colleague.user = world.users[Role.BRIGADE_LEADER]
    colleague.save()
    brigade = BrigadeFactory(section=world.units["A1"], number=5, name="Токари")
    MembershipFactory(brigade=brigade, worker=worker)
    PostFactory(brigade=brigade, worker=MembershipFactory(brigade=brigade, worker=colleague).worker)
    master, leader = world.users[Role.MASTER], world.users[Role.BRIGADE_LEADER]
    october = distribution_open(
        brigade=brigade, period=world.period(2026, 10), user=master, method=Brigade.Method.TARIFF
    )
    _fill(october, master, {worker.pk: "160", colleague.pk: "168"})
    october = _earn(october, master, "60000.00")
    october = distribution_agree(distribution=october, minutes="Протокол № 1", user=leader)
    october = distribution_approve(distribution=october, user=world.users[Role.SHOP_HEAD])
    november = distribution_open(
        brigade=brigade, period=world.period(2026, 11), user=master, method=Brigade.Method.TARIFF
    )
    _fill(november, master, {worker.pk: "150", colleague.pk: "0"})
    return {"brigade": brigade, "october": october, "november": november}


def plans_with_output(world, outputs=("180", "200")) -> list:
    """Agreed 2026 plans of section A1's two workers (the world's worker first), each with
    October's output from ``outputs``."""
    plans = []
    for worker, output in zip(world.workers["A1"], outputs, strict=True):
        plan = PersonalPlanFactory(
            worker=worker, annual_volume=D("1982"), annual_time_fund=D("1982")
        )
        plans.append(plan_services.plan_agree(plan=plan, user=world.users[Role.MASTER]))
        MonthlyOutputFactory(worker=worker, period=world.period(2026, 10), output=D(output))
    return plans
