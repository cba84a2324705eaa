"""The monthly close of section self-financing: compute the month's results and store them.

:func:`results_compute` reads the whole plant's month (a fixed number of queries,
:mod:`khozraschet.selectors.gather`) and its fingerprints, evaluates the sections of the
shops whose stored results are not current (all of them on a first close), ranks each
shop's sections and the shops, splits the incentive funds, and writes the results of the
scope asked for (one shop, or the plant). It is idempotent: a result whose inputs did not
change is neither evaluated nor written again, so closing twice gives the same results
and the second close writes nothing. The period's close freezes the results with the
month (the database refuses any write of a closed month); reopening the month lets the
close compute them again.

:func:`results_run_start` queues the close on the task worker with a progress record.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.models import Period, Shop
from enterprise.money import HUNDRED, ZERO, half_up
from enterprise.tracking import PeriodClosedError, acting_as

from .. import rules
from ..models import ResultRun, SectionResult, ShopResult
from ..selectors.evaluate import Evaluation
from ..selectors.plant import Month, evaluate_shops, read_month

RESULT_FIELDS = (
    "shop_id",
    "production_type",
    "plan_met",
    "tension",
    "capacity_use",
    "completeness",
    "rhythmicity",
    "complex_evaluation",
    "quality",
    "competition",
    "rank",
    "cost_plan",
    "cost_plan_corrected",
    "cost_actual",
    "claims_net",
    "wage_fund_plan",
    "wage_fund_actual",
    "incentive",
    "energy_bonus",
    "problems",
    "details",
    "digest",
)
SHOP_FIELDS = (
    "competition",
    "rank",
    "tension",
    "cost_plan_corrected",
    "cost_actual",
    "claims_net",
    "wage_fund_actual",
    "incentive",
    "details",
)


@dataclass
class Outcome:
    """What a close computed and wrote."""

    sections: int
    written: int
    problems: int
    shops: int


def _shop_rows(evaluations: list[Evaluation]) -> dict[int, dict]:
    """Each shop's month summed from its sections; its coefficient is the sections'
    coefficients weighted by their planned wage fund (a plain mean where none is planned).
    Not ranked yet (:func:`_rank_shops`)."""
    rows: dict[int, dict] = {}
    by_shop: dict[int, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_shop[ev.shop_id].append(ev)
    for shop_id, evs in by_shop.items():
        scored = [ev for ev in evs if ev.competition is not None]
        weight = sum((ev.wage_fund_plan for ev in scored), ZERO)
        competition = None
        if scored:
            if weight:
                competition = half_up(
                    sum((ev.competition * ev.wage_fund_plan for ev in scored), ZERO) / weight,
                    Decimal("0.001"),
                )
            else:
                competition = half_up(
                    sum((ev.competition for ev in scored), ZERO) / len(scored), Decimal("0.001")
                )
        tensions = [ev for ev in evs if ev.tension is not None and ev.wage_fund_plan]
        tension_weight = sum((ev.wage_fund_plan for ev in tensions), ZERO)
        tension = (
            half_up(
                sum((ev.tension * ev.wage_fund_plan for ev in tensions), ZERO) / tension_weight,
                Decimal("0.0001"),
            )
            if tension_weight
            else None
        )
        plan_met = sum(1 for ev in evs if ev.plan_met)
        rows[shop_id] = {
            "competition": competition,
            "tension": tension,
            "cost_plan_corrected": sum((ev.cost_plan_corrected for ev in evs), ZERO),
            "cost_actual": sum((ev.cost_actual for ev in evs), ZERO),
            "claims_net": sum((ev.claims_net for ev in evs), ZERO),
            "wage_fund_actual": sum((ev.wage_fund_actual for ev in evs), ZERO),
            "incentive": sum((ev.incentive for ev in evs), ZERO),
            "details": {
                "sections": len(evs),
                "plan_met": plan_met,
                "plan_met_percent": str(half_up(Decimal(plan_met) / len(evs) * HUNDRED)),
                "problems": sum(1 for ev in evs if ev.problems),
                "ranked": sum(1 for ev in evs if ev.rank is not None),
            },
        }
    return rows


def _rank_shops(rows: dict[int, dict]) -> None:
    """The shops' places by their coefficients (a shop without one is not ranked)."""
    ranking = rules.rank(
        [
            (shop_id, row["competition"], Decimal(1))
            for shop_id, row in rows.items()
            if row["competition"] is not None
        ],
        quality_minimum=Decimal(0),
    )
    for row in rows.values():
        row["rank"] = None
    for entry in ranking:
        rows[entry.key]["rank"] = entry.rank


