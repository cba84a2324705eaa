"""Exports of the lists: typed XLSX cells, CSV for Russian Excel, sheets named as written."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprise.columns import DateColumn, NumberColumn
from enterprise.lists import PlantTableExport
from enterprise.models import Worker
from enterprise.models.roles import Role


class FiguresTable(tables.Table):
    name = tables.Column(verbose_name="Название")
    amount = NumberColumn(verbose_name="Сумма, руб.", places=2)
    count = NumberColumn(verbose_name="Штук", places=0)
    growth = NumberColumn(verbose_name="Рост, %", places=3, plain=True)
    day = DateColumn(verbose_name="Дата")


ROWS = [
    {"name": "=1+1", "amount": Decimal("717.400000000000"), "count": 7,
     "growth": Decimal("6.300"), "day": datetime.date(2024, 9, 25)},
    {"name": "Цех 2", "amount": Decimal("-302755.705"), "count": 12,
     "growth": Decimal("-0.125"), "day": datetime.date(2026, 12, 11)},
]  # fmt: skip


def test_a_table_exports_numbers_and_dates_as_typed_cells():
    content = PlantTableExport(
        "xlsx", FiguresTable(ROWS), dataset_kwargs={"title": "Личные планы"}
    ).export()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Личные планы"
    header = [cell.value for cell in sheet[1]]
    assert header == ["Название", "Сумма, руб.", "Штук", "Рост, %", "Дата"]
    name, amount, count, growth, day = sheet[2]
    assert (name.data_type, name.value) == ("s", "'=1+1")
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 717.4, "#,##0.00")
    assert (count.data_type, count.value, count.number_format) == ("n", 7, "#,##0")
    assert (growth.value, growth.number_format) == (6.3, "#,##0.0")
    assert day.is_date and day.value == datetime.datetime(2024, 9, 25)
    assert day.number_format == "DD.MM.YYYY"
    second = sheet[3]
    assert second[1].value == -302755.71  # half-up at the page's two places
    assert second[3].value == -0.125


def test_a_table_exports_csv_for_russian_excel():
    content = PlantTableExport("csv", FiguresTable(ROWS), dataset_kwargs={"title": "x"}).export()
    raw = content.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert content.splitlines()[1:] == [
        "'=1+1;717,40;7;6,3;25.09.2024",
        "Цех 2;-302755,71;12;-0,125;11.12.2026",
    ]


def test_the_worker_list_exports_its_sheet_named_as_written_with_date_cells(client, world):
    user = world.users[Role.LABOUR]
    client.force_login(user)
    response = client.get(reverse("enterprise:worker_list") + "?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Рабочие"  # the page's title
    header = [cell.value for cell in sheet[1]]
    hired = header.index("Дата приёма")
    grade = header.index("Разряд")
    first = sheet[2]
    worker = Worker.objects.visible_to(user).get(personnel_number=first[0].value)
    assert first[hired].is_date and first[hired].value.date() == worker.hire_date
    assert first[grade].data_type == "n" and first[grade].value == worker.grade

    export = client.get(reverse("enterprise:worker_list") + "?_export=csv")
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    line = next(row for row in rows[1:] if row[0] == worker.personnel_number)
    assert line[hired] == worker.hire_date.strftime("%d.%m.%Y")


def test_a_sheet_without_a_title_is_named_by_the_model_as_written():
    from enterprise.lists import default_title
    from planning.plans.tables import PlanTable

    assert default_title(PlanTable([])) == "Личные планы"  # not «Личные Планы»


# --- a table read through its export_records() exports what as_values() gives ------------------


@pytest.mark.parametrize(
    "sort",
    [
        None,
        "personnel_number",
        "-personnel_number",
        "full_name",
        "-full_name",
        "profession",
        "grade",
        "-shop",
        "section",
        "-hire_date",
    ],
)
@pytest.mark.parametrize("exclude", [(), ("shop", "section")])
def test_the_worker_table_exports_by_values_what_its_columns_give(world, sort, exclude):
    from django.test import RequestFactory
    from django_tables2 import RequestConfig

    from enterprise import selectors
    from enterprise.lists import table_values
    from enterprise.tables import WorkerTable
    from tests.factories import WorkerFactory

    user = world.users[Role.LABOUR]
    section = world.units["A2"]
    WorkerFactory(section=section, last_name="Иванов", first_name="Пётр", middle_name="")
    WorkerFactory(section=section, last_name="Иванов", first_name="Пётр", middle_name="Ильич")
    WorkerFactory(section=section, last_name="Ёлкина", first_name="Анна", grade=6)

    def table():
        made = WorkerTable(selectors.workers_for(user), exclude=exclude)
        request = RequestFactory().get("/", {"sort": sort} if sort else {})
        RequestConfig(request, paginate=False).configure(made)
        return made

    generic = list(table().as_values())
    by_values = list(table_values(table()))
    assert table().export_records() is not None  # the values path is the one tested
    assert by_values[0] == generic[0]
    assert len(by_values) == len(generic) > 6
    if sort in (None, "personnel_number", "-personnel_number"):
        assert by_values == generic  # a unique order: row for row
    else:  # equal keys come in no set order: the same rows, each key in the same place
        assert sorted(map(repr, by_values)) == sorted(map(repr, generic))
        names = [column.name for column in table().columns]
        if sort.lstrip("-") in names:
            key = names.index(sort.lstrip("-"))
            assert [row[key] for row in by_values] == [row[key] for row in generic]


def test_a_table_of_rows_not_from_a_queryset_is_read_cell_by_cell(world):
    from enterprise.lists import table_values
    from enterprise.tables import WorkerTable

    workers = list(Worker.objects.select_related("profession", "section__shop")[:3])
    table = WorkerTable(workers)
    assert table.export_records() is None
    assert list(table_values(table)) == list(table.as_values())
