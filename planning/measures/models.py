"""Org-technical measures (§5, tables 20–21) and the savings account of the workers."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Worker
from enterprise.money import KOPECK, NIL, THOUSANDTH
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet
from planning.modelbase import (
    HOURS,
    MONEY,
    RATIO,
    VOLUME,
    YEAR_VALIDATORS,
    section_scope,
    year_end_key,
)

from . import rules

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
            section_scope(scope)
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
        _("трудоёмкость до В1, нормо-ч"), validators=[MinValueValidator(NIL)], **RATIO
    )
    labour_after = models.DecimalField(
        _("трудоёмкость после В2, нормо-ч"), validators=[MinValueValidator(NIL)], **RATIO
    )
    annual_quantity = models.DecimalField(
        _("годовой объём выпуска Д"), validators=[MinValueValidator(NIL)], **VOLUME
    )
    annual_time_fund = models.DecimalField(
        _("плановый фонд времени рабочего Ф, ч"),
        validators=[MinValueValidator(Decimal(1))],
        default=Decimal("1807.0"),
        **HOURS,
    )
    norm_fulfilment = models.DecimalField(
        _("планируемое выполнение норм К"),
        validators=[MinValueValidator(THOUSANDTH)],
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

    @property
    def status_colour(self) -> str:
        """The colour of the status badge (``{% status_badge %}``); a planned measure's
        light badge gets a border to stand out from the page."""
        colours = {"done": "success", "in_progress": "info", "cancelled": "secondary"}
        return colours.get(self.status, "light border")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("planning:measure_detail", self.pk)

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
        return [year_end_key(self.enterprise_id, self.year)]

    def clean(self):
        super().clean()
        if self.status == self.Status.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": _("Укажите дату внедрения.")})


# --- the savings account ---------------------------------------------------------------------


class SavingsQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope, "worker__section") | within("worker_id", scope.workers)


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
    amount = models.DecimalField(_("сумма, руб."), validators=[MinValueValidator(KOPECK)], **MONEY)
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


_S = OrgMeasure.Status

# Status changes a measure may make: planned → in progress → done (with the date), or
# cancelled; a cancelled one may be planned again, a done one returned to work (its
# date is cleared) when it was marked done by mistake.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    _S.PLANNED: (_S.IN_PROGRESS, _S.CANCELLED),
    _S.IN_PROGRESS: (_S.DONE, _S.CANCELLED, _S.PLANNED),
    _S.DONE: (_S.IN_PROGRESS,),
    _S.CANCELLED: (_S.PLANNED,),
}
