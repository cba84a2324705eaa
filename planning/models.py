"""Personal plans, their tracking, org-technical measures and the workers' accounts.

A worker's plan for a year is one :class:`PersonalPlan` version: drafted by the shop's
economist or the master by one of the methods of §3 (the inputs and the calculation are
kept, so the page shows how the figures came about), agreed with the worker, then
signed by the master, the economist and the shop head. A signed plan is final for its
year; a revision is a new version that supersedes it once signed.

The section's annual task (:class:`SectionTask`) is what the sum of its personal plans
is checked against (§4); :class:`CorrectionCell` rows are the plant's table 25.
Monthly output per worker (:class:`MonthlyOutput`) and the section's daily totals
(:class:`SectionDayOutput`) are the tracking (§6); :class:`OrgMeasure` is the
catalogue of org-technical measures (§5, tables 20–21); :class:`SavingsEntry` fills the
savings account. :class:`PrintJob` is a batch of plan sheets printed in the background.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Shop, Worker
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

from . import rules

YEAR_VALIDATORS = [MinValueValidator(1960), MaxValueValidator(2100)]
VOLUME = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 7, "decimal_places": 3}
RATIO = {"max_digits": 6, "decimal_places": 3}
HOURS = {"max_digits": 7, "decimal_places": 1}
ZERO = Decimal(0)
# A worker's planned annual working time when nothing else is known (hours).
DEFAULT_TIME_FUND = Decimal("1982.0")


def _year_end_key(enterprise_id, year) -> MonthKey | None:
    """A year's figures freeze when its December is closed: the year is over."""
    if enterprise_id is None or year is None:
        return None
    return MonthKey(enterprise_id, year, 12)


class Measure(models.TextChoices):
    """The measure a plan's output is counted in (§3)."""

    LABOUR_INTENSITY = "labour_intensity", _("нормо-часы в действующей трудоёмкости")
    NORM_HOURS = "norm_hours", _("нормо-часы")
    NORM_RUBLES = "norm_rubles", _("нормативная заработная плата, нормо-руб.")
    NATURAL = "natural", _("натуральные единицы")


def _section_scope(scope: Scope, section_path: str = "section") -> models.Q:
    return (
        within("enterprise_id", scope.enterprises)
        | within(f"{section_path}__shop_id", scope.shops)
        | within(f"{section_path}_id", scope.sections)
    )


# --- the section's task and the correction table ---------------------------------------------


class SectionTaskQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return _section_scope(scope)


