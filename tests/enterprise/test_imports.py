"""The shared reader of imported tables stops at its limits as it reads (issue 11).

The hostile files are written as raw XML into a zip (``tests.hostile``), so a sheet of
three million rows costs a few hundred kilobytes here; how long the old reader took on
them is in the issue's closing note, not in a timed test.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enterprise import imports
from planning.tracking import imports as output_imports
from tests.hostile import (
    cellless_rows_xlsx,
    dense_blank_rows_xlsx,
    numbered_rows_xlsx,
    sparse_rows_xlsx,
    workbook,
)


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_of_three_million_blank_rows_is_refused_by_its_unpacked_size():
    content = dense_blank_rows_xlsx(3_000_000)
    assert len(content) < 600 * 1024  # the file: 453 KiB
    with pytest.raises(imports.TableFileError) as caught:
        imports.read_table(content, "output.xlsx", max_rows=5000)
    assert str(caught.value).startswith("Файл XLSX в распакованном виде больше 30 МБ")


def test_a_sparse_workbook_claiming_three_million_rows_is_refused_at_the_blank_row_limit():
    content = sparse_rows_xlsx(3_000_000)
    assert len(content) < 100 * 1024
    with pytest.raises(imports.TableFileError) as caught:
        imports.read_table(content, "output.xlsx", max_rows=5000)
    assert str(caught.value).startswith("В файле больше 10000 пустых строк")


def test_blank_rows_within_the_unpacked_limit_are_counted_as_they_are_read():
    content = dense_blank_rows_xlsx(12_000)
    with pytest.raises(imports.TableFileError, match="больше 10000 пустых строк"):
        imports.read_table(content, "output.xlsx", max_rows=5000)
    # under the limit they are skipped
    assert imports.read_table(dense_blank_rows_xlsx(9_000), "output.xlsx", max_rows=5) == []


def test_a_sheet_of_a_million_cell_less_rows_is_refused_before_it_is_parsed():
    """4.5 million ``<row/>`` fit under the unpacked limit and took openpyxl 5 s and
    545 MiB (the replayed attacks); the rows are counted in the XML first."""
    content = cellless_rows_xlsx(1_000_000)
    assert len(content) < 100_000
    with pytest.raises(imports.TableFileError) as caught:
        imports.read_table(content, "output.xlsx", max_rows=5000)
    assert str(caught.value) == "В файле больше 5000 строк: разделите его на части."
    # rows within the limits are still read (and, blank, skipped)
    assert imports.read_table(cellless_rows_xlsx(9_000), "output.xlsx", max_rows=5) == []


def test_reading_stops_at_the_row_over_the_limit():
    with pytest.raises(imports.TableFileError) as caught:
        imports.read_table(numbered_rows_xlsx(100_000), "output.xlsx", max_rows=5000)
    assert str(caught.value) == "В файле больше 5000 строк: разделите его на части."
    # the limit plus one header row is still read (the caller tells a header from data)
    rows = imports.read_table(numbered_rows_xlsx(5001), "output.xlsx", max_rows=5000)
    assert len(rows) == 5001 and rows[0][:4] == [1001, "10.2026", 100, 160]


def test_the_output_import_refuses_the_hostile_workbook_with_the_limit_named(world):
    client = Client()
    client.force_login(world.users["master"])
    upload = SimpleUploadedFile("output.xlsx", numbered_rows_xlsx(6000))
    response = client.post(reverse("planning:output_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "В файле больше 5000 строк: разделите его на части."
    ]
    assert response.context["preview"] is None
    upload = SimpleUploadedFile("output.xlsx", dense_blank_rows_xlsx(3_000_000))
    response = client.post(reverse("planning:output_import"), {"file": upload})
    assert "распакованном виде больше 30 МБ" in response.context["form"].errors["file"][0]


def test_a_headerless_file_of_one_row_over_the_limit_is_refused_by_the_import():
    rows = output_imports.read_table(numbered_rows_xlsx(5001), "output.xlsx")
    assert len(rows) == 5001
    with pytest.raises(output_imports.ImportFileError, match="больше 5000 строк"):
        output_imports.import_preview(rows=rows, enterprise_id=0, month=None, user=None)


def test_the_dimension_a_file_claims_is_ignored():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="C{n}"><v>7</v></c></row>' for n in (1, 2, 5)
    )
    content = workbook([rows], dimension="A1")  # claims one row, one column
    assert imports.read_table(content, "x.xlsx", max_rows=10) == [
        [1, None, 7],
        [2, None, 7],
        [5, None, 7],
    ]


def test_only_the_first_columns_are_read():
    content = _xlsx([list(range(1, 101))])
    (row,) = imports.read_table(content, "x.xlsx", max_rows=10)
    assert row == list(range(1, imports.MAX_COLUMNS + 1))
    (row,) = imports.read_table(";".join(map(str, range(100))).encode(), "x.csv", max_rows=10)
    assert len(row) == imports.MAX_COLUMNS


def test_a_broken_or_foreign_file_is_refused_with_a_message():
    for content in (b"not a zip", b"PK\x03\x04broken"):
        with pytest.raises(imports.TableFileError, match=r"Не удалось прочитать файл XLSX\."):
            imports.read_table(content, "x.xlsx", max_rows=10)
    with pytest.raises(imports.TableFileError, match=r"Нужен файл XLSX или CSV\."):
        imports.read_table(b"1;2", "x.txt", max_rows=10)


def test_csv_is_read_line_by_line_within_the_limits():
    text = "Таб;Выработка\n" + "".join(f"{n};1\n\n" for n in range(1, 5001))
    rows = imports.read_table(text.encode("cp1251"), "x.csv", max_rows=5000)
    assert len(rows) == 5001 and rows[1] == ["1", "1"]
    with pytest.raises(imports.TableFileError, match="больше 5000 строк"):
        imports.read_table((text + "5001;1\n").encode(), "x.csv", max_rows=5000)
    with pytest.raises(imports.TableFileError, match="больше 10000 пустых строк"):
        imports.read_table(("1;2\n" + ";\n" * 10_001).encode(), "x.csv", max_rows=5000)


def test_a_csv_line_or_quoted_value_past_the_length_limit_is_refused():
    long_line = "1;" + "x" * 5000 + "\n"
    with pytest.raises(imports.TableFileError, match="длиннее 4096 знаков"):
        imports.read_table(long_line.encode(), "x.csv", max_rows=10)
    many_lines = '1;"' + "x\n" * 3000 + '"\n'
    with pytest.raises(imports.TableFileError, match="длиннее 4096 знаков"):
        imports.read_table(many_lines.encode(), "x.csv", max_rows=10)
