"""A section's attributes and passport (§1–§2), its time studies and idle hours (§3)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from enterprise.models import Period, Section
from enterprise.tracking import MonthKey, TrackedModel

from .. import rules
from .base import HOURS, MONEY, PERCENT, SectionMonthModel, SectionRowQuerySet


class Purpose(models.TextChoices):
    MAIN = "main", _("основной")
    AUXILIARY = "auxiliary", _("вспомогательный")


class Specialisation(models.TextChoices):
    TECHNOLOGICAL = "technological", _("технологическая")
    SUBJECT = "subject", _("предметная")
    DETAIL = "detail", _("подетальная")


class Profile(TrackedModel):
    """What a section is (§1): purpose, form of specialisation, whom it supplies."""

    section = models.OneToOneField(
        Section, verbose_name=_("участок"), on_delete=models.CASCADE, related_name="khz_profile"
    )
    purpose = models.CharField(
        _("назначение"), max_length=10, choices=Purpose.choices, default=Purpose.MAIN
    )
    specialisation = models.CharField(
        _("форма специализации"),
        max_length=14,
        choices=Specialisation.choices,
        default=Specialisation.TECHNOLOGICAL,
    )
    consumers = models.ManyToManyField(
        Section,
        verbose_name=_("потребители (кому участок передаёт продукцию или услуги)"),
        related_name="khz_suppliers",
        blank=True,
    )

    objects = SectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("характеристика участка")
        verbose_name_plural = _("характеристики участков")

    def __str__(self):
        return str(self.section)

    def scope_unit(self):
        return self.section.shop.enterprise_id, self.section.shop_id, self.section_id


class Passport(TrackedModel):
    """The section's passport (table 3) in force from a date; a later one replaces it."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="khz_passports"
    )
    valid_from = models.DateField(_("действует с"))
    area = models.DecimalField(
        _("производственная площадь, м²"), validators=[MinValueValidator(0)], **HOURS
    )
    operations = models.PositiveIntegerField(
        _("деталеопераций в месяц D"), validators=[MaxValueValidator(10_000_000)]
    )
    workplaces = models.PositiveIntegerField(
        _("рабочих мест Ч"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    output_plan = models.DecimalField(
        _("годовой выпуск по плану, тыс. руб."), validators=[MinValueValidator(0)], **MONEY
    )
    output_actual = models.DecimalField(
        _("годовой выпуск фактически, тыс. руб."),
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        **MONEY,
    )
    weight_max = models.DecimalField(
        _("наибольшая масса заготовки, кг"), validators=[MinValueValidator(0)], **HOURS
    )
    weight_min = models.DecimalField(
        _("наименьшая масса заготовки, кг"), validators=[MinValueValidator(0)], **HOURS
    )
    equipment = models.PositiveIntegerField(
        _("установлено оборудования, ед."), validators=[MaxValueValidator(100_000)]
    )
    workers = models.PositiveIntegerField(_("рабочих"), validators=[MaxValueValidator(100_000)])
    average_grade = models.DecimalField(
        _("средний разряд рабочих"),
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        max_digits=4,
        decimal_places=2,
    )
    specialisation = models.CharField(
        _("специализация"), max_length=14, choices=Specialisation.choices
    )
    norms_met = models.DecimalField(
        _("средний % выполнения норм"),
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        **PERCENT,
    )
    shifts = models.DecimalField(
        _("сменность"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(3)],
        max_digits=4,
        decimal_places=2,
    )
    output_per_worker = models.DecimalField(
        _("выработка на рабочего, руб."), validators=[MinValueValidator(0)], **MONEY
    )
    mechanisation_degree = models.DecimalField(
        _("степень механизации, %"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )
    mechanisation_level = models.DecimalField(
        _("уровень механизации, %"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **PERCENT,
    )
    capacity = models.DecimalField(
        _("нормативная мощность в месяц, нормо-ч"),
        validators=[MinValueValidator(0)],
        help_text=_("Наибольший выпуск при двухсменной работе."),
        **HOURS,
    )

    objects = SectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("паспорт участка")
        verbose_name_plural = _("паспорта участков")
        ordering = ["section", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "valid_from"],
                name="khz_passport_unique_date",
                violation_error_message=_("Паспорт участка с этой даты уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(weight_min__lte=models.F("weight_max")),
                name="khz_passport_weights",
                violation_error_message=_("Наименьшая масса больше наибольшей."),
            ),
        ]

    def __str__(self):
        return f"{self.section}, {self.valid_from:%d.%m.%Y}"

    def scope_unit(self):
        return self.section.shop.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        if self.valid_from is None or self.section_id is None:
            return [None]
        return [
            MonthKey(self.section.shop.enterprise_id, self.valid_from.year, self.valid_from.month)
        ]

    def clean(self):
        super().clean()
        if (
            self.weight_min is not None
            and self.weight_max is not None
            and self.weight_min > self.weight_max
        ):
            raise ValidationError({"weight_min": _("Наименьшая масса больше наибольшей.")})

    @property
    def fixing_coefficient(self) -> Decimal:
        return rules.operations_fixing_coefficient(self.operations, self.workplaces)


class TimeStudy(SectionMonthModel):
    """A study of a section's working time (table 4), in % of the shift fund."""

    WORK_FIELDS = ("preparatory", "machine", "servicing", "auxiliary")
    LOSS_FIELDS = (
        "loss_discipline",
        "loss_personal",
        "loss_no_work",
        "loss_no_materials",
        "loss_crane",
        "loss_tools",
        "loss_machine_fault",
        "loss_other",
    )

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    studied_on = models.DateField(_("дата наблюдения"))
    preparatory = models.DecimalField(_("подготовительно-заключительное"), **PERCENT)
    machine = models.DecimalField(_("основное (машинное)"), **PERCENT)
    servicing = models.DecimalField(_("обслуживание рабочего места"), **PERCENT)
    auxiliary = models.DecimalField(_("вспомогательное"), **PERCENT)
    loss_discipline = models.DecimalField(_("опоздания, ранний уход (по вине рабочего)"), **PERCENT)
    loss_personal = models.DecimalField(_("личные надобности сверх нормы"), **PERCENT)
    loss_no_work = models.DecimalField(_("отсутствие работы"), **PERCENT)
    loss_no_materials = models.DecimalField(_("отсутствие материалов, заготовок"), **PERCENT)
    loss_crane = models.DecimalField(_("ожидание крана"), **PERCENT)
    loss_tools = models.DecimalField(_("отсутствие инструмента"), **PERCENT)
    loss_machine_fault = models.DecimalField(_("неисправность оборудования"), **PERCENT)
    loss_other = models.DecimalField(_("прочие"), **PERCENT)

    class Meta:
        verbose_name = _("фотография рабочего времени")
        verbose_name_plural = _("фотографии рабочего времени")
        ordering = ["section", "-studied_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "studied_on"],
                name="khz_time_study_unique",
                violation_error_message=_("Фотография участка за этот день уже есть."),
            )
        ]

    def __str__(self):
        return f"{self.section}, {self.studied_on:%d.%m.%Y}"

    def parts(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in self.WORK_FIELDS + self.LOSS_FIELDS}

    @property
    def work(self) -> Decimal:
        return sum((getattr(self, name) for name in self.WORK_FIELDS), Decimal(0))

    @property
    def losses(self) -> Decimal:
        return sum((getattr(self, name) for name in self.LOSS_FIELDS), Decimal(0))

    def clean(self):
        super().clean()
        values = self.parts()
        if None in values.values():
            return
        negative = [name for name, value in values.items() if value < 0]
        if negative:
            raise ValidationError(
                {name: _("Доля не может быть отрицательной.") for name in negative}
            )
        if self.work + self.losses != Decimal(100):
            raise ValidationError(
                _(
                    "Работа и потери вместе должны составить 100 %% сменного фонда, "
                    "а не %(total)s %%."
                )
                % {"total": number_format(self.work + self.losses)}
            )
        if (
            self.period_id
            and self.studied_on
            and (
                self.studied_on.year,
                self.studied_on.month,
            )
            != (self.period.year, self.period.month)
        ):
            raise ValidationError({"studied_on": _("Дата не из этого месяца.")})


class IdleCause(models.TextChoices):
    """Causes of equipment idle time (table 11)."""

    UNPLANNED_REPAIR = "unplanned_repair", _("внеплановый ремонт")
    PLANNED_REPAIR = "planned_repair", _("плановый ремонт сверх нормы")
    NO_WORKER = "no_worker", _("отсутствие рабочего")
    NO_WORK = "no_work", _("отсутствие работы, заготовок")
    NO_TOOLS = "no_tools", _("отсутствие инструмента, оснастки")
    SETUP = "setup", _("наладка сверх нормы")
    NO_POWER = "no_power", _("отсутствие энергии")
    OTHER = "other", _("прочие")


class IdleRecord(SectionMonthModel):
    """Equipment idle hours of a section's month by one cause (table 11)."""

    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(_("причина"), max_length=20, choices=IdleCause.choices)
    hours = models.DecimalField(
        _("простой, ч"), validators=[MinValueValidator(0), MaxValueValidator(1_000_000)], **HOURS
    )

    class Meta:
        verbose_name = _("простой оборудования")
        verbose_name_plural = _("простои оборудования")
        ordering = ["section", "period", "-hours"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "period", "cause"],
                name="khz_idle_unique",
                violation_error_message=_("Простой по этой причине за месяц уже записан."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="khz_idle_not_negative",
                violation_error_message=_("Часы простоя не могут быть отрицательными."),
            ),
        ]

    def __str__(self):
        return f"{self.section}, {self.period}: {self.get_cause_display()}"
