"""The one list base every listable page uses: table + filters + export, scoped rows.

A list view is a few declarative lines: ``model``, ``table_class``, ``filterset_class``
and the relations to fetch with the rows. Rows start from ``visible_to(user)``; export
(``?_export=xlsx|csv``) writes every filtered row. CSV is written for Russian Excel:
UTF-8 with BOM, semicolon-separated. No cell of an export is a formula
(:mod:`enterprise.spreadsheets`).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin
from django_tables2.export import ExportMixin, TableExport

from .spreadsheets import safe_row


class PlantTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        escaped = type(dataset)(title=dataset.title)
        escaped.headers = safe_row(dataset.headers) if dataset.headers else None
        for row in dataset:
            escaped.append(safe_row(row))
        return escaped

    def export(self):
        if self.format == self.CSV:
            return "\ufeff" + self.dataset.export("csv", delimiter=";")
        return self.dataset.export(self.format)

    def response(self, filename=None):
        response = HttpResponse(content_type=self.content_type())
        if self.format == self.CSV:
            response["Content-Type"] = "text/csv; charset=utf-8"
        if filename is not None:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write(self.export())
        return response


class ScopedListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    model = None
    select_related: tuple[str, ...] = ()
    template_name = "enterprise/list.html"
    paginate_by = 50
    paginator_class = LazyPaginator
    export_class = PlantTableExport
    export_formats = ("xlsx", "csv")
    title = ""
    create_url = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["export_formats"] = self.export_formats
        context["create_url"] = self.get_create_url()
        return context

    def get_create_url(self):
        return self.create_url
