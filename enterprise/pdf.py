"""Printed documents of every app: one HTML template + cached stylesheets → PDF bytes.

WeasyPrint's costly pieces are built once per process and reused: the font
configuration, the parsed stylesheets, and a URL fetcher that fetches nothing (the
documents have no images or links; building a fetcher with SSL support costs ~140 ms a
render). The callers load their data before: the PDF code runs no queries.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation


@functools.cache
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def url_fetcher():
    """Fetches nothing: the documents have no images or links."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=())


@functools.cache
def stylesheets(names: tuple[str, ...]) -> list:
    """The parsed static stylesheets ``names`` (e.g. ``("css/pdf.css",)``), parsed once."""
    from weasyprint import CSS

    return [
        CSS(filename=finders.find(name), font_config=font_config(), url_fetcher=url_fetcher())
        for name in names
    ]


# The rules of WeasyPrint's html5_ua.css that match every element (``::marker`` and the
# footnote and note pseudo-elements) and its @counter-style rules (the document gets the
# counter styles from WeasyPrint either way).
_UNIVERSAL_PSEUDO = re.compile(
    r"^(?:::(?:marker|footnote-call|footnote-marker|note-call|note-marker|note-callback)"
    r"|@counter-style) .*$",
    re.MULTILINE,
)


def lean_ua_text() -> str:
    """WeasyPrint's html5_ua.css without its universal pseudo-element rules and its
    @counter-style rules, with ``li::marker`` kept (a list keeps its markers' style)."""
    from weasyprint.html import UA

    text = _UNIVERSAL_PSEUDO.sub("", UA)
    text += "\nli::marker { font-variant-numeric: tabular-nums; white-space: pre; "
    text += "text-transform: none }\n"
    return text


@functools.cache
def lean_ua_stylesheet():
    """The parsed :func:`lean_ua_text`, parsed once.

    For documents without lists, footnotes or notes, it styles every element as the full
    one does, and spares WeasyPrint six computed pseudo-element styles per element (about
    a tenth of a plan sheet's CPU time).
    """
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    return CSS(string=lean_ua_text(), counter_style=CounterStyle())


@functools.cache
def _lean_html_class():
    from weasyprint import HTML

    class LeanHTML(HTML):
        """An HTML document styled with :func:`lean_ua_stylesheet`."""

        def _ua_stylesheets(self, forms=False):
            return [lean_ua_stylesheet()]

    return LeanHTML


def render_html(template: str, context: dict) -> str:
    """The document's HTML in the active language (Russian by default)."""
    context.setdefault("printed_at", timezone.localtime())
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def html_to_pdf(html: str, styles: tuple[str, ...], *, lean: bool = False) -> bytes:
    """``html`` with the static stylesheets ``styles`` as PDF bytes; ``lean``: with the
    lean user-agent stylesheet (documents with no lists, footnotes or forms)."""
    from weasyprint import HTML

    document_class = _lean_html_class() if lean else HTML
    document = document_class(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()
    )
    return document.write_pdf(stylesheets=stylesheets(styles), font_config=font_config())


def render_pdf(template: str, context: dict, styles: tuple[str, ...]) -> bytes:
    """``template`` rendered with ``context`` and ``styles`` as PDF bytes."""
    return html_to_pdf(render_html(template, context), styles)
