"""The statistics' charts: the same SVG on the page and in the PDF (``enterprise.charts``).

Presentation only: it draws the figures :func:`meetings.selectors.statistics` computed,
runs no queries and no rules.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from enterprise import charts as draw

from .selectors import Statistics


def age_label(bucket) -> str:
    if bucket.high is None:
        return _("более %(n)s дн.") % {"n": bucket.low - 1}
    return _("%(a)s–%(b)s дн.") % {"a": bucket.low, "b": bucket.high}


def outcome_rows(stats: Statistics) -> list[tuple[str, str, int, Decimal | None]]:
    """(code, label, count, share of all) of the proposals' outcomes, in the source's order."""
    labels = {
        "implemented": _("внедрены"),
        "rejected": _("отклонены"),
        "dropped": _("сняты"),
        "in_progress": _("рассмотрены, ещё в работе"),
        "never_answered": _("без ответа"),
    }
    return [
        (code, label, getattr(stats.outcomes, code), stats.outcome_shares[code])
        for code, label in labels.items()
    ]


def _times(summary, term: int) -> list[Decimal | None]:
    p90 = summary.p90_answer_days
    return [summary.median_answer_days, None if p90 is None else Decimal(p90), Decimal(term)]


def charts(stats: Statistics) -> dict:
    """The SVG charts of the statistics (a missing one is None: nothing to draw)."""
    agenda = draw.bars(
        [row.label for row in stats.agenda],
        [(_("доля вопросов"), [row.share for row in stats.agenda])],
        title=_("Вопросы повестки по классам, %"),
        unit="%",
        horizontal=True,
    )
    rows = outcome_rows(stats)
    outcomes = (
        None
        if not stats.outcomes.total
        else draw.bars(
            [label for _code, label, _n, _share in rows],
            [(_("предложений"), [n for _code, _label, n, _share in rows])],
            title=_("Судьба предложений"),
            unit=_("шт."),
            horizontal=True,
            colors=[draw.GREEN],
        )
    )
    answered = stats.review.answered or stats.answer.answered
    times = (
        None
        if not answered
        else draw.bars(
            [_("медиана"), _("90-й процентиль"), _("срок")],
            [
                (_("рассмотрение бюро"), _times(stats.review, stats.review_days)),
                (_("ответ администрации"), _times(stats.answer, stats.answer_days)),
            ],
            title=_("Сроки ответа против установленного срока, дней"),
            unit=_("дн."),
            colors=[draw.BLUE, draw.PURPLE],
        )
    )
    ageing = (
        None
        if not any(b.count for b in stats.ageing)
        else draw.bars(
            [age_label(bucket) for bucket in stats.ageing],
            [(_("ждут"), [bucket.count for bucket in stats.ageing])],
            title=_("Очередь открытых предложений по дням ожидания"),
            unit=_("шт."),
            colors=[draw.ORANGE],
        )
    )
    participation = None
    if len(stats.months) > 1:
        participation = draw.trend(
            [month.label for month in stats.months],
            [(_("участие, %"), [month.rate for month in stats.months])],
            title=_("Участие рабочих в совещаниях по месяцам, %"),
            unit="%",
        )
    return {
        "agenda": agenda,
        "outcomes": outcomes,
        "times": times,
        "ageing": ageing,
        "participation": participation,
    }
