"""The printed result of a section's month: «Итоги хозрасчёта участка за <месяц год>».

One template (``templates/khozraschet/pdf/section_month.html``) rendered from a
:class:`~khozraschet.selectors.results.SectionMonthPage` loaded before, its charts the
same SVG as the page's: the PDF code runs no queries.
"""

from __future__ import annotations

from enterprise.pdf import render_pdf

TEMPLATE = "khozraschet/pdf/section_month.html"
STYLESHEETS = ("css/pdf.css",)


def section_month_pdf(page) -> bytes:
    """The section's month with its result, signature lines and who computed it."""
    return render_pdf(
        TEMPLATE,
        {
            "page": page,
            "section": page.section,
            "period": page.period,
            "result": page.result,
            "d": page.details,
            "charts": page.charts,
            "signatories": page.signatories,
        },
        STYLESHEETS,
    )
