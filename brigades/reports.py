"""«Сравнение бригад» — table 15 of the booklet (domain/brigades.md §5), and its chart.

For one month each brigade's row shows its headcount, the hours it worked, its output
(in rubles by the work order and in norm-hours), the percentage of norms met and the
average pay of a member. The figures come from the brigade's own month document (an
approved one unless unapproved ones are asked for); corrections made later in open
months are booked in their own month and are not part of the compared month.

The rows are computed in the database: one query for the rows (the line sums are
subqueries per document) and one for the distinct workers of the totals row, whatever
the number of brigades.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from decimal import Decimal

import django_tables2 as tables
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.models import Period, Section, Shop
from enterprise.models.roles import Role
from enterprise.money import HUNDRED, KOPECK, TENTH, THOUSAND, THOUSANDTH, ZERO, half_up
from enterprise.permissions import ACTIONS, can
from enterprise.scoping import scope_of

from .models import Brigade, Distribution, Line, Post

PAY_AXIS_FLOOR = 100.0  # rubles: an axis for a month with no pay yet


# --- the arithmetic (pure) ------------------------------------------------------------------


def norms_met_percent(norm_hours: Decimal, hours: Decimal) -> Decimal | None:
    """Percentage of norms met: norm-hours produced per hour worked × 100, to 0.1 %.

    Table 15 (domain/brigades.md §5). None when nobody worked an hour.
    """
    if not hours:
        return None
    return half_up(norm_hours / hours * HUNDRED, TENTH)


def average_pay(total_pay: Decimal, headcount: int) -> Decimal | None:
    """Average pay of a member for the month: all pay of the lines / headcount, 2 places.

    Table 15 (domain/brigades.md §5). None when the brigade had nobody.
    """
    if not headcount:
        return None
    return half_up(total_pay / headcount, KOPECK)


# --- the rows --------------------------------------------------------------------------------


@dataclass
class Row:
    """A brigade's month (or, with ``brigade`` None, the totals of the report)."""

    brigade: Brigade | None
    section: Section | None
    shop: Shop | None
    headcount: int
    hours: Decimal
    piecework: Decimal
    norm_hours: Decimal
    total_pay: Decimal
    distribution: Distribution | None = None
    norms_met_percent: Decimal | None = dataclasses.field(init=False)
    average_pay: Decimal | None = dataclasses.field(init=False)

    def __post_init__(self):
        self.norms_met_percent = norms_met_percent(self.norm_hours, self.hours)
        self.average_pay = average_pay(self.total_pay, self.headcount)

    @property
    def is_totals(self) -> bool:
        return self.brigade is None

    @property
    def piecework_thousands(self) -> Decimal:
        """Output by the work order in thousand rubles, as table 15 shows it."""
        return half_up(self.piecework / THOUSAND, THOUSANDTH)

    @property
    def status(self) -> str:
        return self.distribution.status if self.distribution else ""

    @property
    def is_approved(self) -> bool:
        return self.status == Distribution.Status.APPROVED

    @property
    def brigade_label(self) -> str:
        if self.brigade is None:
            return str(_("Итого"))
        return f"№ {self.brigade.number} «{self.brigade.name}»"

    @property
    def section_label(self) -> str:
        if self.section is None:
            return ""
        return str(
            _("цех %(shop)s, уч. %(section)s")
            % {"shop": self.shop.number, "section": self.section.number}
        )


class Comparison(list):
    """The rows of the report (a list of :class:`Row`) with its ``totals`` row."""

    def __init__(self, rows, *, totals: Row, period: Period | None, include_unapproved: bool):
        super().__init__(rows)
        self.totals = totals
        self.period = period
        self.include_unapproved = include_unapproved


def may_view(user) -> bool:
    """The report is for roles that see whole sheets; a worker sees his own line only."""
    return can(user, "distribution.view_all")


