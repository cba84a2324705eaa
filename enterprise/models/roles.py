import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tracking import TrackedModel


class Role(models.TextChoices):
    """The plant's roles (domain/00-overview.md)."""

    WORKER = "worker", _("рабочий")
    BRIGADE_LEADER = "brigade_leader", _("бригадир")
    MASTER = "master", _("мастер / начальник участка")
    SHOP_HEAD = "shop_head", _("начальник цеха")
    DISPATCHER = "dispatcher", _("планово-диспетчерское бюро")
    ECONOMIST = "economist", _("экономист цеха")
    LABOUR = "labour", _("отдел труда и заработной платы")
    PRODUCTION_HEAD = "production_head", _("начальник производства")
    DEPUTY_DIRECTOR = "deputy_director", _("заместитель директора")
    ADMINISTRATOR = "administrator", _("администратор")


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", _("предприятие")
    SHOP = "shop", _("цех")
    SECTION = "section", _("участок")


# Where each role may be scoped. A worker's role is about himself: it is held at the
# enterprise and sees his own record (the link is Worker.user).
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.WORKER: (Level.ENTERPRISE,),
    Role.BRIGADE_LEADER: (Level.SECTION,),
    Role.MASTER: (Level.SECTION,),
    Role.SHOP_HEAD: (Level.SHOP,),
    Role.DISPATCHER: (Level.SHOP, Level.ENTERPRISE),
    Role.ECONOMIST: (Level.SHOP, Level.ENTERPRISE),
    Role.LABOUR: (Level.ENTERPRISE,),
    Role.PRODUCTION_HEAD: (Level.ENTERPRISE,),
    Role.DEPUTY_DIRECTOR: (Level.ENTERPRISE,),
    Role.ADMINISTRATOR: (Level.ENTERPRISE,),
}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class RoleAssignment(TrackedModel):
    """A user's role in one unit — a section, a shop or the enterprise — for a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprise.Enterprise",
        verbose_name=_("предприятие"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    shop = models.ForeignKey(
        "enterprise.Shop",
        verbose_name=_("цех"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    section = models.ForeignKey(
        "enterprise.Section",
        verbose_name=_("участок"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    valid_from = models.DateField(_("действует с"), default=timezone.localdate)
    valid_to = models.DateField(_("действует по"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто назначил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Заполняется само: тот, кто сохранил назначение."),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("назначение роли")
        verbose_name_plural = _("назначения ролей")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shop__isnull=True) | models.Q(section__isnull=True),
                name="role_scope_one_unit",
                violation_error_message=_("Укажите либо цех, либо участок, но не оба."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="role_dates_ordered",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.unit_label})"

    @property
    def level(self) -> str:
        if self.section_id:
            return Level.SECTION
        if self.shop_id:
            return Level.SHOP
        return Level.ENTERPRISE

    @property
    def unit_label(self) -> str:
        return str(self.section or self.shop or self.enterprise)

    def clean(self):
        super().clean()
        allowed = ROLE_LEVELS.get(self.role, ())
        if self.role and self.level not in allowed:
            names = ", ".join(str(Level(level).label) for level in allowed)
            raise ValidationError(
                {"role": _("Эта роль назначается на уровне: %(levels)s.") % {"levels": names}}
            )
        unit_enterprise = None
        if self.section_id:
            unit_enterprise = self.section.shop.enterprise_id
        elif self.shop_id:
            unit_enterprise = self.shop.enterprise_id
        if unit_enterprise is not None and unit_enterprise != self.enterprise_id:
            raise ValidationError(_("Подразделение другого предприятия."))
