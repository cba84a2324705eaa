"""Factories of the cost plan, the passport and the time studies (khozraschet).

Monthly rows default to October 2026 of the test world's plant (its first open month);
pass ``section`` and ``period`` of the world.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from khozraschet.models import (
    CostArticle,
    CostCorrection,
    CostLine,
    DeviationNote,
    Passport,
    Settings,
    Specialisation,
    TimeStudy,
)


class CostArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostArticle
        django_get_or_create = ("enterprise", "code")

    code = factory.Sequence(lambda n: f"article-{n}")
    name = factory.Sequence(lambda n: f"Статья {n}")
    order = factory.Sequence(lambda n: n)


def articles(enterprise) -> dict[str, CostArticle]:
    """Table 6's articles that depend on the section, in their order."""
    rows = [
        ("wages", "Основная зарплата производственных рабочих", False),
        ("materials", "Материалы", True),
        ("energy", "Энергия на технологические цели", False),
        ("tools", "Инструмент", False),
        ("repairs", "Внеплановые ремонты по вине участка", False),
    ]
    return {
        code: CostArticleFactory(
            enterprise=enterprise, code=code, name=name, materials=materials, order=i
        )
        for i, (code, name, materials) in enumerate(rows, start=1)
    }


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    plan = Decimal("1000.00")
    actual = None


class CostCorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostCorrection

    amount = Decimal("120.50")
    reason = "Металл подорожал"


class DeviationNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeviationNote

    part = "Вал 6-12"
    deviation = Decimal("80.00")
    explanation = "Брак заготовки: переточили две детали."


# Table 2, section 1 of shop No. 6: 767 detail-operations on 42 workplaces (Kз 18,26).
PASSPORT_VALUES = {
    "area": Decimal("1250.0"),
    "operations": 767,
    "workplaces": 42,
    "output_plan": Decimal("5400.00"),
    "output_actual": Decimal("5520.00"),
    "weight_max": Decimal("120.0"),
    "weight_min": Decimal("0.5"),
    "equipment": 45,
    "workers": 64,
    "average_grade": Decimal("3.80"),
    "specialisation": Specialisation.TECHNOLOGICAL,
    "norms_met": Decimal("118.00"),
    "shifts": Decimal("1.80"),
    "output_per_worker": Decimal("84375.00"),
    "mechanisation_degree": Decimal("62.00"),
    "mechanisation_level": Decimal("48.00"),
    "capacity": Decimal("9800.0"),
}


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passport

    valid_from = datetime.date(2026, 10, 1)
    area = PASSPORT_VALUES["area"]
    operations = 767
    workplaces = 42
    output_plan = PASSPORT_VALUES["output_plan"]
    output_actual = PASSPORT_VALUES["output_actual"]
    weight_max = PASSPORT_VALUES["weight_max"]
    weight_min = PASSPORT_VALUES["weight_min"]
    equipment = 45
    workers = 64
    average_grade = PASSPORT_VALUES["average_grade"]
    specialisation = Specialisation.TECHNOLOGICAL
    norms_met = PASSPORT_VALUES["norms_met"]
    shifts = PASSPORT_VALUES["shifts"]
    output_per_worker = PASSPORT_VALUES["output_per_worker"]
    mechanisation_degree = PASSPORT_VALUES["mechanisation_degree"]
    mechanisation_level = PASSPORT_VALUES["mechanisation_level"]
    capacity = PASSPORT_VALUES["capacity"]


# A study of table 4's shape: work 82,5 % (main time 61,2 %) + losses 17,5 % = 100 %.
STUDY_VALUES = {
    "preparatory": Decimal("4.30"),
    "machine": Decimal("61.20"),
    "servicing": Decimal("6.50"),
    "auxiliary": Decimal("10.50"),
    "loss_discipline": Decimal("2.10"),
    "loss_personal": Decimal("1.40"),
    "loss_no_work": Decimal("3.20"),
    "loss_no_materials": Decimal("4.60"),
    "loss_crane": Decimal("1.90"),
    "loss_tools": Decimal("0.80"),
    "loss_machine_fault": Decimal("2.70"),
    "loss_other": Decimal("0.80"),
}


class TimeStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeStudy

    studied_on = datetime.date(2026, 10, 14)
    preparatory = STUDY_VALUES["preparatory"]
    machine = STUDY_VALUES["machine"]
    servicing = STUDY_VALUES["servicing"]
    auxiliary = STUDY_VALUES["auxiliary"]
    loss_discipline = STUDY_VALUES["loss_discipline"]
    loss_personal = STUDY_VALUES["loss_personal"]
    loss_no_work = STUDY_VALUES["loss_no_work"]
    loss_no_materials = STUDY_VALUES["loss_no_materials"]
    loss_crane = STUDY_VALUES["loss_crane"]
    loss_tools = STUDY_VALUES["loss_tools"]
    loss_machine_fault = STUDY_VALUES["loss_machine_fault"]
    loss_other = STUDY_VALUES["loss_other"]


class SettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settings
        django_get_or_create = ("enterprise",)


def admin_rows(world) -> None:
    """One row of every khozraschet model in the admin (its change form has one to open):
    the plant's configuration and a row of each month table of section A1's October."""
    from khozraschet.models import (
        BonusCategory,
        CompetitionRule,
        IdleCause,
        IdleRecord,
        Indicator,
        IndicatorValue,
        Measure,
        Position,
        ScorecardRow,
        SectionMonth,
        TensionFactor,
    )
    from tests.factories import StepScaleFactory, StepScaleRowFactory

    enterprise, a1, october = world.enterprise, world.units["A1"], world.period(2026, 10)
    SettingsFactory(enterprise=enterprise)
    output = Indicator.objects.create(
        enterprise=enterprise, code="output", name="Объём выпуска", unit="нормо-ч", role="volume"
    )
    TensionFactor.objects.create(enterprise=enterprise, indicator=output)
    article = CostArticleFactory(enterprise=enterprise, code="materials", name="Материалы")
    ScorecardRow.objects.create(
        enterprise=enterprise,
        position=Position.MASTER,
        measure=Measure.COMPLETENESS,
        base_points=D10,
        penalty_serial=Decimal("0.2"),
        penalty_small_serial=Decimal("0.5"),
    )
    CompetitionRule.objects.create(
        enterprise=enterprise, factor="output", per=Decimal(1), gain=Decimal("0.01"), loss=0
    )
    scale = StepScaleFactory(enterprise=enterprise, code="khz-tension", name="Премия по Кнапр")
    StepScaleRowFactory(scale=scale, lower=None, upper=None, value=Decimal(35))
    BonusCategory.objects.create(
        enterprise=enterprise,
        code="masters",
        name="Мастера",
        tension_scale=scale,
        quality_scale=scale,
    )
    PassportFactory(section=a1, valid_from=datetime.date(2026, 11, 15))
    TimeStudyFactory(section=a1, period=october)
    IdleRecord.objects.create(
        section=a1, period=october, cause=IdleCause.UNPLANNED_REPAIR, hours=Decimal("792.6")
    )
    SectionMonth.objects.create(section=a1, period=october)
    IndicatorValue.objects.create(section=a1, period=october, indicator=output, plan=D10)
    CostLineFactory(section=a1, period=october, article=article)
    CostCorrectionFactory(section=a1, period=october, article=article)
    DeviationNoteFactory(section=a1, period=october, article=article)


D10 = Decimal(10)
