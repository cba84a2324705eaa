"""The distribution sheet as a PDF: one template, rendered from the selector's :class:`Sheet`.

The PDF code runs no queries: everything it shows comes from ``selectors.sheet``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from enterprise.rules import month_bounds

from .models import Brigade
from .selectors import Sheet

COUNCIL_BLANK_LINES = 3
TEMPLATE = "brigades/pdf/sheet.html"
STYLESHEET = "css/pdf.css"


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _url_fetcher():
    """Fetches nothing: the sheet has no images or links (and one fetcher is built once)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=())


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(
        filename=finders.find(STYLESHEET), font_config=_font_config(), url_fetcher=_url_fetcher()
    )


def render_sheet(sheet: Sheet) -> bytes:
    """The distribution sheet as PDF bytes, in the active language (Russian by default)."""
    from weasyprint import HTML

    first, last = month_bounds(sheet.period.year, sheet.period.month)
    columns = 15 if sheet.distribution.method == Brigade.Method.OUTPUT else 14
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
        "printed_at": timezone.localtime(),
    }
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(TEMPLATE, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())
