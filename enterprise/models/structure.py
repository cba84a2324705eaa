import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import PERSONNEL_NUMBER, years_between
from ..scoping import Scope, ScopedQuerySet, within
from ..tracking import TrackedModel, TrackedQuerySet

MIN_GRADE = 1
MAX_GRADE = 6


class Enterprise(TrackedModel):
    """A plant; every other row belongs to exactly one."""

    name = models.CharField(_("наименование"), max_length=200, unique=True)
    short_name = models.CharField(_("краткое наименование"), max_length=60)
    young_worker_max_age = models.PositiveSmallIntegerField(
        _("молодой рабочий — до (лет)"),
        default=30,
        validators=[MinValueValidator(14), MaxValueValidator(40)],
        help_text=_("Рабочий моложе этого возраста считается молодым."),
    )
    ktu_min = models.DecimalField(
        _("КТУ — минимум"), max_digits=4, decimal_places=2, default=Decimal("0.00")
    )
    ktu_max = models.DecimalField(
        _("КТУ — максимум"), max_digits=4, decimal_places=2, default=Decimal("2.00")
    )

    class Meta:
        verbose_name = _("предприятие")
        verbose_name_plural = _("предприятия")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ktu_min__gte=0) & models.Q(ktu_max__gt=models.F("ktu_min")),
                name="enterprise_ktu_range_valid",
                violation_error_message=_("Максимум КТУ должен быть больше минимума."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class ShopQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return within("enterprise_id", scope.enterprises) | within("id", scope.shops_seen)


class Shop(TrackedModel):
    """A shop (цех): main or auxiliary."""

    class Kind(models.TextChoices):
        MAIN = "main", _("основной")
        AUXILIARY = "auxiliary", _("вспомогательный")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="shops"
    )
    number = models.PositiveSmallIntegerField(
        _("номер"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    name = models.CharField(_("наименование"), max_length=200)
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices, default=Kind.MAIN)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("начальник цеха"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_shops",
    )

    objects = ShopQuerySet.as_manager()

    class Meta:
        verbose_name = _("цех")
        verbose_name_plural = _("цеха")
        ordering = ["enterprise", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"],
                name="shop_number_unique_per_enterprise",
                violation_error_message=_("Цех с таким номером на предприятии уже есть."),
            )
        ]

    def __str__(self):
        return _("Цех № %(number)s «%(name)s»") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("enterprise:shop_detail", self.pk)


class SectionQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("shop__enterprise_id", scope.enterprises)
            | within("shop_id", scope.shops)
            | within("id", scope.sections_seen)
        )


class Section(TrackedModel):
    """A production section (участок) of a shop."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(
        _("номер"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    name = models.CharField(_("наименование"), max_length=200)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("начальник участка (мастер)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_sections",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("участок")
        verbose_name_plural = _("участки")
        ordering = ["shop__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "number"],
                name="section_number_unique_per_shop",
                violation_error_message=_("Участок с таким номером в цехе уже есть."),
            )
        ]

    def __str__(self):
        return _("Цех %(shop)s, участок № %(number)s «%(name)s»") % {
            "shop": self.shop.number,
            "number": self.number,
            "name": self.name,
        }

    @property
    def short_label(self):
        return _("Участок № %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("enterprise:section_detail", self.pk)


class Profession(TrackedModel):
    """A worker's profession (профессия), from the plant's list."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("предприятие"),
        on_delete=models.PROTECT,
        related_name="professions",
    )
    name = models.CharField(_("наименование"), max_length=120)
    code = models.CharField(_("код"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("профессия")
        verbose_name_plural = _("профессии")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"],
                name="profession_name_unique_per_enterprise",
                violation_error_message=_("Такая профессия на предприятии уже есть."),
            )
        ]

    def __str__(self):
        return self.name


class WorkerQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("enterprise_id", scope.enterprises)
            | within("section__shop_id", scope.shops)
            | within("section_id", scope.sections)
            | within("id", scope.workers)
        )

    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(hire_date__lte=on),
            models.Q(dismissal_date__isnull=True) | models.Q(dismissal_date__gte=on),
        )


personnel_number_validator = RegexValidator(
    PERSONNEL_NUMBER, _("Табельный номер — от 1 до 10 цифр.")
)


