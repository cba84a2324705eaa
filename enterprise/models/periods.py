import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..pg import allow_period_status_change
from ..rules import month_bounds
from ..scoping import Scope, ScopedQuerySet, within
from ..tracking import MonthKey, TrackedModel, TrackedQuerySet
from .structure import Enterprise

MONTH_NAMES = (
    _("январь"), _("февраль"), _("март"), _("апрель"), _("май"), _("июнь"),
    _("июль"), _("август"), _("сентябрь"), _("октябрь"), _("ноябрь"), _("декабрь"),
)  # fmt: skip


class PeriodQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        enterprises = {g.enterprise_id for g in scope.grants}
        return within("enterprise_id", frozenset(enterprises))

    def containing(self, day: datetime.date):
        return self.filter(year=day.year, month=day.month)

    # A period's status changes through the application only: its writes announce the
    # rows to PostgreSQL's trigger (see enterprise.pg.allow_period_status_change).

    def update(self, **kwargs):
        if "status" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            allow_period_status_change(self.values_list("pk", flat=True), self.db)
            return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "status" not in fields:
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db):
            allow_period_status_change([obj.pk for obj in objs], self.db)
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


class Period(TrackedModel):
    """A calendar month of an enterprise: open for changes, or closed and final."""

    class Status(models.TextChoices):
        OPEN = "open", _("открыт")
        CLOSED = "closed", _("закрыт")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(1960), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("месяц"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    working_days = models.PositiveSmallIntegerField(
        _("рабочих дней"), validators=[MaxValueValidator(31)], default=21
    )
    working_hours = models.DecimalField(
        _("фонд рабочего времени, ч"), max_digits=5, decimal_places=1, default=168
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто закрыл"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("когда закрыт"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("период")
        verbose_name_plural = _("периоды")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"],
                name="period_unique_month",
                violation_error_message=_("Этот месяц уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="period_month_1_to_12",
                violation_error_message=_("Месяц — от 1 до 12."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="open")
                | models.Q(closed_by__isnull=False, closed_at__isnull=False),
                name="period_closed_has_who_and_when",
                violation_error_message=_(
                    "У закрытого периода должно быть указано, кто и когда его закрыл."
                ),
            ),
        ]

    def __str__(self):
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("enterprise:period_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def start(self) -> datetime.date:
        return month_bounds(self.year, self.month)[0]

    @property
    def end(self) -> datetime.date:
        return month_bounds(self.year, self.month)[1]

    def contains(self, day: datetime.date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            if self.pk is not None and not self._state.adding:
                allow_period_status_change([self.pk], using)
            super().save(*args, **kwargs)

    save.alters_data = True

    def period_keys(self):
        # A closed month's own row is frozen too; the reopening service lifts it.
        if self.status == self.Status.CLOSED:
            return [MonthKey(self.enterprise_id, self.year, self.month)]
        return []

    def guard_keys(self, stored):
        if getattr(self, "_reopen_approved", False):
            return []
        return super().guard_keys(stored)


class PeriodReopening(TrackedModel):
    """A request to reopen a closed month; someone other than the requester decides."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("ожидает решения")
        APPROVED = "approved", _("одобрено")
        REJECTED = "rejected", _("отклонено")

    period = models.ForeignKey(
        Period, verbose_name=_("период"), on_delete=models.PROTECT, related_name="reopenings"
    )
    reason = models.TextField(_("причина"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто просит"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("когда запрошено"), auto_now_add=True)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто решил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("когда решено"), null=True, blank=True)
    decision_comment = models.TextField(_("комментарий к решению"), blank=True)

    class Meta:
        verbose_name = _("запрос на открытие периода")
        verbose_name_plural = _("запросы на открытие периодов")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="reopening_decided_by_other_person",
                violation_error_message=_("Решение принимает не тот, кто просил."),
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status="requested"),
                name="reopening_one_pending_per_period",
                violation_error_message=_("По этому периоду уже есть запрос, ожидающий решения."),
            ),
        ]

    def __str__(self):
        return gettext("Открытие периода %(period)s") % {"period": self.period}

    def history_group(self):
        return f"enterprise.period:{self.period_id}"