class SectionTask(TrackedModel):
    """The section's annual task and the terms its personal plans are set and paid by."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="tasks"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    measure = models.CharField(
        _("измеритель"), max_length=20, choices=Measure.choices, default=Measure.LABOUR_INTENSITY
    )
    unit = models.CharField(_("единица"), max_length=20, default="нормо-ч")
    task = models.DecimalField(
        _("задание участка на год"), validators=[MinValueValidator(Decimal("0.001"))], **VOLUME
    )
    growth_percent = models.DecimalField(
        _("планируемый рост производительности Пу, %"), default=ZERO, **PERCENT
    )
    norm_fulfilment = models.DecimalField(
        _("выполнение норм участком в базовом году Ну"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("Отношение: 1,22 — это 122 %."),
        **RATIO,
    )
    sound_upper_percent = models.DecimalField(
        _("допустимое превышение задания, %"),
        default=Decimal(10),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        help_text=_("Сумма личных планов может превышать задание участка не больше чем на это."),
        **PERCENT,
    )
    reward_on_time = models.BooleanField(
        _("поощрять своевременное выполнение, а не перевыполнение"),
        default=False,
        help_text=_("Где перепроизводство расходует дефицитный материал."),
    )
    monthly_bonus_percent = models.DecimalField(
        _("ежемесячная премия за рост выработки, % тарифного заработка"),
        default=Decimal(10),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        **PERCENT,
    )
    quarterly_bonus_percent = models.DecimalField(
        _("квартальная премия за превышение средней выработки, % тарифного заработка"),
        default=Decimal(15),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        **PERCENT,
    )

    objects = SectionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("задание участка")
        verbose_name_plural = _("задания участков")
        ordering = ["-year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "year"],
                name="section_task_unique_year",
                violation_error_message=_("Задание этого участка на этот год уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(task__gt=0),
                name="section_task_positive",
                violation_error_message=_("Задание участка должно быть больше нуля."),
            ),
        ]

    def __str__(self):
        return _("Задание участка %(section)s на %(year)s год") % {
            "section": self.section,
            "year": self.year,
        }

    def period_keys(self):
        return [_year_end_key(self.enterprise_id, self.year)]

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def clean(self):
        super().clean()
        if (
            self.section_id
            and self.enterprise_id
            and self.section.shop.enterprise_id != self.enterprise_id
        ):
            raise ValidationError({"section": _("Участок другого предприятия.")})


class CorrectionCell(TrackedModel):
    """One cell of the plant's table of correction coefficients (table 25)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("предприятие"),
        on_delete=models.PROTECT,
        related_name="correction_cells",
    )
    section_fulfilment = models.DecimalField(
        _("выполнение норм участком Ну"), validators=[MinValueValidator(Decimal("0.001"))], **RATIO
    )
    worker_from = models.DecimalField(
        _("выполнение норм рабочим Нр от"),
        null=True,
        blank=True,
        help_text=_("Включительно; пусто — без нижней границы."),
        **RATIO,
    )
    worker_to = models.DecimalField(
        _("до"),
        null=True,
        blank=True,
        help_text=_("Не включая; пусто — без верхней границы."),
        **RATIO,
    )
    coefficient = models.DecimalField(
        _("поправочный коэффициент К"), validators=[MinValueValidator(ZERO)], **RATIO
    )

    class Meta:
        verbose_name = _("поправочный коэффициент")
        verbose_name_plural = _("таблица поправочных коэффициентов")
        ordering = ["enterprise", "section_fulfilment", "worker_from"]

    def __str__(self):
        return f"Ну {self.section_fulfilment}: Нр {self.worker_from or '…'}–{self.worker_to or '…'}"

    def as_rule(self) -> rules.CorrectionCell:
        return rules.CorrectionCell(
            self.section_fulfilment, self.worker_from, self.worker_to, self.coefficient
        )

    def clean(self):
        super().clean()
        if self.enterprise_id is None or self.section_fulfilment is None:
            return
        if self.coefficient is None:
            return
        others = CorrectionCell.objects.filter(
            enterprise_id=self.enterprise_id, section_fulfilment=self.section_fulfilment
        ).exclude(pk=self.pk)
        cells = [self.as_rule(), *(cell.as_rule() for cell in others)]
        for index, kind in rules.correction_cell_problems(cells):
            if index == 0:
                raise ValidationError(
                    _("Пустой диапазон: «от» должно быть меньше «до».")
                    if kind == "empty"
                    else _("Диапазон пересекается с другой строкой этого Ну.")
                )


def correction_table(enterprise_id: int) -> rules.CorrectionTable:
    """The enterprise's table 25 as the rules' :class:`~planning.rules.CorrectionTable`."""
    return rules.CorrectionTable(
        tuple(cell.as_rule() for cell in CorrectionCell.objects.filter(enterprise_id=enterprise_id))
    )


# --- personal plans --------------------------------------------------------------------------


class PlanQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return _section_scope(scope) | within("worker_id", scope.workers)

    def current(self):
        """The version in force of each worker's year: signed and not superseded, else the
        latest draft or agreed version."""
        return self.exclude(status=PersonalPlan.Status.SUPERSEDED)


