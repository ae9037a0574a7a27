"""The uploaded file of a preview: stored apart from the batch (an ``ImportFile``, without
history) for the commit to read again, and only as long as the retention rule keeps it."""

from __future__ import annotations

import hashlib

from .models import ImportBatch, ImportFile, preview_days


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_file(batch: ImportBatch, data: bytes) -> None:
    """Keep the file of a preview for its commit."""
    ImportFile.objects.create(batch=batch, content=data)


def stored_file(batch: ImportBatch) -> bytes | None:
    """Return the batch's file if the retention rule still keeps it, else None."""
    content = (
        ImportFile.objects.kept().filter(batch=batch).values_list("content", flat=True).first()
    )
    return None if content is None else bytes(content)


def forget_file(batch: ImportBatch) -> None:
    """Delete the batch's file (once it is saved or undone, nothing reads it again)."""
    ImportFile.objects.filter(batch=batch).delete()


def purge_files(*, now=None) -> int:
    """Delete every stored file that the retention rule no longer keeps
    (``ImportFile.objects.expired()``: a file is kept only for a preview uploaded within the last
    ``preview_days()`` days); return how many were deleted. Run on every upload and by
    ``manage.py purge_imports``."""
    deleted, _ = ImportFile.objects.expired(now=now).delete()
    return deleted


def file_gone_message() -> str:
    return (
        f"Filen till den här förhandsgranskningen finns inte längre sparad (en fil sparas i "
        f"{preview_days()} dagar, tills importen sparas). Ladda upp filen igen för att spara "
        "importen."
    )
