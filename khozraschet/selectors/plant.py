"""The plant's month: every section of self-financing evaluated, each shop's sections
ranked, the incentive funds split, and each result's fingerprint covering what its place
and share depend on too. The fingerprints come first (:func:`read_month`), so that the
close (:mod:`khozraschet.services.close`) evaluates only the shops whose stored results
are outdated and the close page tells their state without evaluating. No writes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from enterprise.models import Period
from enterprise.money import ZERO

from .. import rules
from .digests import digest_of
from .evaluate import Evaluation, as_stored, evaluate
from .gather import SectionInputs, Terms, funds_of, gather, terms_of


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


@dataclass
class Month:
    """The plant's month as read, each section fingerprinted, nothing evaluated yet.

    ``digests`` is what each section's result is stored with: its own inputs' fingerprint
    combined with its shop's other sections' and the funds (the plant's sections' when the
    plant has a fund to split across the shops) — what its rank and share depend on too.
    A stored result with the same fingerprint is current and needs no evaluation.
    """

    terms: Terms
    inputs: list[SectionInputs]
    funds: dict[int | None, Decimal]
    digests: dict[int, str]

    @property
    def plant_fund(self) -> Decimal | None:
        return self.funds.get(None)


def read_month(enterprise_id: int, period: Period) -> Month:
    """Everything the month's results are computed from, and their fingerprints."""
    terms = terms_of(enterprise_id)
    inputs = gather(enterprise_id, period)
    funds = funds_of(enterprise_id, period)
    own = {item.section.pk: digest_of(terms, item) for item in inputs}
    by_shop: dict[int, list[int]] = defaultdict(list)
    for item in inputs:
        by_shop[item.section.shop_id].append(item.section.pk)
    fund_part = ",".join(f"{k}:{v}" for k, v in sorted(funds.items(), key=lambda kv: kv[0] or 0))
    digests: dict[int, str] = {}
    if funds.get(None):
        plant_digest = _combined([own[item.section.pk] for item in inputs] + [fund_part])
        digests = dict.fromkeys(own, plant_digest)
    else:
        for members in by_shop.values():
            shop_digest = _combined([own[pk] for pk in members] + [fund_part])
            digests.update(dict.fromkeys(members, shop_digest))
    return Month(terms=terms, inputs=inputs, funds=funds, digests=digests)


def evaluate_shops(month: Month, period: Period, shop_ids=None, progress=None) -> list[Evaluation]:
    """The sections of the shops ``shop_ids`` (every shop when None) evaluated, ranked in
    their shop and given their incentive share. A plant fund is split across all the
    shops, so with one every shop is evaluated."""
    chosen = month.inputs
    if shop_ids is not None and not month.plant_fund:
        chosen = [item for item in month.inputs if item.section.shop_id in shop_ids]
    terms = month.terms
    evaluations = []
    for index, section_inputs in enumerate(chosen, start=1):
        evaluations.append(
            evaluate(
                terms, section_inputs, period.month, digest=month.digests[section_inputs.section.pk]
            )
        )
        if progress is not None and index % 20 == 0:
            progress(index, len(chosen))
    by_shop: dict[int, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_shop[ev.shop_id].append(ev)
    for shop_evaluations in by_shop.values():
        rank_shop(shop_evaluations, terms.settings.quality_rank_minimum)

    funds = month.funds
    plant_fund = month.plant_fund
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
    if progress is not None:
        progress(len(chosen), len(chosen))
    return evaluations


def evaluate_month(enterprise_id: int, period: Period, progress=None) -> list[Evaluation]:
    """Every section of the plant evaluated for ``period``, ranked and with its incentive
    share; each result's digest covers what its rank and share depend on too."""
    return evaluate_shops(read_month(enterprise_id, period), period, progress=progress)