class PersonalPlan(TrackedModel):
    """A worker's personal plan for a year, one version of it (§1–§3, table 24)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        AGREED = "agreed", _("согласован с рабочим")
        SIGNED = "signed", _("подписан")
        SUPERSEDED = "superseded", _("заменён новой редакцией")

    class Method(models.TextChoices):
        AVERAGE = "average", _("от средней выработки профессии")
        TABLE = "table", _("дифференцированный рост по таблице коэффициентов")
        FORMULA = "formula", _("дифференцированный рост по формуле К = 2 − Нр / Ну")
        TEXTILE = "textile", _("по балансу времени и норме обслуживания")
        MANUAL = "manual", _("задан вручную")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="plans"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("участок"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Участок рабочего, когда план составлялся."),
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    version = models.PositiveSmallIntegerField(_("редакция"), default=1)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("изменяет редакцию"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    five_year_from = models.PositiveSmallIntegerField(
        _("пятилетка с"),
        validators=YEAR_VALIDATORS,
        help_text=_("Первый год пятилетки, в которую входит план."),
    )
    measure = models.CharField(
        _("измеритель"), max_length=20, choices=Measure.choices, default=Measure.LABOUR_INTENSITY
    )
    unit = models.CharField(_("единица"), max_length=20, default="нормо-ч")
    method = models.CharField(
        _("способ расчёта"), max_length=10, choices=Method.choices, default=Method.AVERAGE
    )
    # inputs of the method (those the method does not use stay empty)
    average_output = models.DecimalField(
        _("средняя выработка профессии Вср"), null=True, blank=True, **VOLUME
    )
    base_output = models.DecimalField(
        _("выработка рабочего в базовом году"), null=True, blank=True, **VOLUME
    )
    section_growth_percent = models.DecimalField(
        _("рост участка Пу, %"), null=True, blank=True, **PERCENT
    )
    worker_norm_fulfilment = models.DecimalField(
        _("выполнение норм рабочим Нр"), null=True, blank=True, **RATIO
    )
    section_norm_fulfilment = models.DecimalField(
        _("выполнение норм участком Ну"), null=True, blank=True, **RATIO
    )
    correction_coefficient = models.DecimalField(
        _("поправочный коэффициент К"), null=True, blank=True, **RATIO
    )
    time_balance_hours = models.DecimalField(
        _("баланс рабочего времени Ti, ч"), null=True, blank=True, **HOURS
    )
    service_norm = models.DecimalField(
        _("норма обслуживания Нот, станков"), null=True, blank=True, **RATIO
    )
    machine_productivity = models.DecimalField(
        _("производительность оборудования По, м/ч"), null=True, blank=True, **RATIO
    )
    working_share = models.DecimalField(
        _("коэффициент работающего оборудования Кро"), null=True, blank=True, **RATIO
    )
    # the plan
    growth_percent = models.DecimalField(
        _("рост производительности труда, %"),
        null=True,
        blank=True,
        help_text=_("Пусто, когда базы для сравнения нет."),
        **PERCENT,
    )
    annual_volume = models.DecimalField(
        _("объём продукции года"), validators=[MinValueValidator(ZERO)], **VOLUME
    )
    annual_time_fund = models.DecimalField(
        _("плановый фонд рабочего времени, ч"),
        default=DEFAULT_TIME_FUND,
        validators=[MinValueValidator(Decimal(1))],
        **HOURS,
    )
    # the other commitments (§1)
    production_task = models.TextField(_("производственное задание"), blank=True)
    scrap_reduction_percent = models.DecimalField(
        _("снижение брака, %"), null=True, blank=True, **PERCENT
    )
    labour_reduction_hours = models.DecimalField(
        _("снижение трудоёмкости, нормо-ч"), null=True, blank=True, **VOLUME
    )
    materials_savings = models.DecimalField(
        _("экономия материалов, руб."), null=True, blank=True, **MONEY
    )
    tools_savings = models.DecimalField(
        _("экономия инструмента, руб."), null=True, blank=True, **MONEY
    )
    energy_savings = models.DecimalField(
        _("экономия электроэнергии, руб."), null=True, blank=True, **MONEY
    )
    proposals = models.PositiveSmallIntegerField(
        _("рационализаторских предложений"), null=True, blank=True
    )
    other_commitments = models.TextField(_("другие обязательства"), blank=True)
    # who did what
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("составил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    worker_agreed_at = models.DateTimeField(_("согласован с рабочим"), null=True, blank=True)
    worker_agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("согласие записал"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    master_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подписал мастер"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    master_signed_at = models.DateTimeField(_("когда подписал мастер"), null=True, blank=True)
    economist_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подписал экономист"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    economist_signed_at = models.DateTimeField(_("когда подписал экономист"), null=True, blank=True)
    shop_head_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подписал начальник цеха"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shop_head_signed_at = models.DateTimeField(
        _("когда подписал начальник цеха"), null=True, blank=True
    )
    signed_at = models.DateTimeField(_("подписан"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("личный план")
        verbose_name_plural = _("личные планы")
        ordering = ["-year", "section", "worker__last_name", "worker__first_name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year", "version"],
                name="plan_unique_version",
                violation_error_message=_("Такая редакция плана рабочего на этот год уже есть."),
            ),
            # One version in the making and one in force per worker and year at most.
            models.UniqueConstraint(
                fields=["worker", "year"],
                condition=models.Q(status__in=["draft", "agreed"]),
                name="plan_one_open_version",
                violation_error_message=_(
                    "У рабочего уже есть неподписанная редакция плана на этот год."
                ),
            ),
            models.UniqueConstraint(
                fields=["worker", "year"],
                condition=models.Q(status="signed"),
                name="plan_one_signed_version",
                violation_error_message=_("У рабочего уже есть подписанный план на этот год."),
            ),
            models.CheckConstraint(
                condition=models.Q(annual_volume__gte=0),
                name="plan_volume_not_negative",
                violation_error_message=_("Объём продукции не может быть отрицательным."),
            ),
            models.CheckConstraint(
                condition=models.Q(annual_time_fund__gt=0),
                name="plan_time_fund_positive",
                violation_error_message=_("Фонд рабочего времени должен быть больше нуля."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False),
                name="plan_signed_has_date",
                violation_error_message=_("У подписанного плана должна быть дата подписания."),
            ),
            models.CheckConstraint(
                condition=models.Q(five_year_from__lte=models.F("year"))
                & models.Q(five_year_from__gt=models.F("year") - 5),
                name="plan_year_in_five_year_frame",
                violation_error_message=_("Год плана должен входить в пятилетку."),
            ),
        ]
        indexes = [models.Index(fields=["section", "year", "status"])]

    def __str__(self):
        label = _("Личный план %(worker)s на %(year)s год") % {
            "worker": self.worker.short_name,
            "year": self.year,
        }
        if self.version > 1:
            label += _(", редакция %(version)s") % {"version": self.version}
        return label

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("planning:plan_detail", args=[self.pk])

    # --- derived figures

    @property
    def hourly_output(self) -> Decimal | None:
        """Planned output per hour: annual volume / annual time fund (table 24)."""
        if not self.annual_time_fund:
            return None
        return self.annual_volume / self.annual_time_fund

    @property
    def method_short(self) -> str:
        """The method in a word or two, for tables (the full label is the title)."""
        return {
            self.Method.AVERAGE: _("от средней выработки"),
            self.Method.TABLE: _("по табл. 25"),
            self.Method.FORMULA: _("К = 2 − Нр / Ну"),
            self.Method.TEXTILE: _("по балансу времени"),
            self.Method.MANUAL: _("вручную"),
        }[self.method]

    @property
    def five_year_to(self) -> int:
        return self.five_year_from + 4

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.SUPERSEDED)

    def signatures(self) -> list[tuple[str, str, object, datetime.datetime | None]]:
        """(key, title, user, when) of the three signatures, in the sheet's order."""
        return [
            ("shop_head", _("Начальник цеха"), self.shop_head_signed_by, self.shop_head_signed_at),
            ("master", _("Мастер"), self.master_signed_by, self.master_signed_at),
            ("economist", _("Экономист"), self.economist_signed_by, self.economist_signed_at),
        ]

    # --- platform hooks

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def permits(self, user, role: str) -> bool:
        from enterprise.models.roles import Role

        if role == Role.WORKER:
            return self.worker.user_id == user.pk
        return True

    def period_keys(self):
        return [_year_end_key(self.enterprise_id, self.year)]

    def save(self, *args, **kwargs):
        # A signed plan is final for its year; the only change left is being superseded
        # by a signed revision.
        if self.pk is not None and not self._state.adding:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True)
            stored = stored.first()
            superseding = (
                stored == self.Status.SIGNED
                and self.status == self.Status.SUPERSEDED
                and list(kwargs.get("update_fields") or ()) == ["status"]
            )
            if stored in (self.Status.SIGNED, self.Status.SUPERSEDED) and not superseding:
                raise ValidationError(
                    _("Подписанный план не изменяется: изменения вносятся новой редакцией.")
                )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.worker_id
            and self.enterprise_id
            and self.worker.enterprise_id != self.enterprise_id
        ):
            errors["worker"] = _("Рабочий другого предприятия.")
        if (
            self.year
            and self.five_year_from
            and not (self.five_year_from <= self.year <= self.five_year_from + 4)
        ):
            errors["five_year_from"] = _("Год плана должен входить в пятилетку.")
        if self.working_share is not None and not ZERO <= self.working_share <= 1:
            errors["working_share"] = _("Коэффициент работающего оборудования — от 0 до 1.")
        if errors:
            raise ValidationError(errors)


