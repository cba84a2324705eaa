"""The pages a manager reads (§6–§9): a section's month, the shop's and the plant's
summaries (the board, the index and the home panel: :mod:`.overview`).

Everything here reads stored results (:class:`~khozraschet.models.SectionResult`,
:class:`~khozraschet.models.ShopResult`): nothing is computed on a page's load but the
presentation of what the close wrote. Each reader runs a fixed number of queries, and
the dataclasses they return carry everything the page and the PDF need (the PDF code
runs no queries). The ``details`` document of a result keeps its Decimals as strings;
they are turned back into Decimals here, so templates format numbers one way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise import charts
from enterprise.models import Enterprise, Period, RoleAssignment, Section, Shop
from enterprise.models.roles import Role
from enterprise.money import HUNDRED, half_up
from enterprise.permissions import ACTIONS, can
from enterprise.scoping import scope_of

from .. import rules
from ..models import SectionResult, Settings, ShopResult
from ..models.config import indicator_places

TENTH = Decimal("0.1")


def _d(value) -> Decimal | None:
    """A figure of ``details`` (a string, a number or None) as a Decimal."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _places(value: Decimal | None, exponent: str) -> Decimal | None:
    return None if value is None else half_up(value, Decimal(exponent))


# --- months ----------------------------------------------------------------------------------


def neighbour_months(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The previous and the next (year, month)."""
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return previous, following


def periods_around(enterprise_id: int, year: int, month: int) -> dict[tuple[int, int], Period]:
    """The month asked for and its neighbours that exist, by (year, month): one query."""
    previous, following = neighbour_months(year, month)
    wanted = Q()
    for y, m in (previous, (year, month), following):
        wanted |= Q(year=y, month=m)
    return {
        (p.year, p.month): p
        for p in Period.objects.filter(wanted, enterprise_id=enterprise_id).select_related(
            "closed_by"
        )
    }


@dataclass(frozen=True)
class Due:
    """When results are due and how they came: on time, late, overdue (not yet)."""

    date: datetime.date
    late: bool = False  # computed after the due day
    overdue: bool = False  # not computed, and the due day has passed


def due_days(enterprise_id: int) -> tuple[int, int]:
    """(section_due_day, shop_due_day) of the plant's terms (the booklet's when none)."""
    row = (
        Settings.objects.filter(enterprise_id=enterprise_id)
        .values_list("section_due_day", "shop_due_day")
        .first()
    )
    return row or (rules.SECTION_DUE_DAY, rules.SHOP_DUE_DAY)


def due_of(period: Period, day: int, computed_at: datetime.datetime | None, today=None) -> Due:
    due = rules.due_date(period.year, period.month, day)
    if computed_at is None:
        today = today or timezone.localdate()
        return Due(due, overdue=today > due)
    return Due(due, late=rules.is_late(timezone.localdate(computed_at), due))


# --- the readers' scope ------------------------------------------------------------------------


def plant_reader(user, enterprise_id: int) -> bool:
    """Does the user read the plant's summary: a reader with an enterprise-wide role?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    readers = ACTIONS["khz.view"]
    return any(
        g.role in readers and g.enterprise_id == enterprise_id and not g.shop_id
        for g in scope.grants
    )


def board_reader(user, shop: Shop) -> bool:
    """May the user read the shop's board: khz.board in the shop, or in one of its
    sections (a master, a brigade leader: the board of their own shop)?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    roles = ACTIONS["khz.board"]
    return any(
        g.role in roles and g.enterprise_id == shop.enterprise_id and g.shop_id in (None, shop.pk)
        for g in scope.grants
    )


def shop_reader(user, shop: Shop) -> bool:
    """Does the user read the shop's summary (khz.view on the shop itself)?"""
    return can(user, "khz.view", shop)


# --- a section's month -------------------------------------------------------------------------


@dataclass
class SectionMonthPage:
    """A section's month as the page and the PDF show it."""

    section: Section
    period: Period
    previous: Period | None
    following: Period | None
    result: SectionResult | None
    due: Due
    details: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    signatories: dict = field(default_factory=dict)


def _indicators(details: dict) -> list[dict]:
    rows = []
    for row in details.get("indicators", []):
        rows.append(
            {
                "name": row["name"],
                "unit": row.get("unit", ""),
                # as frozen with the month; a month closed before it was kept, by its unit
                "places": row["places"]
                if "places" in row
                else indicator_places(row.get("unit", ""), row.get("role", "")),
                "direction": row.get("direction"),
                "mandatory": row.get("mandatory", False),
                "plan": _d(row.get("plan")),
                "actual": _d(row.get("actual")),
                "ratio": _d(row.get("ratio")),
                "percent": _d(row.get("percent")),
                "met": row.get("met"),
            }
        )
    return rows


