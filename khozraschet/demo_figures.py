"""The demo's figures of shop 6's sections (seed 004's tables 2–4 and 11, and the months
July–October 2026 that carry the booklet's vectors): data only; :mod:`khozraschet.demo`
loads them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from .models import EnergySaving, IdleCause, Purpose, Specialisation

D = Decimal
YEAR = 2026


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


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
    norm-hours (the plan is derived from the section's recorded day output)."""

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
                         ("26400", "27100"), "100", "2200", "1880", "0", ("1.02", "1.00"), "0"),
    # COMPLEX_MONTH: Кнапр 1.01 × 1.00 × 0.98 / 1.00 = 0.9898 (35 %), П = 0.8
    (1, 8): MonthFigures(D("1.00"), ("1375.0", "1388.75"), ("1.20", "1.176"),
                         ("0.850", "0.850"), ("26400", "26450"), "100", "2100", "1480", "370",
                         ("0.95", "0.92"), "0"),
    # TENSION_MONTH: Кнапр 1.2 × 1.15 × 0.95 / 0.98 = 1.3378
    (1, 9): MonthFigures(D("1.15"), ("1375.0", "1650.0"), ("1.20", "1.14"), ("0.850", "0.833"),
                         ("26400", "30360"), "100", "2150", "1950", "0", ("1.05", "1.03"), "0"),
    (1, 10): MonthFigures(D("1.02"), ("1400.0", "1421.0"), ("1.20", "1.19"),
                          ("0.845", "0.840"), ("27000", "27350"), "98", "2150", "1900", "60",
                          ("0.98", "0.96"), "1.5"),
    (2, 7): MonthFigures(D("0.97"), ("1310.0", "1297.0"), ("1.10", "1.08"), ("0.870", "0.878"),
                         ("23800", "23550"), "97", "1750", "1620", "120", ("0.88", "0.85"), "2"),
    (2, 8): MonthFigures(D("1.01"), ("1310.0", "1336.0"), ("1.10", "1.12"), ("0.870", "0.861"),
                         ("22000", "22450"), "100", "1750", "1610", "0", ("0.91", "0.90"), "0"),
    (2, 9): MonthFigures(D("0.93"), ("1310.0", "1205.0"), ("1.10", "1.02"), ("0.870", "0.905"),
                         ("23800", "21900"), "91", "1750", "1420", "320", ("0.45", "0.48"), "6"),
    (2, 10): MonthFigures(D("1.02"), ("1330.0", "1356.0"), ("1.10", "1.11"),
                          ("0.865", "0.860"), ("24900", "25300"), "100", "1800", "1800", "20",
                          ("0.86", "0.82"), "0"),
    (3, 7): MonthFigures(D("1.04"), ("1420.0", "1505.0"), ("1.30", "1.36"), ("0.820", "0.806"),
                         ("34200", "36100"), "100", "1100", "1500", "0", ("1.12", "1.08"), "0"),
    (3, 8): MonthFigures(D("1.00"), ("1420.0", "1434.0"), ("1.30", "1.31"), ("0.820", "0.818"),
                         ("31700", "32000"), "100", "1100", "1350", "40", ("0.97", "0.95"), "0"),
    (3, 9): MonthFigures(D("1.02"), ("1420.0", "1462.0"), ("1.30", "1.33"), ("0.820", "0.812"),
                         ("34200", "35200"), "99", "1080", "1460", "55", ("0.93", "0.90"), "0"),
    (3, 10): MonthFigures(D("1.03"), ("1450.0", "1479.0"), ("1.30", "1.32"),
                          ("0.815", "0.809"), ("35800", "36500"), "100", "1100", "1570", "0",
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