class Worker(TrackedModel):
    """A worker (рабочий) of a section, with profession and tariff grade."""

    # The relations its label (``__str__``) follows, fetched with it for the «История».
    history_label_related = ()

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="workers"
    )
    personnel_number = models.CharField(
        _("табельный номер"), max_length=10, validators=[personnel_number_validator]
    )
    last_name = models.CharField(_("фамилия"), max_length=60)
    first_name = models.CharField(_("имя"), max_length=60)
    middle_name = models.CharField(_("отчество"), max_length=60, blank=True)
    profession = models.ForeignKey(
        Profession, verbose_name=_("профессия"), on_delete=models.PROTECT, related_name="workers"
    )
    grade = models.PositiveSmallIntegerField(
        _("разряд"),
        validators=[
            MinValueValidator(MIN_GRADE, _("Разряд — от 1 до 6.")),
            MaxValueValidator(MAX_GRADE, _("Разряд — от 1 до 6.")),
        ],
    )
    pay_condition = models.ForeignKey(
        "enterprise.PayCondition",
        verbose_name=_("условия оплаты"),
        on_delete=models.PROTECT,
        related_name="workers",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("участок"), on_delete=models.PROTECT, related_name="workers"
    )
    hire_date = models.DateField(_("дата приёма"))
    dismissal_date = models.DateField(_("дата увольнения"), null=True, blank=True)
    birth_date = models.DateField(_("дата рождения"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
    )

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("рабочий")
        verbose_name_plural = _("рабочие")
        ordering = ["last_name", "first_name", "personnel_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "personnel_number"],
                name="worker_personnel_number_unique",
                violation_error_message=_("Рабочий с таким табельным номером уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=MIN_GRADE, grade__lte=MAX_GRADE),
                name="worker_grade_1_to_6",
                violation_error_message=_("Разряд — от 1 до 6."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date__lt=models.F("hire_date")),
                name="worker_born_before_hired",
                violation_error_message=_("Дата рождения должна быть раньше даты приёма."),
            ),
            models.CheckConstraint(
                condition=models.Q(dismissal_date__isnull=True)
                | models.Q(dismissal_date__gte=models.F("hire_date")),
                name="worker_dismissed_after_hired",
                violation_error_message=_("Дата увольнения не может быть раньше даты приёма."),
            ),
        ]
        indexes = [models.Index(fields=["section", "last_name"])]

    def __str__(self):
        return f"{self.full_name} ({self.personnel_number})"

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("enterprise:worker_detail", self.pk)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    def seniority_years(self, on: datetime.date | None = None) -> int:
        """Whole years worked at the plant on ``on`` (today by default)."""
        return years_between(self.hire_date, on or timezone.localdate())

    def age(self, on: datetime.date | None = None) -> int:
        return years_between(self.birth_date, on or timezone.localdate())

    def is_young(self, on: datetime.date | None = None) -> bool:
        """A "young worker": younger than the enterprise's limit (30 by default)."""
        return self.age(on) < self.enterprise.young_worker_max_age

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("Дата рождения не может быть в будущем.")
        elif (
            self.birth_date
            and self.hire_date
            and years_between(self.birth_date, self.hire_date) < 14
        ):
            errors["birth_date"] = _("На дату приёма рабочему должно быть не меньше 14 лет.")
        if self.hire_date and self.hire_date > today + datetime.timedelta(days=366):
            errors["hire_date"] = _("Дата приёма — не позже чем через год от сегодня.")
        if self.hire_date and self.hire_date.year < 1930:
            errors["hire_date"] = _("Дата приёма — не раньше 1930 года.")
        if self.dismissal_date and self.hire_date and self.dismissal_date < self.hire_date:
            errors["dismissal_date"] = _("Дата увольнения не может быть раньше даты приёма.")
        if (
            self.section_id
            and self.enterprise_id
            and (self.section.shop.enterprise_id != self.enterprise_id)
        ):
            errors["section"] = _("Участок другого предприятия.")
        if (
            self.profession_id
            and self.enterprise_id
            and (self.profession.enterprise_id != self.enterprise_id)
        ):
            errors["profession"] = _("Профессия другого предприятия.")
        if errors:
            raise ValidationError(errors)
