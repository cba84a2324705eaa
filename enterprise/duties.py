"""Separation of duties: one document, distinct people; deciding roles, granted by others.

Three rules live here, asked by the services (which refuse) and by the pages and the
admin (which do not offer what would be refused, and say why):

* **Distinct signatures.** The signatures and approvals of one document are given by
  distinct people, whatever roles one person holds: :func:`assert_not_signed_already`.
* **Deciding roles are granted from above, never to oneself.** A deciding role is one
  whose holder approves or decides money (``DECIDING_ROLES``, from
  ``shared/domain/00-overview.md``):

  - deputy director and production head — arbitrate inter-shop claims; the deputy
    director decides the reopening of a closed month;
  - shop head — approves brigade distributions, signs personal plans, arbitrates claims
    between the shop's sections;
  - labour & wages — keeps the tariff grid, the KTU regulation and the bonus scales;
  - administrator — here it may decide the reopening of a closed month too
    (``period.decide_reopen``), so the back office cannot multiply itself either.

  Such a role is granted only by a superuser or by someone who holds, at the same or a
  higher level covering the unit, one of the roles in ``DECIDING_ROLES[role]`` (the
  deputy director grants all of them); the administrator role is not among the granting
  ones: the back office enters data, it does not hand out authority. Nobody grants a
  role to himself, and nobody grants a deciding role to an account he created himself
  (he knows its first password). :func:`grant_problem`.
* **The decider is independent of the requester** (:func:`decider_dependence`): he is not
  the requester, and the requester neither created his account nor granted or changed
  the deciding role he decides with.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import HistoryRecord, RoleAssignment
from .models.roles import Role
from .scoping import scope_of

R = Role

# deciding role -> roles whose holder (at a unit covering the granted one) may grant it
DECIDING_ROLES: dict[str, frozenset[str]] = {
    R.DEPUTY_DIRECTOR: frozenset({R.DEPUTY_DIRECTOR}),
    R.PRODUCTION_HEAD: frozenset({R.DEPUTY_DIRECTOR}),
    R.ADMINISTRATOR: frozenset({R.DEPUTY_DIRECTOR}),
    R.LABOUR: frozenset({R.DEPUTY_DIRECTOR}),
    R.SHOP_HEAD: frozenset({R.DEPUTY_DIRECTOR, R.PRODUCTION_HEAD}),
}


# --- distinct signatures ----------------------------------------------------------------------


def signed_as(user, signatures: Iterable[tuple[str, int | None]]) -> str | None:
    """The title under which ``user`` already signed, among ``(title, signer id)`` pairs."""
    if user is None or user.pk is None:
        return None
    for title, signer_id in signatures:
        if signer_id is not None and signer_id == user.pk:
            return str(title)
    return None


def already_signed_message(title: str) -> str:
    return _(
        "Этот документ уже подписан вами как «%(title)s»; следующую подпись ставит другой человек."
    ) % {"title": title}


def assert_not_signed_already(user, signatures: Iterable[tuple[str, int | None]]) -> None:
    """Refuse a second signature of one person on one document, under any role."""
    title = signed_as(user, signatures)
    if title is not None:
        raise ValidationError(already_signed_message(title), code="same_signer")


# --- granting roles ---------------------------------------------------------------------------


def _covers(grant, enterprise_id, shop_id, section_id, section_shop_id) -> bool:
    """Does a grant's unit cover the unit of a role being granted (same or higher level)?"""
    if grant.enterprise_id != enterprise_id:
        return False
    if grant.section_id:
        return section_id is not None and grant.section_id == section_id
    if grant.shop_id:
        return grant.shop_id in {shop_id, section_shop_id} - {None}
    return True


def created_account(creator_id: int | None, user_id: int | None) -> bool:
    """Did ``creator_id`` create the account ``user_id`` (through the admin)?"""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    if creator_id is None or user_id is None:
        return False
    return LogEntry.objects.filter(
        user_id=creator_id,
        action_flag=ADDITION,
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user_id),
    ).exists()