def _costs(details: dict) -> dict:
    costs = details.get("costs") or {}
    lines = [
        {
            "article": line["article"],
            "plan": _d(line.get("plan")),
            "corrections": _d(line.get("corrections")),
            "plan_corrected": _d(line.get("plan_corrected")),
            "actual": _d(line.get("actual")),
            "deviation": _d(line.get("deviation")),
        }
        for line in costs.get("lines", [])
    ]
    plan_corrected, actual = _d(costs.get("plan_corrected")), _d(costs.get("actual"))
    return {
        "lines": lines,
        "plan": _d(costs.get("plan")),
        "corrections_total": (plan_corrected or 0) - (_d(costs.get("plan")) or 0),
        "plan_corrected": plan_corrected,
        "actual": actual,
        "deviation": None
        if actual is None or plan_corrected is None or not costs.get("complete")
        else actual - plan_corrected,
        "complete": bool(costs.get("complete")),
        "corrections": [
            {
                "article": c.get("article", ""),
                "amount": _d(c.get("amount")),
                "reason": c.get("reason", ""),
                "author": c.get("author", ""),
            }
            for c in costs.get("corrections", [])
        ],
    }


def _decades(details: dict) -> dict:
    decades = details.get("decades") or {}
    plan = [_d(v) or Decimal(0) for v in decades.get("plan", [0, 0, 0])]
    actual = [_d(v) or Decimal(0) for v in decades.get("actual", [0, 0, 0])]

    def shares(values):
        total = sum(values, Decimal(0))
        if not total:
            return [None, None, None]
        return [half_up(v / total * HUNDRED, TENTH) for v in values]

    return {
        "plan": plan,
        "actual": actual,
        "plan_share": shares(plan),
        "actual_share": shares(actual),
        "rows": list(zip(plan, actual, shares(plan), shares(actual), strict=True)),
        "value": _d(decades.get("value")),
    }


def _complex(details: dict) -> list[dict]:
    cards = []
    for key, card in (details.get("complex") or {}).items():
        cards.append(
            {
                "key": key,
                "position": card.get("position", key),
                "rows": [
                    {
                        "measure": row["measure"],
                        "base": _d(row.get("base")),
                        "deviation": _d(row.get("deviation")),
                        "penalty": _d(row.get("penalty")),
                        "points": _d(row.get("points")),
                    }
                    for row in card.get("rows", [])
                ],
                "points": _d(card.get("points")),
                "planned": _d(card.get("planned")),
                "value": _d(card.get("value")),
            }
        )
    return cards


def _bonuses(details: dict) -> list[dict]:
    rows = []
    for bonus in details.get("bonuses", []):
        rows.append(
            {
                "code": bonus.get("code"),
                "name": bonus.get("name", ""),
                "computed": bonus.get("percent") is not None,
                "base_percent": _d(bonus.get("base_percent")),
                "complex": _d(bonus.get("complex")),
                "correction": _d(bonus.get("correction")),
                "quality": _d(bonus.get("quality")),
                "quality_percent": _d(bonus.get("quality_percent")),
                "share_of_scale": _d(bonus.get("share_of_scale")),
                "percent": _d(bonus.get("percent")),
                "paid_now": _d(bonus.get("paid_now")),
                "withheld": _d(bonus.get("withheld")),
                "released": _d(bonus.get("released")),
                "conditions_met": bonus.get("conditions_met"),
                "unmet": bonus.get("unmet", []),
                "month_of_quarter": bonus.get("month_of_quarter"),
            }
        )
    return rows


def _idle(details: dict) -> dict | None:
    idle = details.get("idle")
    if not idle:
        return None
    return {
        "rows": [
            {
                "label": row.get("label", row.get("cause", "")),
                "hours": _d(row.get("hours")),
                "share": _d(row.get("share")),
                "cumulative": _d(row.get("cumulative")),
                "fund_share": _d(row.get("fund_share")),
            }
            for row in idle.get("rows", [])
        ],
        "total": _d(idle.get("total")),
        "fund": _d(idle.get("fund")),
        "fund_share": _d(idle.get("fund_share")),
    }


COMPETITION_LABELS = {
    "output": gettext_lazy("выпуск продукции"),
    "cost": gettext_lazy("себестоимость"),
    "productivity": gettext_lazy("производительность труда"),
    "nomenclature": gettext_lazy("номенклатура"),
    "wage_fund": gettext_lazy("фонд оплаты труда"),
    "materials": gettext_lazy("материальные затраты"),
}


