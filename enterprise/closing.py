"""Closing a month: what is still open in it, carrying it over, and the month's workers.

Every app that keeps month-bound documents with a status registers an
:class:`OpenKind` in ``CLOSING_KINDS`` (in its ``AppConfig.ready``): how to list the
month's documents that are not finished, how many are finished, and — when the
document may live on in the next month — how to carry it there. ``enterprise`` never
imports the apps: it asks the kinds.

Closing refuses while any open document is neither finished nor ticked to be carried
(:func:`enterprise.services.period_close`). At the close the month's workers are written
down as they are (:func:`take_worker_snapshot`) so its documents print the names and
numbers they had, whatever changes later (:func:`workers_as_printed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Period, Worker, WorkerSnapshot


@dataclass(frozen=True)
class OpenItem:
    """A document of the month that is not finished: what it is, whose, where to go."""

    pk: int
    label: str
    unit: str
    status: str
    url: str


@dataclass(frozen=True)
class OpenKind:
    """A kind of month-bound document that may still be open when its month closes.

    ``items(period)`` lists the open ones, ``finished(period)`` counts the finished ones;
    ``carry(period=, target=, pks=, user=)`` moves the open documents ``pks`` into the
    next open month ``target`` (recording it in their history) and returns how many it
    moved — None when the kind cannot be carried: it must be finished in its month.
    ``note`` says what carrying does, or why the kind cannot be carried.
    """

    code: str
    label: str
    items: Callable[[Period], list[OpenItem]]
    finished: Callable[[Period], int]
    carry: Callable[..., int] | None = None
    note: str = ""

    @property
    def carriable(self) -> bool:
        return self.carry is not None


# Apps append their kinds here in ``ready()``.
CLOSING_KINDS: list[OpenKind] = []

# Apps append here (in ``ready()``) what follows an approved reopening of a month:
# ``hook(period, user)``, run after the reopening is committed.
REOPEN_HOOKS: list[Callable[..., None]] = []


def register_kind(kind: OpenKind) -> None:
    """Add (or replace, on a second ``ready()``) the kind with ``kind.code``."""
    for index, known in enumerate(CLOSING_KINDS):
        if known.code == kind.code:
            CLOSING_KINDS[index] = kind
            return
    CLOSING_KINDS.append(kind)


@dataclass
class KindReview:
    """A kind's open documents of the month, and which of them the closer ticked."""

    kind: OpenKind
    items: list[OpenItem]
    finished: int
    carried: set[int] = field(default_factory=set)

    @property
    def left_open(self) -> list[OpenItem]:
        """Neither finished nor carried: these stop the close."""
        return [item for item in self.items if item.pk not in self.carried]

    @property
    def carried_items(self) -> list[OpenItem]:
        return [item for item in self.items if item.pk in self.carried]

    def by_unit(self) -> list[tuple[str, list[OpenItem]]]:
        """The open documents grouped by unit, units in the order they first come."""
        groups: dict[str, list[OpenItem]] = {}
        for item in self.items:
            groups.setdefault(item.unit, []).append(item)
        return list(groups.items())


def review(period: Period, carry: dict[str, Iterable[int]] | None = None) -> list[KindReview]:
    """Every kind's open documents of ``period``; ``carry`` — kind code → ticked pks.

    A ticked pk that is not an open document of the month (finished meanwhile, of
    another month, of a kind that cannot be carried) is dropped.
    """
    carry = carry or {}
    reviews = []
    for kind in CLOSING_KINDS:
        items = kind.items(period)
        wanted = {int(pk) for pk in carry.get(kind.code, ())} if kind.carriable else set()
        reviews.append(
            KindReview(
                kind=kind,
                items=items,
                finished=kind.finished(period),
                carried={item.pk for item in items if item.pk in wanted},
            )
        )
    return reviews


def left_open_message(period: Period, reviews: list[KindReview]) -> str:
    """Why the month cannot close yet (the count per kind), or "" when it can."""
    left = [(str(r.kind.label), len(r.left_open)) for r in reviews if r.left_open]
    if not left:
        return ""
    return _(
        "Период «%(period)s» нельзя закрыть: не завершено — %(list)s. "
        "Завершите эти документы или отметьте их к переносу в следующий месяц."
    ) % {"period": period, "list": "; ".join(f"{label}: {n}" for label, n in left)}


