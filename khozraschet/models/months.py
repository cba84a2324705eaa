"""A section's month: plans and actuals of its indicators, its cost plan with the month-end
corrections and the masters' explanations, and the inputs of its evaluation (§4–§8)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Shop
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

from .base import AMOUNT, HOURS, MONEY, PERCENT, RATIO, SectionMonthModel
from .config import CostArticle, Indicator


class SectionMonth(SectionMonthModel):
    """The evaluation inputs of a section's month that are not indicators (§6–§8)."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    plan_decade_1 = models.DecimalField(
        _("план 1-й декады, нормо-ч"), validators=[MinValueValidator(0)], default=0, **AMOUNT
    )
    plan_decade_2 = models.DecimalField(
        _("план 2-й декады, нормо-ч"), validators=[MinValueValidator(0)], default=0, **AMOUNT
    )
    plan_decade_3 = models.DecimalField(
        _("план 3-й декады, нормо-ч"), validators=[MinValueValidator(0)], default=0, **AMOUNT
    )
    on_time_output = models.DecimalField(
        _("выпущено в срок по номенклатуре В"),
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        help_text=_("С учётом необходимых заделов."),
        **AMOUNT,
    )
    shortfall = models.DecimalField(
        _("недовыполнение плана А"),
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        **AMOUNT,
    )
    quality_collective = models.DecimalField(
        _("Ккт коллектива участка"),
        validators=[MinValueValidator(0), MaxValueValidator(3)],
        null=True,
        blank=True,
        **RATIO,
    )
    quality_masters = models.DecimalField(
        _("Ккт мастеров"),
        validators=[MinValueValidator(0), MaxValueValidator(3)],
        null=True,
        blank=True,
        **RATIO,
    )
    productivity_wage_deviation = models.DecimalField(
        _("отставание роста производительности от роста зарплаты, %"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        default=0,
        **PERCENT,
    )
    shift_fund_hours = models.DecimalField(
        _("сменный фонд времени оборудования, ч"),
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        **HOURS,
    )
    consumers_filed_no_claims = models.BooleanField(
        _("потребители не предъявили претензий"),
        default=False,
        help_text=_("Для вспомогательного участка это значит, что его план выполнен."),
    )

    class Meta:
        verbose_name = _("месяц участка")
        verbose_name_plural = _("месяцы участков")
        ordering = ["section", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period"],
                name="khz_section_month_unique",
                violation_error_message=_("Месяц участка уже заведён."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.period}"

    @property
    def decade_plan(self) -> list[Decimal]:
        return [self.plan_decade_1, self.plan_decade_2, self.plan_decade_3]


class IndicatorValue(SectionMonthModel):
    """A section's plan and actual of one indicator for a month (table 5, §9)."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показатель"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.DecimalField(_("план"), validators=[MinValueValidator(0)], **AMOUNT)
    actual = models.DecimalField(
        _("факт"),
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        help_text=_("Для показателей из других разделов берётся оттуда при подведении итогов."),
        **AMOUNT,
    )
    confirmed_unlikely = models.BooleanField(
        _("подтверждено: цифра далека от плана"), default=False
    )

    class Meta:
        verbose_name = _("показатель участка за месяц")
        verbose_name_plural = _("показатели участков за месяц")
        ordering = ["section", "period", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period", "indicator"],
                name="khz_indicator_value_unique",
                violation_error_message=_("Этот показатель участка за месяц уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(plan__gte=0)
                & (models.Q(actual__isnull=True) | models.Q(actual__gte=0)),
                name="khz_indicator_value_not_negative",
                violation_error_message=_("План и факт не могут быть отрицательными."),
            ),
        ]

    def __str__(self):
        return f"{self.section}, {self.period}: {self.indicator.name}"


class CostLine(SectionMonthModel):
    """A cost article of a section's month: the plan as set and the actual (table 6)."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        CostArticle, verbose_name=_("статья"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.DecimalField(_("план, руб."), validators=[MinValueValidator(0)], **MONEY)
    actual = models.DecimalField(
        _("факт, руб."), validators=[MinValueValidator(0)], null=True, blank=True, **MONEY
    )

    class Meta:
        verbose_name = _("статья сметы участка")
        verbose_name_plural = _("смета затрат участков")
        ordering = ["section", "period", "article__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period", "article"],
                name="khz_cost_line_unique",
                violation_error_message=_("Эта статья сметы за месяц уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.period}: {self.article}"


class CostCorrection(SectionMonthModel):
    """A month-end correction of the planned cost for a cause outside the section (§5).

    Positive raises the plan (a material delivered dearer than planned), negative lowers it.
    Who made it is kept by the history and shown beside it.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        CostArticle, verbose_name=_("статья"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("поправка плана, руб."),
        validators=[MinValueValidator(Decimal("-1e11")), MaxValueValidator(Decimal("1e11"))],
        help_text=_("Плюс — план растёт (материал дороже плана), минус — снижается."),
        **MONEY,
    )
    reason = models.CharField(_("причина, не зависящая от участка"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("корректировка плана затрат")
        verbose_name_plural = _("корректировки плана затрат")
        ordering = ["section", "period", "article__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0),
                name="khz_correction_not_zero",
                violation_error_message=_("Нулевая поправка ничего не меняет."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.period}: {self.article} {self.amount:+}"

    def clean(self):
        super().clean()
        if self.reason is not None and not self.reason.strip():
            raise ValidationError({"reason": _("Укажите причину поправки.")})


class DeviationNote(SectionMonthModel):
    """A master's explanation of a cost deviation on a part by an article (§5)."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        CostArticle, verbose_name=_("статья"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(_("деталь, заготовка"), max_length=120)
    deviation = models.DecimalField(
        _("отклонение, руб."),
        validators=[MinValueValidator(Decimal("-1e11")), MaxValueValidator(Decimal("1e11"))],
        **MONEY,
    )
    explanation = models.TextField(_("объяснение"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("мастер"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("объяснение отклонения")
        verbose_name_plural = _("объяснения отклонений")
        ordering = ["section", "period", "part", "article__order"]

    def __str__(self):
        return f"{self.part}: {self.article}"


class EnergySaving(SectionMonthModel):
    """Saved energy resources of a section's month and the bonus for them (§7).

    Paid above the bonus maximum and outside the wage fund.
    """

    class Resource(models.TextChoices):
        FUEL = "fuel", _("топливо")
        ELECTRICITY = "electricity", _("электроэнергия")
        HEAT = "heat", _("тепловая энергия")
        POWER_FACTOR = "power_factor", _("скидка за компенсацию реактивной мощности")

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    resource = models.CharField(_("ресурс"), max_length=14, choices=Resource.choices)
    saved_value = models.DecimalField(
        _("стоимость сэкономленного, руб."),
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("1e10"))],
        **MONEY,
    )
    percent = models.DecimalField(
        _("премия, % стоимости"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )

    class Meta:
        verbose_name = _("экономия энергоресурсов")
        verbose_name_plural = _("экономия энергоресурсов")
        ordering = ["section", "period", "resource"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period", "resource"],
                name="khz_energy_unique",
                violation_error_message=_("Экономия этого ресурса за месяц уже записана."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.period}: {self.get_resource_display()}"


class FundQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("enterprise_id", scope.enterprises)
            | within("shop_id", scope.shops)
            | within("shop_id", scope.own_shops)
        )


class IncentiveFund(TrackedModel):
    """The incentive fund of a month handed to a shop (or, without a shop, to the plant's
    sections) to split across sections ∝ planned wage fund × Кнапр (§6)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("цех"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(
        _("поощрительный фонд, руб."),
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("1e11"))],
        **MONEY,
    )

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("поощрительный фонд")
        verbose_name_plural = _("поощрительные фонды")
        ordering = ["period", "shop"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "shop"],
                name="khz_fund_unique",
                violation_error_message=_("Фонд цеха за этот месяц уже задан."),
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(shop__isnull=True),
                name="khz_fund_plant_unique",
                violation_error_message=_("Фонд предприятия за этот месяц уже задан."),
            ),
        ]

    def __str__(self):
        return f"{self.shop or self.enterprise}, {self.period}"

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None

    def period_keys(self):
        if self.period_id is None:
            return [None]
        return [MonthKey(self.period.enterprise_id, self.period.year, self.period.month)]
