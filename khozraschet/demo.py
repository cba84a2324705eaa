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

from enterprise.demo import CLOSED_MONTHS, DemoContext, ScaleSpec, days_off, ensure
from enterprise.models import Period, Section, StepScale, StepScaleRow
from enterprise.money import KOPECK, NIL, THOUSANDTH, half_up
from planning.tracking.selectors import section_day_rows

from .models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostCorrection,
    CostLine,
    DeviationNote,
    Direction,
    EnergySaving,
    IdleCause,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Measure,
    Passport,
    Position,
    Profile,
    Purpose,
    ScorecardRow,
    SectionMonth,
    Settings,
    Specialisation,
    TensionFactor,
    TimeStudy,
)

D = Decimal
YEAR = 2026
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

# --- the sections ------------------------------------------------------------------------------

# (shop, section) → purpose, specialisation, consumers (who takes its parts or services).
PROFILES: dict[tuple[int, int], tuple[str, str, tuple[tuple[int, int], ...]]] = {
    (6, 1): (Purpose.MAIN, Specialisation.TECHNOLOGICAL, ((6, 2), (6, 3))),
    (6, 2): (Purpose.MAIN, Specialisation.TECHNOLOGICAL, ((6, 3), (1, 1))),
    (6, 3): (Purpose.MAIN, Specialisation.SUBJECT, ((1, 1),)),
    (12, 1): (Purpose.AUXILIARY, Specialisation.SUBJECT, ((6, 2), (6, 3))),
    (12, 2): (Purpose.AUXILIARY, Specialisation.TECHNOLOGICAL, ((6, 1), (1, 1))),
    (14, 1): (Purpose.AUXILIARY, Specialisation.TECHNOLOGICAL, ((6, 1), (6, 2), (6, 3))),
    (14, 2): (Purpose.AUXILIARY, Specialisation.TECHNOLOGICAL, ((6, 1), (6, 3))),
}


def _passport(
    operations, workplaces, area, plan, actual, wmax, wmin, equipment, workers, grade, spec,
    norms, shifts, per_worker, degree, level, capacity,
) -> dict:  # fmt: skip
    return {
        "operations": operations,
        "workplaces": workplaces,
        "area": D(area),
        "output_plan": D(plan),
        "output_actual": _d(actual),
        "weight_max": D(wmax),
        "weight_min": D(wmin),
        "equipment": equipment,
        "workers": workers,
        "average_grade": D(grade),
        "specialisation": spec,
        "norms_met": D(norms),
        "shifts": D(shifts),
        "output_per_worker": D(per_worker),
        "mechanisation_degree": D(degree),
        "mechanisation_level": D(level),
        "capacity": D(capacity),
    }


T, SUBJ = Specialisation.TECHNOLOGICAL, Specialisation.SUBJECT
# Table 2 gives operations and workplaces; table 3 (a section of «Электроприбор») the
# kind of the other figures: 402 m², 316.84 / 329.538 thousand rubles, 150 kg … 0.01 kg
# (stored as 0.1: a tenth of a kg is the field's precision), 30 machines, 20 workers of
# grade 4, technological, 109.2 % of norms, 2 shifts, 16 476.9 rubles a worker, 95.0 / 52.8 %.
# The figures of shop 6's sections are the demo's, in that spirit.
PASSPORTS: dict[tuple[int, datetime.date], dict] = {
    # section 6.1 had an earlier passport (before re-equipment), to show the versions
    (1, datetime.date(YEAR, 6, 1)): _passport(
        731, 41, "596.0", "368.20", "371.45", "85.0", "0.2", 41, 58, "3.70", T, "112.4", "2",
        "6404.3", "88.0", "47.5", "2400.0"),
    (1, datetime.date(YEAR, 7, 1)): _passport(
        767, 42, "612.0", "384.60", "392.15", "85.0", "0.2", 42, 60, "3.80", T, "113.6", "2",
        "6535.8", "90.0", "49.0", "2450.0"),
    (2, datetime.date(YEAR, 7, 1)): _passport(
        965, 38, "540.0", "341.90", "336.72", "120.0", "0.1", 38, 55, "4.10", T, "108.3", "2",
        "6122.2", "92.0", "51.5", "2100.0"),
    (3, datetime.date(YEAR, 7, 1)): _passport(
        1832, 86, "1180.0", "702.40", "715.86", "150.0", "0.1", 34, 104, "4.20", SUBJ, "109.2",
        "2", "6883.3", "64.0", "38.5", "1900.0"),
}  # fmt: skip

