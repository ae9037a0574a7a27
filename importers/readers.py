"""Read the Excel lists municipalities keep. openpyxl in read-only mode; no ORM.

A workbook becomes sheets of rows keyed by *field* (name, form, partners, cost per year …).
The header row is found below title rows, merged header cells are spread over the columns they
cover, sheets with no recognisable header are skipped and reported, and columns that are not
recognised are kept as raw text.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException, ElementTree
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from .values import cell_text, find_unit, fold

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# What a sheet at the row limit needs once unpacked: 100,000 rows × at most about 1.1 KB of
# sheet XML (16 filled columns with long texts written inline, as openpyxl writes them, are
# 1.09 KB; the benchmark's 13 columns 0.79 KB; Excel's shared strings make rows smaller), so
# about 110 MB, and a margin. The setting IMPORT_MAX_UNCOMPRESSED_BYTES overrides it.
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
# A workbook is a few files per sheet plus styles and themes; hundreds at most.
MAX_MEMBERS = 1_000
# Sheet XML compresses about 10:1, styled empty rows 30:1, and even a sheet that repeats the
# same 30,000-character text on every row 240:1; a zip bomb about 1000:1 (deflate's limit).
# Only parts that unpack to more than RATIO_FROM_BYTES are judged: smaller ones cost little.
MAX_RATIO = 300
RATIO_FROM_BYTES = 10 * 1024 * 1024
INFLATE_CHUNK = 64 * 1024
HEADER_SCAN_ROWS = 30
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(Exception):
    """The file cannot be read at all. The message is Swedish and says what to do."""


# --- Column headers ----------------------------------------------------------------------

# Field → alternatives, written folded (lower case, no diacritics, punctuation as spaces).
FIELD_LABELS = {
    "name": (
        "namn", "benamning", "samverkan", "samverkans namn", "samverkansnamn", "namn pa samverkan",
        "namn pa samverkanen", "samverkan namn", "samarbete", "namn pa samarbetet",
    ),
    "form": (
        "samverkansform", "form", "typ av samverkan", "samverkanstyp", "juridisk form",
        "associationsform", "form for samverkan", "typ",
    ),
    "partners": (
        "parter", "medlemmar", "samverkande kommuner", "ovriga parter", "samverkansparter",
        "deltagande kommuner", "medlemskommuner", "ingaende kommuner", "samarbetsparter",
        "parter medlemmar", "partner", "partners", "deltagare", "ovriga medlemmar", "agare",
        "delagare",
    ),
    "host": (
        "vardkommun", "huvudman", "sate", "utforare", "vard", "vardkommun huvudman",
        "vardkommun sate", "huvudman utforare",
    ),
    "area": (
        "verksamhetsomrade", "omrade", "verksamhetsomraden", "sakomrade", "verksamhet",
    ),
    "responsible_body": (
        "ansvarig namnd", "namnd", "ansvarig styrelse", "politiskt ansvarig namnd",
        "ansvarig namnd styrelse",
    ),
    "contact": (
        "kontaktperson", "ansvarig tjansteperson", "kontakt", "ansvarig tjansteman",
        "handlaggare", "kontaktperson tjansteperson",
    ),
    "decision": (
        "beslut", "kf beslut", "beslutsdatum", "beslut om intrade", "beslut kf", "kf beslut datum",
        "intradesbeslut", "beslut i kf",
    ),
    "start": (
        "start", "startdatum", "sedan", "fran", "fr o m", "from", "startar", "start ar",
        "bildad", "gallande fran", "galler fran", "avtalsstart",
    ),
    "end": (
        "slut", "slutdatum", "giltig t o m", "giltig tom", "avtalstid", "t o m", "tom",
        "galler till", "avtalsslut", "upphor", "giltig till", "slutar", "avtalet lopar till",
    ),
    "notice": ("uppsagningstid", "uppsagning", "uppsagningstid manader"),
    "representatives": (
        "ledamoter", "representanter", "vara ledamoter", "vara representanter", "ledamot",
        "forteroendevalda", "fortroendevalda", "ledamoter och ersattare", "ombud",
    ),
    "purpose": ("syfte", "mal", "syfte mal", "syfte och mal", "andamal"),
    "last_review": (
        "senaste uppfoljning", "uppfoljning", "senast uppfoljd", "utvardering",
        "senaste utvardering",
    ),
    "comment": (
        "kommentar", "anmarkning", "kommentarer", "ovrigt", "noteringar", "anteckning",
        "anmarkningar",
    ),
    "orgnr": ("organisationsnummer", "orgnr", "org nr", "org nummer"),
    # The error column of a downloaded file of invalid rows: read past, never stored.
    "ignore": ("fel vid import",),
}  # fmt: skip
LABEL_TO_FIELD = {label: name for name, labels in FIELD_LABELS.items() for label in labels}

# The first (canonical) Swedish header for each field, used by the exporter and in messages.
FIELD_HEADERS = {
    "name": "Namn",
    "form": "Samverkansform",
    "partners": "Parter",
    "host": "Värdkommun",
    "area": "Verksamhetsområde",
    "responsible_body": "Ansvarig nämnd",
    "contact": "Kontaktperson",
    "decision": "KF-beslut",
    "start": "Startdatum",
    "end": "Slutdatum",
    "notice": "Uppsägningstid",
    "representatives": "Våra ledamöter",
    "purpose": "Syfte",
    "last_review": "Senaste uppföljning",
    "comment": "Kommentar",
    "orgnr": "Organisationsnummer",
    "cost": "Kostnad",
}

COST_WORDS = {
    "kostnad": "outcome",
    "arlig kostnad": "outcome",
    "kostnad per ar": "outcome",
    "var kostnad": "outcome",
    "kommunens kostnad": "outcome",
    "arskostnad": "outcome",
    "utfall": "outcome",
    "kostnad utfall": "outcome",
    "belopp": "outcome",
    "avgift": "outcome",
    "arsavgift": "outcome",
    "medlemsavgift": "outcome",
    "budget": "budget",
    "kostnad budget": "budget",
    "budgeterad kostnad": "budget",
    "prognos": "forecast",
    "kostnad prognos": "forecast",
}
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|2100)(?!\d)")
_UNIT_TOKENS = re.compile(
    r"\b(tkr|mnkr|mkr|msek|ksek|tsek|kr|kronor|sek|i|tusental|tusen|tusentals|miljoner|milj|mn)\b"
)


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    header: str
    field: str | None = None  # None: not recognised, kept as raw text
    year: int | None = None
    kind: str | None = None  # for costs: outcome / budget / forecast
    multiplier: int | None = None  # for costs: the unit in the header (tkr → 1000)


def classify_header(header: str) -> tuple[str | None, int | None, str | None, int | None]:
    """Return (field, year, cost kind, unit multiplier) for a column header."""
    text = cell_text(header)
    if not text:
        return None, None, None, None
    key = fold(text)
    if key in LABEL_TO_FIELD:
        return LABEL_TO_FIELD[key], None, None, None
    unit = find_unit(text)
    year_match = _YEAR.search(key)
    year = int(year_match[1]) if year_match else None
    rest = _cost_rest(text)
    if rest in COST_WORDS:
        return "cost", year, COST_WORDS[rest], unit
    without_parens = fold(re.sub(r"\(.*?\)", " ", text))
    if without_parens in LABEL_TO_FIELD:
        return LABEL_TO_FIELD[without_parens], None, None, None
    return None, None, None, None


# Fields whose values may stand in several columns (under a group heading such as "Kontakt"
# over name and e-mail): the row's value is the columns' values joined, in column order.
JOINED_FIELDS = {
    "contact": ", ",
    "comment": "; ",
    "purpose": " ",
    "partners": ", ",
    "representatives": "; ",
    "area": ", ",
    "last_review": "; ",
}


def _cost_rest(text: str) -> str:
    """Return a header text folded, without its years and units: what says the cost's kind."""
    return " ".join(_UNIT_TOKENS.sub(" ", _YEAR.sub(" ", fold(text))).split())


