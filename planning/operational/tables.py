"""The parts list as a table (and its export)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Part


class PartTable(tables.Table):
    number = tables.Column(verbose_name=_("Номер детали"), linkify=True)
    name = tables.Column(verbose_name=_("Наименование"))
    assembly_shop = tables.Column(verbose_name=_("Сборочный цех"), accessor="assembly_shop__number")
    daily_need = tables.Column(verbose_name=_("В суточном комплекте, шт."))
    sections = tables.Column(verbose_name=_("Участков на маршруте"), orderable=False)

    class Meta:
        model = Part
        fields = ["number", "name", "assembly_shop", "daily_need", "sections"]
        order_by = ("number",)
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "parts"}
