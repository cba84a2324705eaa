"""Reads that cross relations, already scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import history
from .memo import memoised
from .models import (
    HistoryRecord,
    PayCondition,
    Period,
    PeriodReopening,
    Section,
    Shop,
    StepScale,
    TariffRate,
    Worker,
)
from .permissions import can
from .scoping import scope_of
from .tariffs import TariffGrid


def _count(queryset, outer: str = "pk"):
    return Coalesce(
        Subquery(
            queryset.order_by().values(outer).annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def shops_for(user):
    workers = Worker.objects.active().filter(section__shop=OuterRef("pk"))
    return (
        Shop.objects.visible_to(user)
        .select_related("head")
        .annotate(
            section_count=_count(
                Section.objects.visible_to(user).filter(shop=OuterRef("pk")), "shop"
            ),
            worker_count=_count(workers.visible_to(user), "section__shop"),
        )
    )


def sections_for(user):
    return (
        Section.objects.visible_to(user)
        .select_related("shop", "head")
        .annotate(
            worker_count=_count(
                Worker.objects.active().visible_to(user).filter(section=OuterRef("pk")), "section"
            )
        )
    )


def workers_for(user):
    return Worker.objects.visible_to(user).select_related("profession", "section__shop")


# --- history -------------------------------------------------------------------------

# The panel's reading lives in its own module; its entry point is read from here too.
history_for = history.history_for


# --- tariff grid ---------------------------------------------------------------------


@dataclass
class GridRow:
    condition: PayCondition
    cells: list[TariffRate | None]


def tariff_grid(enterprise_ids, on: datetime.date) -> list[GridRow]:
    """Rates in force on a day, as rows of pay conditions × grades 1–6."""
    rates = TariffRate.objects.filter(enterprise_id__in=enterprise_ids).effective_on(on)
    by_key = {(r.pay_condition_id, r.grade): r for r in rates}
    rows = []
    for condition in PayCondition.objects.filter(enterprise_id__in=enterprise_ids).order_by("name"):
        rows.append(
            GridRow(condition, [by_key.get((condition.pk, grade)) for grade in range(1, 7)])
        )
    return rows


def load_tariff_grid(enterprise_id: int, last_day: datetime.date) -> TariffGrid:
    """The enterprise's tariff grid as far as ``last_day``, in one query: it answers the
    rate in force on any day up to then (rates starting later are not loaded)."""
    return TariffGrid(
        TariffRate.objects.filter(
            enterprise_id=enterprise_id, valid_from__lte=last_day
        ).values_list("pay_condition_id", "grade", "valid_from", "hourly_rate")
    )


def visible_enterprise_ids(user) -> list[int]:
    scope = scope_of(user)
    if scope.everything:
        from .models import Enterprise

        return list(Enterprise.objects.values_list("pk", flat=True))
    return sorted({grant.enterprise_id for grant in scope.grants})


# --- what needs the user's action -----------------------------------------------------


@dataclass
class Task:
    title: str
    detail: str
    url: str
    urgent: bool = False


# Apps add functions ``(user) -> list[Task]`` here in their ``ready()``.
TASK_PROVIDERS: list = []

# Apps add functions ``(user) -> dict | None`` here in their ``ready()``: a panel of the
# home page beside the to-do list — ``{"template": name, **context}`` rendered with the
# panel as ``panel`` (None: nothing for this user). Keep each to a few queries.
HOME_PANELS: list = []


def home_panels(user) -> list[dict]:
    """The apps' panels of the user's home page, in the order they were registered."""
    return [panel for provider in HOME_PANELS if (panel := provider(user)) is not None]


def tasks_for(user) -> list[Task]:
    """The home page's list: what is waiting for this user to act.

    A part whose action none of the user's roles holds (``can`` without an object) is not
    read at all: ``can`` on any object implies it."""
    from django.urls import reverse

    tasks: list[Task] = []
    enterprise_ids = visible_enterprise_ids(user)
    if can(user, "period.decide_reopen"):
        pending = PeriodReopening.objects.filter(
            status=PeriodReopening.Status.REQUESTED, period__enterprise_id__in=enterprise_ids
        ).select_related("period", "requested_by")
        for request in pending:
            if request.requested_by_id != user.pk and can(
                user, "period.decide_reopen", request.period
            ):
                tasks.append(
                    Task(
                        _("Решить: открыть период «%(period)s»") % {"period": request.period},
                        _("Просит %(who)s: %(reason)s")
                        % {
                            "who": request.requested_by.get_full_name()
                            or request.requested_by.username,
                            "reason": request.reason,
                        },
                        reverse("enterprise:period_detail", args=[request.period_id]),
                        urgent=True,
                    )
                )
    today = timezone.localdate()
    if can(user, "period.close"):
        overdue = Period.objects.filter(
            enterprise_id__in=enterprise_ids, status=Period.Status.OPEN
        ).filter(Q(year__lt=today.year) | Q(year=today.year, month__lt=today.month - 1))
        for period in overdue.order_by("year", "month")[:6]:
            if can(user, "period.close", period):
                tasks.append(
                    Task(
                        _("Закрыть период «%(period)s»") % {"period": period},
                        _("Месяц давно прошёл, а период ещё открыт."),
                        reverse("enterprise:period_detail", args=[period.pk]),
                    )
                )
    if can(user, "structure.edit"):
        without_account = (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=False, role_assignments__isnull=True)
            .count()
        )
        if without_account:
            tasks.append(
                Task(
                    _("Назначить роли пользователям"),
                    _("Пользователей без ролей: %(n)s — они не видят ничего.")
                    % {"n": without_account},
                    reverse("admin:auth_user_changelist"),
                )
            )
    if can(user, "tariff.edit"):
        for row in tariff_grid(enterprise_ids, today):
            missing = [str(g) for g, cell in enumerate(row.cells, start=1) if cell is None]
            if missing:
                tasks.append(
                    Task(
                        _("Заполнить тарифную сетку: %(condition)s") % {"condition": row.condition},
                        _("Нет ставок для разрядов: %(grades)s.") % {"grades": ", ".join(missing)},
                        reverse("enterprise:tariff_grid"),
                    )
                )
    for provider in TASK_PROVIDERS:
        tasks.extend(provider(user))
    return tasks


def own_worker(user) -> Worker | None:
    """The user's worker record (None: he is no worker), read once per request: the home
    page shows it and the apps' tasks ask whether he has one."""
    if user is None or user.pk is None:
        return None
    return memoised(
        ("enterprise.own_worker", user.pk),
        lambda: (
            Worker.objects.filter(user=user).select_related("section__shop", "profession").first()
        ),
    )


