"""No exported cell is a formula (OWASP «CSV injection», issue 11)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from enterprise.spreadsheets import safe_cell, safe_row
from tests.brigades.test_reports import LINK


@pytest.mark.parametrize(
    "text",
    [LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "-", "+7 (495) x"],
)
def test_a_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-5, Decimal("-1234.50"), -0.5, 0, None, "", "Бригада № 18", " =1+1", "-12", "-1 234,50",
     "+5", "-12,5%"],
)  # fmt: skip
def test_numbers_and_harmless_texts_are_left_as_they_are(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_safe_row_escapes_each_cell():
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


def test_the_measures_summary_and_bonuses_exports_write_no_formula(world):
    from planning.measures import xlsx

    class Unit:
        label = "=1+1"

    class Figures:
        reduction = Decimal("-10")
        released = Decimal("-1")
        growth = Decimal("-2.5")

    class Summary:
        unit = Unit()
        year = 2026
        headcount = 5
        groups = [type("G", (), {"label": "@bad", "figures": Figures(), "factors": []})()]
        figures = Figures()

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.summary_xlsx(Summary()))).active
    values = [[cell for cell in row] for row in sheet.iter_rows()]
    group = next(row for row in values if row[0].value == "'@bad")
    assert group[0].data_type == "s"
    assert [cell.value for cell in group[3:]] == [-10, -1, -2.5]  # numbers, not escaped
    assert all(cell.data_type != "f" for row in values for cell in row)


# --- the sheet written as text is openpyxl's workbook, cell for cell ---------------------------


def _read(content: bytes) -> dict:
    """What a reader sees of a workbook: every cell's value, type, format and boldness, the
    sheet's name, frozen pane and column widths."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    return {
        "sheets": book.sheetnames,
        "title": sheet.title,
        "frozen": sheet.freeze_panes,
        "size": (sheet.max_row, sheet.max_column),
        "widths": {k: d.width for k, d in sheet.column_dimensions.items() if d.customWidth},
        "cells": [
            [(c.value, c.data_type, c.number_format, bool(c.font.b)) for c in row]
            for row in sheet.iter_rows()
        ],
    }


def _dataset(title, headers, rows):
    import tablib

    dataset = tablib.Dataset(title=title)
    if headers is not None:
        dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


_MIXED_ROWS = [
    ["Цех № 1 «Литейный»", 7, Decimal("717.40"), Decimal("-302755.71"), 0.125],
    ["  A & B <c> ", -5, Decimal("6.3"), Decimal("0"), 1e20],
    [" ", 0, Decimal("12345678901234567890.123"), Decimal("-0.000"), -0.1],
    ["#N/A", True, False, None, ""],
    ["x" * 40_000, 10**18, Decimal(5), None, "'=1+1"],
    [datetime.date(1899, 12, 31), datetime.date(1900, 2, 28), datetime.date(2024, 9, 25),
     datetime.datetime(2026, 12, 5, 14, 5, 30), datetime.datetime(1900, 3, 1)],
    [None, None, None, None, None],
]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "headers", "rows"),
    [
        ("Рабочие", ["Табельный номер", "Ф. И. О.", "Сумма", "Рост", None], _MIXED_ROWS),
        ("Сравнение [бригад]: 2026/12 * очень длинное название", None, _MIXED_ROWS),
        ("", ["Пусто", "#REF!"], []),
        ('A "quoted" & <sheet>', [], [[1, "x"]]),
    ],
)
def test_the_sheet_written_as_text_reads_as_openpyxls(title, headers, rows):
    from enterprise.spreadsheets import openpyxl_workbook_bytes, workbook_bytes

    dataset = _dataset(title, headers, rows)
    assert _read(workbook_bytes(dataset)) == _read(openpyxl_workbook_bytes(dataset))


@pytest.mark.parametrize(
    "value",
    [
        datetime.time(14, 5),
        datetime.timedelta(hours=3),
        datetime.datetime(2026, 12, 5, 14, 5, tzinfo=datetime.UTC),
        "bell\x07",
        "=1+1",
        Decimal("NaN"),
        float("inf"),
    ],
)
# openpyxl leaves its archive open when a moment with a zone stops its save (the refusal the
# export shares): the archive's later clean-up is no failure of this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_cell_the_text_writer_does_not_know_leaves_the_sheet_to_openpyxl(value):
    from enterprise.spreadsheets import (
        SheetWriter,
        Unwritable,
        openpyxl_workbook_bytes,
        workbook_bytes,
    )

    dataset = _dataset("x", ["a", "b"], [["row", value]])
    with pytest.raises(Unwritable):
        SheetWriter(dataset).sheet_xml()
    try:
        expected = _read(openpyxl_workbook_bytes(dataset))
    except Exception as error:  # openpyxl refuses it: so does the export, the same way
        with pytest.raises(type(error)):
            workbook_bytes(dataset)
    else:
        assert _read(workbook_bytes(dataset)) == expected


_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
)


@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=6))
def test_any_sheet_written_as_text_reads_as_openpyxls(rows):
    from enterprise.spreadsheets import openpyxl_workbook_bytes, workbook_bytes

    dataset = _dataset("Лист", ["a", "b", "c"], rows)
    try:
        expected = _read(openpyxl_workbook_bytes(dataset))
    except Exception as error:
        with pytest.raises(type(error)):
            workbook_bytes(dataset)
    else:
        assert _read(workbook_bytes(dataset)) == expected