def classify_levels(parts: list[str]) -> tuple[str | None, int | None, str | None, int | None]:
    """Return (field, year, cost kind, unit multiplier) for a column whose header stands on one
    to three levels (``parts``, top first, merged cells already spread).

    The same rules as :func:`classify_header`, applied to the whole block: first the levels
    read as one header ("Kostnad" over "2024"); else a level that names a field, the topmost
    ("Kontakt" over "Namn" and "E-post" is the contact); else a cost, whose kind, year and
    unit may each come from any level ("Kostnad (tkr)" over "Budget" over "2025").
    """
    if len(parts) == 1:
        return classify_header(parts[0])
    whole = classify_header(" ".join(parts))
    if whole[0] is not None:
        return whole
    for part in parts:
        name = classify_header(part)[0]
        if name is not None and name != "cost":
            return name, None, None, None
    kind = year = unit = None
    for part in parts:  # the lowest level that says it wins
        rest = _cost_rest(part)
        if rest in COST_WORDS:
            kind = COST_WORDS[rest]
        elif rest:
            continue
        found = _YEAR.search(fold(part))
        year = int(found[1]) if found else year
        unit = find_unit(part) or unit
    if kind is None:
        return None, None, None, None
    return "cost", year, kind, unit


def map_columns(headers: list, default_year: int) -> list[Column]:
    """Return a Column for each non-empty header (a text, or a list of levels, top first).

    A second column of a field is raw text, except for the fields whose values may stand in
    several columns (:data:`JOINED_FIELDS`), and a second cost column of the same year and kind.
    """
    columns: list[Column] = []
    seen: set = set()
    for index, header in enumerate(headers):
        parts = [header] if isinstance(header, str) else list(header)
        parts = [p for i, p in enumerate(parts) if p and (i == 0 or p != parts[i - 1])]
        if not parts:
            continue
        text = " ".join(parts)
        name, year, kind, unit = classify_levels(parts)
        if name == "cost":
            key = ("cost", year or default_year, kind)
            if key in seen:
                name = None
            else:
                seen.add(key)
                columns.append(Column(index, text, "cost", year or default_year, kind, unit))
                continue
        elif name is not None:
            if name in seen and name not in JOINED_FIELDS:
                name = None
            else:
                seen.add(name)
        columns.append(Column(index, text, name))
    return columns


