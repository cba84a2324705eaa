"""The demo plant's personal plans: the coil winder of table 24, the weaver of table 23,
section 6.1 by table 25 and 6.2 by the formula, the measures of table 21, the year's
output — and a second load that writes nothing."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model

from enterprise import demo
from enterprise.demo import PLANT_TZ
from enterprise.models import Enterprise, HistoryRecord, Period, Section, Worker
from enterprise.plausibility import Findings
from planning.demo import MILLING, WEAVER
from planning.measures.selectors import growth_from_measures
from planning.models import MonthlyOutput, OrgMeasure, PersonalPlan, SectionTask
from planning.plans import rules
from planning.plans.selectors import five_year_frame, section_checks
from planning.tracking.demo import EARLY_MONTHS
from planning.tracking.plausibility import check_outputs
from planning.tracking.services import OutputEntry
from tests.conftest import GENERATED_WORKERS

D = Decimal
P = PersonalPlan


@pytest.fixture
def plant(loaded_demo):
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def _plan(plant, number: str, year: int = 2026) -> PersonalPlan:
    return P.objects.get(
        worker__enterprise=plant, worker__personnel_number=number, year=year, version=1
    )


def _section(plant, shop: int, number: int) -> Section:
    return Section.objects.get(shop__enterprise=plant, shop__number=shop, number=number)


def test_the_coil_winder_of_table_24(plant):
    plan = _plan(plant, "1301")
    assert plan.method == P.Method.AVERAGE
    assert plan.annual_volume == D("2517.019")  # Вср 2 385,8 × 1,055
    assert plan.annual_volume.quantize(D("1")) == D("2517")
    assert plan.growth_percent == D("5.5")
    assert plan.hourly_output.quantize(D("0.01")) == D("1.27")
    assert plan.status == P.Status.SIGNED
    signers = (plan.master_signed_by, plan.economist_signed_by, plan.shop_head_signed_by)
    assert [u.username for u in signers] == ["master13", "economist1", "shop1"]
    assert plan.worker.user.username == "worker1301"
    # signed in January as a plant would, the history stamped the same
    assert plan.shop_head_signed_at == datetime.datetime(2026, 1, 16, 10, tzinfo=PLANT_TZ)
    assert plan.worker_agreed_at.astimezone(PLANT_TZ).date() == datetime.date(2026, 1, 14)
    stamps = HistoryRecord.objects.filter(group=f"planning.personalplan:{plan.pk}")
    assert {r.at.astimezone(PLANT_TZ).date() for r in stamps} == {
        datetime.date(2026, 1, day) for day in (12, 14, 15, 16)
    }
    following = _plan(plant, "1301", 2027)
    assert following.status == P.Status.DRAFT and following.worker_agreed_at is None


def test_the_weaver_of_table_23_by_years(plant):
    plans = [_plan(plant, WEAVER, year) for year in range(2026, 2031)]
    thousands = [(p.annual_volume / 1000).quantize(D("0.1")) for p in plans]
    assert thousands == [D("284.6"), D("286.2"), D("290.7"), D("296.2"), D("302.8")]
    assert plans[0].annual_volume == rules.textile_annual_plan(
        D("1994"), D("29"), D("5.1"), D("0.965")
    )
    assert [p.status for p in plans] == [P.Status.SIGNED] + [P.Status.AGREED] * 4
    frame = five_year_frame(plans[0])
    assert frame.missing == 0
    assert frame.total == sum(p.annual_volume for p in plans)


def test_section_6_1_by_table_25_is_sound_and_6_2_by_the_formula_too_high(plant):
    milling, turning = _section(plant, 6, 1), _section(plant, 6, 2)
    checks = {c.section.pk: c for c in section_checks([milling, turning], 2026)}
    first = checks[milling.pk]
    assert first.plans == len(MILLING) and first.task.task == D("23300")
    assert first.check.verdict is rules.PlanVerdict.SOUND
    # worker61 (6103) was hired on 1 May: planned on 1,330.4 h of the 1,982 (from May)
    assert first.check.excess_percent.quantize(D("0.1")) == D("3.2")
    assert first.sum_of_plans.quantize(D("0.1")) == D("24057.0")
    assert _plan(plant, "6103").annual_time_fund == D("1330.4")
    assert checks[turning.pk].check.verdict is rules.PlanVerdict.TOO_HIGH
    skilled = _plan(plant, "6102")  # Нр 1,36 on Ну 1,22: К 0,87 → 4,35 %
    assert skilled.correction_coefficient == D("0.870")
    assert skilled.growth_percent == D("4.35")
    assert _plan(plant, "6103").status == P.Status.DRAFT  # worker61's own, to agree
    statuses = {n: _plan(plant, n).status for n in MILLING}
    assert statuses == {n: status for n, (_, status) in MILLING.items()}


def test_the_measures_of_table_21_give_section_6_3_its_growth(plant):
    section = _section(plant, 6, 3)
    assert OrgMeasure.objects.filter(section=section).exists()
    reduction, released, growth = growth_from_measures([section.pk], 2026)[section.pk]
    assert reduction > 0 and released > 0
    assert growth.quantize(D("0.01")) == D("1.09")


def test_the_year_s_output_is_in_and_the_early_months_closed(plant):
    for month in EARLY_MONTHS:
        period = Period.objects.get(enterprise=plant, year=2026, month=month)
        assert period.is_closed
        assert MonthlyOutput.objects.filter(period=period).exists()
    winder = _plan(plant, "1301").worker
    months = MonthlyOutput.objects.filter(worker=winder, period__year=2026).count()
    assert months == 11
    assert SectionTask.objects.filter(section__shop__enterprise=plant, year=2026).count() >= 4


def test_the_logins_of_the_plans_exist(plant):
    users = get_user_model().objects.filter(
        username__in=["economist1", "master13", "worker1301", "shop20", "economist20", "master201"]
    )
    assert users.count() == 6


def test_a_second_load_writes_nothing(plant):
    plans, history = P.objects.count(), HistoryRecord.objects.count()
    outputs = MonthlyOutput.objects.count()
    demo.load_demo()
    assert (P.objects.count(), HistoryRecord.objects.count()) == (plans, history)
    assert MonthlyOutput.objects.count() == outputs


# --- generate_plant ------------------------------------------------------------------------


def test_the_generated_plant_has_a_plan_for_every_worker_and_a_task_for_every_section(
    generated_plant,
):
    """Read from the session's shared generated plant (tests/conftest.py); the rebuild with
    --replace that deletes its planning rows and builds them the same again is checked on a
    small plant with the other apps' rebuilds: tests/test_generate_plant.py."""
    plant = generated_plant
    plans = P.objects.filter(enterprise=plant)
    year = plans.values_list("year", flat=True).distinct().get()
    start = datetime.date(year, 1, 1)
    active = Worker.objects.filter(enterprise=plant, hire_date__lte=start).exclude(
        dismissal_date__lt=start
    )
    assert plans.count() == active.count() > GENERATED_WORKERS * 5 // 6
    assert set(plans.values_list("worker_id", flat=True)) == set(
        active.values_list("pk", flat=True)
    )
    signed = plans.filter(status=P.Status.SIGNED)
    assert 0.7 < signed.count() / plans.count() < 0.9
    assert not signed.filter(shop_head_signed_at=None).exists()
    for plan in plans[:50]:  # П = Вср × (1 + рост / 100), to the thousandth as the app rounds
        volume = rules.plan_from_average(plan.average_output, plan.growth_percent)
        assert plan.annual_volume == volume.quantize(D("0.001"), rounding=ROUND_HALF_UP)
    sections = Section.objects.filter(pk__in=plans.values("section_id"))
    checks = section_checks(sections, year)
    assert all(c.check is not None for c in checks)
    assert SectionTask.objects.filter(enterprise=plant, year=year).count() == len(checks)
    months = Period.objects.filter(enterprise=plant, year=year).count()
    assert MonthlyOutput.objects.filter(enterprise=plant).count() == active.count() * months


def test_every_output_of_the_demo_passes_the_plausibility_checks(plant):
    """The demo writes its output directly (not through the services): every month of it
    must still pass the checks a person's entry passes, so the demo's board shows nothing
    a person would have been asked to confirm — the 6103 hired on 1 May included."""
    rows = MonthlyOutput.objects.filter(enterprise=plant).select_related("worker", "period")
    entries = [
        OutputEntry(
            key=row.pk,
            worker=row.worker,
            period=row.period,
            output=row.output,
            hours_worked=row.hours_worked,
        )
        for row in rows
    ]
    assert len(entries) > 100
    findings = Findings()
    check_outputs(findings, entries)
    assert dict(findings.impossible) == {} and dict(findings.unlikely) == {}
