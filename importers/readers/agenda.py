"""Reading an agenda list (.xlsx) of a joint body into plain rows; no ORM.

The first sheet with a header row (within its first 30 rows) naming the meeting
(*Sammanträde*, *Datum*) and the item's title (*Rubrik*, *Ärende*) is read; *Ärende nr*,
*Verksamhetsområde* and *Handling* are optional. Every row with anything in it is an agenda item;
everything wrong is collected and the file refused whole (:class:`RowErrors`, one Swedish
message per row at fault).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass

from ..text import cell_text, fold
from .archive import open_archive
from .workbook import (
    HEADER_SCAN_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    ReadError,
    RowErrors,
    check_size,
    count_text,
)
from .xlsx import load_values

# The header texts (folded: case, diacritics and punctuation ignored) of each column.
HEADERS = {
    "meeting": {
        "sammantrade",
        "sammantradesdatum",
        "sammantradesdag",
        "sammantrade datum",
        "datum",
        "mote",
        "motesdatum",
        "motesdag",
    },
    "number": {
        "arende nr",
        "arendenr",
        "arendenummer",
        "arende nummer",
        "nr",
        "nummer",
        "paragraf",
        "punkt",
    },
    "title": {"rubrik", "arende", "arenderubrik", "arendemening", "titel", "beskrivning"},
    "area": {"verksamhetsomrade", "omrade", "verksamhet"},
    "url": {"handling", "handlingar", "lank", "url", "lank till handling", "dokument"},
}
REQUIRED = {"meeting": "Sammanträde", "title": "Rubrik"}

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"  # 2027-02-10
    r"(?:[ T]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?)?$",  # 09:00, kl. 9.00
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgendaRow:
    sheet: str
    row: int  # the row number Excel shows
    day: dt.date
    time: dt.time | None
    number: str
    title: str
    area: str
    url: str

    @property
    def label(self) -> str:
        return f"Rad {self.row} i bladet ”{self.sheet}”"


def meeting_moment(value) -> tuple[dt.date, dt.time | None]:
    """Return the day and (when given) the time a *Sammanträde* cell names; raise ValueError."""
    if isinstance(value, dt.datetime):
        time = value.time()
        return value.date(), (None if time == dt.time(0, 0) else time.replace(second=0))
    if isinstance(value, dt.date):
        return value, None
    match = _DATE.match(cell_text(value))
    if match is None:
        raise ValueError(value)
    year, month, day, hour, minute = match.groups()
    date = dt.date(int(year), int(month), int(day))
    if hour is None:
        return date, None
    return date, dt.time(int(hour), int(minute))


def _header(row: tuple) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        text = fold(cell_text(value))
        for column, names in HEADERS.items():
            if text in names and column not in found:
                found[column] = index
    return found if all(column in found for column in REQUIRED) else None


def _rows(ws, title: str) -> tuple[dict[str, int], list[tuple[int, tuple]]] | None:
    rows = ws.iter_rows(values_only=True)
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SCAN_ROWS:
            return None
        columns = _header(row)
        if columns is not None:
            data = []
            for data_number, values in enumerate(rows, start=number + 1):
                if data_number > MAX_ROWS:
                    raise ReadError(
                        f"Bladet ”{title}” har fler än {count_text(MAX_ROWS)} rader. Dela upp "
                        "listan i flera filer."
                    )
                data.append((data_number, values))
            return columns, data
    return None


def _row(sheet: str, number: int, values: tuple, columns: dict[str, int]):
    def cell(column: str) -> object:
        index = columns.get(column)
        return values[index] if index is not None and index < len(values) else None

    label = f"Rad {number} i bladet ”{sheet}”"
    title = cell_text(cell("title"))
    moment = cell("meeting")
    problems = []
    if not title:
        problems.append(f"{label}: ärendets rubrik saknas.")
    day = time = None
    if cell_text(moment) == "":
        problems.append(f"{label}: sammanträdets datum saknas.")
    else:
        try:
            day, time = meeting_moment(moment)
        except ValueError:
            problems.append(
                f"{label}: ”{cell_text(moment)}” är inget datum. Skriv till exempel 2027-02-10 "
                "eller 2027-02-10 09:00."
            )
    if problems:
        return None, problems
    return (
        AgendaRow(
            sheet=sheet,
            row=number,
            day=day,
            time=time,
            number=cell_text(cell("number")),
            title=" ".join(title.split()),
            area=cell_text(cell("area")),
            url=cell_text(cell("url")),
        ),
        [],
    )


def read_agenda(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[AgendaRow]:
    """Read the agenda items of an .xlsx agenda list.

    Raise :class:`ReadError` when the file is no workbook or no sheet has the columns,
    :class:`RowErrors` naming every row at fault.
    """
    check_size(len(data), max_bytes)
    if not data:
        raise ReadError("Filen är tom.")
    open_archive(data)  # the zip-bomb guard, before openpyxl reads anything
    book = load_values(data)
    try:
        found = None
        for ws in book.worksheets:
            if hasattr(ws, "iter_rows"):  # not a chart sheet
                found = _rows(ws, ws.title)
                if found is not None:
                    sheet = ws.title
                    break
    except ReadError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Kontrollera att den är sparad "
            "som Excel-arbetsbok och inte är skadad."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on broken XML
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Den verkar vara skadad."
        ) from exc
    if found is None:
        raise ReadError(
            "Ingen rubrikrad med kolumnerna Sammanträde och Rubrik hittades i något blad. "
            "Dagordningslistan behöver en rad med rubriker som Sammanträde, Ärende nr, Rubrik, "
            "Verksamhetsområde och Handling."
        )
    columns, data_rows = found
    read: list[AgendaRow] = []
    problems: list[str] = []
    for number, values in data_rows:
        if all(cell_text(v) == "" for v in values):
            continue
        row, wrong = _row(sheet, number, values, columns)
        problems.extend(wrong)
        if row is not None:
            read.append(row)
    if problems:
        raise RowErrors(problems)
    if not read:
        raise ReadError(f"Bladet ”{sheet}” har inga ärenden under rubrikraden.")
    return read
