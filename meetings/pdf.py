"""The statistics of meetings and proposals as a PDF: one template, rendered from the
:class:`~meetings.selectors.Statistics` loaded before, its charts the same SVG as the
page's. The PDF code runs no queries."""

from __future__ import annotations

from enterprise.pdf import render_pdf

from .selectors import Statistics
from .statistics import age_label, charts, outcome_rows

TEMPLATE = "meetings/pdf/statistics.html"
STYLESHEETS = ("css/pdf.css",)


def render_statistics(stats: Statistics) -> bytes:
    return render_pdf(
        TEMPLATE,
        {
            "stats": stats,
            "charts": charts(stats),
            "outcomes": outcome_rows(stats),
            "ageing": [(age_label(bucket), bucket.count) for bucket in stats.ageing],
        },
        STYLESHEETS,
    )