# --- The workbook ------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int  # 1-based row number in the sheet, as Excel shows it
    values: dict[int, object]  # column index → cached value
    formula_without_value: list[int] = field(default_factory=list)  # column indexes


@dataclass
class Sheet:
    name: str
    header_row: int
    columns: list[Column]
    row_count: int  # data rows below the header, as far as the sheet's dimension says
    rows: Iterator[Row]
    default_multiplier: int = 1

    @property
    def joined_columns(self) -> dict[int, list[int]]:
        """Return {first column: all its field's columns} for each field of
        :data:`JOINED_FIELDS` that stands in more than one column."""
        cached = self.__dict__.get("_joined")
        if cached is None:
            by_field: dict[str, list[int]] = {}
            for c in self.columns:
                if c.field in JOINED_FIELDS:
                    by_field.setdefault(c.field, []).append(c.index)
            cached = self.__dict__["_joined"] = {
                indexes[0]: indexes for indexes in by_field.values() if len(indexes) > 1
            }
        return cached

    def joined_values(self, values: dict[int, object]) -> dict[int, object]:
        """Return a row's values with each field that stands in several columns as one value
        (the columns' texts joined, in column order) in the field's first column."""
        joined = self.joined_columns
        if not joined:
            return values
        out = dict(values)
        for first, indexes in joined.items():
            texts = [cell_text(out.pop(i, None)) for i in indexes]
            texts = [t for t in texts if t]
            if texts:
                out[first] = JOINED_FIELDS[self.columns_by_index[first].field].join(texts)
        return out

    @property
    def columns_by_index(self) -> dict[int, Column]:
        cached = self.__dict__.get("_by_index")
        if cached is None:
            cached = self.__dict__["_by_index"] = {c.index: c for c in self.columns}
        return cached


@dataclass
class Workbook:
    sheets: list[Sheet]
    skipped_sheets: list[tuple[str, str]]  # (sheet name, reason)
    total_rows: int


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    if size > max_bytes:
        raise ReadError(
            f"Filen är för stor ({size / 1024 / 1024:.1f} MB). Största tillåtna storlek är "
            f"{max_bytes // (1024 * 1024)} MB. Dela upp listan i flera filer."
        )


