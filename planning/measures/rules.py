"""Pure rules of org-technical measures (§5, tables 20–21): no ORM, no request.

Source: seed 004, chapter V; the domain note is ``shared/domain/planning.md``.
"""

from __future__ import annotations

from decimal import Decimal

from enterprise.money import HUNDRED, TENTH, half_up
from planning.rules import decimal_text

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
            raise ValueError(f"{name} не может быть отрицательной: {decimal_text(value)}.")
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
            f"Годовой фонд рабочего времени должен быть больше нуля: "
            f"{decimal_text(annual_time_fund)}."
        )
    if norm_fulfilment <= 0:
        raise ValueError(
            f"Выполнение норм должно быть больше нуля: {decimal_text(norm_fulfilment)}."
        )
    return reduction / (annual_time_fund * norm_fulfilment)


def productivity_growth_from_measures(released: Decimal, headcount: Decimal | int) -> Decimal:
    """Productivity growth from measures = released workers / headcount × 100, in % (§5).

    Linear in ``released``: the growth of a group of measures in one unit (table 21) is
    the sum of the measures' growths, or equally this function of their summed releases.
    """
    if headcount <= 0:
        raise ValueError(f"Численность подразделения должна быть больше нуля: {headcount}.")
    return released / Decimal(headcount) * HUNDRED


def released_places(value: Decimal) -> Decimal:
    """Released workers as the pages write them: one place, half up."""
    return half_up(value, TENTH)
