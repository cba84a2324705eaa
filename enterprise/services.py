"""Writes of the platform: each a keyword-only, atomic function named <entity>_<action>.

Who may call which is the views' question (``enterprise.permissions``, asked through
``enterprise.web.allow``); a service refuses what breaks a rule of the data itself —
it validates with ``full_clean()``, keeps the closed-period rule (through the tracked
models), keeps duties apart (nobody decides his own request) and attributes the change
to the user in the history.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import closing, duties, versions
from .models import Period, PeriodReopening, StepScale, StepScaleRow, TariffRate, Worker
from .permissions import ACTIONS
from .tracking import acting_as


def _month_label(period: Period) -> str:
    return f"{period.month:02d}.{period.year}"


@transaction.atomic
def period_close(
    *, period: Period, user, carry: Mapping[str, Iterable[int]] | None = None
) -> Period:
    """Close a month: from now on nothing dated in it changes.

    Every document of the month still open (``enterprise.closing``) must be finished or
    ticked in ``carry`` (kind code → pks) to go on in the next open month; otherwise
    the close is refused with the count per kind. The carried ones move there (each
    with a history record), then the month's workers are written down as its documents
    will print them.
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("Период «%(period)s» уже закрыт.") % {"period": period})
    earlier_open = Period.objects.filter(
        enterprise_id=period.enterprise_id, status=Period.Status.OPEN
    ).filter(year__lt=period.year) | Period.objects.filter(
        enterprise_id=period.enterprise_id,
        status=Period.Status.OPEN,
        year=period.year,
        month__lt=period.month,
    )
    first_open = earlier_open.order_by("year", "month").first()
    if first_open is not None:
        raise ValidationError(
            _("Сначала закройте более ранний период «%(period)s».") % {"period": first_open}
        )
    reviews = closing.review(period, carry)
    refusal = closing.left_open_message(period, reviews)
    if refusal:
        raise ValidationError(refusal, code="unfinished")
    to_carry = [r for r in reviews if r.carried]
    if to_carry:
        target = closing.next_period(period)
        if target is None or target.is_closed:
            raise ValidationError(
                _(
                    "Переносить некуда: заведите следующий месяц после «%(period)s» "
                    "и закройте этот после него."
                )
                % {"period": period}
            )
        reason = _("Перенесено из %(from)s в %(to)s при закрытии месяца") % {
            "from": _month_label(period),
            "to": _month_label(target),
        }
        with acting_as(user, reason):
            for r in to_carry:
                r.kind.carry(period=period, target=target, pks=sorted(r.carried), user=user)
    closing.take_worker_snapshot(period)
    period.status = Period.Status.CLOSED
    period.closed_by = user
    period.closed_at = timezone.now()
    with acting_as(user, _("Закрытие периода")):
        period.full_clean()
        period.save()
    return period


