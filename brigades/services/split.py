"""The split of a draft: its rates, tariff earnings and shares computed from its inputs
(the timesheet, the KTU and the earnings), as :func:`brigades.rules.month_figures` and the
leader's surcharge (:mod:`.surcharge`) have them. Every change of a draft ends here.
"""

from __future__ import annotations

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


def compute_figures(
    distribution: Distribution, lines: list[Line], ktus: dict[int, Decimal], grid: TariffGrid
) -> None:
    """Fill the computed columns of a draft's ``lines`` and of the document in memory, by
    :func:`brigades.rules.month_figures`; no query.

    ``lines`` carry their membership and worker, in the document's order (first day, id);
    ``ktus`` are the council's KTU by worker (1.00 where none is set).
    """
    conditional = distribution.method == Brigade.Method.CONDITIONAL
    for line in lines:
        line.grade = line.membership.grade
        line.pay_grade = line.membership.pay_grade if conditional else line.membership.grade
    try:
        figures = rules.month_figures(
            distribution.method,
            piecework=distribution.piecework,
            bonus=distribution.bonus,
            savings=distribution.savings,
            members=[
                rules.MemberMonth(
                    condition=line.worker.pay_condition_id,
                    pay_grade=line.pay_grade,
                    first_day=line.date_from,
                    hours=line.hours,
                    output=line.output,
                    ktu=ktus.get(line.worker_id, ONE),
                )
                for line in lines
            ],
            grid=grid,
            correction=distribution.corrects_id is not None,
        )
    except MissingRate as error:
        line = lines[error.line]
        raise ValidationError(
            _(
                "В тарифной сетке нет ставки %(grade)s разряда для условий оплаты "
                "рабочего %(worker)s на %(day)s."
            )
            % {"grade": line.pay_grade, "worker": line.worker.short_name, "day": line.date_from}
        ) from None
    for line, computed in zip(lines, figures.lines, strict=True):
        line.rate, line.tariff, line.surplus = computed.rate, computed.tariff, computed.surplus
        line.bonus, line.savings, line.total = computed.bonus, computed.savings, computed.total
    distribution.tariff_total = figures.tariff_total
    distribution.coefficient = figures.coefficient
    distribution.below_tariff = figures.below_tariff


def distribution_compute(distribution: Distribution) -> None:
    """Recompute rates, tariff earnings and shares of a draft from its inputs.

    Each line is paid at the rate in force on its first day (a correction's lines keep
    the corrected month's dates, and so its rates); the leader's lines get his surcharge
    segment by segment (:mod:`.surcharge`).
    """
    if distribution.status != Distribution.Status.DRAFT:
        return
    start, _end = month_bounds(distribution.period.year, distribution.period.month)
    lines = list(
        distribution.lines.select_related("membership", "worker").order_by("date_from", "pk")
    )
    last_day = max((line.date_to for line in lines), default=start)
    grid = load_tariff_grid(distribution.enterprise_id, last_day)
    ktus = dict(distribution.ktus.values_list("worker_id", "value"))
    before = [distribution.tariff_total, distribution.coefficient, distribution.below_tariff]
    compute_figures(distribution, lines, ktus, grid)
    segments = compute_surcharges(distribution, lines, leader_spans(distribution), grid)
    Line.objects.bulk_update(lines, LINE_COMPUTED)
    store_surcharges(distribution, segments)
    document = ["tariff_total", "coefficient", "below_tariff"]
    if before != [getattr(distribution, name) for name in document]:
        distribution.save(update_fields=document)
