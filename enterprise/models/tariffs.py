import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..numbers import figure
from ..tracking import MonthKey, TrackedModel, TrackedQuerySet
from .structure import MAX_GRADE, MIN_GRADE, Enterprise


class PayCondition(TrackedModel):
    """A column of the tariff grid: pay form and working conditions (e.g. piecework, normal)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("предприятие"),
        on_delete=models.PROTECT,
        related_name="pay_conditions",
    )
    code = models.SlugField(_("код"), max_length=30)
    name = models.CharField(_("наименование"), max_length=120)

    class Meta:
        verbose_name = _("условия оплаты")
        verbose_name_plural = _("условия оплаты")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="pay_condition_code_unique",
                violation_error_message=_("Условия оплаты с таким кодом уже есть."),
            )
        ]

    def __str__(self):
        return self.name


class TariffRateQuerySet(TrackedQuerySet):
    def effective_on(self, on: datetime.date):
        """Rates in force on a day: per condition and grade, the latest started by then."""
        latest = self.filter(valid_from__lte=on).order_by(
            "pay_condition_id", "grade", "-valid_from"
        )
        chosen: dict[tuple[int, int], int] = {}
        for pk, condition_id, grade in latest.values_list("pk", "pay_condition_id", "grade"):
            chosen.setdefault((condition_id, grade), pk)
        return self.filter(pk__in=chosen.values())


class TariffRate(TrackedModel):
    """Hourly tariff rate of a grade under a pay condition, in force from a date.

    A rate stays in force until the next rate of the same grade and condition starts.
    Once a month from its start onwards is closed, the rate is part of that month's
    figures and does not change: a new rate from an open month replaces it.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="rates"
    )
    pay_condition = models.ForeignKey(
        PayCondition,
        verbose_name=_("условия оплаты"),
        on_delete=models.PROTECT,
        related_name="rates",
    )
    grade = models.PositiveSmallIntegerField(
        _("разряд"),
        validators=[
            MinValueValidator(MIN_GRADE, _("Разряд — от 1 до 6.")),
            MaxValueValidator(MAX_GRADE, _("Разряд — от 1 до 6.")),
        ],
    )
    hourly_rate = models.DecimalField(
        _("часовая ставка, руб."),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(0, _("Ставка не может быть отрицательной."))],
    )
    valid_from = models.DateField(_("действует с"))

    objects = TariffRateQuerySet.as_manager()

    class Meta:
        verbose_name = _("тарифная ставка")
        verbose_name_plural = _("тарифная сетка")
        ordering = ["pay_condition__name", "grade", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "pay_condition", "grade", "valid_from"],
                name="tariff_rate_unique_start",
                violation_error_message=_(
                    "Ставка этого разряда и условий оплаты с этой даты уже есть."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=MIN_GRADE, grade__lte=MAX_GRADE),
                name="tariff_grade_1_to_6",
                violation_error_message=_("Разряд — от 1 до 6."),
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0),
                name="tariff_rate_not_negative",
                violation_error_message=_("Ставка не может быть отрицательной."),
            ),
        ]

    def __str__(self):
        return _("%(grade)s разряд, %(condition)s: %(rate)s с %(date)s") % {
            "grade": self.grade,
            "condition": self.pay_condition,
            "rate": figure(self.hourly_rate),
            "date": self.valid_from.strftime("%d.%m.%Y") if self.valid_from else "—",
        }

    def period_keys(self):
        return [MonthKey.of(self.enterprise_id, self.valid_from, onwards=True)]

    def period_error_field(self, stored):
        # A new rate or a moved start is refused at its date; a change to a frozen rate's
        # figure is about the whole rate.
        if stored is None or stored.valid_from != self.valid_from:
            return "valid_from"
        return None

    def history_group(self):
        return f"enterprise.tariffgrid:{self.enterprise_id}"
