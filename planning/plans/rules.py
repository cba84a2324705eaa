"""Pure rules of personal plans: no ORM, no request.

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

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from enterprise import money
from enterprise.money import HUNDRED, NIL
from enterprise.rules import Step, step_problems
from planning.rules import decimal_text, percent_text

# --- how the numbers are set (§3) ------------------------------------------------------------


def plan_from_average(average_output: Decimal, growth_percent: Decimal) -> Decimal:
    """Personal plan from achieved output: П = Вср × (1 + growth / 100) (§3a).

    ``average_output`` (Вср) is the average output of the worker's profession in the
    previous period, in any output unit (natural units, norm-hours, norm-rubles); the plan
    comes out in the same unit. A negative growth (a planned fall) is allowed down
    to, not including, −100 %.
    """
    if average_output < 0:
        raise ValueError(
            f"Средняя выработка не может быть отрицательной: {decimal_text(average_output)}."
        )
    if growth_percent <= -HUNDRED:
        raise ValueError(
            f"Планируемый рост должен быть больше −100 %: {decimal_text(growth_percent)}."
        )
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
            f"Выполнение норм участком должно быть больше нуля: "
            f"{decimal_text(section_norm_fulfilment)}."
        )
    if worker_norm_fulfilment < 0:
        raise ValueError(
            f"Выполнение норм рабочим не может быть отрицательным: "
            f"{decimal_text(worker_norm_fulfilment)}."
        )
    return 2 - worker_norm_fulfilment / section_norm_fulfilment


def round_coefficient(x: Decimal, places: int = 3) -> Decimal:
    """``x`` rounded half-up to ``places`` decimal places (0.8852… → 0.885)."""
    if places < 0:
        raise ValueError(f"Число знаков после запятой не может быть отрицательным: {places}.")
    return money.half_up(x, money.places(places))


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
                f"участком {decimal_text(section_fulfilment)}.",
                section_fulfilment,
                worker_fulfilment,
            )
        for cell in section_cells:
            if cell.contains(worker_fulfilment):
                return cell.coefficient
        raise OutOfTable(
            "В таблице поправочных коэффициентов нет диапазона для выполнения норм "
            f"рабочим {decimal_text(worker_fulfilment)} при выполнении норм участком "
            f"{decimal_text(section_fulfilment)}.",
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
            raise ValueError(f"{name} не может быть отрицательным: {decimal_text(value)}.")
    if not 0 <= working_share <= 1:
        raise ValueError(
            f"Коэффициент работающего оборудования должен быть от 0 до 1: "
            f"{decimal_text(working_share)}."
        )
    return time_balance_hours * service_norm * machine_productivity * working_share


def five_year_plan(years: Sequence[Decimal]) -> Decimal:
    """The five-year plan: the sum of the annual plans ``years`` (table 23), unrounded."""
    return sum(years, NIL)


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
        upper = decimal_text(self.sound_upper_percent.normalize())
        if self.verdict is PlanVerdict.TOO_LOW:
            return (
                "Сумма личных планов ниже задания участка на "
                f"{percent_text(-self.excess_percent)}: участок не выполнит задание, "
                "стимулирование теряет смысл."
            )
        if self.verdict is PlanVerdict.TOO_HIGH:
            return (
                f"Сумма личных планов превышает задание участка на "
                f"{percent_text(self.excess_percent)} (больше {upper} %): избыточная "
                "численность, при оплате — перерасход фонда заработной платы."
            )
        if self.excess_percent == 0:
            return "Сумма личных планов равна заданию участка — планы обоснованы."
        return (
            f"Сумма личных планов превышает задание участка на "
            f"{percent_text(self.excess_percent)} (не больше {upper} %) — планы обоснованы."
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
        raise ValueError(f"Задание участка должно быть больше нуля: {decimal_text(section_task)}.")
    if sound_upper_percent < 0:
        raise ValueError(
            f"Допустимое превышение не может быть отрицательным: "
            f"{decimal_text(sound_upper_percent)}."
        )
    if sum_of_plans < section_task:
        verdict = PlanVerdict.TOO_LOW
    elif sum_of_plans * HUNDRED > section_task * (HUNDRED + sound_upper_percent):
        verdict = PlanVerdict.TOO_HIGH
    else:
        verdict = PlanVerdict.SOUND
    excess = (sum_of_plans - section_task) / section_task * HUNDRED
    return PlanCheck(verdict, excess, sound_upper_percent)
