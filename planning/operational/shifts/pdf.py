"""The day's output report of a section as a PDF (A4): one template, rendered from
:func:`planning.operational.shifts.selectors.day_report`'s report.

The PDF code runs no queries: everything it shows is loaded by the selector.
"""

from __future__ import annotations

from django.utils import timezone

from enterprise.pdf import render_pdf

TEMPLATE = "planning/pdf/shift_report.html"
STYLESHEET = "css/pdf.css"


def day_report_pdf(context: dict) -> bytes:
    """The report of ``context`` (the page's: the task and its day's report) as PDF bytes."""
    return render_pdf(TEMPLATE, {**context, "printed_at": timezone.localtime()}, (STYLESHEET,))