def open_periods_of(user) -> list[Period]:
    """Every open month the user sees, the earliest first, read once per request: the home
    page's reminder and the apps' to-do lists (a brigade's current month, the shift tasks'
    months) all ask for them."""
    return memoised(
        ("enterprise.open_periods", user.pk),
        lambda: list(
            Period.objects.visible_to(user)
            .filter(status=Period.Status.OPEN)
            .order_by("year", "month", "enterprise_id")
        ),
    )


def open_periods_for(user, limit: int = 3) -> list[Period]:
    """The earliest open months the user sees (the home page's reminder)."""
    return open_periods_of(user)[:limit]


def scales_for(user):
    """Step scales of the enterprises the user sees."""
    return StepScale.objects.filter(enterprise_id__in=visible_enterprise_ids(user))


def pending_reopening(period) -> PeriodReopening | None:
    """The request to reopen the month that waits for a decision, if any."""
    return (
        period.reopenings.filter(status=PeriodReopening.Status.REQUESTED)
        .select_related("requested_by")
        .first()
    )


def reopenings_of(period):
    return period.reopenings.select_related("requested_by", "decided_by")


def reopenings_for(user):
    """Requests to reopen the months the user sees."""
    return PeriodReopening.objects.filter(period__in=Period.objects.visible_to(user))


# --- grants and revocations of roles, for the director's review ---------------------------


@dataclass
class RoleChange:
    """One grant, change or revocation of a role, read from the assignments' history."""

    at: datetime.datetime
    actor: object
    kind: str  # "grant" | "revoke" | "change"
    user: str
    role: str
    unit: str
    valid_from: str
    valid_to: str
    changed: str = ""

    @property
    def kind_label(self) -> str:
        return {
            "grant": _("назначение"),
            "revoke": _("отзыв"),
            "change": _("изменение"),
        }[self.kind]


