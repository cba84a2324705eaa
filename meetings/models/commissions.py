"""The production commission of a shop or of the plant, its members, and the plant's
technical departments whose representatives meetings invite (domain/meetings.md §1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Shop, Worker
from enterprise.scoping import Scope, ScopedQuerySet, scope_of, within
from enterprise.tracking import TrackedModel, TrackedQuerySet


class Level(models.TextChoices):
    SHOP = "shop", _("цеховая")
    PLANT = "plant", _("заводская")


class Group(models.TextChoices):
    """Whom a member represents in the commission."""

    FACTORY_COMMITTEE = "committee", _("фабзавком")
    ADMINISTRATION = "administration", _("администрация")
    ENGINEERS = "engineers", _("инженерно-технические работники")
    WORKERS = "workers", _("рабочие")


@dataclass(frozen=True)
class Memberships:
    """The commissions a user sits on, reduced to ids (see :func:`memberships_of`)."""

    commissions: frozenset[int] = frozenset()
    shops: frozenset[int] = frozenset()  # shops whose commission he sits on
    plants: frozenset[int] = frozenset()  # enterprises whose plant commission he sits on
    bureau: frozenset[int] = frozenset()  # commissions whose bureau he is in
    committee: frozenset[int] = frozenset()  # commissions where he is of the factory committee


NO_MEMBERSHIPS = Memberships()


def memberships_of(user) -> Memberships:
    """The user's seats on commissions (one query, cached on the user for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_MEMBERSHIPS
    cached = getattr(user, "_khz_memberships_cache", None)
    if cached is not None:
        return cached
    commissions, shops, plants, bureau, committee = set(), set(), set(), set(), set()
    rows = CommissionMember.objects.filter(
        models.Q(user=user) | models.Q(worker__user=user)
    ).values_list(
        "commission_id",
        "commission__level",
        "commission__shop_id",
        "commission__enterprise_id",
        "is_bureau",
        "is_factory_committee",
    )
    for commission_id, level, shop_id, enterprise_id, is_bureau, is_committee in rows:
        commissions.add(commission_id)
        if level == Level.SHOP:
            shops.add(shop_id)
        else:
            plants.add(enterprise_id)
        if is_bureau:
            bureau.add(commission_id)
        if is_committee:
            committee.add(commission_id)
    found = Memberships(
        frozenset(commissions),
        frozenset(shops),
        frozenset(plants),
        frozenset(bureau),
        frozenset(committee),
    )
    user._khz_memberships_cache = found
    return found


def grant_enterprises(scope: Scope) -> frozenset[int]:
    """Every enterprise the user holds any role in (the plant's commission is theirs)."""
    return frozenset(g.enterprise_id for g in scope.grants)


class CommissionQuerySet(ScopedQuerySet, TrackedQuerySet):
    """A shop's commission is seen by the shop's people, the plant's by everyone of the
    plant; members see the commissions they sit on."""

    prefix = ""

    def scope_filter(self, scope: Scope) -> models.Q:
        p = self.prefix
        return (
            within(f"{p}enterprise_id", scope.enterprises)
            | within(f"{p}shop_id", scope.shops_seen)
            | (
                models.Q(**{f"{p}level": Level.PLANT})
                & within(f"{p}enterprise_id", grant_enterprises(scope))
            )
        )

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        seats = memberships_of(user)
        condition = within(f"{self.prefix}id", seats.commissions) | within(
            f"{self.prefix}shop_id", seats.shops
        )
        if scope is not None and scope.grants:
            condition |= self.scope_filter(scope)
        return self.filter(condition)


