"""The netting of a month's claims: the statement of pairs of units and their balances
(domain: the claims' mutual netting), and the effect on each unit's result that the
section results (``khozraschet``) read."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, F, Q, Sum
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from brigades.selectors import brigades_by_pk
from enterprise.models import Section, Shop, Worker
from enterprise.money import KOPECK, ZERO, half_up
from enterprise.scoping import scope_of

from . import permissions
from .models import Claim, PartyKind, party_label

Brigade = Claim._meta.get_field("claimant_brigade").related_model

FINAL = (Claim.Status.SETTLED, Claim.Status.DECIDED)


@dataclass
class PairRow:
    first: str
    second: str
    first_to_second: Decimal  # first claims from second
    second_to_first: Decimal
    offset: Decimal
    balance: Decimal
    debtor: str
    creditor: str
    claims: int


@dataclass
class UnitRow:
    label: str
    credited: Decimal
    charged: Decimal
    net: Decimal


@dataclass
class Statement:
    period: object
    pairs: list[PairRow]
    units: list[UnitRow]
    total: Decimal
    claims: int
    pending: int
    # Built from the claims this user may open only (a section's master: his section's),
    # not from the whole shop or plant; ``scope_note`` names what it covers.
    partial: bool = False
    scope_note: str = ""

    @property
    def offset_total(self) -> Decimal:
        return sum((p.offset for p in self.pairs), ZERO)


_SIDE = ("kind", "shop_id", "section_id", "brigade_id", "worker_id")
_AT = {"shop": 1, "section": 2, "brigade": 3, "worker": 4}


def _final_claims(enterprise_id: int, period, shop=None, user=None):
    base = Claim.objects.visible_to(user) if user is not None else Claim.objects.all()
    claims = base.filter(
        enterprise_id=enterprise_id, period=period, status__in=FINAL, final_amount__gt=0
    )
    if shop is not None:
        claims = claims.filter(Q(claimant_shop=shop) | Q(defendant_shop=shop))
    return claims


def _triples(claims) -> list[tuple[tuple[str, int], tuple[str, int], Decimal]]:
    """(claimant unit, defendant unit, amount) read as plain values: no model objects."""
    fields = [f"claimant_{f}" for f in _SIDE] + [f"defendant_{f}" for f in _SIDE]
    triples = []
    for row in claims.values_list(*fields, "final_amount"):
        claimant = (row[0], row[_AT[row[0]]])
        defendant = (row[5], row[5 + _AT[row[5]]])
        triples.append((claimant, defendant, row[10]))
    return triples


def unit_labels(keys, period=None) -> dict[tuple[str, int], str]:
    """A label per distinct unit, each loaded once (a query per kind of unit); a worker of
    a closed ``period`` is labelled as he was at its close."""
    from enterprise.closing import workers_as_printed
    from enterprise.models import Section

    def workers(pks):
        loaded = list(Worker.objects.filter(pk__in=pks).select_related("section__shop"))
        return list(workers_as_printed(period, loaded).values())

    ids: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        ids[kind].add(pk)
    loaders = {
        PartyKind.SHOP: lambda pks: Shop.objects.filter(pk__in=pks),
        PartyKind.SECTION: lambda pks: Section.objects.filter(pk__in=pks).select_related("shop"),
        PartyKind.BRIGADE: brigades_by_pk,
        PartyKind.WORKER: workers,
    }
    return {
        (kind, unit.pk): party_label(kind, unit)
        for kind, pks in ids.items()
        for unit in loaders[kind](pks)
    }


def _natural(label: str) -> list:
    """Sort key that puts «цех № 3» before «цех № 12»."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", label)]


def sees_whole(user, enterprise_id: int, shop=None) -> bool:
    """Does the user see every claim of the statement asked for — the plant's, or the
    shop's — rather than those of his own section or brigade only?"""
    if user is None or permissions.sees_plant(user, enterprise_id):
        return True
    scope = scope_of(user)
    return shop is not None and shop.pk in scope.shops


