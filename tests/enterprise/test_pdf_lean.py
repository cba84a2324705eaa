"""The lean user-agent stylesheet of enterprise/pdf.py: the same layout, fewer styles.

The plan sheets print by the thousand with WeasyPrint's user-agent stylesheet less its
universal pseudo-element rules (::marker, footnote and note calls and markers). These
tests hold that it lays a document out box for box as the full one does, that it
computes fewer styles, and that the WeasyPrint hook it relies on is still there.
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint import CSS, HTML

from enterprise.pdf import (
    _EXACT_TABS,
    _lean_html_class,
    font_config,
    html_to_pdf,
    lean_ua_stylesheet,
    lean_ua_text,
    lean_weasyprint,
    stylesheets,
)

DOCUMENT = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Лист</title>
</head><body><section class="sheet"><div class="status"><b>Проект</b>черновик</div>
<h1>Личный план</h1><h2>1. Объём работы</h2>
<p class="row">Измеритель\t<span>нормо-часы</span></p>
<p class="row">Объём продукции\t<b>2 752,2</b> нормо-ч</p>
<p class="pre">Способ расчёта: от средней выработки.
Объём продукции года: 2 752,184</p>
<ul><li>первый пункт</li><li>второй пункт</li></ul>
<p><small>подпись</small> ____________ <i>Громов Н.О.</i></p></section></body></html>"""

STYLE = """@page { size: A4; margin: 14mm; @bottom-right { content: "стр. " counter(page) } }
html { font-family: "PT Sans", sans-serif; font-size: 10pt }
.status { float: right } .status b { display: block; border: 0.8pt solid #333 }
.row { white-space: pre-wrap; tab-size: 74mm; border: 0.5pt solid #444 }
.pre { white-space: pre-line }"""


def _laid_out(document) -> list[tuple]:
    """Every box of a rendered document, page by page: its kind, text and geometry."""
    found = []

    def walk(box):
        found.append(
            (
                type(box).__name__,
                getattr(box, "text", None),
                round(box.position_x, 3),
                round(box.position_y, 3),
                round(box.width or 0, 3),
                round(box.height or 0, 3),
            )
        )
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def _boxes(document_class) -> list[tuple]:
    """Every box of the laid-out document: its kind, text and geometry."""
    document = document_class(string=DOCUMENT, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(string=STYLE)], font_config=font_config()
    )
    return _laid_out(document)


def test_lean_stylesheet_lays_out_as_the_full_one_box_for_box():
    full = _boxes(HTML)
    lean = _boxes(_lean_html_class())

    assert lean == full
    assert any(kind == "LineBox" for kind, *_ in full)
    assert ("TextBox", "нормо-часы") in [(kind, text) for kind, text, *_ in full]


def test_lean_stylesheet_drops_the_universal_pseudo_element_rules_only():
    from weasyprint.html import UA

    full = set(UA.splitlines())
    lean = set(lean_ua_text().splitlines())

    dropped = {line.split(" {")[0] for line in full - lean if not line.startswith("@")}
    assert dropped == {
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    }
    # The counter styles come from WeasyPrint's own UA counter style either way.
    assert all(line.startswith("@counter-style") for line in full - lean if line[0] == "@")
    assert any(line.startswith("li::marker {") for line in lean)
    # Everything else stays: display, margins, headings, the page margin boxes.
    assert 'br::before { content: "\\A"; white-space: pre-line }' in lean
    assert lean_ua_stylesheet() is lean_ua_stylesheet()


def test_lean_sheet_is_a_pdf_with_its_text():
    pdf = html_to_pdf(DOCUMENT, ("css/pdf-planning.css",), lean=True)

    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "ЛИЧНЫЙ ПЛАН" in text and "Измеритель нормо-часы" in text
    assert "• " in text  # the list keeps its markers


def _tree(element) -> tuple:
    return (
        element.tag,
        element.attrib,
        element.text,
        element.tail,
        [_tree(child) for child in element],
    )


SHEETS = """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Личные планы на 2026 год</title>
</head>

<body data-page="стр.">

<section class="sheet project" data-docid="Личный план · Громов Н.О. · &quot;черновик&quot;">
<div class="mark">Проект</div>
<div class="top"><div class="status"><b>Проект</b>черновик</div>
<p class="head"><b>Завод &amp; Ко</b>
Цех № 1 «Сборочный»</p></div>
<h1>Личный план</h1>
<div class="box">
<p class="row">Измеритель\t<span>нормо-часы &lt;ч&gt;</span></p>
<p class="row">Рост\t<b>6 %</b></p>
</div>
</section>

<section class="sheet"><p class="sign">Мастер\t____\t<span>—</span>
<small>согласен</small></p>
</section>

</body>
</html>
"""


def test_xml_tree_is_the_html5_parsers_tree():
    import tinyhtml5

    from enterprise.pdf import xml_tree

    expected = tinyhtml5.parse(SHEETS, namespace_html_elements=False)
    assert _tree(xml_tree(SHEETS)) == _tree(expected)
    assert _tree(
        xml_tree(
            DOCUMENT.replace("<ul>", "<div>")
            .replace("</ul>", "</div>")
            .replace("<li>", "<p>")
            .replace("</li>", "</p>")
        )
    ) == _tree(
        tinyhtml5.parse(
            DOCUMENT.replace("<ul>", "<div>")
            .replace("</ul>", "</div>")
            .replace("<li>", "<p>")
            .replace("</li>", "</p>"),
            namespace_html_elements=False,
        )
    )


