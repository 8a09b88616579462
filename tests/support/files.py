"""Real files for the upload fields: a one-page PDF and a small image, made in memory."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def small_pdf(text: str = "") -> bytes:
    """A real one-page PDF, as every PDF field accepts (each parses what it receives), with ``text``
    kept in its document information so two files can differ."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Subject": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SMALL_PDF = small_pdf()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A real image in ``fmt`` (PNG or JPEG), as a screenshot of the portal's receipt would be."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (0, 102, 204)).save(out, format=fmt)
    return out.getvalue()


def pdf_upload(name: str = "atto.pdf", content: bytes = SMALL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
