"""The assembly shop's area in square-metre-hours (§6, tables 12–13)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Shop
from enterprise.money import NIL
from enterprise.scoping import Scope, ScopedQuerySet
from enterprise.tracking import TrackedModel, TrackedQuerySet

from .base import AREA, COEFFICIENT, PIECE_HOURS, QUANTITY, shop_scope


class AreaQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return shop_scope(scope)


class AssemblyArea(TrackedModel):
    """An assembly shop's areas and the hours a year they are worked (§6)."""

    shop = models.OneToOneField(
        Shop, verbose_name=_("сборочный цех"), on_delete=models.PROTECT, related_name="area"
    )
    production_area = models.DecimalField(
        _("производственная площадь, м²"), validators=[MinValueValidator(Decimal(1))], **AREA
    )
    auxiliary_area = models.DecimalField(
        _("вспомогательная площадь, м²"), default=NIL, validators=[MinValueValidator(NIL)], **AREA
    )
    hours_year = models.DecimalField(
        _("фонд времени площади, ч в год"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(8784))],
        **AREA,
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("площадь сборочного цеха")
        verbose_name_plural = _("площади сборочных цехов")
        ordering = ["shop"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(production_area__gt=0, auxiliary_area__gte=0, hours_year__gt=0),
                name="assembly_area_positive",
                violation_error_message=_("Площадь и фонд времени должны быть больше нуля."),
            ),
        ]

    def __str__(self):
        return _("Площадь: %(shop)s") % {"shop": self.shop}

    def scope_unit(self):
        return self.shop.enterprise_id, self.shop_id, None


class AssemblyProduct(TrackedModel):
    """A product assembled on the shop's floor (table 13): the area it takes with its
    passages, the assemblers' area, the yearly cycle reduction and the programme."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("сборочный цех"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("изделие"), max_length=200)
    length = models.DecimalField(
        _("длина, м"), null=True, blank=True, validators=[MinValueValidator(NIL)], **AREA
    )
    width = models.DecimalField(
        _("ширина, м"), null=True, blank=True, validators=[MinValueValidator(NIL)], **AREA
    )
    product_area = models.DecimalField(
        _("площадь с учётом проходов, м²"), validators=[MinValueValidator(NIL)], **AREA
    )
    assemblers_area = models.DecimalField(
        _("площадь для сборщиков, м²"), validators=[MinValueValidator(NIL)], **AREA
    )
    reduction = models.DecimalField(
        _("коэффициент снижения цикла в течение года"),
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(1))],
        **COEFFICIENT,
    )
    annual_quantity = models.DecimalField(
        _("программа выпуска, шт. в год"), validators=[MinValueValidator(NIL)], **QUANTITY
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("изделие сборки")
        verbose_name_plural = _("изделия сборки")
        ordering = ["shop", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "name"],
                name="assembly_product_unique_name",
                violation_error_message=_("Изделие с таким названием в цехе уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(product_area__gte=0, assemblers_area__gte=0)
                & models.Q(reduction__gt=0, reduction__lte=1, annual_quantity__gte=0),
                name="assembly_product_figures_valid",
                violation_error_message=_(
                    "Площади и программа не отрицательные, коэффициент — от 0 до 1."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def total_area(self) -> Decimal:
        """Table 13, line 4: the area needed to assemble one product."""
        return self.product_area + self.assemblers_area

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None


class StageQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return shop_scope(scope, "product__shop")


class AssemblyStage(TrackedModel):
    """A stage of a product's assembly (table 12): its labour by the norm, the norms'
    fulfilment and the assemblers working on it at once."""

    product = models.ForeignKey(
        AssemblyProduct, verbose_name=_("изделие"), on_delete=models.CASCADE, related_name="stages"
    )
    number = models.PositiveSmallIntegerField(_("№"), validators=[MinValueValidator(1)])
    name = models.CharField(_("этап сборки"), max_length=120)
    labour_hours = models.DecimalField(
        _("трудоёмкость, нормо-ч"), validators=[MinValueValidator(Decimal("0.0001"))], **PIECE_HOURS
    )
    fulfilment_percent = models.DecimalField(
        _("выполнение норм, %"),
        default=Decimal("100.000"),
        validators=[MinValueValidator(Decimal(50)), MaxValueValidator(Decimal(300))],
        **COEFFICIENT,
    )
    assemblers = models.PositiveSmallIntegerField(
        _("сборщиков одновременно"), default=1, validators=[MinValueValidator(1)]
    )

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("этап сборки")
        verbose_name_plural = _("этапы сборки")
        ordering = ["product", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number"],
                name="assembly_stage_unique_number",
                violation_error_message=_("Этап с таким номером у изделия уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(labour_hours__gt=0, fulfilment_percent__gt=0, assemblers__gte=1),
                name="assembly_stage_figures_valid",
                violation_error_message=_(
                    "Трудоёмкость и выполнение норм больше нуля, сборщиков — не меньше одного."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def history_group(self) -> str:
        return f"planning.assemblyproduct:{self.product_id}"

    def scope_unit(self):
        return self.product.enterprise_id, self.product.shop_id, None
