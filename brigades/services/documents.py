"""The month's document: opened with a timesheet line per membership stretch, corrected
by a new draft in an open month, deleted while a draft; the open drafts follow the
brigade's membership (:func:`add_to_open_drafts`, :func:`refresh_open_drafts`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from enterprise.models import Period
from enterprise.money import ZERO
from enterprise.rules import month_bounds
from enterprise.tracking import PeriodClosedError, acting_as

from ..models import Brigade, Distribution, Ktu, Line, Membership
from ..models.distributions import OPEN_CORRECTION
from .drafts import assert_draft, locked
from .split import assign_grades, distribution_compute, line_rate, month_grid


def _stretches(brigade: Brigade, start: datetime.date, end: datetime.date):
    return (
        brigade.memberships.filter(valid_from__lte=end)
        .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))
        .select_related("worker")
    )


def _new_line(distribution: Distribution, membership: Membership, start, end) -> Line:
    """The line of a membership stretch in a month (its dates and grades; no rate yet)."""
    line = Line(
        distribution=distribution,
        period_id=distribution.period_id,
        membership=membership,
        worker=membership.worker,
        date_from=max(membership.valid_from, start),
        date_to=min(membership.valid_to or end, end),
        rate=ZERO,
    )
    assign_grades(distribution, line)
    return line


def _create_lines(distribution: Distribution, memberships: Iterable[Membership], start, end):
    """Create the lines of ``memberships`` in a draft, each paid from the moment it exists
    at the rate the split pays it (:func:`.split.line_rate`): neither the sheet nor the
    history shows a new member at a rate of 0 until the draft is recomputed."""
    lines = [_new_line(distribution, membership, start, end) for membership in memberships]
    grid = month_grid(distribution, lines)
    for line in lines:
        line.rate = line_rate(line, grid)
    return Line.objects.bulk_create(lines)


def _open_drafts(brigade: Brigade):
    """The brigade's month drafts that follow its membership.

    Not a correction (its timesheet is the corrected month's, copied), and not a draft
    left in a closed month (frozen with it: a membership change that would alter that
    month is refused by the membership's own check).
    """
    return brigade.distributions.filter(
        status=Distribution.Status.DRAFT,
        corrects__isnull=True,
        period__status=Period.Status.OPEN,
    ).select_related("period")


def add_to_open_drafts(brigade: Brigade, memberships: Iterable[Membership]) -> None:
    """Memberships that overlap a month whose draft is open get their lines there."""
    memberships = list(memberships)
    for distribution in _open_drafts(brigade):
        start, end = month_bounds(distribution.period.year, distribution.period.month)
        new = [m for m in memberships if m.overlaps(start, end)]
        if new:
            _create_lines(distribution, new, start, end)
            distribution_compute(distribution)


def refresh_open_drafts(brigade: Brigade) -> None:
    """After a membership's dates or grade change, the open drafts follow."""
    for distribution in _open_drafts(brigade):
        distribution_sync(distribution)


def distribution_sync(distribution: Distribution) -> None:
    """Bring a draft's lines in line with the membership (dates, grades, new stretches)."""
    start, end = month_bounds(distribution.period.year, distribution.period.month)
    stretches = {m.pk: m for m in _stretches(distribution.brigade, start, end)}
    for line in distribution.lines.select_related("worker"):
        membership = stretches.pop(line.membership_id, None)
        if membership is None:
            line.delete()
            continue
        fresh = _new_line(distribution, membership, start, end)
        changed = [
            name
            for name in ("date_from", "date_to", "grade")
            if getattr(line, name) != getattr(fresh, name)
        ]
        if changed:
            for name in changed:
                setattr(line, name, getattr(fresh, name))
            line.save()
    if stretches:
        _create_lines(distribution, stretches.values(), start, end)
    distribution_compute(distribution)


@transaction.atomic
def distribution_open(*, brigade: Brigade, period: Period, user, method: str = "") -> Distribution:
    """Start a brigade's month: a draft with a timesheet line per membership stretch."""
    if period.enterprise_id != brigade.enterprise_id:
        raise ValidationError(_("Период другого предприятия."))
    # Locked against the month's close, which lists the open drafts under its own lock: a
    # month opened meanwhile waits for the close and is then refused as closed.
    period = Period.objects.select_for_update(no_key=True).get(pk=period.pk)
    if period.is_closed:
        raise PeriodClosedError(str(period))
    if Distribution.objects.filter(brigade=brigade, period=period, corrects=None).exists():
        raise ValidationError(_("Распределение за этот месяц уже есть."))
    start, end = month_bounds(period.year, period.month)
    stretches = list(_stretches(brigade, start, end))
    if not stretches:
        raise ValidationError(_("В этом месяце в бригаде никто не состоял."))
    with acting_as(user):
        distribution = Distribution(
            enterprise_id=brigade.enterprise_id,
            brigade=brigade,
            period=period,
            method=method or brigade.method,
            drafted_by=user,
        )
        distribution.full_clean()
        distribution.save()
        _create_lines(distribution, stretches, start, end)
        distribution_compute(distribution)
    return distribution


@transaction.atomic
def distribution_correct(*, original: Distribution, period: Period, user) -> Distribution:
    """A correction of an approved month: a new draft in an open month.

    It carries the original's timesheet and KTU; its earnings are what is added (or,
    negative, taken back) and are split by the same rule.
    """
    original = locked(original)  # parallel «correct» posts go one by one
    if original.status != Distribution.Status.APPROVED:
        raise ValidationError(_("Исправляют только утверждённое распределение."))
    if (
        Distribution.objects.filter(corrects=original)
        .exclude(status=Distribution.Status.APPROVED)
        .exists()
    ):
        raise ValidationError(OPEN_CORRECTION)
    if period.enterprise_id != original.enterprise_id:
        raise ValidationError(_("Период другого предприятия."))
    with acting_as(user):
        correction = Distribution(
            enterprise_id=original.enterprise_id,
            brigade=original.brigade,
            period=period,
            corrects=original,
            method=original.method,
            drafted_by=user,
        )
        correction.full_clean()
        try:
            with transaction.atomic():
                correction.save()
        except IntegrityError:  # the database's own guard (distribution_one_open_correction)
            raise ValidationError(OPEN_CORRECTION) from None
        lines = list(original.lines.select_related("worker"))
        for line in lines:
            line.pk = None
            line._state.adding = True
            line.distribution = correction
            line.period_id = correction.period_id
            line.tariff = line.surplus = line.bonus = line.savings = line.total = ZERO
            line.surcharge = ZERO
        Line.objects.bulk_create(lines)
        ktus = list(original.ktus.select_related("worker"))
        for ktu in ktus:
            ktu.pk = None
            ktu._state.adding = True
            ktu.distribution = correction
            ktu.period_id = correction.period_id
        Ktu.objects.bulk_create(ktus)
        distribution_compute(correction)
    return correction


@transaction.atomic
def distribution_delete(*, distribution: Distribution, user) -> Brigade:
    """Delete a draft: a month opened by mistake, or one that will not be paid by it.

    Only a draft of an open month goes (an agreed one is returned to draft first; an
    approved one is the month's pay and is corrected, never deleted). Its timesheet and
    KTU go with it; the history keeps every row deleted and who did it.
    """
    distribution = locked(distribution)
    assert_draft(distribution)
    brigade = distribution.brigade
    with acting_as(user, _("Черновик распределения удалён")):
        distribution.delete()
    return brigade
