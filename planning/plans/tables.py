import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import PersonalPlan


class PlanTable(tables.Table):
    year = tables.Column(verbose_name=_("Год"), linkify=lambda record: record.get_absolute_url())
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    personnel_number = tables.Column(verbose_name=_("Таб. №"), accessor="worker__personnel_number")
    worker = tables.Column(
        verbose_name=_("Рабочий"),
        accessor="worker__last_name",
        linkify=lambda record: record.get_absolute_url(),
    )
    profession = tables.Column(verbose_name=_("Профессия"), accessor="worker__profession__name")
    version = tables.Column(verbose_name=_("Ред."))
    method = tables.Column(verbose_name=_("Способ"), attrs={"td": {"class": "text-nowrap"}})
    annual_volume = tables.Column(
        verbose_name=_("Объём года"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    unit = tables.Column(
        verbose_name=_("Ед."), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    growth_percent = tables.Column(
        verbose_name=_("Рост, %"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

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
        from django.utils.html import format_html

        return format_html(
            '<span title="{}">{}</span>', record.get_method_display(), record.method_short
        )

    def value_method(self, value, record):
        return record.get_method_display()

    def render_annual_volume(self, value):
        from django.utils.formats import number_format

        return number_format(value, 1, force_grouping=True)

    def render_growth_percent(self, value):
        from django.utils.formats import number_format

        return number_format(value, 2)
