"""A section's month evaluated (§4–§9): what the close stores and the pages show.

:func:`evaluate` turns one section's inputs and the plant's terms into an
:class:`Evaluation` — figures and a JSON-ready ``details`` document that keeps every
number it was computed from. It runs no queries. :func:`rank_shop` and
:func:`split_incentive` then work across the sections of a shop.

Nothing is guessed: a figure that is missing (no passport, no Ккт, no plan of an
indicator a rule needs) or a value outside every step of a scale is written into
``problems`` with a message a person can act on, and the dependent figures stay empty.
A month with problems cannot be closed (see :mod:`khozraschet.closing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise.money import HUNDRED, ZERO, half_up
from enterprise.rules import OutOfScale, step_lookup

from .. import rules
from ..models import BonusCategory, Indicator, Measure, Position
from .costs import build_table
from .digests import digest_of
from .gather import SectionInputs, Terms

TENSION_BONUS = gettext_lazy("Премия «%(category)s» по Кнапр")
QUALITY_SHARE = gettext_lazy("Доля премии «%(category)s» по Ккт")
COMPLEX_CORRECTION = gettext_lazy("Поправка по Ккоэкт для «%(category)s»")


def as_stored(value) -> str | None:
    """A Decimal as stored in ``details`` (a string keeps every digit); None stays None."""
    return None if value is None else str(value)


@dataclass
class Evaluation:
    """One section's month, evaluated."""

    section_id: int
    shop_id: int
    section: object = field(default=None, repr=False, compare=False)
    production_type: str = ""
    plan_met: bool = False
    tension: Decimal | None = None
    capacity_use: Decimal | None = None
    completeness: Decimal | None = None
    rhythmicity: Decimal | None = None
    complex_evaluation: Decimal | None = None
    quality: Decimal | None = None
    competition: Decimal | None = None
    rank: int | None = None
    cost_plan: Decimal = ZERO
    cost_plan_corrected: Decimal = ZERO
    cost_actual: Decimal = ZERO
    claims_net: Decimal = ZERO
    wage_fund_plan: Decimal = ZERO
    wage_fund_actual: Decimal = ZERO
    incentive: Decimal = ZERO
    energy_bonus: Decimal = ZERO
    problems: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    digest: str = ""


# --- indicators ------------------------------------------------------------------------------


def _actual_of(indicator: Indicator, inputs: SectionInputs):
    """An indicator's actual where it comes from (the cost's is the cost table's)."""
    source = indicator.source
    if source == Indicator.Source.OUTPUT:
        return None if inputs.output is None else sum(inputs.output, Decimal(0))
    if source == Indicator.Source.WAGE_FUND:
        return inputs.wage_fund
    if source == Indicator.Source.CLAIMS:
        return inputs.claims_net
    value = inputs.values.get(indicator.pk)
    return None if value is None else value.actual


def _indicator_rows(terms: Terms, inputs: SectionInputs, costs: dict) -> list[dict]:
    rows = []
    for indicator in terms.indicators:
        value = inputs.values.get(indicator.pk)
        if indicator.source == Indicator.Source.COST:
            plan = costs["plan_corrected"] if costs["lines"] else None
            actual = costs["actual"] if costs["complete"] else None
        else:
            plan = None if value is None else value.plan
            actual = _actual_of(indicator, inputs)
        applies = indicator.source != Indicator.Source.WAGE_FUND or inputs.brigades
        direction = rules.Direction(indicator.direction)
        ratio = rules.ratio(actual, plan) if actual is not None and plan else None
        met = None
        if plan is not None and actual is not None:
            met = rules.met(actual, plan, direction)
        rows.append(
            {
                "pk": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "places": indicator.places,
                "direction": indicator.direction,
                "source": indicator.source,
                "role": indicator.role,
                "mandatory": indicator.mandatory and applies,
                "applies": applies,
                "plan": as_stored(plan),
                "actual": as_stored(actual),
                "ratio": as_stored(ratio),
                "percent": as_stored(
                    rules.fulfilment_percent(actual, plan, direction)
                    if actual is not None and plan
                    else None
                ),
                "met": met,
            }
        )
    return rows


# --- costs -----------------------------------------------------------------------------------


