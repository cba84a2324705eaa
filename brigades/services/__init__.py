"""Writes of the brigades app: membership over time, the month's document and its split
(the enterprise's KTU regulation: :mod:`.regulation`).

Who may act is asked by the views (``enterprise.web.allow``, :mod:`brigades.permissions`)
before they call a service; a service refuses only what breaks a rule of the document
itself (its state, its month, approving one's own draft). Each runs in one transaction,
writes through the tracked models (so closed months refuse and history records who, when
and what) and leaves the document computed: the lines' shares are recalculated from
the timesheet, the KTU and the earnings on every change of a draft.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise import plausibility, versions
from enterprise.models import Period, Profession, Worker
from enterprise.money import ONE, ZERO
from enterprise.rules import month_bounds
from enterprise.tracking import PeriodClosedError, acting_as, closed_month_on

from .. import plausibility as brigade_plausibility
from .. import rules
from ..models import Brigade, Distribution, Ktu, KtuCriterion, Line, Membership, Post
from ..models.distributions import OPEN_CORRECTION
from ..permissions import approve_refusal
from ..selectors import check_totals
from .drafts import assert_draft, locked
from .regulation import (  # noqa: F401  (the enterprise's KTU regulation, re-exported)
    CriterionIn,
    ktu_settings_save,
    ktu_settings_version,
)
from .split import (  # noqa: F401  (the split, re-exported)
    LINE_COMPUTED,
    assign_grades,
    compute_figures,
    distribution_compute,
    line_rate,
    month_grid,
    tariff_total_of,
)

DAY = datetime.timedelta(days=1)


# --- brigades and membership ------------------------------------------------------------


@transaction.atomic
def brigade_save(*, brigade: Brigade, user) -> Brigade:
    with acting_as(user):
        brigade.full_clean()
        brigade.save()
    return brigade


@transaction.atomic
def membership_add(
    *,
    brigade: Brigade,
    worker: Worker,
    valid_from: datetime.date,
    grade: int | None = None,
    profession: Profession | None = None,
    conditional_grade: int | None = None,
    user,
) -> Membership:
    """A worker joins the brigade on ``valid_from`` (grade and profession: his own)."""
    membership = Membership(
        brigade=brigade,
        worker=worker,
        valid_from=valid_from,
        grade=grade or worker.grade,
        profession=profession or worker.profession,
        conditional_grade=conditional_grade,
    )
    with acting_as(user), closed_month_on("valid_from"):
        membership.full_clean()
        membership.save()
        _add_to_open_drafts(brigade, [membership])
    return membership


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    on: datetime.date,
    grade: int,
    profession: Profession,
    conditional_grade: int | None,
    user,
) -> Membership:
    """From ``on``, the member works at a new grade: the stretch ends the day before."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (membership.grade, membership.profession_id, membership.conditional_grade) == (
        grade,
        profession.pk,
        conditional_grade,
    ):
        raise ValidationError(_("Ничего не изменилось."))
    if not membership.covers(on):
        raise ValidationError({"on": _("В этот день рабочий не состоит в бригаде.")})
    with acting_as(user), closed_month_on("on"):
        if on == membership.valid_from:
            membership.grade, membership.profession = grade, profession
            membership.conditional_grade = conditional_grade
            membership.full_clean()
            membership.save()
            _refresh_drafts(membership.brigade)
            return membership
        follower = Membership(
            brigade=membership.brigade,
            worker=membership.worker,
            valid_from=on,
            valid_to=membership.valid_to,
            grade=grade,
            profession=profession,
            conditional_grade=conditional_grade,
        )
        membership.valid_to = on - DAY
        membership.full_clean()
        membership.save()
        follower.full_clean()
        follower.save()
        # The old stretch's line ends the day before, the new one gets its own line.
        _refresh_drafts(membership.brigade)
    return follower


