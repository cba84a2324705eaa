"""The plant's configuration of self-financing: what it hands down and how it evaluates.

Everything here is data the plant edits (§4: each plant chooses its indicators; §6–§8:
factor sets, scorecards, bonus scales and competition rules differ by plant). Nothing
here belongs to a month: each month's result keeps the figures it was computed with.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, StepScale
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import TrackedModel, TrackedQuerySet

from .base import PERCENT, RATIO


class EnterpriseRowQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        enterprises = {g.enterprise_id for g in scope.grants}
        return within("enterprise_id", frozenset(enterprises))


class Settings(TrackedModel):
    """The plant's thresholds and terms of self-financing (one row per enterprise)."""

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("предприятие"),
        on_delete=models.CASCADE,
        related_name="khozraschet_settings",
    )
    mass_max = models.DecimalField(
        _("массовое: Кз не более"), default=Decimal(2), validators=[MinValueValidator(0)], **RATIO
    )
    large_serial_max = models.DecimalField(
        _("крупносерийное: Кз не более"), default=Decimal(10), **RATIO
    )
    serial_max = models.DecimalField(_("серийное: Кз не более"), default=Decimal(20), **RATIO)
    small_serial_max = models.DecimalField(
        _("мелкосерийное: Кз не более"), default=Decimal(50), **RATIO
    )
    section_due_day = models.PositiveSmallIntegerField(
        _("итоги соревнования участков — до числа следующего месяца"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    shop_due_day = models.PositiveSmallIntegerField(
        _("итоги соревнования цехов — до числа следующего месяца"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    quality_rank_minimum = models.DecimalField(
        _("Ккт, ниже которого участок не участвует в соревновании"),
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
        **RATIO,
    )
    withhold_percent = models.DecimalField(
        _("удерживается до итогов квартала, % премии 1-го и 2-го месяцев"),
        default=Decimal(25),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )
    unlikely_ratio = models.DecimalField(
        _("факт больше плана во столько раз — переспросить"),
        default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("Цифра дальше от плана требует подтверждения при вводе."),
        **RATIO,
    )
    energy_min_percent = models.DecimalField(
        _("премия за экономию энергоресурсов: не менее, % стоимости"),
        default=Decimal(17),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )
    energy_max_percent = models.DecimalField(
        _("премия за экономию энергоресурсов: не более, % стоимости"),
        default=Decimal(45),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("условия хозрасчёта")
        verbose_name_plural = _("условия хозрасчёта")

    def __str__(self):
        return str(self.enterprise)

    def clean(self):
        super().clean()
        bounds = [self.mass_max, self.large_serial_max, self.serial_max, self.small_serial_max]
        if None not in bounds and any(a >= b for a, b in itertools.pairwise(bounds)):
            raise ValidationError(
                _(
                    "Границы Кз типов производства должны возрастать: массовое < крупносерийное "
                    "< серийное < мелкосерийное."
                )
            )
        if (
            self.energy_min_percent is not None
            and self.energy_max_percent is not None
            and self.energy_min_percent > self.energy_max_percent
        ):
            raise ValidationError({"energy_max_percent": _("Верхний предел меньше нижнего.")})


class Direction(models.TextChoices):
    HIGHER = "higher", _("больше — лучше")
    LOWER = "lower", _("меньше — лучше")


# The places an indicator's plan and actual are written with, by its unit, as the pages
# write such figures elsewhere: norm-hours and per cent to a tenth («2 261,5 нормо-ч»,
# «98,0 %»), rubles to the kopeck; a ratio of rubles to rubles to the thousandth it is
# entered with («1,176»). The plant names its units freely: a unit not listed keeps the
# figure's own places, at most the three it is stored with.
UNIT_PLACES = {
    "нормо-ч": 1,
    "нормо-час": 1,
    "нормо-часы": 1,
    "нормо-часов": 1,
    "ч": 1,
    "%": 1,
    "руб.": 2,
    "руб": 2,
    "руб./чел.": 2,
    "руб./руб.": 3,
}
# Read as a ratio when its unit says rubles (the cost of one ruble of output, 0,842 руб.).
RATIO_ROLES = frozenset({"capital", "cost_per_ruble"})


def indicator_places(unit: str, role: str = "") -> int | None:
    """The places an indicator's figures are written with (None: the figure's own, at
    most three): by its unit, and for a ratio in rubles (a ruble's cost, the capital
    productivity) as the ratio it is."""
    unit = " ".join((unit or "").split()).lower()
    if role in RATIO_ROLES and unit in ("руб.", "руб"):
        return 3
    return UNIT_PLACES.get(unit)


class Indicator(TrackedModel):
    """An indicator the plant hands down to its sections (table 5), with unit and direction."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("вводится бюро или экономистом")
        OUTPUT = "output", _("выработка участка по дням (учёт выработки)")
        WAGE_FUND = "wage_fund", _("фонд оплаты по утверждённым распределениям бригад")
        CLAIMS = "claims", _("сальдо решённых претензий участка")
        COST = "cost", _("себестоимость по смете затрат участка")

    class Role(models.TextChoices):
        """What the evaluation reads the indicator as (at most one indicator per role)."""

        NONE = "", _("—")
        VOLUME = "volume", _("объём выпуска")
        NOMENCLATURE = "nomenclature", _("выполнение номенклатуры")
        PRODUCTIVITY = "productivity", _("производительность труда")
        CAPITAL = "capital", _("фондоотдача")
        COST_PER_RUBLE = "cost_per_ruble", _("затраты на 1 руб. товарной продукции")
        COST = "cost", _("себестоимость")
        WAGE_FUND = "wage_fund", _("фонд заработной платы")
        MATERIALS = "materials", _("затраты материалов")
        CLAIMS = "claims", _("претензии")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("код"), max_length=40)
    name = models.CharField(_("наименование"), max_length=200)
    unit = models.CharField(_("единица"), max_length=40)
    direction = models.CharField(
        _("направление"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(
        _("откуда факт"), max_length=12, choices=Source.choices, default=Source.MANUAL
    )
    role = models.CharField(
        _("роль в оценке"), max_length=16, choices=Role.choices, default=Role.NONE, blank=True
    )
    mandatory = models.BooleanField(_("обязательный"), default=False)
    active = models.BooleanField(_("доводится до участков"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    shown_places = models.PositiveSmallIntegerField(
        _("знаков после запятой"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3)],
        help_text=_(
            "С каким числом знаков писать план и факт (0–3). Пусто — по единице: "
            "нормо-часы, часы и проценты — один знак, рубли — два, руб./руб. — три, "
            "иная единица — как введено."
        ),
    )

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("показатель")
        verbose_name_plural = _("показатели")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="khz_indicator_code_unique",
                violation_error_message=_("Показатель с таким кодом уже есть."),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "role"],
                condition=~models.Q(role=""),
                name="khz_indicator_role_unique",
                violation_error_message=_("Показатель с этой ролью в оценке уже есть."),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.unit}"

    @property
    def places(self) -> int | None:
        """The places its plan and actual are written with: the plant's choice, else by
        its unit (:func:`indicator_places`)."""
        if self.shown_places is not None:
            return self.shown_places
        return indicator_places(self.unit, self.role)


class TensionFactor(TrackedModel):
    """A factor of plan tension Кнапр (§6) with its weight: the plant's factor set."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показатель"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("вес"),
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(5))],
        **RATIO,
    )

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("фактор напряжённости плана")
        verbose_name_plural = _("факторы напряжённости плана")
        ordering = ["indicator__order", "indicator__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator"],
                name="khz_tension_factor_unique",
                violation_error_message=_("Этот показатель уже в наборе факторов."),
            )
        ]

    def __str__(self):
        return f"{self.indicator.name} × {self.weight}"


