"""The governing documents: their files checked and stored, versions, deletion and the text read
out of them.

A file is taken only if its content is a PDF, a Word document (.docx) or an OpenDocument text
(.odt), whatever its name says: the first bytes decide (``%PDF-``, or a zip archive), and a zip
archive goes through the register's zip-bomb guard (``register.archive``) before its
``[Content_Types].xml`` (Word) or ``mimetype`` entry (OpenDocument) is read. The name's
extension must agree with the content, an empty file and one larger than
``DOCUMENT_MAX_BYTES`` are refused, each with a Swedish message and nothing stored.

The file goes into Django's default storage (``settings.STORAGES``: the file system, or S3 or
Azure through django-storages) under a name the register chooses; the uploader's name is kept
in ``file_name`` for the download. The history keeps the record (the storage name, size and
checksum), never the bytes, and not the extracted text.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from .. import jobs
from ..access import Access
from ..archive import ArchiveRefused, Words, megabytes, open_archive
from ..models import Document
from ..versions import Version
from .changes import announce
from .records import _require, record_delete, record_save, user_or_none

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

#: The types the register stores: content type -> (extension, name in a sentence).
TYPES = {
    PDF: ("pdf", "en PDF-fil"),
    DOCX: ("docx", "ett Word-dokument (.docx)"),
    ODT: ("odt", "ett OpenDocument-dokument (.odt)"),
}
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

ALLOWED = "Ladda upp en PDF-fil, ett Word-dokument (.docx) eller ett OpenDocument-dokument (.odt)."

TEXT_DOCUMENT = Words(
    not_zip=f"Filen kan inte läsas. {ALLOWED}",
    damaged="Filen är skadad och kan inte läsas som ett Word- eller OpenDocument-dokument.",
    too_many_members=(
        "Filen består av {count} delar; ett dokument här får ha högst {limit}. Spara dokumentet "
        "på nytt eller som PDF och försök igen."
    ),
    too_big=(
        "högst {limit_mb} MB tillåts. Ta bort stora bilder ur dokumentet eller spara det som "
        "PDF och försök igen."
    ),
    packed_too_hard=(
        "Filen är packad ovanligt hårt (en del av den blir {ratio} gånger större uppackad) och "
        "ser inte ut som ett vanligt dokument. Den sparas inte. Spara dokumentet på nytt eller "
        "som PDF och försök igen."
    ),
    encrypted=(
        "Filen är lösenordsskyddad. Ta bort lösenordet eller spara dokumentet som PDF och "
        "försök igen."
    ),
    unknown_method=(
        "Filen är packad på ett sätt som Word och OpenDocument inte använder. Spara dokumentet "
        "på nytt eller som PDF och försök igen."
    ),
)


def _refuse(message: str, code: str = "file"):
    return ValidationError({"file": [message]}, code=code)


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def max_uncompressed_bytes() -> int:
    """How large a .docx or .odt may become unpacked: ten times the file limit (a text with
    its pictures packs to about half; a zip bomb to a thousandth)."""
    return 10 * max_bytes()


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_type(data: bytes) -> str | None:
    """Return DOCX or ODT for a zip archive the guard let through, by its own entries."""
    archive = open_archive(data, limit=max_uncompressed_bytes(), words=TEXT_DOCUMENT)
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
        return ODT
    if "[Content_Types].xml" in names and DOCX_MAIN in archive.read("[Content_Types].xml"):
        return DOCX
    return None


def content_type_of(data: bytes) -> str | None:
    """Return the type of the file by its content (PDF, DOCX, ODT), None for anything else.
    Raises ``register.archive.ArchiveRefused`` for a zip archive the guard refuses."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if data[:4] == b"PK\x03\x04":
        return _zip_type(data)
    return None


