"""The demo plant's section self-financing (``load_demo`` runs :data:`DEMO_STEPS`).

What the demo carries, from the booklet (seed 004, chapters I–II) where it gives figures:

* the plant's terms (thresholds of table 1, due days 12 / 20, Ккт 0.5, 25 % withheld,
  energy bonus 17–45 %), the recommended indicator set of table 5 with plant А's
  tension factors, the cost articles of table 6, table 7's scorecard, table 8's
  competition rules, and the step scales (plant А's Кнапр scale, the Ккоэкт correction,
  table 9's quality columns, the seniority reward) with three bonus categories;
* shop No. 6 (table 2): sections 6.1 (milling, Kз 767 / 42 = 18.26, serial), 6.2 (turning,
  965 / 38 = 25.39, small-serial) and 6.3 (mechanical assembly, 1832 / 86 = 21.30,
  small-serial) with their passports, time studies (table 4's columns) and links; the
  auxiliary sections of shops 12 and 14 as the suppliers of services;
* July–October 2026 of the three sections: indicators, the cost plan with month-end
  corrections by the shop's dispatcher and the masters' explanations, energy savings and
  the shop's incentive fund. July–September are closed by the demo's close step;
  October is open (complete, for the user to close).

Where the vectors of ``domain/khozraschet.md`` are (section 6.1, master «master61»):

* **August 2026 — Ккоэкт**: completeness В / (В + А) = 1480 / 1850 = 80 %, the
  productivity-to-wage ratio on plan, Кнапр = 1.01 × 1.00 × 0.98 / 1.00 = 0.9898, so the
  masters' base is 35 %; 10 − 20 × 0.2 + 5 = 11 points → 11 / 15 = 0.73 → correction
  0.75 → 26.25 % (Ккт of the masters 0.92: table 9 pays it in full).
* **September 2026 — Кнапр**: productivity 1375 → 1650 (1.2), output in norm-hours
  1.15 of plan (the plan is set from the section's recorded day output, so the ratio is
  exact whatever the tracking demo drew), capital productivity 1.20 → 1.14 (0.95), costs
  per ruble 0.850 → 0.833 (0.98): Кнапр = 1.3378 → 42 % on plant А's scale. The same
  month carries table 11's idle hours (792.6 of 901.6 h unplanned repair, shift fund
  3073 h → 29.34 %).
* September 2026, section 6.2: Ккт of the collective 0.45 — below 0.5, not ranked.

The load is idempotent: rows are found by their natural keys and written only when a
value differs. A closed month is left alone — unless the plant has no self-financing
rows at all yet (a plant loaded before this app existed): then June–September are
reopened for the load, and the demo's close step closes them again.

Results (``SectionResult`` / ``ShopResult``) of the closed months are computed by
:func:`step_compute_results`, the hook for the monthly close (see there).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from enterprise.demo import (
    CLOSED_MONTHS,
    PLANT_TZ,
    DemoContext,
    ScaleSpec,
    clock,
    days_off,
    ensure,
)
from enterprise.models import Period, Section, StepScale, StepScaleRow
from enterprise.money import KOPECK, NIL, THOUSANDTH, half_up
from planning.tracking.selectors import section_day_rows

from .demo_figures import (  # the figures of shop 6, re-exported
    AUXILIARY_MONTHS,
    CORRECTIONS,
    COST_ACTUAL_SHARES,
    COST_PLANS,
    ENERGY,
    FIGURES,
    IDLE_HOURS,
    INCENTIVE_FUND,
    NOTES,
    PASSPORTS,
    PROFILES,
    SHIFT_FUND_HOURS,
    TIME_STUDIES,
    YEAR,
)
from .models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostCorrection,
    CostLine,
    DeviationNote,
    Direction,
    EnergySaving,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Measure,
    Passport,
    Position,
    Profile,
    ScorecardRow,
    SectionMonth,
    Settings,
    TensionFactor,
    TimeStudy,
)
from .services.close import results_compute

D = Decimal
SHOP = 6
MONTHS = (7, 8, 9, 10)  # July … October 2026
TENSION_MONTH = 9  # section 6.1: Кнапр = 1.3378
COMPLEX_MONTH = 8  # section 6.1: Ккоэкт 0.73 → 26.25 %
IDLE_MONTH = 9  # section 6.1: table 11
UNRANKED = (2, 9)  # section 6.2 in September: Ккт 0.45
STUDY_DAY = 16  # the time studies: 16 September

# --- the plant's terms and catalogues ----------------------------------------------------------

SETTINGS = {
    "mass_max": D(2),
    "large_serial_max": D(10),
    "serial_max": D(20),
    "small_serial_max": D(50),
    "section_due_day": 12,
    "shop_due_day": 20,
    "quality_rank_minimum": D("0.5"),
    "withhold_percent": D(25),
    "unlikely_ratio": D("1.5"),
    "energy_min_percent": D(17),
    "energy_max_percent": D(45),
}


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# The scales. A step is [lower, upper): lower inclusive, upper exclusive; None is open.
TENSION_SCALE = "khz-tension"
CORRECTION_SCALE = "khz-complex-correction"
QUALITY_COLLECTIVE_SCALE = "kkt-collective"  # the enterprise demo's: table 9, the collective
QUALITY_MASTERS_SCALE = "khz-quality-masters"
SENIORITY_SCALE = "khz-seniority"

SCALES: tuple[ScaleSpec, ...] = (
    # Plant А (ЧАЗ): the booklet prints only three steps — 0.97–1.0 → 35 %, 1.23–1.25 →
    # 42 %, below 0.69 → 20 %. The rest is this demo's assumption, monotone and without
    # gaps: 1.0 belongs to the 35 % step ([0.97, 1.01)); 1.23–1.25 is [1.23, 1.26), and
    # the booklet names nothing above it, so 42 % stays the ceiling ([1.23, +∞) → 42).
    ScaleSpec(
        TENSION_SCALE,
        "Премия по коэффициенту напряжённости плана Кнапр (завод А)",
        "коэффициент напряжённости плана Кнапр",
        "премия, % оклада",
        "Брошюра даёт три ступени: 0,97–1,0 → 35 %, 1,23–1,25 → 42 %, ниже 0,69 → 20 %; "
        "промежуточные ступени — допущение демо-данных. Для ИТР и служащих — 80 % шкалы "
        "(28 из 35 %).",
        (
            (None, _d("0.69"), _d("20")),
            (_d("0.69"), _d("0.80"), _d("25")),
            (_d("0.80"), _d("0.90"), _d("30")),
            (_d("0.90"), _d("0.97"), _d("33")),
            (_d("0.97"), _d("1.01"), _d("35")),
            (_d("1.01"), _d("1.09"), _d("37")),
            (_d("1.09"), _d("1.16"), _d("39")),
            (_d("1.16"), _d("1.23"), _d("41")),
            (_d("1.23"), None, _d("42")),
        ),
    ),
    # §7's reading of the scan: ≥ 1.36 → 1.25; 1.16–1.35 → 1.2; 1.01–1.15 → 1.1;
    # 1.0 → 1.0; 0.8–0.99 → 0.91; < 0.8 → 0.75.
    ScaleSpec(
        CORRECTION_SCALE,
        "Корректировка премии по коэффициенту комплексной оценки Ккоэкт",
        "коэффициент комплексной оценки Ккоэкт",
        "коэффициент корректировки премии",
        "Табл. 7 брошюры: плановый уровень Ккоэкт = 1 (15 баллов мастера).",
        (
            (None, _d("0.80"), _d("0.75")),
            (_d("0.80"), _d("1.00"), _d("0.91")),
            (_d("1.00"), _d("1.01"), _d("1.0")),
            (_d("1.01"), _d("1.16"), _d("1.1")),
            (_d("1.16"), _d("1.36"), _d("1.2")),
            (_d("1.36"), None, _d("1.25")),
        ),
    ),
    # Table 9, the masters' column (the collective's is the enterprise demo's
    # «kkt-collective»): Ккт to two places, «0.59 and below» is (−∞, 0.60).
    ScaleSpec(
        QUALITY_MASTERS_SCALE,
        "Премия по коэффициенту качества труда (мастера)",
        "коэффициент качества труда Ккт",
        "премия, % от причитающейся",
        "Таблица 9 брошюры, старшие мастера и мастера участков.",
        (
            (None, _d("0.60"), _d("50")),
            (_d("0.60"), _d("0.70"), _d("60")),
            (_d("0.70"), _d("0.80"), _d("70")),
            (_d("0.80"), _d("0.90"), _d("80")),
            (_d("0.90"), _d("1.01"), _d("100")),
            (_d("1.01"), _d("1.11"), _d("105")),
            (_d("1.11"), _d("1.21"), _d("110")),
            (_d("1.21"), None, _d("115")),
        ),
    ),
    ScaleSpec(
        SENIORITY_SCALE,
        "Вознаграждение по итогам года за стаж работы на предприятии",
        "стаж, лет",
        "вознаграждение, % заработной платы",
        "Завод А: 1–3 года — 3 %, 3–6 — 4 %, 6–10 — 5 %, свыше 10 лет — 6 %; "
        "в металлургическом производстве с трёхсменным режимом — на 25 % больше.",
        (
            (_d("0"), _d("1"), _d("0")),
            (_d("1"), _d("3"), _d("3")),
            (_d("3"), _d("6"), _d("4")),
            (_d("6"), _d("10"), _d("5")),
            (_d("10"), None, _d("6")),
        ),
    ),
)


class IndicatorSpec(NamedTuple):
    code: str
    name: str
    unit: str
    direction: str
    source: str
    role: str
    mandatory: bool


S, R = Indicator.Source, Indicator.Role
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER

# Table 5's recommended mandatory set (output in nomenclature, value and labour; cost;
# productivity; the wage fund; use of fixed assets) and what plant А's tension and
# table 8's competition read besides.
INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("output", "Выпуск продукции в нормо-часах", "нормо-ч", HIGHER, S.OUTPUT,
                  R.VOLUME, True),
    IndicatorSpec("commodity", "Товарная продукция", "руб.", HIGHER, S.MANUAL, R.NONE, True),
    IndicatorSpec("nomenclature", "Выполнение плана по номенклатуре", "%", HIGHER, S.MANUAL,
                  R.NOMENCLATURE, True),
    IndicatorSpec("productivity", "Производительность труда (выработка на рабочего)",
                  "руб./чел.", HIGHER, S.MANUAL, R.PRODUCTIVITY, True),
    IndicatorSpec("wage-fund", "Фонд заработной платы участка", "руб.", LOWER, S.WAGE_FUND,
                  R.WAGE_FUND, True),
    IndicatorSpec("capital", "Фондоотдача", "руб./руб.", HIGHER, S.MANUAL, R.CAPITAL, True),
    IndicatorSpec("cost-per-ruble", "Затраты на 1 руб. товарной продукции", "руб.", LOWER,
                  S.MANUAL, R.COST_PER_RUBLE, False),
    IndicatorSpec("cost", "Себестоимость (затраты участка по смете)", "руб.", LOWER, S.COST,
                  R.COST, True),
    IndicatorSpec("materials", "Расход сырья и материалов", "руб.", LOWER, S.MANUAL,
                  R.MATERIALS, False),
    IndicatorSpec("claims", "Сальдо хозрасчётных претензий", "руб.", HIGHER, S.CLAIMS,
                  R.CLAIMS, False),
)  # fmt: skip

# Plant А's Кнапр = Кпт × Кп × Кф / Кз (§6), each with weight 1.
TENSION_FACTORS = ("productivity", "output", "capital", "cost-per-ruble")

# Table 6: the costs that depend on the section.
COST_ARTICLES: tuple[tuple[str, str, bool], ...] = (
    ("wages", "Основная заработная плата производственных рабочих", False),
    ("materials", "Сырьё и основные материалы", True),
    ("energy", "Энергия на технологические цели", False),
    ("tools", "Инструмент и приспособления", False),
    ("repairs", "Внеплановый ремонт оборудования по вине рабочего или мастера", False),
)

# Table 7: (position, measure, base points, penalty per 1 % serial, small-serial).
SCORECARD: tuple[tuple[str, str, Decimal, Decimal, Decimal], ...] = (
    (Position.MASTER, Measure.COMPLETENESS, D(10), D("0.2"), D("0.5")),
    (Position.MASTER, Measure.PRODUCTIVITY_WAGE, D(5), D("0.3"), D("0.3")),
    (Position.ENGINEER, Measure.RHYTHM_1, D(10), D("0.5"), D("0.5")),
    (Position.ENGINEER, Measure.RHYTHM_2, D(10), D("0.2"), D("0.2")),
    (Position.ENGINEER, Measure.COMPLETENESS, D(5), D("0.2"), D("0.5")),
)

F = CompetitionRule.Factor
# Table 8: (factor, per %, gain, loss, counted when the plan is unmet).
COMPETITION: tuple[tuple[str, Decimal, Decimal, Decimal, bool], ...] = (
    (F.OUTPUT, D(1), D("0.01"), D(0), False),
    (F.COST, D("0.1"), D("0.01"), D("0.01"), True),
    (F.PRODUCTIVITY, D(1), D("0.01"), D(0), False),
    (F.NOMENCLATURE, D(1), D(0), D("0.05"), True),
    (F.WAGE_FUND, D(1), D("0.03"), D("0.1"), True),
    (F.MATERIALS, D(1), D("0.01"), D("0.01"), True),
)


class CategorySpec(NamedTuple):
    code: str
    name: str
    share: Decimal
    position: str  # "" — no scorecard
    quality: str
    quality_scale: str


Q = BonusCategory.Quality
# Plant А: 35 % for section heads and masters, 28 % (= 80 % of the scale) for the other
# engineers and staff. The booklet gives workers no share of the Кнапр scale ("workers
# who met their task get the bonus due to them"): the demo assumes the full scale, on
# table 9's collective column and without a scorecard.
CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("masters", "Начальники участков и мастера", D(100), Position.MASTER,
                 Q.MASTERS, QUALITY_MASTERS_SCALE),
    CategorySpec("engineers", "ИТР и служащие", D(80), Position.ENGINEER, Q.COLLECTIVE,
                 QUALITY_COLLECTIVE_SCALE),
    CategorySpec("workers", "Рабочие", D(100), "", Q.COLLECTIVE, QUALITY_COLLECTIVE_SCALE),
)  # fmt: skip


# --- the steps ---------------------------------------------------------------------------------


def step_configuration(ctx: DemoContext) -> None:
    """The plant's terms, indicators, factors, articles, scorecard, rules, scales, categories."""
    plant = ctx.enterprise
    ensure(Settings, {"enterprise": plant}, **SETTINGS)
    scales = {}
    for spec in SCALES:
        scales[spec.code] = ensure_scale(plant, spec)
    scales[QUALITY_COLLECTIVE_SCALE] = StepScale.objects.get(
        enterprise=plant, code=QUALITY_COLLECTIVE_SCALE
    )
    configure(plant, scales)