# Table 4 (shop No. 3 of ЧЭАЗ), % of the shift fund, one column a section: 6.2 (turning)
# takes the «blank-cutting and turning» column, 6.1 the «stamping» one, 6.3 the «spring»
# one. The booklet gives «no work, materials, crane, tools» as one figure (5 / 3 / 0.3);
# the demo splits it across the four causes.
TIME_STUDIES: dict[int, dict[str, str]] = {
    1: {"preparatory": "11", "machine": "52", "servicing": "10", "auxiliary": "2",
        "loss_discipline": "3", "loss_personal": "5", "loss_no_work": "1",
        "loss_no_materials": "1", "loss_crane": "0.5", "loss_tools": "0.5",
        "loss_machine_fault": "11", "loss_other": "3"},
    2: {"preparatory": "5", "machine": "47", "servicing": "6", "auxiliary": "13",
        "loss_discipline": "4", "loss_personal": "4", "loss_no_work": "2",
        "loss_no_materials": "1.5", "loss_crane": "1", "loss_tools": "0.5",
        "loss_machine_fault": "14", "loss_other": "2"},
    3: {"preparatory": "1", "machine": "92", "servicing": "3", "auxiliary": "2",
        "loss_discipline": "0.1", "loss_personal": "0.9", "loss_no_work": "0.1",
        "loss_no_materials": "0.1", "loss_crane": "0.05", "loss_tools": "0.05",
        "loss_machine_fault": "0.5", "loss_other": "0.2"},
}  # fmt: skip

# Table 11 (a section of ЧАЗ, February 1980): idle hours by cause. The booklet's two lines
# of absent workers (illness 6 h, breach of discipline 2 h) are one cause here.
IDLE_HOURS: tuple[tuple[str, Decimal], ...] = (
    (IdleCause.UNPLANNED_REPAIR, D("792.6")),
    (IdleCause.SETUP, D("44.0")),
    (IdleCause.NO_WORK, D("56.0")),
    (IdleCause.NO_POWER, D("1.0")),
    (IdleCause.NO_WORKER, D("8.0")),
)
SHIFT_FUND_HOURS = D("3073")


class MonthFigures(NamedTuple):
    """A main section's month. ``volume`` is the actual/plan ratio of the output in
    norm-hours for section 6.1 (the plan is derived from its recorded day output), the
    plan in norm-hours for the others."""

    volume: Decimal
    productivity: tuple[str, str]  # plan, actual, rubles a worker
    capital: tuple[str, str]
    cost_per_ruble: tuple[str, str]
    commodity: tuple[str, str]
    nomenclature: str  # actual, % (plan 100)
    wage_fund: str  # plan, rubles
    on_time: str  # В
    shortfall: str  # А
    quality: tuple[str, str]  # Ккт: the collective, the masters
    productivity_wage: str  # % the productivity growth lags the wage growth


