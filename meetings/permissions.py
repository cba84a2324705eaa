"""Who may do what in meetings. Roles give the unit's heads and the plant's services their
actions; a seat on a commission (``memberships_of``) gives its members theirs: the bureau
reviews proposals, the factory committee's member passes them to the administration.
"""

from __future__ import annotations

from enterprise.models.roles import Role as R
from enterprise.permissions import can
from enterprise.scoping import scope_of

from .models import Commission, Meeting, Proposal
from .models.commissions import Level, memberships_of

HEADS = frozenset({R.SHOP_HEAD, R.PRODUCTION_HEAD, R.DEPUTY_DIRECTOR, R.ADMINISTRATOR})
READERS = frozenset(
    {
        R.MASTER,
        R.SHOP_HEAD,
        R.DISPATCHER,
        R.ECONOMIST,
        R.LABOUR,
        R.PRODUCTION_HEAD,
        R.DEPUTY_DIRECTOR,
        R.ADMINISTRATOR,
    }
)

ACTIONS: dict[str, frozenset[str]] = {
    # the commission's composition and terms
    "commission.edit": HEADS,
    # a meeting: its date, agenda, attendance, invitations, minutes, decisions, requests
    "meeting.edit": HEADS | {R.ECONOMIST},
    # the statistics of meetings and proposals (page and PDF)
    "meeting.stats": READERS,
    # proposals: filing for oneself or one's people, the administration's answer,
    # recording the implementation (the bureau and the committee act by their seats)
    "proposal.file": frozenset({R.WORKER, R.BRIGADE_LEADER, R.MASTER, R.SHOP_HEAD}),
    "proposal.answer": frozenset({R.SHOP_HEAD, R.PRODUCTION_HEAD, R.DEPUTY_DIRECTOR}),
    "proposal.implement": frozenset({R.MASTER, R.SHOP_HEAD, R.PRODUCTION_HEAD}),
    "proposal.overdue": frozenset(
        {R.SHOP_HEAD, R.PRODUCTION_HEAD, R.DEPUTY_DIRECTOR, R.ADMINISTRATOR, R.ECONOMIST}
    ),
}

MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        {f"meetings.{verb}_commission" for verb in ("add", "change", "view")}
        | {f"meetings.{verb}_commissionmember" for verb in ("add", "change", "view", "delete")}
        | {f"meetings.{verb}_department" for verb in ("add", "change", "view")}
        | {"meetings.view_meeting", "meetings.view_proposal"}
    ),
}


def commission_of(obj) -> Commission | None:
    if isinstance(obj, Commission):
        return obj
    if isinstance(obj, Meeting):
        return obj.commission
    return None


def sits_on(user, commission: Commission) -> bool:
    return commission.pk in memberships_of(user).commissions


def in_bureau(user, commission: Commission | None) -> bool:
    """Is the user in the bureau of this commission (reviews its proposals)?"""
    if commission is None:
        return False
    return scope_of(user).everything or commission.pk in memberships_of(user).bureau


def in_committee(user, commission: Commission | None) -> bool:
    """Is the user the commission's factory-committee member who passes proposals on?"""
    if commission is None:
        return False
    return scope_of(user).everything or commission.pk in memberships_of(user).committee


def may_edit_commission(user, commission: Commission) -> bool:
    if commission.level == Level.PLANT:
        return _plant_role(user, commission.enterprise_id, ACTIONS["commission.edit"])
    return can(user, "commission.edit", commission)


def may_edit_meeting(user, meeting_or_commission) -> bool:
    """The unit's head or economist, the plant's heads; the commission's bureau records
    its own meetings too."""
    commission = commission_of(meeting_or_commission)
    if commission is None:
        return False
    if in_bureau(user, commission):
        return True
    if commission.level == Level.PLANT:
        return _plant_role(user, commission.enterprise_id, ACTIONS["meeting.edit"])
    return can(user, "meeting.edit", commission)


def may_see_stats(user) -> bool:
    scope = scope_of(user)
    return (
        scope.everything
        or bool(scope.roles & ACTIONS["meeting.stats"])
        or bool(memberships_of(user).bureau)
    )


def sees_overdue(user) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & ACTIONS["proposal.overdue"])


def may_answer(user, proposal: Proposal) -> bool:
    """The administration of the proposal's unit: its shop head, the plant's heads."""
    return can(user, "proposal.answer", proposal)


def _plant_role(user, enterprise_id: int, roles: frozenset[str]) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    return any(
        g.role in roles and g.enterprise_id == enterprise_id and not g.shop_id and not g.section_id
        for g in scope.grants
    )
