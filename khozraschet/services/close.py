"""The monthly close of section self-financing: compute the month's results and store them.

:func:`results_compute` reads the whole plant's month (a fixed number of queries,
:mod:`khozraschet.selectors.gather`), evaluates every section, ranks each shop's sections
and the shops, splits the incentive funds, and writes the results of the scope asked for
(one shop, or the plant). It is idempotent: a result whose inputs did not change is not
written again, so closing twice gives the same results and the second close writes
nothing. The period's close freezes the results with the month (the database refuses any
write of a closed month); reopening the month lets the close compute them again.

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
from ..selectors.plant import evaluate_month

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
    coefficients weighted by their planned wage fund (a plain mean where none is planned)."""
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
    ranking = rules.rank(
        [
            (shop_id, row["competition"], Decimal(1))
            for shop_id, row in rows.items()
            if row["competition"] is not None
        ],
        quality_minimum=Decimal(0),
    )
    for entry in ranking:
        rows[entry.key]["rank"] = entry.rank
    for row in rows.values():
        row.setdefault("rank", None)
    return rows


def _assert_open(period: Period) -> None:
    period.refresh_from_db(fields=["status"])
    if period.status != Period.Status.OPEN:
        raise PeriodClosedError(str(period))


@transaction.atomic
def results_compute(
    *, period: Period, shop: Shop | None = None, user=None, progress=None
) -> Outcome:
    """Compute and store the month's results of ``shop`` (or of the whole plant).

    Refuses a closed month. Writes only the results whose figures changed (with the
    history recording who and when); the plant's close also writes every shop's result.
    """
    locked = Period.objects.select_for_update().get(pk=period.pk)
    _assert_open(locked)
    enterprise_id = locked.enterprise_id
    evaluations = evaluate_month(enterprise_id, locked, progress)
    in_scope = [ev for ev in evaluations if shop is None or ev.shop_id == shop.pk]
    now = timezone.now()
    stored = {
        result.section_id: result
        for result in SectionResult.objects.filter(
            period=locked, section_id__in=[ev.section_id for ev in in_scope]
        ).select_related("section__shop", "shop")
    }
    created, updated = [], []
    for ev in in_scope:
        values = {name: getattr(ev, name) for name in RESULT_FIELDS}
        result = stored.get(ev.section_id)
        if result is None:
            created.append(
                SectionResult(
                    section=ev.section,
                    shop=ev.section.shop,
                    period=locked,
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
        result.period = locked
        result.computed_at = now
        result.computed_by = user
        updated.append(result)
    with acting_as(user, _("Подведение итогов месяца")):
        if created:
            SectionResult.objects.bulk_create(created, batch_size=500)
        if updated:
            SectionResult.objects.bulk_update(
                updated, [*RESULT_FIELDS, "computed_at", "computed_by"], batch_size=500
            )
        shops_written = _write_shops(locked, evaluations, now) if shop is None else 0
    return Outcome(
        sections=len(in_scope),
        written=len(created) + len(updated),
        problems=sum(1 for ev in in_scope if ev.problems),
        shops=shops_written,
    )


def _write_shops(period: Period, evaluations, now) -> int:
    rows = _shop_rows(evaluations)
    shops = {ev.shop_id: ev.section.shop for ev in evaluations}
    stored = {r.shop_id: r for r in ShopResult.objects.filter(period=period).select_related("shop")}
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
