"""The plan sheet (table 24) as PDF: one template, rendered from :mod:`planning.sheets` data.

One sheet or many in one document — a batch renders its chunk of sheets as one document
(WeasyPrint lays many sheets out faster than one document each), each sheet on a new
page with its own page numbers. The PDF code runs no queries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils import timezone

from enterprise.pdf import html_to_pdf, render_html

from .sheets import PlanSheet

TEMPLATE = "planning/pdf/sheet.html"
STYLESHEETS = ("css/pdf-planning.css",)
# The label ⇥ value rows: their value follows the tab in the same run of text, drawn where
# the layout puts it (enterprise.pdf.html_to_pdf's exact_tabs).
ROW_CLASS = "row"

# A line break between two block tags: the template's layout, which WeasyPrint would
# turn into a text box and an anonymous box before dropping them (~0.6 % of a sheet's
# instructions). Not after an inline tag: ``</span>\n<small>`` breaks a ``pre`` line.
_BLOCK_GAP = re.compile(
    r"(</p>|</div>|</h1>|</h2>|</section>|<(?:div|section|body)\b[^>]*>)\n+(?=<)"
)


def sheets_html(sheets: Sequence[PlanSheet]) -> str:
    """The HTML of a document of ``sheets`` (in the active language)."""
    year = sheets[0].year if sheets else None
    html = render_html(
        TEMPLATE, {"sheets": sheets, "year": year, "printed_at": timezone.localtime()}
    )
    return _BLOCK_GAP.sub(r"\1", html)


def html_pdf(html: str) -> bytes:
    """The HTML of :func:`sheets_html` as PDF bytes: the sheets' stylesheet and the lean
    user-agent one (the sheets have no lists, footnotes or forms)."""
    return html_to_pdf(html, STYLESHEETS, lean=True, exact_tabs=ROW_CLASS)


def render_sheets(sheets: Sequence[PlanSheet]) -> bytes:
    """Many sheets in one PDF, each starting a new page numbered from 1."""
    if not sheets:
        raise ValueError("no sheets to render")
    return html_pdf(sheets_html(sheets))


def render_sheet(sheet: PlanSheet) -> bytes:
    """One worker's sheet as PDF bytes."""
    return render_sheets([sheet])
