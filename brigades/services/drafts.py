"""The month's document as the services find it: refused unless it is an open month's
draft, and re-read under a row lock so that two people acting at once go one by one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprise.tracking import assert_months_open

from ..models import Distribution


def assert_draft(distribution: Distribution) -> None:
    """A closed month's document refuses any change (PeriodClosedError); so does one past
    the draft."""
    assert_months_open(distribution.period_keys())
    if distribution.status != Distribution.Status.DRAFT:
        raise ValidationError(
            _(
                "Распределение уже %(status)s: его нельзя изменить. "
                "Верните его на доработку или внесите исправление в открытом месяце."
            )
            % {"status": distribution.get_status_display()}
        )


def locked(distribution: Distribution) -> Distribution:
    """The document re-read under a row lock: two people acting at once go one by one."""
    return (
        Distribution.objects.select_for_update(of=("self",))
        .select_related("brigade__section__shop", "period", "enterprise")
        .get(pk=distribution.pk)
    )
