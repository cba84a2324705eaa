"""Plausibility of a brigade's money figures (:mod:`enterprise.plausibility`): a member's
personal output in the timesheet and the brigade's collective earnings of the month.

The yardstick is the tariff: a month's tariff earnings are the hourly rate of each
member's grade times his hours (method A, table 18), and piecework earnings run above
the tariff by a coefficient K = earnings / ΣТз that is usually 1.2–2 (table 18's month:
1053.84 / 707.27 = 1.49). So:

- personal output (method Б, roubles) with no hours worked: refused — nobody produces
  work in hours he did not work;
- personal output over :data:`UNLIKELY_COEFFICIENT` times the tariff earnings of the
  line's hours (its rate × hours): asked again;
- collective earnings (piecework + bonus + savings) over :data:`UNLIKELY_COEFFICIENT`
  times the month's tariff earnings ΣТз of the timesheet (once it has hours): asked again
  — when the earnings are saved, and again when a timesheet saved after them makes them
  so (its first hours, or fewer hours than they were checked against:
  :func:`check_entered_earnings`);
- collective earnings over :data:`UNLIKELY_HISTORY_RATIO` times the average of the
  brigade's last :data:`HISTORY_MONTHS` approved months (originals, not corrections):
  asked again;
- negative amounts outside a correction: refused (a correction's amounts are
  differences, and may be negative; it is not checked against the tariff or history).

A timesheet save checks the personal output of each line it changes against the line's
hours as they will be (output first, hours cut afterwards: asked or refused then).

The ratios ask rather than refuse: a big bonus or a month of rush work may be real —
the person confirms it, and the history records the confirmation.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext as _

from enterprise.money import ZERO
from enterprise.plausibility import Findings, num

from .models import Distribution

UNLIKELY_COEFFICIENT = Decimal(3)
"""Earnings (collective, or a member's output) over this many times the tariff earnings
of the hours are asked again."""

UNLIKELY_HISTORY_RATIO = Decimal(3)
"""Collective earnings over this many times the brigade's recent average are asked."""

HISTORY_MONTHS = 3
"""How many of the brigade's last approved months make its recent average."""

EARNINGS_KEY = NON_FIELD_ERRORS
"""The collective earnings are the sum of three fields: their doubts go above the form."""


def check_output(findings: Findings, key, line, *, who: str = "") -> None:
    """A timesheet ``line``'s personal output (roubles) against its hours and rate."""
    output = line.output or ZERO
    if output <= 0:
        return
    prefix = f"{who}: " if who else ""
    hours = line.hours or ZERO
    if hours <= 0:
        findings.refuse(
            key,
            prefix
            + _("личная выработка %(output)s руб. без отработанных часов: укажите часы.")
            % {"output": num(output, 2)},
        )
        return
    tariff = (line.rate or ZERO) * hours
    if tariff > 0 and output > tariff * UNLIKELY_COEFFICIENT:
        findings.doubt(
            key,
            prefix
            + _(
                "личная выработка %(output)s руб. — в %(ratio)s раза больше тарифного "
                "заработка за %(hours)s ч (%(tariff)s руб.): проверьте цифру и подтвердите её."
            )
            % {
                "output": num(output, 2),
                "ratio": num(output / tariff),
                "hours": num(hours),
                "tariff": num(tariff, 2),
            },
        )


def check_earnings(findings: Findings, distribution, total: Decimal) -> None:
    """A month's collective earnings ``total`` (piecework + bonus + savings) against the
    timesheet's tariff earnings and the brigade's recent approved months. Not for a
    correction. One query."""
    if total <= 0:
        return
    tariff = distribution.tariff_total or ZERO
    if _over_tariff(total, tariff):
        findings.doubt(
            EARNINGS_KEY,
            _(
                "Заработок бригады за месяц %(total)s руб. (сдельный, премия и экономия) — "
                "в %(ratio)s раза больше тарифного заработка по табелю (%(tariff)s руб.): "
                "проверьте суммы и подтвердите их."
            )
            % {"total": num(total, 2), "ratio": num(total / tariff), "tariff": num(tariff, 2)},
        )
    average = recent_average(distribution)
    if average is not None and average > 0 and total > average * UNLIKELY_HISTORY_RATIO:
        findings.doubt(
            EARNINGS_KEY,
            _(
                "Заработок бригады за месяц %(total)s руб. — в %(ratio)s раза больше, чем "
                "в среднем за её последние утверждённые месяцы (%(average)s руб.): "
                "проверьте суммы и подтвердите их."
            )
            % {"total": num(total, 2), "ratio": num(total / average), "average": num(average, 2)},
        )


def check_entered_earnings(findings: Findings, distribution, tariff: Decimal) -> None:
    """The month's collective earnings already entered, against the tariff earnings ΣТз
    ``tariff`` of the timesheet being saved (``distribution`` still holds the stored ΣТз).

    Asked as when the earnings are saved (:func:`check_earnings`), but only where the
    timesheet makes them less plausible than when they were checked: its first hours
    (earnings entered on an empty timesheet were checked against nothing), or fewer tariff
    earnings than before. A timesheet that adds hours is not asked about earnings already
    confirmed against fewer. Not for a correction; no query."""
    total = entered_earnings(distribution)
    before = distribution.tariff_total or ZERO
    if total <= 0 or (before > 0 and tariff >= before) or not _over_tariff(total, tariff):
        return
    findings.doubt(
        EARNINGS_KEY,
        _(
            "Уже внесённый заработок бригады за месяц (%(total)s руб.: сдельный, премия и "
            "экономия) в %(ratio)s раза больше тарифного заработка по этому табелю "
            "(%(tariff)s руб.): проверьте часы и заработок и подтвердите их."
        )
        % {"total": num(total, 2), "ratio": num(total / tariff), "tariff": num(tariff, 2)},
    )


def entered_earnings(distribution) -> Decimal:
    """The collective earnings entered for the month that the tariff yardstick applies to
    (piecework + bonus + savings); zero for a correction (its amounts are differences)."""
    if distribution.corrects_id is not None:
        return ZERO
    return distribution.piecework + distribution.bonus + distribution.savings


def _over_tariff(total: Decimal, tariff: Decimal) -> bool:
    return tariff > 0 and total > tariff * UNLIKELY_COEFFICIENT


def recent_average(distribution) -> Decimal | None:
    """The average collective earnings of the brigade's last :data:`HISTORY_MONTHS`
    approved months before ``distribution``'s (originals only); None without any."""
    period = distribution.period
    earlier = Q(period__year__lt=period.year) | Q(
        period__year=period.year, period__month__lt=period.month
    )
    totals = [
        piecework + bonus + savings
        for piecework, bonus, savings in Distribution.objects.filter(
            earlier,
            brigade_id=distribution.brigade_id,
            corrects__isnull=True,
            status=Distribution.Status.APPROVED,
        )
        .order_by("-period__year", "-period__month")
        .values_list("piecework", "bonus", "savings")[:HISTORY_MONTHS]
    ]
    if not totals:
        return None
    return sum(totals, ZERO) / len(totals)
