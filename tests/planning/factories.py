"""factory-boy factories for the planning models.

Each builds a valid row on its own. Plans default to 2026 (five-year frame 2026–2030),
the year of the test world; monthly rows default to October 2026, its first open month
(June–September are closed there).
"""

import datetime
from decimal import Decimal

import factory

from planning.models import (
    CorrectionCell,
    Factor,
    MonthlyOutput,
    OrgMeasure,
    PersonalPlan,
    SavingsEntry,
    SectionDayOutput,
    SectionTask,
)
from tests.factories import PeriodFactory, SectionFactory, WorkerFactory

OCTOBER = datetime.date(2026, 10, 1)


class SectionTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionTask

    section = factory.SubFactory(SectionFactory)
    enterprise = factory.LazyAttribute(lambda o: o.section.shop.enterprise)
    year = 2026
    task = Decimal("25000.000")
    growth_percent = Decimal("5.000")
    norm_fulfilment = Decimal("1.220")


class CorrectionCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectionCell

    enterprise = factory.SubFactory("tests.factories.EnterpriseFactory")
    section_fulfilment = Decimal("1.220")
    worker_from = None
    worker_to = None
    coefficient = Decimal("1.000")


class PersonalPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan of 2026 by achieved output: 2386.5 × 1.055 ≈ 2517 norm-hours."""

    class Meta:
        model = PersonalPlan

    worker = factory.SubFactory(WorkerFactory)
    enterprise = factory.LazyAttribute(lambda o: o.worker.enterprise)
    section = factory.LazyAttribute(lambda o: o.worker.section)
    year = 2026
    five_year_from = 2026
    method = PersonalPlan.Method.AVERAGE
    average_output = Decimal("2386.000")
    growth_percent = Decimal("5.500")
    annual_volume = Decimal("2517.230")
    annual_time_fund = Decimal("1982.0")


class MonthlyOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyOutput

    worker = factory.SubFactory(WorkerFactory)
    enterprise = factory.LazyAttribute(lambda o: o.worker.enterprise)
    period = factory.LazyAttribute(
        lambda o: PeriodFactory._meta.model.objects.get_or_create(
            enterprise=o.enterprise, year=OCTOBER.year, month=OCTOBER.month
        )[0]
    )
    output = Decimal("220.000")
    hours_worked = Decimal("168.0")


class SectionDayOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionDayOutput

    section = factory.SubFactory(SectionFactory)
    enterprise = factory.LazyAttribute(lambda o: o.section.shop.enterprise)
    date = OCTOBER
    output = Decimal("100.000")


class OrgMeasureFactory(factory.django.DjangoModelFactory):
    """The shuttle spring of §5: (0.45 − 0.29) × 216 900 = 34 704 norm-hours, 16.0 workers."""

    class Meta:
        model = OrgMeasure

    section = factory.SubFactory(SectionFactory)
    enterprise = factory.LazyAttribute(lambda o: o.section.shop.enterprise)
    year = 2026
    name = "Полирование пружины челнока алмазной лентой"
    factor = Factor.PROGRESSIVE_TECHNOLOGY
    responsible = "Технолог Петров П. П."
    deadline = datetime.date(2026, 12, 1)
    labour_before = Decimal("0.450")
    labour_after = Decimal("0.290")
    annual_quantity = Decimal("216900")
    annual_time_fund = Decimal("1807.0")
    norm_fulfilment = Decimal("1.200")
    headcount = 5321


class SavingsEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsEntry

    worker = factory.SubFactory(WorkerFactory)
    enterprise = factory.LazyAttribute(lambda o: o.worker.enterprise)
    period = factory.LazyAttribute(
        lambda o: PeriodFactory._meta.model.objects.get_or_create(
            enterprise=o.enterprise, year=OCTOBER.year, month=OCTOBER.month
        )[0]
    )
    kind = SavingsEntry.Kind.MATERIALS
    amount = Decimal("150.00")
    description = "Раскрой листа без отходов"
