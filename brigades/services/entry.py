"""What the brigade enters into its month's draft: the timesheet, the collective earnings
and each member's KTU, each with the version stamp its page was drawn at
(:mod:`enterprise.versions`) and its plausibility checks. Each write recomputes the split.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprise import plausibility, versions
from enterprise.models import Worker
from enterprise.money import ONE, ZERO
from enterprise.rules import month_bounds
from enterprise.tracking import acting_as

from .. import plausibility as brigade_plausibility
from .. import rules
from ..models import Distribution, Ktu, KtuCriterion, Line
from .drafts import assert_draft, locked
from .split import distribution_compute, tariff_total_of


@dataclass(frozen=True)
class TimesheetRow:
    line_id: int
    hours: Decimal
    absence_hours: Decimal = ZERO
    absence_note: str = ""
    output: Decimal = ZERO


TIMESHEET_FIELDS = ("hours", "absence_hours", "absence_note", "output")


def timesheet_version(lines: Iterable[Line]) -> str:
    """The version of the timesheet a page shows (:mod:`enterprise.versions`)."""
    return versions.stamp((lines, TIMESHEET_FIELDS))


@transaction.atomic
def timesheet_save(
    *,
    distribution: Distribution,
    rows: Iterable[TimesheetRow],
    user,
    version: str = "",
    confirmed: bool = False,
) -> None:
    """The leader's or master's timesheet for the month, all lines at once or none.

    A changed line's hours are checked against the month's fund for the part of the month
    the worker was in the brigade and employed (:func:`enterprise.plausibility.check_hours`):
    impossible hours refuse the timesheet (:class:`~enterprise.plausibility.RowErrors` by
    line id), hours over the fund are asked again
    (:class:`~enterprise.plausibility.UnlikelyFigures`) until ``confirmed``; the history
    records the confirmation. Its personal output is checked against its hours the same
    way (:func:`brigades.plausibility.check_output`). The month's collective earnings
    already entered are checked against the timesheet's tariff earnings as the save makes
    them (:func:`brigades.plausibility.check_entered_earnings`): earnings entered first
    become unlikely only with a confirmation, like those entered last. ``version``: the
    timesheet's when the page was drawn; if someone saved it meanwhile,
    :class:`~enterprise.versions.StaleError` says who changed what, and nothing is written.
    """
    distribution = locked(distribution)
    assert_draft(distribution)
    lines = {
        line.pk: line
        for line in distribution.lines.select_related("membership", "worker").order_by(
            "date_from", "pk"
        )
    }
    versions.check(version, (lines.values(), TIMESHEET_FIELDS))
    changed = []
    # A finding is shown at its line's row, which names the worker; the history's reason
    # names him by these labels.
    findings = plausibility.Findings(
        labels={pk: line.worker.short_name for pk, line in lines.items()}
    )
    # The month the hours were worked in: a correction's lines are the corrected month's.
    worked = distribution.corrects.period if distribution.corrects_id else distribution.period
    start, end = month_bounds(worked.year, worked.month)
    for row in rows:
        line = lines.get(row.line_id)
        if line is None:
            raise ValidationError(_("Строка табеля не из этого распределения."))
        values = (row.hours, row.absence_hours, row.absence_note, row.output)
        if values != (line.hours, line.absence_hours, line.absence_note, line.output):
            line.hours, line.absence_hours, line.absence_note, line.output = values
            # The fields' own checks (no negative hours); the month and the document's
            # state are checked above, once for all lines.
            line.clean_fields(exclude=["distribution", "membership", "worker", "period"])
            worker = line.worker
            plausibility.check_hours(
                findings,
                line.pk,
                line.hours,
                absence=line.absence_hours,
                fund=worked.working_hours,
                share=plausibility.employed_share(
                    max(line.date_from, worker.hire_date),
                    min(line.date_to, worker.dismissal_date or line.date_to),
                    start,
                    end,
                ),
            )
            brigade_plausibility.check_output(findings, line.pk, line)
            changed.append(line)
    if changed and brigade_plausibility.entered_earnings(distribution) > 0:
        brigade_plausibility.check_entered_earnings(
            findings, distribution, tariff_total_of(distribution, list(lines.values()))
        )
    confirmed_notes = findings.settle(confirmed=confirmed)
    with acting_as(user, plausibility.confirmed_reason(confirmed_notes)):
        if changed:
            Line.objects.bulk_update(changed, ["hours", "absence_hours", "absence_note", "output"])
        distribution_compute(distribution)


EARNINGS_FIELDS = ("method", "piecework", "bonus", "savings", "norm_hours")


def earnings_version(distribution: Distribution) -> str:
    return versions.stamp(([distribution], EARNINGS_FIELDS))


@transaction.atomic
def earnings_save(
    *,
    distribution: Distribution,
    method: str,
    piecework: Decimal,
    bonus: Decimal,
    savings: Decimal,
    norm_hours: Decimal,
    user,
    version: str = "",
    confirmed: bool = False,
) -> Distribution:
    """The month's collective earnings and the way they are split; refused
    (:class:`enterprise.versions.StaleError`) when they changed since ``version``.

    Outside a correction, a negative amount is refused next to its field; earnings far
    above the timesheet's tariff earnings or the brigade's recent approved months
    (:func:`brigades.plausibility.check_earnings`) are asked again
    (:class:`~enterprise.plausibility.UnlikelyFigures`) until ``confirmed``, and the
    history records the confirmation. Unchanged amounts are not asked again."""
    distribution = locked(distribution)
    assert_draft(distribution)
    versions.check(version, ([distribution], EARNINGS_FIELDS))
    findings = plausibility.Findings(by_field=True)
    if distribution.corrects_id is None:
        amounts = {"piecework": piecework, "bonus": bonus, "savings": savings}
        for name, amount in amounts.items():
            if amount < 0:
                findings.refuse(
                    name,
                    _("Суммы не могут быть отрицательными (отрицательные — только в исправлении)."),
                )
        stored = (distribution.piecework, distribution.bonus, distribution.savings)
        if (piecework, bonus, savings) != stored:
            brigade_plausibility.check_earnings(findings, distribution, piecework + bonus + savings)
    confirmed_notes = findings.settle(confirmed=confirmed)
    distribution.method = method
    distribution.piecework, distribution.bonus, distribution.savings = piecework, bonus, savings
    distribution.norm_hours = norm_hours
    with acting_as(user, plausibility.confirmed_reason(confirmed_notes)):
        distribution.full_clean()
        distribution.save()
        distribution_compute(distribution)
    return distribution


KTU_FIELDS = ("value", "adjustments", "note")


def ktu_version(ktu: Ktu | None) -> str:
    """The version of a member's KTU a page shows (None: not set yet)."""
    return versions.stamp(([ktu] if ktu is not None else [], KTU_FIELDS))


