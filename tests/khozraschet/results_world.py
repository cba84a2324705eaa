"""A plant with computed results for the result pages' tests (and their screenshots).

Shop A: A1 (serial) holds the booklet's two vectors — October: the complex evaluation
(master, completeness 80 %: 11 points → 0.73 → 0.75 → 26.25 %), November: the plan
tension (1.2, 1.15, 0.95, 0.98 → Кнапр 1.3378) with a cost correction, idle hours and an
energy saving; A2 (small-serial) has figures in both months. Shop B: B1 in both months.
"""

from __future__ import annotations

from decimal import Decimal

from khozraschet.models import (
    CostCorrection,
    EnergySaving,
    IdleRecord,
    IncentiveFund,
    IndicatorValue,
    SectionMonth,
    Settings,
)
from khozraschet.services.close import results_compute

from .terms import install_terms, month_figures, passport

D = Decimal


def results_world(world) -> dict:
    """Terms, passports, two months of figures, the plant's close of both. Returns the
    October and November periods."""
    if not Settings.objects.filter(enterprise=world.enterprise).exists():
        world.extras["khz"] = install_terms(world.enterprise)
    else:  # another part of the suite installed them already
        from khozraschet.models import CostArticle, Indicator

        terms = {i.code: i for i in Indicator.objects.filter(enterprise=world.enterprise)}
        terms.update({a.code: a for a in CostArticle.objects.filter(enterprise=world.enterprise)})
        world.extras["khz"] = terms
    passport(world.units["A1"], 767, 42)  # Kз 18.26: serial
    passport(world.units["A2"], 965, 38)  # Kз 25.39: small-serial
    passport(world.units["B1"], 1832, 86)  # Kз 21.30: small-serial
    october, november = world.period(2026, 10), world.period(2026, 11)
    a1, a2, b1 = world.units["A1"], world.units["A2"], world.units["B1"]
    # October, A1: the complex evaluation's vector.
    month_figures(
        world, a1, october, productivity=D(100), volume=D(1000), capital=D(1), per_ruble=D("1.02")
    )
    # November, A1: the plan tension's vector.
    month_figures(
        world,
        a1,
        november,
        productivity=D(120),
        volume=D(1150),
        capital=D("0.95"),
        per_ruble=D("0.98"),
    )
    for period in (october, november):
        month_figures(
            world, a2, period, productivity=D(105), volume=D(1020), capital=D(1), per_ruble=D(1)
        )
        month_figures(
            world,
            b1,
            period,
            productivity=D(110),
            volume=D(1050),
            capital=D(1),
            per_ruble=D("0.99"),
        )
    terms = world.extras["khz"]
    # The planned wage fund weighs each section's share of the incentive fund.
    for section, amount in ((a1, D(60000)), (a2, D(40000)), (b1, D(50000))):
        for period in (october, november):
            IndicatorValue.objects.create(
                section=section, period=period, indicator=terms["wage_fund"], plan=amount
            )
    # (The close fails on idle hours without the month's shift fund: reported to the lead.)
    SectionMonth.objects.filter(section=a1, period=november).update(shift_fund_hours=D(4800))
    CostCorrection.objects.create(
        section=a1,
        period=november,
        article=terms["materials"],
        amount=D("50.00"),
        reason="Подорожание проката по письму поставщика",
        author=world.users["economist"],
    )
    for cause, hours in (("unplanned_repair", D(42)), ("no_work", D(18)), ("setup", D(6))):
        IdleRecord.objects.create(section=a1, period=november, cause=cause, hours=hours)
    EnergySaving.objects.create(
        section=a1, period=november, resource="electricity", saved_value=D(4000), percent=D(30)
    )
    IncentiveFund.objects.create(
        enterprise=world.enterprise, period=november, shop=world.units["A"], amount=D(10000)
    )
    for period in (october, november):
        results_compute(period=period, user=world.users["economist"])
    return {"october": october, "november": november}
