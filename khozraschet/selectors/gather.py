"""Everything a month's results are computed from, read in a fixed number of queries.

The close reads a whole shop (or the whole plant) at once: the plant's terms
(:class:`Terms`), and for every section its inputs (:class:`SectionInputs`) — its own
figures from this app and the figures the other apps already hold, through their
selectors (recorded output by decade, the approved brigades' pay, the decided claims).
The number of queries does not grow with the number of sections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Q

from brigades.selectors import section_wage_funds
from claims.selectors import section_claims
from enterprise.models import Period, Section, StepScaleRow
from enterprise.rules import Step
from planning.tracking.selectors import output_by_decade

from .. import rules
from ..models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostCorrection,
    CostLine,
    EnergySaving,
    IdleCause,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Measure,
    Passport,
    Position,
    Profile,
    ScorecardRow,
    SectionMonth,
    SectionResult,
    Settings,
    TensionFactor,
)
from .costs import articles_of
from .digests import terms_digest
from .sections import TYPE_LABELS


class Labels:
    """The names a result's document keeps, translated once per close (not per section)."""

    def __init__(self):
        self.types = {code: str(label) for code, label in TYPE_LABELS.items()}
        self.measures = {code: str(label) for code, label in Measure.choices}
        self.positions = {code: str(label) for code, label in Position.choices}
        self.causes = {code: str(label) for code, label in IdleCause.choices}


@dataclass
class Terms:
    """The plant's configuration as it stands when the month is summed up."""

    settings: Settings
    thresholds: rules.Thresholds
    indicators: list[Indicator]
    factors: list[TensionFactor]
    articles: list[CostArticle]
    scorecards: dict[str, list[rules.ScorecardRow]]
    competition: list[rules.CompetitionRule]
    categories: list[BonusCategory]
    scales: dict[int, list[Step]]
    scale_names: dict[int, str]
    labels: Labels | None = None
    digest: str = ""

    def by_role(self, role: str) -> Indicator | None:
        return next((i for i in self.indicators if i.role == role), None)


class Figure(NamedTuple):
    """A plan and an actual as read (an indicator's or a cost article's)."""

    plan: Decimal
    actual: Decimal | None


@dataclass
class Correction:
    article_id: int
    amount: Decimal
    reason: str
    author: str


@dataclass
class SectionInputs:
    """One section's figures of the month, as read."""

    section: Section
    purpose: str = "main"
    consumers: set[int] = field(default_factory=set)
    passport: Passport | None = None
    month: SectionMonth | None = None
    values: dict[int, Figure] = field(default_factory=dict)
    costs: dict[int, Figure] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    idle: dict[str, Decimal] = field(default_factory=dict)
    energy: list[EnergySaving] = field(default_factory=list)
    output: list[Decimal] | None = None
    wage_fund: Decimal | None = None
    brigades: bool = False  # the section's brigades have documents of the month
    claims_net: Decimal = Decimal("0.00")
    claimants: set[int] = field(default_factory=set)
    # bonuses withheld in the earlier months of the quarter, by category code
    withheld: dict[str, list[Decimal]] = field(default_factory=dict)
    conditions_earlier: list[bool] = field(default_factory=list)


def settings_of(enterprise_id: int) -> Settings:
    """The plant's terms (the defaults of the booklet until the plant sets its own)."""
    found = Settings.objects.filter(enterprise_id=enterprise_id).first()
    return found or Settings(enterprise_id=enterprise_id)