def ensure_scale(plant, spec: ScaleSpec) -> StepScale:
    """A scale and its rows, as ``enterprise.demo.step_scales`` loads the plant's."""
    scale = ensure(
        StepScale,
        {"enterprise": plant, "code": spec.code},
        name=spec.name,
        argument_label=spec.argument_label,
        value_label=spec.value_label,
        description=spec.description,
    )
    for lower, upper, value in spec.rows:
        ensure(StepScaleRow, {"scale": scale, "lower": lower}, upper=upper, value=value)
    return scale


def configure(plant, scales: dict[str, StepScale]) -> dict[str, Indicator]:
    """The catalogues of self-financing (also used by the plant generator); idempotent."""
    indicators = {}
    for order, spec in enumerate(INDICATORS, start=1):
        indicators[spec.code] = ensure(
            Indicator,
            {"enterprise": plant, "code": spec.code},
            name=spec.name,
            unit=spec.unit,
            direction=spec.direction,
            source=spec.source,
            role=spec.role,
            mandatory=spec.mandatory,
            active=True,
            order=order * 10,
        )
    for code in TENSION_FACTORS:
        ensure(TensionFactor, {"enterprise": plant, "indicator": indicators[code]}, weight=D(1))
    for order, (code, name, materials) in enumerate(COST_ARTICLES, start=1):
        ensure(
            CostArticle,
            {"enterprise": plant, "code": code},
            name=name,
            materials=materials,
            order=order * 10,
        )
    for position, measure, points, serial, small in SCORECARD:
        ensure(
            ScorecardRow,
            {"enterprise": plant, "position": position, "measure": measure},
            base_points=points,
            penalty_serial=serial,
            penalty_small_serial=small,
        )
    for factor, per, gain, loss, unmet in COMPETITION:
        ensure(
            CompetitionRule,
            {"enterprise": plant, "factor": factor},
            per=per,
            gain=gain,
            loss=loss,
            counts_when_unmet=unmet,
        )
    for order, spec in enumerate(CATEGORIES, start=1):
        ensure(
            BonusCategory,
            {"enterprise": plant, "code": spec.code},
            name=spec.name,
            tension_scale=scales[TENSION_SCALE],
            share_of_scale=spec.share,
            position=spec.position,
            correction_scale=scales[CORRECTION_SCALE] if spec.position else None,
            quality=spec.quality,
            quality_scale=scales[spec.quality_scale],
            order=order * 10,
        )
    return indicators


