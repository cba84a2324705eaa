"""Writes of a section's cost plan (§5, table 6): the plan and actual by article, the
month-end corrections of the plan, and the masters' explanations of deviations.

Every write checks the user's action on the section (``khz.cost``: the bureau and the
economist; ``khz.explain``: the section's master), locks the section's row (saves of one
section's month go one by one), refuses a closed month, runs ``full_clean()`` and records
who did it (:func:`~enterprise.tracking.acting_as`; the history is the models').
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.models import Period, Section
from enterprise.permissions import require
from enterprise.plausibility import RowErrors, UnlikelyFigures, confirmed_reason
from enterprise.tracking import PeriodClosedError, acting_as

from ..models import CostArticle, CostCorrection, CostLine, DeviationNote
from ..selectors.costs import articles_of
from ..selectors.months import settings_for, unlikely

COST_FIELDS = ("plan", "actual")
"""The fields of a cost line the grid edits (its version covers these)."""
NOTE_FIELDS = ("part", "article", "deviation", "explanation")  # in the form's order


@dataclass(frozen=True)
class CostPlanRow:
    """An article's line as entered: plan and actual both None — no line (a stored one is
    removed)."""

    article_id: int
    plan: Decimal | None
    actual: Decimal | None

    @property
    def clears(self) -> bool:
        return self.plan is None and self.actual is None


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _check_month(section: Section, period: Period) -> None:
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))


def _lock_section(section: Section) -> None:
    """Writes of one section's month go one by one (a new row has no lock of its own)."""
    list(Section.objects.select_for_update().filter(pk=section.pk).values_list("pk", flat=True))


def cost_lines(section: Section, period: Period):
    return CostLine.objects.filter(section=section, period=period)


def cost_plan_version(lines: Iterable[CostLine]) -> str:
    """The version of the cost grid a page shows (:mod:`enterprise.versions`)."""
    return versions.stamp((lines, COST_FIELDS))


@transaction.atomic
def cost_plan_save(
    *,
    section: Section,
    period: Period,
    rows: Iterable[CostPlanRow],
    user,
    version: str = "",
    confirmed: bool = False,
) -> SaveResult:
    """The plan and actual of every article of a section's month, saved whole or not at all.

    An actual entered or changed that is farther from the article's recalculated plan
    than the plant's ``unlikely_ratio`` (either way) is refused as
    :class:`UnlikelyFigures` until ``confirmed`` — before anyone else sees it.

    A row with a plan creates or updates the article's line; a row without plan and
    actual removes it; an actual without a plan is refused. Errors come back by article id
    (:class:`RowErrors`). ``version``: the grid's when the page was drawn; a grid someone
    saved meanwhile is refused (:class:`~enterprise.versions.StaleError`).
    """
    require(user, "khz.cost", section)
    _check_month(section, period)
    rows = list(rows)
    _lock_section(section)
    stored = {
        line.article_id: line
        for line in cost_lines(section, period).select_for_update().select_related("article")
    }
    versions.check(version, (list(stored.values()), COST_FIELDS))
    articles = {a.pk: a for a in articles_of(period.enterprise_id)}
    corrections: dict[int, Decimal] = {}
    for article_id, amount in CostCorrection.objects.filter(
        section=section, period=period
    ).values_list("article_id", "amount"):
        corrections[article_id] = corrections.get(article_id, Decimal(0)) + amount
    ratio = settings_for(section.shop.enterprise).unlikely_ratio
    far: dict[int, list[str]] = {}
    errors: dict[int, list[str]] = {}
    seen = set()
    to_save, to_delete = [], []
    result = SaveResult()
    for row in rows:
        article = articles.get(row.article_id)
        if article is None:
            errors[row.article_id] = [_("Статья не из справочника предприятия.")]
            continue
        if row.article_id in seen:
            errors[row.article_id] = [_("Статья в таблице дважды.")]
            continue
        seen.add(row.article_id)
        line = stored.get(row.article_id)
        if row.clears:
            if line is not None:
                to_delete.append(line)
            continue
        if row.plan is None:
            errors[row.article_id] = [_("Укажите план: факт без плана не с чем сравнить.")]
            continue
        if line is None:
            line = CostLine(section=section, period=period, article=article)
        elif line.plan == row.plan and line.actual == row.actual:
            continue
        plan = row.plan + corrections.get(row.article_id, Decimal(0))
        changed = line.pk is None or line.actual != row.actual or line.plan != row.plan
        if changed and unlikely(plan, row.actual, ratio):
            far[row.article_id] = [
                _(
                    "Факт %(actual)s далёк от пересчитанного плана %(plan)s: проверьте "
                    "цифру и подтвердите её."
                )
                % {
                    "actual": number_format(row.actual, 2, force_grouping=True),
                    "plan": number_format(plan, 2, force_grouping=True),
                }
            ]
        line.plan, line.actual = row.plan, row.actual
        try:
            line.full_clean()
        except ValidationError as error:
            errors[row.article_id] = error.messages
            continue
        to_save.append(line)
    if errors:
        raise RowErrors(errors)
    if far and not confirmed:
        raise UnlikelyFigures(far)
    notes = [message for messages in far.values() for message in messages]
    with acting_as(user, confirmed_reason(notes)):
        for line in to_save:
            if line.pk is None:
                result.created += 1
            else:
                result.updated += 1
            line.save()
        for line in to_delete:
            line.delete()
            result.deleted += 1
    return result


