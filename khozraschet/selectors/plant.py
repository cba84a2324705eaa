"""The plant's month: every section of self-financing evaluated, each shop's sections
ranked, the incentive funds split, and each result's fingerprint covering what its place
and share depend on too. No writes: the close (:mod:`khozraschet.services.close`) stores
what this computes, and the close page compares it with what is stored."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from enterprise.models import Period
from enterprise.money import ZERO

from .. import rules
from .evaluate import Evaluation, as_stored, evaluate
from .gather import funds_of, gather, terms_of


def rank_shop(evaluations: list[Evaluation], quality_minimum: Decimal) -> None:
    """Rank the shop's sections by the competition coefficient (§8); a section whose Ккт is
    under the plant's minimum (or unknown) is not ranked and says why."""
    entries = [
        (ev.section_id, ev.competition, ev.quality)
        for ev in evaluations
        if ev.competition is not None
    ]
    ranking = {entry.key: entry for entry in rules.rank(entries, quality_minimum=quality_minimum)}
    for ev in evaluations:
        entry = ranking.get(ev.section_id)
        ev.rank = entry.rank if entry else None
        ev.details["competition"]["ranked"] = bool(entry and entry.rank is not None)
        reason = ""
        if entry is None:
            reason = _("коэффициент соревнования не рассчитан")
        elif entry.reason == "quality_below_minimum":
            reason = _("Ккт ниже %(minimum)s — участок не участвует в соревновании") % {
                "minimum": number_format(quality_minimum)
            }
        elif entry.reason == "quality_unknown":
            reason = _("Ккт не введён — участок не участвует в соревновании")
        ev.details["competition"]["reason"] = reason


def split_incentive(evaluations: list[Evaluation], amount: Decimal) -> None:
    """The fund split across the sections ∝ planned wage fund × Кнапр (§6), to the kopeck."""
    weights = {
        ev.section_id: (ev.wage_fund_plan * ev.tension if ev.tension is not None else Decimal(0))
        for ev in evaluations
    }
    shares = rules.split_fund(amount, weights)
    for ev in evaluations:
        ev.incentive = shares.get(ev.section_id, ZERO)
        ev.details["incentive"] = {"fund": as_stored(amount), "share": as_stored(ev.incentive)}


def _combined(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def evaluate_month(enterprise_id: int, period: Period, progress=None) -> list[Evaluation]:
    """Every section of the plant evaluated for ``period``, ranked and with its incentive
    share; each result's digest covers what its rank and share depend on too."""
    terms = terms_of(enterprise_id)
    inputs = gather(enterprise_id, period)
    evaluations = []
    for index, section_inputs in enumerate(inputs, start=1):
        evaluations.append(evaluate(terms, section_inputs, period.month))
        if progress is not None and index % 20 == 0:
            progress(index, len(inputs))
    by_shop: dict[int, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_shop[ev.shop_id].append(ev)
    for shop_evaluations in by_shop.values():
        rank_shop(shop_evaluations, terms.settings.quality_rank_minimum)

    funds = funds_of(enterprise_id, period)
    plant_fund = funds.get(None)
    shares: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if plant_fund:
        weights = {
            shop_id: sum(
                (ev.wage_fund_plan * ev.tension for ev in evs if ev.tension is not None), ZERO
            )
            for shop_id, evs in by_shop.items()
        }
        shares.update(rules.split_fund(plant_fund, weights))
    for shop_id, evs in by_shop.items():
        amount = shares[shop_id] + funds.get(shop_id, ZERO)
        split_incentive(evs, amount)

    fund_part = ",".join(f"{k}:{v}" for k, v in sorted(funds.items(), key=lambda kv: kv[0] or 0))
    plant_digest = _combined([ev.digest for ev in evaluations] + [fund_part])
    for evs in by_shop.values():
        shop_digest = _combined([ev.digest for ev in evs] + [fund_part])
        for ev in evs:
            ev.digest = plant_digest if plant_fund else shop_digest
    if progress is not None:
        progress(len(inputs), len(inputs))
    return evaluations
