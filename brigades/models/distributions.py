"""A brigade's month: the distribution document, its timesheet lines and the KTU.

The document goes draft → agreed by the council → approved by the shop head; approved
is final, and so is anything of a closed month. Corrections are new documents in an
open month that point to the one they correct.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Worker
from enterprise.money import ZERO
from enterprise.numbers import figure, figure_plain
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

from .brigades import GRADE_VALIDATORS, MONEY, Brigade, Membership


class DistributionQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("enterprise_id", scope.enterprises)
            | within("brigade__section__shop_id", scope.shops)
            | within("brigade__section_id", scope.sections)
            | within("lines__worker_id", scope.workers)
        )

    def visible_to(self, user):
        return super().visible_to(user).distinct()


OPEN_CORRECTION = _(
    "У этого распределения уже есть неутверждённое исправление: доработайте и утвердите "
    "его, прежде чем начинать новое."
)


class Distribution(TrackedModel):
    """A brigade's month: timesheet, KTU, collective earnings and their split."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("brigade", "period")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        AGREED = "agreed", _("согласовано советом бригады")
        APPROVED = "approved", _("утверждено начальником цеха")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    brigade = models.ForeignKey(
        Brigade,
        verbose_name=_("бригада"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("период"), on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("исправляет"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    method = models.CharField(
        _("способ распределения"), max_length=1, choices=Brigade.Method.choices
    )
    piecework = models.DecimalField(_("сдельный заработок по наряду, руб."), default=ZERO, **MONEY)
    bonus = models.DecimalField(_("коллективная премия, руб."), default=ZERO, **MONEY)
    savings = models.DecimalField(_("экономия фонда заработной платы, руб."), default=ZERO, **MONEY)
    norm_hours = models.DecimalField(
        _("выработка, нормо-часов"), max_digits=10, decimal_places=2, default=ZERO
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Computed from the lines by the service on every change of the draft.
    tariff_total = models.DecimalField(_("тарифный заработок, руб."), default=ZERO, **MONEY)
    coefficient = models.DecimalField(
        _("коэффициент распределения"), max_digits=14, decimal_places=8, null=True, blank=True
    )
    below_tariff = models.BooleanField(_("заработок ниже тарифа"), default=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("составил"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("согласование записал"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("согласовано"), null=True, blank=True)
    council_minutes = models.CharField(_("протокол совета бригады"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("утвердил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("утверждено"), null=True, blank=True)

    objects = DistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("распределение заработка бригады")
        verbose_name_plural = _("распределения заработка бригад")
        ordering = ["-period__year", "-period__month", "brigade"]
        constraints = [
            models.UniqueConstraint(
                fields=["brigade", "period"],
                condition=models.Q(corrects__isnull=True),
                name="distribution_one_per_brigade_month",
                violation_error_message=_("Распределение за этот месяц уже есть."),
            ),
            # A correction in the works is finished before another is started: ten
            # clicks on «correct» make one draft, whoever and however they are sent.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False) & ~models.Q(status="approved"),
                name="distribution_one_open_correction",
                violation_error_message=OPEN_CORRECTION,
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="distribution_approved_has_approver",
                violation_error_message=_("У утверждённого распределения должен быть утвердивший."),
            ),
        ]

    @property
    def status_colour(self) -> str:
        """The colour of the status badge (``{% status_badge %}``)."""
        return {self.Status.APPROVED: "success", self.Status.AGREED: "info"}.get(
            self.status, "secondary"
        )

    @property
    def splits_by_ktu(self) -> bool:
        """Method Г: the surplus over the tariff is split by KTU."""
        return self.method == Brigade.Method.KTU

    @property
    def splits_by_output(self) -> bool:
        """Method Б: the pay is split by each member's recorded output."""
        return self.method == Brigade.Method.OUTPUT

    def __str__(self):
        label = _("Распределение: %(brigade)s, %(period)s") % {
            "brigade": self.brigade,
            "period": self.period,
        }
        if self.corrects_id:
            label += " " + str(_("(исправление)"))
        return label

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("brigades:distribution_detail", self.pk)

    def scope_unit(self):
        return self.brigade.scope_unit()

    def period_keys(self):
        return [MonthKey(self.enterprise_id, self.period.year, self.period.month)]

    def history_group(self):
        return f"brigades.distribution:{self.pk}"

    @property
    def total(self) -> Decimal:
        return self.piecework + self.bonus + self.savings

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.APPROVED

    def permits(self, user, role: str) -> bool:
        return self.brigade.permits(user, role)


# The months of the rows a bulk write of document rows touches, fetched once for the write:
# without it every row would look its month up on its own (twice: stored and new).
_part_periods: ContextVar[dict[int, Period] | None] = ContextVar(
    "brigades_part_periods", default=None
)


class DistributionPartQuerySet(TrackedQuerySet):
    """Bulk writes of document rows check the months in one query, not one per row."""

    @contextmanager
    def _periods_of(self, period_ids):
        if _part_periods.get() is not None:
            # Django's bulk_update() runs update(): the months are fetched already.
            yield
            return
        token = _part_periods.set(Period.objects.using(self.db).in_bulk(set(period_ids)))
        try:
            yield
        finally:
            _part_periods.reset(token)

    def update(self, **kwargs):
        with self._periods_of(self.values_list("period_id", flat=True)):
            return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with self._periods_of(obj.period_id for obj in objs):
            return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with self._periods_of(obj.period_id for obj in objs):
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


class DistributionPart(TrackedModel):
    """Rows of a distribution document: frozen with its month."""

    distribution = models.ForeignKey(
        Distribution, verbose_name=_("распределение"), on_delete=models.CASCADE
    )
    # The document's month, repeated so PostgreSQL's trigger can freeze the row alone.
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")

    objects = DistributionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def period_keys(self):
        period = (_part_periods.get() or {}).get(self.period_id) or self.period
        return [MonthKey(period.enterprise_id, period.year, period.month)]

    def history_group(self):
        return f"brigades.distribution:{self.distribution_id}"

    def scope_unit(self):
        return self.distribution.scope_unit()

    def save(self, *args, **kwargs):
        self.period_id = self.distribution.period_id
        super().save(*args, **kwargs)


class Line(DistributionPart):
    """A timesheet line: one membership stretch in the month, and what it is paid."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("worker",)

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("распределение"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("членство"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("с"))
    date_to = models.DateField(_("по"))
    grade = models.PositiveSmallIntegerField(_("разряд"), validators=GRADE_VALIDATORS)
    pay_grade = models.PositiveSmallIntegerField(
        _("разряд для оплаты"), validators=GRADE_VALIDATORS
    )
    rate = models.DecimalField(_("часовая ставка, руб."), max_digits=9, decimal_places=4)
    hours = models.DecimalField(
        _("отработано, ч"),
        max_digits=6,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0, _("Часы не могут быть отрицательными."))],
    )
    absence_hours = models.DecimalField(
        _("неявки, ч"),
        max_digits=6,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0, _("Часы не могут быть отрицательными."))],
    )
    absence_note = models.CharField(_("причина неявки"), max_length=200, blank=True)
    output = models.DecimalField(
        _("личная выработка, руб."),
        default=ZERO,
        validators=[MinValueValidator(0, _("Выработка не может быть отрицательной."))],
        **MONEY,
    )
    tariff = models.DecimalField(_("тарифный заработок"), default=ZERO, **MONEY)
    surplus = models.DecimalField(_("приработок"), default=ZERO, **MONEY)
    bonus = models.DecimalField(_("премия"), default=ZERO, **MONEY)
    savings = models.DecimalField(_("экономия ФЗП"), default=ZERO, **MONEY)
    # The leader's surcharge (table 16) for this line, the sum of its segments
    # (:class:`Surcharge`); paid over the collective earnings and counted in ``total``.
    surcharge = models.DecimalField(_("доплата бригадиру"), default=ZERO, **MONEY)
    total = models.DecimalField(_("всего"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("строка табеля")
        verbose_name_plural = _("табель")
        ordering = ["worker__last_name", "worker__first_name", "date_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "membership"],
                name="line_one_per_membership",
                violation_error_message=_("Эта часть членства уже в табеле."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, absence_hours__gte=0, output__gte=0),
                name="line_hours_not_negative",
                violation_error_message=_("Часы и выработка не могут быть отрицательными."),
            ),
        ]

    def __str__(self):
        return f"{self.worker.short_name}: {figure_plain(self.hours, 2)} ч"

    def history_label(self) -> str:
        """The line as a change of another row names it (a leader's surcharge segment):
        its worker and days, which stay; its hours change, and an old change would read
        today's."""
        return f"{self.worker.short_name}, {self.date_from:%d.%m}–{self.date_to:%d.%m}"


class Ktu(DistributionPart):
    """A member's KTU for the month: the base 1.0 plus the criteria the council applied."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("worker",)

    distribution = models.ForeignKey(
        Distribution, verbose_name=_("распределение"), on_delete=models.CASCADE, related_name="ktus"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="ktus"
    )
    value = models.DecimalField(_("КТУ"), max_digits=4, decimal_places=2)
    # [{"criterion": id, "name": "...", "adjustment": "0.20"}] as the council applied them
    adjustments = models.JSONField(_("применённые показатели"), default=list, blank=True)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("КТУ")
        verbose_name_plural = _("КТУ")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "worker"],
                name="ktu_once_a_month",
                violation_error_message=_("КТУ рабочего за этот месяц уже установлен."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="ktu_not_negative",
                violation_error_message=_("КТУ не может быть отрицательным."),
            ),
        ]

    def __str__(self):
        return f"{self.worker.short_name}: {figure(self.value, 2)}"


class Surcharge(DistributionPart):
    """The leader's surcharge (table 16) for one segment of his month: the days of one
    timesheet line at one tariff rate while he led the brigade. Computed with the draft;
    the segments of a line sum to its ``surcharge``."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("worker",)

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("распределение"),
        on_delete=models.CASCADE,
        related_name="surcharges",
    )
    line = models.ForeignKey(
        Line, verbose_name=_("строка табеля"), on_delete=models.CASCADE, related_name="surcharges"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("с"))
    date_to = models.DateField(_("по"))
    rate = models.DecimalField(_("часовая ставка, руб."), max_digits=9, decimal_places=4)
    hours = models.DecimalField(_("часы"), max_digits=6, decimal_places=2)
    tariff = models.DecimalField(_("тарифный заработок"), **MONEY)
    percent = models.DecimalField(_("процент доплаты"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("доплата, руб."), **MONEY)

    class Meta:
        verbose_name = _("доплата бригадиру")
        verbose_name_plural = _("доплаты бригадиру")
        ordering = ["date_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="surcharge_dates_in_order",
                violation_error_message=_("Начало отрезка позже его конца."),
            ),
        ]

    def __str__(self):
        return f"{self.worker.short_name}: {figure(self.amount, 2)}"
