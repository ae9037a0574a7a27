"""The zip-bomb guard for an .xlsx workbook: the register's one guard (``register.archive``) in
the importer's words. No ORM."""

from __future__ import annotations

import zipfile

from register.archive import (  # noqa: F401 - the limits, named here as before
    INFLATE_CHUNK,
    MAX_MEMBERS,
    MAX_RATIO,
    RATIO_FROM_BYTES,
    ArchiveRefused,
    Words,
)
from register.archive import open_archive as _open_archive

from .workbook import ReadError

# What a sheet at the row limit needs once unpacked, with a margin: 100,000 rows of long texts
# in every usual column (``tests/importers/test_zip_limits.py`` builds such rows and pins it).
# The setting IMPORT_MAX_UNCOMPRESSED_BYTES overrides it.
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024

WORKBOOK = Words(
    not_zip=(
        "Filen är inte en Excel-arbetsbok (.xlsx eller .xls) eller en CSV-fil. Spara listan "
        "som .xlsx i Excel och försök igen."
    ),
    damaged="Filen är skadad och kan inte läsas som en Excel-arbetsbok.",
    too_many_members=(
        "Filen består av {count} delar; en Excel-arbetsbok här får ha högst {limit}. Spara "
        "listan på nytt som .xlsx i Excel och försök igen."
    ),
    too_big=(
        "högst {limit_mb} MB tillåts, vilket räcker för 100 000 rader. Dela upp listan i flera "
        "filer eller ta bort bilder och tomma formaterade rader."
    ),
    packed_too_hard=(
        "Filen är packad ovanligt hårt (en del av den blir {ratio} gånger större uppackad) och "
        "ser inte ut som en vanlig Excel-arbetsbok. Den läses inte. Spara listan på nytt som "
        ".xlsx i Excel och försök igen."
    ),
    encrypted=(
        "Filen är lösenordsskyddad. Öppna den i Excel, ta bort lösenordet och spara den som "
        "Excel-arbetsbok (.xlsx)."
    ),
    unknown_method=(
        "Filen är packad på ett sätt som Excel inte använder. Spara listan på nytt som .xlsx "
        "i Excel och försök igen."
    ),
)


def uncompressed_limit() -> int:
    """Return the largest unpacked size allowed: the setting, else MAX_UNCOMPRESSED_BYTES."""
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))
    except ImportError:  # pragma: no cover - the reader also runs without Django
        pass
    return MAX_UNCOMPRESSED_BYTES


def open_archive(data: bytes, *, max_uncompressed: int | None = None) -> zipfile.ZipFile:
    """Return the workbook's zip archive once it is known to unpack to a sane size (the
    register's guard, ``register.archive.open_archive``), before openpyxl reads anything."""
    limit = uncompressed_limit() if max_uncompressed is None else max_uncompressed
    try:
        return _open_archive(data, limit=limit, words=WORKBOOK)
    except ArchiveRefused as exc:
        raise ReadError(str(exc)) from exc
