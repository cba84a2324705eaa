"""Tracking (§6): a worker's output of a month and the section's output of a day."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Worker
from enterprise.money import NIL
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet
from planning.modelbase import (
    HOURS,
    VOLUME,
    section_scope,
)

# --- tracking --------------------------------------------------------------------------------


class OutputQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope, "worker__section") | within("worker_id", scope.workers)


class MonthlyOutput(TrackedModel):
    """A worker's actual output of a month, in the output unit of the worker's plan (§6)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="outputs"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    output = models.DecimalField(_("выработка"), validators=[MinValueValidator(NIL)], **VOLUME)
    hours_worked = models.DecimalField(
        _("отработано, ч"),
        validators=[MinValueValidator(NIL), MaxValueValidator(Decimal(400))],
        **HOURS,
    )
    nomenclature_met = models.BooleanField(
        _("номенклатурное задание мастера выполнено"), default=True
    )

    objects = OutputQuerySet.as_manager()

    class Meta:
        verbose_name = _("выработка за месяц")
        verbose_name_plural = _("выработка за месяц")
        ordering = ["-period__year", "-period__month", "worker"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "period"],
                name="output_unique_month",
                violation_error_message=_("Выработка рабочего за этот месяц уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(output__gte=0, hours_worked__gte=0),
                name="output_not_negative",
                violation_error_message=_("Выработка и часы не могут быть отрицательными."),
            ),
        ]

    def __str__(self):
        return f"{self.worker.short_name}, {self.period}"

    def scope_unit(self):
        return self.enterprise_id, self.worker.section.shop_id, self.worker.section_id

    def period_keys(self):
        return [MonthKey(self.enterprise_id, self.period.year, self.period.month)]


class SectionDayQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope) | within("section_id", scope.own_sections)


class SectionDayOutput(TrackedModel):
    """The section's actual output of one day (§6: the section's deviations daily)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="day_outputs"
    )
    date = models.DateField(_("дата"))
    output = models.DecimalField(_("выработка"), validators=[MinValueValidator(NIL)], **VOLUME)

    objects = SectionDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("выработка участка за день")
        verbose_name_plural = _("выработка участков по дням")
        ordering = ["section", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "date"],
                name="section_day_unique",
                violation_error_message=_("Выработка участка за этот день уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(output__gte=0),
                name="section_day_not_negative",
                violation_error_message=_("Выработка не может быть отрицательной."),
            ),
        ]

    def __str__(self):
        return f"{self.section}, {self.date:%d.%m.%Y}"

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.date)]
