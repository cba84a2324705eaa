import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprise.columns import NumberColumn
from enterprise.table_body import FastBodyTable
from planning.numbers import GROWTH_PLACES

from .models import PersonalPlan


class PlanTable(FastBodyTable):
    year = tables.Column(verbose_name=_("Год"), linkify=lambda table, record: table.url_of(record))
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    personnel_number = tables.Column(verbose_name=_("Таб. №"), accessor="worker__personnel_number")
    worker = tables.Column(
        verbose_name=_("Рабочий"),
        accessor="worker__last_name",
        linkify=lambda table, record: table.url_of(record),
    )
    profession = tables.Column(verbose_name=_("Профессия"), accessor="worker__profession__name")
    version = tables.Column(verbose_name=_("Ред."))
    method = tables.Column(verbose_name=_("Способ"), attrs={"td": {"class": "text-nowrap"}})
    annual_volume = NumberColumn(verbose_name=_("Объём года"), places=1, plain=True)
    unit = tables.Column(
        verbose_name=_("Ед."), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    # one precision down the column («5,00» beside «5,25»), as the plan sheet prints it
    growth_percent = NumberColumn(verbose_name=_("Рост, %"), places=GROWTH_PLACES)

    class Meta:
        model = PersonalPlan
        fields = [
            "year",
            "shop",
            "section",
            "personnel_number",
            "worker",
            "profession",
            "version",
            "method",
            "annual_volume",
            "unit",
            "growth_percent",
            "status",
        ]
        order_by = ("-year", "shop", "section", "worker")

    def render_worker(self, value, record):
        return record.worker.short_name

    def value_worker(self, value, record):
        return record.worker.full_name

    def render_method(self, value, record):
        # ``value`` is the method's label (django-tables2 shows a field of choices so)
        return format_html('<span title="{}">{}</span>', value, record.method_short)

    def value_method(self, value, record):
        return record.get_method_display()