class CostArticle(TrackedModel):
    """An article of a section's cost plan (§5, table 6) that the section answers for."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("код"), max_length=40)
    name = models.CharField(_("наименование"), max_length=200)
    materials = models.BooleanField(
        _("материалы"), default=False, help_text=_("Сравнивается в соревновании как материалы.")
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("статья затрат")
        verbose_name_plural = _("статьи затрат")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="khz_cost_article_code_unique",
                violation_error_message=_("Статья с таким кодом уже есть."),
            )
        ]

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    MASTER = "master", _("мастер, начальник участка")
    ENGINEER = "engineer", _("ИТР и служащие участка")


class Measure(models.TextChoices):
    """What a scorecard row of table 7 measures (the deviation read from the month)."""

    COMPLETENESS = "completeness", _("уровень комплектности")
    PRODUCTIVITY_WAGE = "productivity_wage", _("соотношение роста производительности и зарплаты")
    RHYTHM_1 = "rhythm_1", _("ритмичность, 1-я декада")
    RHYTHM_2 = "rhythm_2", _("ритмичность, 2-я декада")
    RHYTHM_3 = "rhythm_3", _("ритмичность, 3-я декада")
    VOLUME = "volume", _("выполнение плана по объёму")
    COST = "cost", _("выполнение плана по себестоимости")


class ScorecardRow(TrackedModel):
    """A row of table 7: base points of a position's indicator and penalties per 1 %."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("должность"), max_length=10, choices=Position.choices)
    measure = models.CharField(_("показатель"), max_length=20, choices=Measure.choices)
    base_points = models.DecimalField(
        _("баллов при выполнении"), validators=[MinValueValidator(0)], **PERCENT
    )
    penalty_serial = models.DecimalField(
        _("снижение за 1 % — серийное"), validators=[MinValueValidator(0)], **RATIO
    )
    penalty_small_serial = models.DecimalField(
        _("снижение за 1 % — мелкосерийное"), validators=[MinValueValidator(0)], **RATIO
    )

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("строка оценочной карты")
        verbose_name_plural = _("оценочная карта (табл. 7)")
        ordering = ["position", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "position", "measure"],
                name="khz_scorecard_unique",
                violation_error_message=_("Эта строка оценочной карты уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.get_measure_display()}"


class CompetitionRule(TrackedModel):
    """A rule of table 8: points of the competition coefficient per step of deviation."""

    class Factor(models.TextChoices):
        OUTPUT = "output", _("перевыполнение плана по объёму")
        COST = "cost", _("снижение себестоимости")
        PRODUCTIVITY = "productivity", _("перевыполнение плана по производительности")
        NOMENCLATURE = "nomenclature", _("невыполнение номенклатуры")
        WAGE_FUND = "wage_fund", _("фонд заработной платы")
        MATERIALS = "materials", _("затраты материалов")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.CharField(_("показатель"), max_length=16, choices=Factor.choices)
    per = models.DecimalField(
        _("за каждые, %"), validators=[MinValueValidator(Decimal("0.01"))], **RATIO
    )
    gain = models.DecimalField(
        _("прибавка при улучшении"), validators=[MinValueValidator(0)], **RATIO
    )
    loss = models.DecimalField(
        _("снижение при ухудшении"), validators=[MinValueValidator(0)], **RATIO
    )
    counts_when_unmet = models.BooleanField(
        _("учитывается при невыполнении"),
        default=True,
        help_text=_("Снято — перевыполнение не засчитывается, если план не выполнен."),
    )

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("правило соревнования")
        verbose_name_plural = _("правила соревнования (табл. 8)")
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "factor"],
                name="khz_competition_rule_unique",
                violation_error_message=_("Правило для этого показателя уже есть."),
            )
        ]

    def __str__(self):
        return self.get_factor_display()


