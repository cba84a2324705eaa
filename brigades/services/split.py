"""The split of a draft: its rates, tariff earnings and shares computed from its inputs
(the timesheet, the KTU and the earnings), as :func:`brigades.rules.month_figures` and the
leader's surcharge (:mod:`.surcharge`) have them. Every change of a draft ends here.

A line is paid at the rate of its pay grade in force on its first day
(:func:`line_rate`): the split takes it so, and so does a line from the moment it is
created (:func:`brigades.services.distribution_open`, a member joining mid-month).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprise.money import ONE
from enterprise.rules import month_bounds
from enterprise.selectors import load_tariff_grid
from enterprise.tariffs import MissingRate, TariffGrid

from .. import rules
from ..models import Brigade, Distribution, Line
from .surcharge import compute_surcharges, leader_spans, store_surcharges

# the columns of a line the split and the leader's surcharge compute
LINE_COMPUTED = [
    "grade",
    "pay_grade",
    "rate",
    "tariff",
    "surplus",
    "bonus",
    "savings",
    "surcharge",
    "total",
]


def month_grid(distribution: Distribution, lines: Sequence[Line]) -> TariffGrid:
    """The tariff grid that pays a draft's ``lines``: as far as their last day (one query)."""
    start, _end = month_bounds(distribution.period.year, distribution.period.month)
    last_day = max((line.date_to for line in lines), default=start)
    return load_tariff_grid(distribution.enterprise_id, last_day)


def assign_grades(distribution: Distribution, line: Line) -> None:
    """A line's grade (its membership's) and the grade it is paid at: the conditional one
    the council set, in a month split by conditional grades (method C)."""
    conditional = distribution.method == Brigade.Method.CONDITIONAL
    line.grade = line.membership.grade
    line.pay_grade = line.membership.pay_grade if conditional else line.membership.grade


def _member(line: Line, ktu: Decimal) -> rules.MemberMonth:
    return rules.MemberMonth(
        condition=line.worker.pay_condition_id,
        pay_grade=line.pay_grade,
        first_day=line.date_from,
        hours=line.hours,
        output=line.output,
        ktu=ktu,
    )


def _missing_rate(line: Line) -> ValidationError:
    return ValidationError(
        _(
            "В тарифной сетке нет ставки %(grade)s разряда для условий оплаты "
            "рабочего %(worker)s на %(day)s."
        )
        % {"grade": line.pay_grade, "worker": line.worker.short_name, "day": line.date_from}
    )


def line_rate(line: Line, grid: TariffGrid) -> Decimal:
    """The hourly rate ``line`` (its grades assigned) is paid at, as the split takes it
    (:func:`brigades.rules.member_rate`); a grid without it is refused naming the worker."""
    try:
        return rules.member_rate(_member(line, ONE), grid)
    except MissingRate:
        raise _missing_rate(line) from None


def compute_figures(
    distribution: Distribution, lines: list[Line], ktus: dict[int, Decimal], grid: TariffGrid
) -> None:
    """Fill the computed columns of a draft's ``lines`` and of the document in memory, by
    :func:`brigades.rules.month_figures`; no query.

    ``lines`` carry their membership and worker, in the document's order (first day, id);
    ``ktus`` are the council's KTU by worker (1.00 where none is set).
    """
    for line in lines:
        assign_grades(distribution, line)
    try:
        figures = rules.month_figures(
            distribution.method,
            piecework=distribution.piecework,
            bonus=distribution.bonus,
            savings=distribution.savings,
            members=[_member(line, ktus.get(line.worker_id, ONE)) for line in lines],
            grid=grid,
            correction=distribution.corrects_id is not None,
        )
    except MissingRate as error:
        raise _missing_rate(lines[error.line]) from None
    for line, computed in zip(lines, figures.lines, strict=True):
        line.rate, line.tariff, line.surplus = computed.rate, computed.tariff, computed.surplus
        line.bonus, line.savings, line.total = computed.bonus, computed.savings, computed.total
    distribution.tariff_total = figures.tariff_total
    distribution.coefficient = figures.coefficient
    distribution.below_tariff = figures.below_tariff


def tariff_total_of(distribution: Distribution, lines: list[Line]) -> Decimal:
    """The month's tariff earnings ΣТз of a draft whose ``lines`` (with membership and
    worker, in the document's order) hold hours not stored yet — as the split will compute
    them (:func:`compute_figures`, on copies: the document and the lines keep their
    figures, so that what is saved next records only what it changes)."""
    draft = copy.copy(distribution)
    compute_figures(draft, [copy.copy(line) for line in lines], {}, month_grid(draft, lines))
    return draft.tariff_total


def distribution_compute(distribution: Distribution) -> None:
    """Recompute rates, tariff earnings and shares of a draft from its inputs.

    Each line is paid at the rate in force on its first day (a correction's lines keep
    the corrected month's dates, and so its rates); the leader's lines get his surcharge
    segment by segment (:mod:`.surcharge`).
    """
    if distribution.status != Distribution.Status.DRAFT:
        return
    lines = list(
        distribution.lines.select_related("membership", "worker").order_by("date_from", "pk")
    )
    grid = month_grid(distribution, lines)
    ktus = dict(distribution.ktus.values_list("worker_id", "value"))
    before = [distribution.tariff_total, distribution.coefficient, distribution.below_tariff]
    compute_figures(distribution, lines, ktus, grid)
    segments = compute_surcharges(distribution, lines, leader_spans(distribution), grid)
    Line.objects.bulk_update(lines, LINE_COMPUTED)
    store_surcharges(distribution, segments)
    document = ["tariff_total", "coefficient", "below_tariff"]
    if before != [getattr(distribution, name) for name in document]:
        distribution.save(update_fields=document)
