"""Reads for the claims' printed documents: one query set per document, nothing lazy.

The PDF code (``claims.pdf``) runs no queries; what it prints must be loaded here.
"""

from __future__ import annotations

from django.db.models import Prefetch

from enterprise.closing import workers_as_printed

from .models import Claim, ClaimDocument

# Everything the claim act shows: the parties with their sections, shops and heads, the
# people of each step and the arbitrator's unit.
ACT_RELATED = (
    "enterprise",
    "period",
    "claim_type",
    "claimant_shop__head",
    "claimant_section__shop",
    "claimant_section__head",
    "claimant_brigade__section__shop",
    "claimant_worker__section__shop",
    "defendant_shop__head",
    "defendant_section__shop",
    "defendant_section__head",
    "defendant_brigade__section__shop",
    "defendant_worker__section__shop",
    "arbitrator_shop",
    "arbitrator_section__shop",
    "filed_by",
    "answered_by",
    "decided_by",
)


def claims_for_document(claims=None):
    """``claims`` (all claims by default) with what :func:`claims.pdf.render_claim_act` reads."""
    claims = Claim.objects.all() if claims is None else claims
    return claims.select_related(*ACT_RELATED).prefetch_related(
        Prefetch("documents", queryset=ClaimDocument.objects.order_by("pk"))
    )


def claim_for_document(pk: int, claims=None) -> Claim:
    """The claim ``pk`` loaded for its act (two queries); pass ``claims`` to scope it.

    Raises ``Claim.DoesNotExist`` when it is not there (or not in ``claims``): a view
    passes ``Claim.objects.visible_to(user)`` and turns that into a 404.
    """
    claim = claims_for_document(claims).get(pk=pk)
    # A claim of a closed month names its workers as they were at the close.
    shown = workers_as_printed(claim.period, [claim.claimant_worker, claim.defendant_worker])
    for side in ("claimant", "defendant"):
        worker_id = getattr(claim, f"{side}_worker_id")
        if worker_id is not None:
            setattr(claim, f"{side}_worker", shown[worker_id])
    return claim
