"""Who may act on a proposal at each step of its life (on top of :mod:`meetings.permissions`).

- filing: a worker for himself (and his co-authors), a brigade leader or a master for the
  people of their section's shop, a shop head in his shop (``proposal.file``);
- the review (accept / reject): the bureau of the commission that reviews the proposal's
  shop (the shop's commission, else the plant's);
- passing it on: that commission's factory-committee member;
- the answer: the administration of its unit (``proposal.answer``: the shop head, the
  production head, the deputy director);
- the implementation or dropping: ``proposal.implement`` (a master of its section, the
  shop head, the production head);
- attaching a document: the proposal's filer and authors while it is open, and the bureau.
"""

from __future__ import annotations

from enterprise.models.roles import Role
from enterprise.permissions import can
from enterprise.scoping import scope_of

from ..models import Commission, Proposal
from ..models.commissions import memberships_of
from ..permissions import ACTIONS, in_bureau, in_committee, may_answer

S = Proposal.Status
FILERS = ACTIONS["proposal.file"]


def commission_of(proposal: Proposal) -> Commission | None:
    """The commission that reviews the proposal (cached on it)."""
    cached = getattr(proposal, "_khz_commission", False)
    if cached is False:
        cached = Commission.for_shop(proposal.enterprise_id, proposal.shop_id)
        proposal._khz_commission = cached
    return cached


def may_file(user) -> bool:
    """Does the user hold a role that files proposals at all?"""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & FILERS)


def filing_shop_ids(user) -> frozenset[int] | None:
    """The shops the user may file in (``None``: every shop, for the superuser)."""
    scope = scope_of(user)
    if scope.everything:
        return None
    shops: set[int] = set()
    for grant in scope.grants:
        if grant.role not in FILERS:
            continue
        if grant.role == Role.WORKER:
            shops |= scope.own_shops
        elif grant.shop_id:
            shops.add(grant.shop_id)
    return frozenset(shops)


def may_file_in(user, shop) -> bool:
    shops = filing_shop_ids(user)
    return shops is None or shop.pk in shops


def files_for_himself_only(user) -> bool:
    """A worker with no other role files as one of the authors (a brigade leader, a
    master, a shop head file for the people of their unit too)."""
    return scope_of(user).worker_only


def may_review(user, proposal: Proposal) -> bool:
    return in_bureau(user, commission_of(proposal))


def may_pass(user, proposal: Proposal) -> bool:
    return in_committee(user, commission_of(proposal))


def may_give_answer(user, proposal: Proposal) -> bool:
    return may_answer(user, proposal)


def may_implement(user, proposal: Proposal) -> bool:
    return can(user, "proposal.implement", proposal)


def is_author(user, proposal: Proposal) -> bool:
    own = scope_of(user).workers
    if proposal.submitted_by_id is not None and proposal.submitted_by_id == user.pk:
        return True
    return bool(own) and any(a.pk in own for a in proposal.authors.all())


def may_attach(user, proposal: Proposal) -> bool:
    if not proposal.is_open:
        return False
    return is_author(user, proposal) or may_review(user, proposal)


def step_of(proposal: Proposal) -> str | None:
    """The step the proposal waits on: ``review``, ``pass``, ``answer``, ``implement``."""
    return {
        S.SUBMITTED: "review",
        S.ACCEPTED: "pass",
        S.PASSED: "answer",
        S.AGREED: "implement",
    }.get(proposal.status)


def may_act(user, proposal: Proposal) -> bool:
    """Is the proposal waiting on this user (his step to take)?"""
    step = step_of(proposal)
    if step == "review":
        return may_review(user, proposal)
    if step == "pass":
        return may_pass(user, proposal)
    if step == "answer":
        return may_give_answer(user, proposal)
    if step == "implement":
        return may_implement(user, proposal)
    return False


def has_seat(user) -> bool:
    seats = memberships_of(user)
    return bool(seats.bureau or seats.committee)


def has_bureau_seat(user) -> bool:
    """Could the user review any proposal (:func:`may_review`)?"""
    return scope_of(user).everything or bool(memberships_of(user).bureau)


def has_committee_seat(user) -> bool:
    """Could the user pass any proposal on (:func:`may_pass`)?"""
    return scope_of(user).everything or bool(memberships_of(user).committee)
