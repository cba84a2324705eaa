"""Uploaded files (scans of documents): what they are, checked by content, and how they are
stored and served.

A file is what its content proves, not what its name or its first bytes say: a PDF starts
with ``%PDF-``, ends with ``%%EOF`` and opens in pypdf with at least one page; an image
opens in Pillow as the format its signature names and passes Pillow's ``verify()``. A name
whose extension names another type (``scan.html`` holding a PDF) is refused, as is content
that carries HTML markup in its first kilobyte. The file is then stored under a generated
name with the extension of the type found (the caller's ``upload_to``), and served with
that type's ``Content-Type``, as an attachment, under the user's name with that extension
(:func:`download_name`) and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extension: str  # of the stored and served file, without the dot
    names: tuple[str, ...]  # the extensions a user's file of this kind may have
    signatures: tuple[bytes, ...]


PDF = FileKind("PDF", "application/pdf", "pdf", (".pdf",), (b"%PDF-",))
PNG = FileKind("PNG", "image/png", "png", (".png",), (b"\x89PNG\r\n\x1a\n",))
JPEG = FileKind("JPEG", "image/jpeg", "jpg", (".jpg", ".jpeg", ".jpe", ".jfif"), (b"\xff\xd8\xff",))
TIFF = FileKind("TIFF", "image/tiff", "tif", (".tif", ".tiff"), (b"II*\x00", b"MM\x00*"))
SCAN_KINDS = (PDF, PNG, JPEG, TIFF)

# What a browser would take for a page, were the type ever sniffed.
_MARKUP = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)", re.IGNORECASE)
_EOF_WINDOW = 1024


def _refuse(message: str, code: str, **values) -> ValidationError:
    return ValidationError(message % values, code=code)


def detect_scan(upload, *, max_bytes: int) -> FileKind:
    """The kind of an uploaded scan, proven by its content; ``ValidationError`` (a Russian
    message naming the file) when it is too big, not a scan, broken, or named as another
    type. The upload is left at its start."""
    name = os.path.basename(str(upload.name or ""))
    if upload.size > max_bytes:
        raise _refuse(
            _("Файл «%(name)s» больше %(mb)s МБ."),
            "too_big",
            name=name,
            mb=max_bytes // (1024 * 1024),
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    kind = next((k for k in SCAN_KINDS if any(content.startswith(s) for s in k.signatures)), None)
    if kind is None:
        raise _refuse(
            _("Файл «%(name)s»: принимаются PDF, PNG, JPEG и TIFF (скан документа)."),
            "bad_type",
            name=name,
        )
    extension = os.path.splitext(name)[1].lower()
    if extension and extension not in kind.names:
        raise _refuse(
            _(
                "Файл «%(name)s»: по содержимому это %(kind)s, а имя оканчивается на "
                "«%(ext)s». Приложите скан с правильным расширением (%(names)s)."
            ),
            "mismatch",
            name=name,
            kind=kind.label,
            ext=extension,
            names=", ".join(kind.names),
        )
    if _MARKUP.search(content[:_EOF_WINDOW]) or not _proven(kind, content):
        raise _refuse(
            _(
                "Файл «%(name)s» повреждён или не является настоящим %(kind)s: "
                "сохраните скан заново."
            ),
            "broken",
            name=name,
            kind=kind.label,
        )
    return kind


def _proven(kind: FileKind, content: bytes) -> bool:
    if kind is PDF:
        return _pdf_proven(content)
    return _image_proven(kind, content)


def _pdf_proven(content: bytes) -> bool:
    if b"%%EOF" not in content[-_EOF_WINDOW:]:
        return False
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds on a broken file
        return False


def _image_proven(kind: FileKind, content: bytes) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # too many pixels (a decompression bomb) is a refusal, not a warning
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != kind.label:
                    return False
                image.verify()
    except Exception:  # Pillow raises many kinds on a broken file
        return False
    return True


def kind_of_stored(name: str) -> FileKind | None:
    """The kind of a stored file, by the extension it was stored under."""
    extension = os.path.splitext(name or "")[1].lower().lstrip(".")
    return next((k for k in SCAN_KINDS if k.extension == extension), None)


def download_name(user_name: str, kind: FileKind, fallback: str) -> str:
    """The name to serve a stored file under: the user's name without its path, control
    characters and quotes, with the extension of the kind found (whatever it had)."""
    base = os.path.basename((user_name or "").replace("\\", "/"))
    stem = os.path.splitext(base)[0] if os.path.splitext(base)[1].lower() in kind.names else base
    stem = "".join(
        ch for ch in stem if unicodedata.category(ch)[0] != "C" and ch not in '"<>:/\\|?*;'
    )
    stem = stem.strip(" .")[:150] or fallback
    return f"{stem}.{kind.extension}"
