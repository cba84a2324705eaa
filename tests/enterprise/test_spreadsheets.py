"""No exported cell is a formula (OWASP «CSV injection», issue 11)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

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