def _directed_sums(claims) -> list[tuple[tuple[str, int], tuple[str, int], int, int]]:
    """(claimant unit, defendant unit, kopecks, claims) per ordered pair of units. Each
    amount is read as whole kopecks, an integer the database rounds row by row (so SQLite's
    float arithmetic cannot blur a sum) — no ``Decimal`` per claim; the sums are Python's
    (a ``GROUP BY`` of the ten party columns took longer than reading the 5,000 rows)."""
    fields = [f"claimant_{f}" for f in _SIDE] + [f"defendant_{f}" for f in _SIDE]
    kopecks = Cast(Round(F("final_amount") * 100), BigIntegerField())
    sums: dict[tuple, list[int]] = {}
    for row in claims.order_by().annotate(kopecks=kopecks).values_list(*fields, "kopecks"):
        key = ((row[0], row[_AT[row[0]]]), (row[5], row[5 + _AT[row[5]]]))
        if (total := sums.get(key)) is None:
            sums[key] = [row[10], 1]
        else:
            total[0] += row[10]
            total[1] += 1
    return [(claimant, defendant, k, n) for (claimant, defendant), (k, n) in sums.items()]


def _rubles(kopecks: int) -> Decimal:
    """Whole kopecks as money with its two places (``1234`` → ``Decimal("12.34")``)."""
    return Decimal(kopecks).scaleb(-2) if kopecks else ZERO


def statement(enterprise_id: int, period, shop=None, user=None) -> Statement:
    """The period's netting statement (§6), for the plant or one shop.

    With ``user``, only the claims he may open count (``Claim.objects.visible_to``): a
    section's master gets his section's claims with their counterparts, not the amounts
    of the rest of the shop; the statement says so (``partial``).

    The claims are read as ids and whole kopecks and summed per ordered pair of units; the
    pairs are netted here in integers as :func:`rules.net` nets them (the sums each way
    offset, the larger side owes the balance; on a zero balance the first unit of the pair
    is named debtor) and each unit is labelled once: 5,000 claims net in a few tens of ms, so the
    page (``make bench``, < 0.15 s) can afford to net on every request.
    """
    directed = _directed_sums(_final_claims(enterprise_id, period, shop, user))
    labels = unit_labels({key for a, b, _k, _n in directed for key in (a, b)}, period)
    natural = {key: _natural(label) for key, label in labels.items()}
    each_way: dict[tuple, int] = {}
    counts: dict[tuple, int] = defaultdict(int)
    credited: dict = defaultdict(int)
    charged: dict = defaultdict(int)
    for claimant, defendant, kopecks, n in directed:
        if claimant == defendant:
            raise ValueError(f"{claimant!r} cannot claim against itself")
        each_way[claimant, defendant] = kopecks
        counts[min(claimant, defendant), max(claimant, defendant)] += n
        credited[claimant] += kopecks
        charged[defendant] += kopecks
    pairs = []
    for (first, second), n in sorted(counts.items()):  # rules.net's order: the units' own
        forward = each_way.get((first, second), 0)  # claimed by first: second owes
        backward = each_way.get((second, first), 0)
        if backward > forward:
            debtor, creditor = first, second
        elif forward > backward:
            debtor, creditor = second, first
        else:
            debtor, creditor = first, second
        # most pairs claim one way only: no offset, the balance is that way's sum
        to_second = _rubles(forward)
        to_first = _rubles(backward)
        if not backward:
            offset, balance = ZERO, to_second
        elif not forward:
            offset, balance = ZERO, to_first
        else:
            offset, balance = _rubles(min(forward, backward)), _rubles(abs(forward - backward))
        pairs.append(
            (
                -abs(forward - backward),
                natural[first],
                natural[second],
                PairRow(
                    first=labels[first],
                    second=labels[second],
                    first_to_second=to_second,
                    second_to_first=to_first,
                    offset=offset,
                    balance=balance,
                    debtor=labels[debtor],
                    creditor=labels[creditor],
                    claims=n,
                ),
            )
        )
    pairs.sort(key=lambda item: item[:3])
    units = [
        UnitRow(
            labels[key],
            _rubles(credited[key]),
            _rubles(charged[key]),
            _rubles(credited[key] - charged[key]),
        )
        for key in sorted(labels, key=natural.__getitem__)
    ]
    pending = (Claim.objects.visible_to(user) if user is not None else Claim.objects).filter(
        enterprise_id=enterprise_id,
        period=period,
        status__in=(Claim.Status.FILED, Claim.Status.ARBITRATION),
    )
    if shop is not None:
        pending = pending.filter(Q(claimant_shop=shop) | Q(defendant_shop=shop))
    partial = not sees_whole(user, enterprise_id, shop)
    return Statement(
        period=period,
        pairs=[row for *_key, row in pairs],
        units=units,
        total=_rubles(sum(credited.values())),
        claims=sum(counts.values()),
        pending=pending.count(),
        partial=partial,
        scope_note=_own_units_note(user) if partial else "",
    )


