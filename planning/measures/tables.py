"""The catalogue of org-technical measures as a table (and its export)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enterprise.columns import DateColumn, NumberColumn

from .models import OrgMeasure

STATUS_BADGES = {
    OrgMeasure.Status.PLANNED: "text-bg-light border",
    OrgMeasure.Status.IN_PROGRESS: "text-bg-info",
    OrgMeasure.Status.DONE: "text-bg-success",
    OrgMeasure.Status.CANCELLED: "text-bg-secondary",
}


class MeasureTable(tables.Table):
    year = tables.Column(verbose_name=_("Год"))
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    name = tables.Column(linkify=True)
    factor = tables.Column(verbose_name=_("Фактор"))
    status = tables.Column(verbose_name=_("Состояние"))
    deadline = DateColumn(verbose_name=_("Срок"), attrs={"td": {"class": "text-nowrap"}})
    reduction = NumberColumn(
        verbose_name=_("Т, нормо-ч"), accessor="reduction", orderable=False, places=0
    )
    released = NumberColumn(
        verbose_name=_("А, чел."), accessor="released", orderable=False, places=1
    )
    growth = NumberColumn(
        verbose_name=_("Рост, %"), accessor="productivity_growth", orderable=False, places=2
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
