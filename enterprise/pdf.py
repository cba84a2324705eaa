"""Printed documents of every app: one HTML template + cached stylesheets → PDF bytes.

WeasyPrint's costly pieces are built once per process and reused: the font
configuration, the parsed stylesheets, and a URL fetcher that fetches nothing (the
documents have no images or links; building a fetcher with SSL support costs ~140 ms a
render). The callers load their data before: the PDF code runs no queries.
"""

from __future__ import annotations

import functools

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


def render_html(template: str, context: dict) -> str:
    """The document's HTML in the active language (Russian by default)."""
    context.setdefault("printed_at", timezone.localtime())
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def html_to_pdf(html: str, styles: tuple[str, ...]) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher())
    return document.write_pdf(stylesheets=stylesheets(styles), font_config=font_config())


def render_pdf(template: str, context: dict, styles: tuple[str, ...]) -> bytes:
    """``template`` rendered with ``context`` and ``styles`` as PDF bytes."""
    return html_to_pdf(render_html(template, context), styles)
