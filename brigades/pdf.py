"""The distribution sheet as a PDF: one template, rendered from the selector's :class:`Sheet`.

The PDF code runs no queries: everything it shows comes from ``selectors.sheet``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.pdf import SignatureTable, render_pdf
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
        "column_numbers": range(1, columns + 1),
        "paid_surcharge": paid_surcharge,
        "signature_tables": _signatures(sheet),
        "printed_at": timezone.localtime(),
    }
    return render_pdf(TEMPLATE, context, (STYLESHEET,))


def _signatures(sheet: Sheet) -> list[SignatureTable]:
    """The brigade signs (the leader, the council's members or blank lines for them), then
    those who check and approve the sheet."""
    return [
        SignatureTable(
            [(_("Бригадир"), sheet.leader_name)],
            group=_("Члены совета бригады"),
            group_names=sheet.council_names or [""] * COUNCIL_BLANK_LINES,
        ),
        SignatureTable(
            [
                (_("Мастер (начальник участка)"), sheet.master_name),
                (_("Начальник цеха"), sheet.shop_head_name),
                (_("Председатель профкома цеха"), ""),
            ]
        ),
    ]