class Commission(TrackedModel):
    """The production commission (производственная комиссия) of a shop or of the plant."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("уровень"), max_length=8, choices=Level.choices)
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("цех"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Для цеховой комиссии; у заводской не указывается."),
    )
    name = models.CharField(_("наименование"), max_length=200)
    review_days = models.PositiveSmallIntegerField(
        _("срок рассмотрения предложения бюро, дней"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Календарных дней со дня подачи предложения."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("срок ответа администрации, дней"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Календарных дней со дня передачи предложения администрации."),
    )

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("производственная комиссия")
        verbose_name_plural = _("производственные комиссии")
        ordering = ["enterprise", "-level", "shop__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="shop", shop__isnull=False)
                | models.Q(level="plant", shop__isnull=True),
                name="commission_level_matches_shop",
                violation_error_message=_(
                    "Цеховой комиссии нужен цех; у заводской комиссии цех не указывается."
                ),
            ),
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(level="shop"),
                name="commission_one_per_shop",
                violation_error_message=_("У этого цеха уже есть производственная комиссия."),
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(level="plant"),
                name="commission_one_per_plant",
                violation_error_message=_("Заводская производственная комиссия уже есть."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("meetings:commission_detail", self.pk)

    def clean(self):
        super().clean()
        if self.level == Level.SHOP and self.shop_id is None:
            raise ValidationError({"shop": _("Укажите цех цеховой комиссии.")})
        if self.level == Level.PLANT and self.shop_id is not None:
            raise ValidationError({"shop": _("У заводской комиссии цех не указывается.")})
        if (
            self.shop_id is not None
            and self.enterprise_id is not None
            and self.shop.enterprise_id != self.enterprise_id
        ):
            raise ValidationError({"shop": _("Цех другого предприятия.")})

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, None

    @classmethod
    def for_shop(cls, enterprise_id: int, shop_id: int | None) -> Commission | None:
        """The commission that reviews a unit's proposals: the shop's, else the plant's."""
        found = {
            c.level: c
            for c in cls.objects.filter(enterprise_id=enterprise_id).filter(
                models.Q(level=Level.PLANT) | models.Q(shop_id=shop_id)
            )
        }
        return found.get(Level.SHOP) or found.get(Level.PLANT)


class CommissionMember(TrackedModel):
    """A seat on a commission: a user of the system and/or a worker of the plant."""

    commission = models.ForeignKey(
        Commission, verbose_name=_("комиссия"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("рабочий"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("фамилия, инициалы"), max_length=120)
    position = models.CharField(_("должность"), max_length=120, blank=True)
    group = models.CharField(_("представляет"), max_length=16, choices=Group.choices)
    is_bureau = models.BooleanField(
        _("член бюро"), default=False, help_text=_("Бюро рассматривает предложения рабочих.")
    )
    is_factory_committee = models.BooleanField(
        _("передаёт предложения администрации"),
        default=False,
        help_text=_("Член фабзавкома, через которого принятые предложения идут администрации."),
    )

    class Meta:
        verbose_name = _("член комиссии")
        verbose_name_plural = _("члены комиссии")
        ordering = ["commission", "group", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user"],
                condition=models.Q(user__isnull=False),
                name="commission_member_user_once",
                violation_error_message=_("Этот пользователь уже член комиссии."),
            ),
            models.UniqueConstraint(
                fields=["commission", "worker"],
                condition=models.Q(worker__isnull=False),
                name="commission_member_worker_once",
                violation_error_message=_("Этот рабочий уже член комиссии."),
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="commission_member_named",
                violation_error_message=_("Укажите фамилию и инициалы члена комиссии."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.is_factory_committee and self.group != Group.FACTORY_COMMITTEE:
            raise ValidationError(
                {
                    "is_factory_committee": _(
                        "Передаёт предложения администрации член комиссии от фабзавкома."
                    )
                }
            )
        if self.worker_id is not None and self.commission_id is not None:
            commission = self.commission
            if self.worker.enterprise_id != commission.enterprise_id:
                raise ValidationError({"worker": _("Рабочий другого предприятия.")})

    def scope_unit(self):
        return self.commission.scope_unit()

    def history_group(self):
        return f"meetings.commission:{self.commission_id}"


class DepartmentQuerySet(ScopedQuerySet, TrackedQuerySet):
    def scope_filter(self, scope: Scope) -> models.Q:
        return within("enterprise_id", grant_enterprises(scope))


class Department(TrackedModel):
    """A technical department of the plant (техническое бюро, ОТК, инструментальный отдел)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("наименование"), max_length=200)
    short_name = models.CharField(_("краткое наименование"), max_length=30)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("отдел")
        verbose_name_plural = _("технические отделы")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "short_name"],
                name="department_short_name_unique",
                violation_error_message=_("Отдел с таким кратким наименованием уже есть."),
            )
        ]

    def __str__(self):
        return self.short_name or self.name

    def scope_unit(self):
        return self.enterprise_id, None, None
