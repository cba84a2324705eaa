"""Fingerprints of what a month's results were computed from (the plant's terms, each
section's inputs): a stored result whose fingerprint differs from today's is outdated."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gather import SectionInputs, Terms

# The version of the evaluation itself (khozraschet.rules and selectors.evaluate/plant).
# Part of every fingerprint: a close trusts a stored result whose fingerprint is today's,
# so a change to how results are computed must raise this number, which marks every
# open month's results outdated and lets the next close recompute them.
EVALUATION_VERSION = 2


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def terms_digest(terms: Terms) -> str:
    """A fingerprint of the plant's terms (computed once per close)."""
    document = {
        "evaluation": EVALUATION_VERSION,
        "terms": [
            _plain(getattr(terms.settings, name))
            for name in (
                "mass_max",
                "large_serial_max",
                "serial_max",
                "small_serial_max",
                "quality_rank_minimum",
                "withhold_percent",
                "energy_max_percent",
            )
        ],
        "indicators": [
            (i.pk, i.source, i.role, i.direction, i.mandatory) for i in terms.indicators
        ],
        "factors": [(f.indicator_id, _plain(f.weight)) for f in terms.factors],
        "scorecards": {
            k: [
                (
                    r.measure,
                    _plain(r.base_points),
                    _plain(r.penalty_serial),
                    _plain(r.penalty_small_serial),
                )
                for r in v
            ]
            for k, v in sorted(terms.scorecards.items())
        },
        "competition": [
            (r.code, _plain(r.per), _plain(r.gain), _plain(r.loss), r.counts_when_unmet)
            for r in terms.competition
        ],
        "categories": [
            (
                c.code,
                c.tension_scale_id,
                c.correction_scale_id,
                c.quality_scale_id,
                _plain(c.share_of_scale),
                c.position,
                c.quality,
            )
            for c in terms.categories
        ],
        "scales": {
            str(pk): [(_plain(s.lower), _plain(s.upper), _plain(s.value)) for s in steps]
            for pk, steps in sorted(terms.scales.items())
        },
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def digest_of(terms: Terms, inputs: SectionInputs) -> str:
    """A fingerprint of everything the section's result was computed from."""
    month = inputs.month
    passport = inputs.passport
    parts = [
        terms.digest,
        inputs.purpose,
        sorted(inputs.consumers),
        None
        if passport is None
        else (passport.pk, passport.operations, passport.workplaces, str(passport.capacity)),
        None
        if month is None
        else [
            str(month.plan_decade_1),
            str(month.plan_decade_2),
            str(month.plan_decade_3),
            str(month.on_time_output),
            str(month.shortfall),
            str(month.quality_collective),
            str(month.quality_masters),
            str(month.productivity_wage_deviation),
            str(month.shift_fund_hours),
        ],
        sorted((pk, str(v.plan), str(v.actual)) for pk, v in inputs.values.items()),
        sorted((pk, str(c.plan), str(c.actual)) for pk, c in inputs.costs.items()),
        [(c.article_id, str(c.amount)) for c in inputs.corrections],
        sorted((k, str(v)) for k, v in inputs.idle.items()),
        [(e.resource, str(e.saved_value), str(e.percent)) for e in inputs.energy],
        None if inputs.output is None else [str(v) for v in inputs.output],
        str(inputs.wage_fund),
        str(inputs.claims_net),
        sorted(inputs.claimants),
        {k: [str(v) for v in vs] for k, vs in sorted(inputs.withheld.items())},
        inputs.conditions_earlier,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
