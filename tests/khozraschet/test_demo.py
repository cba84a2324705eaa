"""The demo plant's section self-financing (``khozraschet.demo``, run by ``load_demo``).

The demo is loaded once for the session (tests/conftest.py, ``loaded_demo``);
each test runs in its own savepoint on top of it. The rules module is not used here: the
vectors are checked on the stored inputs with the booklet's arithmetic written out.
"""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord, Period, Section, StepScale
from enterprise.rules import step_problems
from khozraschet import demo as khz_demo
from khozraschet.models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostCorrection,
    CostLine,
    DeviationNote,
    EnergySaving,
    IdleCause,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Passport,
    Position,
    Profile,
    Purpose,
    ScorecardRow,
    SectionMonth,
    Settings,
    TensionFactor,
    TimeStudy,
)
from planning.tracking.selectors import section_day_rows

D = Decimal
FOUR = D("0.0001")
TWO = D("0.01")


def _round(value: Decimal, places: Decimal = FOUR) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


# It needs an empty database: it runs outside the shared demo (tests/conftest.py).
@pytest.mark.django_db
def test_a_plant_loaded_before_khozraschet_gets_it_and_its_months_closed_again():
    others = [step for step in demo.app_steps() if step not in khz_demo.DEMO_STEPS]
    demo.load_demo(steps=[*demo.BASE_STEPS, *others, *demo.CLOSING_STEPS])
    plant = _enterprise()
    september = Period.objects.get(enterprise=plant, year=2026, month=9)
    assert september.is_closed
    assert not SectionMonth.objects.filter(period__enterprise=plant).exists()
    demo.load_demo()
    september.refresh_from_db()
    assert september.is_closed
    assert SectionMonth.objects.filter(period=september).count() == 5  # 3 of shop 6, 2 auxiliary
    assert IdleRecord.objects.filter(period=september).count() == len(khz_demo.IDLE_HOURS)
    history = HistoryRecord.objects.count()
    demo.load_demo()
    assert HistoryRecord.objects.count() == history


@pytest.fixture
def plant(loaded_demo):
    return _enterprise()


def _enterprise() -> Enterprise:
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def _section(plant, shop: int, number: int) -> Section:
    return Section.objects.get(shop__enterprise=plant, shop__number=shop, number=number)


def _period(plant, month: int) -> Period:
    return Period.objects.get(enterprise=plant, year=2026, month=month)


def _values(plant, number: int, month: int) -> dict[str, IndicatorValue]:
    return {
        value.indicator.code: value
        for value in IndicatorValue.objects.filter(
            section=_section(plant, 6, number), period=_period(plant, month)
        ).select_related("indicator")
    }


def _ratio(value: IndicatorValue) -> Decimal:
    return value.actual / value.plan


def _scale(plant, code: str) -> StepScale:
    return StepScale.objects.get(enterprise=plant, code=code)


# --- sections: passports, time studies, idle hours ----------------------------------------------


def test_shop_6_passports_give_table_2s_coefficients_and_types(plant):
    settings = Settings.objects.get(enterprise=plant)
    expected = {1: ("18.26", "serial"), 2: ("25.39", "small_serial"), 3: ("21.30", "small_serial")}
    for number, (kz, kind) in expected.items():
        passport = Passport.objects.filter(section=_section(plant, 6, number)).first()  # latest
        assert passport.valid_from.isoformat() == "2026-07-01"
        coefficient = D(passport.operations) / D(passport.workplaces)
        assert _round(coefficient, TWO) == D(kz)
        operations, workplaces, _printed, printed_kind = demo.TABLE_2_SECTIONS[number]
        assert (passport.operations, passport.workplaces) == (operations, workplaces)
        assert printed_kind == kind
        # the plant's thresholds (upper bound inclusive): serial (10, 20], small-serial (20, 50]
        if kind == "serial":
            assert settings.large_serial_max < coefficient <= settings.serial_max
        else:
            assert settings.serial_max < coefficient <= settings.small_serial_max
    shop = Passport.objects.filter(section__shop__enterprise=plant, valid_from="2026-07-01")
    operations = sum(p.operations for p in shop)
    workplaces = sum(p.workplaces for p in shop)
    assert (operations, workplaces) == (3564, 166)
    assert _round(D(operations) / workplaces, TWO) == D("21.47")
    # section 6.1's passport has an earlier version
    assert Passport.objects.filter(section=_section(plant, 6, 1)).count() == 2