@transaction.atomic
def cost_correction_add(
    *,
    section: Section,
    period: Period,
    article: CostArticle,
    amount: Decimal,
    reason: str,
    user,
) -> CostCorrection:
    """A month-end correction of an article's plan for a cause outside the section:
    + raises the plan, − lowers it. The reason is required; the author is ``user``."""
    require(user, "khz.cost", section)
    _check_month(section, period)
    if article.enterprise_id != period.enterprise_id:
        raise ValidationError({"article": _("Статья не из справочника предприятия.")})
    _lock_section(section)
    correction = CostCorrection(
        section=section,
        period=period,
        article=article,
        amount=amount,
        reason=(reason or "").strip(),
        author=user,
    )
    with acting_as(user):
        correction.full_clean()
        correction.save()
    return correction


@transaction.atomic
def cost_correction_delete(*, correction: CostCorrection, user) -> None:
    """Remove a correction: by its author, while its month is open."""
    correction = (
        CostCorrection.objects.select_for_update()
        .select_related("section__shop", "period")
        .get(pk=correction.pk)
    )
    require(user, "khz.cost", correction.section)
    if correction.author_id != user.pk:
        raise PermissionDenied(_("Удалить поправку может только тот, кто её внёс."))
    if correction.period.is_closed:
        raise PeriodClosedError(str(correction.period))
    with acting_as(user):
        correction.delete()


def note_version(note: DeviationNote) -> str:
    return versions.stamp(([note], NOTE_FIELDS))


@transaction.atomic
def deviation_note_add(
    *,
    section: Section,
    period: Period,
    article: CostArticle,
    part: str,
    deviation: Decimal,
    explanation: str,
    user,
) -> DeviationNote:
    """The master's explanation of a deviation of a part by an article."""
    require(user, "khz.explain", section)
    _check_month(section, period)
    if article.enterprise_id != period.enterprise_id:
        raise ValidationError({"article": _("Статья не из справочника предприятия.")})
    _lock_section(section)
    note = DeviationNote(
        section=section,
        period=period,
        article=article,
        part=(part or "").strip(),
        deviation=deviation,
        explanation=(explanation or "").strip(),
        author=user,
    )
    with acting_as(user):
        note.full_clean()
        note.save()
    return note


@transaction.atomic
def deviation_note_edit(
    *,
    note: DeviationNote,
    article: CostArticle,
    part: str,
    deviation: Decimal,
    explanation: str,
    user,
    version: str = "",
) -> DeviationNote:
    """Change one's own explanation while its month is open. ``version``: the note's when
    the form was opened; a note changed meanwhile is refused, saying what changed."""
    stored = (
        DeviationNote.objects.select_for_update()
        .select_related("section__shop", "period")
        .get(pk=note.pk)
    )
    require(user, "khz.explain", stored.section)
    if stored.author_id != user.pk:
        raise PermissionDenied(_("Изменить объяснение может только мастер, который его написал."))
    _check_month(stored.section, stored.period)
    if article.enterprise_id != stored.period.enterprise_id:
        raise ValidationError({"article": _("Статья не из справочника предприятия.")})
    versions.check(version, ([stored], NOTE_FIELDS))
    stored.article = article
    stored.part = (part or "").strip()
    stored.deviation = deviation
    stored.explanation = (explanation or "").strip()
    with acting_as(user):
        stored.full_clean()
        stored.save()
    return stored