@transaction.atomic
def ktu_set(
    *,
    distribution: Distribution,
    worker: Worker,
    criteria: Iterable[KtuCriterion],
    note: str = "",
    user,
    version: str = "",
) -> Ktu:
    """The council's KTU for a member: base 1.0 plus the criteria applied, within the range.

    ``version``: the member's KTU when the page was drawn (:func:`ktu_version`)."""
    distribution = locked(distribution)
    assert_draft(distribution)
    versions.check(
        version, (Ktu.objects.filter(distribution=distribution, worker=worker), KTU_FIELDS)
    )
    if not distribution.lines.filter(worker=worker).exists():
        raise ValidationError(_("Рабочий не состоит в бригаде в этом месяце."))
    criteria = list(criteria)
    if any(c.enterprise_id != distribution.enterprise_id for c in criteria):
        raise ValidationError(_("Показатель другого предприятия."))
    retired = [c.name for c in criteria if not c.active]
    if retired:
        raise ValidationError(
            {
                "criteria": _("Показатель «%(name)s» больше не действует.")
                % {"name": ", ".join(retired)}
            }
        )
    value = rules.ktu_from_criteria(ONE, [c.adjustment for c in criteria])
    enterprise = distribution.enterprise
    problem = rules.ktu_problem(value, enterprise.ktu_min, enterprise.ktu_max)
    if problem:
        raise ValidationError({"criteria": problem})
    adjustments = [
        {"criterion": c.pk, "name": c.name, "adjustment": str(c.adjustment)} for c in criteria
    ]
    with acting_as(user):
        ktu = Ktu.objects.filter(distribution=distribution, worker=worker).first() or Ktu(
            distribution=distribution, period_id=distribution.period_id, worker=worker
        )
        ktu.value, ktu.adjustments, ktu.note = value, adjustments, note
        ktu.save()
        distribution_compute(distribution)
    return ktu
