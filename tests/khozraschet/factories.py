"""factory-boy factories for khozraschet's configuration (Settings, Indicator, CostArticle)
and a section's month (SectionMonth, IndicatorValue).

Other khozraschet factories live beside the tests that need them (one file per helper).
Pass the enterprise, section and period of the test world to put rows together, e.g.
``IndicatorFactory(enterprise=world.enterprise)``.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from khozraschet.models import (
    CostArticle,
    Indicator,
    IndicatorValue,
    SectionMonth,
    Settings,
)
from tests.factories import EnterpriseFactory, PeriodFactory, SectionFactory


class SettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settings
        django_get_or_create = ("enterprise",)

    enterprise = factory.SubFactory(EnterpriseFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual indicator (the bureau enters its actual); ``source`` for one taken from
    another app."""

    class Meta:
        model = Indicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Показатель {n}")
    unit = "%"
    order = factory.Sequence(lambda n: n)


class CostArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostArticle

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"article-{n}")
    name = factory.Sequence(lambda n: f"Статья затрат {n}")
    order = factory.Sequence(lambda n: n)


class SectionMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionMonth

    section = factory.SubFactory(SectionFactory)
    period = factory.SubFactory(
        PeriodFactory, enterprise=factory.SelfAttribute("..section.shop.enterprise")
    )
    plan_decade_1 = Decimal(1000)
    plan_decade_2 = Decimal(1000)
    plan_decade_3 = Decimal(1000)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    section = factory.SubFactory(SectionFactory)
    period = factory.SubFactory(
        PeriodFactory, enterprise=factory.SelfAttribute("..section.shop.enterprise")
    )
    indicator = factory.SubFactory(
        IndicatorFactory, enterprise=factory.SelfAttribute("..section.shop.enterprise")
    )
    plan = Decimal(100)
    actual = Decimal(100)
