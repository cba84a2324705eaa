"""Brigades and their people over time: the brigade, its members' stretches, the leader
and the council."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Profession, Section, Worker
from enterprise.models.structure import MAX_GRADE, MIN_GRADE
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

GRADE_VALIDATORS = [
    MinValueValidator(MIN_GRADE, _("Разряд — от 1 до 6.")),
    MaxValueValidator(MAX_GRADE, _("Разряд — от 1 до 6.")),
]
MONEY = {"max_digits": 12, "decimal_places": 2}
DAY = datetime.timedelta(days=1)


def _month_keys(enterprise_id, start: datetime.date, end: datetime.date | None):
    """A key for each month from ``start`` to ``end`` (None: ``start`` onwards)."""
    if start is None:
        return []
    if end is None:
        return [MonthKey.of(enterprise_id, start, onwards=True)]
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(MonthKey(enterprise_id, year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def span_guard_keys(
    enterprise_id, stored, new, start: str, end: str, payload: tuple[str, ...]
) -> list[MonthKey | None]:
    """Months that must be open to change a dated stretch from ``stored`` to ``new``.

    Moving a start or an end touches only the days between the old date and the new one
    (ending an open-ended stretch on 30 September alters October onwards, not
    September); a change of a ``payload`` field (grade, worker …) alters every month the
    stretch covers, so it must lie in open months (a service splits the stretch for
    that). PostgreSQL's ``lock_by_span`` trigger applies the same rule to raw SQL.
    """
    keys = []
    old_start, new_start = getattr(stored, start), getattr(new, start)
    old_end, new_end = getattr(stored, end), getattr(new, end)
    if any(getattr(stored, name) != getattr(new, name) for name in payload):
        keys += _month_keys(enterprise_id, old_start, old_end)
        keys += _month_keys(enterprise_id, new_start, new_end)
    if old_start != new_start and None not in (old_start, new_start):
        # The days from the earlier start to the day before the later one.
        first, later = sorted((old_start, new_start))
        keys += _month_keys(enterprise_id, first, later - DAY)
    if old_end != new_end:
        # The days after the earlier end up to the later one (None: open-ended).
        ends = [day for day in (old_end, new_end) if day is not None]
        if len(ends) == 1:
            keys += _month_keys(enterprise_id, ends[0] + DAY, None)
        else:
            earlier, last = sorted(ends)
            keys += _month_keys(enterprise_id, earlier + DAY, last)
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

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ()

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
        from enterprise.links import object_url

        return object_url("brigades:brigade_detail", self.pk)

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

    # A brigade stays editable (its name, pay system …) whatever months it lived in; its
    # dates are what a closed month keeps: it is not formed or disbanded in one, its
    # dates do not move across one, it does not change section under one, and one that
    # lived in a closed month is not deleted.

    def guard_keys(self, stored):
        if stored is None:
            return [
                MonthKey.of(self.enterprise_id, self.formed_on),
                MonthKey.of(self.enterprise_id, self.disbanded_on),
            ]
        return span_guard_keys(
            self.enterprise_id,
            stored,
            self,
            "formed_on",
            "disbanded_on",
            ("section_id", "enterprise_id"),
        )

    def delete_keys(self):
        return _month_keys(self.enterprise_id, self.formed_on, self.disbanded_on)

    def period_error_field(self, stored):
        if stored is not None and stored.formed_on == self.formed_on:
            return "disbanded_on"
        return "formed_on"


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

    def period_error_field(self, stored) -> str:
        """A closed month refuses the date that was set or moved."""
        if stored is not None and stored.valid_from == self.valid_from:
            return "valid_to"
        return "valid_from"

    def clean_dates(self, siblings: models.QuerySet, message: str) -> None:
        if self.valid_from is None:
            return  # no start date (a refused input): the field's own error says so
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

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("worker",)

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

    # A change of these alters the pay of every month the stretch covers.
    frozen_fields = ("grade", "conditional_grade", "profession_id", "worker_id", "brigade_id")

    def guard_keys(self, stored):
        """Months that must be open: those whose pay the change would alter (see
        :func:`span_guard_keys`)."""
        enterprise_id = self.brigade.enterprise_id
        if stored is None:
            return _month_keys(enterprise_id, self.valid_from, self.valid_to)
        return span_guard_keys(
            enterprise_id, stored, self, "valid_from", "valid_to", self.frozen_fields
        )

    def period_keys(self):
        return _month_keys(self.brigade.enterprise_id, self.valid_from, self.valid_to)

    @property
    def pay_grade(self) -> int:
        return self.conditional_grade or self.grade


class Post(Dated, BrigadePart):
    """The leader (one at a time) and the council members, each for a time."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ("worker",)

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

    # Who led the brigade or sat on its council in a closed month stays as it was.
    frozen_fields = ("worker_id", "kind", "brigade_id")

    def guard_keys(self, stored):
        if self.brigade_id is None:
            return []
        enterprise_id = self.brigade.enterprise_id
        if stored is None:
            return _month_keys(enterprise_id, self.valid_from, self.valid_to)
        return span_guard_keys(
            enterprise_id, stored, self, "valid_from", "valid_to", self.frozen_fields
        )

    def period_keys(self):
        if self.brigade_id is None:
            return []
        return _month_keys(self.brigade.enterprise_id, self.valid_from, self.valid_to)

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