def terms_of(enterprise_id: int) -> Terms:
    """The plant's configuration: eight queries."""
    settings = settings_of(enterprise_id)
    categories = list(
        BonusCategory.objects.filter(enterprise_id=enterprise_id).order_by("order", "name")
    )
    scale_ids = {
        pk
        for category in categories
        for pk in (
            category.tension_scale_id,
            category.correction_scale_id,
            category.quality_scale_id,
        )
        if pk
    }
    scales: dict[int, list[Step]] = {pk: [] for pk in scale_ids}
    names: dict[int, str] = {}
    for row in StepScaleRow.objects.filter(scale_id__in=scale_ids).select_related("scale"):
        scales[row.scale_id].append(Step(row.lower, row.upper, row.value))
        names[row.scale_id] = row.scale.name
    for steps in scales.values():
        steps.sort(key=lambda s: (s.lower is not None, s.lower or Decimal(0)))
    scorecards: dict[str, list[rules.ScorecardRow]] = defaultdict(list)
    for row in ScorecardRow.objects.filter(enterprise_id=enterprise_id).order_by("pk"):
        scorecards[row.position].append(
            rules.ScorecardRow(
                measure=row.measure,
                base_points=row.base_points,
                penalty_serial=row.penalty_serial,
                penalty_small_serial=row.penalty_small_serial,
            )
        )
    competition = [
        rules.CompetitionRule(
            code=row.factor,
            per=row.per,
            gain=row.gain,
            loss=row.loss,
            counts_when_unmet=row.counts_when_unmet,
        )
        for row in CompetitionRule.objects.filter(enterprise_id=enterprise_id)
    ]
    terms = Terms(
        settings=settings,
        thresholds=rules.Thresholds(
            mass=settings.mass_max,
            large_serial=settings.large_serial_max,
            serial=settings.serial_max,
            small_serial=settings.small_serial_max,
        ),
        indicators=list(
            Indicator.objects.filter(enterprise_id=enterprise_id, active=True).order_by(
                "order", "name"
            )
        ),
        factors=list(
            TensionFactor.objects.filter(enterprise_id=enterprise_id).select_related("indicator")
        ),
        articles=list(articles_of(enterprise_id)),
        scorecards=dict(scorecards),
        competition=competition,
        categories=categories,
        scales=scales,
        scale_names=names,
    )
    terms.labels = Labels()
    terms.digest = terms_digest(terms)
    return terms


def month_sections(enterprise_id: int, period: Period, shop_id: int | None = None):
    """The sections summed up for the month: those of the plant (or of a shop) that are on
    self-financing — their attributes (:class:`Profile`) recorded and a passport in force
    by the month's end (the passport is the base of the evaluation, §2). Each carries its
    purpose (``khz_purpose``)."""
    sections = (
        Section.objects.filter(
            shop__enterprise_id=enterprise_id,
            khz_profile__isnull=False,
            khz_passports__valid_from__lte=period.end,
        )
        .annotate(khz_purpose=F("khz_profile__purpose"))
        .select_related("shop")
    )
    if shop_id is not None:
        sections = sections.filter(shop_id=shop_id)
    return list(sections.distinct().order_by("shop__number", "number"))


def quarter_months(period: Period) -> list[tuple[int, int]]:
    """The earlier months of the period's quarter, as (year, month)."""
    first = (period.month - 1) // 3 * 3 + 1
    return [(period.year, month) for month in range(first, period.month)]