def next_period(period: Period) -> Period | None:
    """The month after ``period`` that the enterprise has (the earliest later one)."""
    return (
        Period.objects.filter(enterprise_id=period.enterprise_id)
        .filter(Q(year__gt=period.year) | Q(year=period.year, month__gt=period.month))
        .order_by("year", "month")
        .first()
    )


# --- the month's workers as its documents print them -----------------------------------------


def take_worker_snapshot(period: Period) -> int:
    """Write down every worker of the enterprise hired by the month's end as he is now.

    Run by the close, inside its transaction; a row already there (a second close after
    a reopening that kept them) is replaced.
    """
    WorkerSnapshot.objects.filter(period=period).delete()
    workers = Worker.objects.filter(
        enterprise_id=period.enterprise_id, hire_date__lte=period.end
    ).select_related("profession", "section__shop")
    rows = [WorkerSnapshot.of(period, worker) for worker in workers.iterator(chunk_size=2000)]
    WorkerSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def snapshots_of(period: Period | None, worker_ids: Iterable[int]) -> dict[int, WorkerSnapshot]:
    """The closed ``period``'s rows for these workers (none for an open month: no query).

    ``period`` must be read after the close (its status tells): the documents' selectors
    load it with the document.
    """
    if period is None or not period.is_closed:
        return {}
    ids = {pk for pk in worker_ids if pk is not None}
    if not ids:
        return {}
    return {
        row.worker_id: row
        for row in WorkerSnapshot.objects.filter(period=period, worker_id__in=ids)
    }


def workers_as_printed(period: Period | None, workers: Iterable[Worker]) -> dict[int, Worker]:
    """Each worker as ``period``'s documents print him: for a closed month, as he was at
    its close (a display copy); otherwise, or without a row taken, the worker as he is."""
    workers = [w for w in workers if w is not None]
    snapshots = snapshots_of(period, (w.pk for w in workers))
    return {w.pk: (snapshots[w.pk].as_worker(w) if w.pk in snapshots else w) for w in workers}


def year_end_snapshots(
    wanted: Iterable[tuple[int, int, int]],
) -> dict[tuple[int, int, int], WorkerSnapshot]:
    """Rows of closed Decembers for ``(enterprise id, year, worker id)`` — a yearly
    document (a personal plan) prints as its year's close left it. One query."""
    wanted = set(wanted)
    if not wanted:
        return {}
    rows = WorkerSnapshot.objects.filter(
        period__enterprise_id__in={e for e, _y, _w in wanted},
        period__year__in={y for _e, y, _w in wanted},
        period__month=12,
        period__status=Period.Status.CLOSED,
        worker_id__in={w for _e, _y, w in wanted},
    ).select_related("period")
    found = {}
    for row in rows:
        key = (row.period.enterprise_id, row.period.year, row.worker_id)
        if key in wanted:
            found[key] = row
    return found


# --- why a closed month's document is frozen --------------------------------------------------


@dataclass(frozen=True)
class FrozenNote:
    """What a closed month's document says instead of its forms: who closed the month and
    when, who may ask to reopen it and who decides, and whether this user may ask."""

    period: Period
    closed_by: str
    closed_at: object
    requesters: str
    deciders: str
    can_request: bool
    pending: bool


def _role_names(action: str) -> str:
    from .models.roles import Role
    from .permissions import ACTIONS

    names = [str(label) for value, label in Role.choices if value in ACTIONS[action]]
    if len(names) < 2:
        return "".join(names)
    return _("%(list)s или %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def frozen_note(period: Period | None, user) -> FrozenNote | None:
    """Why a document of ``period`` cannot change (None: the month is open)."""
    if period is None or not period.is_closed:
        return None
    from .models import PeriodReopening
    from .permissions import can

    closer = period.closed_by
    return FrozenNote(
        period=period,
        closed_by=(closer.get_full_name() or closer.username) if closer else "",
        closed_at=period.closed_at,
        requesters=_role_names("period.request_reopen"),
        deciders=_role_names("period.decide_reopen"),
        can_request=can(user, "period.request_reopen", period),
        pending=period.reopenings.filter(status=PeriodReopening.Status.REQUESTED).exists(),
    )
