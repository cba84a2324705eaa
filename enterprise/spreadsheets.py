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

import re
from collections.abc import Iterable

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
