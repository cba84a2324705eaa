"""The sign-off of the month's document: the council agrees, the shop head approves (never
the one who drafted or agreed it), or returns it to the brigade with a reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.tracking import acting_as

from ..models import Distribution
from ..permissions import approve_refusal
from ..selectors import check_totals
from .drafts import assert_draft, locked
from .split import distribution_compute


@transaction.atomic
def distribution_agree(*, distribution: Distribution, minutes: str, user) -> Distribution:
    """The leader (or master) records that the brigade council agreed the split."""
    distribution = locked(distribution)
    assert_draft(distribution)
    with acting_as(user):
        distribution_compute(distribution)
        problems = check_totals(distribution, list(distribution.lines.all()))
        if problems:
            raise ValidationError(problems)
        distribution.status = Distribution.Status.AGREED
        distribution.agreed_by, distribution.agreed_at = user, timezone.now()
        distribution.council_minutes = minutes
        distribution.save()
    return distribution


@transaction.atomic
def distribution_approve(*, distribution: Distribution, user) -> Distribution:
    """The shop head approves: the document becomes final. Never by the one who drafted it
    or recorded the council's agreement: the approval is another person's."""
    distribution = locked(distribution)
    if distribution.status != Distribution.Status.AGREED:
        raise ValidationError(_("Утверждают распределение, согласованное советом бригады."))
    refusal = approve_refusal(user, distribution)
    if refusal:
        raise ValidationError(refusal, code="same_signer")
    with acting_as(user):
        distribution.status = Distribution.Status.APPROVED
        distribution.approved_by, distribution.approved_at = user, timezone.now()
        distribution.save()
    return distribution


@transaction.atomic
def distribution_return(*, distribution: Distribution, reason: str, user) -> Distribution:
    """Send an agreed document back to the brigade for rework, with a reason."""
    distribution = locked(distribution)
    if distribution.status != Distribution.Status.AGREED:
        raise ValidationError(_("Вернуть на доработку можно только согласованное распределение."))
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину.")})
    with acting_as(user, reason=reason):
        distribution.status = Distribution.Status.DRAFT
        distribution.agreed_by, distribution.agreed_at = None, None
        distribution.save()
    return distribution