FIGURES: dict[tuple[int, int], MonthFigures] = {
    (1, 7): MonthFigures(D("1.03"), ("1375.0", "1430.0"), ("1.20", "1.20"), ("0.850", "0.842"),
                         ("26400", "27100"), "100", "1900", "1880", "0", ("1.02", "1.00"), "0"),
    # COMPLEX_MONTH: Кнапр 1.01 × 1.00 × 0.98 / 1.00 = 0.9898 (35 %), П = 0.8
    (1, 8): MonthFigures(D("1.00"), ("1375.0", "1388.75"), ("1.20", "1.176"),
                         ("0.850", "0.850"), ("26400", "26450"), "100", "1900", "1480", "370",
                         ("0.95", "0.92"), "0"),
    # TENSION_MONTH: Кнапр 1.2 × 1.15 × 0.95 / 0.98 = 1.3378
    (1, 9): MonthFigures(D("1.15"), ("1375.0", "1650.0"), ("1.20", "1.14"), ("0.850", "0.833"),
                         ("26400", "30360"), "100", "1900", "1950", "0", ("1.05", "1.03"), "0"),
    (1, 10): MonthFigures(D("1.02"), ("1400.0", "1421.0"), ("1.20", "1.19"),
                          ("0.845", "0.840"), ("27000", "27350"), "98", "1950", "1900", "60",
                          ("0.98", "0.96"), "1.5"),
    (2, 7): MonthFigures(D("1740"), ("1310.0", "1297.0"), ("1.10", "1.08"), ("0.870", "0.878"),
                         ("23800", "23550"), "97", "1750", "1620", "120", ("0.88", "0.85"), "2"),
    (2, 8): MonthFigures(D("1610"), ("1310.0", "1336.0"), ("1.10", "1.12"), ("0.870", "0.861"),
                         ("22000", "22450"), "100", "1750", "1610", "0", ("0.91", "0.90"), "0"),
    (2, 9): MonthFigures(D("1740"), ("1310.0", "1205.0"), ("1.10", "1.02"), ("0.870", "0.905"),
                         ("23800", "21900"), "91", "1750", "1420", "320", ("0.45", "0.48"), "6"),
    (2, 10): MonthFigures(D("1820"), ("1330.0", "1356.0"), ("1.10", "1.11"),
                          ("0.865", "0.860"), ("24900", "25300"), "100", "1800", "1800", "20",
                          ("0.86", "0.82"), "0"),
    (3, 7): MonthFigures(D("1500"), ("1420.0", "1505.0"), ("1.30", "1.36"), ("0.820", "0.806"),
                         ("34200", "36100"), "100", "2050", "1500", "0", ("1.12", "1.08"), "0"),
    (3, 8): MonthFigures(D("1390"), ("1420.0", "1434.0"), ("1.30", "1.31"), ("0.820", "0.818"),
                         ("31700", "32000"), "100", "2050", "1350", "40", ("0.97", "0.95"), "0"),
    (3, 9): MonthFigures(D("1500"), ("1420.0", "1462.0"), ("1.30", "1.33"), ("0.820", "0.812"),
                         ("34200", "35200"), "99", "2050", "1460", "55", ("0.93", "0.90"), "0"),
    (3, 10): MonthFigures(D("1570"), ("1450.0", "1479.0"), ("1.30", "1.32"),
                          ("0.815", "0.809"), ("35800", "36500"), "100", "2100", "1570", "0",
                          ("1.00", "1.00"), "0"),
}  # fmt: skip

# Cost plans a month by article (rubles) and each month's actual as a share of the plan.
COST_PLANS: dict[int, dict[str, str]] = {
    1: {"wages": "1520", "materials": "2480", "energy": "410", "tools": "320", "repairs": "60"},
    2: {"wages": "1380", "materials": "2150", "energy": "390", "tools": "280", "repairs": "50"},
    3: {"wages": "1650", "materials": "1240", "energy": "260", "tools": "190", "repairs": "40"},
}
COST_ACTUAL_SHARES: dict[tuple[int, int], tuple[str, str, str, str, str]] = {
    # wages, materials, energy, tools, repairs
    (1, 7): ("1.00", "0.99", "0.98", "1.02", "0.50"),
    (1, 8): ("0.99", "1.00", "0.97", "1.00", "0.00"),
    (1, 9): ("1.00", "1.03", "0.96", "1.12", "0.50"),
    (1, 10): ("1.01", "1.02", "1.00", "1.05", "1.00"),
    (2, 7): ("1.01", "1.02", "1.00", "1.04", "1.20"),
    (2, 8): ("1.00", "0.98", "0.99", "1.00", "0.60"),
    (2, 9): ("1.03", "1.06", "0.93", "1.10", "2.10"),
    (2, 10): ("1.00", "0.99", "1.00", "0.98", "0.40"),
    (3, 7): ("0.99", "0.97", "0.98", "0.95", "0.00"),
    (3, 8): ("1.00", "1.00", "1.01", "1.00", "0.50"),
    (3, 9): ("1.00", "0.99", "0.97", "1.03", "0.25"),
    (3, 10): ("1.00", "0.95", "1.00", "1.00", "0.00"),
}