def _has_rows(ctx: DemoContext) -> bool:
    return (
        SectionMonth.objects.filter(period__enterprise=ctx.enterprise).exists()
        or Passport.objects.filter(section__shop__enterprise=ctx.enterprise).exists()
    )


def _reopen(period: Period) -> None:
    period._reopen_approved = True
    period.status, period.closed_by, period.closed_at = Period.Status.OPEN, None, None
    period.save()


def _open(ctx: DemoContext, month: int) -> Period | None:
    """The demo month if this load may write into it (open), else None."""
    period = ctx.periods[YEAR, month]
    return None if period.is_closed else period


def step_sections(ctx: DemoContext) -> None:
    """Profiles and links, passports and time studies of the demo's sections.

    On a plant without any self-financing rows whose June–September are already closed
    (loaded before this app), those months are reopened first; the close step closes
    them again after the load.
    """
    if not _has_rows(ctx):
        for year, month in CLOSED_MONTHS:
            period = ctx.periods[year, month]
            if period.is_closed:
                _reopen(period)
    for key, (purpose, specialisation, consumers) in PROFILES.items():
        profile = ensure(
            Profile, {"section": ctx.sections[key]}, purpose=purpose, specialisation=specialisation
        )
        wanted = {ctx.sections[c].pk for c in consumers}
        if set(profile.consumers.values_list("pk", flat=True)) != wanted:
            profile.consumers.set(wanted)
    for (number, valid_from), values in PASSPORTS.items():
        if _open(ctx, valid_from.month) is None:
            continue
        section = ctx.sections[SHOP, number]
        ensure(Passport, {"section": section, "valid_from": valid_from}, **values)
    if (period := _open(ctx, IDLE_MONTH)) is not None:
        for number, shares in TIME_STUDIES.items():
            ensure(
                TimeStudy,
                {
                    "section": ctx.sections[SHOP, number],
                    "studied_on": datetime.date(YEAR, IDLE_MONTH, STUDY_DAY),
                },
                period=period,
                **{name: D(value) for name, value in shares.items()},
            )