def _own_units_note(user) -> str:
    """What a partial statement covers: the user's sections (or his brigade)."""
    scope = scope_of(user)
    sections = Section.objects.filter(pk__in=sorted(scope.sections)).select_related("shop")
    names = ", ".join(str(section) for section in sections)
    if names:
        return _(
            "Ведомость составлена по претензиям, которые вы можете открыть: участок %(units)s "
            "и его бригады и рабочие. Суммы других участков цеха в неё не входят."
        ) % {"units": names}
    return _(
        "Ведомость составлена только по претензиям, которые вы можете открыть; суммы "
        "других подразделений в неё не входят."
    )


def unit_effects(enterprise_id: int, period) -> dict[tuple[str, int], Decimal]:
    """Each party unit's net effect on its result: credited minus charged."""
    effects: dict = defaultdict(lambda: ZERO)
    for claimant, defendant, amount in _triples(_final_claims(enterprise_id, period)):
        effects[claimant] += amount
        effects[defendant] -= amount
    return dict(effects)


def section_effects(enterprise_id: int, period) -> dict[int, Decimal]:
    """Net effect per section: its own claims and those of its brigades and workers.

    Shop-level parties (a shop as a whole) are not any section's and are left out.
    """
    effects: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = _final_claims(enterprise_id, period).values_list(
        "claimant_section_id", "defendant_section_id", "final_amount"
    )
    for claimant_section, defendant_section, amount in rows:
        if claimant_section is not None:
            effects[claimant_section] += amount
        if defendant_section is not None:
            effects[defendant_section] -= amount
    return dict(effects)


def section_claims(enterprise_id: int, period) -> tuple[dict[int, Decimal], dict[int, set[int]]]:
    """:func:`section_effects` and, for each section claimed against, the sections that
    claimed (any claim not withdrawn), in one grouped query. An auxiliary section whose
    consumers are not among them has its plan met (domain/khozraschet.md §7)."""
    effects: dict[int, Decimal] = defaultdict(lambda: ZERO)
    claimants: dict[int, set[int]] = {}
    rows = (
        Claim.objects.filter(enterprise_id=enterprise_id, period=period)
        .exclude(status=Claim.Status.WITHDRAWN)
        .values_list("claimant_section_id", "defendant_section_id", "status")
        .annotate(total=Sum("final_amount", filter=Q(final_amount__gt=0)))
        .order_by()
    )
    for claimant, defendant, status, total in rows:
        if defendant is not None:
            known = claimants.setdefault(defendant, set())
            if claimant is not None:
                known.add(claimant)
        if status in FINAL and total:
            total = half_up(total, KOPECK)  # SQLite sums decimals as floats
            if claimant is not None:
                effects[claimant] += total
            if defendant is not None:
                effects[defendant] -= total
    return dict(effects), claimants
