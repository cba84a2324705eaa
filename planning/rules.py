"""Pure rules of personal plans and org-technical measures: no ORM, no request.

Source: seed 004, chapter V (tables 20–25) and the end of chapter III; the domain note
is ``shared/domain/planning.md``. Every function computes with :class:`~decimal.Decimal`
and returns the unrounded value unless its docstring says otherwise; rounding for display
is the caller's business (:func:`round_coefficient` rounds correction coefficients the
way the source prints them).

Norm fulfilment is a ratio throughout (1.22 means 122 %); growth, excess and
fulfilment are in per cent (5.5 means 5.5 %).

Error messages are plain Russian strings: the module knows nothing of Django, so a
caller that shows them in another language translates at its own boundary.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from enterprise.rules import Step, step_problems

HUNDRED = Decimal(100)


def _fmt(x: Decimal) -> str:
    """A decimal as written in Russian: decimal comma, never an exponent."""
    return format(x, "f").replace(".", ",")


def _fmt_percent(x: Decimal) -> str:
    """A percentage rounded half-up to one place, with a decimal comma: ``7,5 %``."""
    return f"{_fmt(x.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))} %"


# --- how the numbers are set (§3) ------------------------------------------------------------


def plan_from_average(average_output: Decimal, growth_percent: Decimal) -> Decimal:
    """Personal plan from achieved output: П = Вср × (1 + growth / 100) (§3a).

    ``average_output`` (Вср) is the average output of the worker's profession in the
    previous period, in any measure (natural units, norm-hours, norm-rubles); the plan
    comes out in the same measure. A negative growth (a planned fall) is allowed down
    to, not including, −100 %.
    """
    if average_output < 0:
        raise ValueError(f"Средняя выработка не может быть отрицательной: {_fmt(average_output)}.")
    if growth_percent <= -HUNDRED:
        raise ValueError(f"Планируемый рост должен быть больше −100 %: {_fmt(growth_percent)}.")
    return average_output * (1 + growth_percent / HUNDRED)


def correction_coefficient_formula(
    worker_norm_fulfilment: Decimal, section_norm_fulfilment: Decimal
) -> Decimal:
    """Correction coefficient for blank shops: К = 2 − Нр / Ну (§3b).

    ``worker_norm_fulfilment`` (Нр) and ``section_norm_fulfilment`` (Ну) are the base-year
    norm fulfilment ratios. Returned unrounded; the source prints it to three places —
    use :func:`round_coefficient`. The formula is not clamped: a worker fulfilling norms
    more than twice as well as the section gets a negative К.
    """
    if section_norm_fulfilment <= 0:
        raise ValueError(
            f"Выполнение норм участком должно быть больше нуля: {_fmt(section_norm_fulfilment)}."
        )
    if worker_norm_fulfilment < 0:
        raise ValueError(
            f"Выполнение норм рабочим не может быть отрицательным: {_fmt(worker_norm_fulfilment)}."
        )
    return 2 - worker_norm_fulfilment / section_norm_fulfilment


def round_coefficient(x: Decimal, places: int = 3) -> Decimal:
    """``x`` rounded half-up to ``places`` decimal places (0.8852… → 0.885)."""
    if places < 0:
        raise ValueError(f"Число знаков после запятой не может быть отрицательным: {places}.")
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class CorrectionCell:
    """One cell of the correction table (table 25): for the section's norm fulfilment
    ``section_fulfilment`` and a worker's fulfilment ``worker_from <= x < worker_to``,
    the coefficient is ``coefficient``.

    ``worker_from`` None means from minus infinity, ``worker_to`` None — to plus infinity.
    """

    section_fulfilment: Decimal
    worker_from: Decimal | None
    worker_to: Decimal | None
    coefficient: Decimal

    def contains(self, worker_fulfilment: Decimal) -> bool:
        return (self.worker_from is None or worker_fulfilment >= self.worker_from) and (
            self.worker_to is None or worker_fulfilment < self.worker_to
        )


class OutOfTable(LookupError):
    """The correction table has no cell for the arguments: an error, never a silent default."""

    def __init__(self, message: str, section_fulfilment: Decimal, worker_fulfilment: Decimal):
        super().__init__(message)
        self.section_fulfilment = section_fulfilment
        self.worker_fulfilment = worker_fulfilment


def correction_cell_problems(cells: Sequence[CorrectionCell]) -> list[tuple[int, str]]:
    """Problems of the cells as (cell index, ``"empty"`` | ``"overlap"``).

    Worker ranges are checked within each section fulfilment value: an empty range
    (``worker_from >= worker_to``) or two ranges sharing a value would make a lookup
    meaningless or ambiguous. Gaps are allowed — a lookup there raises :class:`OutOfTable`.
    """
    by_section: dict[Decimal, list[int]] = {}
    for index, cell in enumerate(cells):
        by_section.setdefault(cell.section_fulfilment, []).append(index)
    problems: list[tuple[int, str]] = []
    for indices in by_section.values():
        steps = [
            Step(cells[i].worker_from, cells[i].worker_to, cells[i].coefficient) for i in indices
        ]
        problems.extend((indices[local], kind) for local, kind in step_problems(steps))
    return sorted(problems)


@dataclass(frozen=True, slots=True)
class CorrectionTable:
    """The plant's table of correction coefficients (table 25, Cheboksary aggregate plant).

    Rows are keyed by the section's base-year norm fulfilment (Ну, matched exactly:
    1.22 and 1.220 are the same key) and ranges of the worker's fulfilment (Нр). The
    table is data the plant enters; the source gives only an excerpt. Cells with empty
    or overlapping ranges are rejected on construction (:class:`ValueError`).
    """

    cells: tuple[CorrectionCell, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", tuple(self.cells))
        problems = correction_cell_problems(self.cells)
        if problems:
            described = "; ".join(
                f"ячейка {index + 1}: "
                + ("пустой диапазон" if kind == "empty" else "диапазон пересекается с другим")
                for index, kind in problems
            )
            raise ValueError(f"Таблица поправочных коэффициентов содержит ошибки — {described}.")

    def lookup(self, section_fulfilment: Decimal, worker_fulfilment: Decimal) -> Decimal:
        """The coefficient К for (Ну, Нр); :class:`OutOfTable` if the table has no such cell."""
        section_cells = [c for c in self.cells if c.section_fulfilment == section_fulfilment]
        if not section_cells:
            raise OutOfTable(
                "В таблице поправочных коэффициентов нет строки для выполнения норм "
                f"участком {_fmt(section_fulfilment)}.",
                section_fulfilment,
                worker_fulfilment,
            )
        for cell in section_cells:
            if cell.contains(worker_fulfilment):
                return cell.coefficient
        raise OutOfTable(
            "В таблице поправочных коэффициентов нет диапазона для выполнения норм "
            f"рабочим {_fmt(worker_fulfilment)} при выполнении норм участком "
            f"{_fmt(section_fulfilment)}.",
            section_fulfilment,
            worker_fulfilment,
        )


def differentiated_growth(
    section_growth_percent: Decimal, correction_coefficient: Decimal
) -> Decimal:
    """Worker's planned growth Пр = Пу × К, in per cent (§3b).

    ``section_growth_percent`` (Пу) is the section's planned growth; ``correction_coefficient``
    (К) comes from :meth:`CorrectionTable.lookup` or :func:`correction_coefficient_formula`.
    """
    return section_growth_percent * correction_coefficient


def textile_annual_plan(
    time_balance_hours: Decimal,
    service_norm: Decimal,
    machine_productivity: Decimal,
    working_share: Decimal,
) -> Decimal:
    """Annual plan by the textile method (table 23): Ti × Нот × По × Кро, in metres.

    ``time_balance_hours`` (Ti): the worker's annual working-time balance after leave and
    duties; ``service_norm`` (Нот): machines served; ``machine_productivity`` (По): planned
    metres per machine-hour; ``working_share`` (Кро): share of machines working, 1 −
    planned downtime, between 0 and 1. The source prints thousands of metres to one place.
    """
    for name, value in (
        ("Баланс рабочего времени", time_balance_hours),
        ("Норма обслуживания", service_norm),
        ("Производительность оборудования", machine_productivity),
    ):
        if value < 0:
            raise ValueError(f"{name} не может быть отрицательным: {_fmt(value)}.")
    if not 0 <= working_share <= 1:
        raise ValueError(
            f"Коэффициент работающего оборудования должен быть от 0 до 1: {_fmt(working_share)}."
        )
    return time_balance_hours * service_norm * machine_productivity * working_share


def five_year_plan(years: Sequence[Decimal]) -> Decimal:
    """The five-year plan: the sum of the annual plans ``years`` (table 23), unrounded."""
    return sum(years, Decimal(0))


# --- consistency with the section (§4) -------------------------------------------------------


class PlanVerdict(StrEnum):
    """The verdict of :func:`plans_vs_section_task`."""

    SOUND = "sound"
    TOO_HIGH = "too_high"
    TOO_LOW = "too_low"


@dataclass(frozen=True, slots=True)
class PlanCheck:
    """The sum of a section's personal plans checked against the section's task (§4).

    ``excess_percent`` is (sum − task) / task × 100, unrounded; negative when the plans
    fall short. ``sound_upper_percent`` is the limit the check was made with.
    """

    verdict: PlanVerdict
    excess_percent: Decimal
    sound_upper_percent: Decimal = Decimal(10)

    @property
    def message(self) -> str:
        """The verdict explained in Russian, the percent rounded to one place."""
        upper = _fmt(self.sound_upper_percent.normalize())
        if self.verdict is PlanVerdict.TOO_LOW:
            return (
                "Сумма личных планов ниже задания участка на "
                f"{_fmt_percent(-self.excess_percent)}: участок не выполнит задание, "
                "стимулирование теряет смысл."
            )
        if self.verdict is PlanVerdict.TOO_HIGH:
            return (
                f"Сумма личных планов превышает задание участка на "
                f"{_fmt_percent(self.excess_percent)} (больше {upper} %): избыточная "
                "численность, при оплате — перерасход фонда заработной платы."
            )
        if self.excess_percent == 0:
            return "Сумма личных планов равна заданию участка — планы обоснованы."
        return (
            f"Сумма личных планов превышает задание участка на "
            f"{_fmt_percent(self.excess_percent)} (не больше {upper} %) — планы обоснованы."
        )


def plans_vs_section_task(
    sum_of_plans: Decimal, section_task: Decimal, sound_upper_percent: Decimal = Decimal("10")
) -> PlanCheck:
    """Check the sum of personal plans against the section's task (§4).

    ``"sound"``: 0 ≤ excess ≤ ``sound_upper_percent`` (both bounds inclusive; the source
    names 4–10 %); ``"too_high"``: excess above the limit — excess headcount and, if paid,
    a wage-fund overrun; ``"too_low"``: the plans fall short of the task. The verdict is
    decided by exact comparison, not by the (possibly inexact) quotient.
    """
    if section_task <= 0:
        raise ValueError(f"Задание участка должно быть больше нуля: {_fmt(section_task)}.")
    if sound_upper_percent < 0:
        raise ValueError(
            f"Допустимое превышение не может быть отрицательным: {_fmt(sound_upper_percent)}."
        )
    if sum_of_plans < section_task:
        verdict = PlanVerdict.TOO_LOW
    elif sum_of_plans * HUNDRED > section_task * (HUNDRED + sound_upper_percent):
        verdict = PlanVerdict.TOO_HIGH
    else:
        verdict = PlanVerdict.SOUND
    excess = (sum_of_plans - section_task) / section_task * HUNDRED
    return PlanCheck(verdict, excess, sound_upper_percent)


# --- org-technical measures (§5, tables 20–21) -----------------------------------------------


def labour_intensity_reduction(
    before: Decimal, after: Decimal, annual_quantity: Decimal
) -> Decimal:
    """Labour-intensity reduction of a measure Т = (В1 − В2) × Д, in norm-hours (§5).

    ``before`` (В1) and ``after`` (В2): labour per unit, norm-hours; ``annual_quantity``
    (Д): units a year. Negative when the measure raises labour per unit.
    """
    for name, value in (
        ("Трудоёмкость до мероприятия", before),
        ("Трудоёмкость после мероприятия", after),
        ("Годовой объём", annual_quantity),
    ):
        if value < 0:
            raise ValueError(f"{name} не может быть отрицательной: {_fmt(value)}.")
    return (before - after) * annual_quantity


def released_workers(
    reduction: Decimal, annual_time_fund: Decimal, norm_fulfilment: Decimal
) -> Decimal:
    """Workers released by a measure А = Т / (Ф × К) (§5), unrounded.

    ``reduction`` (Т): norm-hours from :func:`labour_intensity_reduction`;
    ``annual_time_fund`` (Ф): planned annual working time per worker, hours;
    ``norm_fulfilment`` (К): planned norm fulfilment ratio. The source prints one place.
    """
    if annual_time_fund <= 0:
        raise ValueError(
            f"Годовой фонд рабочего времени должен быть больше нуля: {_fmt(annual_time_fund)}."
        )
    if norm_fulfilment <= 0:
        raise ValueError(f"Выполнение норм должно быть больше нуля: {_fmt(norm_fulfilment)}.")
    return reduction / (annual_time_fund * norm_fulfilment)


def productivity_growth_from_measures(released: Decimal, headcount: Decimal | int) -> Decimal:
    """Productivity growth from measures = released workers / headcount × 100, in % (§5).

    Linear in ``released``: the growth of a group of measures in one unit (table 21) is
    the sum of the measures' growths, or equally this function of their summed releases.
    """
    if headcount <= 0:
        raise ValueError(f"Численность подразделения должна быть больше нуля: {headcount}.")
    return released / Decimal(headcount) * HUNDRED


# --- tracking (§6) ---------------------------------------------------------------------------


def fulfilment_percent(actual: Decimal, plan: Decimal) -> Decimal | None:
    """Plan fulfilment actual / plan × 100, in %; None when there is no plan (plan 0)."""
    if plan < 0:
        raise ValueError(f"План не может быть отрицательным: {_fmt(plan)}.")
    if plan == 0:
        return None
    return actual / plan * HUNDRED


def lead_lag_days(
    actual_cumulative: Decimal, plan_cumulative: Decimal, daily_plan_rate: Decimal
) -> Decimal:
    """Lead (positive) or lag (negative) against the plan, in days of plan (§6), unrounded.

    (actual − plan) / daily plan rate, both totals cumulative from the start of the period.
    """
    if daily_plan_rate <= 0:
        raise ValueError(f"Дневной план должен быть больше нуля: {_fmt(daily_plan_rate)}.")
    return (actual_cumulative - plan_cumulative) / daily_plan_rate


def completion_date(
    start: datetime.date,
    plan_total: Decimal,
    achieved_by_date: Sequence[tuple[datetime.date, Decimal]],
) -> datetime.date | None:
    """The first date the output achieved since ``start`` reaches ``plan_total`` (§6).

    ``achieved_by_date`` holds (date, output on that date or in the period ending then);
    entries dated before ``start`` are ignored, order does not matter, several entries
    on one date add up. None when the plan is not reached — e.g. a five-year task
    started on 1 January 1976 and done by 20 March 1978 gives ``date(1978, 3, 20)``.
    """
    if plan_total <= 0:
        raise ValueError(f"План должен быть больше нуля: {_fmt(plan_total)}.")
    cumulative = Decimal(0)
    for day, achieved in sorted(
        (entry for entry in achieved_by_date if entry[0] >= start), key=lambda e: e[0]
    ):
        cumulative += achieved
        if cumulative >= plan_total:
            return day
    return None


# --- bonuses (§6, Dynamo plant) --------------------------------------------------------------


def monthly_growth_bonus_eligible(*, personal_plan_met: bool, nomenclature_met: bool) -> bool:
    """Monthly bonus for growth over the base (paid from the incentive fund).

    Conditions, all required: the worker met the personal plan, and the master's
    nomenclature task was met.
    """
    return personal_plan_met and nomenclature_met


def quarterly_output_bonus_eligible(
    *,
    section_met_gross_plan: bool,
    worker_hourly_output: Decimal,
    last_year_hourly_output: Decimal,
    profession_average_hourly_output: Decimal,
) -> bool:
    """Quarterly bonus for exceeding the profession's average hourly output (wage fund).

    Conditions, all required: the section met its gross-output plan; the worker's hourly
    output is above the profession's average; and above the worker's own hourly output
    of last year. "Above" is strict: equal output earns no bonus.
    """
    return (
        section_met_gross_plan
        and worker_hourly_output > profession_average_hourly_output
        and worker_hourly_output > last_year_hourly_output
    )
