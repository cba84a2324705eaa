"""The enterprise's KTU regulation: the criteria that raise or cut a member's KTU."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise
from enterprise.numbers import figure_signed
from enterprise.tracking import TrackedModel, TrackedQuerySet


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
        return f"{self.name} ({figure_signed(self.adjustment, 2)})"

    def history_group(self):
        return f"brigades.ktu:{self.enterprise_id}"
