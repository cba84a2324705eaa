"""The competition board's page, computed once for the figures it shows.

The board of a big shop is hundreds of rows read by every role every minute (the page
refreshes itself), while its figures change a few times a shift. So its rows are written
once — as HTML: the template engine spends ~0.1 ms a row, a plain function a few µs — and
kept in the cache under a **fingerprint of every row version the board reads** (the shop's
sections, the year's plans of its sections, their workers and professions, the months of
the year up to the chosen one, and the output of those months still open). Any write to
any of them — the ORM's, a bulk update or raw SQL alike — gives another fingerprint, so a
changed figure is never shown stale; a closed month's output cannot change (the period
lock refuses it, down to the database's triggers) while its month row stays the same
version, so only the open months' output is read for the fingerprint.

What the cache holds is the same for every reader: the board is public within the shop,
and whoever reaches :func:`board_page` has passed the shop's permission check. The one
part that is the reader's own — his row, marked «это вы» — is written per request.

SQLite (the embedded default) keeps no row versions: there the fingerprint is the
versions of the tables read, which triggers renew on every write to them
(:mod:`enterprise.sqlite`) — coarser, never stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal
from html import escape

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from enterprise import sqlite
from enterprise.models import Period, Profession, Section, Shop, TariffRate, Worker
from enterprise.numbers import figure, figure_plain
from planning.plans.models import PersonalPlan, SectionTask

from . import bonuses, selectors
from .models import MonthlyOutput, SectionDayOutput

CACHE_VERSION = 1  # bump when the rows' markup changes
CACHE_SECONDS = 6 * 60 * 60


def fingerprint(*querysets: QuerySet) -> str | None:
    """An md5 of every row version the querysets select (each version's place, ``ctid``,
    and ``xmin``, the transaction that wrote it), in one query. Any insert, update or delete
    among those rows changes it: every update writes a new version in a new place. (The
    row's whole text with its ``xmin`` told the versions apart as well, at twice the cost
    of the query.) A queryset of ``values_list(...)`` gives the values of those columns
    instead: a row's other columns may change without changing it. On SQLite: the versions
    of the querysets' tables (any write to them changes it); None on another database."""
    if connection.vendor == "sqlite":
        return sqlite.tables_version(connection, [qs.model._meta.db_table for qs in querysets])
    if connection.vendor != "postgresql":
        return None
    pieces, params = [], []
    for queryset in querysets:
        # Only the model's own table name (quoted) and the ORM's compiled SQL with its
        # parameters go into the statement: nothing from a request.
        if queryset._fields:  # the columns' values: a row's text, e.g. (7,12,signed,2517.000)
            columns = queryset.order_by().values_list(*queryset._fields)
            sql, inner_params = columns.query.sql_with_params()
            pieces.append(
                f"(SELECT count(*) || ':' || coalesce(md5(string_agg(v::text, ',' "  # nosec B608
                f"ORDER BY v::text)), '') FROM ({sql}) v)"
            )
            params.extend(inner_params)
            continue
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        version = RawSQL(f"{table}.ctid::text || '@' || {table}.xmin::text", ())  # nosec B611
        inner = queryset.order_by().annotate(row_version=version).values_list("row_version")
        sql, inner_params = inner.query.sql_with_params()
        pieces.append(
            f"(SELECT count(*) || ':' || coalesce(string_agg(v.row_version, ',' "  # nosec B608
            f"ORDER BY v.row_version), '') FROM ({sql}) v(row_version))"
        )
        params.extend(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(concat_ws('|', {', '.join(pieces)}))", params)
        return cursor.fetchone()[0]


# What the board's rows are made of, of a plan: which version is in force (its status) and
# its year's volume over its time fund. Its signatures are not among them: a plan signed by
# the master, then the economist, shows the same figures until the third signature makes it
# the signed one, and the board of a shop is read far more often than it is written.
BOARD_PLAN_COLUMNS = (
    "pk",
    "worker_id",
    "section_id",
    "status",
    "unit",
    "annual_volume",
    "annual_time_fund",
)


# Of a plan, the bonus proposals read what the board does and the base output its quarter's
# growth is measured from (:mod:`planning.tracking.bonuses`).
BONUS_PLAN_COLUMNS = (*BOARD_PLAN_COLUMNS, "base_output")


def board_fingerprint(shop: Shop, period: Period) -> str | None:
    """The fingerprint of what :func:`planning.tracking.selectors.board` reads."""
    plans = PersonalPlan.objects.filter(section__shop=shop, year=period.year)
    worker_ids = plans.values("worker_id")
    months = Period.objects.filter(
        enterprise_id=shop.enterprise_id, year=period.year, month__lte=period.month
    )
    return fingerprint(
        Section.objects.filter(shop=shop),
        plans.values_list(*BOARD_PLAN_COLUMNS),
        Worker.objects.filter(pk__in=worker_ids),
        Profession.objects.filter(enterprise_id=period.enterprise_id),
        months,
        MonthlyOutput.objects.filter(
            worker_id__in=worker_ids,
            period__in=months.exclude(status=Period.Status.CLOSED).values("pk"),
        ),
    )


@dataclass(frozen=True, slots=True)
class Line:
    """A row of the board, written: all but the reader's own mark."""

    worker_id: int
    place: int
    place_text: str
    top: str  # the row's class: the first three places stand out
    name: str  # escaped
    rest: str  # the rest of the worker's cell and the other cells, as HTML


@dataclass(frozen=True)
class BoardPage:
    """What the page shows of a board: its rows written, its heading and legend."""

    lines: list[Line]
    months_label: str
    unit: str

    @property
    def rows(self) -> list[Line]:
        return self.lines

    def place_of(self, workers) -> int | None:
        """The place of the first of ``workers`` on the board (the reader's own row)."""
        return next((line.place for line in self.lines if line.worker_id in workers), None)

    def rows_html(self, own_workers) -> SafeString:
        """The rows as the page shows them to a reader whose own workers are
        ``own_workers`` (his row is marked)."""
        badge = ' <span class="badge mine-badge">{}</span>'.format(escape(_("это вы")))
        parts = []
        for line in self.lines:
            if line.worker_id in own_workers:
                head = (
                    f'      <tr class="{line.top} mine" id="board-mine" data-testid="board-mine"'
                    f' aria-current="true">\n'
                )
                mark = badge
            else:
                head = f'      <tr class="{line.top}">\n'
                mark = ""
            parts.append(
                f'{head}        <td class="place"><span class="place-badge">{line.place_text}'
                f'</span></td>\n        <td class="worker">{line.name}{mark}{line.rest}'
            )
        # every value in it is escaped above (names, labels) or a figure we wrote
        return mark_safe("\n".join(parts))  # nosec B308 B703


def _text(value) -> str:
    """A value as the template writes it: localized, escaped (a number below a thousand
    has nothing to localize). Every text here is a plain ``str`` (names, translations),
    which Django's ``escape`` writes as :func:`html.escape` does."""
    if type(value) is int and -1000 < value < 1000:
        return str(value)
    return escape(str(localize(value)))


def _lines(board: selectors.Board) -> list[Line]:
    labels = [
        escape(_(text))
        for text in (
            "Участок",
            "План с начала года",
            "Факт с начала года",
            "Выполнение, %",
            "Опережение (+), отставание (−), дней",
        )
    ]
    lines = []
    for row in board.rows:
        done = (
            f'<div class="done"><i class="bi bi-flag-fill"></i> '
            f"{escape(row.completion_label)}</div>"
            if row.completed_on
            else ""
        )
        value = row.fulfilment
        met = "met" if value is not None and value >= 100 else "unmet"
        days = row.lead_lag_days
        ahead = "" if days is None else "ahead" if days > 0 else "behind" if days < 0 else ""
        rest = (
            f"{done}</td>\n"
            f'        <td class="d-none d-md-table-cell profession">'
            f"{escape(str(row.worker.profession))}</td>\n"
            f'        <td class="num" data-label="{labels[0]}">{_text(row.section.number)}</td>\n'
            f'        <td class="num" data-label="{labels[1]}">{figure(row.plan_ytd, 1)}</td>\n'
            f'        <td class="num" data-label="{labels[2]}">{figure(row.actual_ytd, 1)}</td>\n'
            f'        <td class="num pct {met}" data-label="{labels[3]}">'
            f"{'—' if value is None else figure(value, 1)}</td>\n"
            f'        <td class="num days {ahead}" data-label="{labels[4]}">'
            f"{escape(row.lead_lag_label)}</td>\n"
            f"      </tr>"
        )
        lines.append(
            Line(
                worker_id=row.worker.pk,
                place=row.place,
                place_text=_text(row.place),
                top=f"top top-{row.place}" if row.place <= 3 else "",
                name=escape(row.worker.short_name),
                rest=rest,
            )
        )
    return lines


def _page(board: selectors.Board) -> BoardPage:
    return BoardPage(
        lines=_lines(board),
        months_label=board.months_label,
        unit=board.rows[0].plan.unit if board.rows else "",
    )


def board_page(shop: Shop, period: Period) -> BoardPage:
    """The board of ``shop`` for ``period`` as the page shows it: from the cache while
    the figures it shows are the same, else computed (and cached)."""
    version = board_fingerprint(shop, period)
    if version is None:
        return _page(selectors.board(shop, period))
    key = f"planning.board:{CACHE_VERSION}:{shop.pk}:{period.pk}:{get_language()}:{version}"
    page = cache.get(key)
    if page is None:
        page = _page(selectors.board(shop, period))
        cache.set(key, page, CACHE_SECONDS)
    return page


# --- the bonus proposals ---------------------------------------------------------------------


def _proposal_head(proposal, labels) -> str:
    """The worker's and the section's cells of a proposal's line."""
    worker = proposal.worker
    section = proposal.plan.section
    number = escape(worker.personnel_number)
    where = labels["where"] % {"n": _text(section.shop.number), "s": _text(section.number)}
    return (
        f'<td><span class="fw-semibold text-nowrap">{escape(worker.short_name)}'
        f'</span> <span class="small text-body-secondary">'
        f"{escape(str(worker.profession))}, {labels['number']}&nbsp;{number}"
        f"</span></td>\n"
        f'        <td class="small text-nowrap">{where}</td>\n'
    )


def _conditions(proposal, columns: int) -> str:
    items = "".join(
        f'<li><i class="bi {"bi-check-circle-fill" if c.met else "bi-x-circle-fill"}"></i> '
        f"{escape(c.text)}</li>"
        for c in proposal.conditions
    )
    return (
        f'      <tr class="bonus-why"><td colspan="{columns}"><ul class="bonus-conditions">'
        f"{items}</ul></td></tr>\n"
    )


def _or_dash(value, places: int) -> str:
    return "—" if value is None else figure(value, places)


def proposals_html(items, *, quarterly: bool) -> SafeString:
    """The lines of the bonus proposals (one ``<tbody>`` a worker), the markup the page's
    template had for each: written by a function, as a shop's hundreds of workers with
    their conditions are ~0.3 ms a line through the template engine."""
    labels = {
        "number": escape(_("таб. №")),
        "where": _("цех %(n)s, уч. %(s)s"),
    }
    parts = []
    for p in items:
        if quarterly:
            kind = " eligible" if p.eligible else " not-proposed" if p.not_proposed else ""
            figures = (
                f'        <td class="num">{figure(p.actual, 1)}</td>\n'
                f'        <td class="num">{figure_plain(p.hours, 1)}</td>\n'
                f'        <td class="num">{_or_dash(p.hourly_output, 3)}</td>\n'
                f'        <td class="num">{_or_dash(p.average_hourly_output, 3)}</td>\n'
                f'        <td class="num">{_or_dash(p.own_hourly_output, 3)}</td>\n'
            )
        else:
            kind = " eligible" if p.eligible else ""
            figures = (
                f'        <td class="num">{figure(p.plan_value, 1)}</td>\n'
                f'        <td class="num">{_or_dash(p.actual, 1)}</td>\n'
                f'        <td class="num">{_or_dash(p.fulfilment, 1)}</td>\n'
            )
        parts.append(
            f'    <tbody class="bonus-worker{kind}" '
            f'data-worker="{escape(p.worker.personnel_number)}">\n'
            f"      <tr>\n"
            f"        {_proposal_head(p, labels)}"
            f"{figures}"
            f'        <td class="num">{_or_dash(p.tariff_earnings, 2)}</td>\n'
            f'        <td class="num">{figure_plain(p.percent, 1) if p.eligible else "—"}</td>\n'
            f'        <td class="num fw-semibold">{figure(p.amount, 2) if p.eligible else "—"}'
            f"</td>\n"
            f"      </tr>\n"
            f"{_conditions(p, 10 if quarterly else 8)}"
            f"    </tbody>"
        )
    # every value in it is escaped above (names, texts) or a figure we wrote
    return mark_safe("\n".join(parts))  # nosec B308 B703


# --- the bonus proposals' page, cached ------------------------------------------------------

BONUS_CACHE_VERSION = 1  # bump when the lines' markup or the summary changes


@dataclass(frozen=True)
class BonusPage:
    """What the bonus proposals' page shows of :class:`planning.tracking.bonuses.Proposals`
    (its lines written, its totals): the same for every reader of these shops and month."""

    period: Period
    shops: list[Shop]
    monthly: int  # lines of the monthly bonus (0: none; the month's tab is empty)
    quarterly: int | None  # None: the month does not end a quarter
    quarter_label: str
    monthly_total: Decimal
    quarterly_total: Decimal
    monthly_eligible: int
    quarterly_eligible: int
    on_time_sections: list[str]
    monthly_html: SafeString
    quarterly_html: SafeString


def bonus_fingerprint(
    period: Period, shops, periods: list[Period], averages: dict | None
) -> str | None:
    """The fingerprint of what :func:`planning.tracking.bonuses.proposals` reads for
    ``shops`` and ``period``: the shops, their sections, the year's plans of those
    sections, their workers, the enterprise's professions, the sections' tasks, its tariff
    grid, the months of this year and the last, the workers' output of the months read
    (the month; the quarter's, this year's and the last's) still open and — for a month
    that ends a quarter — the sections' days of the quarter. The
    professions' averages across the enterprise (thousands of rows) are not fingerprinted:
    the caller reads them (one aggregate) and keys the cache by them as well."""
    shop_ids = [shop.pk for shop in shops]
    plans = PersonalPlan.objects.filter(section__shop_id__in=shop_ids, year=period.year)
    worker_ids = plans.values("worker_id")
    months = Period.objects.filter(
        enterprise_id=period.enterprise_id, year__in=(period.year - 1, period.year)
    )
    plans = plans.values_list(*BONUS_PLAN_COLUMNS)
    # the months whose output the page reads: the month itself, or the quarter's months of
    # this year and the last (the worker's own hourly output of a year ago)
    if averages is None:
        read = months.filter(pk=period.pk)
    else:
        read = months.filter(month__in=[p.month for p in periods])
    querysets = [
        Shop.objects.filter(pk__in=shop_ids),
        Section.objects.filter(shop_id__in=shop_ids),
        plans,
        Worker.objects.filter(pk__in=worker_ids),
        Profession.objects.filter(enterprise_id=period.enterprise_id),
        SectionTask.objects.filter(section__shop_id__in=shop_ids, year=period.year),
        TariffRate.objects.filter(enterprise_id=period.enterprise_id),
        months,
        MonthlyOutput.objects.filter(
            worker_id__in=worker_ids,
            period__in=read.exclude(status=Period.Status.CLOSED).values("pk"),
        ),
    ]
    if averages is not None:
        querysets.append(
            SectionDayOutput.objects.filter(
                section__shop_id__in=shop_ids,
                date__range=(min(p.start for p in periods), max(p.end for p in periods)),
            )
        )
    return fingerprint(*querysets)


def _bonus_page(result) -> BonusPage:
    return BonusPage(
        period=result.period,
        shops=result.shops,
        monthly=len(result.monthly),
        quarterly=None if result.quarterly is None else len(result.quarterly),
        quarter_label=result.quarter_label,
        monthly_total=result.monthly_total,
        quarterly_total=result.quarterly_total,
        monthly_eligible=result.monthly_eligible,
        quarterly_eligible=result.quarterly_eligible,
        on_time_sections=[str(section) for section in result.on_time_sections],
        monthly_html=proposals_html(result.monthly, quarterly=False),
        quarterly_html=proposals_html(result.quarterly or (), quarterly=True),
    )


def bonus_page(period: Period, shops, kind: str) -> BonusPage:
    """The bonus proposals of ``shops`` (those the reader may see) for ``period``, one
    ``kind`` ("monthly" / "quarterly"), as the page shows them: from the cache while
    everything they are computed from is the same, else computed (and cached)."""
    shops = list(shops)
    periods = bonuses.quarter_periods(period)
    quarterly = kind == "quarterly"
    averages = (
        bonuses.profession_averages(period.enterprise_id, periods)
        if quarterly and period.month % 3 == 0
        else None
    )

    def compute() -> BonusPage:
        result = bonuses.proposals(
            period,
            shops,
            monthly=not quarterly,
            quarterly=quarterly,
            periods=periods,
            averages=averages,
        )
        return _bonus_page(result)

    version = bonus_fingerprint(period, shops, periods, averages)
    if version is None:
        return compute()
    if averages is not None:
        # the professions' averages by value: Decimal's repr is exact
        figures = repr(sorted(averages.items(), key=lambda item: (item[0] is None, item[0])))
        version += ":" + hashlib.md5(figures.encode(), usedforsecurity=False).hexdigest()
    shop_key = ",".join(str(shop.pk) for shop in shops)
    key = (
        f"planning.bonuses:{BONUS_CACHE_VERSION}:{period.pk}:{shop_key}:{kind}:"
        f"{get_language()}:{version}"
    )
    cached = cache.get(key)
    if cached is None:
        cached = compute()
        cache.set(key, replace(cached, period=None, shops=None), CACHE_SECONDS)
        return cached
    return replace(cached, period=period, shops=shops)
