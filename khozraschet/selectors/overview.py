"""What a user reads first of self-financing: the competition board, the index of the
latest results, the home page's panel. Stored results only, a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise import charts
from enterprise.models import Enterprise, Period, Section, Shop
from enterprise.permissions import ACTIONS, can
from enterprise.scoping import scope_of

from ..models import SectionResult, ShopResult
from .results import plant_reader

# --- the competition board ---------------------------------------------------------------------


@dataclass
class Board:
    shop: Shop
    period: Period
    ranked: list[SectionResult]
    unranked: list[SectionResult]
    missing: list[Section]
    shop_result: ShopResult | None
    shops_ranked: int


def board(shop: Shop, period: Period) -> Board:
    """The shop's sections by place in the month (three queries)."""
    results = list(
        SectionResult.objects.filter(shop=shop, period=period)
        .select_related("section")
        .order_by("rank", "-competition", "section__number")
    )
    sections = Section.objects.filter(shop=shop).exclude(pk__in=[r.section_id for r in results])
    shop_results = list(
        ShopResult.objects.filter(period=period, shop__enterprise_id=shop.enterprise_id).only(
            "shop_id", "rank", "competition"
        )
    )
    return Board(
        shop=shop,
        period=period,
        ranked=[r for r in results if r.rank is not None],
        unranked=[r for r in results if r.rank is None],
        missing=list(sections.order_by("number")),
        shop_result=next((r for r in shop_results if r.shop_id == shop.pk), None),
        shops_ranked=sum(1 for r in shop_results if r.rank is not None),
    )


def board_shop(user) -> Shop | None:
    """The shop whose board the user opens on: his own (a worker's, a section's), else the
    first he sees."""
    scope = scope_of(user)
    shops = Shop.objects.visible_to(user).order_by("enterprise__name", "number")
    if scope.own_shops:
        own = shops.filter(pk__in=sorted(scope.own_shops)).first()
        if own is not None:
            return own
    return shops.first()


def latest_result_period(*, shop: Shop | None = None, enterprise_id: int | None = None):
    """The latest month with a stored result of the shop (or of the plant), else None."""
    results = SectionResult.objects.all()
    if shop is not None:
        results = results.filter(shop=shop)
    if enterprise_id is not None:
        results = results.filter(period__enterprise_id=enterprise_id)
    found = results.order_by("-period__year", "-period__month").values_list("period_id").first()
    if found is None:
        return None
    return Period.objects.get(pk=found[0])


def latest_begun_period(enterprise_id: int) -> Period | None:
    today = timezone.localdate()
    return (
        Period.objects.filter(enterprise_id=enterprise_id)
        .filter(Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month))
        .order_by("-year", "-month")
        .first()
        or Period.objects.filter(enterprise_id=enterprise_id).order_by("year", "month").first()
    )


# --- the index: what the user reads ------------------------------------------------------------


@dataclass
class Index:
    period: Period | None
    plant: Enterprise | None
    shops: list[Shop]
    sections: list[tuple[Section, SectionResult | None]]


def index(user) -> Index:
    """The latest month with results the user sees, and his shops and sections in it."""
    results = SectionResult.objects.visible_to(user).filter(
        section_id__in=Section.objects.visible_to(user).values("pk")
    )
    latest = (
        results.order_by("-period__year", "-period__month")
        .select_related("period__enterprise")
        .first()
    )
    period = latest.period if latest else None
    sections = [
        s
        for s in Section.objects.visible_to(user).select_related("shop__enterprise")
        if can(user, "khz.view", s)
    ]
    by_section = {}
    if period is not None:
        by_section = {
            r.section_id: r
            for r in results.filter(period=period).only(
                "section_id", "plan_met", "tension", "competition", "rank", "problems"
            )
        }
    shops = [
        s
        for s in Shop.objects.visible_to(user).select_related("enterprise")
        if can(user, "khz.view", s)
    ]
    plant = None
    if period is not None and plant_reader(user, period.enterprise_id):
        plant = period.enterprise
    return Index(
        period=period,
        plant=plant,
        shops=shops,
        sections=[(s, by_section.get(s.pk)) for s in sections],
    )


# --- the home page's panel ---------------------------------------------------------------------

TREND_MONTHS = 6


def _month_label(period: Period) -> str:
    return f"{period.month:02d}.{period.year}"


def _last_months(results):
    """The latest months with any of ``results`` (a subquery: no query of its own)."""
    return (
        Period.objects.filter(pk__in=results.values("period_id"))
        .order_by("-year", "-month")
        .values("pk")[:TREND_MONTHS]
    )


def home_panel(user) -> dict | None:
    """The latest results of the user's sections (a shop's readers, a master) or shops (the
    plant's readers) with a trend of the last six months; None for others. One query (the
    scope is cached for the request)."""
    scope = scope_of(user)
    readers = ACTIONS["khz.view"]
    grants = [g for g in scope.grants if g.role in readers]
    if not grants and not scope.everything:
        return None
    plant_ids = {g.enterprise_id for g in grants if not g.shop_id}
    if plant_ids or scope.everything:
        results = ShopResult.objects.visible_to(user)
        rows = list(
            results.filter(period__in=_last_months(results))
            .select_related("shop", "period")
            .order_by("-period__year", "-period__month", "shop__number")
        )
        return _panel(rows, key=lambda r: r.shop, value=lambda r: r.competition, kind="plant")
    shop_ids = {g.shop_id for g in grants if g.shop_id and not g.section_id}
    section_ids = {g.section_id for g in grants if g.section_id}
    results = SectionResult.objects.filter(
        Q(shop_id__in=sorted(shop_ids)) | Q(section_id__in=sorted(section_ids))
    )
    rows = list(
        results.filter(period__in=_last_months(results))
        .select_related("section__shop", "period")
        .only(
            "section__number",
            "section__name",
            "section__shop__number",
            "section__shop__enterprise_id",
            "period__year",
            "period__month",
            "period__enterprise_id",
            "shop_id",
            "tension",
            "competition",
            "rank",
            "plan_met",
            "problems",
        )
        .order_by("-period__year", "-period__month", "section__number")
    )
    return _panel(rows, key=lambda r: r.section, value=lambda r: r.tension, kind="shop")


def _panel(rows, *, key, value, kind) -> dict | None:
    if not rows:
        return None
    periods = []
    for row in rows:
        if row.period not in periods:
            periods.append(row.period)
    periods = sorted(periods[:TREND_MONTHS], key=lambda p: (p.year, p.month))
    latest = periods[-1]
    labels = [_month_label(p) for p in periods]
    series: dict[int, dict] = defaultdict(dict)
    units = {}
    for row in rows:
        unit = key(row)
        units[unit.pk] = unit
        series[unit.pk][row.period.pk] = value(row)
    items = []
    for row in rows:
        if row.period.pk != latest.pk:
            continue
        unit = key(row)
        values = [series[unit.pk].get(p.pk) for p in periods]
        items.append(
            {
                "unit": unit,
                "result": row,
                "trend": charts.trend(
                    labels,
                    [(str(unit), values)],
                    title=_("%(unit)s: %(what)s за %(n)s мес.")
                    % {
                        "unit": unit,
                        "what": _("Кнапр") if kind == "shop" else _("коэффициент соревнования"),
                        "n": len(periods),
                    },
                    small=True,
                ),
            }
        )
    return {
        "template": "khozraschet/results/_home_panel.html",
        "kind": kind,
        "period": latest,
        "items": items,
    }