@transaction.atomic
def membership_end(*, membership: Membership, on: datetime.date, user) -> Membership:
    """The member leaves the brigade; ``on`` is his last day in it."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if on < membership.valid_from:
        raise ValidationError({"on": _("Дата выхода раньше даты вступления.")})
    with acting_as(user), closed_month_on("on"):
        membership.valid_to = on
        membership.full_clean()
        membership.save()
        _refresh_drafts(membership.brigade)
    return membership


@transaction.atomic
def post_assign(*, brigade: Brigade, worker: Worker, kind: str, valid_from, user) -> Post:
    """Appoint the leader (the previous one's term ends the day before) or a council member."""
    if (
        not brigade.memberships.filter(worker=worker)
        .filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=valid_from),
            valid_from__lte=valid_from,
        )
        .exists()
    ):
        raise ValidationError({"worker": _("Рабочий не состоит в бригаде на эту дату.")})
    with acting_as(user), closed_month_on("valid_from"):
        if kind == Post.Kind.LEADER:
            for current in (
                Post.objects.select_for_update()
                .filter(brigade=brigade, kind=kind, valid_from__lt=valid_from)
                .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=valid_from))
            ):
                current.valid_to = valid_from - DAY
                current.save()
        post = Post(brigade=brigade, worker=worker, kind=kind, valid_from=valid_from)
        post.full_clean()
        post.save()
    return post


@transaction.atomic
def post_end(*, post: Post, on: datetime.date, user) -> Post:
    if on < post.valid_from:
        raise ValidationError({"on": _("Дата окончания раньше даты начала.")})
    with acting_as(user), closed_month_on("on"):
        post.valid_to = on
        post.full_clean()
        post.save()
    return post


# --- the month's document -----------------------------------------------------------------


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


def _add_to_open_drafts(brigade: Brigade, memberships: Iterable[Membership]) -> None:
    """Memberships that overlap a month whose draft is open get their lines there."""
    memberships = list(memberships)
    for distribution in _open_drafts(brigade):
        start, end = month_bounds(distribution.period.year, distribution.period.month)
        new = [m for m in memberships if m.overlaps(start, end)]
        if new:
            _create_lines(distribution, new, start, end)
            distribution_compute(distribution)


def _refresh_drafts(brigade: Brigade) -> None:
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
    findings = plausibility.Findings()
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
                who=worker.short_name,
            )
            brigade_plausibility.check_output(findings, line.pk, line, who=worker.short_name)
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


# --- sign-off -------------------------------------------------------------------------------


@transaction.atomic
def distribution_agree(*, distribution: Distribution, minutes: str, user) -> Distribution:
    """The leader (or master) records that the brigade council agreed the split."""
    distribution = locked(distribution)
    assert_draft(distribution)
    with acting_as(user):
        distribution_compute(distribution)
        problems = check_totals(distribution, list(distribution.lines.all()))
        if problems:
            raise ValidationError(problems)
        distribution.status = Distribution.Status.AGREED
        distribution.agreed_by, distribution.agreed_at = user, timezone.now()
        distribution.council_minutes = minutes
        distribution.save()
    return distribution


@transaction.atomic
def distribution_approve(*, distribution: Distribution, user) -> Distribution:
    """The shop head approves: the document becomes final. Never by the one who drafted it
    or recorded the council's agreement: the approval is another person's."""
    distribution = locked(distribution)
    if distribution.status != Distribution.Status.AGREED:
        raise ValidationError(_("Утверждают распределение, согласованное советом бригады."))
    refusal = approve_refusal(user, distribution)
    if refusal:
        raise ValidationError(refusal, code="same_signer")
    with acting_as(user):
        distribution.status = Distribution.Status.APPROVED
        distribution.approved_by, distribution.approved_at = user, timezone.now()
        distribution.save()
    return distribution


@transaction.atomic
def distribution_return(*, distribution: Distribution, reason: str, user) -> Distribution:
    """Send an agreed document back to the brigade for rework, with a reason."""
    distribution = locked(distribution)
    if distribution.status != Distribution.Status.AGREED:
        raise ValidationError(_("Вернуть на доработку можно только согласованное распределение."))
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину.")})
    with acting_as(user, reason=reason):
        distribution.status = Distribution.Status.DRAFT
        distribution.agreed_by, distribution.agreed_at = None, None
        distribution.save()
    return distribution