def report_distributions(user):
    """Month documents whose whole sheet the user may see (``distribution.view_all``).

    It starts from ``visible_to`` and narrows it to the units of the roles that see whole
    sheets: a worker's own line does not let him see his brigade's sums, and a brigade
    leader's section role covers only the brigade he leads today (``Brigade.permits``).
    """
    scope = scope_of(user)
    documents = Distribution.objects.visible_to(user).filter(corrects__isnull=True)
    if scope.everything:
        return documents
    roles = ACTIONS["distribution.view_all"]
    today = timezone.localdate()
    covered = Q(pk__in=[])
    for grant in scope.grants:
        if grant.role not in roles:
            continue
        if grant.section_id:
            unit = Q(brigade__section_id=grant.section_id)
        elif grant.shop_id:
            unit = Q(brigade__section__shop_id=grant.shop_id)
        else:
            unit = Q(enterprise_id=grant.enterprise_id)
        if grant.role == Role.BRIGADE_LEADER:
            led = Post.objects.filter(
                kind=Post.Kind.LEADER, worker__user=user, valid_from__lte=today
            ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            unit &= Q(brigade_id__in=led.values("brigade_id"))
        covered |= unit
    return documents.filter(covered)


def _filtered(documents, *, shop=None, section=None, include_unapproved=False):
    if not include_unapproved:
        documents = documents.filter(status=Distribution.Status.APPROVED)
    if shop is not None:
        documents = documents.filter(brigade__section__shop=shop)
    if section is not None:
        documents = documents.filter(brigade__section=section)
    return documents


def brigade_comparison(
    user,
    period: Period | None,
    shop: Shop | None = None,
    section: Section | None = None,
    include_unapproved: bool = False,
) -> Comparison:
    """The rows of table 15 for ``period`` as ``user`` may see them, and their totals.

    Two queries whatever the number of brigades. A user who may not see whole sheets
    (a worker) gets no rows.
    """
    money = DecimalField(max_digits=14, decimal_places=2)
    empty_totals = Row(None, None, None, 0, ZERO, ZERO, ZERO, ZERO)
    if period is None or not may_view(user):
        return Comparison(
            [], totals=empty_totals, period=period, include_unapproved=include_unapproved
        )
    documents = _filtered(
        report_distributions(user).filter(period=period),
        shop=shop,
        section=section,
        include_unapproved=include_unapproved,
    )
    lines = Line.objects.filter(distribution=OuterRef("pk")).order_by().values("distribution")
    annotated = (
        documents.select_related("brigade__section__shop")
        .annotate(
            headcount=Coalesce(
                Subquery(
                    lines.annotate(n=Count("worker", distinct=True)).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            worked=Coalesce(
                Subquery(lines.annotate(s=Sum("hours")).values("s")[:1], output_field=money),
                ZERO,
                output_field=money,
            ),
            pay=Coalesce(
                Subquery(lines.annotate(s=Sum("total")).values("s")[:1], output_field=money),
                ZERO,
                output_field=money,
            ),
        )
        .order_by("brigade__section__shop__number", "brigade__section__number", "brigade__number")
    )
    rows = [
        Row(
            brigade=document.brigade,
            section=document.brigade.section,
            shop=document.brigade.section.shop,
            headcount=document.headcount,
            hours=document.worked,
            piecework=document.piecework,
            norm_hours=document.norm_hours,
            total_pay=document.pay,
            distribution=document,
        )
        for document in annotated
    ]
    headcount = 0
    if rows:
        # A worker who moved between brigades within the month counts once in the totals.
        headcount = Line.objects.filter(
            distribution__in=[r.distribution.pk for r in rows]
        ).aggregate(n=Count("worker", distinct=True))["n"]
    totals = Row(
        None,
        None,
        None,
        headcount,
        sum((r.hours for r in rows), ZERO),
        sum((r.piecework for r in rows), ZERO),
        sum((r.norm_hours for r in rows), ZERO),
        sum((r.total_pay for r in rows), ZERO),
    )
    return Comparison(rows, totals=totals, period=period, include_unapproved=include_unapproved)


def periods_with_documents(user):
    """Months in which the user may see at least one brigade document, latest first."""
    return Period.objects.filter(
        pk__in=report_distributions(user).order_by().values("period_id")
    ).order_by("-year", "-month", "enterprise_id")


def default_period(user, *, shop=None, section=None, include_unapproved=False) -> Period | None:
    """The latest month with documents the report would show (else with any documents)."""
    wanted = _filtered(
        report_distributions(user),
        shop=shop,
        section=section,
        include_unapproved=include_unapproved,
    )
    period = (
        Period.objects.filter(pk__in=wanted.order_by().values("period_id"))
        .order_by("-year", "-month", "enterprise_id")
        .first()
    )
    return period or periods_with_documents(user).first()


def unapproved_count(user, period, *, shop=None, section=None) -> int:
    """Documents of the month not yet approved (the empty state tells about them)."""
    if period is None:
        return 0
    return (
        _filtered(
            report_distributions(user).filter(period=period),
            shop=shop,
            section=section,
            include_unapproved=True,
        )
        .exclude(status=Distribution.Status.APPROVED)
        .count()
    )


# --- export ---------------------------------------------------------------------------------


class ComparisonTable(tables.Table):
    """The table as exported (XLSX/CSV through ``enterprise.lists.PlantTableExport``)."""

    brigade = tables.Column(verbose_name=_("Бригада"), accessor="brigade_label")
    section = tables.Column(verbose_name=_("Цех, участок"), accessor="section_label")
    headcount = tables.Column(verbose_name=_("Численность, чел."))
    hours = tables.Column(verbose_name=_("Отработано, ч"))
    piecework = tables.Column(verbose_name=_("Выработка, руб."))
    norm_hours = tables.Column(verbose_name=_("Выработка, нормо-ч"))
    norms_met_percent = tables.Column(verbose_name=_("Выполнение норм, %"), default="")
    total_pay = tables.Column(verbose_name=_("Заработная плата всего, руб."))
    average_pay = tables.Column(verbose_name=_("Средняя заработная плата, руб."), default="")
    status = tables.Column(verbose_name=_("Состояние"), accessor="distribution", default="")

    class Meta:
        orderable = False

    def value_status(self, value):
        return value.get_status_display() if value else ""


def comparison_table(comparison: Comparison) -> ComparisonTable:
    rows = [*comparison, comparison.totals] if comparison else []
    return ComparisonTable(rows)


# --- the chart -----------------------------------------------------------------------------


@dataclass
class Bar:
    """One brigade's pair of bars; a value is written inside its bar when the bar is long."""

    label: str
    y: float
    text_y: float
    percent: Decimal | None
    percent_width: float
    percent_below: bool
    pay: Decimal | None
    pay_width: float

    @property
    def percent_inside(self) -> bool:
        return self.percent_width > 64

    @property
    def percent_text_x(self) -> float:
        return self.percent_width - 5 if self.percent_inside else self.percent_width + 5

    @property
    def pay_inside(self) -> bool:
        return self.pay_width > 84

    @property
    def pay_text_x(self) -> float:
        return self.pay_width - 5 if self.pay_inside else self.pay_width + 5


@dataclass
class Tick:
    x: float
    value: Decimal


@dataclass
class Chart:
    """Geometry of the inline SVG (user units): two panels of horizontal bars."""

    bars: list[Bar] = dataclasses.field(default_factory=list)
    percent_ticks: list[Tick] = dataclasses.field(default_factory=list)
    pay_ticks: list[Tick] = dataclasses.field(default_factory=list)
    reference_x: float = 0  # the 100 % line
    height: float = 0

    width: float = 960
    label_width: float = 240
    panel_width: float = 300
    gap: float = 40
    top: float = 48
    row_height: float = 30
    bar_height: float = 18

    @property
    def percent_x(self) -> float:
        return self.label_width

    @property
    def pay_x(self) -> float:
        return self.label_width + self.panel_width + self.gap

    @property
    def label_x(self) -> float:
        return self.label_width - 10

    @property
    def grid_top(self) -> float:
        return self.top - 6

    @property
    def grid_bottom(self) -> float:
        return self.height - 20

    @property
    def tick_label_y(self) -> float:
        return self.height - 5

    @property
    def reference_top(self) -> float:
        return self.top - 12

    @property
    def reference_label_y(self) -> float:
        return self.top - 15


def _nice_step(maximum: float, steps: int = 4) -> float:
    """A round step (1, 2, 2.5, 5 × 10ⁿ) that covers ``maximum`` in about ``steps`` steps."""
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def _axis(values: list[float], floor: float) -> tuple[float, float]:
    """(maximum, step) of an axis from 0 that holds the values with a little room."""
    top = max([*values, floor]) * 1.05
    step = _nice_step(top)
    return step * math.ceil(top / step), step


def comparison_chart(rows: list[Row]) -> Chart | None:
    """Bars of % of norms met (with the 100 % line) and of average pay, one pair a brigade."""
    if not rows:
        return None
    chart = Chart()
    percent_max, percent_step = _axis(
        [float(r.norms_met_percent) for r in rows if r.norms_met_percent is not None], 100.0
    )
    pay_max, pay_step = _axis(
        [float(r.average_pay) for r in rows if r.average_pay is not None], 1.0
    )

    def scale(value, maximum: float) -> float:
        return round(chart.panel_width * float(value) / maximum, 1)

    for index, row in enumerate(rows):
        y = chart.top + index * chart.row_height + (chart.row_height - chart.bar_height) / 2
        percent, pay = row.norms_met_percent, row.average_pay
        chart.bars.append(
            Bar(
                label=row.brigade_label,
                y=y,
                text_y=y + chart.bar_height - 5,
                percent=percent,
                percent_width=scale(percent, percent_max) if percent is not None else 0.0,
                percent_below=percent is not None and percent < HUNDRED,
                pay=pay,
                pay_width=scale(pay, pay_max) if pay is not None else 0.0,
            )
        )
    chart.height = chart.top + len(rows) * chart.row_height + 28
    chart.percent_ticks = [
        Tick(scale(n * percent_step, percent_max), _tick_value(n * percent_step))
        for n in range(round(percent_max / percent_step) + 1)
    ]
    chart.pay_ticks = [
        Tick(scale(n * pay_step, pay_max), _tick_value(n * pay_step))
        for n in range(round(pay_max / pay_step) + 1)
    ]
    chart.reference_x = scale(100, percent_max)
    return chart


def _tick_value(value: float) -> Decimal:
    rounded = round(value, 1)
    return Decimal(int(rounded)) if rounded == int(rounded) else Decimal(str(rounded))