def read_details(details: dict) -> dict:
    """A result's ``details`` with its figures as Decimals, ready for a template."""
    production = details.get("production")
    tension = details.get("tension") or {}
    capacity = details.get("capacity") or {}
    completeness = details.get("completeness") or {}
    competition = details.get("competition") or {}
    incentive = details.get("incentive") or {}
    return {
        "production": None if not production else {**production, "kz": _d(production.get("kz"))},
        "indicators": _indicators(details),
        "costs": _costs(details),
        "auxiliary_met": bool(details.get("auxiliary_met")),
        "tension": {
            "factors": [
                {
                    "name": f["name"],
                    "ratio": _d(f.get("ratio")),
                    "direction": f.get("direction"),
                    "weight": _d(f.get("weight")),
                }
                for f in tension.get("factors", [])
            ],
            "value": _d(tension.get("value")),
        },
        "capacity": {k: _d(capacity.get(k)) for k in ("actual", "capacity", "use")},
        "completeness": {k: _d(completeness.get(k)) for k in ("on_time", "shortfall", "value")},
        "decades": _decades(details),
        "complex": _complex(details),
        "conditions_met": details.get("conditions_met"),
        "conditions_reasons": details.get("conditions_reasons", []),
        "bonuses": _bonuses(details),
        "energy": [
            {
                "resource": e.get("resource", ""),
                "saved": _d(e.get("saved")),
                "percent": _d(e.get("percent")),
                "bonus": _d(e.get("bonus")),
            }
            for e in details.get("energy", [])
        ],
        "idle": _idle(details),
        "competition": {
            "deltas": [
                {"code": code, "label": str(COMPETITION_LABELS.get(code, code)), "value": _d(v)}
                for code, v in (competition.get("deltas") or {}).items()
            ],
            "value": _d(competition.get("value")),
            "ranked": competition.get("ranked"),
            "reason": competition.get("reason", ""),
        },
        "incentive": {"fund": _d(incentive.get("fund")), "share": _d(incentive.get("share"))},
        "problems": details.get("problems", []),
    }


def section_charts(details: dict) -> dict:
    """The section page's charts (SVG, or None where there is nothing to draw); no queries."""
    indicators = [
        row for row in details["indicators"] if row["plan"] and row["percent"] is not None
    ]
    # Plan vs actual as % of plan: indicators of different units share one axis. Drawn
    # narrow: its box is a column beside the table (a phone's width below 1200 px, half an
    # A4 page in the PDF), where an 800-wide chart's names and figures came out at half size.
    plan_actual = charts.bars(
        [row["name"] for row in indicators],
        [
            (_("План"), [HUNDRED if row["plan"] else None for row in indicators]),
            (_("Факт"), [row["percent"] for row in indicators]),
        ],
        title=_("Выполнение плана по показателям, % плана"),
        unit="%",
        horizontal=True,
        reference=HUNDRED,
        reference_label=_("план — 100 %"),
        colors=(charts.LIGHT_GREY, charts.BLUE),
        width=charts.NARROW_WIDTH,
    )
    decades = details["decades"]
    decades_chart = None
    if decades["plan_share"][0] is not None and decades["actual_share"][0] is not None:
        decades_chart = charts.decades(
            decades["plan_share"],
            decades["actual_share"],
            title=_("Ритмичность: выпуск по декадам, % месяца"),
            width=charts.NARROW_WIDTH,  # a half-width column, as the chart above
        )
    idle = details["idle"]
    pareto = None
    if idle:
        pareto = charts.pareto(
            [(row["label"], row["hours"]) for row in idle["rows"]],
            title=_("Простои по причинам (Парето)"),
            width=charts.NARROW_WIDTH,
        )
    return {"plan_actual": plan_actual, "decades": decades_chart, "pareto": pareto}


def section_month(section: Section, year: int, month: int) -> SectionMonthPage | None:
    """The section's month: its stored result read for the page (None: no such month).

    ``section`` comes with its shop and enterprise. Three queries: the months around,
    the result with who computed it, the plant's due days.
    """
    enterprise_id = section.shop.enterprise_id
    periods = periods_around(enterprise_id, year, month)
    period = periods.get((year, month))
    if period is None:
        return None
    previous, following = neighbour_months(year, month)
    result = (
        SectionResult.objects.filter(section=section, period=period)
        .select_related("computed_by")
        .first()
    )
    section_day, _shop_day = due_days(enterprise_id)
    page = SectionMonthPage(
        section=section,
        period=period,
        previous=periods.get(previous),
        following=periods.get(following),
        result=result,
        due=due_of(period, section_day, result.computed_at if result else None),
    )
    if result is not None:
        page.details = read_details(result.details)
        page.charts = section_charts(page.details)
    return page


