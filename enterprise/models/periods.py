from __future__ import annotations

import copy
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
from .structure import Enterprise, Profession, Section, Shop, Worker

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

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ()

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
        """The period's one label, «октябрь 2026», on every page, select, PDF and export.

        The month is lower-case, as Russian writes it inside a sentence, a status line, a
        table cell or a select's option. Only a heading that begins with it (a page's
        title, ``<h1>``–``<h6>``) capitalises its first letter, in the template
        (``{{ period|capfirst }}`` → «Октябрь 2026»); nothing else changes its case."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("enterprise:period_detail", self.pk)

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

    def period_keys(self):
        # A closed month's own row is frozen too; the reopening service lifts it.
        if self.status == self.Status.CLOSED:
            return [MonthKey(self.enterprise_id, self.year, self.month)]
        return []

    def guard_keys(self, stored):
        if getattr(self, "_reopen_approved", False):
            return []
        return super().guard_keys(stored)

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            existing = self.pk is not None and not self._state.adding
            reopening = (
                existing
                and self.status == self.Status.OPEN
                and type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, status=self.Status.CLOSED)
                .exists()
            )
            if existing:
                # The database lets a status change through only from this path.
                allow_period_status_change([self.pk], using)
            super().save(*args, **kwargs)
            if reopening:
                # Open again, the month prints today's data until it is closed anew,
                # whatever path reopened it (the reopening service, the demo, a generated
                # plant's delete).
                self.worker_snapshots.all().delete()

    save.alters_data = True


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


class WorkerSnapshot(models.Model):
    """A worker as the documents of a closed month print him: name, personnel number,
    grade, profession, section and shop, taken when the month is closed.

    A later change of the worker (a new personnel number, a married name, a move to
    another section) does not reach the closed month's sheets. Reopening the month drops
    its rows; closing it again takes them anew.
    """

    period = models.ForeignKey(
        Period,
        verbose_name=_("период"),
        on_delete=models.CASCADE,
        related_name="worker_snapshots",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.CASCADE, related_name="+"
    )
    personnel_number = models.CharField(_("табельный номер"), max_length=10)
    last_name = models.CharField(_("фамилия"), max_length=60)
    first_name = models.CharField(_("имя"), max_length=60)
    middle_name = models.CharField(_("отчество"), max_length=60, blank=True)
    grade = models.PositiveSmallIntegerField(_("разряд"))
    profession = models.CharField(_("профессия"), max_length=120)
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="+"
    )
    section_number = models.PositiveSmallIntegerField(_("номер участка"))
    section_name = models.CharField(_("наименование участка"), max_length=200)
    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="+"
    )
    shop_number = models.PositiveSmallIntegerField(_("номер цеха"))
    shop_name = models.CharField(_("наименование цеха"), max_length=200)

    class Meta:
        verbose_name = _("рабочий на момент закрытия периода")
        verbose_name_plural = _("рабочие на момент закрытия периодов")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "worker"],
                name="worker_snapshot_once_per_period",
                violation_error_message=_("Рабочий уже записан на момент закрытия периода."),
            )
        ]

    def __str__(self):
        return f"{self.last_name} ({self.personnel_number}), {self.period}"

    @classmethod
    def of(cls, period: Period, worker: Worker) -> WorkerSnapshot:
        """The row for ``worker`` (loaded with his profession and section's shop)."""
        section = worker.section
        return cls(
            period=period,
            worker_id=worker.pk,
            personnel_number=worker.personnel_number,
            last_name=worker.last_name,
            first_name=worker.first_name,
            middle_name=worker.middle_name,
            grade=worker.grade,
            profession=worker.profession.name,
            section_id=section.pk,
            section_number=section.number,
            section_name=section.name,
            shop_id=section.shop_id,
            shop_number=section.shop.number,
            shop_name=section.shop.name,
        )

    def as_worker(self, worker: Worker) -> Worker:
        """A copy of ``worker`` for display only, showing what he was at closing.

        The copy's profession, section and shop are unsaved objects that carry the
        closed month's names and numbers; nothing reads or writes the database through it.
        """
        shown = copy.copy(worker)
        shown._state = copy.copy(worker._state)
        shown._state.fields_cache = {}
        shown.personnel_number = self.personnel_number
        shown.last_name, shown.first_name = self.last_name, self.first_name
        shown.middle_name, shown.grade = self.middle_name, self.grade
        shown.profession = Profession(
            pk=worker.profession_id, enterprise_id=worker.enterprise_id, name=self.profession
        )
        shop = Shop(
            pk=self.shop_id,
            enterprise_id=worker.enterprise_id,
            number=self.shop_number,
            name=self.shop_name,
        )
        section = Section(
            pk=self.section_id,
            shop_id=self.shop_id,
            number=self.section_number,
            name=self.section_name,
        )
        section.shop = shop
        shown.section = section
        return shown
