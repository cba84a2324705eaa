"""Reads of a section's cost plan (§5, table 6): the plan, its month-end corrections, the
recalculated plan and the actual, and the masters' explanations of deviations.

The actual is compared with the *recalculated* plan (plan + corrections), never with the
original one. A deviation is ``actual − recalculated plan``: negative — saved, positive —
overspent. Everything is ``Decimal`` rubles with two places, summed exactly (no rounding:
each figure is stored with two places).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from enterprise.models import HistoryRecord, Period, Section
from enterprise.money import ZERO

from ..models import CostArticle, CostCorrection, CostLine, DeviationNote

__all__ = [
    "CostRow",
    "CostTable",
    "CostTotals",
    "articles_of",
    "build_table",
    "corrections_of",
    "cost_table",
    "cost_tables",
    "deviation_notes_of",
]


@dataclass(frozen=True)
class CostRow:
    """One article of a section's month.

    ``plan`` — as set (0,00 when no plan was set); ``corrections`` — the sum of the month's
    corrections of the article; ``recalculated`` — plan + corrections; ``actual`` — None
    while not entered; ``deviation`` — actual − recalculated (None without an actual).
    """

    article: CostArticle
    line: CostLine | None
    plan: object
    corrections: object
    recalculated: object
    actual: object
    deviation: object

    @property
    def saved(self) -> bool:
        return self.deviation is not None and self.deviation < 0

    @property
    def overspent(self) -> bool:
        return self.deviation is not None and self.deviation > 0

    @property
    def empty(self) -> bool:
        """No plan, no correction, no actual: an article the month does not use."""
        return self.line is None and not self.corrections


@dataclass(frozen=True)
class CostTotals:
    """Sums over some articles: ``plan``, ``corrections``, ``recalculated`` over all of
    them; ``actual`` and ``deviation`` over those with an actual (None: none has one)."""

    plan: object
    corrections: object
    recalculated: object
    actual: object
    deviation: object


def _totals(rows: list[CostRow]) -> CostTotals:
    actuals = [r.actual for r in rows if r.actual is not None]
    deviations = [r.deviation for r in rows if r.deviation is not None]
    return CostTotals(
        plan=sum((r.plan for r in rows), ZERO),
        corrections=sum((r.corrections for r in rows), ZERO),
        recalculated=sum((r.recalculated for r in rows), ZERO),
        actual=sum(actuals, ZERO) if actuals else None,
        deviation=sum(deviations, ZERO) if deviations else None,
    )


@dataclass(frozen=True)
class CostTable:
    """The cost plan of a section's month with its totals.

    Totals: ``plan``, ``corrections`` and ``recalculated`` over every article; ``actual``
    over the articles with an actual (None when none has one); ``deviation`` — the sum of
    the rows' deviations, i.e. actual − recalculated plan of the articles with an actual
    (None when none has one). ``complete``: every article with a plan or a correction has
    its actual.
    """

    rows: list[CostRow]
    plan: object
    corrections: object
    recalculated: object
    actual: object
    deviation: object
    complete: bool

    @property
    def saved(self) -> bool:
        return self.deviation is not None and self.deviation < 0

    @property
    def overspent(self) -> bool:
        return self.deviation is not None and self.deviation > 0

    def row(self, article_id: int) -> CostRow | None:
        return next((r for r in self.rows if r.article.pk == article_id), None)

    @property
    def materials(self) -> CostTotals:
        """The totals of the articles the competition compares as materials (table 8)."""
        return _totals([r for r in self.rows if r.article.materials])


def articles_of(enterprise_id: int):
    """The enterprise's cost articles in their order."""
    return CostArticle.objects.filter(enterprise_id=enterprise_id).order_by("order", "name", "pk")


def build_table(articles: list[CostArticle], lines: dict, corrections: dict) -> CostTable:
    """The table from what was read: ``lines`` — article id → a row with ``plan`` and
    ``actual``; ``corrections`` — article id → their sum. No queries (the close builds
    every section's table from its own reads)."""
    rows = []
    for article in articles:
        line = lines.get(article.pk)
        plan = line.plan if line is not None else ZERO
        correction = corrections.get(article.pk, ZERO)
        recalculated = plan + correction
        actual = line.actual if line is not None else None
        deviation = None if actual is None else actual - recalculated
        rows.append(CostRow(article, line, plan, correction, recalculated, actual, deviation))
    totals = _totals(rows)
    return CostTable(
        rows=rows,
        plan=totals.plan,
        corrections=totals.corrections,
        recalculated=totals.recalculated,
        actual=totals.actual,
        deviation=totals.deviation,
        complete=all(r.actual is not None for r in rows if not r.empty),
    )


def cost_tables(section_ids: Iterable[int], period: Period) -> dict[int, CostTable]:
    """:func:`cost_table` of several sections of one month, in three queries whatever
    their number (the monthly close reads every section so)."""
    section_ids = list(section_ids)
    articles = list(articles_of(period.enterprise_id))
    lines: dict[int, dict] = defaultdict(dict)
    for line in CostLine.objects.filter(section_id__in=section_ids, period=period):
        lines[line.section_id][line.article_id] = line
    # Summed here, not by the database: SQLite keeps decimals as floats.
    corrections: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for section_id, article_id, amount in CostCorrection.objects.filter(
        section_id__in=section_ids, period=period
    ).values_list("section_id", "article_id", "amount"):
        corrections[section_id][article_id] += amount
    return {
        section_id: build_table(articles, lines[section_id], corrections[section_id])
        for section_id in section_ids
    }


def cost_table(section: Section, period: Period) -> CostTable:
    """The cost plan of ``section``'s month ``period``: a row per article of the
    enterprise (plan, corrections, recalculated plan, actual, deviation) and the totals.

    Example (§5): materials planned at 1 000,00, corrected by +120,50 (metal dearer than
    planned), actual 1 100,00 → recalculated 1 120,50, deviation −20,50 (saved).
    """
    return cost_tables([section.pk], period)[section.pk]


@dataclass(frozen=True)
class CorrectionEntry:
    correction: CostCorrection
    at: object  # when it was made (from its history), None if not recorded


def corrections_of(section: Section, period: Period) -> list[CorrectionEntry]:
    """The month's corrections with their author and the moment they were made (the
    history's record of their creation), in the order made."""
    corrections = list(
        CostCorrection.objects.filter(section=section, period=period)
        .select_related("article", "author")
        .order_by("pk")
    )
    made = {}
    if corrections:
        content_type = ContentType.objects.get_for_model(CostCorrection)
        for object_pk, at in HistoryRecord.objects.filter(
            content_type=content_type,
            object_pk__in=[str(c.pk) for c in corrections],
            action=HistoryRecord.Action.CREATE,
        ).values_list("object_pk", "at"):
            made[object_pk] = at
    return [CorrectionEntry(c, made.get(str(c.pk))) for c in corrections]


def deviation_notes_of(section: Section, period: Period) -> list[DeviationNote]:
    """The masters' explanations of the month's deviations, by part and article."""
    return list(
        DeviationNote.objects.filter(section=section, period=period)
        .select_related("article", "author")
        .order_by("part", "article__order", "pk")
    )
