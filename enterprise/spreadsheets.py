"""Cells written into an exported spreadsheet (XLSX or CSV) are never formulas.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by
a spreadsheet program for a formula (OWASP «CSV injection»): a brigade named
``=HYPERLINK("http://…","click")`` would be a live link in the plant's Excel. Every
export passes its cells through :func:`safe_cell`, which puts a single quote before such
a text. Numbers stay numbers: a real number (``-5``, ``Decimal("-1234.50")``) is not
text, and a text that is only a number («-1 234,50») is left as it is, as no program
reads a formula in it.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from . import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?%?")


def safe_cell(value):
    """``value``, with ``'`` put before a text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def sheet_title(title: str) -> str:
    """A sheet's name as Excel takes it: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("-" if char in "[]:*?/\\" else char for char in str(title))
    return cleaned[:31] or "Sheet"


def typed_cell(cell, value) -> None:
    """Put ``value`` in an openpyxl ``cell`` as a typed cell: a number with its places as
    the format, a date (time) as one, anything else as it is."""
    cell.value = value
    if isinstance(value, bool):
        return
    if isinstance(value, datetime.datetime):
        cell.number_format = numbers.DATETIME_FORMAT_EXCEL
    elif isinstance(value, datetime.date):
        cell.number_format = numbers.DATE_FORMAT_EXCEL
    elif isinstance(value, Decimal | int | float):
        cell.number_format = numbers.excel_number_format(value)


def workbook_bytes(dataset) -> bytes:
    """A tablib ``dataset`` as an XLSX of typed cells (see :func:`typed_cell`): headers in
    bold and frozen, the sheet named as written, columns wide enough for their text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(dataset.title or "")
    widths: dict[int, int] = {}
    if dataset.headers:
        sheet.append(list(dataset.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for row_index, row in enumerate(dataset, start=sheet.max_row + 1 if dataset.headers else 1):
        for column_index, value in enumerate(row, start=1):
            typed_cell(sheet.cell(row=row_index, column=column_index), value)
            widths[column_index] = max(widths.get(column_index, 8), min(len(str(value)) + 2, 60))
    for column_index, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_index)].width = width
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