def test_xml_tree_leaves_to_the_html5_parser_what_it_would_build_otherwise():
    from enterprise.pdf import xml_tree

    assert xml_tree(SHEETS) is not None
    for before, after in [
        ("<!doctype html>", ""),  # no doctype
        ("<h1>Личный план</h1>", "<h1>Личный<br>план</h1>"),  # not well-formed
        ("<h1>Личный план</h1>", "<table><tr><td>1</td></tr></table>"),  # implied tbody
        ("<small>согласен</small>", "<div>согласен</div>"),  # a block closes the <p>
        ("нормо-часы &lt;ч&gt;", "нормо-часы&nbsp;ч"),  # an HTML entity
        ('data-page="стр."', 'data-page="стр.\n"'),  # XML would make the break a space
        ("</html>\n", "</html>\n<p>x</p>"),  # content after </html>
    ]:
        assert before in SHEETS
        assert xml_tree(SHEETS.replace(before, after)) is None, after
    assert xml_tree(DOCUMENT) is None  # a list: the HTML5 parser's


def test_lean_document_from_the_xml_tree_is_set_up_as_weasyprints():
    lean = _lean_html_class()(string=SHEETS, base_url=str(settings.BASE_DIR))
    full = HTML(string=SHEETS, base_url=str(settings.BASE_DIR))

    assert vars(lean).keys() == vars(full).keys()
    assert (lean.base_url, lean.media_type) == (full.base_url, full.media_type)
    assert _tree(lean.etree_element) == _tree(full.etree_element)
    style = [CSS(string=STYLE)]
    lean_pdf = lean.write_pdf(stylesheets=style, font_config=font_config())
    full_pdf = full.write_pdf(stylesheets=style, font_config=font_config())
    texts = [PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in (lean_pdf, full_pdf)]
    assert texts[0] == texts[1] and "нормо-часы <ч>" in texts[0]


# Label ⇥ value rows as the plan sheet prints them (its stylesheet: a 74 mm tab stop).
ROWS = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Строки</title>
</head><body><p class="row">Объём продукции (работ) на год\t{value}</p>
<p class="row">Рост\t{value}</p></body></html>"""


def _word_x(pdf: bytes, word: str) -> list[float]:
    """Where each ``word`` of the PDF starts (pt from the left), as poppler reads it."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [float(x) for x in re.findall(rf'<word xMin="([\d.]+)"[^>]*>{word}</word>', bbox)]


def _rows_x(value: str, exact_tabs: str) -> list[float]:
    pdf = html_to_pdf(
        ROWS.format(value=value), ("css/pdf-planning.css",), lean=True, exact_tabs=exact_tabs
    )
    return _word_x(pdf, "нормо-часы")


def test_exact_tabs_draw_the_value_of_a_one_run_row_on_the_layouts_column():
    """WeasyPrint draws a tab 1024/1000 of its width: ``exact_tabs`` narrows it so the
    value after it in the same run lands where a box of its own (the layout) puts it."""
    column = _rows_x("<span>нормо-часы</span>", exact_tabs="")  # a text box of its own
    one_run = _rows_x("нормо-часы", exact_tabs="row")
    as_weasyprint_draws = _rows_x("нормо-часы", exact_tabs="")

    assert len(column) == 2 and column[0] == pytest.approx(column[1], abs=0.01)
    assert one_run == pytest.approx(column, abs=0.05)  # points: 1/1500 of an inch
    # Without it the value is 2.4 % of the tab's width right: more the shorter the label.
    shifts = [x - c for x, c in zip(as_weasyprint_draws, column, strict=True)]
    assert 0.5 < shifts[0] < shifts[1]
    assert _EXACT_TABS.get() is None  # set only while a document is written


def test_exact_tabs_leave_other_paragraphs_as_weasyprint_draws_them():
    html = ROWS.format(value="нормо-часы").replace('class="row"', 'class="sign"')
    styles = ("css/pdf-planning.css",)
    assert _word_x(html_to_pdf(html, styles, lean=True, exact_tabs="row"), "нормо-часы") == (
        _word_x(html_to_pdf(html, styles, lean=True), "нормо-часы")
    )


# Three sheets as the plan sheets print them: page groups numbered from 1, the second
# sheet on two pages, the footer's docid from each sheet.
PAGES = (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Листы</title></head>'
    '<body data-page="стр.">'
    + "".join(
        f'<section class="sheet" data-docid="Лист {n}"><h1>Лист {n}</h1>'
        + '<p class="row">Строка\tзначение</p>' * rows
        + "</section>"
        for n, rows in ((1, 3), (2, 60), (3, 3))
    )
    + "</body></html>"
)


def _laid_out_pages(shared: bool) -> tuple[list[tuple], int]:
    """The boxes of :data:`PAGES`' pages, margin boxes with their text included, and how
    many different page styles they have."""
    document = _lean_html_class()(string=PAGES, base_url=str(settings.BASE_DIR))
    styles = stylesheets(("css/pdf-planning.css",))
    if shared:
        with lean_weasyprint():
            rendered = document.render(stylesheets=styles, font_config=font_config())
    else:
        rendered = document.render(stylesheets=styles, font_config=font_config())
    found = _laid_out(rendered)
    page_styles = {id(page._page_box.style) for page in rendered.pages}
    return found, len(page_styles)


def test_lean_pages_share_the_styles_of_alike_pages_and_lay_out_as_before():
    alone, alone_styles = _laid_out_pages(shared=False)
    shared, shared_styles = _laid_out_pages(shared=True)

    assert shared == alone
    texts = [text for kind, text, *_ in alone if kind == "TextBox"]
    assert texts.count("стр. 1") == 3 and texts.count("стр. 2") == 1
    assert "Лист 2" in texts
    # Four pages: each its own style alone; shared, a sheet's first page (its page
    # counter reset) and the next one.
    assert (alone_styles, shared_styles) == (4, 2)
