"""Reading CSV files as Swedish Excel writes them: semicolons (or tabs or commas, as the file's
first lines show), Windows-1252 or UTF-8 with or without BOM, Excel's "sep=;" line. No ORM."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter

from .scanning import implied_merges, sheet_from_head
from .workbook import (
    HEADER_SCAN_ROWS,
    ReadError,
    Sheet,
    Workbook,
    count_text,
    grid_rows,
    workbook_of,
)

MAX_COLUMNS = 16_384  # as many as a sheet in Excel has
CSV_DELIMITERS = (";", "\t", ",")  # in order of preference on a tie: Swedish Excel writes ;


def looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


def decode_csv(data: bytes) -> str:
    """Return a CSV file's text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
    text"), else Windows-1252 (what Swedish Excel writes as "CSV (semikolonavgränsad)")."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        "Filen kan inte läsas som text (CSV). Spara listan i Excel som ”CSV UTF-8” eller som "
        "Excel-arbetsbok (.xlsx) och försök igen."
    )


def sniff_delimiter(lines: list[str]) -> str:
    """Return the delimiter that splits the first lines into the same number of fields most
    often (more than one); semicolon on a tie. Commas inside texts in a semicolon file split
    unevenly, so they lose."""

    best, best_score = ";", -1
    for delimiter in CSV_DELIMITERS:
        counts: Counter = Counter()
        try:
            for record in csv.reader(lines, delimiter=delimiter):
                if len(record) > 1:
                    counts[len(record)] += 1
        except csv.Error:  # reported when the file is read with the delimiter chosen
            pass
        score = max(counts.values(), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# The longest field a CSV list may have (characters): the csv module's own default.
CSV_FIELD_LIMIT = 131_072


def open_csv(data: bytes, *, max_rows: int, year: int) -> Workbook:

    text = decode_csv(data)
    first_line, _, rest = text.partition("\n")
    delimiter = None
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter, text = first_line.strip()[4], rest  # Excel's own "sep=;" line
    sample = io.StringIO(text[: 64 * 1024], newline="")
    delimiter = delimiter or sniff_delimiter(list(itertools.islice(sample, 50)))
    lines = io.StringIO(text, newline="")
    grid: list[list] = []
    # The csv module's limit on a field is process-wide and other libraries raise it; the reader
    # keeps its own, so that a quote that never closes is refused rather than read to the end.
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        for record in csv.reader(lines, delimiter=delimiter):
            if len(grid) >= max_rows:
                raise ReadError(
                    f"Filen har fler än {count_text(max_rows)} rader. Dela upp listan i flera filer."
                )
            if len(record) > MAX_COLUMNS:
                raise ReadError(
                    f"Rad {len(grid) + 1} har {count_text(len(record))} kolumner; ett blad i Excel "
                    f"har högst {count_text(MAX_COLUMNS)}. Filen verkar inte vara en lista."
                )
            grid.append([value.strip() or None for value in record])
    except csv.Error as exc:
        raise ReadError(
            f"Filen kan inte läsas som CSV (rad {len(grid) + 1}): ett fält är för långt eller ett "
            "citattecken avslutas aldrig. Spara listan på nytt från Excel och försök igen."
        ) from exc
    finally:
        csv.field_size_limit(previous_limit)
    while grid and not any(grid[-1]):
        grid.pop()
    title = "CSV"
    head = grid[:HEADER_SCAN_ROWS]
    sheets: list[Sheet] = []
    skipped: list[tuple[str, str]] = []

    def rows(first_data, columns):
        return grid_rows(title, grid, first_data, columns)

    sheet = sheet_from_head(title, head, implied_merges(head), len(grid), rows, year, skipped)
    if sheet is None:
        raise ReadError(
            "Filen är inte en Excel-arbetsbok, och som CSV-fil (text) har den ingen rubrikrad med "
            "kända kolumner som Namn, Samverkansform och Parter. Spara listan som .xlsx, .xls "
            "eller CSV i Excel och försök igen."
        )
    sheets.append(sheet)
    return workbook_of(sheets, skipped, sheet.row_count)
