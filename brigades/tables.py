import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from enterprise.columns import NumberColumn
from enterprise.table_body import FastBodyTable

from .models import Brigade, Distribution


class BrigadeTable(FastBodyTable):
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    number = tables.Column(linkify=True, verbose_name=_("№"))
    name = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_("Членов"))
    leader = tables.Column(
        verbose_name=_("Бригадир"), accessor="leader_last_name", default="—", orderable=False
    )

    class Meta:
        model = Brigade
        fields = ["shop", "section", "number", "name", "kind", "method", "member_count", "leader"]
        order_by = ("shop", "section", "number")

    def render_leader(self, value, record):
        initial = f" {record.leader_initials[0]}." if record.leader_initials else ""
        return f"{value}{initial}"


class DistributionTable(FastBodyTable):
    period = tables.Column(
        verbose_name=_("Месяц"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("period__year", "period__month"),
    )
    brigade = tables.Column(verbose_name=_("Бригада"), order_by=("brigade__number",))
    shop = tables.Column(verbose_name=_("Цех"), accessor="brigade__section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="brigade__section__number")
    total = NumberColumn(verbose_name=_("Заработок, руб."), orderable=False, places=2)
    correction = tables.Column(
        verbose_name=_("Исправление"), accessor="corrects", default="", orderable=False
    )

    class Meta:
        model = Distribution
        fields = ["period", "shop", "section", "brigade", "method", "status", "total"]
        order_by = ("-period",)

    def render_correction(self, value):
        return _("исправляет %(period)s") % {"period": value.period}
