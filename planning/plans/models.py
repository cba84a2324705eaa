"""Personal plans: the section's task, the correction table, the plans, batches of sheets.

A worker's plan for a year is one :class:`PersonalPlan` version: drafted by the shop's
economist or the master by one of the methods of §3 (the inputs and the calculation are
kept, so the page shows how the figures came about), agreed with the worker, then
signed by the master, the economist and the shop head. A signed plan is final for its
year; a revision is a new version that supersedes it once signed.

The section's annual task (:class:`SectionTask`) is what the sum of its personal plans
is checked against (§4); :class:`CorrectionCell` rows are the plant's table 25.
:class:`PrintJob` is a batch of plan sheets printed in the background.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Section, Shop, Worker
from enterprise.money import HUNDRED, NIL, THOUSANDTH
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import TrackedModel, TrackedQuerySet
from planning.modelbase import (
    HOURS,
    MONEY,
    PERCENT,
    RATIO,
    VOLUME,
    YEAR_VALIDATORS,
    section_scope,
    year_end_key,
)

from . import rules

# A worker's planned annual working time when nothing else is known (hours).
DEFAULT_TIME_FUND = Decimal("1982.0")


class OutputUnit(models.TextChoices):
    """The unit a plan's output is counted in, the «измеритель» (§3): the ``output_unit``
    of a section's task and of a personal plan."""

    LABOUR_INTENSITY = "labour_intensity", _("нормо-часы в действующей трудоёмкости")
    NORM_HOURS = "norm_hours", _("нормо-часы")
    NORM_RUBLES = "norm_rubles", _("нормативная заработная плата, нормо-руб.")
    NATURAL = "natural", _("натуральные единицы")


# --- the section's task and the correction table ---------------------------------------------


class SectionTaskQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope)


class SectionTask(TrackedModel):
    """The section's annual task and the terms its personal plans are set and paid by."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="tasks"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    output_unit = models.CharField(
        _("измеритель"),
        max_length=20,
        choices=OutputUnit.choices,
        default=OutputUnit.LABOUR_INTENSITY,
    )
    unit = models.CharField(_("единица"), max_length=20, default="нормо-ч")
    task = models.DecimalField(
        _("задание участка на год"), validators=[MinValueValidator(THOUSANDTH)], **VOLUME
    )
    growth_percent = models.DecimalField(
        _("планируемый рост производительности Пу, %"), default=NIL, **PERCENT
    )
    norm_fulfilment = models.DecimalField(
        _("выполнение норм участком в базовом году Ну"),
        null=True,
        blank=True,
        validators=[MinValueValidator(THOUSANDTH)],
        help_text=_("Отношение: 1,22 — это 122 %."),
        **RATIO,
    )
    sound_upper_percent = models.DecimalField(
        _("допустимое превышение задания, %"),
        default=Decimal(10),
        validators=[MinValueValidator(NIL), MaxValueValidator(HUNDRED)],
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
        validators=[MinValueValidator(NIL), MaxValueValidator(HUNDRED)],
        **PERCENT,
    )
    quarterly_bonus_percent = models.DecimalField(
        _("квартальная премия за превышение средней выработки, % тарифного заработка"),
        default=Decimal(15),
        validators=[MinValueValidator(NIL), MaxValueValidator(HUNDRED)],
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
        return [year_end_key(self.enterprise_id, self.year)]

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
        _("выполнение норм участком Ну"), validators=[MinValueValidator(THOUSANDTH)], **RATIO
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
        _("поправочный коэффициент К"), validators=[MinValueValidator(NIL)], **RATIO
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
        return section_scope(scope) | within("worker_id", scope.workers)

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
    output_unit = models.CharField(
        _("измеритель"),
        max_length=20,
        choices=OutputUnit.choices,
        default=OutputUnit.LABOUR_INTENSITY,
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
        _("объём продукции года"), validators=[MinValueValidator(NIL)], **VOLUME
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

    @property
    def status_colour(self) -> str:
        """The colour of the status badge (``{% status_badge %}``)."""
        colours = {"signed": "success", "agreed": "info", "superseded": "light"}
        return colours.get(self.status, "secondary")

    def __str__(self):
        label = _("Личный план %(worker)s на %(year)s год") % {
            "worker": self.worker.short_name,
            "year": self.year,
        }
        if self.version > 1:
            label += _(", редакция %(version)s") % {"version": self.version}
        return label

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("planning:plan_detail", self.pk)

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
        return [year_end_key(self.enterprise_id, self.year)]

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
        if self.working_share is not None and not NIL <= self.working_share <= 1:
            errors["working_share"] = _("Коэффициент работающего оборудования — от 0 до 1.")
        if errors:
            raise ValidationError(errors)


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
        from enterprise.links import object_url

        return object_url("planning:print_detail", self.pk)

    @property
    def status_colour(self) -> str:
        """The colour of the status badge (``{% status_badge %}``)."""
        colours = {"done": "success", "failed": "danger", "running": "primary"}
        return colours.get(self.status, "secondary")

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
