"""Uploaded scans are what their content proves (issue 11): enterprise/uploads.py."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprise import uploads
from tests.claims.factories import HTML_AS_PDF, JPEG, JUNK_PNG, PDF, PNG, TIFF, pdf_bytes

LIMIT = 10 * 1024 * 1024


def detect(name: str, content: bytes) -> uploads.FileKind:
    return uploads.detect_scan(SimpleUploadedFile(name, content), max_bytes=LIMIT)


def refusal(name: str, content: bytes, max_bytes: int = LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.detect_scan(SimpleUploadedFile(name, content), max_bytes=max_bytes)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("скан.pdf", PDF, uploads.PDF),
        ("скан.PNG", PNG, uploads.PNG),
        ("скан.jpeg", JPEG, uploads.JPEG),
        ("скан.jpg", JPEG, uploads.JPEG),
        ("скан.tiff", TIFF, uploads.TIFF),
        ("скан", PDF, uploads.PDF),  # no extension: the content decides
    ],
)
def test_a_real_scan_is_recognised_by_its_content(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert uploads.detect_scan(upload, max_bytes=LIMIT) is kind
    assert upload.read() == content  # left at its start for storing


def test_html_behind_a_pdf_signature_is_refused():
    error = refusal("акт.pdf", HTML_AS_PDF)
    assert error.code == "broken"
    assert error.messages == [
        "Файл «акт.pdf» повреждён или не является настоящим PDF: сохраните скан заново."
    ]


def test_a_pdf_without_its_end_or_its_pages_is_refused():
    assert refusal("a.pdf", PDF.replace(b"%%EOF", b"%%END")).code == "broken"
    assert refusal("a.pdf", PDF + b"\n" * 2000).code == "broken"  # no %%EOF near the end
    assert refusal("a.pdf", b"%PDF-1.4\ngarbage\n%%EOF\n").code == "broken"


def test_markup_in_the_head_of_a_real_pdf_is_refused():
    content = PDF.replace(b"\n", b"\n%<html><script>x</script>\n", 1)
    assert refusal("a.pdf", content).code == "broken"


def test_an_image_signature_on_junk_is_refused():
    assert refusal("a.png", JUNK_PNG).code == "broken"
    assert refusal("a.jpg", JPEG[:20]).code == "broken"


def _png_header(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def test_an_image_of_too_many_pixels_is_refused():
    bomb = _png_header(100_000, 100_000) + b"\x00" * 64  # 10 billion pixels declared
    assert refusal("a.png", bomb).code == "broken"


def test_a_name_of_another_type_is_refused():
    error = refusal("акт.html", PDF)
    assert error.code == "mismatch"
    assert error.messages == [
        "Файл «акт.html»: по содержимому это PDF, а имя оканчивается на «.html». "
        "Приложите скан с правильным расширением (.pdf)."
    ]
    assert refusal("a.pdf", PNG).code == "mismatch"
    assert refusal("a.svg", PNG).code == "mismatch"


def test_other_files_and_big_files_are_refused():
    assert refusal("a.exe", b"MZ\x90\x00").code == "bad_type"
    assert refusal("a.html", b"<html></html>").code == "bad_type"
    error = refusal("a.pdf", pdf_bytes(2000), max_bytes=1999)
    assert error.code == "too_big"


def test_the_stored_name_gives_the_kind():
    assert uploads.kind_of_stored("claims/1/abc.pdf") is uploads.PDF
    assert uploads.kind_of_stored("claims/1/abc.tif") is uploads.TIFF
    assert uploads.kind_of_stored("claims/1/abc") is None
    assert uploads.kind_of_stored("claims/1/abc.html") is None


@pytest.mark.parametrize(
    ("user_name", "kind", "served"),
    [
        ("Листок простоя № 14.pdf", uploads.PDF, "Листок простоя № 14.pdf"),
        ("scan.JPEG", uploads.JPEG, "scan.jpg"),
        ("page.html", uploads.PDF, "page.html.pdf"),
        ('../../a\\b/"x"\r\n.pdf', uploads.PDF, "x.pdf"),
        ("", uploads.PNG, "document-7.png"),
        ("...", uploads.PNG, "document-7.png"),
    ],
)
def test_the_download_name_has_the_kind_s_extension_and_nothing_unsafe(user_name, kind, served):
    assert uploads.download_name(user_name, kind, "document-7") == served


def test_the_upload_is_read_from_its_start_even_if_read_before():
    upload = SimpleUploadedFile("a.pdf", PDF)
    upload.read(10)
    assert uploads.detect_scan(upload, max_bytes=LIMIT) is uploads.PDF
    assert io.BytesIO(upload.read()).getvalue() == PDF
