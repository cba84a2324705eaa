"""Org-technical measures (§5, tables 20–21) and the savings account: writes.

Writes (``measure_*``, ``savings_*``) check the user's right on the object, lock the row
they change, run ``full_clean()`` — which refuses a measure whose year's December is
closed and a saving in a closed month (:class:`~enterprise.tracking.PeriodClosedError`)
— and record who did it through :func:`~enterprise.tracking.acting_as`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.models import Period, Worker
from enterprise.models.history import HistoryRecord
from enterprise.permissions import require
from enterprise.tracking import acting_as, record_history

from .models import TRANSITIONS, OrgMeasure, SavingsEntry
from .selectors import default_headcount

M = OrgMeasure.Status


def _check_authors(measure: OrgMeasure, authors, kept_ids=frozenset()) -> list[Worker]:
    """Authors are workers of the measure's section (those already named may stay when
    they have moved since)."""
    authors = list(authors)
    strangers = [w for w in authors if w.section_id != measure.section_id and w.pk not in kept_ids]
    if strangers:
        raise ValidationError(
            {
                "authors": _("Авторы и участники — рабочие участка мероприятия: %(names)s.")
                % {"names": ", ".join(w.short_name for w in strangers)}
            }
        )
    return authors


def _record_authors(measure: OrgMeasure, before: list[Worker], after: list[Worker]) -> None:
    """Many-to-many changes are not tracked by the model: write them into the history."""
    if {w.pk for w in before} == {w.pk for w in after}:
        return
    label = str(OrgMeasure._meta.get_field("authors").verbose_name)

    def names(workers):
        return ", ".join(sorted(w.short_name for w in workers)) or "—"

    record_history([(measure, HistoryRecord.Action.UPDATE, {label: [names(before), names(after)]})])


@transaction.atomic
def measure_create(*, measure: OrgMeasure, authors=(), user) -> OrgMeasure:
    """A new measure of a section (planned); the headcount defaults to the section's
    active workers."""
    measure.enterprise_id = measure.section.shop.enterprise_id
    require(user, "measure.edit", measure)
    if measure.headcount is None:
        measure.headcount = default_headcount(measure.section) or None
        if measure.headcount is None:
            raise ValidationError(
                {"headcount": _("На участке нет работающих: укажите численность подразделения.")}
            )
    measure.status = M.PLANNED
    measure.completed_on = None
    authors = _check_authors(measure, authors)
    with acting_as(user):
        measure.full_clean()
        measure.save()
        measure.authors.set(authors)
        _record_authors(measure, [], authors)
    return measure


@transaction.atomic
def measure_update(
    *, measure: OrgMeasure, authors, user, version: str = "", fields: tuple[str, ...] = ()
) -> OrgMeasure:
    """Save the measure's description and figures (not its status: see
    :func:`measure_set_status`).

    ``version`` is the one the form was opened with (:mod:`enterprise.versions`, over
    ``fields``): a measure someone else changed meanwhile is refused, saying what changed.
    """
    stored = (
        OrgMeasure.objects.select_for_update().select_related("section__shop").get(pk=measure.pk)
    )
    require(user, "measure.edit", stored)
    versions.check(version, ([stored], fields))
    measure.enterprise_id = measure.section.shop.enterprise_id
    require(user, "measure.edit", measure)  # and where it goes, if the section changes
    measure.status, measure.completed_on = stored.status, stored.completed_on
    before = list(stored.authors.all())
    authors = _check_authors(measure, authors, kept_ids={w.pk for w in before})
    with acting_as(user):
        measure.full_clean()
        measure.save()
        measure.authors.set(authors)
        _record_authors(measure, before, authors)
    return measure


@transaction.atomic
def measure_set_status(
    *, measure: OrgMeasure, status: str, completed_on: datetime.date | None = None, user
) -> OrgMeasure:
    """Move the measure along planned → in progress → done (on ``completed_on``) or to
    cancelled."""
    measure = (
        OrgMeasure.objects.select_for_update().select_related("section__shop").get(pk=measure.pk)
    )
    require(user, "measure.edit", measure)
    if status not in TRANSITIONS.get(measure.status, ()):
        raise ValidationError(
            {
                "status": _("Мероприятие «%(status)s» нельзя перевести в «%(to)s».")
                % {"status": measure.get_status_display(), "to": M(status).label}
                if status in M.values
                else _("Нет такого состояния.")
            }
        )
    if status == M.DONE:
        if completed_on is None:
            raise ValidationError({"completed_on": _("Укажите дату внедрения.")})
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("Дата внедрения не может быть в будущем.")})
        measure.completed_on = completed_on
    else:
        measure.completed_on = None
    measure.status = status
    with acting_as(user):
        measure.full_clean()
        measure.save()
    return measure


# --- savings: writes -------------------------------------------------------------------------


@transaction.atomic
def savings_add(
    *,
    worker: Worker,
    period: Period,
    kind: str,
    amount: Decimal,
    description: str,
    measure: OrgMeasure | None = None,
    user,
) -> SavingsEntry:
    """Credit a saving to the worker's account in an open month."""
    require(user, "savings.edit", worker)
    errors = {}
    if period.enterprise_id != worker.enterprise_id:
        errors["period"] = _("Месяц другого предприятия.")
    if measure is not None and measure.enterprise_id != worker.enterprise_id:
        errors["measure"] = _("Мероприятие другого предприятия.")
    if errors:
        raise ValidationError(errors)
    entry = SavingsEntry(
        enterprise_id=worker.enterprise_id,
        worker=worker,
        period=period,
        kind=kind,
        amount=amount,
        description=description,
        measure=measure,
        recorded_by=user,
    )
    with acting_as(user):
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def savings_delete(*, entry: SavingsEntry, user) -> None:
    """Remove an entry of an open month (a closed month's entries stay)."""
    entry = (
        SavingsEntry.objects.select_for_update()
        .select_related("worker__section", "period")
        .get(pk=entry.pk)
    )
    require(user, "savings.edit", entry)
    with acting_as(user):
        entry.delete()


@transaction.atomic
def measures_carry(*, period: Period, target: Period, pks, user) -> int:
    """Measures not done when their year's December closes go on in the next year's list
    (the year of ``target``), each with a history record of the move."""
    if target.year <= period.year or target.is_closed:
        raise ValidationError(_("Мероприятия переносят на следующий год."))
    measures = OrgMeasure.objects.select_for_update().filter(
        pk__in=list(pks),
        enterprise_id=period.enterprise_id,
        year=period.year,
        status__in=(M.PLANNED, M.IN_PROGRESS),
    )
    reason = _("Перенесено с %(from)s на %(to)s год: не внедрено к концу года") % {
        "from": period.year,
        "to": target.year,
    }
    moved = 0
    with acting_as(user, reason=reason):
        for measure in measures.order_by("pk"):
            measure.year = target.year
            measure.save()
            moved += 1
    return moved
