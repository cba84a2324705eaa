"""Shift tasks (§5, сменно-суточные задания): the task of a section's shift, its items
with their readiness, and the output recorded per worker from the task's stubs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Section, Worker
from enterprise.money import NIL
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet
from planning.modelbase import HOURS, section_scope

from .base import PIECE_HOURS, QUANTITY
from .routes import RouteOperation

READINESS_FIELDS = ("work_order", "documentation", "material", "tooling", "tools")


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class ShiftTaskQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return section_scope(scope) | within("section_id", scope.own_sections)


class ShiftTask(TrackedModel):
    """A section's task for one shift of one day (§5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("составляется")
        ISSUED = "issued", _("выдано мастеру")
        RETURNED = "returned", _("возвращено в ПДБ")
        READY = "ready", _("готово")
        SIGNED = "signed", _("подписано мастером")
        REPORTED = "reported", _("выработка записана")
        CANCELLED = "cancelled", _("отменено")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="shift_tasks"
    )
    date = models.DateField(_("дата"))
    shift = models.PositiveSmallIntegerField(
        _("смена"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issued_at = models.DateTimeField(_("выдано"), null=True, blank=True)
    issued_by = _user(_("выдал"))
    checked_at = models.DateTimeField(_("проверено мастером"), null=True, blank=True)
    checked_by = _user(_("проверил"))
    signed_at = models.DateTimeField(_("подписано"), null=True, blank=True)
    signed_by = _user(_("подписал"))
    reported_at = models.DateTimeField(_("выработка записана"), null=True, blank=True)
    reported_by = _user(_("записал выработку"))
    cancelled_at = models.DateTimeField(_("отменено"), null=True, blank=True)
    cancelled_by = _user(_("отменил"))
    cancel_reason = models.CharField(_("причина отмены"), max_length=500, blank=True)
    note = models.TextField(_("примечание"), blank=True)

    objects = ShiftTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("сменно-суточное задание")
        verbose_name_plural = _("сменно-суточные задания")
        ordering = ["-date", "section", "shift"]
        constraints = [
            # A cancelled task keeps its place in the history, not its shift: the bureau
            # may compose the shift's task anew.
            models.UniqueConstraint(
                fields=["section", "date", "shift"],
                condition=~models.Q(status="cancelled"),
                name="shift_task_unique",
                violation_error_message=_("Задание участку на эту смену уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(shift__gte=1, shift__lte=3),
                name="shift_task_shift_valid",
                violation_error_message=_("Смена — от 1 до 3."),
            ),
        ]

    def __str__(self):
        return _("%(section)s, %(date)s, смена %(shift)s") % {
            "section": self.section.short_label,
            "date": self.date.strftime("%d.%m.%Y"),
            "shift": self.shift,
        }

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.date)]

    def period_error_field(self, stored) -> str | None:
        return "date"


class ShiftItemQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            section_scope(scope, "task__section")
            | within("task__section_id", scope.own_sections)
            | within("worker_id", scope.workers)
        )


class ShiftTaskItem(TrackedModel):
    """A line of a shift task: an operation of a route, the worker and the pieces, and
    whether the workplace has what it needs (None: not checked yet)."""

    # The relations its label (``__str__``) follows, fetched with it for the «История»: the
    # task's own label names its section (each stub's record names its line).
    history_label_related = ("task__section", "route_operation")

    task = models.ForeignKey(
        ShiftTask, verbose_name=_("задание"), on_delete=models.CASCADE, related_name="items"
    )
    route_operation = models.ForeignKey(
        RouteOperation,
        verbose_name=_("операция"),
        on_delete=models.PROTECT,
        related_name="shift_items",
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("рабочий"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shift_items",
    )
    quantity = models.DecimalField(
        _("задание, шт."), validators=[MinValueValidator(Decimal("0.01"))], **QUANTITY
    )
    work_order = models.BooleanField(_("наряд"), null=True, blank=True)
    documentation = models.BooleanField(_("документация"), null=True, blank=True)
    material = models.BooleanField(_("материал"), null=True, blank=True)
    tooling = models.BooleanField(_("оснастка"), null=True, blank=True)
    tools = models.BooleanField(_("инструмент"), null=True, blank=True)
    not_ready_note = models.CharField(_("чего не хватает"), max_length=300, blank=True)
    resolved_note = models.CharField(_("как решено"), max_length=300, blank=True)

    objects = ShiftItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("строка сменного задания")
        verbose_name_plural = _("строки сменных заданий")
        ordering = ["task", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="shift_item_quantity_positive",
                violation_error_message=_("Задание должно быть больше нуля."),
            ),
        ]

    def __str__(self):
        return f"{self.task}: {self.route_operation}"

    def line_label(self) -> str:
        """The line as the output grid shows it: the worker (if any), the part and the
        operation (read with ``route_operation__route__part`` and ``worker``)."""
        operation = self.route_operation
        where = f"{operation.route.part.number} {operation.number}. {operation.name}"
        return f"{self.worker.short_name}, {where}" if self.worker_id else where

    @property
    def readiness(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name in READINESS_FIELDS}

    def history_group(self) -> str:
        return f"planning.shifttask:{self.task_id}"

    def scope_unit(self):
        return self.task.enterprise_id, self.task.section.shop_id, self.task.section_id

    def period_keys(self):
        return self.task.period_keys()


class ShiftOutputQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            section_scope(scope, "item__task__section")
            | within("item__task__section_id", scope.own_sections)
            | within("worker_id", scope.workers)
        )


class ShiftOutput(TrackedModel):
    """Good pieces a worker made on an item of a shift task, recorded from its stub."""

    item = models.ForeignKey(
        ShiftTaskItem,
        verbose_name=_("строка задания"),
        on_delete=models.CASCADE,
        related_name="outputs",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="shift_outputs"
    )
    quantity = models.DecimalField(
        _("годных, шт."), validators=[MinValueValidator(NIL)], **QUANTITY
    )
    norm_hours = models.DecimalField(
        _("нормо-часы"), validators=[MinValueValidator(NIL)], **PIECE_HOURS
    )
    hours_worked = models.DecimalField(
        _("отработано, ч"),
        default=NIL,
        validators=[MinValueValidator(NIL), MaxValueValidator(Decimal(24))],
        **HOURS,
    )
    recorded_by = _user(_("записал"))
    recorded_at = models.DateTimeField(_("когда записано"), null=True, blank=True)

    objects = ShiftOutputQuerySet.as_manager()

    class Meta:
        verbose_name = _("выработка по сменному заданию")
        verbose_name_plural = _("выработка по сменным заданиям")
        ordering = ["item", "worker"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "worker"],
                name="shift_output_unique_worker",
                violation_error_message=_("Выработка рабочего по этой строке уже записана."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0, norm_hours__gte=0, hours_worked__gte=0),
                name="shift_output_not_negative",
                violation_error_message=_("Выработка и часы не могут быть отрицательными."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.worker.short_name}"

    def history_group(self) -> str:
        return f"planning.shifttask:{self.item.task_id}"

    def scope_unit(self):
        return self.item.scope_unit()

    def period_keys(self):
        return self.item.period_keys()
