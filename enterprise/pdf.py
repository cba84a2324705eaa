"""Printed documents of every app: one HTML template + cached stylesheets → PDF bytes.

WeasyPrint's costly pieces are built once per process and reused: the font
configuration, the parsed stylesheets, and a URL fetcher that fetches nothing (the
documents have no images or links; building a fetcher with SSL support costs ~140 ms a
render). The callers load their data before: the PDF code runs no queries.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import re
from collections.abc import Sequence
from dataclasses import dataclass

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


# The elements :func:`xml_tree` accepts: for these, in the shapes it checks, an XML
# parser builds the tree the HTML5 parser builds (no implied tbody, no auto-closed <p>).
_XML_BLOCKS = frozenset({"section", "div", "p", "h1", "h2", "h3"})
_XML_INLINE = frozenset({"b", "i", "span", "small", "strong", "em"})
_XML_DOCTYPE = re.compile(r"\A<!doctype html>", re.IGNORECASE)
_XML_META = '<meta charset="utf-8">'
# An attribute value with a tab or a line break: XML would turn it into a space.
_XML_ATTRIBUTE_BREAK = re.compile(r'="[^"]*[\t\r\n]')


def xml_tree(html: str):
    """The tree of ``html`` as WeasyPrint's HTML5 parser (tinyhtml5) builds it, built by
    the C XML parser (~50× faster: a tenth of a plan sheet's CPU time), or ``None``
    when ``html`` is not a document it can take: a doctype, ``<meta charset>``, a head
    with a title, a body of the :data:`_XML_BLOCKS` and :data:`_XML_INLINE` elements with
    no block in a paragraph or heading, well-formed, no tab or break in an attribute.
    """
    # Safe from XML attacks: the text handed to the parser starts at <html> (the doctype
    # is cut off), so it cannot declare entities — a DTD may only come before the root
    # element — and ElementTree resolves no external ones. It is our own template's
    # output, with every user value escaped by the template engine.
    import xml.etree.ElementTree as ET  # nosec B405

    match = _XML_DOCTYPE.match(html)
    if not match or _XML_META not in html or _XML_ATTRIBUTE_BREAK.search(html):
        return None
    end = html.rfind("</html>")
    if end < 0 or html[end + 7 :].strip():
        return None
    text = html[match.end() : end + 7].replace(_XML_META, _XML_META[:-1] + "/>", 1)
    try:
        root = ET.fromstring(text)  # nosec B314 (no DTD possible: see the import)
    except ET.ParseError:
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return None
    head, body = root
    if [child.tag for child in head] != ["meta", "title"] or len(head[1]):
        return None
    if (head.tail or "").strip() or (body.tail or "").strip() or (root.text or "").strip():
        return None
    if not _xml_body_ok(body, inside_paragraph=False):
        return None
    # Whitespace where the HTML5 parser puts it: none before <head>, and what follows
    # </body> (and </html>) at the end of the body.
    trailing = (body.tail or "") + html[end + 7 :]
    root.text = body.tail = None
    if trailing and len(body):
        body[-1].tail = (body[-1].tail or "") + trailing
    elif trailing:
        body.text = (body.text or "") + trailing
    return root


def _xml_body_ok(element, *, inside_paragraph: bool) -> bool:
    for child in element:
        if child.tag in _XML_BLOCKS:
            if inside_paragraph:
                return False
            nested = child.tag in ("p", "h1", "h2", "h3")
        elif child.tag in _XML_INLINE:
            nested = inside_paragraph
        else:
            return False
        if not _xml_body_ok(child, inside_paragraph=nested):
            return False
    return True


@functools.cache
def _lean_html_class():
    import weasyprint
    from weasyprint import HTML

    class LeanHTML(HTML):
        """An HTML document styled with :func:`lean_ua_stylesheet`; from a ``string``
        that :func:`xml_tree` takes, parsed by the XML parser."""

        def __init__(self, *, string, base_url=None, url_fetcher=None):
            root = xml_tree(string)
            if root is None:
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                return
            # What HTML.__init__ sets after parsing (a test holds the two to the same).
            import cssselect2
            from weasyprint.urls import ensure_url

            if base_url is not None:
                base_url = ensure_url(base_url)
            self.base_url = weasyprint._find_base_url(root, base_url)
            self.url_fetcher = url_fetcher or weasyprint.URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [lean_ua_stylesheet()]

    return LeanHTML


# The class of the paragraphs whose tabs are drawn where the layout puts them, while a
# lean document that asks for it is written (see :func:`_install_exact_tabs`).
_EXACT_TABS = contextvars.ContextVar("exact_tabs", default=None)


@functools.cache
def _install_exact_tabs() -> None:
    """Draw the tabs of :data:`_EXACT_TABS` paragraphs as wide as WeasyPrint lays them out.

    WeasyPrint (70 here) draws Pango's empty tab glyph ``width / font_size``
    thousandths of an em wide, where its width in Pango units needs
    ``width * 1000 / 1024 / font_size``: the text after a tab in the same run is drawn
    2.4 % of the tab's width right of where the layout put it. A paragraph that wants
    ``label⇥value`` in one run (half the text boxes of a row) gets its tabs narrowed by
    1000/1024 just before the line is drawn, so the value lands on the layout's column;
    any other text is drawn as WeasyPrint draws it. A WeasyPrint that renames the hook
    fails here, and one that fixes the width fails the test that holds the value to its
    column (tests/enterprise/test_pdf_lean.py).
    """
    from weasyprint.draw import text

    draw_first_line = text.draw_first_line

    def exact_tabs_draw_first_line(stream, textbox, *args):
        name = _EXACT_TABS.get()
        if name and "\t" in textbox.text:
            element = textbox.element
            if element is not None and name in (element.get("class") or "").split():
                _narrow_tabs(textbox.pango_layout.layout)
        return draw_first_line(stream, textbox, *args)

    text.draw_first_line = exact_tabs_draw_first_line


def _narrow_tabs(layout) -> None:
    """Scale the empty (tab) glyphs of ``layout``'s first line by 1000/1024."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    # Set before the line is laid out, as draw_first_line sets it: its own call then
    # changes nothing and the line keeps the widths set here.
    pango.pango_layout_set_single_paragraph_mode(layout, True)
    run = pango.pango_layout_get_line_readonly(layout, 0).runs
    while run != ffi.NULL:
        glyphs = run.data.glyphs
        for glyph in glyphs.glyphs[0 : glyphs.num_glyphs]:
            if glyph.glyph == pango.PANGO_GLYPH_EMPTY and glyph.geometry.width:
                glyph.geometry.width = round(glyph.geometry.width * 1000 * FROM_UNITS)
        run = run.next


# True while a lean document is written: its pages share the styles of page types that
# match the same rules (see :func:`_install_shared_page_styles`).
_SHARED_PAGE_STYLES = contextvars.ContextVar("shared_page_styles", default=False)


@functools.cache
def _install_shared_page_styles() -> None:
    """Give the pages of a lean document the same computed styles (the page's and its 16
    margin boxes') when their page types match the same @page rules.

    WeasyPrint makes a page type per page (it holds the page's index and page groups),
    and computes the page's style and each margin box's anew for it, property by
    property, on every page: ~6 % of a plan sheet's instructions. Styles computed from
    the same declarations on the same parent are the same, so the first page's are
    reused. WeasyPrint writes into these styles only what is the same on every page (the
    page counters made explicit, the root's overflow).
    """
    from weasyprint.css import StyleFor
    from weasyprint.layout.page import PageType

    set_computed_styles = StyleFor.set_computed_styles

    def shared_set_computed_styles(
        self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None
    ):
        if type(element) is not PageType or not _SHARED_PAGE_STYLES.get():
            return set_computed_styles(
                self, element, parent, root, pseudo_type, base_url, target_collector
            )
        parent_style = self._computed_styles[parent, None]
        cascaded = self._cascaded_styles.get((element, pseudo_type), {})
        # The declarations' values are the parsed stylesheets' objects: the same rule
        # gives the same object on every page.
        key = (
            id(parent_style),
            pseudo_type,
            base_url,
            tuple((name, id(values)) for name, (values, _) in cascaded.items()),
        )
        shared = self.__dict__.setdefault("_khz_shared_page_styles", {})
        if key in shared:
            self._computed_styles[element, pseudo_type] = shared[key][0]
            return None
        set_computed_styles(self, element, parent, root, pseudo_type, base_url, target_collector)
        # The parent and the declarations are kept so that the ids in the key stay theirs.
        shared[key] = (self._computed_styles[element, pseudo_type], parent_style, cascaded)
        return None

    StyleFor.set_computed_styles = shared_set_computed_styles


@contextlib.contextmanager
def lean_weasyprint(exact_tabs: str = ""):
    """While a lean document is written: its pages share their styles
    (:func:`_install_shared_page_styles`), and the paragraphs of the class
    ``exact_tabs`` have their tabs drawn as laid out (:func:`_install_exact_tabs`)."""
    _install_shared_page_styles()
    if exact_tabs:
        _install_exact_tabs()
    shared = _SHARED_PAGE_STYLES.set(True)
    tabs = _EXACT_TABS.set(exact_tabs or None)
    try:
        yield
    finally:
        _EXACT_TABS.reset(tabs)
        _SHARED_PAGE_STYLES.reset(shared)


def render_html(template: str, context: dict) -> str:
    """The document's HTML in the active language (Russian by default)."""
    context.setdefault("printed_at", timezone.localtime())
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def html_to_pdf(
    html: str, styles: tuple[str, ...], *, lean: bool = False, exact_tabs: str = ""
) -> bytes:
    """``html`` with the static stylesheets ``styles`` as PDF bytes; ``lean``: with the
    lean user-agent stylesheet (documents with no lists, footnotes or forms), pages that
    share their styles, and the cyclic garbage collector paused while WeasyPrint works;
    ``exact_tabs`` (lean only): a class whose paragraphs' tabs are drawn where the layout
    puts them, so text may follow a tab in the same run (see :func:`lean_weasyprint`).

    WeasyPrint allocates hundreds of thousands of objects a document, so the collector
    ran ~100 times during an 80-sheet document and walked everything alive: 5–7 % of its
    CPU time. Paused, the cycles it leaves wait for the next collection after it
    (+19 MB peak for 69 sheets, next to ~1.3 MB a page WeasyPrint holds anyway).
    """
    from weasyprint import HTML

    document_class = _lean_html_class() if lean else HTML
    document = document_class(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()
    )
    if not lean:
        return document.write_pdf(stylesheets=stylesheets(styles), font_config=font_config())
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        with lean_weasyprint(exact_tabs):
            return document.write_pdf(stylesheets=stylesheets(styles), font_config=font_config())
    finally:
        if paused:
            gc.enable()


def render_pdf(template: str, context: dict, styles: tuple[str, ...]) -> bytes:
    """``template`` rendered with ``context`` and ``styles`` as PDF bytes."""
    return html_to_pdf(render_html(template, context), styles)


@dataclass(frozen=True)
class SignatureTable:
    """A table of a document's signature block, as ``templates/pdf/_signature_table.html``
    draws it: ``rows`` of (title, name) — a blank name is written by hand — then
    ``group_names`` signing under one ``group`` title (a brigade council's members)."""

    rows: Sequence[tuple[str, str]]
    group: str = ""
    group_names: Sequence[str] = ()
