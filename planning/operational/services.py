"""Operational scheduling's writes kept by the bureau: a part's route with its operations,
the stocks counted at the consumer shops, the kits the assembly assembled.

Each write checks the user's right on the object, locks what it changes, runs
``full_clean()`` — a dated row of a closed month is refused
(:class:`~enterprise.tracking.PeriodClosedError`) — and is recorded in the history with
who did it (:func:`~enterprise.tracking.acting_as`). Shift tasks and their output are
written by :mod:`planning.operational.shifts` (the shift-task pages).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.models import Shop
from enterprise.permissions import require
from enterprise.tracking import acting_as

from .models import AssemblyDay, ConsumerStock, Part, Route, RouteOperation


@transaction.atomic
def part_save(*, part: Part, user, version: str = "", fields: tuple[str, ...] = ()) -> Part:
    """Save a part of the plant's nomenclature (new or changed): its number, name, the
    assembly shop that consumes it and its pieces in the daily kit."""
    if part.pk is not None:
        stored = Part.objects.select_for_update().get(pk=part.pk)
        require(user, "operational.edit_routes", stored)
        versions.check(version, ([stored], fields))
    part.enterprise_id = part.assembly_shop.enterprise_id
    require(user, "operational.edit_routes", part.assembly_shop)
    with acting_as(user):
        part.full_clean()
        part.save()
    return part


@transaction.atomic
def route_save(
    *,
    route: Route,
    operations: Sequence[RouteOperation] = (),
    removed: Sequence[RouteOperation] = (),
    user,
    version: str = "",
    fields: tuple[str, ...] = (),
) -> Route:
    """Save a part's route through a section with its operations (new, changed and
    ``removed`` ones) in one transaction. A route someone else changed since the form was
    opened (``version`` over ``fields``) is refused, saying what changed."""
    Part.objects.select_for_update().get(pk=route.part_id)
    if route.pk is not None:
        stored = Route.objects.select_related("section__shop", "part").get(pk=route.pk)
        require(user, "operational.edit_routes", stored)
        versions.check(version, ([stored], fields))
    require(user, "operational.edit_routes", route)
    if not operations and not removed and route.pk is None:
        raise ValidationError(_("Укажите хотя бы одну операцию маршрута."))
    kept = {op.pk: op.number for op in route.operations.all()} if route.pk else {}
    for operation in removed:
        kept.pop(operation.pk, None)
    new = []
    for operation in operations:
        if operation.pk in kept:
            kept[operation.pk] = operation.number
        else:
            new.append(operation.number)
    numbers = [*kept.values(), *new]
    if len(numbers) != len(set(numbers)):
        raise ValidationError(_("Номера операций маршрута повторяются."))
    with acting_as(user):
        route.full_clean()
        route.save()
        for operation in removed:
            if operation.pk is not None:
                operation.delete()
        for operation in operations:
            operation.route = route
            operation.full_clean()
            operation.save()
    if not route.operations.exists():
        raise ValidationError(_("У маршрута должна остаться хотя бы одна операция."))
    return route


@transaction.atomic
def stock_record(
    *, part: Part, shop: Shop, date: datetime.date, quantity: Decimal, user
) -> ConsumerStock:
    """Record (or correct) the stock of a part counted at a consumer shop on a day."""
    stock = (
        ConsumerStock.objects.select_for_update().filter(part=part, shop=shop, date=date).first()
    )
    if stock is None:
        stock = ConsumerStock(enterprise_id=part.enterprise_id, part=part, shop=shop, date=date)
    if shop.enterprise_id != part.enterprise_id:
        raise ValidationError({"shop": _("Цех-потребитель — другого предприятия.")})
    require(user, "operational.record_stock", stock)
    stock.quantity = quantity
    with acting_as(user):
        stock.full_clean()
        stock.save()
    return stock


@transaction.atomic
def assembly_day_record(*, shop: Shop, date: datetime.date, kits: Decimal, user) -> AssemblyDay:
    """Record (or correct) the daily kits an assembly shop assembled on a day."""
    day = AssemblyDay.objects.select_for_update().filter(shop=shop, date=date).first()
    if day is None:
        day = AssemblyDay(enterprise_id=shop.enterprise_id, shop=shop, date=date)
    require(user, "operational.record_stock", day)
    day.kits = kits
    with acting_as(user):
        day.full_clean()
        day.save()
    return day
