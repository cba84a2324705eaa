import django_tables2 as tables
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from .columns import DateColumn, DateTimeColumn, NumberColumn
from .models import Period, Section, Shop, StepScale, Worker
from .table_body import FastBodyTable


class ShopTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=_("№"))
    name = tables.Column(linkify=True)
    section_count = tables.Column(verbose_name=_("Участков"), orderable=True)
    worker_count = tables.Column(verbose_name=_("Рабочих"), orderable=True)
    head = tables.Column(verbose_name=_("Начальник цеха"), order_by=("head__last_name",))

    class Meta:
        model = Shop
        fields = ["number", "name", "kind", "head", "section_count", "worker_count"]
        order_by = "number"

    def render_head(self, value):
        return value.get_full_name() or value.username


class SectionTable(tables.Table):
    shop = tables.Column(
        verbose_name=_("Цех"),
        accessor="shop__number",
        linkify=lambda record: record.shop.get_absolute_url(),
    )
    number = tables.Column(linkify=True, verbose_name=_("№"))
    name = tables.Column(linkify=True)
    worker_count = tables.Column(verbose_name=_("Рабочих"))
    head = tables.Column(verbose_name=_("Мастер"), order_by=("head__last_name",))

    class Meta:
        model = Section
        fields = ["shop", "number", "name", "head", "worker_count"]
        order_by = ("shop", "number")

    def render_head(self, value):
        return value.get_full_name() or value.username


class WorkerTable(FastBodyTable):
    personnel_number = tables.Column(linkify=lambda table, record: table.url_of(record))
    full_name = tables.Column(
        verbose_name=_("Ф. И. О."),
        linkify=lambda table, record: table.url_of(record),
        order_by=("last_name", "first_name", "middle_name"),
    )
    profession = tables.Column(order_by=("profession__name",))
    shop = tables.Column(verbose_name=_("Цех"), accessor="section__shop__number")
    section = tables.Column(verbose_name=_("Участок"), accessor="section__number")
    hire_date = DateColumn()

    class Meta:
        model = Worker
        fields = [
            "personnel_number",
            "full_name",
            "profession",
            "grade",
            "shop",
            "section",
            "hire_date",
        ]
        order_by = ("full_name",)

    def export_records(self):
        """The export's values by column (:func:`enterprise.lists.table_values`), in one
        ``values_list`` query over the table's filtered and ordered rows: no worker, profession,
        section and shop instances for each of the plant's 7,000 workers."""
        if not isinstance(self.data, TableQuerysetData):
            return None
        rows = self.data.data.values_list(
            "personnel_number",
            "last_name",
            "first_name",
            "middle_name",
            "profession__name",
            "grade",
            "section__shop__number",
            "section__number",
            "hire_date",
        )
        return (
            {
                "personnel_number": number or None,  # "" is empty to a column, as None
                # as Worker.full_name
                "full_name": " ".join(part for part in (last, first, middle) if part) or None,
                "profession": profession,
                "grade": grade,
                "shop": shop,
                "section": section,
                "hire_date": hired,
            }
            for number, last, first, middle, profession, grade, shop, section, hired in rows
        )


class PeriodTable(tables.Table):
    label = tables.Column(
        verbose_name=_("Период"), accessor="pk", linkify=True, order_by=("year", "month")
    )
    working_hours = NumberColumn(places=1)
    closed_by = tables.Column(order_by=("closed_by__last_name",))
    closed_at = DateTimeColumn()

    class Meta:
        model = Period
        fields = ["label", "status", "working_days", "working_hours", "closed_by", "closed_at"]
        order_by = ("-label",)

    def render_label(self, record):
        return str(record)

    def value_label(self, record):
        return str(record)

    def render_closed_by(self, value):
        return value.get_full_name() or value.username


def _scale_code_hint(record):
    return gettext("Код шкалы: %(code)s") % {"code": record.code}


class StepScaleTable(tables.Table):
    # A reader knows a scale by its name; its code (a Latin slug, the key the labour
    # department gives it) is no column of the page: it is the link's tooltip and a column
    # of the export.
    name = tables.Column(linkify=True, attrs={"a": {"title": _scale_code_hint}})
    code = tables.Column(visible=False)

    class Meta:
        model = StepScale
        fields = ["name", "code", "argument_label", "value_label"]
        order_by = ("name",)