def open_workbook(
    source,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_uncompressed: int | None = None,
    today_year: int | None = None,
) -> Workbook:
    """Open an xlsx file (path, bytes or binary file) and find its sheets' headers.

    Raise :class:`ReadError` with a Swedish message when the file cannot be read at all.
    ``max_uncompressed`` defaults to the setting IMPORT_MAX_UNCOMPRESSED_BYTES.
    """
    data = _read_bytes(source, max_bytes)
    if not data:
        raise ReadError("Filen är tom.")
    year = today_year or _this_year()
    if data[:8] == OLE_SIGNATURE:
        return _open_xls(data, max_rows=max_rows, year=year)
    if not data.startswith(b"PK") and _looks_like_text(data):
        return _open_csv(data, max_rows=max_rows, year=year)
    archive = open_archive(data, max_uncompressed=max_uncompressed)
    try:
        values_book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Kontrollera att den är "
            "sparad som Excel-arbetsbok och inte är skadad."
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on broken XML.
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Den verkar vara skadad."
        ) from exc
    if not values_book.worksheets:
        raise ReadError("Arbetsboken innehåller inga blad.")

    parts = sheet_parts(archive)
    sheets: list[Sheet] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    for ws in values_book.worksheets:
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            skipped.append((ws.title, "Bladet är ett diagram."))
            continue
        scan = _scan_sheet(archive, parts.get(ws.title))
        max_row = scan.last_row
        _check_rows(ws.title, max_row, max_rows)
        try:
            head = _head_rows(ws)
        except Exception as exc:  # noqa: BLE001
            raise ReadError(
                f"Bladet ”{ws.title}” kan inte läsas; filen verkar vara skadad."
            ) from exc
        formulas_book = None
        if scan.has_formulas:
            formulas_book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )

        def rows(first_data, columns, ws=ws, formulas_book=formulas_book):
            formula_ws = formulas_book[ws.title] if formulas_book else None
            return _iter_rows(ws, formula_ws, first_data, columns, max_rows)

        sheet = _sheet(ws.title, head, scan.merges, max_row, rows, year, skipped)
        if sheet is not None:
            total += sheet.row_count
            sheets.append(sheet)
    return _workbook(sheets, skipped, total)


def _workbook(sheets: list[Sheet], skipped: list[tuple[str, str]], total: int) -> Workbook:
    if not sheets:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in skipped)
        raise ReadError(
            "Ingen rubrikrad med kända kolumner hittades i något blad. Listan behöver en rad med "
            "rubriker som Namn, Samverkansform och Parter." + (f" ({reasons})" if reasons else "")
        )
    return Workbook(sheets=sheets, skipped_sheets=skipped, total_rows=total)


def _sheet(title, head, merges, last_row, rows, year, skipped) -> Sheet | None:
    """Return a sheet of any format once its header block is found, or None (then the reason
    is added to ``skipped``). ``rows(first data row, columns)`` iterates its data rows;
    ``last_row`` is its last row's number, as far as the file says."""
    if not any(any(cell_text(v) for v in row) for row in head):
        skipped.append((title, "Bladet är tomt."))
        return None
    found = find_header(head, merges, year_hint=_year_hint(title, head) or year)
    if found is None:
        skipped.append(
            (title, "Ingen rubrikrad hittades (till exempel Namn, Samverkansform, Parter).")
        )
        return None
    header_row, header_rows_used, columns = found
    first_data = header_row + header_rows_used
    return Sheet(
        name=title,
        header_row=header_row,
        columns=columns,
        row_count=max(0, (last_row or 0) - first_data + 1),
        rows=rows(first_data, columns),
        default_multiplier=_default_multiplier(head[: header_row - 1]),
    )


def _check_rows(title: str, last_row: int | None, max_rows: int) -> None:
    if last_row and last_row > max_rows:
        raise ReadError(
            f"Bladet ”{title}” har {_number(last_row)} rader; högst {_number(max_rows)} rader "
            "tillåts. Dela upp listan i flera filer."
        )


def _grid_rows(title: str, grid: list[list], first_row: int, columns: list[Column]):
    """Yield the data rows of a sheet read whole (.xls, CSV): the same rows as from .xlsx."""
    wanted = [c.index for c in columns]
    for number in range(first_row, len(grid) + 1):
        values = grid[number - 1]
        length = len(values)
        cells = {}
        for index in wanted:
            value = values[index] if index < length else None
            if value is not None and value != "":
                cells[index] = value
        yield Row(title, number, cells, [])


# --- .xls (Excel 97–2003), read with xlrd -------------------------------------------------


def _open_xls(data: bytes, *, max_rows: int, year: int) -> Workbook:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds of errors on broken files
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xls): den är lösenordsskyddad "
            "(krypterad) eller skadad. Öppna den i Excel, ta bort ett eventuellt lösenord och "
            "spara den som Excel-arbetsbok (.xlsx)."
        ) from exc
    sheets: list[Sheet] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            _check_rows(ws.name, ws.nrows, max_rows)
            grid = [
                [_xls_value(cell, book.datemode) for cell in ws.row(r)] for r in range(ws.nrows)
            ]
            merges = [(clo + 1, rlo + 1, chi, rhi) for rlo, rhi, clo, chi in ws.merged_cells]

            def rows(first_data, columns, title=ws.name, grid=grid):
                return _grid_rows(title, grid, first_data, columns)

            sheet = _sheet(ws.name, grid[:HEADER_SCAN_ROWS], merges, ws.nrows, rows, year, skipped)
            if sheet is not None:
                total += sheet.row_count
                sheets.append(sheet)
            book.unload_sheet(index)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError("Filen kan inte läsas till slut; den verkar vara skadad.") from exc
    return _workbook(sheets, skipped, total)