def check_file(upload) -> CheckedFile:
    """Return the uploaded file's bytes and type once they are known to be acceptable; raise a
    ``ValidationError`` on the form's ``file`` field with a Swedish message otherwise."""
    if upload is None:
        raise _refuse(f"Välj en fil. {ALLOWED}", "required")
    name = (getattr(upload, "name", "") or "dokument").replace("\\", "/").rsplit("/", 1)[-1]
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            f"Filen är {megabytes(size)} MB; högst {megabytes(limit)} MB tillåts. Dela upp "
            "dokumentet eller spara det med mindre bilder och försök igen.",
            "too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise _refuse("Filen är tom. Välj dokumentets fil och försök igen.", "empty")
    if len(data) > limit:
        raise _refuse(
            f"Filen är större än {megabytes(limit)} MB, som är det mesta som tillåts.",
            "too_large",
        )
    try:
        content_type = content_type_of(data)
    except ArchiveRefused as exc:
        raise _refuse(str(exc), "archive") from exc
    if content_type is None:
        raise _refuse(
            f"Filen är varken en PDF-fil, ett Word- eller OpenDocument-dokument. {ALLOWED}"
        )
    extension, described = TYPES[content_type]
    if _extension(name) != extension:
        raise _refuse(
            f"Filen heter {name} men är {described}. Ge den filändelsen .{extension} och "
            "försök igen.",
            "wrong_extension",
        )
    return CheckedFile(
        data=data,
        name=name[:255],
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _store(document: Document, checked: CheckedFile) -> None:
    """Put the file in storage and its facts on the (unsaved) record."""
    document.file_name = checked.name
    document.content_type = checked.content_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.text = ""
    document.text_status = Document.TextStatus.PENDING
    document.file.save(checked.name, ContentFile(checked.data), save=False)


def _discard(name: str) -> None:
    """Remove a stored file (after the record that named it is gone, or was never saved)."""
    if name:
        try:
            Document._meta.get_field("file").storage.delete(name)
        except OSError:  # pragma: no cover - a file already gone is no loss
            log.warning("Filen %s kunde inte tas bort ur lagringen", name)


def _extract_later(document_id: int) -> None:
    """Ask for the text to be read out of the file, once the record is committed (at once where
    jobs run inline: the tests' transaction never commits)."""
    path = "register.services.documents.extract_document_text"
    if jobs.backend() == "inline":
        jobs.enqueue(path, document_id)
    else:
        transaction.on_commit(lambda: jobs.enqueue(path, document_id))


def document_create(
    *,
    access: Access | None,
    instance: Document,
    upload,
    user=None,
    supersedes: Document | None = None,
) -> Document:
    """Save a new document (or a new version of ``supersedes``) with its file (an upload, or
    the ``CheckedFile`` a form has already checked).

    The file is checked first (``check_file``); nothing is stored when it or the record is
    refused, and a stored file is removed again if the record cannot be saved. The text is
    read out in the background (``register.jobs``; a command's process waits for its jobs before
    it ends, so ``load_demo`` needs nothing special).
    """
    if access is not None:
        _require(access.can_change(instance))
    checked = upload if isinstance(upload, CheckedFile) else check_file(upload)
    if supersedes is not None:
        if supersedes.arrangement_id != instance.arrangement_id:
            raise ValidationError("Den nya versionen måste höra till samma samverkan.")
        if Document.objects.filter(supersedes=supersedes).exists():
            raise ValidationError(
                f"”{supersedes}” har redan ersatts av en nyare version. Ladda upp den nya "
                "versionen från den gällande versionen.",
                code="already_superseded",
            )
        instance.supersedes = supersedes
    instance.uploaded_by = user_or_none(user)
    _store(instance, checked)
    try:
        with transaction.atomic():
            record_save(access=access, instance=instance)
    except BaseException:
        _discard(instance.file.name)
        raise
    _extract_later(instance.pk)
    return instance


def document_update(
    *, access: Access | None, instance: Document, version: Version | None = None, **_
) -> Document:
    """Save a document's changed facts (its file stays: a new file is a new version)."""
    return record_save(access=access, instance=instance, version=version)


def document_delete(
    *, access: Access | None, instance: Document, version: Version | None = None
) -> None:
    """Delete a document and, once that is committed, its file. The version it replaced
    becomes the current one again."""
    name = instance.file.name
    record_delete(access=access, instance=instance, version=version)
    transaction.on_commit(lambda: _discard(name))


@transaction.atomic
def checklist_save(
    *, access: Access | None, instance: Document, entries: dict, version: Version | None = None
) -> Document:
    """Save the registrar's checklist of what the law requires (item key -> where it stands
    or "saknas")."""
    instance.checklist = {key: str(value or "").strip()[:100] for key, value in entries.items()}
    return record_save(access=access, instance=instance, version=version)


# --- Text out of the files ----------------------------------------------------------------------

MAX_TEXT_CHARS = 2_000_000  # far more than any governing document; the rest is not searched


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _odt_text(data: bytes) -> str:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    parts = []
    for kind in (odf_text.H, odf_text.P):
        parts.extend(teletype.extractText(e) for e in document.getElementsByType(kind))
    return "\n".join(parts)


READERS = {PDF: _pdf_text, DOCX: _docx_text, ODT: _odt_text}


def read_text(data: bytes, content_type: str) -> str:
    """Return the text of a stored file of ``content_type`` (a zip is guarded again first)."""
    if content_type in (DOCX, ODT):
        open_archive(data, limit=max_uncompressed_bytes(), words=TEXT_DOCUMENT)
    return READERS[content_type](data)


def extract_document_text(document_id: int) -> None:
    """Read the text out of the document's file into ``Document.text`` (for the search), and
    say in ``text_status`` whether that worked. Run through ``register.jobs``; writes with
    ``update`` so that no history row is made (the history keeps no text)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return
    rows = Document.objects.filter(pk=document_id)
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
        text = read_text(data, document.content_type)
    except Exception:  # a file no reader understands is recorded, never raised
        log.warning("Texten kunde inte läsas ut ur dokument %s", document_id, exc_info=True)
        rows.update(text="", text_status=Document.TextStatus.FAILED)
        _announce_text(document)
        return
    text = " ".join(text.replace("\x00", " ").split(" "))[:MAX_TEXT_CHARS]
    rows.update(text=text, text_status=Document.TextStatus.DONE)
    _announce_text(document)


def _announce_text(document: Document) -> None:
    """``update`` sends no model signal: tell the search index and the data versions (only this
    document's arrangement) that the document changed."""
    announce(
        Document,
        [document.pk],
        columns={"id": [document.pk], "arrangement_id": [document.arrangement_id]},
    )
