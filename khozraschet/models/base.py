"""What the models of section self-financing share: field sizes and scoping by section."""

from __future__ import annotations

from django.db import models

from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
AMOUNT = {"max_digits": 16, "decimal_places": 3}  # an indicator's figure, any unit
RATIO = {"max_digits": 9, "decimal_places": 4}
PERCENT = {"max_digits": 7, "decimal_places": 2}
HOURS = {"max_digits": 10, "decimal_places": 1}


class SectionRowQuerySet(ScopedQuerySet, TrackedQuerySet):
    """Rows of one section: seen by whoever sees the section, its shop or the plant."""

    section_path = "section"

    def scope_filter(self, scope: Scope) -> models.Q:
        path = self.section_path
        return (
            within(f"{path}__shop__enterprise_id", scope.enterprises)
            | within(f"{path}__shop_id", scope.shops)
            | within(f"{path}_id", scope.sections)
            | within(f"{path}_id", scope.own_sections)
        )


class SectionMonthModel(TrackedModel):
    """A row of a section's month: frozen when the month is closed."""

    objects = SectionRowQuerySet.as_manager()

    class Meta:
        abstract = True

    def scope_unit(self):
        return self.period.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        if self.period_id is None:
            return [None]
        return [MonthKey(self.period.enterprise_id, self.period.year, self.period.month)]
