"""A worker's own page in the brigades: his pay of a month (his lines of his brigade's
distribution, his share, KTU and hours) and his brigade, for his home page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from enterprise.money import TENTH, ZERO, half_up
from enterprise.scoping import scope_of

from .models import Distribution, Membership, Post


@dataclass(frozen=True)
class MyPay:
    """A worker's share of one distribution of his brigade: his lines summed."""

    distribution: Distribution
    hours: Decimal
    ktu: Decimal | None
    tariff: Decimal
    surplus: Decimal
    bonus: Decimal
    savings: Decimal
    surcharge: Decimal  # the leader's surcharge, paid on top of the collective pay
    total: Decimal
    brigade_total: Decimal  # the brigade's collective pay (without the leader's surcharge)
    share: Decimal | None  # % of the brigade's collective pay, to 0.1

    @property
    def computed(self) -> bool:
        """Has the pay been worked out yet (a fresh draft has only the timesheet)?"""
        return self.brigade_total > 0


def _my_pay(distribution: Distribution, worker_id: int) -> MyPay:
    lines = [line for line in distribution.lines.all() if line.worker_id == worker_id]
    brigade_total = sum((line.total - line.surcharge for line in distribution.lines.all()), ZERO)
    ktu = next((k.value for k in distribution.ktus.all() if k.worker_id == worker_id), None)
    total = sum((line.total for line in lines), ZERO)
    surcharge = sum((line.surcharge for line in lines), ZERO)
    return MyPay(
        distribution=distribution,
        hours=sum((line.hours for line in lines), ZERO),
        ktu=ktu,
        tariff=sum((line.tariff for line in lines), ZERO),
        surplus=sum((line.surplus for line in lines), ZERO),
        bonus=sum((line.bonus for line in lines), ZERO),
        savings=sum((line.savings for line in lines), ZERO),
        surcharge=surcharge,
        total=total,
        brigade_total=brigade_total,
        share=half_up((total - surcharge) / brigade_total * 100, TENTH) if brigade_total else None,
    )


def my_pay(worker_id: int) -> list[MyPay]:
    """The worker's pay: of the latest approved month and of the month in work after it
    (a draft or an agreed document), newest first. Three queries."""
    documents = (
        Distribution.objects.filter(lines__worker_id=worker_id)
        .select_related("brigade", "period")
        .distinct()
        .order_by("-period__year", "-period__month", "-pk")
    )
    approved = documents.filter(status=Distribution.Status.APPROVED).first()
    chosen = [approved] if approved else []
    in_work = documents.exclude(status=Distribution.Status.APPROVED)
    if approved is not None:
        in_work = in_work.filter(
            Q(period__year__gt=approved.period.year)
            | Q(period__year=approved.period.year, period__month__gte=approved.period.month)
        )
    current = in_work.first()
    if current is not None:
        chosen.insert(0, current)
    if not chosen:
        return []
    prefetch_related_objects(chosen, "lines", "ktus")
    return [_my_pay(d, worker_id) for d in chosen]


def my_brigades(worker_id: int, on: datetime.date | None = None) -> list[dict]:
    """The brigades the worker is a member of on ``on`` (today), each with its leader. Two
    queries."""
    on = on or timezone.localdate()
    memberships = (
        Membership.objects.filter(worker_id=worker_id, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("brigade__section__shop")
        .order_by("brigade__number")
    )
    brigades = {m.brigade_id: m.brigade for m in memberships}
    leaders = {
        post.brigade_id: post.worker
        for post in Post.objects.filter(
            brigade_id__in=brigades, kind=Post.Kind.LEADER, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("worker")
    }
    return [{"brigade": brigade, "leader": leaders.get(pk)} for pk, brigade in brigades.items()]


def home_panel(user) -> dict | None:
    """The worker's home card: his pay and his brigade (None, with no query, for a user who
    is no worker)."""
    own = scope_of(user).workers
    if not own:
        return None
    worker_id = min(own)
    pays = my_pay(worker_id)
    brigades = my_brigades(worker_id)
    if not pays and not brigades:
        return None
    return {"template": "brigades/_home_my_pay.html", "pays": pays, "brigades": brigades}