def _cost_table(terms: Terms, inputs: SectionInputs) -> dict:
    """Plan, corrections, recalculated plan, actual and deviation per article (§5): the
    cost page's table (:func:`selectors.costs.build_table`), as the result keeps it."""
    sums: dict[int, Decimal] = {}
    for correction in inputs.corrections:
        sums[correction.article_id] = sums.get(correction.article_id, ZERO) + correction.amount
    table = build_table(terms.articles, inputs.costs, sums)
    used = [row for row in table.rows if not row.empty]
    materials = table.materials
    names = {article.pk: article.name for article in terms.articles}
    return {
        "lines": [
            {
                "article": row.article.name,
                "plan": as_stored(row.plan),
                "corrections": as_stored(row.corrections),
                "plan_corrected": as_stored(row.recalculated),
                "actual": as_stored(row.actual),
                "deviation": as_stored(row.deviation),
            }
            for row in used
        ],
        "plan": table.plan,
        "plan_corrected": table.recalculated,
        "actual": table.actual if table.actual is not None else ZERO,
        "complete": table.complete and bool(used),
        "materials_plan": materials.recalculated,
        "materials_actual": materials.actual if materials.actual is not None else ZERO,
        "corrections": [
            {
                "article": names.get(c.article_id, ""),
                "amount": as_stored(c.amount),
                "reason": c.reason,
                "author": c.author,
            }
            for c in inputs.corrections
        ],
    }


# --- the parts of the evaluation -------------------------------------------------------------


def _lookup(terms: Terms, scale_id: int | None, x: Decimal, problems: list[str], what, **names):
    """The scale's value for ``x`` (2 places), or None with the problem named: ``what``
    is a lazy message formatted with ``names`` only when the value is out of scale."""
    if scale_id is None:
        return None
    try:
        return step_lookup(terms.scales.get(scale_id, []), half_up(x, rules.SCALE_PLACES))
    except OutOfScale:
        problems.append(
            _("%(what)s: значение %(x)s не попадает ни в один диапазон шкалы «%(scale)s».")
            % {
                "what": str(what) % names,
                "x": number_format(x),
                "scale": terms.scale_names.get(scale_id, ""),
            }
        )
        return None


def _percent_short(row: dict | None) -> Decimal:
    """How far under its plan an indicator row is, in % (0 when met or unknown)."""
    if row is None or row["percent"] is None:
        return Decimal(0)
    return max(Decimal(0), HUNDRED - Decimal(row["percent"]))


def _decade_shortfalls(plan: list[Decimal], actual: list[Decimal] | None) -> list[Decimal]:
    """Each decade's output short of its own plan, in % of that plan."""
    actual = actual or [Decimal(0)] * 3
    result = []
    for planned, done in zip(plan, actual, strict=True):
        if not planned:
            result.append(Decimal(0))
        else:
            result.append(max(Decimal(0), half_up((planned - done) / planned * HUNDRED)))
    return result


def _deviations(ev: Evaluation, inputs: SectionInputs, rows: dict[str, dict]) -> dict:
    """The deviation (in %) each scorecard measure reads from the month."""
    month = inputs.month
    completeness_short = (
        Decimal(0)
        if ev.completeness is None
        else max(Decimal(0), half_up((1 - ev.completeness) * HUNDRED))
    )
    decades = _decade_shortfalls(month.decade_plan if month else [Decimal(0)] * 3, inputs.output)
    return {
        Measure.COMPLETENESS: completeness_short,
        Measure.PRODUCTIVITY_WAGE: month.productivity_wage_deviation if month else Decimal(0),
        Measure.RHYTHM_1: decades[0],
        Measure.RHYTHM_2: decades[1],
        Measure.RHYTHM_3: decades[2],
        Measure.VOLUME: _percent_short(rows.get(Indicator.Role.VOLUME)),
        Measure.COST: _percent_short(rows.get(Indicator.Role.COST)),
    }


def _complex(terms, ev, inputs, rows, production_type, problems) -> dict:
    """Ккоэкт of each position's scorecard (table 7)."""
    result = {}
    if production_type is None:
        return result
    deviations = _deviations(ev, inputs, rows)
    labels = terms.labels.measures
    for position, card in terms.scorecards.items():
        planned = rules.planned_points(card)
        if not planned:
            continue
        points = rules.scorecard_points(card, deviations, production_type)
        value = rules.complex_evaluation(points, planned)
        result[position] = {
            "position": terms.labels.positions.get(position, position),
            "rows": [
                {
                    "code": row.measure,
                    "measure": labels.get(row.measure, row.measure),
                    "base": as_stored(row.base_points),
                    "deviation": as_stored(deviations.get(row.measure, Decimal(0))),
                    "penalty": as_stored(
                        row.penalty_serial
                        if production_type
                        in (
                            rules.ProductionType.MASS,
                            rules.ProductionType.LARGE_SERIAL,
                            rules.ProductionType.SERIAL,
                        )
                        else row.penalty_small_serial
                    ),
                    "points": as_stored(rules.scorecard_points([row], deviations, production_type)),
                }
                for row in card
            ],
            "points": as_stored(points),
            "planned": as_stored(planned),
            "value": as_stored(value),
        }
    return result


