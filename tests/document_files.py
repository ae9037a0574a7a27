"""Small real files for the governing documents' tests: a PDF, a Word and an OpenDocument text
with a known sentence, a Word zip bomb, and a document record with its file stored."""

from __future__ import annotations

import io
import zipfile

from django.core.files.base import ContentFile

from register.models import Document

SENTENCE = "Förbundet har sitt säte i Täby och sköter räddningstjänsten."


def pdf_bytes(text: str = SENTENCE) -> bytes:
    """A one-page PDF whose text is ``text`` (Latin-1, Helvetica), written by hand."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes(text: str = SENTENCE) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(text: str = SENTENCE) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def docx_zip_bomb() -> bytes:
    """A .docx that names itself a Word document and holds a part of 50 MB of zeros (about
    50 kB packed: a thousand times smaller)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(50):
                part.write(chunk)
    return out.getvalue()


def make_document(
    arrangement, *, data: bytes | None = None, name: str = "forbundsordning.pdf", **kw
):
    """A document record with its file in the default storage (no checks: for test worlds)."""
    kw.setdefault("kind", Document.Kind.CHARTER)
    kw.setdefault("title", "Förbundsordning")
    data = pdf_bytes() if data is None else data
    document = Document(
        arrangement=arrangement,
        file_name=name,
        content_type="application/pdf",
        size=len(data),
        **kw,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document