def test_profiles_purposes_and_links(plant):
    milling = Profile.objects.get(section=_section(plant, 6, 1))
    assert milling.purpose == Purpose.MAIN
    assert set(milling.consumers.values_list("number", flat=True)) == {2, 3}
    compressor = Profile.objects.get(section=_section(plant, 14, 2))
    assert compressor.purpose == Purpose.AUXILIARY
    assert _section(plant, 6, 1) in compressor.consumers.all()
    months = SectionMonth.objects.filter(section=_section(plant, 14, 2)).select_related("period")
    assert {m.period.month: m.consumers_filed_no_claims for m in months} == {
        7: True,
        8: True,
        9: False,
        10: True,
    }


def test_time_studies_are_table_4s_columns_and_add_up_to_100(plant):
    studies = {
        s.section.number: s
        for s in TimeStudy.objects.filter(section__shop__enterprise=plant).select_related("section")
    }
    assert set(studies) == {1, 2, 3}
    for study in studies.values():
        assert study.work + study.losses == D(100)
    # turning: work 71, losses 29, machines idle 53 % (100 − main time 47)
    assert (studies[2].work, studies[2].losses, studies[2].machine) == (D(71), D(29), D(47))
    assert (studies[1].work, studies[3].work) == (D(75), D(98))


def test_idle_hours_of_table_11(plant):
    month = SectionMonth.objects.get(section=_section(plant, 6, 1), period=_period(plant, 9))
    records = list(IdleRecord.objects.filter(section=month.section, period=month.period))
    total = sum(r.hours for r in records)
    repair = next(r.hours for r in records if r.cause == IdleCause.UNPLANNED_REPAIR)
    assert (total, repair) == (D("901.6"), D("792.6"))
    assert _round(repair * 100 / total, D("0.1")) == D("87.9")
    assert month.shift_fund_hours == D(3073)
    assert _round(total * 100 / month.shift_fund_hours, TWO) == D("29.34")
    # the Pareto order: unplanned repair far ahead
    assert max(records, key=lambda r: r.hours).cause == IdleCause.UNPLANNED_REPAIR


# --- configuration and scales -------------------------------------------------------------------


def test_the_scales_have_no_gaps_and_no_overlaps(plant):
    codes = [spec.code for spec in khz_demo.SCALES] + [khz_demo.QUALITY_COLLECTIVE_SCALE]
    for code in codes:
        steps = _scale(plant, code).steps()
        assert step_problems(steps) == [], code
        ordered = sorted(steps, key=lambda s: (s.lower is not None, s.lower or 0))
        assert ordered[-1].upper is None, code
        for previous, current in itertools.pairwise(ordered):
            assert previous.upper == current.lower, code  # contiguous: no gaps
        values = [s.value for s in ordered]
        assert values == sorted(values), code  # monotone


def test_the_scales_give_the_booklets_steps(plant):
    tension = _scale(plant, khz_demo.TENSION_SCALE)
    booklet = {"0.97": 35, "0.9898": 35, "1.0": 35, "1.23": 42, "1.25": 42, "0.68": 20}
    for x, value in booklet.items():
        assert tension.value_for(D(x)) == value, x
    assert tension.value_for(D("1.3378")) == 42  # 42 % is the ceiling
    correction = _scale(plant, khz_demo.CORRECTION_SCALE)
    readings = {"0.7333": "0.75", "0.8": "0.91", "0.99": "0.91", "1.0": "1.0", "1.01": "1.1"}
    readings |= {"1.15": "1.1", "1.16": "1.2", "1.35": "1.2", "1.36": "1.25", "2": "1.25"}
    for x, value in readings.items():
        assert correction.value_for(D(x)) == D(value), x
    masters = _scale(plant, khz_demo.QUALITY_MASTERS_SCALE)
    collective = _scale(plant, khz_demo.QUALITY_COLLECTIVE_SCALE)
    table_9 = {"0.59": (50, 50), "0.6": (65, 60), "0.79": (80, 70), "0.85": (90, 80)}
    table_9 |= {"1.0": (100, 100), "1.05": (105, 105), "1.2": (110, 110), "1.21": (115, 115)}
    for x, (for_collective, for_masters) in table_9.items():
        assert (collective.value_for(D(x)), masters.value_for(D(x))) == (
            for_collective,
            for_masters,
        ), x
    seniority = _scale(plant, khz_demo.SENIORITY_SCALE)
    years = {"0.5": 0, "1": 3, "2.9": 3, "3": 4, "6": 5, "9.9": 5, "10": 6, "35": 6}
    for x, value in years.items():
        assert seniority.value_for(D(x)) == value, x


