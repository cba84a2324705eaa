from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..numbers import figure, figure_plain
from ..rules import OutOfScale, Step, step_lookup
from ..tracking import TrackedModel
from .structure import Enterprise


class OutOfScaleError(ValidationError):
    """A value that falls in no range of a step scale."""


class StepScale(TrackedModel):
    """A named table of ranges → value (e.g. a bonus scale), kept by the labour & wages dept."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="scales"
    )
    code = models.SlugField(_("код"), max_length=40)
    name = models.CharField(_("наименование"), max_length=200)
    description = models.TextField(_("описание"), blank=True)
    argument_label = models.CharField(
        _("показатель"), max_length=120, help_text=_("Например: выполнение плана, %")
    )
    value_label = models.CharField(
        _("значение"), max_length=120, help_text=_("Например: премия, % тарифа")
    )

    class Meta:
        verbose_name = _("ступенчатая шкала")
        verbose_name_plural = _("ступенчатые шкалы")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="step_scale_code_unique",
                violation_error_message=_("Шкала с таким кодом уже есть."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("enterprise:scale_detail", self.pk)

    def steps(self) -> list[Step]:
        return [Step(row.lower, row.upper, row.value) for row in self.rows.all()]

    def value_for(self, x: Decimal) -> Decimal:
        """The value for ``x``; a value outside every range is an error, never a default."""
        try:
            return step_lookup(self.steps(), x)
        except OutOfScale:
            raise OutOfScaleError(
                gettext("Значение %(x)s не попадает ни в один диапазон шкалы «%(scale)s».")
                % {"x": figure(x), "scale": self.name},
                code="out_of_scale",
            ) from None


class StepScaleRow(TrackedModel):
    """One range of a step scale: from ``lower`` (inclusive) to ``upper`` (exclusive)."""

    scale = models.ForeignKey(
        StepScale, verbose_name=_("шкала"), on_delete=models.CASCADE, related_name="rows"
    )
    lower = models.DecimalField(
        _("от (включительно)"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Пусто — без нижней границы."),
    )
    upper = models.DecimalField(
        _("до (не включая)"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Пусто — без верхней границы."),
    )
    value = models.DecimalField(_("значение"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("диапазон шкалы")
        verbose_name_plural = _("диапазоны шкалы")
        ordering = ["scale", models.F("lower").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lower__isnull=True)
                | models.Q(upper__isnull=True)
                | models.Q(lower__lt=models.F("upper")),
                name="step_row_lower_below_upper",
                violation_error_message=_("Нижняя граница должна быть меньше верхней."),
            )
        ]

    def __str__(self):
        # As the scale's table writes them: «[1; 1,01) → 1», not «[1,00; 1,01) → 1,0».
        lower = "−∞" if self.lower is None else figure_plain(self.lower)
        upper = "+∞" if self.upper is None else figure_plain(self.upper)
        return f"[{lower}; {upper}) → {figure_plain(self.value)}"

    def history_group(self):
        return f"enterprise.stepscale:{self.scale_id}"
