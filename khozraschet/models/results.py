"""The results of a month (§9): computed by the close, frozen with the period.

A result is a document: it keeps every figure it was computed from (``details``) so
that it reads and prints the same whatever changes later, and the digest of its inputs
so that the close knows whether it is still current (closing twice gives the same
results; an input changed after the close makes it stale).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Shop
from enterprise.models.documents import DocumentField
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

from .base import MONEY, RATIO, SectionMonthModel


class SectionResult(SectionMonthModel):
    """A section's result of a month: evaluation, bonuses, competition."""

    history_exclude = ("details",)

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="+"
    )
    production_type = models.CharField(_("тип производства"), max_length=14, blank=True)
    plan_met = models.BooleanField(_("план выполнен"), default=False)
    tension = models.DecimalField(_("Кнапр"), null=True, **RATIO)
    capacity_use = models.DecimalField(_("использование мощности"), null=True, **RATIO)
    completeness = models.DecimalField(_("комплектность П"), null=True, **RATIO)
    rhythmicity = models.DecimalField(_("ритмичность"), null=True, **RATIO)
    complex_evaluation = models.DecimalField(_("Ккоэкт мастера"), null=True, **RATIO)
    quality = models.DecimalField(_("Ккт коллектива"), null=True, **RATIO)
    competition = models.DecimalField(_("коэффициент соревнования"), null=True, **RATIO)
    rank = models.PositiveSmallIntegerField(_("место в цехе"), null=True)
    cost_plan = models.DecimalField(_("план затрат"), default=0, **MONEY)
    cost_plan_corrected = models.DecimalField(_("план затрат пересчитанный"), default=0, **MONEY)
    cost_actual = models.DecimalField(_("затраты фактически"), default=0, **MONEY)
    claims_net = models.DecimalField(_("сальдо претензий"), default=0, **MONEY)
    wage_fund_plan = models.DecimalField(_("фонд оплаты по плану"), default=0, **MONEY)
    wage_fund_actual = models.DecimalField(_("фонд оплаты фактически"), default=0, **MONEY)
    incentive = models.DecimalField(_("доля поощрительного фонда"), default=0, **MONEY)
    energy_bonus = models.DecimalField(_("премия за экономию энергоресурсов"), default=0, **MONEY)
    problems = DocumentField(_("что мешает подвести итог"), default=list, blank=True)
    details = DocumentField(_("расчёт"), default=dict)
    digest = models.CharField(_("отпечаток исходных данных"), max_length=64)
    computed_at = models.DateTimeField(_("рассчитан"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подвёл итоги"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("итог месяца участка")
        verbose_name_plural = _("итоги месяца участков")
        ordering = ["period", "shop", "section__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period"],
                name="khz_section_result_unique",
                violation_error_message=_("Итог участка за месяц уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.period}"


class ShopRowQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("shop__enterprise_id", scope.enterprises)
            | within("shop_id", scope.shops)
            | within("shop_id", scope.own_shops)
        )


class ShopResult(TrackedModel):
    """A shop's result of a month: its sections summed, and its place among the shops."""

    history_exclude = ("details",)

    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    competition = models.DecimalField(_("коэффициент соревнования"), null=True, **RATIO)
    rank = models.PositiveSmallIntegerField(_("место среди цехов"), null=True)
    tension = models.DecimalField(_("Кнапр"), null=True, **RATIO)
    cost_plan_corrected = models.DecimalField(_("план затрат пересчитанный"), default=0, **MONEY)
    cost_actual = models.DecimalField(_("затраты фактически"), default=0, **MONEY)
    claims_net = models.DecimalField(_("сальдо претензий"), default=0, **MONEY)
    wage_fund_actual = models.DecimalField(_("фонд оплаты фактически"), default=0, **MONEY)
    incentive = models.DecimalField(_("поощрительный фонд"), default=0, **MONEY)
    details = DocumentField(_("расчёт"), default=dict)
    computed_at = models.DateTimeField(_("рассчитан"))

    objects = ShopRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("итог месяца цеха")
        verbose_name_plural = _("итоги месяца цехов")
        ordering = ["period", "shop__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "period"],
                name="khz_shop_result_unique",
                violation_error_message=_("Итог цеха за месяц уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.shop}, {self.period}"

    def scope_unit(self):
        return self.shop.enterprise_id, self.shop_id, None

    def period_keys(self):
        if self.period_id is None:
            return [None]
        return [MonthKey(self.period.enterprise_id, self.period.year, self.period.month)]


class RunQuerySet(ScopedQuerySet, models.QuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        # The runs of a shop: whoever sees the shop whole; the plant's: the plant's roles.
        return within("enterprise_id", scope.enterprises) | within("shop_id", scope.shops)


class ResultRun(models.Model):
    """One run of the monthly close on the task worker, with its progress.

    Not a money document itself (it writes the results, which are): it says who asked,
    how far it got and how it ended.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("считается")
        DONE = "done", _("готово")
        FAILED = "failed", _("не удалось")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.CASCADE, related_name="+"
    )
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("цех"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("состояние"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("участков"), default=0)
    done = models.PositiveIntegerField(_("рассчитано"), default=0)
    changed = models.PositiveIntegerField(_("изменилось"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("запустил"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(_("запущен"), auto_now_add=True)
    finished_at = models.DateTimeField(_("закончен"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("подведение итогов месяца")
        verbose_name_plural = _("подведения итогов месяца")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.shop or self.enterprise}, {self.period}: {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None