def test_the_plants_configuration(plant):
    settings = Settings.objects.get(enterprise=plant)
    assert (settings.section_due_day, settings.shop_due_day) == (12, 20)
    assert (settings.quality_rank_minimum, settings.withhold_percent) == (D("0.5"), D(25))
    assert (settings.energy_min_percent, settings.energy_max_percent) == (D(17), D(45))
    roles = dict(Indicator.objects.filter(enterprise=plant).values_list("role", "source"))
    assert roles[Indicator.Role.VOLUME] == Indicator.Source.OUTPUT
    assert roles[Indicator.Role.WAGE_FUND] == Indicator.Source.WAGE_FUND
    assert roles[Indicator.Role.CLAIMS] == Indicator.Source.CLAIMS
    assert roles[Indicator.Role.COST] == Indicator.Source.COST
    factors = TensionFactor.objects.filter(enterprise=plant).select_related("indicator")
    assert {f.indicator.role for f in factors} == {
        Indicator.Role.PRODUCTIVITY,
        Indicator.Role.VOLUME,
        Indicator.Role.CAPITAL,
        Indicator.Role.COST_PER_RUBLE,
    }
    assert {f.weight for f in factors} == {D(1)}
    assert CostArticle.objects.filter(enterprise=plant).count() == 5
    assert CostArticle.objects.get(enterprise=plant, materials=True).code == "materials"
    master_points = ScorecardRow.objects.filter(enterprise=plant, position=Position.MASTER)
    assert sum(r.base_points for r in master_points) == D(15)
    nomenclature = CompetitionRule.objects.get(
        enterprise=plant, factor=CompetitionRule.Factor.NOMENCLATURE
    )
    assert (nomenclature.gain, nomenclature.loss) == (D(0), D("0.05"))
    output = CompetitionRule.objects.get(enterprise=plant, factor=CompetitionRule.Factor.OUTPUT)
    assert not output.counts_when_unmet
    categories = {c.code: c for c in BonusCategory.objects.filter(enterprise=plant)}
    assert categories["masters"].quality == BonusCategory.Quality.MASTERS
    # ИТР и служащие: 80 % of the masters' 35 % = 28 %
    assert D(35) * categories["engineers"].share_of_scale / 100 == D(28)
    assert categories["workers"].position == "" and categories["workers"].correction_scale is None
    for category in categories.values():
        category.full_clean()


# --- the months and the vectors -----------------------------------------------------------------


def test_every_main_section_month_has_every_indicator_and_article(plant):
    indicators = Indicator.objects.filter(enterprise=plant).count()
    articles = CostArticle.objects.filter(enterprise=plant).count()
    for number in (1, 2, 3):
        section = _section(plant, 6, number)
        for month in khz_demo.MONTHS:
            period = _period(plant, month)
            assert IndicatorValue.objects.filter(section=section, period=period).count() == (
                indicators
            )
            assert CostLine.objects.filter(section=section, period=period).count() == articles
            sm = SectionMonth.objects.get(section=section, period=period)
            assert sum(sm.decade_plan) == _values(plant, number, month)["output"].plan
    closed = {m for m in khz_demo.MONTHS if _period(plant, m).is_closed}
    assert closed == {7, 8, 9}


def test_september_of_section_6_1_gives_the_tension_vector(plant):
    values = _values(plant, 1, 9)
    section, period = _section(plant, 6, 1), _period(plant, 9)
    recorded = sum(row.output for row in section_day_rows(section, period))
    volume = recorded / values["output"].plan
    ratios = [_ratio(values["productivity"]), volume, _ratio(values["capital"])]
    ratios.append(_ratio(values["cost-per-ruble"]))
    assert [_round(r) for r in ratios] == [D("1.2"), D("1.15"), D("0.95"), D("0.98")]
    tension = ratios[0] * ratios[1] * ratios[2] / ratios[3]
    assert _round(tension) == D("1.3378")
    assert _scale(plant, khz_demo.TENSION_SCALE).value_for(_round(tension)) == 42


