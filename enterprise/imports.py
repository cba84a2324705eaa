"""Reading an uploaded table (XLSX or CSV) for an import, within limits checked as it reads.

Every import of the project reads its file through :func:`read_table`. A hostile file must
cost little: an XLSX is a zip, so the unpacked size of its members is checked before any
XML is parsed (a 400 KB file of three million blank rows unpacks to 135 MB); the sheet is
read in openpyxl's read-only (streaming) mode, row by row, ignoring the dimension the file
claims, and reading stops as soon as there is one row with content more than allowed, or
too many blank rows, only the first :data:`MAX_COLUMNS` columns being kept. A CSV is read
line by line with the same counts and a bound on a line's length.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing

from django.utils.translation import gettext as _

MAX_COLUMNS = 30
MAX_BLANK_ROWS = 10_000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_LINE_CHARS = 4096


class TableFileError(ValueError):
    """The file cannot be read, or is beyond a limit (a Russian message)."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(
    content: bytes,
    filename: str,
    *,
    max_rows: int,
    extra_rows: int = 1,
    max_columns: int = MAX_COLUMNS,
    max_blank_rows: int = MAX_BLANK_ROWS,
) -> list[list]:
    """The rows with content of the first sheet of an XLSX file, or of a CSV file (``;``,
    ``,`` or tab; UTF-8 or Windows-1251), each a list of at most ``max_columns`` values.

    Raises :class:`TableFileError` when the file has more than ``max_rows`` rows with
    content beyond ``extra_rows`` (a header) — found when that row is read, not after the
    whole file —, more than ``max_blank_rows`` blank rows, or is not a table at all.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        check_zip(content)
        if _sheet_rows(content, stop_past=max_rows + extra_rows + max_blank_rows):
            # Counted in the sheet's XML before parsing it: openpyxl keeps every row
            # element it has read (a million cell-less rows are hundreds of MiB).
            raise TableFileError(
                _("В файле больше %(n)s строк: разделите его на части.") % {"n": max_rows}
            )
        rows = _xlsx_rows(content, max_columns)
    elif name.endswith(".csv"):
        rows = _csv_rows(content, max_columns)
    else:
        raise TableFileError(_("Нужен файл XLSX или CSV."))
    with closing(rows):  # the workbook is closed when reading stops early
        return _take(rows, max_rows=max_rows, extra_rows=extra_rows, max_blank_rows=max_blank_rows)


def _take(rows: Iterable[list], *, max_rows: int, extra_rows: int, max_blank_rows: int):
    kept: list[list] = []
    blank = 0
    for row in rows:
        if all(is_blank(cell) for cell in row):
            blank += 1
            if blank > max_blank_rows:
                raise TableFileError(
                    _(
                        "В файле больше %(n)s пустых строк: удалите их (или сохраните в файл "
                        "только таблицу с данными)."
                    )
                    % {"n": max_blank_rows}
                )
            continue
        kept.append(row)
        if len(kept) > max_rows + extra_rows:
            raise TableFileError(
                _("В файле больше %(n)s строк: разделите его на части.") % {"n": max_rows}
            )
    return kept


def check_zip(content: bytes, *, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a zip (an XLSX) that unpacks to more than ``max_bytes`` or has too many
    members, from its directory alone (Python's zip reader never unpacks a member past
    the size its directory states)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise TableFileError(_("Не удалось прочитать файл XLSX.")) from error
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > max_bytes:
        raise TableFileError(
            _(
                "Файл XLSX в распакованном виде больше %(mb)s МБ: в нём слишком много "
                "строк или лишнее содержимое. Сохраните в файл только таблицу с данными."
            )
            % {"mb": max_bytes // (1024 * 1024)}
        )


_ROW_TAG = re.compile(rb"<(?:\w{1,8}:)?row[\s/>]")
_CHUNK = 1 << 20


def _sheet_rows(content: bytes, *, stop_past: int) -> bool:
    """Whether a worksheet of the (checked) zip has more than ``stop_past`` row elements,
    counted streaming and stopped as soon as it has."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            count, tail = 0, b""
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    buffer = tail + chunk
                    keep = max(len(buffer) - 16, 0)  # a tag starting here is counted next
                    count += sum(1 for m in _ROW_TAG.finditer(buffer) if m.start() < keep)
                    if count > stop_past:
                        return True
                    tail = buffer[keep:]
            if count + len(_ROW_TAG.findall(tail)) > stop_past:
                return True
    return False


def _xlsx_rows(content: bytes, max_columns: int) -> Iterator[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise TableFileError(_("Не удалось прочитать файл XLSX.")) from error
    try:
        if not book.worksheets:
            raise TableFileError(_("Не удалось прочитать файл XLSX."))
        sheet = book.worksheets[0]
        # The dimension written in the file may lie (a million rows claimed): read what
        # is there, up to the limits.
        sheet.reset_dimensions()
        try:
            for values in sheet.iter_rows(max_col=max_columns, values_only=True):
                row = list(values)
                while row and row[-1] is None:  # the padding up to ``max_columns``
                    row.pop()
                yield row
        except TableFileError:
            raise
        except Exception as error:  # a broken sheet's XML
            raise TableFileError(_("Не удалось прочитать файл XLSX.")) from error
    finally:
        book.close()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableFileError(  # pragma: no cover - cp1251 decodes any byte but a few
        _("Не удалось прочитать файл CSV: неизвестная кодировка.")
    )


def _lines(text: str) -> Iterator[str]:
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_LINE_CHARS:
            raise TableFileError(
                _("В файле CSV есть строка длиннее %(n)s знаков.") % {"n": MAX_LINE_CHARS}
            )
        yield line


def _csv_rows(content: bytes, max_columns: int) -> Iterator[list]:
    text = _decode(content)
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for row in reader:
            # a quoted value may run over many lines: bound the row as well
            if sum(len(cell) for cell in row) > MAX_LINE_CHARS:
                raise TableFileError(
                    _("В файле CSV есть строка длиннее %(n)s знаков.") % {"n": MAX_LINE_CHARS}
                )
            yield row[:max_columns]
    except csv.Error as error:
        raise TableFileError(_("Не удалось прочитать файл CSV.")) from error
