"""Read the lists municipalities keep, as .xlsx, .xls or CSV, into a :class:`Workbook`; no ORM.

:func:`open_workbook` tells the format from the file's first bytes. A sheet's header block is
found below its title rows (:mod:`.scanning`) and understood with the header vocabulary
(:mod:`.headers`); sheets with no recognisable header are skipped and reported, and columns that
are not recognised are kept as raw text. An .xlsx file is checked to unpack to a sane size
before anything reads it (:mod:`.archive`, the zip-bomb guard); then :mod:`.xlsx`, :mod:`.xls`
or :mod:`.csvfile` reads it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .archive import open_archive
from .csvfile import looks_like_text, open_csv
from .workbook import MAX_BYTES, MAX_ROWS, ReadError, Workbook, check_size
from .xls import open_xls
from .xlsx import open_xlsx

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls file (a compound document)


def open_workbook(
    source,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_uncompressed: int | None = None,
    today_year: int | None = None,
) -> Workbook:
    """Open a list (path, bytes or binary file) and find its sheets' headers.

    Raise :class:`ReadError` with a Swedish message when the file cannot be read at all.
    ``max_uncompressed`` defaults to the setting IMPORT_MAX_UNCOMPRESSED_BYTES.
    """
    data = _read_bytes(source, max_bytes)
    kind, archive = sniff(data, max_uncompressed=max_uncompressed)
    year = today_year or date.today().year
    if kind == "xls":
        return open_xls(data, max_rows=max_rows, year=year)
    if kind == "csv":
        return open_csv(data, max_rows=max_rows, year=year)
    return open_xlsx(data, archive, max_rows=max_rows, year=year)


def sniff(data: bytes, *, max_uncompressed: int | None = None) -> tuple[str, object]:
    """Return the file's format ("xls", "csv" or "xlsx") from its first bytes, and an .xlsx
    file's archive as the zip-bomb guard lets it through (else None); read no row.

    Raise :class:`ReadError` for an empty file, and for an .xlsx file that is no workbook or a
    zip bomb: what a large file's upload checks before its rows are read in the background."""
    if not data:
        raise ReadError("Filen är tom.")
    if data[:8] == OLE_SIGNATURE:
        return "xls", None
    if not data.startswith(b"PK") and looks_like_text(data):
        return "csv", None
    return "xlsx", open_archive(data, max_uncompressed=max_uncompressed)


def _read_bytes(source, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        check_size(len(source), max_bytes)
        return bytes(source)
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ReadError(f"Filen {path} finns inte eller kan inte öppnas.") from exc
        check_size(size, max_bytes)
        if path.is_dir():
            raise ReadError(f"{path} är en mapp, inte en fil.")
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is not None:
        check_size(size, max_bytes)
    data = source.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return data
