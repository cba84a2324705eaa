"""Parts, their routes through the sections, the shop's schedule and its equipment (§2, §6)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Section, Shop
from enterprise.money import NIL
from enterprise.scoping import Scope, ScopedQuerySet
from enterprise.tracking import TrackedModel, TrackedQuerySet

from .base import COEFFICIENT, DAYS, PIECE_HOURS, QUANTITY, part_scope, shop_scope


class ShopQuerySetBase(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return shop_scope(scope)


class ShopSchedule(TrackedModel):
    """A shop's working regime: shift coefficient Ксм and the norms' fulfilment (§2)."""

    shop = models.OneToOneField(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="schedule"
    )
    shift_coefficient = models.DecimalField(
        _("коэффициент сменности Ксм"),
        default=Decimal("2.000"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(3))],
        **COEFFICIENT,
    )
    norm_fulfilment = models.DecimalField(
        _("коэффициент выполнения норм"),
        default=Decimal("1.200"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(3))],
        **COEFFICIENT,
    )
    shift_hours = models.DecimalField(
        _("продолжительность смены, ч"),
        default=Decimal("8.00"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(12))],
        **DAYS,
    )
    working_days_month = models.PositiveSmallIntegerField(
        _("рабочих дней в месяце"),
        default=22,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )

    objects = ShopQuerySetBase.as_manager()

    class Meta:
        verbose_name = _("режим работы цеха")
        verbose_name_plural = _("режимы работы цехов")
        ordering = ["shop__enterprise", "shop__number"]

    def __str__(self):
        return _("Режим работы: %(shop)s") % {"shop": self.shop}

    def scope_unit(self):
        return self.shop.enterprise_id, self.shop_id, None


class PartQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return part_scope(scope)


class Part(TrackedModel):
    """A part (деталь) the plant makes: its number, and the daily kit of the assembly
    shop that consumes it (§4)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("номер детали"), max_length=40)
    name = models.CharField(_("наименование"), max_length=200)
    assembly_shop = models.ForeignKey(
        Shop,
        verbose_name=_("сборочный цех (потребитель)"),
        on_delete=models.PROTECT,
        related_name="assembled_parts",
    )
    daily_need = models.PositiveIntegerField(
        _("в суточном комплекте, шт."), default=1, validators=[MinValueValidator(1)]
    )

    objects = PartQuerySet.as_manager()

    class Meta:
        verbose_name = _("деталь")
        verbose_name_plural = _("детали")
        ordering = ["enterprise", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"],
                name="part_number_unique_per_enterprise",
                violation_error_message=_("Деталь с таким номером на предприятии уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(daily_need__gte=1),
                name="part_daily_need_positive",
                violation_error_message=_("В суточном комплекте не меньше одной детали."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("planning:part_detail", self.pk)

    def scope_unit(self):
        return self.enterprise_id, self.assembly_shop_id, None


class RouteQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return part_scope(scope, "part")


class Route(TrackedModel):
    """A part's route through one section: the batch, the parallelism, the natural and
    waiting times, the monthly output and the safety stock in days (§2)."""

    part = models.ForeignKey(
        Part, verbose_name=_("деталь"), on_delete=models.CASCADE, related_name="routes"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="routes"
    )
    sequence = models.PositiveSmallIntegerField(
        _("порядок на маршруте"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Первый участок запускает деталь, последний выпускает её."),
    )
    batch_size = models.PositiveIntegerField(
        _("размер партии Н, шт."), validators=[MinValueValidator(1)]
    )
    parallelism = models.DecimalField(
        _("коэффициент параллельности Кп"),
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1))],
        **COEFFICIENT,
    )
    natural_days = models.DecimalField(
        _("естественные процессы Тест, дн."),
        default=NIL,
        validators=[MinValueValidator(NIL)],
        **DAYS,
    )
    waiting_days = models.DecimalField(
        _("межоперационное ожидание Тмо, дн."),
        default=NIL,
        validators=[MinValueValidator(NIL)],
        **DAYS,
    )
    monthly_output = models.DecimalField(
        _("выпуск в месяц А, шт."), validators=[MinValueValidator(NIL)], **QUANTITY
    )
    safety_days = models.DecimalField(
        _("страховой запас Кк, дн."),
        default=NIL,
        validators=[MinValueValidator(NIL)],
        **DAYS,
    )

    objects = RouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("маршрут детали по участку")
        verbose_name_plural = _("маршруты деталей")
        ordering = ["part", "sequence", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "section"],
                name="route_unique_part_section",
                violation_error_message=_("Маршрут этой детали по участку уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(batch_size__gte=1)
                & models.Q(parallelism__gt=0, parallelism__lte=1)
                & models.Q(natural_days__gte=0, waiting_days__gte=0, safety_days__gte=0)
                & models.Q(monthly_output__gte=0),
                name="route_figures_valid",
                violation_error_message=_(
                    "Партия — не меньше 1, Кп — от 0 до 1, сроки и выпуск — не отрицательные."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.part.number}: {self.section.short_label}"

    def history_group(self) -> str:
        return f"planning.part:{self.part_id}"

    def scope_unit(self):
        return self.part.enterprise_id, self.section.shop_id, self.section_id


class EquipmentGroup(TrackedModel):
    """A group of like machines of a shop, with its regime and planned repairs (§6)."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="equipment_groups"
    )
    name = models.CharField(_("группа оборудования"), max_length=120)
    units = models.PositiveSmallIntegerField(
        _("единиц оборудования"), validators=[MinValueValidator(1)]
    )
    shifts = models.PositiveSmallIntegerField(
        _("смен в сутки"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    repair_percent = models.DecimalField(
        _("плановый ремонт, % фонда"),
        default=NIL,
        validators=[MinValueValidator(NIL), MaxValueValidator(Decimal(100))],
        **COEFFICIENT,
    )

    objects = ShopQuerySetBase.as_manager()

    class Meta:
        verbose_name = _("группа оборудования")
        verbose_name_plural = _("группы оборудования")
        ordering = ["shop", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "name"],
                name="equipment_group_unique_name",
                violation_error_message=_("Группа с таким названием в цехе уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=1, shifts__gte=1, shifts__lte=3)
                & models.Q(repair_percent__gte=0, repair_percent__lt=100),
                name="equipment_group_figures_valid",
                violation_error_message=_(
                    "Единиц — не меньше 1, смен — от 1 до 3, ремонт — меньше 100 %%."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def scope_unit(self):
        return self.shop.enterprise_id, self.shop_id, None


class OperationQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return part_scope(scope, "route__part")


class RouteOperation(TrackedModel):
    """An operation of a route: its piece time by the norm (Тшт) and the machines it runs
    on."""

    route = models.ForeignKey(
        Route, verbose_name=_("маршрут"), on_delete=models.CASCADE, related_name="operations"
    )
    number = models.PositiveSmallIntegerField(
        _("номер операции"), validators=[MinValueValidator(1)]
    )
    name = models.CharField(_("операция"), max_length=120)
    piece_hours = models.DecimalField(
        _("штучное время Тшт, ч"),
        validators=[MinValueValidator(Decimal("0.0001"))],
        **PIECE_HOURS,
    )
    equipment_group = models.ForeignKey(
        EquipmentGroup,
        verbose_name=_("группа оборудования"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operations",
    )

    objects = OperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("операция маршрута")
        verbose_name_plural = _("операции маршрутов")
        ordering = ["route", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "number"],
                name="route_operation_unique_number",
                violation_error_message=_("Операция с таким номером на маршруте уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(piece_hours__gt=0),
                name="route_operation_time_positive",
                violation_error_message=_("Штучное время должно быть больше нуля."),
            ),
        ]

    def __str__(self):
        return f"{self.number:03d} {self.name}"

    def history_group(self) -> str:
        return f"planning.part:{self.route.part_id}"

    def scope_unit(self):
        return self.route.part.enterprise_id, self.route.section.shop_id, self.route.section_id
