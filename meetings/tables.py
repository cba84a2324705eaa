"""The list of meetings as a table (and its export)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprise import numbers
from enterprise.columns import DateColumn, NumberColumn

from . import rules
from .models import Meeting


class MeetingTable(tables.Table):
    date = DateColumn(verbose_name=_("Дата"), linkify=True, attrs={"td": {"class": "text-nowrap"}})
    number = tables.Column(verbose_name=_("№"))
    commission = tables.Column(verbose_name=_("Комиссия"), accessor="commission__name")
    level = tables.Column(verbose_name=_("Уровень"), accessor="commission__level")
    status = tables.Column(verbose_name=_("Состояние"))
    chair = tables.Column(verbose_name=_("Председатель"), accessor="chair_label", orderable=False)
    items = NumberColumn(verbose_name=_("Вопросов"), places=0)
    present = NumberColumn(verbose_name=_("Присутствовало"), places=0)
    headcount = NumberColumn(verbose_name=_("Рабочих"), places=0)
    rate = NumberColumn(
        verbose_name=_("Участие, %"), accessor="pk", orderable=False, places=1, empty_values=()
    )

    class Meta:
        model = Meeting
        fields = [
            "date",
            "number",
            "commission",
            "level",
            "status",
            "chair",
            "items",
            "present",
            "headcount",
            "rate",
        ]
        order_by = ("-date", "-number")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "meetings"}

    def _rate(self, record):
        if record.status != Meeting.Status.HELD or not record.headcount:
            return None
        return rules.participation_rate(min(record.present, record.headcount), record.headcount)

    def render_rate(self, value, record):
        rate = self._rate(record)
        return "—" if rate is None else numbers.figure(rate, 1)

    def value_rate(self, value, record):
        return self._rate(record)

    def render_level(self, value, record):
        return record.commission.get_level_display()

    def value_level(self, value, record):
        return record.commission.get_level_display()

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            record.status_colour,
            record.get_status_display(),
        )

    def value_status(self, value, record):
        return record.get_status_display()
