"""Hostile files built cheaply in memory: workbooks written as raw XML into a zip."""
# ruff: noqa: E501 (the XML parts are kept one element a line)

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:%s"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows_xml, dimension: str = "E1") -> bytes:
    """An XLSX whose first sheet's ``<sheetData>`` is the strings of ``rows_xml`` (written
    as they come, so a huge sheet never sits in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_SHEET_HEAD % dimension).encode())
            for chunk in rows_xml:
                sheet.write(chunk.encode())
            sheet.write(_SHEET_TAIL.encode())
    return out.getvalue()


def sparse_rows_xlsx(rows: int = 3_000_000, every: int = 1000) -> bytes:
    """A header, then ``rows`` rows of which only every ``every``-th is written (a cell
    holding a space), the sheet's dimension claiming all of them: openpyxl makes up the
    missing ones, so a reader that lists the rows before counting them runs through
    millions of blank rows from a file of a few kilobytes."""
    header = (
        '<row r="1">'
        + "".join(
            _text(f"{col}1", title)
            for col, title in zip(
                "ABCDE", ("Таб. №", "Месяц", "Выработка", "Часы", "Номенклатура"), strict=True
            )
        )
        + "</row>"
    )

    def body():
        yield header
        for number in range(1 + every, rows + 1, every):
            yield f'<row r="{number}">{_text(f"A{number}", " ")}</row>'

    return workbook(body(), dimension=f"E{rows}")


def dense_blank_rows_xlsx(rows: int) -> bytes:
    """``rows`` rows each written out, each a single blank cell: compresses to almost
    nothing, unpacks to ~50 bytes a row (a zip bomb past the size limit when large)."""
    row = f"<row>{_text('A1', ' ').replace(' r="A1"', '')}</row>"

    def body():
        chunk = row * 10_000
        for _ in range(rows // 10_000):
            yield chunk
        yield row * (rows % 10_000)

    return workbook(body(), dimension=f"A{rows}")


def numbered_rows_xlsx(rows: int, number_from: int = 1000) -> bytes:
    """``rows`` filled rows (personnel number, month, output, hours) without a header."""

    def body():
        for index in range(1, rows + 1):
            yield (
                f'<row r="{index}"><c r="A{index}"><v>{number_from + index}</v></c>'
                f'{_text(f"B{index}", "10.2026")}<c r="C{index}"><v>100</v></c>'
                f'<c r="D{index}"><v>160</v></c></row>'
            )

    return workbook(body(), dimension=f"D{rows}")


def cellless_rows_xlsx(rows: int) -> bytes:
    """``rows`` rows without a cell (``<row/>``): six bytes a row unpacked, under the size
    limit even by the million — openpyxl keeps every such element it has read."""

    def body():
        for _ in range(rows // 100_000):
            yield "<row/>" * 100_000
        yield "<row/>" * (rows % 100_000)

    return workbook(body(), dimension=f"A{rows}")