# Month-end corrections of the cost plan by the shop's dispatcher (§5).
CORRECTIONS: tuple[tuple[int, int, str, str, str], ...] = (
    (1, 9, "materials", "126.40",
     "Пруток стали 40Х поставлен ОМТС по 0,214 руб./кг вместо плановых 0,182 руб./кг "
     "(счёт № 4417): 3950 кг × 0,032 руб."),
    (1, 10, "tools", "22.80",
     "Фрезы поставлены инструментальным цехом № 12 по новой калькуляции с 01.10.2026."),
    (2, 9, "energy", "-38.00",
     "Энергосистема снизила тариф на электроэнергию с 01.09.2026: план затрат на энергию "
     "пересчитан."),
    (2, 9, "materials", "64.20",
     "Штамповки крышек поданы цехом № 3 из стали 45 вместо стали 20 (претензия признана): "
     "перерасход металла не по вине участка."),
    (3, 10, "materials", "-54.60",
     "Подшипники 205 поступили по цене ниже плановой (накладная № 2291)."),
)  # fmt: skip

# The masters' explanations of deviations by part and article (§5).
NOTES: tuple[tuple[int, int, str, str, str, str, str], ...] = (
    (1, 9, "master61", "tools", "Корпус редуктора 6К-112", "38.40",
     "Перерасход фрез: партия заготовок твёрже нормы (НВ 260 вместо 220), стойкость фрез "
     "снизилась вдвое; акт ОТК № 318."),
    (1, 9, "master61", "repairs", "Кронштейн 6К-240", "-30.00",
     "Внепланового ремонта по вине участка меньше плана: наладчик провёл профилактику "
     "шпинделя станка 6Р82 в выходной."),
    (1, 10, "master61", "materials", "Вал-шестерня 6В-205", "49.60",
     "Две заготовки забракованы при фрезеровании шпоночного паза из-за износа делительной "
     "головки; головка сдана в ремонт."),
    (2, 9, "master62", "repairs", "Вал ротора 1В-310", "55.00",
     "Поломка суппорта станка 1К62 по вине токаря (работа без смазки); с рабочего удержано "
     "по акту."),
)  # fmt: skip

# Saved energy resources (§7): (section, month, resource, value saved, % paid).
R_ = EnergySaving.Resource
ENERGY: tuple[tuple[int, int, str, str, str], ...] = (
    (1, 9, R_.ELECTRICITY, "180.00", "30"),
    (3, 8, R_.HEAT, "62.00", "20"),
    (3, 9, R_.ELECTRICITY, "95.50", "25"),
    (2, 10, R_.POWER_FACTOR, "64.00", "40"),
)

INCENTIVE_FUND: dict[int, str] = {7: "1250.00", 8: "1250.00", 9: "1400.00", 10: "1400.00"}

# Auxiliary sections (§4): the plan is met when the consumers filed no claims; the claims
# demo files claims against 14.2 in September and against 12.2 in October.
AUXILIARY_MONTHS: dict[tuple[int, int], dict[int, bool]] = {
    (12, 2): {7: True, 8: True, 9: True, 10: False},
    (14, 2): {7: True, 8: True, 9: False, 10: True},
}

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
    # section 6.1's plan follows its recorded output; the others' plan is given
    volume = volume_plan(section, period, figures.volume) if number == 1 else figures.volume
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
    """HOOK for the monthly close: compute the results of July–September here.

    The close service does not exist yet. Once it does, call it for shop 6 (or the
    plant) for each month of ``MONTHS`` that is in the demo's ``CLOSED_MONTHS`` and
    still open — this step runs before ``enterprise.demo.step_close_periods`` closes
    them, so the results freeze with the month — e.g.::

        for month in MONTHS:
            period = ctx.periods[YEAR, month]
            if (YEAR, month) in CLOSED_MONTHS and not period.is_closed:
                services.results_compute(
                    period=period, shop=ctx.shops[SHOP], user=ctx.users["otiz"]
                )

    The service must be idempotent (a second load computes nothing new) and write no
    history when nothing changed. October stays open and without results.
    """


DEMO_STEPS = [step_configuration, step_sections, step_months, step_compute_results]