# --- tracking --------------------------------------------------------------------------------


class OutputQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return _section_scope(scope, "worker__section") | within("worker_id", scope.workers)


class MonthlyOutput(TrackedModel):
    """A worker's actual output of a month, in the measure of the worker's plan (§6)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="outputs"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    output = models.DecimalField(_("выработка"), validators=[MinValueValidator(ZERO)], **VOLUME)
    hours_worked = models.DecimalField(
        _("отработано, ч"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(400))],
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
        return _section_scope(scope) | within("section_id", scope.own_sections)


class SectionDayOutput(TrackedModel):
    """The section's actual output of one day (§6: the section's deviations daily)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="day_outputs"
    )
    date = models.DateField(_("дата"))
    output = models.DecimalField(_("выработка"), validators=[MinValueValidator(ZERO)], **VOLUME)

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


# --- org-technical measures (§5) -------------------------------------------------------------


class FactorGroup(models.TextChoices):
    """Table 20's groups of factors of productivity growth."""

    TECHNICAL = "technical", _("повышение технического уровня производства")
    ORGANISATION = "organisation", _("улучшение организации производства и труда")
    STRUCTURAL = "structural", _("структурные изменения в производстве")


class Factor(models.TextChoices):
    """Table 20's factors; :data:`FACTOR_GROUPS` says which group each belongs to."""

    MECHANISATION = "mechanisation", _("механизация и автоматизация производства")
    PROGRESSIVE_TECHNOLOGY = "progressive_technology", _("внедрение прогрессивной технологии")
    EQUIPMENT = "equipment", _("внедрение нового и модернизация действующего оборудования")
    MATERIALS = "materials", _("применение новых видов материалов")
    DESIGN = "design", _("изменение конструкций и качества сырья")
    OTHER_TECHNICAL = "other_technical", _("другие мероприятия по повышению технического уровня")
    SERVICE_ZONES = "service_zones", _("увеличение норм и зон обслуживания")
    MANAGEMENT = "management", _("совершенствование управления производством")
    LABOUR_ORGANISATION = "labour_organisation", _("улучшение организации труда")
    COMPUTING = "computing", _("механизация вычислительных работ")
    TIME_LOSSES = "time_losses", _("снижение потерь рабочего времени")
    NORM_MISSERS = "norm_missers", _("уменьшение числа рабочих, не выполняющих нормы")
    PURCHASED = "purchased", _("изменение удельного веса покупных полуфабрикатов и кооперации")
    PROGRAMME = "programme", _("изменение структуры производственной программы")
    NEW_PROCESSES = "new_processes", _("освоение новых производственных процессов")


