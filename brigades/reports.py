"""«Сравнение бригад» — table 15 of the booklet (domain/brigades.md §5), and its charts.

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
from dataclasses import dataclass
from decimal import Decimal

import django_tables2 as tables
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from enterprise import charts
from enterprise.columns import NumberColumn
from enterprise.models import Period, Section, Shop
from enterprise.models.roles import Role
from enterprise.money import HUNDRED, KOPECK, TENTH, THOUSAND, THOUSANDTH, ZERO, half_up
from enterprise.permissions import ACTIONS, can
from enterprise.scoping import scope_of

from .models import Brigade, Distribution, Line, Post

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
    headcount = NumberColumn(verbose_name=_("Численность, чел."), places=0)
    hours = NumberColumn(verbose_name=_("Отработано, ч"), places=2, plain=True)
    piecework = NumberColumn(verbose_name=_("Выработка, руб."), places=2)
    norm_hours = NumberColumn(verbose_name=_("Выработка, нормо-ч"), places=2, plain=True)
    norms_met_percent = NumberColumn(verbose_name=_("Выполнение норм, %"), places=1, default="")
    total_pay = NumberColumn(verbose_name=_("Заработная плата всего, руб."), places=2)
    average_pay = NumberColumn(
        verbose_name=_("Средняя заработная плата, руб."), places=2, default=""
    )
    status = tables.Column(verbose_name=_("Состояние"), accessor="distribution", default="")

    class Meta:
        orderable = False

    def value_status(self, value):
        return value.get_status_display() if value else ""


def comparison_table(comparison: Comparison) -> ComparisonTable:
    rows = [*comparison, comparison.totals] if comparison else []
    return ComparisonTable(rows)


# --- the charts ----------------------------------------------------------------------------


@dataclass
class ComparisonCharts:
    """The report's two charts (SVG markup of ``enterprise.charts``), a bar a brigade."""

    norms: SafeString | None
    pay: SafeString | None


def comparison_charts(rows: list[Row]) -> ComparisonCharts | None:
    """% of norms met (the 100 % norm dashed; a brigade short of it orange) and average pay."""
    if not rows:
        return None
    labels = [row.brigade_label for row in rows]
    return ComparisonCharts(
        norms=charts.bars(
            labels,
            [(str(_("Выполнение норм, %")), [row.norms_met_percent for row in rows])],
            title=str(_("Выполнение норм по бригадам, %")),
            unit="%",
            horizontal=True,
            reference=HUNDRED,
            reference_label=str(_("норма 100 %")),
            colors=(charts.GREEN,),
        ),
        pay=charts.bars(
            labels,
            [(str(_("Средняя заработная плата, руб.")), [row.average_pay for row in rows])],
            title=str(_("Средняя заработная плата одного члена бригады, руб.")),
            unit=str(_("руб.")),
            horizontal=True,
        ),
    )