def grant_problem(
    grantor,
    *,
    user_id: int | None,
    role: str,
    enterprise_id: int | None,
    shop_id: int | None = None,
    section_id: int | None = None,
    section_shop_id: int | None = None,
) -> str | None:
    """Why ``grantor`` may not grant ``role`` at this unit to ``user_id`` (None: he may)."""
    if user_id is not None and grantor.pk == user_id:
        return _("Роль себе не назначают: её назначает другой человек.")
    if role not in DECIDING_ROLES or grantor.is_superuser:
        return None
    if created_account(grantor.pk, user_id):
        return _(
            "Вы сами создали эту учётную запись: решающую роль ей назначает другой руководитель."
        )
    granting = DECIDING_ROLES[role]
    unit = (enterprise_id, shop_id, section_id, section_shop_id)
    if any(grant.role in granting and _covers(grant, *unit) for grant in scope_of(grantor).grants):
        return None
    names = ", ".join(sorted(str(Role(name).label) for name in granting))
    return _(
        "Роль «%(role)s» решает вопросы о деньгах: её назначает %(who)s "
        "того же или более высокого уровня, а не служба ввода данных."
    ) % {"role": Role(role).label, "who": names}


def assert_may_grant(grantor, assignment: RoleAssignment) -> None:
    """Refuse (next to the role field) a grant ``grantor`` may not make."""
    problem = grant_problem(
        grantor,
        user_id=assignment.user_id,
        role=assignment.role,
        enterprise_id=assignment.enterprise_id,
        shop_id=assignment.shop_id,
        section_id=assignment.section_id,
        section_shop_id=assignment.section.shop_id if assignment.section_id else None,
    )
    if problem:
        raise ValidationError({"role": problem}, code="grant_refused")


# --- deciders independent of requesters --------------------------------------------------------


def _grants(record: HistoryRecord) -> bool:
    """Did this change of an assignment grant something (not merely end it sooner)?"""
    if record.action == HistoryRecord.Action.CREATE:
        return True
    if record.action != HistoryRecord.Action.UPDATE:
        return False
    changes = {key for key in record.changes if key != "granted_by_id"}
    if changes != {"valid_to"}:
        return bool(changes)
    before, after = record.changes["valid_to"]
    return after is None or (before is not None and after > before)


def hands_on(assignments) -> set[int]:
    """Everyone who granted the given role assignments, or changed them otherwise than
    ending them sooner (``granted_by`` and their history)."""
    from django.contrib.contenttypes.models import ContentType

    assignments = list(assignments)
    hands = {a.granted_by_id for a in assignments if a.granted_by_id is not None}
    if assignments:
        records = HistoryRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(RoleAssignment),
            object_pk__in=[str(a.pk) for a in assignments],
            actor__isnull=False,
        )
        hands.update(record.actor_id for record in records if _grants(record))
    return hands


def decider_dependence(decider, requester_id: int, *, roles, enterprise_id: int) -> str | None:
    """Why ``decider`` may not decide what ``requester_id`` asked (None: he may).

    ``roles`` are the roles that decide it; the decider's current assignments of them in
    the enterprise must not have been granted or changed by the requester, and the
    requester must not have created the decider's account.
    """
    if decider.pk == requester_id:
        return _("Решение по запросу принимает не тот, кто его подал.")
    if created_account(requester_id, decider.pk):
        return _(
            "Вашу учётную запись создал тот, кто подал запрос: решение принимает другой "
            "руководитель."
        )
    assignments = RoleAssignment.objects.current().filter(
        user=decider, enterprise_id=enterprise_id, role__in=list(roles)
    )
    if requester_id in hands_on(assignments):
        return _(
            "Роль, с которой вы решаете, назначил вам тот, кто подал запрос: решение "
            "принимает другой руководитель."
        )
    return None