FACTOR_GROUPS: dict[str, str] = {
    Factor.MECHANISATION: FactorGroup.TECHNICAL,
    Factor.PROGRESSIVE_TECHNOLOGY: FactorGroup.TECHNICAL,
    Factor.EQUIPMENT: FactorGroup.TECHNICAL,
    Factor.MATERIALS: FactorGroup.TECHNICAL,
    Factor.DESIGN: FactorGroup.TECHNICAL,
    Factor.OTHER_TECHNICAL: FactorGroup.TECHNICAL,
    Factor.SERVICE_ZONES: FactorGroup.ORGANISATION,
    Factor.MANAGEMENT: FactorGroup.ORGANISATION,
    Factor.LABOUR_ORGANISATION: FactorGroup.ORGANISATION,
    Factor.COMPUTING: FactorGroup.ORGANISATION,
    Factor.TIME_LOSSES: FactorGroup.ORGANISATION,
    Factor.NORM_MISSERS: FactorGroup.ORGANISATION,
    Factor.PURCHASED: FactorGroup.STRUCTURAL,
    Factor.PROGRAMME: FactorGroup.STRUCTURAL,
    Factor.NEW_PROCESSES: FactorGroup.STRUCTURAL,
}


class MeasureQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            _section_scope(scope)
            | within("section_id", scope.own_sections)
            | within("authors__id", scope.workers)
        )

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class OrgMeasure(TrackedModel):
    """An org-technical measure (оргтехмероприятие) of a section, with its effect (§5)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        IN_PROGRESS = "in_progress", _("выполняется")
        DONE = "done", _("внедрено")
        CANCELLED = "cancelled", _("отменено")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="measures"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("наименование"), max_length=300)
    factor = models.CharField(_("фактор"), max_length=30, choices=Factor.choices)
    workplaces = models.CharField(_("рабочие места, операции"), max_length=200, blank=True)
    responsible = models.CharField(_("ответственный"), max_length=120)
    deadline = models.DateField(_("срок"))
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("дата внедрения"), null=True, blank=True)
    labour_before = models.DecimalField(
        _("трудоёмкость до В1, нормо-ч"), validators=[MinValueValidator(ZERO)], **RATIO
    )
    labour_after = models.DecimalField(
        _("трудоёмкость после В2, нормо-ч"), validators=[MinValueValidator(ZERO)], **RATIO
    )
    annual_quantity = models.DecimalField(
        _("годовой объём выпуска Д"), validators=[MinValueValidator(ZERO)], **VOLUME
    )
    annual_time_fund = models.DecimalField(
        _("плановый фонд времени рабочего Ф, ч"),
        validators=[MinValueValidator(Decimal(1))],
        default=Decimal("1807.0"),
        **HOURS,
    )
    norm_fulfilment = models.DecimalField(
        _("планируемое выполнение норм К"),
        validators=[MinValueValidator(Decimal("0.001"))],
        default=Decimal("1.200"),
        **RATIO,
    )
    headcount = models.PositiveIntegerField(
        _("численность подразделения, чел."),
        validators=[MinValueValidator(1)],
        help_text=_("К ней относится рост производительности от мероприятия."),
    )
    economic_effect = models.DecimalField(_("экономия, руб. в год"), null=True, blank=True, **MONEY)
    authors = models.ManyToManyField(
        Worker, verbose_name=_("авторы и участники"), blank=True, related_name="measures"
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("оргтехмероприятие")
        verbose_name_plural = _("оргтехмероприятия")
        ordering = ["-year", "section", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_on__isnull=False),
                name="measure_done_has_date",
                violation_error_message=_("Укажите дату внедрения."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("planning:measure_detail", args=[self.pk])

    @property
    def factor_group(self) -> str:
        return FACTOR_GROUPS[self.factor]

    def get_factor_group_display(self) -> str:
        return FactorGroup(self.factor_group).label

    @property
    def reduction(self) -> Decimal:
        """Т = (В1 − В2) × Д, norm-hours."""
        return rules.labour_intensity_reduction(
            self.labour_before, self.labour_after, self.annual_quantity
        )

    @property
    def released(self) -> Decimal:
        """А = Т / (Ф × К), workers (unrounded)."""
        return rules.released_workers(self.reduction, self.annual_time_fund, self.norm_fulfilment)

    @property
    def productivity_growth(self) -> Decimal:
        """Released workers / headcount × 100, % (unrounded)."""
        return rules.productivity_growth_from_measures(self.released, self.headcount)

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        return [_year_end_key(self.enterprise_id, self.year)]

    def clean(self):
        super().clean()
        if self.status == self.Status.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": _("Укажите дату внедрения.")})


# --- the savings account ---------------------------------------------------------------------


class SavingsQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return _section_scope(scope, "worker__section") | within("worker_id", scope.workers)


class SavingsEntry(TrackedModel):
    """A saving credited to a worker's savings account (лицевой счёт экономии)."""

    class Kind(models.TextChoices):
        MATERIALS = "materials", _("материалы")
        TOOLS = "tools", _("инструмент")
        ENERGY = "energy", _("электроэнергия")
        OTHER = "other", _("прочее")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="savings"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("месяц"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(
        _("сумма, руб."), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    description = models.CharField(_("за что"), max_length=300)
    measure = models.ForeignKey(
        OrgMeasure,
        verbose_name=_("по мероприятию"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SavingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("экономия")
        verbose_name_plural = _("лицевые счета экономии")
        ordering = ["-period__year", "-period__month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="savings_positive",
                violation_error_message=_("Сумма экономии должна быть больше нуля."),
            ),
        ]

    def __str__(self):
        return f"{self.worker.short_name}: {self.amount} ({self.get_kind_display()})"

    def scope_unit(self):
        return self.enterprise_id, self.worker.section.shop_id, self.worker.section_id

    def period_keys(self):
        return [MonthKey(self.enterprise_id, self.period.year, self.period.month)]


# --- batches of plan sheets ------------------------------------------------------------------


class PrintJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A batch is its requester's (the file goes to whoever asked for it)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(requested_by=user)


class PrintJob(models.Model):
    """A batch of plan sheets — a section, a shop or the whole plant — printed in the
    background into one PDF; ``done`` of ``total`` sheets tells the progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("печатается")
        DONE = "done", _("готово")
        FAILED = "failed", _("ошибка")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("цех"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("участок"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заказал"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("листов"), default=0)
    done = models.PositiveIntegerField(_("напечатано"), default=0)
    chunks = models.PositiveIntegerField(_("частей"), default=0)
    chunks_done = models.PositiveIntegerField(_("частей готово"), default=0)
    file = models.FileField(_("файл"), upload_to="planning/sheets/", blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("заказано"), auto_now_add=True)
    started_at = models.DateTimeField(_("начато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("закончено"), null=True, blank=True)

    objects = PrintJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("печать листов личных планов")
        verbose_name_plural = _("печать листов личных планов")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="print_job_done_within_total",
                violation_error_message=_("Напечатано больше листов, чем заказано."),
            ),
        ]

    def __str__(self):
        return _("Листы личных планов на %(year)s год: %(unit)s") % {
            "year": self.year,
            "unit": self.unit_label,
        }

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("planning:print_detail", args=[self.pk])

    @property
    def unit_label(self) -> str:
        if self.section_id:
            return str(self.section)
        if self.shop_id:
            return str(self.shop)
        return str(self.enterprise)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return self.done * 100 // self.total

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