def gather(enterprise_id: int, period: Period, shop_id: int | None = None) -> list[SectionInputs]:
    """Every section's inputs of ``period`` (of one shop, or of the plant). A fixed number
    of queries: the sections, their profiles and consumers, passports, months, values,
    costs, corrections, idle hours, energy, the earlier results of the quarter, and one
    selector of each other app."""
    # The sections summed up (as month_sections) read with their passports in force, in
    # one query: a section's first passport in this order is the newest from on or
    # before the month's end, the one in force.
    passports = (
        Passport.objects.filter(
            section__shop__enterprise_id=enterprise_id,
            section__khz_profile__isnull=False,
            valid_from__lte=period.end,
        )
        .annotate(khz_purpose=F("section__khz_profile__purpose"))
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "section_id", "-valid_from")
    )
    if shop_id is not None:
        passports = passports.filter(section__shop_id=shop_id)
    inputs: dict[int, SectionInputs] = {}
    for passport in passports:
        if passport.section_id not in inputs:
            inputs[passport.section_id] = SectionInputs(
                section=passport.section, purpose=passport.khz_purpose, passport=passport
            )
    ids = list(inputs)
    if not ids:
        return []
    # The month's own rows: the period is the enterprise's, so no list of sections is
    # sent; rows of a section not summed up (or of another shop) are passed over.
    # Rows keyed by section are read without the models' ordering (``order_by()``): its
    # joins of the section, shop, period and indicator and its sort are work for nothing.
    in_month = {"period": period}
    if shop_id is not None:
        in_month["section__shop_id"] = shop_id

    for section_id, consumer_id in (
        Profile.consumers.through.objects.filter(
            profile__section__shop__enterprise_id=enterprise_id
        )
        .values_list("profile__section_id", "section_id")
        .order_by()
    ):
        if section_id in inputs:
            inputs[section_id].consumers.add(consumer_id)
    for month in SectionMonth.objects.filter(**in_month).order_by():
        if month.section_id in inputs:
            inputs[month.section_id].month = month
    for section_id, indicator_id, plan, actual in (
        IndicatorValue.objects.filter(**in_month)
        .values_list("section_id", "indicator_id", "plan", "actual")
        .order_by()
    ):
        if section_id in inputs:
            inputs[section_id].values[indicator_id] = Figure(plan, actual)
    for section_id, article_id, plan, actual in (
        CostLine.objects.filter(**in_month)
        .values_list("section_id", "article_id", "plan", "actual")
        .order_by()
    ):
        if section_id in inputs:
            inputs[section_id].costs[article_id] = Figure(plan, actual)
    for correction in (
        CostCorrection.objects.filter(**in_month).select_related("author").order_by("pk")
    ):
        if correction.section_id not in inputs:
            continue
        author = correction.author
        inputs[correction.section_id].corrections.append(
            Correction(
                article_id=correction.article_id,
                amount=correction.amount,
                reason=correction.reason,
                author=(author.get_full_name() or author.get_username()) if author else "",
            )
        )
    for section_id, cause, hours in (
        IdleRecord.objects.filter(**in_month).values_list("section_id", "cause", "hours").order_by()
    ):
        if section_id in inputs:
            inputs[section_id].idle[cause] = hours
    for saving in EnergySaving.objects.filter(**in_month).order_by("resource"):
        if saving.section_id in inputs:
            inputs[saving.section_id].energy.append(saving)

    earlier = quarter_months(period)
    if earlier:
        condition = Q()
        for year, month in earlier:
            condition |= Q(period__year=year, period__month=month)
        # Only the two keys read of each earlier document, not the whole documents.
        for section_id, bonuses, conditions_met in (
            SectionResult.objects.filter(condition, period__enterprise_id=enterprise_id)
            .values_list("section_id", "details__bonuses", "details__conditions_met")
            .order_by("period__month")
        ):
            target = inputs.get(section_id)
            if target is None:
                continue
            for bonus in bonuses or []:
                target.withheld.setdefault(bonus["code"], []).append(
                    Decimal(bonus.get("withheld") or "0")
                )
            target.conditions_earlier.append(bool(conditions_met))

    outputs = output_by_decade(enterprise_id, period)
    funds = section_wage_funds(enterprise_id, period)
    effects, claimants = section_claims(enterprise_id, period)
    for pk, target in inputs.items():
        target.output = outputs.get(pk)
        # Brigade documents but none approved: not known yet (None); no brigade at all:
        # the section pays nobody collectively, its wage fund indicator does not apply.
        target.wage_fund = funds.get(pk)
        target.brigades = pk in funds
        target.claims_net = effects.get(pk, Decimal("0.00"))
        target.claimants = claimants.get(pk, set())
    return [inputs[pk] for pk in ids]


def funds_of(enterprise_id: int, period: Period) -> dict[int | None, Decimal]:
    """The incentive funds of the month: shop id → amount (None: the plant's sections)."""
    return {
        fund.shop_id: fund.amount
        for fund in IncentiveFund.objects.filter(
            enterprise_id=enterprise_id, period=period
        ).order_by()
    }