# What the shops' sums read of a section's result (see _shop_rows), and its fingerprint.
STORED_FIELDS = (
    "section_id",
    "shop_id",
    "digest",
    "problems",
    "plan_met",
    "tension",
    "competition",
    "rank",
    "wage_fund_plan",
    "cost_plan_corrected",
    "cost_actual",
    "claims_net",
    "wage_fund_actual",
    "incentive",
)


def _stored(period: Period, section_ids: set[int]) -> dict[int, Evaluation]:
    """The stored results' fingerprints and the figures a shop's result sums, by section
    of ``section_ids`` (one query of the month's results, no list of sections sent; the
    documents are not read)."""
    return {
        row[0]: Evaluation(**dict(zip(STORED_FIELDS, row, strict=True)))
        for row in SectionResult.objects.filter(period=period)
        .values_list(*STORED_FIELDS)
        .order_by()
        if row[0] in section_ids
    }


def _shops_to_evaluate(month: Month, in_scope, stored: dict[int, Evaluation]) -> set[int]:
    """The shops whose sections' results are not current: a result missing, of another
    shop, or stored with another fingerprint (an input of the shop changed, or of the
    plant's when a plant fund is split)."""
    needed = set()
    for item in in_scope:
        section = item.section
        found = stored.get(section.pk)
        if (
            found is None
            or found.shop_id != section.shop_id
            or found.digest != month.digests[section.pk]
        ):
            needed.add(section.shop_id)
    return needed


@transaction.atomic
def results_compute(
    *, period: Period, shop: Shop | None = None, user=None, progress=None
) -> Outcome:
    """Compute and store the month's results of ``shop`` (or of the whole plant).

    Refuses a closed month. Reads the month and its fingerprints first and evaluates only
    the shops whose results are not current (a current result is what the evaluation
    would give again); writes only the results whose figures changed (with the history
    recording who and when); the plant's close also writes every shop's result that
    changed, summed from its sections' results as evaluated or as stored.
    """
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.status != Period.Status.OPEN:
        raise PeriodClosedError(str(locked))
    month = read_month(locked.enterprise_id, locked)
    in_scope = [item for item in month.inputs if shop is None or item.section.shop_id == shop.pk]
    stored = _stored(locked, {item.section.pk for item in in_scope})
    needed = _shops_to_evaluate(month, in_scope, stored)
    evaluations = evaluate_shops(month, locked, needed, progress) if needed else []
    if progress is not None and not needed:
        progress(len(in_scope), len(in_scope))
    fresh = {ev.section_id: ev for ev in evaluations}
    evaluated = [ev for ev in evaluations if shop is None or ev.shop_id == shop.pk]
    now = timezone.now()
    created, updated = _section_writes(locked, evaluated, stored, user, now)
    with acting_as(user, _("Подведение итогов месяца")):
        if created:
            SectionResult.objects.bulk_create(created, batch_size=500)
        if updated:
            SectionResult.objects.bulk_update(
                updated, [*RESULT_FIELDS, "computed_at", "computed_by"], batch_size=500
            )
        shops_written = 0
        if shop is None:
            current = [stored[item.section.pk] for item in in_scope if item.section.pk not in fresh]
            shops = {item.section.shop_id: item.section.shop for item in in_scope}
            shops_written = _write_shops(locked, [*evaluations, *current], shops, now)
    return Outcome(
        sections=len(in_scope),
        written=len(created) + len(updated),
        problems=sum(
            1
            for item in in_scope
            if (fresh.get(item.section.pk) or stored[item.section.pk]).problems
        ),
        shops=shops_written,
    )


