"""No exported cell is a formula (OWASP «CSV injection», issue 11)."""

from __future__ import annotations

import datetime
import io
import math
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


# --- the workbook (XlsxWriter) reads back as the cells it was given --------------------------


def _read(content: bytes) -> dict:
    """What a reader sees of a workbook: every cell's value, type, format and boldness, the
    sheet's name, frozen pane and each column's width."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.customWidth:
            for index in range(dimension.min, dimension.max + 1):
                widths[index] = dimension.width
    return {
        "sheets": book.sheetnames,
        "title": sheet.title,
        "frozen": sheet.freeze_panes,
        "size": (sheet.max_row, sheet.max_column),
        "widths": widths,
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


def _expected_cell(value):
    """(value, type, format, bold) of a data cell as openpyxl reads back ``value``."""
    from enterprise.numbers import DATE_FORMAT_EXCEL, DATETIME_FORMAT_EXCEL, excel_number_format

    if value is None or value == "":
        return (None, "n", "General", False)
    if isinstance(value, str):
        return (value[:32767], "s", "General", False)
    if isinstance(value, bool):
        return (value, "b", "General", False)
    if isinstance(value, datetime.datetime):
        return (value, "d", DATETIME_FORMAT_EXCEL, False)
    if isinstance(value, datetime.date):
        return (datetime.datetime.combine(value, datetime.time()), "d", DATE_FORMAT_EXCEL, False)
    return (value, "n", excel_number_format(value), False)


def _same_cell(read, expected) -> bool:
    (value, *rest), (wanted, *wanted_rest) = read, expected
    if rest != wanted_rest:
        return False
    if isinstance(wanted, datetime.datetime):  # a serial day: a moment to the millisecond
        return abs(value - wanted) < datetime.timedelta(milliseconds=1)
    if isinstance(wanted, int | float | Decimal) and not isinstance(wanted, bool):
        # a number as Excel keeps one: 15 significant digits at least
        return math.isclose(value, float(wanted), rel_tol=1e-15)
    return value == wanted and type(value) is type(wanted)


def _assert_reads_back(dataset) -> None:
    """The workbook of ``dataset`` reads back as its cells: a bold frozen header, each
    value with its type and Russian-read format, each column as wide as its widest text."""
    from enterprise.spreadsheets import _width, sheet_title, workbook_bytes

    read = _read(workbook_bytes(dataset))
    headers = list(dataset.headers or ())
    rows = [list(row) for row in dataset]
    expected_rows = [[_expected_cell(value) for value in row] for row in rows]
    if headers:
        expected_rows.insert(0, [(h, "s" if h else "n", "General", True) for h in headers])
    columns = max((len(row) for row in ([headers] if headers else []) + rows), default=0)
    # openpyxl reads a sheet to its last cell: a row or column of empty cells is not read
    cells = read.pop("cells")
    for row in expected_rows:
        row += [(None, "n", "General", False)] * (columns - len(row))
    while expected_rows and all(cell[0] is None and not cell[3] for cell in expected_rows[-1]):
        expected_rows.pop()
    width = max(
        (i + 1 for row in expected_rows for i, c in enumerate(row) if c[0] is not None or c[3]),
        default=1,
    )
    expected_rows = [row[:width] for row in expected_rows] or [[(None, "n", "General", False)]]
    assert len(cells) == len(expected_rows)
    for got, wanted in zip(cells, expected_rows, strict=True):
        assert len(got) == len(wanted)
        for cell, expected in zip(got, wanted, strict=True):
            assert _same_cell(cell, expected), (cell, expected)
    widths = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 8), _width(value))
    assert read == {
        "sheets": [sheet_title(dataset.title or "")],
        "title": sheet_title(dataset.title or ""),
        "frozen": "A2" if headers else None,
        "size": (len(expected_rows), width),
        "widths": {i: float(w) for i, w in widths.items()},  # as openpyxl stores them
    }


_MIXED_ROWS = [
    ["Цех № 1 «Литейный»", 7, Decimal("717.40"), Decimal("-302755.71"), 0.125],
    ["  A & B <c> ", -5, Decimal("6.3"), Decimal("0"), 1e20],
    [" ", 0, Decimal("123456789012.123"), Decimal("-0.000"), -0.1],
    ["#N/A", True, False, None, ""],
    ["x" * 40_000, 10**15, Decimal(5), None, "'=1+1"],
    ["=1+1", "=HYPERLINK(\"http://x\",\"click\")", "http://example.com", "1e5", "+7"],
    [datetime.date(1900, 3, 1), datetime.date(1970, 1, 1), datetime.date(2024, 9, 25),
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
        ("'Кавычки'", ["a"], [[Decimal("1.5")]]),
    ],
)
def test_the_workbook_reads_back_as_its_cells(title, headers, rows):
    _assert_reads_back(_dataset(title, headers, rows))


def test_a_text_like_a_formula_is_written_as_text():
    from enterprise.spreadsheets import workbook_bytes

    texts = ["=1+1", "=SUM(A1:A2)", "http://x.ru", "12"]
    dataset = _dataset("x", texts, [texts])
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(dataset))).active
    rows = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
    assert rows == [[(text, "s") for text in texts]] * 2
    assert not sheet._hyperlinks


def test_the_sheet_title_is_one_excel_takes():
    from enterprise.spreadsheets import sheet_title

    assert sheet_title("Сравнение [бригад]: 2026/12") == "Сравнение -бригад-- 2026-12"
    assert sheet_title("'Кавычки'") == "-Кавычки-"
    assert sheet_title("") == "Sheet"
    assert sheet_title("😀" * 20) == "😀" * 15  # 31 UTF-16 units at most


@pytest.mark.parametrize(
    "value",
    [
        datetime.time(14, 5),
        datetime.timedelta(hours=3),
        datetime.datetime(2026, 12, 5, 14, 5, tzinfo=datetime.UTC),
        object(),
    ],
)
def test_a_cell_of_a_type_no_export_gives_is_refused(value):
    from enterprise.spreadsheets import workbook_bytes

    with pytest.raises(TypeError):
        workbook_bytes(_dataset("x", ["a", "b"], [["row", value]]))


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), max_size=12
)
_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    _TEXT,
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
)


@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=6), _TEXT)
def test_any_sheet_reads_back_as_its_cells(rows, header):
    _assert_reads_back(_dataset("Лист", ["a", header or "b", "c"], rows))
