"""What the models of planning's features share: field sizes, validators, scoping rows by
section, and the freeze of a year's figures once its December is closed."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from enterprise.scoping import Scope, within
from enterprise.tracking import MonthKey

YEAR_VALIDATORS = [MinValueValidator(1960), MaxValueValidator(2100)]
VOLUME = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 7, "decimal_places": 3}
RATIO = {"max_digits": 6, "decimal_places": 3}
HOURS = {"max_digits": 7, "decimal_places": 1}


def year_end_key(enterprise_id, year) -> MonthKey | None:
    """A year's figures freeze when its December is closed: the year is over."""
    if enterprise_id is None or year is None:
        return None
    return MonthKey(enterprise_id, year, 12)


def section_scope(scope: Scope, section_path: str = "section") -> models.Q:
    return (
        within("enterprise_id", scope.enterprises)
        | within(f"{section_path}__shop_id", scope.shops)
        | within(f"{section_path}_id", scope.sections)
    )
