"""What a user may see: the one scoping method every list, detail and report starts from.

A user's current role assignments resolve to a :class:`Scope` — the enterprises,
shops and sections they see whole, plus their own worker record. Each scoped model's
queryset turns the scope into a filter with ``visible_to(user)``; a row outside it is
simply not there, so detail views answer 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Grant:
    """One current role assignment, reduced to ids."""

    role: str
    enterprise_id: int
    shop_id: int | None
    section_id: int | None


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    grants: tuple[Grant, ...] = ()
    enterprises: frozenset[int] = frozenset()
    shops: frozenset[int] = frozenset()  # seen whole
    sections: frozenset[int] = frozenset()  # seen whole
    workers: frozenset[int] = frozenset()  # the user's own worker record
    own_sections: frozenset[int] = frozenset()  # the user's own section (row only)
    own_shops: frozenset[int] = frozenset()  # shops of the sections above
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def shops_seen(self) -> frozenset[int]:
        return self.shops | self.own_shops

    @property
    def sections_seen(self) -> frozenset[int]:
        return self.sections | self.own_sections

    @property
    def worker_only(self) -> bool:
        """Does the user hold the worker's role and no other (his own pages only)?"""
        return not self.everything and self.roles == {"worker"}


EMPTY_SCOPE = Scope()


def scope_of(user, on: datetime.date | None = None) -> Scope:
    """The user's scope today (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    on = on or timezone.localdate()
    cache = getattr(user, "_khz_scope_cache", None)
    if cache is not None and cache[0] == on:
        return cache[1]
    scope = _build_scope(user, on)
    user._khz_scope_cache = (on, scope)
    return scope


def _build_scope(user, on: datetime.date) -> Scope:
    from .models import RoleAssignment, Section, Worker
    from .models.roles import Role

    if user.is_superuser:
        return Scope(everything=True, roles=frozenset(Role.values))
    grants = []
    for enterprise_id, role, shop_id, section_id, section_shop_id in (
        RoleAssignment.objects.current(on)
        .filter(user=user)
        .values_list("enterprise_id", "role", "shop_id", "section_id", "section__shop_id")
    ):
        grants.append(Grant(role, enterprise_id, shop_id or section_shop_id, section_id))
    enterprises, shops, sections = set(), set(), set()
    workers, own_sections, own_shops = set(), set(), set()
    for grant in grants:
        if grant.role == Role.WORKER:
            continue
        if grant.section_id:
            sections.add(grant.section_id)
            own_shops.add(grant.shop_id)
        elif grant.shop_id:
            shops.add(grant.shop_id)
        else:
            enterprises.add(grant.enterprise_id)
    if any(g.role == Role.WORKER for g in grants):
        for worker_id, section_id, shop_id in Worker.objects.filter(user=user).values_list(
            "id", "section_id", "section__shop_id"
        ):
            workers.add(worker_id)
            own_sections.add(section_id)
            own_shops.add(shop_id)
    if sections and not own_shops:
        own_shops.update(Section.objects.filter(id__in=sections).values_list("shop_id", flat=True))
    return Scope(
        grants=tuple(grants),
        enterprises=frozenset(enterprises),
        shops=frozenset(shops),
        sections=frozenset(sections),
        workers=frozenset(workers),
        own_sections=frozenset(own_sections),
        own_shops=frozenset(own_shops),
        roles=frozenset(g.role for g in grants),
    )


class ScopedQuerySet(models.QuerySet):
    """Subclasses define :meth:`scope_filter` for their rows."""

    def scope_filter(self, scope: Scope) -> models.Q:
        """Rows the scope covers; a model that does not say sees nothing."""
        return models.Q(pk__in=[])

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if scope is EMPTY_SCOPE:
            return self.none()
        return self.filter(pruned(self.scope_filter(scope)))


_NOTHING = ("pk__in", [])  # what within() gives for no ids: matches no row


def within(path: str, ids: frozenset[int]) -> models.Q:
    return models.Q(**{f"{path}__in": sorted(ids)}) if ids else models.Q(_NOTHING)


def pruned(condition: models.Q) -> models.Q:
    """``condition`` without the alternatives that match no row (``within`` of no ids):
    ``a OR nothing`` is ``a``. A scope of one unit ORs seven empty alternatives to its
    one; each cost the SQL compiler a lookup on every scoped query of every page."""
    kept = _prune(condition)
    if kept is None:
        return models.Q(_NOTHING)
    return kept if isinstance(kept, models.Q) else models.Q(kept)


def _prune(node):
    """The node without its no-row alternatives; None when nothing is left (no row)."""
    if not isinstance(node, models.Q):
        return None if node == _NOTHING else node
    if node.connector != models.Q.OR or node.negated:
        return node
    children = [kept for child in node.children if (kept := _prune(child)) is not None]
    if not children:
        return None
    if len(children) == len(node.children):
        return node
    if len(children) == 1:  # one alternative left: the condition itself
        (child,) = children
        return child if isinstance(child, models.Q) else models.Q(child)
    return models.Q(*children, _connector=models.Q.OR)
