"""Exports of the lists: typed XLSX cells, CSV for Russian Excel, sheets named as written."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import django_tables2 as tables
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
