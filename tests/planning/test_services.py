"""Personal plans: set by each method of §3 (the vectors), signed by the right roles, final
once signed, revised by a new version, frozen with a closed December; a section at once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from planning.models import PersonalPlan
from planning.plans import calculation, services
from planning.plans.selectors import section_checks
from tests.factories import PeriodFactory
from tests.planning.factories import (
    CorrectionCellFactory,
    MonthlyOutputFactory,
    PersonalPlanFactory,
    SectionTaskFactory,
)

D = Decimal
P = PersonalPlan
M = PersonalPlan.Method


def test_average_method_gives_the_coil_winder_of_table_24():
    figures = calculation.calculate(
        M.AVERAGE, {"average_output": D("2386"), "growth_percent": D("5.5")}
    )
    assert figures.annual_volume == D("2517.230")
    assert figures.growth_percent == D("5.5")
    # hourly output with the time fund 1982 h: 1.27 norm-hours (table 24)
    assert (figures.annual_volume / D("1982")).quantize(D("0.01")) == D("1.27")
    assert figures.steps[0].formula == "2\xa0386 × (1 + 5,5 / 100) = 2\xa0517,23"


def _table():
    from planning.plans import rules

    return rules.CorrectionTable(
        (
            rules.CorrectionCell(D("1.22"), D("1.30"), None, D("0.87")),
            rules.CorrectionCell(D("1.22"), None, D("1.10"), D("1.26")),
        )
    )


@pytest.mark.parametrize(
    ("worker_fulfilment", "coefficient", "growth"),
    [(D("1.36"), D("0.87"), D("4.350")), (D("1.00"), D("1.26"), D("6.300"))],
)
def test_table_method_gives_workers_a_and_b(worker_fulfilment, coefficient, growth):
    values = {
        "base_output": D("2000"),
        "section_growth_percent": D("5.0"),
        "section_norm_fulfilment": D("1.22"),
        "worker_norm_fulfilment": worker_fulfilment,
    }
    figures = calculation.calculate(M.TABLE, values, table=_table())
    assert figures.correction_coefficient == coefficient
    assert figures.growth_percent == growth
    assert figures.annual_volume == D("2000") * (1 + growth / 100)


@pytest.mark.parametrize(
    ("worker_fulfilment", "coefficient", "growth"),
    [(D("1.36"), D("0.885"), D("4.425")), (D("1.00"), D("1.180"), D("5.900"))],
)
def test_formula_method_for_blank_shops(worker_fulfilment, coefficient, growth):
    values = {
        "base_output": D("1000"),
        "section_growth_percent": D("5.0"),
        "section_norm_fulfilment": D("1.22"),
        "worker_norm_fulfilment": worker_fulfilment,
    }
    figures = calculation.calculate(M.FORMULA, values)
    assert figures.correction_coefficient == coefficient
    assert figures.growth_percent == growth
    assert figures.steps[
        0
    ].formula == f"2 − {str(worker_fulfilment).replace('.', ',')} / 1,22 = " + (
        "0,885" if coefficient < 1 else "1,180"
    )


def test_table_method_outside_the_table_names_the_field():
    values = {
        "base_output": D("1000"),
        "section_growth_percent": D("5.0"),
        "section_norm_fulfilment": D("1.22"),
        "worker_norm_fulfilment": D("1.20"),  # the gap between 1.10 and 1.30
    }
    with pytest.raises(ValidationError) as error:
        calculation.calculate(M.TABLE, values, table=_table())
    assert "worker_norm_fulfilment" in error.value.message_dict


@pytest.mark.parametrize(
    ("hours", "productivity", "thousand_metres"),
    [
        (D("1994"), D("5.1"), D("284.6")),
        (D("1967"), D("5.2"), D("286.2")),
        (D("1960"), D("5.3"), D("290.7")),
        (D("1960"), D("5.4"), D("296.2")),
        (D("1967"), D("5.5"), D("302.8")),
    ],
)
def test_textile_method_reproduces_table_23(hours, productivity, thousand_metres):
    values = {
        "time_balance_hours": hours,
        "service_norm": D("29"),
        "machine_productivity": productivity,
        "working_share": D("0.965"),
    }
    figures = calculation.calculate(M.TEXTILE, values)
    assert (figures.annual_volume / 1000).quantize(D("0.1")) == thousand_metres
    assert figures.annual_time_fund == hours
    assert figures.growth_percent is None  # no base given


def test_a_method_without_its_inputs_names_each_missing_field():
    with pytest.raises(ValidationError) as error:
        calculation.calculate(M.AVERAGE, {"average_output": D("100")})
    assert set(error.value.message_dict) == {"growth_percent"}


# --- the lifecycle -------------------------------------------------------------------------


def _draft(world, **values):
    return services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=M.AVERAGE,
        values={"average_output": D("2386"), "growth_percent": D("5.5"), **values},
        user=world.users[Role.ECONOMIST],
        commitments={"materials_savings": D("120.00"), "production_task": "Катушки КР-2"},
    )


def _sign_all(world, plan):
    for role, user in (
        ("master", Role.MASTER),
        ("economist", Role.ECONOMIST),
        ("shop_head", Role.SHOP_HEAD),
    ):
        plan = services.plan_sign(plan=plan, role=role, user=world.users[user])
    return plan


def test_a_plan_is_drafted_agreed_and_signed_by_the_three(world):
    plan = _draft(world)
    assert plan.status == P.Status.DRAFT
    assert plan.annual_volume == D("2517.230")
    assert plan.five_year_from == 2026
    assert plan.materials_savings == D("120.00")
    assert plan.section == world.units["A1"]
    plan = services.plan_agree(plan=plan, user=world.users[Role.WORKER])
    assert plan.status == P.Status.AGREED
    assert plan.worker_agreed_recorded_by == world.users[Role.WORKER]
    plan = services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])
    assert plan.status == P.Status.AGREED
    assert services.signable_roles(plan, world.users[Role.ECONOMIST]) == ["economist"]
    assert services.signable_roles(plan, world.users[Role.MASTER]) == []
    plan = services.plan_sign(plan=plan, role="economist", user=world.users[Role.ECONOMIST])
    plan = services.plan_sign(plan=plan, role="shop_head", user=world.users[Role.SHOP_HEAD])
    assert plan.status == P.Status.SIGNED
    assert plan.signed_at == plan.shop_head_signed_at
    assert plan.master_signed_by == world.users[Role.MASTER]
    history = HistoryRecord.objects.filter(
        object_pk=str(plan.pk), content_type__model="personalplan"
    )
    assert {h.actor.username for h in history} >= {"economist", "worker", "master", "shop_head"}


@pytest.mark.parametrize(
    ("role", "user"),
    [
        ("master", Role.ECONOMIST),
        ("economist", Role.MASTER),
        ("shop_head", Role.MASTER),
        ("shop_head", Role.LABOUR),
        ("master", Role.WORKER),
    ],
)
def test_only_the_right_role_signs(world, role, user):
    plan = services.plan_agree(plan=_draft(world), user=world.users[Role.MASTER])
    with pytest.raises(PermissionDenied):
        services.plan_sign(plan=plan, role=role, user=world.users[user])


def test_a_worker_agrees_only_with_his_own_plan(world):
    other = world.workers["A1"][1]
    plan = services.plan_save_draft(
        worker=other,
        year=2026,
        method=M.MANUAL,
        values={"annual_volume": D("2100")},
        user=world.users[Role.MASTER],
    )
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, user=world.users[Role.WORKER])


def test_a_draft_is_not_signed_and_a_signature_is_not_put_twice(world):
    plan = _draft(world)
    with pytest.raises(ValidationError):
        services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])
    plan = services.plan_agree(plan=plan, user=world.users[Role.MASTER])
    plan = services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])
    with pytest.raises(ValidationError):
        services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])


def test_a_signed_plan_is_final_and_revised_by_a_new_version(world):
    signed = _sign_all(
        world, services.plan_agree(plan=_draft(world), user=world.users[Role.MASTER])
    )
    signed.annual_volume = D("1")
    with pytest.raises(ValidationError):
        signed.save()
    signed.refresh_from_db()
    with pytest.raises(ValidationError):
        services.plan_save_draft(
            worker=world.worker,
            year=2026,
            method=M.MANUAL,
            values={"annual_volume": D("3000")},
            user=world.users[Role.ECONOMIST],
        )
    revision = services.plan_revise(
        plan=signed, reason="Новый участок", user=world.users[Role.ECONOMIST]
    )
    assert (revision.version, revision.status, revision.revises) == (2, P.Status.DRAFT, signed)
    assert revision.master_signed_by is None and revision.annual_volume == signed.annual_volume
    revision = services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=M.MANUAL,
        values={"annual_volume": D("2600")},
        user=world.users[Role.ECONOMIST],
        plan=revision,
    )
    revision = services.plan_agree(plan=revision, user=world.users[Role.WORKER])
    revision = _sign_all(world, revision)
    signed.refresh_from_db()
    assert signed.status == P.Status.SUPERSEDED
    assert revision.status == P.Status.SIGNED
    assert list(
        P.objects.filter(worker=world.worker, year=2026).current().values_list("version", flat=True)
    ) == [2]


def test_return_to_draft_withdraws_agreement_and_signatures(world):
    plan = services.plan_agree(plan=_draft(world), user=world.users[Role.MASTER])
    plan = services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])
    plan = services.plan_return(plan=plan, reason="Ошибка в базе", user=world.users[Role.SHOP_HEAD])
    assert plan.status == P.Status.DRAFT
    assert plan.master_signed_at is None and plan.worker_agreed_at is None


def test_a_year_with_a_closed_december_does_not_change(world):
    PeriodFactory(
        enterprise=world.enterprise,
        year=2025,
        month=12,
        closed=True,
        closed_by=world.users[Role.LABOUR],
        closed_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
    )
    with pytest.raises(ValidationError) as error:
        services.plan_save_draft(
            worker=world.worker,
            year=2025,
            method=M.MANUAL,
            values={"annual_volume": D("2000")},
            user=world.users[Role.ECONOMIST],
        )
    assert "закрыт" in " ".join(error.value.messages)
    assert not P.objects.filter(year=2025).exists()


def test_an_economist_of_another_shop_cannot_draft(world):
    with pytest.raises(PermissionDenied):
        services.plan_save_draft(
            worker=world.workers["B1"][0],
            year=2026,
            method=M.MANUAL,
            values={"annual_volume": D("2000")},
            user=world.users[Role.ECONOMIST],
        )


# --- a section at once ---------------------------------------------------------------------


def _last_year(world, worker, output, hours=None):
    hours = hours if hours is not None else D("1800.0")
    period = PeriodFactory(enterprise=world.enterprise, year=2025, month=6)
    return MonthlyOutputFactory(worker=worker, period=period, output=output, hours_worked=hours)


def test_a_section_set_by_the_table_method_and_checked_against_its_task(world):
    a1 = world.units["A1"]
    first, second = world.workers["A1"]
    # last year: 1.36 and 1.00 norm-hours per hour worked
    _last_year(world, first, D("2448.000"))
    second_period = PeriodFactory(enterprise=world.enterprise, year=2025, month=7)
    MonthlyOutputFactory(
        worker=second, period=second_period, output=D("1800.000"), hours_worked=D("1800.0")
    )
    CorrectionCellFactory(
        enterprise=world.enterprise, worker_from=D("1.30"), worker_to=None, coefficient=D("0.87")
    )
    CorrectionCellFactory(
        enterprise=world.enterprise, worker_from=None, worker_to=D("1.10"), coefficient=D("1.26")
    )
    SectionTaskFactory(section=a1, task=D("4800"), growth_percent=D("5"))
    params = {
        "section_growth_percent": D("5.0"),
        "section_norm_fulfilment": D("1.22"),
        "annual_time_fund": D("1982"),
    }
    proposal = services.plans_set_by_method(
        section=a1, year=2026, method=M.TABLE, params=params, user=world.users[Role.ECONOMIST]
    )
    assert [r.error for r in proposal.rows] == ["", ""]
    plans = {p.worker_id: p for p in P.objects.filter(section=a1, year=2026)}
    assert plans[first.pk].growth_percent == D("4.350")
    assert plans[first.pk].correction_coefficient == D("0.870")
    # base = 1.36 × 1982 = 2695.52; × 1.0435
    assert plans[first.pk].annual_volume == D("2812.775")
    assert plans[second.pk].growth_percent == D("6.300")
    assert plans[second.pk].annual_volume == D("2106.866")
    (check,) = section_checks([a1], 2026)
    assert check.sum_of_plans == D("4919.641")
    assert check.verdict == "sound"  # +2.5 %
    assert "2,5" in check.message


def test_section_proposal_leaves_signed_plans_alone_and_says_why(world):
    a1 = world.units["A1"]
    first, second = world.workers["A1"]
    signed = _sign_all(
        world, services.plan_agree(plan=_draft(world), user=world.users[Role.MASTER])
    )
    assert signed.worker == first
    _last_year(world, second, D("1800"))
    proposal = services.plans_set_by_method(
        section=a1,
        year=2026,
        method=M.AVERAGE,
        params={"growth_percent": D("4"), "annual_time_fund": D("1982")},
        user=world.users[Role.MASTER],
    )
    rows = {r.worker: r for r in proposal.rows}
    assert "подписан" in rows[first].skipped
    # the profession's average hourly output last year: 1800 / 1800 = 1 → 1982 × 1.04
    assert rows[second].figures.annual_volume == D("2061.280")
    assert P.objects.get(worker=second, year=2026).status == P.Status.DRAFT
    signed.refresh_from_db()
    assert signed.status == P.Status.SIGNED


def test_section_check_verdicts(world):
    a1 = world.units["A1"]
    first, second = world.workers["A1"]
    SectionTaskFactory(section=a1, task=D("4000"))
    PersonalPlanFactory(worker=first, annual_volume=D("2300"))
    PersonalPlanFactory(worker=second, annual_volume=D("2300"))
    (check,) = section_checks([a1], 2026)
    assert check.verdict == "too_high" and check.plans == 2 and check.workers == 2
    assert "15,0" in check.message
