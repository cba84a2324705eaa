"""Brigades, their members over time, and the monthly distribution of collective pay.

A brigade's month is one :class:`Distribution` document: the timesheet (a line per
membership segment — a member who changes grade mid-month has two lines, each paid at
its own rate), the KTU of each member, the collective earnings, and the computed
shares. The document goes draft → agreed by the council → approved by the shop head;
approved is final, and so is anything of a closed month. Corrections are new
documents in an open month that point to the one they correct.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Profession, Section, Worker
from enterprise.models.structure import MAX_GRADE, MIN_GRADE
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

GRADE_VALIDATORS = [
    MinValueValidator(MIN_GRADE, _("Разряд — от 1 до 6.")),
    MaxValueValidator(MAX_GRADE, _("Разряд — от 1 до 6.")),
]
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")
DAY = datetime.timedelta(days=1)


def _month_keys(enterprise_id, start: datetime.date, end: datetime.date | None):
    """A key for each month from ``start`` to ``end`` (None: ``start`` onwards)."""
    if end is None:
        return [MonthKey.of(enterprise_id, start, onwards=True)]
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(MonthKey(enterprise_id, year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


class BrigadeQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("enterprise_id", scope.enterprises)
            | within("section__shop_id", scope.shops)
            | within("section_id", scope.sections)
            | within("memberships__worker_id", scope.workers)
        )

    def visible_to(self, user):
        # A worker's own brigades come through memberships: one row per brigade.
        return super().visible_to(user).distinct()


_posts_generation = [0]  # bumped on every change of a post: cached answers go stale


def led_brigade_ids(user) -> frozenset[int]:
    """The brigades ``user`` leads today, cached on the user object (a request loads its
    own) until a post changes in this process."""
    key = (timezone.localdate(), _posts_generation[0])
    cached = getattr(user, "_khz_led_brigades", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    led = frozenset(
        Post.objects.filter(kind=Post.Kind.LEADER, worker__user=user, valid_from__lte=key[0])
        .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=key[0]))
        .values_list("brigade_id", flat=True)
    )
    user._khz_led_brigades = (key, led)
    return led


class Brigade(TrackedModel):
    """A brigade (бригада) of a section, paid collectively."""

    class Kind(models.TextChoices):
        THROUGH_COMPLEX = "through_complex", _("сквозная комплексная")
        THROUGH_SPECIALISED = "through_specialised", _("сквозная специализированная")
        SHIFT_COMPLEX = "shift_complex", _("сменная комплексная")
        SPECIALISED = "specialised", _("специализированная")

    class PaySystem(models.TextChoices):
        PIECEWORK = "piecework", _("простая сдельная")
        PIECE_BONUS = "piece_bonus", _("сдельно-премиальная")
        TIME_BONUS = "time_bonus", _("повременно-премиальная")

    class Method(models.TextChoices):
        TARIFF = "A", _("А — по тарифу и отработанному времени")
        OUTPUT = "B", _("Б — по фактической выработке")
        CONDITIONAL = "C", _("В — по условным разрядам и времени")
        KTU = "D", _("Г — тарифная часть по тарифу, приработок по КТУ")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="brigades"
    )
    number = models.PositiveSmallIntegerField(_("номер"), validators=[MinValueValidator(1)])
    name = models.CharField(_("наименование"), max_length=200)
    kind = models.CharField(_("тип"), max_length=24, choices=Kind.choices)
    pay_system = models.CharField(_("система оплаты"), max_length=16, choices=PaySystem.choices)
    single_work_order = models.BooleanField(_("работает по единому наряду"), default=True)
    method = models.CharField(
        _("способ распределения"),
        max_length=1,
        choices=Method.choices,
        default=Method.KTU,
        help_text=_("Предлагается для новых месяцев; в каждом месяце его можно изменить."),
    )
    work_grade = models.DecimalField(
        _("средний разряд работ"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=GRADE_VALIDATORS,
        help_text=_("С ним сравнивается средний разряд членов бригады."),
    )
    formed_on = models.DateField(_("дата создания"))
    disbanded_on = models.DateField(_("дата расформирования"), null=True, blank=True)

    objects = BrigadeQuerySet.as_manager()

    class Meta:
        verbose_name = _("бригада")
        verbose_name_plural = _("бригады")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="brigade_number_unique_per_section",
                violation_error_message=_("Бригада с таким номером на участке уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(disbanded_on__isnull=True)
                | models.Q(disbanded_on__gte=models.F("formed_on")),
                name="brigade_disbanded_after_formed",
                violation_error_message=_("Бригаду нельзя расформировать раньше её создания."),
            ),
        ]

    def __str__(self):
        return _("Бригада № %(number)s «%(name)s»") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("brigades:brigade_detail", args=[self.pk])

    def scope_unit(self):
        return self.enterprise_id, self.section.shop_id, self.section_id

    def permits(self, user, role: str) -> bool:
        """A brigade leader acts for his own brigade only (the one he leads today)."""
        if role != "brigade_leader":
            return True
        return self.pk in led_brigade_ids(user)

    def leader_on(self, day: datetime.date, *, user=None) -> Post | None:
        posts = Post.objects.filter(brigade=self, kind=Post.Kind.LEADER).filter(
            models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )
        if user is not None:
            posts = posts.filter(worker__user=user)
        return posts.select_related("worker").first()

    def clean(self):
        super().clean()
        if (
            self.section_id
            and self.enterprise_id
            and self.section.shop.enterprise_id != self.enterprise_id
        ):
            raise ValidationError({"section": _("Участок другого предприятия.")})


class BrigadePartQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return models.Q(brigade__in=Brigade.objects.filter(Brigade.objects.scope_filter(scope)))


class BrigadePart(TrackedModel):
    """Rows that belong to a brigade: its history is the brigade's."""

    brigade = models.ForeignKey(Brigade, verbose_name=_("бригада"), on_delete=models.CASCADE)

    class Meta:
        abstract = True

    def history_group(self):
        return f"brigades.brigade:{self.brigade_id}"

    def scope_unit(self):
        return self.brigade.scope_unit()