def _section_writes(period: Period, evaluated, stored: dict, user, now) -> tuple[list, list]:
    """The results to create and those to update (whose figures differ from the stored)."""
    known = [ev.section_id for ev in evaluated if ev.section_id in stored]
    results = {}
    if known:
        results = {
            result.section_id: result
            for result in SectionResult.objects.filter(period=period, section_id__in=known)
            .select_related("section__shop", "shop")
            .order_by()
        }
    created, updated = [], []
    for ev in evaluated:
        values = {name: getattr(ev, name) for name in RESULT_FIELDS}
        result = results.get(ev.section_id)
        if result is None:
            created.append(
                SectionResult(
                    section=ev.section,
                    shop=ev.section.shop,
                    period=period,
                    computed_at=now,
                    computed_by=user,
                    **values,
                )
            )
            continue
        if all(getattr(result, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(result, name, value)
        result.period = period
        result.computed_at = now
        result.computed_by = user
        updated.append(result)
    return created, updated


def _write_shops(period: Period, sections: list[Evaluation], shops: dict, now) -> int:
    """Every shop's result summed from its sections' (``sections``: the plant's, evaluated
    now or current as stored) and ranked; writes the ones that changed."""
    rows = _shop_rows(sections)
    _rank_shops(rows)
    stored = {
        r.shop_id: r
        for r in ShopResult.objects.filter(period=period).select_related("shop").order_by()
    }
    created, updated = [], []
    for shop_id, values in rows.items():
        result = stored.get(shop_id)
        if result is None:
            created.append(
                ShopResult(shop=shops[shop_id], period=period, computed_at=now, **values)
            )
            continue
        if all(getattr(result, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(result, name, value)
        result.period = period
        result.computed_at = now
        updated.append(result)
    if created:
        ShopResult.objects.bulk_create(created)
    if updated:
        ShopResult.objects.bulk_update(updated, [*SHOP_FIELDS, "computed_at"])
    return len(created) + len(updated)


# --- on the task worker ----------------------------------------------------------------------


def results_run_start(*, period: Period, shop: Shop | None, user) -> ResultRun:
    """Queue the close of ``shop`` (or the plant) for ``period`` on the task worker.

    A run of the same scope already queued or running is returned instead of a second
    one (ten clicks make one run). Refuses a closed month at once.
    """
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.status != Period.Status.OPEN:
            raise PeriodClosedError(str(locked))
        active = (
            ResultRun.objects.filter(
                period=locked,
                shop=shop,
                status__in=[ResultRun.Status.QUEUED, ResultRun.Status.RUNNING],
            )
            .order_by("-created_at")
            .first()
        )
        if active is not None:
            return active
        run = ResultRun.objects.create(
            enterprise_id=locked.enterprise_id, period=locked, shop=shop, requested_by=user
        )
        transaction.on_commit(functools.partial(_enqueue, run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from ..tasks import results_run

    results_run.enqueue(run_id)


def results_run_execute(run_id: int) -> None:
    """Carry out a queued run (called by the task): progress, outcome or the error."""
    run = ResultRun.objects.select_related("period", "shop", "requested_by").get(pk=run_id)
    if run.status not in (ResultRun.Status.QUEUED, ResultRun.Status.RUNNING):
        return
    ResultRun.objects.filter(pk=run_id).update(status=ResultRun.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        # Outside the close's transaction, so the page sees it move: a plain update.
        ResultRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        outcome = results_compute(
            period=run.period, shop=run.shop, user=run.requested_by, progress=progress
        )
    except ValidationError as error:
        ResultRun.objects.filter(pk=run_id).update(
            status=ResultRun.Status.FAILED,
            error="; ".join(error.messages)[:4000],
            finished_at=timezone.now(),
        )
        return
    except Exception as error:
        ResultRun.objects.filter(pk=run_id).update(
            status=ResultRun.Status.FAILED, error=repr(error)[:4000], finished_at=timezone.now()
        )
        raise
    ResultRun.objects.filter(pk=run_id).update(
        status=ResultRun.Status.DONE,
        changed=outcome.written + outcome.shops,
        finished_at=timezone.now(),
    )


def results_after_reopening(period: Period, user) -> None:
    """A reopened month's results are summed up again (queued for the whole plant), so
    they follow the corrections made while it is open; a plant without self-financing
    sections queues nothing."""
    from ..selectors.gather import month_sections

    if month_sections(period.enterprise_id, period):
        results_run_start(period=period, shop=None, user=user)