def test_august_of_section_6_1_gives_the_complex_evaluation_vector(plant):
    values = _values(plant, 1, 8)
    section, period = _section(plant, 6, 1), _period(plant, 8)
    month = SectionMonth.objects.get(section=section, period=period)
    completeness = month.on_time_output / (month.on_time_output + month.shortfall)
    assert completeness == D("0.8")
    assert month.productivity_wage_deviation == 0
    recorded = sum(row.output for row in section_day_rows(section, period))
    tension = (
        _ratio(values["productivity"])
        * (recorded / values["output"].plan)
        * _ratio(values["capital"])
        / _ratio(values["cost-per-ruble"])
    )
    assert _round(tension) == D("0.9898")
    base = _scale(plant, khz_demo.TENSION_SCALE).value_for(_round(tension))
    assert base == 35
    # the serial section's scorecard: 10 − 20 × 0.2 + 5 = 11 points of 15
    latest = Passport.objects.filter(section=section, valid_from__lte=period.start).first()
    assert (
        D(latest.operations) / latest.workplaces
        <= Settings.objects.get(enterprise=plant).serial_max
    )
    rows = {r.measure: r for r in ScorecardRow.objects.filter(enterprise=plant, position="master")}
    deviation = (1 - completeness) * 100
    points = rows["completeness"].base_points - deviation * rows["completeness"].penalty_serial
    points += rows["productivity_wage"].base_points
    assert points == 11
    evaluation = _round(points / sum(r.base_points for r in rows.values()), TWO)
    assert evaluation == D("0.73")
    correction = _scale(plant, khz_demo.CORRECTION_SCALE).value_for(evaluation)
    assert correction == D("0.75")
    assert base * correction == D("26.25")
    masters_quality = _scale(plant, khz_demo.QUALITY_MASTERS_SCALE)
    assert masters_quality.value_for(month.quality_masters) == 100  # paid in full


def test_the_demo_s_closed_months_carry_the_close_s_results_with_the_vectors(plant):
    """The demo sums up July–September before it closes them: the stored results show
    the booklet's vectors as the section's page reads them."""
    from khozraschet.models import SectionResult

    results = {
        (r.section.number, r.period.month): r
        for r in SectionResult.objects.filter(
            section__shop__enterprise=plant, section__shop__number=6
        ).select_related("section", "period")
    }
    assert sorted(results) == [(n, m) for n in (1, 2, 3) for m in (7, 8, 9)]
    assert all(r.period.is_closed and not r.problems for r in results.values())
    assert results[1, 9].tension == D("1.3378")
    august = results[1, 8]
    assert august.complex_evaluation == D("0.73")
    masters = next(b for b in august.details["bonuses"] if b["code"] == "masters")
    assert (D(masters["correction"]), D(masters["percent"])) == (D("0.75"), D("26.25"))
    assert results[2, 9].rank is None  # Ккт 0,45: not ranked
    assert results[2, 9].details["competition"]["reason"].startswith("Ккт ниже 0,5")
    assert {results[n, 9].rank for n in (1, 3)} == {1, 2}


def test_section_6_2_is_not_ranked_in_september(plant):
    minimum = Settings.objects.get(enterprise=plant).quality_rank_minimum
    months = SectionMonth.objects.filter(section__shop__enterprise=plant, section__shop__number=6)
    below = [(m.section.number, m.period.month) for m in months if m.quality_collective < minimum]
    assert below == [(2, 9)]


def test_corrections_notes_energy_and_fund(plant):
    dispatcher = get_user_model().objects.get(username="pdb6")
    corrections = CostCorrection.objects.filter(section__shop__enterprise=plant)
    assert corrections.count() == len(khz_demo.CORRECTIONS)
    assert {c.author for c in corrections} == {dispatcher}
    assert all(c.reason.strip() for c in corrections)
    assert {c.amount > 0 for c in corrections} == {True, False}  # raised and lowered
    steel = corrections.get(section=_section(plant, 6, 1), period=_period(plant, 9))
    assert steel.amount == D("3950") * D("0.032")
    note = DeviationNote.objects.get(section=_section(plant, 6, 1), part="Корпус редуктора 6К-112")
    assert note.author.username == "master61" and note.explanation
    savings = EnergySaving.objects.filter(section__shop__enterprise=plant)
    assert savings.count() == len(khz_demo.ENERGY)
    assert all(D(17) <= s.percent <= D(45) for s in savings)
    funds = IncentiveFund.objects.filter(enterprise=plant, shop__number=6)
    assert funds.count() == len(khz_demo.MONTHS)


# --- loading --------------------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_a_second_load_changes_nothing_and_adds_no_history(plant):
    counts = _row_counts()
    history = HistoryRecord.objects.count()
    values = list(IndicatorValue.objects.order_by("pk").values())
    demo.load_demo()
    assert _row_counts() == counts
    assert HistoryRecord.objects.count() == history
    assert list(IndicatorValue.objects.order_by("pk").values()) == values