class BonusCategory(TrackedModel):
    """A category of the section's staff and the scales its monthly bonus follows (§7)."""

    class Quality(models.TextChoices):
        COLLECTIVE = "collective", _("коллектив участка")
        MASTERS = "masters", _("мастера")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("код"), max_length=40)
    name = models.CharField(_("категория"), max_length=200)
    tension_scale = models.ForeignKey(
        StepScale,
        verbose_name=_("шкала премии по Кнапр"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    share_of_scale = models.DecimalField(
        _("доля шкалы, %"),
        default=Decimal(100),
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_("Например, 28 из 35 %: ИТР и служащие получают 80 % премии мастеров."),
        **PERCENT,
    )
    position = models.CharField(
        _("оценочная карта"),
        max_length=10,
        choices=Position.choices,
        blank=True,
        help_text=_("Пусто — премия не корректируется по Ккоэкт."),
    )
    correction_scale = models.ForeignKey(
        StepScale,
        verbose_name=_("шкала поправки по Ккоэкт"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    quality = models.CharField(
        _("столбец табл. 9"), max_length=10, choices=Quality.choices, default=Quality.COLLECTIVE
    )
    quality_scale = models.ForeignKey(
        StepScale,
        verbose_name=_("шкала по Ккт, % премии"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("категория премирования")
        verbose_name_plural = _("категории премирования")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="khz_bonus_category_unique",
                violation_error_message=_("Категория с таким кодом уже есть."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.position and self.correction_scale_id is None:
            raise ValidationError(
                {"correction_scale": _("Для оценки по карте нужна шкала поправки по Ккоэкт.")}
            )