def decades(total: Decimal, period: Period) -> list[Decimal]:
    """``total`` split over the month's three decades by their working days (to 0.001,
    the last decade takes the rounding)."""
    off = days_off(period.year)
    counts = [0, 0, 0]
    day = period.start
    while day <= period.end:
        if day.weekday() < 5 and day not in off:
            counts[min(2, (day.day - 1) // 10)] += 1
        day += datetime.timedelta(days=1)
    whole = sum(counts)
    first = half_up(total * counts[0] / whole, THOUSANDTH)
    second = half_up(total * counts[1] / whole, THOUSANDTH)
    return [first, second, total - first - second]


def volume_plan(section: Section, period: Period, ratio: Decimal) -> Decimal:
    """The plan in norm-hours that makes the section's recorded output ``ratio`` of it."""
    recorded = sum((row.output for row in section_day_rows(section, period)), NIL)
    return half_up(recorded / ratio, THOUSANDTH)


def step_months(ctx: DemoContext) -> None:
    """July–October of shop 6's sections: indicators, costs, corrections, notes, energy,
    idle hours, the shop's incentive fund; the auxiliary sections' months."""
    plant = ctx.enterprise
    indicators = {i.code: i for i in Indicator.objects.filter(enterprise=plant)}
    articles = {a.code: a for a in CostArticle.objects.filter(enterprise=plant)}
    shop = ctx.shops[SHOP]
    for month in MONTHS:
        period = _open(ctx, month)
        if period is None:
            continue
        for number in (1, 2, 3):
            _section_month(ctx, ctx.sections[SHOP, number], period, indicators, articles)
        ensure(
            IncentiveFund,
            {"period": period, "shop": shop},
            enterprise=plant,
            amount=D(INCENTIVE_FUND[month]),
        )
        for key, months in AUXILIARY_MONTHS.items():
            ensure(
                SectionMonth,
                {"section": ctx.sections[key], "period": period},
                consumers_filed_no_claims=months[month],
            )
    dispatcher = ctx.users["pdb6"]
    for number, month, article, amount, reason in CORRECTIONS:
        if (period := _open(ctx, month)) is None:
            continue
        ensure(
            CostCorrection,
            {
                "section": ctx.sections[SHOP, number],
                "period": period,
                "article": articles[article],
                "reason": reason,
            },
            amount=D(amount),
            author=dispatcher,
        )
    for number, month, master, article, part, deviation, text in NOTES:
        if (period := _open(ctx, month)) is None:
            continue
        ensure(
            DeviationNote,
            {
                "section": ctx.sections[SHOP, number],
                "period": period,
                "article": articles[article],
                "part": part,
            },
            deviation=D(deviation),
            explanation=text,
            author=ctx.users[master],
        )
    for number, month, resource, value, percent in ENERGY:
        if (period := _open(ctx, month)) is None:
            continue
        ensure(
            EnergySaving,
            {"section": ctx.sections[SHOP, number], "period": period, "resource": resource},
            saved_value=D(value),
            percent=D(percent),
        )
    if (period := _open(ctx, IDLE_MONTH)) is not None:
        for cause, hours in IDLE_HOURS:
            ensure(
                IdleRecord,
                {"section": ctx.sections[SHOP, 1], "period": period, "cause": cause},
                hours=hours,
            )
    ctx.say(f"  хозрасчёт: участки цеха № {SHOP}, июль–октябрь {YEAR}")


def _section_month(ctx, section, period, indicators, articles) -> None:
    number, month = section.number, period.month
    figures = FIGURES[number, month]
    # the plan follows the section's recorded output: ``figures.volume`` is actual / plan
    volume = volume_plan(section, period, figures.volume)
    d1, d2, d3 = decades(volume, period)
    collective, masters = figures.quality
    ensure(
        SectionMonth,
        {"section": section, "period": period},
        plan_decade_1=d1,
        plan_decade_2=d2,
        plan_decade_3=d3,
        on_time_output=D(figures.on_time),
        shortfall=D(figures.shortfall),
        quality_collective=D(collective),
        quality_masters=D(masters),
        productivity_wage_deviation=D(figures.productivity_wage),
        shift_fund_hours=SHIFT_FUND_HOURS if (number, month) == (1, IDLE_MONTH) else None,
        consumers_filed_no_claims=False,
    )
    plans = {code: D(value) for code, value in COST_PLANS[number].items()}
    shares = dict(zip(plans, COST_ACTUAL_SHARES[number, month], strict=True))
    actuals = {code: half_up(plans[code] * D(shares[code]), KOPECK) for code in plans}
    for code, plan in plans.items():
        ensure(
            CostLine,
            {"section": section, "period": period, "article": articles[code]},
            plan=plan,
            actual=actuals[code],
        )
    values = {
        "output": (volume, None),
        "commodity": (D(figures.commodity[0]), D(figures.commodity[1])),
        "nomenclature": (D(100), D(figures.nomenclature)),
        "productivity": (D(figures.productivity[0]), D(figures.productivity[1])),
        "wage-fund": (D(figures.wage_fund), None),
        "capital": (D(figures.capital[0]), D(figures.capital[1])),
        "cost-per-ruble": (D(figures.cost_per_ruble[0]), D(figures.cost_per_ruble[1])),
        "cost": (sum(plans.values(), NIL), None),
        "materials": (plans["materials"], actuals["materials"]),
        "claims": (NIL, None),
    }
    for code, (plan, actual) in values.items():
        ensure(
            IndicatorValue,
            {"section": section, "period": period, "indicator": indicators[code]},
            plan=plan,
            actual=actual,
            confirmed_unlikely=False,
        )


def step_compute_results(ctx: DemoContext) -> None:
    """The monthly close of July–September for the whole plant, as the labour department
    ran it on the 4th of the next month — before ``enterprise.demo.step_close_periods``
    closes those months, so the results freeze with them. A month already closed (a
    second load) is left as it is; the close writes nothing whose inputs did not change.
    October stays open and without results: it is the month to close in the browser."""
    user = ctx.users["otiz"]
    for month in MONTHS:
        period = ctx.periods[YEAR, month]
        if (YEAR, month) not in CLOSED_MONTHS or period.is_closed:
            continue
        moment = datetime.datetime(YEAR, month + 1, 4, 16, 0, tzinfo=PLANT_TZ)
        with clock(moment):
            outcome = results_compute(period=period, user=user)
        ctx.say(
            f"  хозрасчёт: итоги {month:02d}.{YEAR} — участков {outcome.sections}, "
            f"записано {outcome.written}"
        )


DEMO_STEPS = [step_configuration, step_sections, step_months, step_compute_results]
