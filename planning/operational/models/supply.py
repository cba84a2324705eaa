"""Five-day ranks (§3, system «Ритм») and daily kits (§4, system of «Электроприбор»):
the parts' yearly need, their stocks at the consumer shops, the registration journal of
production and the assembly's days."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Section, Shop
from enterprise.money import NIL
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet
from planning.modelbase import YEAR_VALIDATORS, section_scope, year_end_key

from .base import DAYS, QUANTITY, part_scope, shop_scope
from .routes import Part


class PartScopedQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return part_scope(scope, "part")


class PartSupply(TrackedModel):
    """A part's need for a year in five-day calendar ranks (§3): the five-day need ПП is
    the year's need over its ranks, П the accepted batch, Г the lead group."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("деталь"), on_delete=models.CASCADE, related_name="supplies"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    period_need = models.DecimalField(
        _("потребность на период, шт."), validators=[MinValueValidator(NIL)], **QUANTITY
    )
    ranks = models.PositiveSmallIntegerField(
        _("календарных рангов в периоде"),
        default=52,
        validators=[MinValueValidator(1), MaxValueValidator(53)],
    )
    batch = models.PositiveIntegerField(
        _("принятая партия П, шт."), validators=[MinValueValidator(1)]
    )
    lead_group = models.DecimalField(
        _("группа опережения Г, пятидневок"),
        validators=[MinValueValidator(NIL)],
        **DAYS,
    )

    objects = PartScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("пятидневная потребность детали")
        verbose_name_plural = _("пятидневные потребности деталей")
        ordering = ["-year", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "year"],
                name="part_supply_unique_year",
                violation_error_message=_("Потребность детали на этот год уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_need__gte=0, lead_group__gte=0, batch__gte=1),
                name="part_supply_figures_valid",
                violation_error_message=_(
                    "Потребность и группа опережения не отрицательные, партия — не меньше 1."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.part.number}, {self.year}"

    @property
    def five_day_need(self) -> Decimal:
        """ПП = need for the period / number of КР in it (unrounded)."""
        return self.period_need / Decimal(self.ranks)

    def history_group(self) -> str:
        return f"planning.part:{self.part_id}"

    def scope_unit(self):
        return self.enterprise_id, self.part.assembly_shop_id, None

    def period_keys(self):
        return [year_end_key(self.enterprise_id, self.year)]


class ConsumerStock(TrackedModel):
    """The stock of a part counted at a consumer shop on a day (§3: the supply rank)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("деталь"), on_delete=models.CASCADE, related_name="stocks"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("цех-потребитель"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("дата"))
    quantity = models.DecimalField(_("задел, шт."), validators=[MinValueValidator(NIL)], **QUANTITY)

    objects = PartScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("задел детали у потребителя")
        verbose_name_plural = _("заделы деталей у потребителей")
        ordering = ["-date", "part"]
        indexes = [models.Index(fields=["part", "date"], name="consumer_stock_part_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "shop", "date"],
                name="consumer_stock_unique_day",
                violation_error_message=_("Задел детали в этом цехе на этот день уже записан."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="consumer_stock_not_negative",
                violation_error_message=_("Задел не может быть отрицательным."),
            ),
        ]

    def __str__(self):
        return f"{self.part.number}, {self.date:%d.%m.%Y}"

    def history_group(self) -> str:
        return f"planning.part:{self.part_id}"

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.date)]

    def period_error_field(self, stored) -> str | None:
        return "date"


class ProductionQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope) | within("section_id", scope.own_sections)


class PartProduction(TrackedModel):
    """A part's production on a section in a day: a line of the registration journal and
    of the part's planning card (§4). The shift tasks' recorded output writes it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("деталь"), on_delete=models.PROTECT, related_name="productions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("дата"))
    quantity = models.DecimalField(
        _("изготовлено, шт."), validators=[MinValueValidator(NIL)], **QUANTITY
    )

    objects = ProductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("выпуск детали за день")
        verbose_name_plural = _("журнал регистрации выпуска деталей")
        ordering = ["section", "date", "part"]
        indexes = [models.Index(fields=["part", "section", "date"], name="part_production_card")]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "section", "date"],
                name="part_production_unique_day",
                violation_error_message=_("Выпуск детали участком за этот день уже записан."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="part_production_not_negative",
                violation_error_message=_("Выпуск не может быть отрицательным."),
            ),
        ]

    def __str__(self):
        return f"{self.part.number}, {self.section.short_label}, {self.date:%d.%m.%Y}"

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.date)]

    def period_error_field(self, stored) -> str | None:
        return "date"


class AssemblyQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return shop_scope(scope)


class AssemblyDay(TrackedModel):
    """The daily kits the assembly shop assembled on a day (§4): their running total is
    the assembly's kit number."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("сборочный цех"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("дата"))
    kits = models.DecimalField(
        _("собрано суточных комплектов"),
        validators=[MinValueValidator(NIL), MaxValueValidator(Decimal(10))],
        **DAYS,
    )

    objects = AssemblyQuerySet.as_manager()

    class Meta:
        verbose_name = _("день сборки")
        verbose_name_plural = _("дни сборки")
        ordering = ["shop", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "date"],
                name="assembly_day_unique",
                violation_error_message=_("Сборка цеха за этот день уже записана."),
            ),
            models.CheckConstraint(
                condition=models.Q(kits__gte=0),
                name="assembly_day_not_negative",
                violation_error_message=_("Число комплектов не может быть отрицательным."),
            ),
        ]

    def __str__(self):
        return f"{self.shop.number}, {self.date:%d.%m.%Y}"

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.date)]

    def period_error_field(self, stored) -> str | None:
        return "date"