def _xls_value(cell, datemode: int):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


# --- CSV as Swedish Excel writes it -------------------------------------------------------

MAX_COLUMNS = 16_384  # as many as a sheet in Excel has
CSV_DELIMITERS = (";", "\t", ",")  # in order of preference on a tie: Swedish Excel writes ;


def _looks_like_text(data: bytes) -> bool:
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
    import csv
    from collections import Counter

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


def _open_csv(data: bytes, *, max_rows: int, year: int) -> Workbook:
    import csv

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
                    f"Filen har fler än {_number(max_rows)} rader. Dela upp listan i flera filer."
                )
            if len(record) > MAX_COLUMNS:
                raise ReadError(
                    f"Rad {len(grid) + 1} har {_number(len(record))} kolumner; ett blad i Excel "
                    f"har högst {_number(MAX_COLUMNS)}. Filen verkar inte vara en lista."
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
        return _grid_rows(title, grid, first_data, columns)

    sheet = _sheet(title, head, implied_merges(head), len(grid), rows, year, skipped)
    if sheet is None:
        raise ReadError(
            "Filen är inte en Excel-arbetsbok, och som CSV-fil (text) har den ingen rubrikrad med "
            "kända kolumner som Namn, Samverkansform och Parter. Spara listan som .xlsx, .xls "
            "eller CSV i Excel och försök igen."
        )
    sheets.append(sheet)
    return _workbook(sheets, skipped, sheet.row_count)


def implied_merges(head: list[list]) -> list[tuple[int, int, int, int]]:
    """Return the merged cells a CSV file lost: a heading followed by empty cells, above a row
    whose cells under all of them are headings (Excel writes a merged "Kostnad (tkr)" over three
    year columns as the heading and two empty cells)."""
    merges = []
    for r in range(len(head) - 1):
        row, below = head[r], head[r + 1]
        c = 0
        while c < len(row):
            text = cell_text(row[c])
            end = c
            while end + 1 < len(row) and not cell_text(row[end + 1]):
                end += 1
            end = min(end, len(below) - 1)
            if (
                text
                and end > c
                and all(_is_heading(cell_text(below[i])) for i in range(c, end + 1))
            ):
                merges.append((c + 1, r + 1, end + 1, r + 1))
            c = max(end, c) + 1
    return merges


def _is_heading(text: str) -> bool:
    if not text:
        return False
    rest = _cost_rest(text)
    return not rest or rest in COST_WORDS or classify_header(text)[0] is not None


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _megabytes(size: int) -> str:
    """Return ``size`` in MB as Swedish text: whole MB from 10 MB, else one decimal (comma)."""
    megabytes = size / 1024 / 1024
    return f"{megabytes:.0f}" if megabytes >= 10 else f"{megabytes:.1f}".replace(".", ",")


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
    """Return the workbook's zip archive once it is known to unpack to a sane size.

    Checked before openpyxl reads anything, so that a zip bomb costs neither time nor memory:
    the member count (from the end record, before the central directory is parsed), each
    member's and the total declared unpacked size, and the compression ratio. Then every member
    is inflated once in small chunks and counted, so that a member whose header understates
    its size is refused too: zipfile itself would inflate such a member whole into memory
    before noticing (``ZipFile.read`` asks zlib for everything at once).
    """
    limit = uncompressed_limit() if max_uncompressed is None else max_uncompressed
    damaged = "Filen är skadad och kan inte läsas som en Excel-arbetsbok."
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(
            "Filen är inte en Excel-arbetsbok (.xlsx eller .xls) eller en CSV-fil. Spara listan "
            "som .xlsx i Excel och försök igen."
        )
    count = _declared_member_count(data)
    if count is not None and count > MAX_MEMBERS:
        raise ReadError(
            f"Filen består av {_number(count)} delar; en Excel-arbetsbok här får ha högst "
            f"{_number(MAX_MEMBERS)}. Spara listan på nytt som .xlsx i Excel och försök igen."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        raise ReadError(damaged) from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError(damaged)
    too_big = (
        f"högst {_megabytes(limit)} MB tillåts, vilket räcker för 100 000 rader. Dela upp listan "
        "i flera filer eller ta bort bilder och tomma formaterade rader."
    )
    total = 0
    for info in infos:
        if info.file_size > limit:
            raise ReadError(
                f"En del av filen ({info.filename}) blir {_megabytes(info.file_size)} MB "
                f"uppackad; {too_big}"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise ReadError(
                f"Filen är packad ovanligt hårt (en del av den blir {_number(ratio)} gånger större "
                "uppackad) och ser inte ut som en vanlig Excel-arbetsbok. Den läses inte. Spara "
                "listan på nytt som .xlsx i Excel och försök igen."
            )
        total += info.file_size
    if total > limit:
        raise ReadError(f"Filen blir {_megabytes(total)} MB uppackad; {too_big}")
    for info in infos:
        _inflated_size(data, info)  # so no member unpacks to more than it declares
    return archive


def _declared_member_count(data: bytes) -> int | None:
    """Return the number of members the zip's end record declares (None if not found)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end == -1 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    if count != 0xFFFF:
        return count
    locator = end - 20  # a ZIP64 end record: its locator stands just before the end record
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return None
    offset = struct.unpack_from("<Q", data, locator + 8)[0]
    if data[offset : offset + 4] != b"PK\x06\x06" or offset + 40 > len(data):
        return None
    return struct.unpack_from("<Q", data, offset + 32)[0]


def _inflated_size(data: bytes, info: zipfile.ZipInfo) -> int:
    """Inflate one member in small chunks and return its real unpacked size.

    Refuse the file as soon as the member unpacks to more than its header says, never holding
    more than one chunk of it.
    """
    damaged = "Filen är skadad och kan inte läsas som en Excel-arbetsbok."
    if info.flag_bits & 0x1:
        raise ReadError(
            "Filen är lösenordsskyddad. Öppna den i Excel, ta bort lösenordet och spara den som "
            "Excel-arbetsbok (.xlsx)."
        )
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or start + 30 > len(data):
        raise ReadError(damaged)
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    payload = memoryview(data)[begin : begin + info.compress_size]
    if len(payload) < info.compress_size:
        raise ReadError(damaged)
    if info.compress_type == zipfile.ZIP_STORED:
        size, crc = len(payload), zlib.crc32(payload)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        size, crc = _inflate_counting(payload, info.file_size)
    else:
        raise ReadError(
            "Filen är packad på ett sätt som Excel inte använder. Spara listan på nytt som .xlsx "
            "i Excel och försök igen."
        )
    if size > info.file_size:
        raise ReadError(
            f"Filen är skadad eller manipulerad: en del av den ({info.filename}) blir större "
            "uppackad än filen själv anger. Den läses inte."
        )
    if size < info.file_size or crc != info.CRC:
        raise ReadError(damaged)
    return size


def _inflate_counting(payload: memoryview, ceiling: int) -> tuple[int, int]:
    """Return how many bytes a raw deflate stream unpacks to, and their CRC-32; stop as soon
    as it is past ``ceiling``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = crc = 0
    try:
        for offset in range(0, len(payload), INFLATE_CHUNK):
            pending = payload[offset : offset + INFLATE_CHUNK]
            while not inflater.eof:
                out = inflater.decompress(pending, INFLATE_CHUNK)
                size += len(out)
                if size > ceiling:
                    return size, crc
                crc = zlib.crc32(out, crc)
                pending = inflater.unconsumed_tail
                if not pending and not out:
                    break
            if inflater.eof:
                break
    except zlib.error as exc:
        raise ReadError("Filen är skadad och kan inte läsas som en Excel-arbetsbok.") from exc
    return size, crc


def _this_year() -> int:
    from datetime import date

    return date.today().year


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


_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
SCAN_CHUNK = 1024 * 1024
SCAN_OVERLAP = 4096  # longer than any row or mergeCell tag, so none is missed at a boundary


@dataclass
class SheetScan:
    """What the reader needs from a sheet's XML before openpyxl parses the sheet."""

    last_row: int | None = None
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    has_formulas: bool = False


# The package relationships of an xlsx file (ECMA-376 part 2, Open Packaging Conventions).
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return the name of every sheet's part in the archive, by sheet title, as openpyxl finds
    them: the package's office document (the workbook), its ``<sheet name r:id>`` elements and
    the workbook's relationships (a target relative to the workbook's folder, or absolute).

    openpyxl has no public API for where a sheet's XML is (its read-only sheet keeps it in a
    private attribute), and the reader scans that XML itself (:func:`_scan_sheet`), so the
    path is resolved here from the file format's own, documented relationships.
    ``tests/importers/test_readers.py`` pins that this finds the parts openpyxl reads, also
    when they are not named in the order of the sheets. A file without them gives no parts.
    """

    def relationships(source: str) -> dict[str, tuple[str, str]]:
        """Return {id: (type, part name)} of the part ``source`` ("" for the package)."""
        folder, name = posixpath.split(source)
        try:
            root = ElementTree.fromstring(
                archive.read(posixpath.join(folder, "_rels", f"{name}.rels"))
            )
        except (KeyError, ElementTree.ParseError, DefusedXmlException):
            return {}
        found = {}
        for rel in root.iter(_PACKAGE_RELS):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[rel.get("Id")] = (rel.get("Type") or "", posixpath.normpath(path))
        return found

    workbook = next(
        (path for kind, path in relationships("").values() if kind.endswith("/officeDocument")),
        None,
    )
    if workbook is None:
        return {}
    targets = relationships(workbook)
    try:
        root = ElementTree.fromstring(archive.read(workbook))
    except (KeyError, ElementTree.ParseError, DefusedXmlException):
        return {}
    parts = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID))
        if target is not None and sheet.get("name") is not None:
            parts[sheet.get("name")] = target[1]
    return parts


def _scan_sheet(archive: zipfile.ZipFile, path: str | None) -> SheetScan:
    """Scan the sheet's XML (the part ``path``, :func:`sheet_parts`) in chunks for its last
    row, merged ranges and formulas.

    openpyxl's own ``max_row`` parses the whole sheet when the dimension tag is missing; the
    last ``<row r="…">`` element is found with backwards searches instead. The sheet is read in
    chunks that overlap a little, so it is never held in memory whole.
    """
    scan = SheetScan()
    if not path:
        return scan
    try:
        stream = archive.open(path)
    except KeyError:
        return scan
    head = b""
    carry = b""
    position = 0  # where the next chunk starts in the sheet's XML
    merges_from = 0  # merged ranges ending before this were taken from an earlier chunk
    with stream:
        while chunk := stream.read(SCAN_CHUNK):
            if len(head) < 4096:
                head = (head + chunk)[:4096]
            buffer = carry + chunk
            start = position - len(carry)
            last = _last_row_in(buffer)
            if last is not None:
                scan.last_row = last
            for m in _MERGE.finditer(buffer):
                if start + m.start() >= merges_from:
                    scan.merges.extend(_merged_range(m))
                    merges_from = start + m.end()
            scan.has_formulas = scan.has_formulas or b"<f" in buffer
            position += len(chunk)
            carry = buffer[-SCAN_OVERLAP:]
    if scan.last_row is None:
        m = _DIMENSION.search(head)
        if m and m[1]:
            scan.last_row = int(m[1])
    return scan


def _last_row_in(xml: bytes) -> int | None:
    """Return the number of the last complete ``<row r="…">`` tag in ``xml``, if any."""
    end = len(xml)
    while end > 0:
        start = max(xml.rfind(b"<row ", 0, end), xml.rfind(b":row ", 0, end))
        if start == -1:
            return None
        m = _LAST_ROW.match(xml, xml.rfind(b"<", 0, start + 1))
        if m:
            return int(m[1])
        end = start
    return None


def _merged_range(m: re.Match) -> list[tuple[int, int, int, int]]:
    """Return a mergeCell match as [(min_col, min_row, max_col, max_row)], 1-based (or [])."""
    try:
        return [
            (
                column_index_from_string(m[1].decode()),
                int(m[2]),
                column_index_from_string(m[3].decode()),
                int(m[4]),
            )
        ]
    except ValueError:
        return []


def _head_rows(ws) -> list[list]:
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True):
        rows.append(list(row))
    return rows


def _year_hint(title: str, head: list[list]) -> int | None:
    for text in [title] + [cell_text(row[0]) for row in head[:3] if row]:
        m = _YEAR.search(text or "")
        if m:
            return int(m[1])
    return None


def _default_multiplier(title_rows: list[list]) -> int:
    for row in title_rows:
        for value in row:
            text = cell_text(value).casefold()
            if "belopp" in text or "kostnad" in text:
                unit = find_unit(text)
                if unit:
                    return unit
    return 1


def _score(columns: list[Column]) -> int:
    return sum(1 for c in columns if c.field)


HEADER_LEVELS = 3  # a header block is one to three rows


def find_header(
    head: list[list], merges: list[tuple[int, int, int, int]], *, year_hint: int
) -> tuple[int, int, list[Column]] | None:
    """Return (first header row number, number of header rows, columns), or None.

    The header block is found before any data is read. Its *leaf* row is the first row, among
    the top rows, with a name column and at least one more recognised column. Merged cells are
    spread over the cells they cover, and the block grows from the leaf row to at most
    :data:`HEADER_LEVELS` rows: a row above it when that makes more columns recognised (a
    group heading such as "Kontakt" over name and e-mail, "Kostnad (tkr)" over years), a row
    below it when it reads as sub-headings (years, budget/utfall, or cells under a merged
    heading) and has nothing in the name column. Each column's header is then its levels read
    together (:func:`classify_levels`).
    """
    width = max((len(r) for r in head), default=0)
    own = [[cell_text(v) for v in row] + [""] * (width - len(row)) for row in head]
    grid = [list(row) for row in own]
    spanning = [[False] * width for _ in grid]  # part of a merge wider than one column
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(grid) or min_col > width:
            continue
        value = own[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, len(grid)) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if not grid[r - 1][c - 1]:
                    grid[r - 1][c - 1] = value
                spanning[r - 1][c - 1] = max_col > min_col
    for leaf, row in enumerate(grid):
        columns = map_columns(row, year_hint)
        if "name" not in {c.field for c in columns} or _score(columns) < 2:
            continue
        name_col = next(c.index for c in columns if c.field == "name")
        top = bottom = leaf

        def block(first: int, last: int) -> list[Column]:
            levels = [[grid[r][c] for r in range(first, last + 1)] for c in range(width)]
            return map_columns(levels, year_hint)

        while bottom + 1 < len(grid) and bottom - top + 1 < HEADER_LEVELS:
            below = bottom + 1
            if not _reads_as_subheadings(own[below], spanning[bottom], name_col):
                break
            candidate = block(top, below)
            if _score(candidate) < _score(columns):
                break
            bottom, columns = below, candidate
        while top > 0 and bottom - top + 1 < HEADER_LEVELS:
            candidate = block(top - 1, bottom)
            if _score(candidate) <= _score(columns):
                break
            top, columns = top - 1, candidate
        return top + 1, bottom - top + 1, columns
    return None


def _reads_as_subheadings(cells: list[str], above_spans: list[bool], name_col: int) -> bool:
    """Return True if a row below the header's leaf row is more header, not data: nothing in
    the name column, some text, and every text a year, a cost word or a unit, or standing under
    a merged heading over several columns."""
    if cells[name_col] or not any(cells) or _has_data_like(cells):
        return False
    for index, text in enumerate(cells):
        if not text or above_spans[index]:
            continue
        rest = _cost_rest(text)
        if rest and rest not in COST_WORDS:
            return False
    return True


def _has_data_like(row: list[str]) -> bool:
    """Return True if the row looks like data rather than sub-headers (long texts)."""
    return any(len(text) > 40 for text in row)


def _iter_rows(ws, formula_ws, first_row: int, columns: list[Column], max_rows: int):
    try:
        yield from _iter_rows_unchecked(ws, formula_ws, first_row, columns, max_rows)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of errors on broken XML
        raise ReadError(
            f"Bladet ”{ws.title}” kan inte läsas till slut; filen verkar vara skadad."
        ) from exc


def _iter_rows_unchecked(ws, formula_ws, first_row: int, columns: list[Column], max_rows: int):
    wanted = [c.index for c in columns]
    last_wanted = max(wanted) + 1 if wanted else 0
    value_rows = ws.iter_rows(min_row=first_row, max_col=last_wanted, values_only=True)
    formula_rows = (
        formula_ws.iter_rows(min_row=first_row, max_col=last_wanted, values_only=True)
        if formula_ws is not None
        else None
    )
    number = first_row - 1
    for values in value_rows:
        number += 1
        if number > max_rows + 1:
            raise ReadError(
                f"Bladet ”{ws.title}” har fler än {max_rows} rader. Dela upp listan i flera filer."
            )
        formulas = next(formula_rows, None) if formula_rows is not None else None
        cells = {}
        missing = []
        length = len(values)
        for index in wanted:
            value = values[index] if index < length else None
            if formulas is not None and index < len(formulas):
                formula = formulas[index]
                if isinstance(formula, str) and formula.startswith("=") and value is None:
                    missing.append(index)
            if value is not None:
                cells[index] = value
        yield Row(ws.title, number, cells, missing)
