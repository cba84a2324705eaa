"""Section self-financing of the plant generator (``khozraschet.generate``), read from the
session's shared generated plant (``generated_plant``, tests/conftest.py).

The rebuild of a plant with its self-financing (``--replace``) is checked on a small plant
with the other apps' rebuilds: tests/test_generate_plant.py."""

from __future__ import annotations

from decimal import Decimal

from enterprise.models import HistoryRecord, Period, Section, Shop
from enterprise.rules import step_problems
from khozraschet import demo as khz_demo
from khozraschet.generate import MONTHS
from khozraschet.models import (
    BonusCategory,
    CostArticle,
    CostCorrection,
    CostLine,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Passport,
    Profile,
    Purpose,
    SectionMonth,
    Settings,
    TimeStudy,
)

D = Decimal


def _of(plant) -> dict:
    return {"section__shop__enterprise": plant}


def test_the_generator_gives_every_section_its_months_indicators_and_costs(generated_plant):
    plant = generated_plant
    sections = Section.objects.filter(shop__enterprise=plant).count()
    periods = Period.objects.filter(enterprise=plant).order_by("year", "month")
    months = min(MONTHS, periods.count())
    indicators = Indicator.objects.filter(enterprise=plant).count()
    articles = CostArticle.objects.filter(enterprise=plant).count()
    assert (indicators, articles) == (len(khz_demo.INDICATORS), len(khz_demo.COST_ARTICLES))
    assert Settings.objects.filter(enterprise=plant).exists()
    assert BonusCategory.objects.filter(enterprise=plant).count() == len(khz_demo.CATEGORIES)
    assert Profile.objects.filter(**_of(plant)).count() == sections
    assert Passport.objects.filter(**_of(plant)).count() == sections
    assert TimeStudy.objects.filter(**_of(plant)).count() == sections
    assert SectionMonth.objects.filter(**_of(plant)).count() == sections * months
    assert IndicatorValue.objects.filter(**_of(plant)).count() == sections * months * indicators
    assert CostLine.objects.filter(**_of(plant)).count() == sections * months * articles
    idle = IdleRecord.objects.filter(**_of(plant)).count()
    assert 2 * sections * months <= idle <= 4 * sections * months
    assert CostCorrection.objects.filter(**_of(plant)).exists()
    shops = Shop.objects.filter(enterprise=plant).count()
    assert IncentiveFund.objects.filter(enterprise=plant).count() == shops * months
    # the auxiliary shops' sections serve main ones
    auxiliary = Profile.objects.filter(**_of(plant), purpose=Purpose.AUXILIARY)
    assert (
        auxiliary.count()
        == Section.objects.filter(shop__enterprise=plant, shop__kind=Shop.Kind.AUXILIARY).count()
    )
    assert all(p.consumers.exists() for p in auxiliary)
    # the first month is closed with its rows in it, the last one open
    assert periods.first().is_closed and not periods.last().is_closed
    # the history was recorded with the rows
    keys = [
        str(pk) for pk in IndicatorValue.objects.filter(**_of(plant)).values_list("pk", flat=True)
    ]
    created = HistoryRecord.objects.filter(
        content_type__model="indicatorvalue", object_pk__in=keys, action="create"
    )
    assert created.count() == sections * months * indicators
    for spec in khz_demo.SCALES:
        assert step_problems(plant.scales.get(code=spec.code).steps()) == []
    _rows_pass_their_validation(plant)


def _rows_pass_their_validation(plant):
    latest = Period.objects.filter(enterprise=plant).order_by("-year", "-month").first()
    for model in (SectionMonth, IndicatorValue, CostLine, IdleRecord):
        for row in model.objects.filter(**_of(plant), period=latest)[:200]:
            row.full_clean(validate_unique=False, validate_constraints=False)
    for passport in Passport.objects.filter(**_of(plant))[:50]:
        passport.clean_fields()
        assert passport.weight_min <= passport.weight_max
    values = IndicatorValue.objects.filter(**_of(plant), actual__isnull=False, plan__gt=0)
    ratios = [v.actual / v.plan for v in values.filter(period=latest)]
    assert ratios and max(ratios) < Settings.objects.get(enterprise=plant).unlikely_ratio
    kinds = {D(p.operations) / p.workplaces > D(20) for p in Passport.objects.filter(**_of(plant))}
    assert kinds == {True, False}  # several production types
