"""Who may do what with claims. Each check names the unit it concerns: the claimant's
unit for filing and withdrawal, the defendant's for the answer; the arbitrator is the
holder of the claim's arbitrator role at its unit (:func:`is_arbitrator`).

The views ask these before they run a service; the selectors use the same predicates
to fill the inboxes; the services refuse only what breaks a rule of the claim itself
(its state, its month, the filer deciding his own claim).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.models.roles import Role as R
from enterprise.permissions import can
from enterprise.scoping import scope_of

from .models import Claim, PartyKind

ACTIONS: dict[str, frozenset[str]] = {
    "claim.file": frozenset({R.DISPATCHER, R.MASTER, R.SHOP_HEAD}),
    "claim.answer": frozenset({R.MASTER, R.SHOP_HEAD}),
    # a brigade leader answers for the brigade he leads (may_answer)
    "claim.answer_brigade": frozenset({R.BRIGADE_LEADER}),
    "claim.withdraw": frozenset({R.DISPATCHER, R.MASTER, R.SHOP_HEAD}),
    "claim.statement": frozenset(
        {
            R.DISPATCHER,
            R.ECONOMIST,
            R.MASTER,
            R.SHOP_HEAD,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    "claim_type.edit": frozenset({R.ADMINISTRATOR, R.DEPUTY_DIRECTOR}),
}

MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        {f"claims.{verb}_claimtype" for verb in ("add", "change", "view")}
        | {f"claims.{verb}_claimsettings" for verb in ("add", "change", "view")}
        | {"claims.view_claim"}
    ),
}


@dataclass(frozen=True)
class UnitRef:
    """A unit for the permission check: ``enterprise.permissions.can`` asks scope_unit()."""

    enterprise_id: int
    shop_id: int
    section_id: int | None

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, self.section_id


def side_ref(claim: Claim, side: str) -> UnitRef:
    """The unit of the claimant's or the defendant's side of a claim."""
    return UnitRef(
        claim.enterprise_id, getattr(claim, f"{side}_shop_id"), getattr(claim, f"{side}_section_id")
    )


def holds(user, role: str, *, enterprise_id: int, shop_id=None, section_id=None) -> bool:
    """Does ``user`` hold ``role`` exactly at this unit now?"""
    for grant in scope_of(user).grants:
        if grant.role != role or grant.enterprise_id != enterprise_id:
            continue
        if section_id is not None and grant.section_id == section_id:
            return True
        # (a grant in one of the shop's sections is not the shop's: look further)
        if (
            section_id is None
            and shop_id is not None
            and grant.shop_id == shop_id
            and not grant.section_id
        ):
            return True
        if section_id is None and shop_id is None and not grant.shop_id and not grant.section_id:
            return True
    return False


def may_file(user, claimant: UnitRef) -> bool:
    """Files for a unit of his own: the dispatcher, master or shop head of it."""
    return can(user, "claim.file", claimant)


def may_answer(user, claim: Claim) -> bool:
    """The defendant's head answers: the master of its section, the shop head of a shop,
    the leader of a defendant brigade. Never the filer, nor the claim's arbitrator (who
    heads both sides of a dispute inside his unit and decides it)."""
    if claim.filed_by_id == user.pk or is_arbitrator(user, claim):
        return False
    if claim.defendant_kind == PartyKind.BRIGADE and claim.defendant_brigade is not None:
        leads = claim.defendant_brigade.leader_on(timezone.localdate(), user=user) is not None
        if leads and can(user, "claim.answer_brigade", side_ref(claim, "defendant")):
            return True
    return can(user, "claim.answer", side_ref(claim, "defendant"))


def decide_refusal(user, claim: Claim) -> str | None:
    """Why ``user`` may not decide ``claim`` whatever roles he holds (None: the claim does
    not stop him): who filed it or answered it for the defendant does not judge it."""
    if claim.filed_by_id is not None and claim.filed_by_id == user.pk:
        return _("Кто подал претензию, тот не отвечает на неё и не решает её.")
    if claim.answered_by_id is not None and claim.answered_by_id == user.pk:
        return _(
            "Вы ответили на эту претензию за ответчика; решение по ней принимает другой человек."
        )
    return None


def is_arbitrator(user, claim: Claim) -> bool:
    """The holder of the claim's arbitrator role at its unit — never the filer nor the one
    who answered it, not even a superuser."""
    if decide_refusal(user, claim):
        return False
    if scope_of(user).everything:
        return True
    return holds(
        user,
        claim.arbitrator_role,
        enterprise_id=claim.enterprise_id,
        shop_id=claim.arbitrator_shop_id,
        section_id=claim.arbitrator_section_id,
    )


def decide_blocked(user, claim: Claim) -> str | None:
    """For the holder of the arbitrator role kept from deciding: the reason to show."""
    refusal = decide_refusal(user, claim)
    if refusal is None:
        return None
    holder = scope_of(user).everything or holds(
        user,
        claim.arbitrator_role,
        enterprise_id=claim.enterprise_id,
        shop_id=claim.arbitrator_shop_id,
        section_id=claim.arbitrator_section_id,
    )
    return refusal if holder else None


def may_withdraw(user, claim: Claim) -> bool:
    """The filer, or the dispatcher, master or shop head of the claimant's unit."""
    return claim.filed_by_id == user.pk or can(user, "claim.withdraw", side_ref(claim, "claimant"))


def sees_plant(user, enterprise_id: int) -> bool:
    """Does the user read the claims statement for the whole plant (an enterprise-level
    role among those of ``claim.statement``)?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    roles = ACTIONS["claim.statement"]
    return any(
        g.role in roles and g.enterprise_id == enterprise_id and not g.shop_id and not g.section_id
        for g in scope.grants
    )