class Dated(models.Model):
    """A stretch of time: from a day, to a day (inclusive) or open-ended."""

    valid_from = models.DateField(_("с"))
    valid_to = models.DateField(_("по"), null=True, blank=True)

    class Meta:
        abstract = True

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        return (end is None or self.valid_from <= end) and (
            self.valid_to is None or start <= self.valid_to
        )

    def clean_dates(self, siblings: models.QuerySet, message: str) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Дата окончания раньше даты начала.")})
        clash = siblings.exclude(pk=self.pk).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            clash = clash.filter(valid_from__lte=self.valid_to)
        if clash.exists():
            raise ValidationError({"valid_from": message})


class Membership(Dated, BrigadePart):
    """A stretch of a worker's membership with one profession and grade.

    A change of grade or profession ends the stretch and starts a new one, so each
    part of a month is paid at its own rate.
    """

    brigade = models.ForeignKey(
        Brigade, verbose_name=_("бригада"), on_delete=models.CASCADE, related_name="memberships"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="memberships"
    )
    profession = models.ForeignKey(
        Profession, verbose_name=_("профессия"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField(_("разряд"), validators=GRADE_VALIDATORS)
    conditional_grade = models.PositiveSmallIntegerField(
        _("условный разряд"),
        null=True,
        blank=True,
        validators=GRADE_VALIDATORS,
        help_text=_("Присваивает совет бригады; по нему распределяют способом «В»."),
    )

    objects = BrigadePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("членство в бригаде")
        verbose_name_plural = _("состав бригады")
        ordering = ["worker__last_name", "worker__first_name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=MIN_GRADE, grade__lte=MAX_GRADE),
                name="membership_grade_1_to_6",
                violation_error_message=_("Разряд — от 1 до 6."),
            ),
        ]
        indexes = [models.Index(fields=["brigade", "valid_from"])]

    def __str__(self):
        return f"{self.worker.short_name}, {self.grade} р."

    def clean(self):
        super().clean()
        if self.brigade_id and self.worker_id:
            if self.worker.section_id != self.brigade.section_id:
                raise ValidationError({"worker": _("Рабочий другого участка.")})
            self.clean_dates(
                Membership.objects.filter(worker_id=self.worker_id),
                _("В эти даты рабочий уже состоит в бригаде."),
            )

    def guard_keys(self, stored):
        """Months that must be open: those whose pay the change would alter.

        Moving a start or an end touches only the days between the old date and the new
        one (ending an open-ended stretch on 30 September alters October onwards, not
        September); a change of grade, profession, worker or brigade alters every month
        the stretch covers, so it must start in an open month (the service splits the
        stretch for that).
        """
        enterprise_id = self.brigade.enterprise_id
        if stored is None:
            return _month_keys(enterprise_id, self.valid_from, self.valid_to)
        keys = []
        if (
            stored.grade,
            stored.conditional_grade,
            stored.profession_id,
            stored.worker_id,
            stored.brigade_id,
        ) != (
            self.grade,
            self.conditional_grade,
            self.profession_id,
            self.worker_id,
            self.brigade_id,
        ):
            keys += _month_keys(enterprise_id, stored.valid_from, stored.valid_to)
        if stored.valid_from != self.valid_from:
            # The days from the earlier start to the day before the later one.
            first, later = sorted((stored.valid_from, self.valid_from))
            keys += _month_keys(enterprise_id, first, later - DAY)
        if stored.valid_to != self.valid_to:
            # The days after the earlier end up to the later one (None: open-ended).
            ends = [day for day in (stored.valid_to, self.valid_to) if day is not None]
            if len(ends) == 1:
                keys += _month_keys(enterprise_id, ends[0] + DAY, None)
            else:
                earlier, last = sorted(ends)
                keys += _month_keys(enterprise_id, earlier + DAY, last)
        return keys

    def period_keys(self):
        return _month_keys(self.brigade.enterprise_id, self.valid_from, self.valid_to)

    @property
    def pay_grade(self) -> int:
        return self.conditional_grade or self.grade


class Post(Dated, BrigadePart):
    """The leader (one at a time) and the council members, each for a time."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("бригадир")
        COUNCIL = "council", _("член совета бригады")

    brigade = models.ForeignKey(
        Brigade, verbose_name=_("бригада"), on_delete=models.CASCADE, related_name="posts"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("должность"), max_length=10, choices=Kind.choices)

    objects = BrigadePartQuerySet.as_manager()

    class Meta:
        verbose_name = _("бригадир или член совета")
        verbose_name_plural = _("бригадир и совет бригады")
        ordering = ["kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="post_dates_ordered",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.worker.short_name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _posts_generation[0] += 1

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _posts_generation[0] += 1
        return result

    def clean(self):
        super().clean()
        if not (self.brigade_id and self.worker_id):
            return
        if self.kind == self.Kind.LEADER:
            self.clean_dates(
                Post.objects.filter(brigade_id=self.brigade_id, kind=self.Kind.LEADER),
                _(
                    "В эти даты у бригады уже есть бригадир: "
                    "сначала укажите, по какое число он им был."
                ),
            )
        else:
            self.clean_dates(
                Post.objects.filter(
                    brigade_id=self.brigade_id, kind=self.kind, worker_id=self.worker_id
                ),
                _("В эти даты рабочий уже в совете бригады."),
            )


class KtuCriterion(TrackedModel):
    """A raise or cut of KTU from the base 1.0, as the enterprise's regulation sets it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("показатель"), max_length=200)
    adjustment = models.DecimalField(
        _("изменение КТУ"),
        max_digits=4,
        decimal_places=2,
        help_text=_("Повышение — положительное число, понижение — отрицательное."),
    )
    active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("показатель КТУ")
        verbose_name_plural = _("показатели КТУ")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"],
                name="ktu_criterion_name_unique",
                violation_error_message=_("Такой показатель уже есть."),
            ),
            models.CheckConstraint(
                condition=~models.Q(adjustment=0),
                name="ktu_criterion_not_zero",
                violation_error_message=_("Изменение КТУ не может быть нулевым."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.adjustment:+})"

    def history_group(self):
        return f"brigades.ktu:{self.enterprise_id}"


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


class Distribution(TrackedModel):
    """A brigade's month: timesheet, KTU, collective earnings and their split."""

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
        from django.urls import reverse

        return reverse("brigades:distribution_detail", args=[self.pk])

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
        return f"{self.worker.short_name}: {self.hours} ч"


class Ktu(DistributionPart):
    """A member's KTU for the month: the base 1.0 plus the criteria the council applied."""

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
        return f"{self.worker.short_name}: {self.value}"
