"""Writes of the enterprise's KTU regulation: the KTU range and the criteria (table 17)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.tracking import acting_as

from ..models import KtuCriterion


@dataclass(frozen=True)
class CriterionIn:
    """A KTU criterion as edited: ``pk`` of the stored one (None: a new criterion)."""

    name: str
    adjustment: Decimal
    active: bool = True
    order: int = 0
    pk: int | None = None


def ktu_settings_version(enterprise, criteria: Iterable[KtuCriterion]) -> str:
    """The version of the KTU regulation a page shows (:mod:`enterprise.versions`)."""
    return versions.stamp(([enterprise], KTU_RANGE_FIELDS), (criteria, CRITERION_FIELDS))


KTU_RANGE_FIELDS = ("ktu_min", "ktu_max")
CRITERION_FIELDS = ("name", "adjustment", "active", "order")


@transaction.atomic
def ktu_settings_save(
    *,
    enterprise,
    ktu_min: Decimal,
    ktu_max: Decimal,
    criteria: list[CriterionIn],
    user,
    version: str = "",
) -> None:
    """The KTU range and the criteria (the changed and the new ones) of the enterprise.

    ``version``: the regulation's when the page was drawn (:func:`ktu_settings_version`);
    if someone saved it meanwhile, :class:`~enterprise.versions.StaleError` says what
    changed and nothing is written."""
    enterprise = type(enterprise).objects.select_for_update().get(pk=enterprise.pk)
    versions.check(
        version,
        ([enterprise], KTU_RANGE_FIELDS),
        (KtuCriterion.objects.filter(enterprise=enterprise), CRITERION_FIELDS),
    )
    with acting_as(user):
        if (enterprise.ktu_min, enterprise.ktu_max) != (ktu_min, ktu_max):
            enterprise.ktu_min, enterprise.ktu_max = ktu_min, ktu_max
            enterprise.full_clean()
            enterprise.save()
        stored = {c.pk: c for c in KtuCriterion.objects.filter(enterprise=enterprise)}
        for item in criteria:
            criterion = stored.get(item.pk) if item.pk else KtuCriterion(enterprise=enterprise)
            if criterion is None:
                raise ValidationError(_("Показатель КТУ изменили или удалили: обновите страницу."))
            criterion.name, criterion.adjustment = item.name, item.adjustment
            criterion.active, criterion.order = item.active, item.order
            criterion.full_clean()
            criterion.save()
