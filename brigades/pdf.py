"""The distribution sheet as a PDF: one template, rendered from the selector's :class:`Sheet`.

The PDF code runs no queries: everything it shows comes from ``selectors.sheet``.
"""

from __future__ import annotations

from django.utils import timezone

from enterprise.pdf import render_pdf
from enterprise.rules import month_bounds

from .models import Brigade
from .selectors import Sheet

COUNCIL_BLANK_LINES = 3
TEMPLATE = "brigades/pdf/sheet.html"
STYLESHEET = "css/pdf.css"


def render_sheet(sheet: Sheet) -> bytes:
    """The distribution sheet as PDF bytes, in the active language (Russian by default)."""
    first, last = month_bounds(sheet.period.year, sheet.period.month)
    columns = 15 if sheet.distribution.method == Brigade.Method.OUTPUT else 14
    paid_surcharge = bool(sheet.totals.get("surcharge"))
    columns += paid_surcharge
    context = {
        "sheet": sheet,
        "distribution": sheet.distribution,
        # A line of part of the month (joined, left, changed grade) shows its dates.
        "rows": [
            (row, (row.line.date_from, row.line.date_to) != (first, last)) for row in sheet.rows
        ],
        "pay_grades_differ": any(row.line.pay_grade != row.line.grade for row in sheet.rows),
        "council_lines": sheet.council_names or [""] * COUNCIL_BLANK_LINES,
        "column_numbers": range(1, columns + 1),
        "paid_surcharge": paid_surcharge,
        "printed_at": timezone.localtime(),
    }
    return render_pdf(TEMPLATE, context, (STYLESHEET,))
