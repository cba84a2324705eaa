"""The leader's surcharge of a draft (table 16): computed with its split, stored per
segment (:class:`brigades.models.Surcharge`) and paid in the leader's lines.

A leader not released from work gets 10 % (15 % in a brigade of more than 10) of the
tariff of his own grade for the hours he worked while he led the brigade. Each segment
of his month is paid at the rate in force then: a grade change is a new timesheet line
with its own hours; a new tariff rate or the start or end of his leadership inside a
line splits the line's hours by calendar days (:func:`brigades.rules.
leader_surcharge_segments`).
"""

from __future__ import annotations

from django.db import models

from enterprise.rules import month_bounds
from enterprise.tariffs import TariffGrid

from .. import rules
from ..models import Distribution, Line, Post, Surcharge

STORED = ("line_id", "date_from", "date_to", "rate", "hours", "tariff", "percent", "amount")
# What a stored segment of the same line and days takes over from its recomputed one.
UPDATED = ("rate", "hours", "tariff", "percent", "amount")


def leader_spans(distribution: Distribution) -> dict[int, list[tuple]]:
    """The spans each leader of the brigade led it within the document's month, by worker."""
    start, end = month_bounds(distribution.period.year, distribution.period.month)
    spans: dict[int, list[tuple]] = {}
    for worker_id, valid_from, valid_to in (
        Post.objects.filter(brigade_id=distribution.brigade_id, kind=Post.Kind.LEADER)
        .filter(valid_from__lte=end)
        .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))
        .values_list("worker_id", "valid_from", "valid_to")
    ):
        spans.setdefault(worker_id, []).append((valid_from, valid_to))
    return spans


def compute_surcharges(
    distribution: Distribution, lines: list[Line], spans: dict[int, list[tuple]], grid: TariffGrid
) -> list[Surcharge]:
    """The surcharge segments of a draft's ``lines`` (computed, with their membership and
    worker); sets each line's ``surcharge`` and adds it to its ``total``. No query.

    A correction carries no surcharge of its own: the corrected month's leader was paid
    his with it.
    """
    segments = []
    headcount = len({line.worker_id for line in lines})
    for line in lines:
        line.surcharge = rules.ZERO
        led = spans.get(line.worker_id)
        if not led or distribution.corrects_id is not None:
            continue
        condition = line.worker.pay_condition_id
        for segment in rules.leader_surcharge_segments(
            date_from=line.date_from,
            date_to=line.date_to,
            hours=line.hours,
            rates=grid.changes(condition, line.grade, line.date_from, line.date_to),
            led=led,
            brigade_size=headcount,
        ):
            if not segment.hours:
                continue  # a segment without hours pays nothing: not a row of the sheet
            line.surcharge += segment.amount
            segments.append(
                Surcharge(
                    distribution=distribution,
                    period_id=distribution.period_id,
                    line=line,
                    worker_id=line.worker_id,
                    date_from=segment.date_from,
                    date_to=segment.date_to,
                    rate=segment.rate,
                    hours=segment.hours,
                    tariff=segment.tariff,
                    percent=segment.percent,
                    amount=segment.amount,
                )
            )
        line.total += line.surcharge
    return segments


def segments_key(rows) -> list[tuple]:
    """What two sets of segments are compared by (their stored values, in a fixed order)."""
    return sorted(tuple(getattr(row, name) for name in STORED) for row in rows)


def store_surcharges(distribution: Distribution, segments: list[Surcharge]) -> None:
    """Bring the draft's stored segments to ``segments``: a segment of the same line and
    days is updated in place, so that its history reads the hours and the amount changing
    (a timesheet's half hour more is one row's update, not the leader's row deleted and
    written anew); segments that are gone are deleted, new ones written. History records
    each, as for any money of the document."""
    stored = list(distribution.surcharges.all())
    if segments_key(stored) == segments_key(segments):
        return
    by_days = {(row.line_id, row.date_from, row.date_to): row for row in stored}
    changed, created = [], []
    for segment in segments:
        row = by_days.pop((segment.line_id, segment.date_from, segment.date_to), None)
        if row is None:
            created.append(segment)
        elif any(getattr(row, name) != getattr(segment, name) for name in UPDATED):
            for name in UPDATED:
                setattr(row, name, getattr(segment, name))
            changed.append(row)
    if by_days:
        Surcharge.objects.filter(pk__in=[row.pk for row in by_days.values()]).delete()
    if changed:
        Surcharge.objects.bulk_update(changed, UPDATED)
    if created:
        Surcharge.objects.bulk_create(created)
