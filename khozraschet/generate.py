"""Section self-financing of the plant-scale data set (``manage.py generate_plant`` runs
:data:`GENERATE_STEPS`).

The plant gets the demo's configuration (terms, indicators, factors, articles, table 7,
table 8, the scales and bonus categories — :func:`khozraschet.demo.configure`), and every
section a profile (the auxiliary shops' sections serve a few main sections), a passport,
a time study, and for each of the last :data:`MONTHS` generated months: its month's
inputs (decade plans, completeness, Ккт), a plan and actual of every indicator (the
actual left to the close where another app holds it), a plan and actual of every cost
article, a few month-end corrections and masters' explanations, idle hours by cause, an
energy saving now and then, and each shop's incentive fund — the load a month's close
reads.

Rows are written with the tracked ``bulk_create`` (history included);
:func:`delete_khozraschet` deletes them in bulk with their history. At 7,000 workers the
step adds about 4 s on SQLite (6 months: 720 section-months, 7,200 indicator values,
3,600 cost lines, ~2,200 idle records); every further month costs about 0.65 s, so the
plant's whole 24 months would add some 16 s — hence :data:`MONTHS`.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from enterprise.demo import ensure
from enterprise.generate import BATCH_SIZE, GenerateContext
from enterprise.models import Enterprise, HistoryRecord, Period, Shop, StepScale
from enterprise.money import KOPECK, TENTH, THOUSANDTH, half_up
from enterprise.tracking import MonthKey, assert_months_open, diff, record_history, snapshot
from planning.tracking.selectors import output_by_decade

from .demo import (
    QUALITY_COLLECTIVE_SCALE,
    SCALES,
    SETTINGS,
    TIME_STUDIES,
    configure,
    decades,
    ensure_scale,
)
from .models import (
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
    Profile,
    Purpose,
    ResultRun,
    ScorecardRow,
    SectionMonth,
    SectionResult,
    Settings,
    ShopResult,
    Specialisation,
    TensionFactor,
    TimeStudy,
)

D = Decimal
MONTHS = 6  # the last months that get a section's month: the plant went over half a year ago
CORRECTION_SHARE = 0.08  # of section-months with a month-end correction
NOTE_SHARE = 0.05  # … with a master's explanation
ENERGY_SHARE = 0.10  # … with an energy saving
LOW_QUALITY_SHARE = 0.03  # … with Ккт below 0.5 (not ranked)

CORRECTION_REASONS = (
    "Материал поставлен ОМТС по цене выше плановой",
    "Материал поставлен по цене ниже плановой",
    "Изменён тариф на электроэнергию",
    "Замена материала по вине поставщика (претензия признана)",
    "Инструмент поставлен по новой калькуляции инструментального цеха",
)
NOTE_TEXTS = (
    "Заготовки твёрже нормы: стойкость инструмента снизилась.",
    "Брак при обработке из-за износа оснастки; оснастка сдана в ремонт.",
    "Поломка станка по вине рабочего; удержано по акту.",
)
PARTS = ("Корпус", "Вал", "Кронштейн", "Крышка", "Фланец", "Шестерня", "Втулка", "Рычаг")
IDLE_CAUSES = tuple(IdleCause.values)


def _ratio(rng: random.Random, low: float, high: float) -> Decimal:
    return D(str(round(rng.uniform(low, high), 3)))


def step_khozraschet(ctx: GenerateContext) -> None:
    started = time.perf_counter()
    rng = ctx.random("khozraschet")
    plant = ctx.enterprise
    ensure(Settings, {"enterprise": plant}, **SETTINGS)
    scales = {spec.code: ensure_scale(plant, spec) for spec in SCALES}
    scales[QUALITY_COLLECTIVE_SCALE] = StepScale.objects.get(
        enterprise=plant, code=QUALITY_COLLECTIVE_SCALE
    )
    indicators = configure(plant, scales)
    articles = list(CostArticle.objects.filter(enterprise=plant))
    shops = {shop.pk: shop for shop in ctx.shops}
    sections = ctx.sections
    main = [s for s in sections if shops[s.shop_id].kind == Shop.Kind.MAIN]
    start = datetime.date(*ctx.months[0], 1)

    # profiles: the auxiliary sections serve a few main sections
    profiles = []
    for section in sections:
        auxiliary = shops[section.shop_id].kind == Shop.Kind.AUXILIARY
        profiles.append(
            Profile(
                section=section,
                purpose=Purpose.AUXILIARY if auxiliary else Purpose.MAIN,
                specialisation=rng.choice(Specialisation.values),
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    through = Profile.consumers.through
    links = []
    for profile in profiles:
        if profile.purpose == Purpose.AUXILIARY and main:
            for consumer in rng.sample(main, min(len(main), rng.randint(2, 5))):
                links.append(through(profile_id=profile.pk, section_id=consumer.pk))
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    # passports: Kз across the types, in force from the first generated month
    passports, capacity = [], {}
    for section in sections:
        workplaces = rng.randint(12, 90)
        kz = rng.choice((1.5, 6.0, 14.0, 18.0, 25.0, 35.0, 60.0)) * rng.uniform(0.85, 1.1)
        workers = round(workplaces * rng.uniform(1.2, 2.0))
        capacity[section.pk] = half_up(D(workplaces) * D(rng.randint(55, 75)), TENTH)
        output_plan = half_up(D(workers) * D(rng.randint(5800, 7400)) / 1000, KOPECK)
        passports.append(
            Passport(
                section=section,
                valid_from=start,
                area=half_up(D(workplaces) * D(rng.randint(10, 16)), TENTH),
                operations=max(1, round(workplaces * kz)),
                workplaces=workplaces,
                output_plan=output_plan,
                output_actual=half_up(output_plan * _ratio(rng, 0.95, 1.06), KOPECK),
                weight_max=D(rng.choice((20, 50, 85, 150, 400))),
                weight_min=D("0.1"),
                equipment=max(1, round(workplaces * rng.uniform(0.7, 1.0))),
                workers=workers,
                average_grade=half_up(_ratio(rng, 3.2, 4.6), KOPECK),
                specialisation=rng.choice(Specialisation.values),
                norms_met=half_up(_ratio(rng, 102, 125), TENTH),
                shifts=D(rng.choice(("1", "1.5", "2", "2"))),
                output_per_worker=half_up(output_plan * 1000 / workers, TENTH),
                mechanisation_degree=half_up(_ratio(rng, 55, 96), TENTH),
                mechanisation_level=half_up(_ratio(rng, 35, 60), TENTH),
                capacity=capacity[section.pk],
            )
        )
    Passport.objects.bulk_create(passports, batch_size=BATCH_SIZE)

    months = [ctx.periods[key] for key in ctx.months[-MONTHS:]]
    study_month = months[-3] if len(months) >= 3 else months[0]
    studies = []
    for index, section in enumerate(sections):
        shares = TIME_STUDIES[index % 3 + 1]
        studies.append(
            TimeStudy(
                section=section,
                period=study_month,
                studied_on=study_month.start + datetime.timedelta(days=index % 20),
                **{name: D(value) for name, value in shares.items()},
            )
        )
    TimeStudy.objects.bulk_create(studies, batch_size=BATCH_SIZE)

    dispatcher, master = ctx.users.get("gen-pdb"), ctx.users.get("gen-master")
    rows: dict[type[models.Model], list[models.Model]] = {
        model: []
        for model in (
            SectionMonth,
            IndicatorValue,
            CostLine,
            CostCorrection,
            DeviationNote,
            IdleRecord,
            EnergySaving,
        )
    }
    base_costs = {section.pk: [D(rng.randint(800, 4000)) for _ in articles] for section in sections}
    for period in months:
        # The volume plan follows the section's recorded output (planning's generator
        # records every working day), 92–110 % of it; a section without it, its capacity.
        recorded = {pk: sum(days, D(0)) for pk, days in output_by_decade(plant.pk, period).items()}
        for section in sections:
            _section_month(
                rng,
                rows,
                section,
                period,
                indicators,
                articles,
                base_costs[section.pk],
                capacity[section.pk],
                (dispatcher, master),
                recorded.get(section.pk),
            )
    funds = [
        IncentiveFund(
            enterprise=plant,
            period=period,
            shop=shop,
            amount=D(rng.randint(8, 30) * 500),
        )
        for period in months
        for shop in ctx.shops
    ]
    for model, objs in rows.items():
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    IncentiveFund.objects.bulk_create(funds, batch_size=BATCH_SIZE)
    ctx.summary.append(
        f"хозрасчёт: месяцев участков {len(rows[SectionMonth])}, "
        f"показателей {len(rows[IndicatorValue])}, статей затрат {len(rows[CostLine])} "
        f"({time.perf_counter() - started:.1f} с)"
    )


def _section_month(
    rng, rows, section, period, indicators, articles, base_costs, capacity, authors, recorded=None
) -> None:
    dispatcher, master = authors
    if recorded:
        volume = half_up(recorded / _ratio(rng, 0.92, 1.1), THOUSANDTH)
    else:
        volume = half_up(capacity * _ratio(rng, 0.7, 0.95), THOUSANDTH)
    d1, d2, d3 = decades(volume, period)
    shortfall = half_up(volume * _ratio(rng, 0, 0.15), THOUSANDTH)
    quality = _ratio(rng, 0.3, 0.49) if rng.random() < LOW_QUALITY_SHARE else _ratio(rng, 0.7, 1.25)
    rows[SectionMonth].append(
        SectionMonth(
            section=section,
            period=period,
            plan_decade_1=d1,
            plan_decade_2=d2,
            plan_decade_3=d3,
            on_time_output=volume - shortfall,
            shortfall=shortfall,
            quality_collective=quality,
            quality_masters=min(D("1.30"), half_up(quality * _ratio(rng, 0.92, 1.05), KOPECK)),
            productivity_wage_deviation=D(rng.choice((0, 0, 0, 1, 2, 5))),
            shift_fund_hours=half_up(capacity * D("1.4"), TENTH),
            consumers_filed_no_claims=rng.random() < 0.7,
        )
    )
    plans = [half_up(cost * _ratio(rng, 0.95, 1.05), KOPECK) for cost in base_costs]
    for article, plan in zip(articles, plans, strict=True):
        rows[CostLine].append(
            CostLine(
                section=section,
                period=period,
                article=article,
                plan=plan,
                actual=half_up(plan * _ratio(rng, 0.9, 1.1), KOPECK),
            )
        )
    for indicator in indicators.values():
        role = indicator.role
        if role == Indicator.Role.VOLUME:
            plan = volume
        elif role == Indicator.Role.COST:
            plan = sum(plans, D(0))
        elif role == Indicator.Role.MATERIALS:
            plan = next((p for a, p in zip(articles, plans, strict=True) if a.materials), D(0))
        elif role == Indicator.Role.CLAIMS:
            plan = D(0)
        elif role == Indicator.Role.NOMENCLATURE:
            plan = D(100)
        elif role in (Indicator.Role.CAPITAL, Indicator.Role.COST_PER_RUBLE):
            plan = _ratio(rng, 0.8, 1.3)
        else:
            plan = half_up(volume * _ratio(rng, 0.8, 12), TENTH)
        if indicator.source != Indicator.Source.MANUAL:
            actual = None
        elif role == Indicator.Role.NOMENCLATURE:
            actual = D(rng.choice((100, 100, 100, 99, 98, 95)))
        else:
            actual = half_up(plan * _ratio(rng, 0.88, 1.18), THOUSANDTH)
        rows[IndicatorValue].append(
            IndicatorValue(
                section=section, period=period, indicator=indicator, plan=plan, actual=actual
            )
        )
    for cause in rng.sample(IDLE_CAUSES, rng.randint(2, 4)):
        rows[IdleRecord].append(
            IdleRecord(
                section=section,
                period=period,
                cause=cause,
                hours=half_up(_ratio(rng, 1, 120), TENTH),
            )
        )
    if articles and rng.random() < CORRECTION_SHARE:
        article = rng.choice(articles)
        amount = half_up(_ratio(rng, 5, 150), KOPECK) * rng.choice((1, -1))
        rows[CostCorrection].append(
            CostCorrection(
                section=section,
                period=period,
                article=article,
                amount=amount,
                reason=rng.choice(CORRECTION_REASONS),
                author=dispatcher,
            )
        )
    if articles and rng.random() < NOTE_SHARE:
        rows[DeviationNote].append(
            DeviationNote(
                section=section,
                period=period,
                article=rng.choice(articles),
                part=f"{rng.choice(PARTS)} {rng.randint(100, 999)}",
                deviation=half_up(_ratio(rng, -80, 120), KOPECK),
                explanation=rng.choice(NOTE_TEXTS),
                author=master,
            )
        )
    if rng.random() < ENERGY_SHARE:
        rows[EnergySaving].append(
            EnergySaving(
                section=section,
                period=period,
                resource=rng.choice(EnergySaving.Resource.values),
                saved_value=half_up(_ratio(rng, 20, 400), KOPECK),
                percent=D(rng.randint(17, 45)),
            )
        )


def _bulk_delete(querysets: Iterable[models.QuerySet]) -> None:
    """Rows recorded as deleted in bulk, then deleted in one statement per table (the
    row-by-row path of the tracked delete costs several queries a row)."""
    for queryset in querysets:
        objs = list(queryset)
        if not objs:
            continue
        record_history(
            [(obj, HistoryRecord.Action.DELETE, diff(snapshot(obj), None)) for obj in objs]
        )
        queryset.model._base_manager.filter(pk__in=[obj.pk for obj in objs])._raw_delete(
            queryset.db
        )


def delete_khozraschet(enterprise: Enterprise) -> None:
    """The plant's self-financing rows, with a history record for every row."""
    assert_months_open(
        MonthKey(enterprise.pk, year, month)
        for year, month in Period.objects.filter(enterprise=enterprise).values_list("year", "month")
    )
    ResultRun.objects.filter(enterprise=enterprise).delete()
    by_section = {"section__shop__enterprise": enterprise}
    monthly = ("section__shop", "period")  # what the rows' history names them by
    _bulk_delete(
        [
            ShopResult.objects.filter(shop__enterprise=enterprise).select_related("shop", "period"),
            SectionResult.objects.filter(**by_section).select_related(*monthly),
            IncentiveFund.objects.filter(enterprise=enterprise).select_related(
                "enterprise", "shop", "period"
            ),
            EnergySaving.objects.filter(**by_section).select_related(*monthly),
            DeviationNote.objects.filter(**by_section).select_related(*monthly, "article"),
            CostCorrection.objects.filter(**by_section).select_related(*monthly, "article"),
            CostLine.objects.filter(**by_section).select_related(*monthly, "article"),
            IndicatorValue.objects.filter(**by_section).select_related(*monthly, "indicator"),
            SectionMonth.objects.filter(**by_section).select_related(*monthly),
            IdleRecord.objects.filter(**by_section).select_related(*monthly),
            TimeStudy.objects.filter(**by_section).select_related(*monthly),
            Passport.objects.filter(**by_section).select_related("section__shop"),
        ]
    )
    Profile.consumers.through.objects.filter(profile__section__shop__enterprise=enterprise).delete()
    _bulk_delete([Profile.objects.filter(**by_section).select_related("section__shop")])
    for model in (
        BonusCategory,
        CompetitionRule,
        ScorecardRow,
        TensionFactor,
        CostArticle,
        Indicator,
        Settings,
    ):
        model.objects.filter(enterprise=enterprise).delete()
    # the scales go with the enterprise's own rows (enterprise.generate.delete_plant)


GENERATE_STEPS = [step_khozraschet]
DELETE_STEPS = [delete_khozraschet]