def _bonuses(terms, ev, inputs, complex_by_position, by_role, period_month, problems):
    """The bonus of each category (§7): scale by Кнапр × Ккоэкт correction × Ккт share,
    in the category's share of the scale; months 1–2 of a quarter withhold a part."""
    month = inputs.month
    productivity = by_role.get(Indicator.Role.PRODUCTIVITY)
    cost = by_role.get(Indicator.Role.COST)
    productivity_met = productivity is None or bool(productivity["met"])
    cost_met = cost is None or bool(cost["met"])
    result = []
    for category in terms.categories:
        entry = {"code": category.code, "name": category.name, "percent": None}
        result.append(entry)
        quality = None
        if month is not None:
            quality = (
                month.quality_masters
                if category.quality == BonusCategory.Quality.MASTERS
                else month.quality_collective
            )
        if quality is None:
            problems.append(
                _("Не введён Ккт (%(column)s): премия «%(category)s» не рассчитывается.")
                % {"column": category.get_quality_display(), "category": category.name}
            )
        complex_value = None
        if category.position:
            card = complex_by_position.get(category.position)
            if card is None:
                problems.append(
                    _("Нет оценочной карты для «%(category)s».") % {"category": category.name}
                )
                continue
            complex_value = Decimal(card["value"])
        if ev.tension is None or quality is None:
            continue
        checks = [
            (category.tension_scale_id, ev.tension, TENSION_BONUS),
            (category.quality_scale_id, quality, QUALITY_SHARE),
        ]
        if complex_value is not None:
            checks.append((category.correction_scale_id, complex_value, COMPLEX_CORRECTION))
        found = [
            _lookup(terms, scale_id, x, problems, what, category=category.name)
            for scale_id, x, what in checks
        ]
        if None in found:
            continue
        bonus = rules.bonus_percent(
            rules.BonusInputs(
                tension=ev.tension,
                productivity_met=productivity_met,
                cost_met=cost_met,
                quality=quality,
                complex_evaluation=complex_value,
                month=period_month,
                withhold_percent=terms.settings.withhold_percent,
            ),
            tension_scale=terms.scales.get(category.tension_scale_id, ()),
            correction_scale=terms.scales.get(category.correction_scale_id, ()),
            quality_scale=terms.scales.get(category.quality_scale_id, ()),
        )

        def share(value, category=category):
            return rules.category_percent(value, category.share_of_scale, HUNDRED)

        percent, paid_now, withheld = (
            share(bonus.percent),
            share(bonus.paid_now),
            share(bonus.percent) - share(bonus.paid_now),
        )
        released = ZERO
        if bonus.month_of_quarter == 3:
            released = rules.quarter_release(
                inputs.withheld.get(category.code, []),
                bonus.conditions_met and all(inputs.conditions_earlier),
            )
        entry.update(
            {
                "base_percent": as_stored(bonus.base_percent),
                "share_of_scale": as_stored(category.share_of_scale),
                "complex": as_stored(complex_value),
                "correction": as_stored(bonus.complex_correction),
                "quality": as_stored(quality),
                "quality_percent": as_stored(bonus.quality_percent),
                "conditions_met": bonus.conditions_met,
                "unmet": list(bonus.unmet),
                "percent": as_stored(percent),
                "month_of_quarter": bonus.month_of_quarter,
                "paid_now": as_stored(paid_now + released),
                "withheld": as_stored(withheld),
                "released": as_stored(released),
            }
        )
    return result


def _competition_deltas(rows: dict[str, dict], costs: dict) -> dict[str, Decimal]:
    """Table 8's deviations from plan in %, positive = better, from the month's figures."""
    deltas: dict[str, Decimal] = {}
    for code, role in (
        ("output", Indicator.Role.VOLUME),
        ("productivity", Indicator.Role.PRODUCTIVITY),
        ("nomenclature", Indicator.Role.NOMENCLATURE),
        ("wage_fund", Indicator.Role.WAGE_FUND),
    ):
        row = rows.get(role)
        if row is None or row["plan"] is None or row["actual"] is None:
            continue
        value = rules.deviation_percent(
            Decimal(row["actual"]), Decimal(row["plan"]), rules.Direction(row["direction"])
        )
        if value is not None:
            deltas[code] = value
    if costs["complete"]:
        lower = rules.Direction.LOWER
        value = rules.deviation_percent(costs["actual"], costs["plan_corrected"], lower)
        if value is not None:
            deltas["cost"] = value
        value = rules.deviation_percent(costs["materials_actual"], costs["materials_plan"], lower)
        if value is not None:
            deltas["materials"] = value
    return deltas


