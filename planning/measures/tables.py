"""The catalogue of org-technical measures as a table (and its export)."""

from decimal import Decimal

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enterprise import money

from .models import OrgMeasure

STATUS_BADGES = {
    OrgMeasure.Status.PLANNED: "text-bg-light border",
    OrgMeasure.Status.IN_PROGRESS: "text-bg-info",
    OrgMeasure.Status.DONE: "text-bg-success",
    OrgMeasure.Status.CANCELLED: "text-bg-secondary",
}
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def rounded(value: Decimal, places: int) -> Decimal:
    return money.half_up(value, money.places(places))


def shown(value: Decimal, places: int) -> str:
    return number_format(rounded(value, places), places, force_grouping=True)


class MeasureTable(tables.Table):
    year = tables.Column(verbose_name=_("Год"))
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    name = tables.Column(linkify=True)
    factor = tables.Column(verbose_name=_("Фактор"))
    status = tables.Column(verbose_name=_("Состояние"))
    deadline = tables.Column(verbose_name=_("Срок"))
    reduction = tables.Column(
        verbose_name=_("Т, нормо-ч"), accessor="reduction", orderable=False, attrs=NUM
    )
    released = tables.Column(
        verbose_name=_("А, чел."), accessor="released", orderable=False, attrs=NUM
    )
    growth = tables.Column(
        verbose_name=_("Рост, %"), accessor="productivity_growth", orderable=False, attrs=NUM
    )

    class Meta:
        model = OrgMeasure
        fields = [
            "year",
            "shop",
            "section",
            "name",
            "factor",
            "status",
            "deadline",
            "responsible",
            "reduction",
            "released",
            "growth",
        ]
        order_by = ("-year", "shop", "section", "deadline")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "measures"}

    def render_year(self, value):
        return str(value)  # not «2 026»

    def render_factor(self, value, record):
        return format_html(
            '<span class="small" title="{}">{}</span>',
            capfirst(record.get_factor_group_display()),
            capfirst(record.get_factor_display()),
        )

    def value_factor(self, value, record):
        return record.get_factor_display()

    def render_status(self, value, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-light"),
            record.get_status_display(),
        )

    def value_status(self, value, record):
        return record.get_status_display()

    def render_deadline(self, value):
        return format_html('<span class="text-nowrap">{}</span>', value.strftime("%d.%m.%Y"))

    def value_deadline(self, value):
        return value.strftime("%d.%m.%Y")

    def render_reduction(self, value):
        return shown(value, 0)

    def value_reduction(self, value):
        return rounded(value, 0)

    def render_released(self, value):
        return shown(value, 1)

    def value_released(self, value):
        return rounded(value, 1)

    def render_growth(self, value):
        return shown(value, 2)

    def value_growth(self, value):
        return rounded(value, 2)
