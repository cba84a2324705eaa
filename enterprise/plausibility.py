"""Plausibility of the figures people enter: impossible ones are refused, unlikely ones are
asked again and saved only when the person confirms them.

Every service that writes entered figures (a timesheet, the output grid, a section's days,
a personal plan, a claim's amounts) collects what it finds in :class:`Findings`, keyed by
the row (a line's or a worker's id, a day) or by the form's field, and calls
:meth:`Findings.settle` before it writes:

- an *impossible* figure (more hours than the month can hold, output in a month the worker
  was not employed, a negative base, a growth of 500 %) raises :class:`RowErrors`;
- an *unlikely* one (hours over the month's fund, output far above the plan) raises
  :class:`UnlikelyFigures` unless the call says ``confirmed``; the page then shows the
  figures marked and a «Подтверждаю» checkbox (``templates/_confirm_unlikely.html``);
- confirmed figures are written under :func:`confirmed_reason`, which the history records
  with who and when (:func:`enterprise.tracking.acting_as`).

So nothing unlikely is stored without a person's confirmation in its history — a public
board that reads stored figures shows only plausible or confirmed ones. The checks live in
the services, so the pages, the file imports and anything else calling them go through
them alike.

The limits of working time (Labour Code of the RF, art. 99): overtime is at most 4 hours
in two days running and 120 hours a year, so a month's worked hours above the month's
fund by more than :data:`OVERTIME_MAX_HOURS` are impossible; hours over the fund by more
than :data:`USUAL_OVERTIME_SHARE` of it are unlikely (such overtime is rare and is
confirmed). The fund is counted for the part of the
month the worker was employed (:func:`employed_share`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .rules import employed_share  # noqa: F401  (the checks' callers use it from here)

OVERTIME_MAX_HOURS = Decimal(120)
"""The most overtime a year holds (Labour Code of the RF, art. 99): no month holds more."""

USUAL_OVERTIME_SHARE = Decimal("0.1")
"""Hours over the month's fund by up to this share of it (16.8 h of 168) pass without a
question (a little overtime is ordinary); more are asked again."""

CONFIRM_FIELD = "confirm"
"""The name of the checkbox (value ``1``) by which a person confirms unlikely figures."""


class RowErrors(ValidationError):
    """Errors keyed by the row (a line's id, a worker's id, a day) or, with ``by_field``,
    by the form's field: ``messages_by_row`` maps each key to its messages. The messages
    of row errors start with the key unless ``labelled`` says they name the row already.
    """

    def __init__(self, messages_by_row: dict, *, by_field: bool = False, labelled: bool = False):
        self.messages_by_row = {key: list(msgs) for key, msgs in messages_by_row.items()}
        if by_field:
            super().__init__(
                {
                    key: [ValidationError(message) for message in msgs]
                    for key, msgs in self.messages_by_row.items()
                }
            )
        else:
            super().__init__(
                [
                    message if labelled else f"{key}: {message}"
                    for key, msgs in self.messages_by_row.items()
                    for message in msgs
                ]
            )


class UnlikelyFigures(RowErrors):
    """Figures so unlikely that they are asked again: saved only when the person confirms
    them (nothing else is wrong with what was entered)."""


def asks_confirmation(error: Exception) -> bool:
    """Is ``error`` a refusal that a confirmation would lift?"""
    return isinstance(error, UnlikelyFigures)


def is_confirmed(data) -> bool:
    """Did the posted ``data`` confirm the unlikely figures (the «Подтверждаю» checkbox)?"""
    return data.get(CONFIRM_FIELD) == "1"


class Findings:
    """What the checks of one save found, by key: impossible and unlikely figures.

    A message does not name its row: the page shows it at the row, which the row's label
    names already («Тимофеев Кирилл Михайлович (6103): Часы: 400,0 ч — …», not the worker
    twice). ``labels`` (key → a name, «Тимофеев К.М.») name the rows where nothing else
    does: in the history's reason of the unlikely figures confirmed."""

    def __init__(self, *, by_field: bool = False, labels: dict | None = None):
        self.by_field = by_field
        self.labels = labels or {}
        self.impossible: dict = defaultdict(list)
        self.unlikely: dict = defaultdict(list)

    def refuse(self, key, message: str) -> None:
        self.impossible[key].append(message)

    def doubt(self, key, message: str) -> None:
        self.unlikely[key].append(message)

    def settle(self, *, confirmed: bool) -> list[str]:
        """Raise :class:`RowErrors` for impossible figures, :class:`UnlikelyFigures` for
        unlikely ones not ``confirmed``; return the unlikely ones confirmed (for
        :func:`confirmed_reason`)."""
        if self.impossible:
            raise RowErrors(dict(self.impossible), by_field=self.by_field)
        if self.unlikely and not confirmed:
            raise UnlikelyFigures(dict(self.unlikely), by_field=self.by_field)
        return [
            f"{self.labels[key]}: {message}" if key in self.labels else message
            for key, messages in self.unlikely.items()
            for message in messages
        ]


def confirmed_reason(notes: list[str], reason: str = "") -> str:
    """The history's reason of a write with unlikely figures confirmed (``notes``)."""
    if not notes:
        return reason
    confirmed = _("Подтверждены маловероятные цифры: %(what)s") % {"what": " ".join(notes)}
    return f"{reason}. {confirmed}" if reason else confirmed


def num(value: Decimal, places: int = 1) -> str:
    """A figure for a message: localized, grouped, half-up at ``places``."""
    quantum = Decimal(1).scaleb(-places)
    return number_format(value.quantize(quantum, ROUND_HALF_UP), places, force_grouping=True)


def check_hours(
    findings: Findings,
    key,
    hours: Decimal | None,
    *,
    fund: Decimal,
    share: Decimal = Decimal(1),
    absence: Decimal | None = None,
    who: str = "",
) -> None:
    """Worked hours (and, given, hours of absence) against the month's fund ``fund`` for
    the ``share`` of the month the worker was employed.

    Impossible: hours in a month the worker was not employed; worked and absent hours
    together over the fund's share by more than :data:`OVERTIME_MAX_HOURS`. Unlikely:
    worked and absent hours together over the fund's share by more than
    :data:`USUAL_OVERTIME_SHARE` of it (much overtime, or more absence than the fund
    holds)."""
    hours = hours or Decimal(0)
    absence = absence or Decimal(0)
    prefix = f"{who}: " if who else ""
    if hours + absence <= 0:
        return
    if share <= 0:
        findings.refuse(
            key,
            prefix + _("в этом месяце рабочий не состоял в штате (см. даты приёма и увольнения)."),
        )
        return
    usual = fund * share
    most = usual + OVERTIME_MAX_HOURS
    if hours + absence > most:
        findings.refuse(
            key,
            prefix
            + _(
                "%(hours)s ч — больше, чем может быть: фонд месяца %(fund)s ч и не больше "
                "%(overtime)s ч сверхурочных (ст. 99 ТК РФ), всего не больше %(most)s ч."
            )
            % {
                "hours": num(hours + absence),
                "fund": num(usual),
                "overtime": num(OVERTIME_MAX_HOURS, 0),
                "most": num(most),
            },
        )
    elif hours + absence > usual * (1 + USUAL_OVERTIME_SHARE):
        findings.doubt(
            key,
            prefix
            + _(
                "%(hours)s ч (с неявками) больше фонда рабочего времени месяца %(fund)s ч: "
                "проверьте цифру и подтвердите её."
            )
            % {"hours": num(hours + absence), "fund": num(usual)},
        )