def _idle(terms: Terms, inputs: SectionInputs) -> dict | None:
    if not inputs.idle:
        return None
    fund = inputs.month.shift_fund_hours if inputs.month else None
    # Without the month's shift fund the causes' shares stand, their share of the fund not.
    analysis = rules.idle_analysis(inputs.idle, fund or Decimal(0))
    labels = terms.labels.causes
    return {
        "rows": [
            {
                "cause": row.cause,
                "label": labels.get(row.cause, row.cause),
                "hours": as_stored(row.hours),
                "share": as_stored(row.share_percent),
                "cumulative": as_stored(row.cumulative_percent),
                "fund_share": as_stored(row.fund_percent),
            }
            for row in analysis.rows
        ],
        "total": as_stored(analysis.total_hours),
        "fund": as_stored(fund),
        "fund_share": as_stored(analysis.fund_percent),
    }


# --- the whole ------------------------------------------------------------------------------


def evaluate(
    terms: Terms, inputs: SectionInputs, period_month: int, *, digest: str | None = None
) -> Evaluation:
    """One section's month evaluated (no queries); its ``digest`` is the one given (the
    month's, see :mod:`.plant`), by default its own inputs' fingerprint."""
    section = inputs.section
    ev = Evaluation(section_id=section.pk, shop_id=section.shop_id, section=section)
    problems = ev.problems
    details: dict = {}

    # §1–§2: the production type from the passport in force.
    production_type = None
    passport = inputs.passport
    if passport is None:
        problems.append(_("Нет паспорта участка: тип производства неизвестен."))
    else:
        kz = rules.operations_fixing_coefficient(passport.operations, passport.workplaces)
        production_type = rules.production_type(kz, terms.thresholds)
        ev.production_type = production_type.value
        details["production"] = {
            "operations": passport.operations,
            "workplaces": passport.workplaces,
            "kz": as_stored(kz),
            "type": production_type.value,
            "label": terms.labels.types[production_type.value],
            "passport_from": passport.valid_from.isoformat(),
        }

    # §5: costs against the recalculated plan.
    costs = _cost_table(terms, inputs)
    ev.cost_plan = costs["plan"]
    ev.cost_plan_corrected = costs["plan_corrected"]
    ev.cost_actual = costs["actual"]
    details["costs"] = {
        key: costs[key] if key in ("lines", "corrections", "complete") else as_stored(costs[key])
        for key in costs
    }

    # §4, §9: indicators, plan vs actual.
    rows = _indicator_rows(terms, inputs, costs)
    details["indicators"] = rows
    by_role = {row["role"]: row for row in rows if row["role"]}
    missing = [row["name"] for row in rows if row["mandatory"] and row["met"] is None]
    for name in missing:
        problems.append(
            _("Обязательный показатель «%(name)s» без плана или факта.") % {"name": name}
        )
    ev.plan_met = not missing and all(row["met"] for row in rows if row["mandatory"])
    auxiliary_met = False
    if inputs.purpose == "auxiliary" and inputs.consumers:
        auxiliary_met = not (inputs.claimants & inputs.consumers)
        if auxiliary_met:
            ev.plan_met = True
    details["auxiliary_met"] = auxiliary_met
    details["claimants"] = sorted(inputs.claimants)
    ev.claims_net = inputs.claims_net
    wage = by_role.get(Indicator.Role.WAGE_FUND)
    if wage:
        ev.wage_fund_plan = Decimal(wage["plan"]) if wage["plan"] else ZERO
        ev.wage_fund_actual = Decimal(wage["actual"]) if wage["actual"] else ZERO
    elif inputs.wage_fund is not None:
        ev.wage_fund_actual = inputs.wage_fund

    # §6: plan tension from the plant's factor set.
    factors = []
    rows_by_pk = {row["pk"]: row for row in rows}
    for factor in terms.factors:
        row = rows_by_pk.get(factor.indicator_id)
        ratio = Decimal(row["ratio"]) if row and row["ratio"] else None
        factors.append(
            {
                "name": factor.indicator.name,
                "ratio": as_stored(ratio),
                "direction": factor.indicator.direction,
                "weight": as_stored(factor.weight),
            }
        )
    if factors and all(f["ratio"] for f in factors):
        ev.tension = rules.plan_tension_weighted(
            [
                rules.TensionFactor(
                    ratio=Decimal(f["ratio"]),
                    direction=rules.Direction(f["direction"]),
                    weight=Decimal(f["weight"]),
                )
                for f in factors
            ]
        )
    elif factors:
        absent = ", ".join(f["name"] for f in factors if not f["ratio"])
        problems.append(
            _("Кнапр не рассчитан: нет плана или факта — %(names)s.") % {"names": absent}
        )
    details["tension"] = {"factors": factors, "value": as_stored(ev.tension)}

    # §6: capacity use; §7: completeness; operational §1: rhythmicity.
    month = inputs.month
    output_total = None if inputs.output is None else sum(inputs.output, Decimal(0))
    if passport is not None and passport.capacity and output_total is not None:
        ev.capacity_use = rules.capacity_use(output_total, passport.capacity)
    details["capacity"] = {
        "actual": as_stored(output_total),
        "capacity": as_stored(passport.capacity if passport else None),
        "use": as_stored(ev.capacity_use),
    }
    if month is not None and month.on_time_output is not None and month.shortfall is not None:
        ev.completeness = rules.completeness(month.on_time_output, month.shortfall)
    details["completeness"] = {
        "on_time": as_stored(month.on_time_output if month else None),
        "shortfall": as_stored(month.shortfall if month else None),
        "value": as_stored(ev.completeness),
    }
    decade_plan = month.decade_plan if month else [Decimal(0)] * 3
    decade_actual = inputs.output or [Decimal(0)] * 3
    if any(decade_plan) and any(decade_actual):
        ev.rhythmicity = rules.rhythmicity(decade_plan, decade_actual)
    details["decades"] = {
        "plan": [as_stored(v) for v in decade_plan],
        "actual": [as_stored(v) for v in decade_actual],
        "value": as_stored(ev.rhythmicity),
    }

    # §7: the complex evaluation, the labour quality and the bonuses.
    complex_by_position = _complex(terms, ev, inputs, by_role, production_type, problems)
    details["complex"] = complex_by_position
    master = complex_by_position.get(Position.MASTER)
    ev.complex_evaluation = Decimal(master["value"]) if master else None
    ev.quality = month.quality_collective if month else None
    productivity = by_role.get(Indicator.Role.PRODUCTIVITY)
    cost = by_role.get(Indicator.Role.COST)
    conditions = (productivity is None or bool(productivity["met"])) and (
        cost is None or bool(cost["met"])
    )
    reasons = []
    if productivity is not None and not productivity["met"]:
        reasons.append(_("план по производительности труда не выполнен"))
    if cost is not None and not cost["met"]:
        reasons.append(_("план по себестоимости не выполнен"))
    details["conditions_met"] = conditions
    details["conditions_reasons"] = reasons
    details["bonuses"] = _bonuses(
        terms, ev, inputs, complex_by_position, by_role, period_month, problems
    )

    # §7: energy savings, outside the wage fund.
    energy_rows = []
    for saving in inputs.energy:
        try:
            bonus = rules.energy_bonus(
                saving.saved_value, saving.percent, terms.settings.energy_max_percent
            )
        except ValueError:
            problems.append(
                _("Премия за экономию «%(resource)s» выше предела %(cap)s %%.")
                % {
                    "resource": saving.get_resource_display(),
                    "cap": number_format(terms.settings.energy_max_percent),
                }
            )
            continue
        ev.energy_bonus += bonus
        energy_rows.append(
            {
                "resource": str(saving.get_resource_display()),
                "saved": as_stored(saving.saved_value),
                "percent": as_stored(saving.percent),
                "bonus": as_stored(bonus),
            }
        )
    details["energy"] = energy_rows

    # §3: idle hours (table 11).
    details["idle"] = _idle(terms, inputs)

    # §8: the competition coefficient (ranked across the shop by rank_shop).
    deltas = _competition_deltas(by_role, costs)
    known = {rule.code for rule in terms.competition}
    deltas = {code: value for code, value in deltas.items() if code in known}
    if terms.competition:
        ev.competition = rules.competition_coefficient(deltas, terms.competition)
    details["competition"] = {
        "deltas": {code: as_stored(value) for code, value in deltas.items()},
        "value": as_stored(ev.competition),
    }
    details["problems"] = list(problems)
    ev.details = details
    ev.digest = digest if digest is not None else digest_of(terms, inputs)
    return ev
