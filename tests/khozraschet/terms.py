"""The booklet's terms of self-financing installed for a test plant (rules' defaults),
and a section's passport and month of figures for the close's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from enterprise.models import StepScale, StepScaleRow
from khozraschet import rules
from khozraschet.models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostLine,
    Indicator,
    IndicatorValue,
    Passport,
    Profile,
    ScorecardRow,
    SectionMonth,
    Settings,
    TensionFactor,
)
from tests.planning.factories import SectionDayOutputFactory

D = Decimal
MEASURES = {
    "completeness": "completeness",
    "productivity_wage_ratio": "productivity_wage",
    "rhythmicity_decade_1": "rhythm_1",
    "rhythmicity_decade_2": "rhythm_2",
}


def scale(enterprise, code: str, steps) -> StepScale:
    made = StepScale.objects.create(
        enterprise=enterprise, code=code, name=code, argument_label="x", value_label="y"
    )
    StepScaleRow.objects.bulk_create(
        StepScaleRow(scale=made, lower=s.lower, upper=s.upper, value=s.value) for s in steps
    )
    return made


def install_terms(enterprise) -> dict:
    """Settings, the mandatory indicators with their roles, Кнапр's factor set, the cost
    articles, table 7's scorecards, table 8's rules and the masters' and engineers' bonus
    categories on plant А's scales. Returns the objects by name."""
    Settings.objects.create(enterprise=enterprise)
    made = {}

    def indicator(code, name, unit, role="", direction="higher", source="manual", order=0):
        made[code] = Indicator.objects.create(
            enterprise=enterprise,
            code=code,
            name=name,
            unit=unit,
            role=role,
            direction=direction,
            source=source,
            mandatory=role in ("volume", "productivity"),
            order=order,
        )
        return made[code]

    volume = indicator("volume", "Выпуск", "нормо-ч", "volume", source="output", order=1)
    productivity = indicator(
        "productivity", "Производительность", "руб./чел.", "productivity", order=2
    )
    capital = indicator("capital", "Фондоотдача", "руб./руб.", "capital", order=3)
    per_ruble = indicator(
        "per_ruble", "Затраты на 1 руб.", "коп.", "cost_per_ruble", direction="lower", order=4
    )
    indicator("cost", "Себестоимость", "руб.", "cost", direction="lower", source="cost", order=5)
    indicator(
        "wage_fund",
        "Фонд оплаты",
        "руб.",
        "wage_fund",
        direction="lower",
        source="wage_fund",
        order=6,
    )
    for item in (productivity, volume, capital, per_ruble):
        TensionFactor.objects.create(enterprise=enterprise, indicator=item)
    made["materials"] = CostArticle.objects.create(
        enterprise=enterprise, code="materials", name="Материалы", materials=True, order=1
    )
    made["wages"] = CostArticle.objects.create(
        enterprise=enterprise, code="wages", name="Зарплата", order=2
    )
    for position, card in (
        ("master", rules.DEFAULT_SCORECARD_MASTER),
        ("engineer", rules.DEFAULT_SCORECARD_ENGINEER),
    ):
        for row in card:
            ScorecardRow.objects.create(
                enterprise=enterprise,
                position=position,
                measure=MEASURES[row.measure],
                base_points=row.base_points,
                penalty_serial=row.penalty_serial,
                penalty_small_serial=row.penalty_small_serial,
            )
    for rule in rules.DEFAULT_COMPETITION_RULES:
        CompetitionRule.objects.create(
            enterprise=enterprise,
            factor=rule.code,
            per=rule.per,
            gain=rule.gain,
            loss=rule.loss,
            counts_when_unmet=rule.counts_when_unmet,
        )
    tension = scale(enterprise, "khz-tension", rules.DEFAULT_TENSION_BONUS_PLANT_A)
    correction = scale(enterprise, "khz-correction", rules.DEFAULT_COMPLEX_CORRECTION)
    masters = scale(enterprise, "khz-quality-masters", rules.DEFAULT_QUALITY_MASTERS)
    collective = scale(enterprise, "khz-quality-collective", rules.DEFAULT_QUALITY_COLLECTIVE)
    made["masters"] = BonusCategory.objects.create(
        enterprise=enterprise,
        code="masters",
        name="Мастера",
        tension_scale=tension,
        position="master",
        correction_scale=correction,
        quality="masters",
        quality_scale=masters,
        order=1,
    )
    made["engineers"] = BonusCategory.objects.create(
        enterprise=enterprise,
        code="engineers",
        name="ИТР",
        tension_scale=tension,
        share_of_scale=D(80),
        position="engineer",
        correction_scale=correction,
        quality="collective",
        quality_scale=collective,
        order=2,
    )
    made["tension_scale"] = tension
    return made


def passport(section, operations, workplaces, valid_from=datetime.date(2026, 1, 1)):
    Profile.objects.get_or_create(section=section)
    return Passport.objects.create(
        section=section,
        valid_from=valid_from,
        area=D(1200),
        operations=operations,
        workplaces=workplaces,
        output_plan=D(5000),
        weight_max=D(120),
        weight_min=D("0.5"),
        equipment=workplaces,
        workers=workplaces,
        average_grade=D("3.8"),
        specialisation="technological",
        norms_met=D(112),
        shifts=D("1.6"),
        output_per_worker=D(9800),
        mechanisation_degree=D(40),
        mechanisation_level=D(35),
        capacity=D(1500),
    )


def month_figures(world, section, period, *, productivity, volume, capital, per_ruble):
    """Plans 100 / 1000 / 1.00 / 1.00 and the actuals given (volume as recorded days)."""
    terms = world.extras["khz"]
    plans = {"productivity": D(100), "volume": D(1000), "capital": D(1), "per_ruble": D(1)}
    actuals = {"productivity": productivity, "capital": capital, "per_ruble": per_ruble}
    for code, plan in plans.items():
        IndicatorValue.objects.create(
            section=section,
            period=period,
            indicator=terms[code],
            plan=plan,
            actual=actuals.get(code),
        )
    # The volume is the section's recorded output: three days, one per decade.
    for day, share in ((5, D("0.3")), (15, D("0.3")), (25, D("0.4"))):
        SectionDayOutputFactory(
            section=section,
            date=datetime.date(period.year, period.month, day),
            output=volume * share,
        )
    SectionMonth.objects.create(
        section=section,
        period=period,
        plan_decade_1=D(300),
        plan_decade_2=D(300),
        plan_decade_3=D(400),
        on_time_output=D(80),
        shortfall=D(20),
        quality_collective=D("1.00"),
        quality_masters=D("1.00"),
    )
    CostLine.objects.create(
        section=section, period=period, article=terms["materials"], plan=D(1000), actual=D(990)
    )
