"""The one list base every listable page uses: table + filters + export, scoped rows.

A list view is a few declarative lines: ``model``, ``table_class``, ``filterset_class``
and the relations to fetch with the rows. Rows start from ``visible_to(user)``; export
(``?_export=xlsx|csv``) writes every filtered row. CSV is written for Russian Excel:
UTF-8 with BOM, semicolon-separated. No cell of an export is a formula
(:mod:`enterprise.spreadsheets`).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import EmptyPage
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin, TableExport
from tablib import Dataset

from . import numbers
from .spreadsheets import safe_row, workbook_bytes

MAX_PAGE = 100_000
"""The last page number a list serves; past it the first page is shown (a number beyond
``bigint`` as ``?page=`` would otherwise reach the database as an ``OFFSET``)."""
MAX_PER_PAGE = 500
PER_PAGE = 50


class PlantPaginator(LazyPaginator):
    """Every list's paginator: the page number and the page size are checked before a
    query is built. ``?page=abc``, a negative or a huge page, ``?per_page=`` of zero or
    of billions: the first page (``RequestConfig`` turns ``EmptyPage`` and
    ``PageNotAnInteger`` into it) at a page size of 1 to :data:`MAX_PER_PAGE`."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE
        per_page = min(max(per_page, 1), MAX_PER_PAGE)
        super().__init__(object_list, per_page, *args, **kwargs)

    def validate_number(self, number):
        if isinstance(number, str) and len(number) > 12:
            raise EmptyPage(_("Нет такой страницы."))
        number = super().validate_number(number)
        if number > MAX_PAGE:
            raise EmptyPage(_("Нет такой страницы."))
        return number


def paginate(request, table, per_page: int = PER_PAGE):
    """Paginate a table outside a list view (a detail page's rows) like the lists do."""
    RequestConfig(
        request, paginate={"per_page": per_page, "paginator_class": PlantPaginator}
    ).configure(table)
    return table


class PlantTableExport(TableExport):
    """XLSX with typed cells, CSV for Russian Excel; no cell is a formula.

    XLSX: a figure is a number cell with its places as the format (``#,##0.00``, shown
    «1 234,50» by a Russian Excel), a date a date cell (``DD.MM.YYYY``), text is text; the
    sheet is named as the page is (not title-cased). CSV: ``;``-separated, UTF-8 with a
    BOM, decimal comma, dates dd.mm.yyyy (:func:`enterprise.numbers.csv_cell`).
    """

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        kwargs = {"title": default_title(table)}
        kwargs.update(dataset_kwargs or {})
        dataset = Dataset(**kwargs)
        rows = table_values(table, exclude_columns)
        headers = next(rows)
        dataset.headers = safe_row(headers) if headers else None
        for row in rows:
            dataset.append(safe_row(row))
        return dataset

    def export(self):
        if self.format == self.CSV:
            return "\ufeff" + self.csv_dataset().export("csv", delimiter=";")
        if self.format == self.XLSX:
            return workbook_bytes(self.dataset)
        return self.dataset.export(self.format)

    def csv_dataset(self):
        rows = type(self.dataset)(title=self.dataset.title)
        rows.headers = self.dataset.headers
        for row in self.dataset:
            rows.append([numbers.csv_cell(value) for value in row])
        return rows

    def response(self, filename=None):
        response = HttpResponse(content_type=self.content_type())
        if self.format == self.CSV:
            response["Content-Type"] = "text/csv; charset=utf-8"
        if filename is not None:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write(self.export())
        return response


def table_values(table, exclude_columns=None):
    """``table.as_values(exclude_columns)``: the header row, then each record's export values.

    A table whose ``export_records()`` gives its records' export values by column name (a
    ``values_list`` query, say) is read through it: django-tables2 reads every cell of every
    row through the column machinery (an accessor resolved twice, a model field looked up, a
    method called with the arguments it takes), 0.8 s for the plant's 7,000 workers. Such a
    table gives the values ``as_values`` gives, the same ``None`` for an empty one
    (``tests/enterprise/test_exports.py`` holds each to it); ``export_records()`` returns
    None where it cannot (rows not from a queryset), and the table is read cell by cell."""
    records = getattr(table, "export_records", None)
    records = records() if records is not None else None
    if records is None:
        yield from table.as_values(exclude_columns=exclude_columns)
        return
    excluded = exclude_columns or ()
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in excluded)
    ]
    yield [force_str(column.header, strings_only=True) for column in columns]
    names = [column.name for column in columns]
    for record in records:
        yield [record[name] for name in names]


def default_title(table) -> str:
    """The sheet's name: the model's plural as written («Личные планы», not title-cased)."""
    try:
        return capfirst(str(table.Meta.model._meta.verbose_name_plural))
    except AttributeError:
        return str(_("Выгрузка"))


class ScopedListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    model = None
    select_related: tuple[str, ...] = ()
    template_name = "enterprise/list.html"
    # The table paginates (once); ``paginate_by`` would have the list view paginate the
    # same rows again (a query more, and a 404 for a page the table shows as the first).
    paginate_by = None
    table_pagination = {"per_page": PER_PAGE}
    paginator_class = PlantPaginator
    export_class = PlantTableExport
    export_formats = ("xlsx", "csv")
    title = ""
    create_url = None
    # What the page says when it has no rows and no filter is set (with a filter set, it
    # asks to change the filter instead).
    empty_text = _("Здесь пока ничего нет.")

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def get_dataset_kwargs(self):
        return {"title": str(self.title)} if self.title else None

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["export_formats"] = self.export_formats
        context["create_url"] = self.get_create_url()
        context["filtered"] = self.is_filtered()
        context["empty_text"] = self.empty_text
        return context

    def is_filtered(self) -> bool:
        """Does the request set any of the filters (paging, sorting and export do not)?"""
        filterset = getattr(self, "filterset", None)
        if filterset is None:
            return False
        names = set(filterset.filters)
        return any(value.strip() for name in names for value in self.request.GET.getlist(name))

    def get_create_url(self):
        return self.create_url