@transaction.atomic
def period_request_reopen(*, period: Period, user, reason: str) -> PeriodReopening:
    """Ask to reopen a closed month; someone else decides."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise ValidationError(_("Период «%(period)s» не закрыт.") % {"period": period})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину открытия периода.")})
    if period.reopenings.filter(status=PeriodReopening.Status.REQUESTED).exists():
        raise ValidationError(
            _("По периоду «%(period)s» уже есть запрос, ожидающий решения.") % {"period": period}
        )
    request = PeriodReopening(period=period, reason=reason, requested_by=user)
    with acting_as(user, reason):
        request.full_clean()
        request.save()
    return request


@transaction.atomic
def period_decide_reopen(
    *, reopening: PeriodReopening, user, approve: bool, comment: str = ""
) -> PeriodReopening:
    """Approve (the month opens) or reject a request; never by the one who asked, nor by
    someone whose account or deciding role the requester made (``enterprise.duties``)."""
    reopening = (
        PeriodReopening.objects.select_for_update().select_related("period").get(pk=reopening.pk)
    )
    problem = duties.decider_dependence(
        user,
        reopening.requested_by_id,
        roles=ACTIONS["period.decide_reopen"],
        enterprise_id=reopening.period.enterprise_id,
    )
    if problem:
        raise ValidationError(problem, code="same_person")
    if reopening.status != PeriodReopening.Status.REQUESTED:
        raise ValidationError(_("По этому запросу решение уже принято."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Укажите, почему запрос отклонён.")})
    reopening.status = (
        PeriodReopening.Status.APPROVED if approve else PeriodReopening.Status.REJECTED
    )
    reopening.decided_by = user
    reopening.decided_at = timezone.now()
    reopening.decision_comment = comment
    with acting_as(user, reopening.reason if approve else comment):
        reopening.full_clean()
        reopening.save()
        if approve:
            period = Period.objects.select_for_update().get(pk=reopening.period_id)
            period.status = Period.Status.OPEN
            period.closed_by = None
            period.closed_at = None
            period._reopen_approved = True
            period.save()  # its workers written down at the close go (Period.save)
            for hook in closing.REOPEN_HOOKS:
                transaction.on_commit(functools.partial(hook, period, user))
    return reopening


@transaction.atomic
def worker_save(*, worker: Worker, user, version: str = "", fields: tuple[str, ...] = ()) -> Worker:
    """Create or change a worker record (personnel data, grade, section).

    ``version``: the record's (over ``fields``) when the form was opened
    (:mod:`enterprise.versions`); a record changed meanwhile is refused, saying what
    changed."""
    if worker.pk is not None:
        stored = Worker.objects.select_for_update().get(pk=worker.pk)
        versions.check(version, ([stored], fields))
    with acting_as(user):
        worker.full_clean()
        try:
            with transaction.atomic():
                worker.save()
        except IntegrityError:
            # Someone took the number between the check and the save.
            raise ValidationError(
                {"personnel_number": _("Рабочий с таким табельным номером уже есть.")}
            ) from None
    return worker


@transaction.atomic
def tariff_rate_save(*, rate: TariffRate, user) -> TariffRate:
    """Add or correct a tariff rate; a rate of a closed month is refused."""
    with acting_as(user):
        rate.full_clean()
        rate.save()
    return rate


@dataclass(frozen=True)
class ScaleRowIn:
    """A range of a step scale as edited: ``pk`` of the stored row (None: a new one);
    ``delete`` — remove the stored row."""

    lower: Decimal | None
    upper: Decimal | None
    value: Decimal | None
    pk: int | None = None
    delete: bool = False


STEP_SCALE_FIELDS = ("name", "code", "argument_label", "value_label", "description")
STEP_ROW_FIELDS = ("lower", "upper", "value")


def step_scale_version(scale: StepScale) -> str:
    """The version of a scale and its ranges a page shows (:mod:`enterprise.versions`)."""
    if scale.pk is None:
        return ""
    return versions.stamp(([scale], STEP_SCALE_FIELDS), (scale.rows.all(), STEP_ROW_FIELDS))


@transaction.atomic
def step_scale_save(
    *, scale: StepScale, rows: list[ScaleRowIn], user, version: str = ""
) -> StepScale:
    """Save a step scale and the changes of its ranges together, or nothing.

    ``version``: the scale's and its ranges' when the page was drawn
    (:func:`step_scale_version`); if someone saved them meanwhile,
    :class:`~enterprise.versions.StaleError` says who changed what."""
    if scale.pk is not None:
        stored = StepScale.objects.select_for_update().get(pk=scale.pk)
        versions.check(
            version,
            ([stored], STEP_SCALE_FIELDS),
            (StepScaleRow.objects.filter(scale=stored), STEP_ROW_FIELDS),
        )
    with acting_as(user):
        scale.full_clean()
        scale.save()
        stored = {row.pk: row for row in scale.rows.all()} if scale.pk else {}
        for row in rows:
            if row.pk is None and row.delete:
                continue
            if row.pk is not None:
                record = stored.get(row.pk)
                if record is None:
                    raise ValidationError(
                        _("Диапазон шкалы изменили или удалили: обновите страницу.")
                    )
                if row.delete:
                    record.delete()
                    continue
            else:
                record = StepScaleRow(scale=scale)
            record.lower, record.upper, record.value = row.lower, row.upper, row.value
            record.full_clean()
            record.save()
    return scale