def role_granting_enterprises(user) -> list[int]:
    """Enterprises whose grants of roles the user reviews (``roles.review``)."""
    scope = scope_of(user)
    if scope.everything:
        return visible_enterprise_ids(user)
    from .permissions import ACTIONS

    roles = ACTIONS["roles.review"]
    return sorted({g.enterprise_id for g in scope.grants if g.role in roles})


def role_grantors(user) -> list:
    """People who granted, changed or revoked a role in the user's enterprises."""
    actors = {change.actor.pk: change.actor for change in role_changes(user) if change.actor}
    return sorted(actors.values(), key=lambda a: (a.last_name, a.username))


def role_changes(
    user,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    grantor=None,
    limit: int = 500,
) -> list[RoleChange]:
    """Grants and revocations of roles in the user's enterprises, the latest first.

    Every write of a role assignment is in its history (who, when, before → after), so
    this reads the history: an assignment created is a grant, one deleted or given an
    end date is a revocation, any other change is a change.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import Enterprise, RoleAssignment
    from .models.roles import Role

    enterprises = set(role_granting_enterprises(user))
    records = HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(RoleAssignment)
    ).select_related("actor")
    if date_from:
        records = records.filter(at__date__gte=date_from)
    if date_to:
        records = records.filter(at__date__lte=date_to)
    if grantor is not None:
        records = records.filter(actor=grantor)
    records = list(records.order_by("-at", "-id")[: limit * 2])
    pks = {record.object_pk for record in records}
    base: dict[str, dict] = {}
    for deleted in HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(RoleAssignment),
        action=HistoryRecord.Action.DELETE,
        object_pk__in=pks,
    ):
        base[deleted.object_pk] = {key: pair[0] for key, pair in deleted.changes.items()}
    for row in RoleAssignment.objects.filter(pk__in=[int(pk) for pk in pks if pk.isdigit()]).values(
        "pk", "user_id", "role", "enterprise_id", "shop_id", "section_id", "valid_from", "valid_to"
    ):
        base[str(row.pop("pk"))] = {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in row.items()
        }
    rows = []
    for record in records:
        values = dict(base.get(record.object_pk, {}))
        side = 0 if record.action == HistoryRecord.Action.DELETE else 1
        values.update({key: pair[side] for key, pair in record.changes.items()})
        if values.get("enterprise_id") not in enterprises:
            continue
        rows.append((record, values))
    rows = rows[:limit]
    users = get_user_model().objects.in_bulk({v.get("user_id") for _r, v in rows} - {None})
    shops = Shop.objects.in_bulk({v.get("shop_id") for _r, v in rows} - {None})
    sections = Section.objects.select_related("shop").in_bulk(
        {v.get("section_id") for _r, v in rows} - {None}
    )
    plants = Enterprise.objects.in_bulk({v.get("enterprise_id") for _r, v in rows} - {None})
    result = []
    for record, values in rows:
        person = users.get(values.get("user_id"))
        unit = (
            sections.get(values.get("section_id"))
            or shops.get(values.get("shop_id"))
            or plants.get(values.get("enterprise_id"))
        )
        ended = "valid_to" in record.changes and record.changes["valid_to"][1] is not None
        if record.action == HistoryRecord.Action.CREATE:
            kind = "grant"
        elif record.action == HistoryRecord.Action.DELETE or ended:
            kind = "revoke"
        else:
            kind = "change"
        role = values.get("role")
        result.append(
            RoleChange(
                at=record.at,
                actor=record.actor,
                kind=kind,
                user=(person.get_full_name() or person.username) if person else "—",
                role=str(Role(role).label) if role in Role.values else str(role or "—"),
                unit=str(unit) if unit else "—",
                valid_from=_day(values.get("valid_from")),
                valid_to=_day(values.get("valid_to")),
                changed=", ".join(
                    str(history.field_of(RoleAssignment, key).verbose_name)
                    for key in record.changes
                    if kind == "change" and history.field_of(RoleAssignment, key) is not None
                ),
            )
        )
    return result


def _day(value) -> str:
    if not value:
        return ""
    try:
        return date_format(datetime.date.fromisoformat(value), "d.m.Y")
    except (TypeError, ValueError):
        return str(value)