def signatories(section: Section) -> dict:
    """Who signs a section's result: the shop's economist, the section's head (master)
    and the shop's head. ``section`` comes with its head and its shop's head. One query."""
    economist = (
        RoleAssignment.objects.current()
        .filter(role=Role.ECONOMIST, shop_id=section.shop_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )

    def name(user):
        return (user.get_full_name() or user.username) if user is not None else ""

    return {
        "economist": name(economist.user if economist else None),
        "section_head": name(section.head),
        "shop_head": name(section.shop.head),
    }


# --- the shop's month --------------------------------------------------------------------------


@dataclass
class ShopRow:
    section: Section
    result: SectionResult | None
    due: Due
    masters_bonus: Decimal | None = None

    @property
    def cost_deviation(self) -> Decimal | None:
        if self.result is None or not self.result.details.get("costs", {}).get("complete"):
            return None
        return self.result.cost_actual - self.result.cost_plan_corrected

    @property
    def problems(self) -> int:
        return len(self.result.problems) if self.result else 0


@dataclass
class ShopMonthPage:
    shop: Shop
    period: Period
    previous: Period | None
    following: Period | None
    rows: list[ShopRow]
    total: ShopResult | None
    due: Due
    chart: object = None

    @property
    def computed(self) -> int:
        return sum(1 for row in self.rows if row.result is not None)

    @property
    def total_cost_deviation(self) -> Decimal | None:
        if self.total is None:
            return None
        return self.total.cost_actual - self.total.cost_plan_corrected

    @property
    def plan_met(self) -> int:
        return sum(1 for row in self.rows if row.result is not None and row.result.plan_met)


def _masters_bonus(result: SectionResult) -> Decimal | None:
    for bonus in result.details.get("bonuses", []):
        if bonus.get("code") == "masters" or bonus.get("complex") is not None:
            return _d(bonus.get("percent"))
    return None


def shop_month(shop: Shop, year: int, month: int) -> ShopMonthPage | None:
    """The shop's sections in a month, each with its stored result and due status.

    Five queries: the months around, the sections, their results, the shop's result,
    the due days."""
    periods = periods_around(shop.enterprise_id, year, month)
    period = periods.get((year, month))
    if period is None:
        return None
    previous, following = neighbour_months(year, month)
    sections = list(Section.objects.filter(shop=shop).select_related("shop").order_by("number"))
    results = {r.section_id: r for r in SectionResult.objects.filter(shop=shop, period=period)}
    total = ShopResult.objects.filter(shop=shop, period=period).first()
    section_day, shop_day = due_days(shop.enterprise_id)
    rows = []
    for section in sections:
        result = results.get(section.pk)
        rows.append(
            ShopRow(
                section=section,
                result=result,
                due=due_of(period, section_day, result.computed_at if result else None),
                masters_bonus=_masters_bonus(result) if result else None,
            )
        )
    page = ShopMonthPage(
        shop=shop,
        period=period,
        previous=periods.get(previous),
        following=periods.get(following),
        rows=rows,
        total=total,
        due=due_of(period, shop_day, total.computed_at if total else None),
    )
    computed = [row for row in rows if row.result is not None]
    page.chart = charts.bars(
        [row.section.short_label for row in computed],
        [(_("Кнапр"), [row.result.tension for row in computed])],
        title=_("Коэффициент напряжённости плана (Кнапр) по участкам"),
        reference=Decimal(1),
    )
    return page


# --- the plant's month -------------------------------------------------------------------------


@dataclass
class PlantRow:
    shop: Shop
    result: ShopResult | None
    due: Due


@dataclass
class PlantMonthPage:
    enterprise: Enterprise
    period: Period
    previous: Period | None
    following: Period | None
    rows: list[PlantRow]
    chart: object = None


def plant_month(enterprise: Enterprise, year: int, month: int) -> PlantMonthPage | None:
    """Every shop of the plant on self-financing (a section with its attributes recorded)
    in a month, with its stored result. Four queries."""
    periods = periods_around(enterprise.pk, year, month)
    period = periods.get((year, month))
    if period is None:
        return None
    previous, following = neighbour_months(year, month)
    shops = list(
        Shop.objects.filter(enterprise=enterprise, sections__khz_profile__isnull=False)
        .distinct()
        .order_by("number")
    )
    results = {r.shop_id: r for r in ShopResult.objects.filter(period=period, shop__in=shops)}
    _section_day, shop_day = due_days(enterprise.pk)
    rows = [
        PlantRow(
            shop=shop,
            result=results.get(shop.pk),
            due=due_of(
                period,
                shop_day,
                results[shop.pk].computed_at if shop.pk in results else None,
            ),
        )
        for shop in shops
    ]
    scored = [row for row in rows if row.result is not None]
    chart = charts.bars(
        [str(_("Цех № %(n)s") % {"n": row.shop.number}) for row in scored],
        [
            (
                _("Коэффициент соревнования"),
                [_places(row.result.competition, "0.001") for row in scored],
            )
        ],
        title=_("Коэффициент соревнования цехов"),
        reference=Decimal(1),
    )
    return PlantMonthPage(
        enterprise=enterprise,
        period=period,
        previous=periods.get(previous),
        following=periods.get(following),
        rows=rows,
        chart=chart,
    )
