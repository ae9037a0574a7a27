"""What a reader makes of a file, whatever its format: a workbook of sheets whose rows hold
their cells by column, below a header block already understood; and the limits every format
keeps. No ORM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..text import cell_text
from .headers import JOINED_FIELDS, Column

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SCAN_ROWS = 30  # the rows read to find the header block


class ReadError(Exception):
    """The file cannot be read at all. The message is Swedish and says what to do."""


class RowErrors(ReadError):
    """The file can be read but some of its rows (or calendar events) are wrong: the file is
    refused whole. ``problems`` holds one Swedish message per row or event at fault."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


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


def workbook_of(sheets: list[Sheet], skipped: list[tuple[str, str]], total: int) -> Workbook:
    if not sheets:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in skipped)
        raise ReadError(
            "Ingen rubrikrad med kända kolumner hittades i något blad. Listan behöver en rad med "
            "rubriker som Namn, Samverkansform och Parter." + (f" ({reasons})" if reasons else "")
        )
    return Workbook(sheets=sheets, skipped_sheets=skipped, total_rows=total)


def check_rows(title: str, last_row: int | None, max_rows: int) -> None:
    if last_row and last_row > max_rows:
        raise ReadError(
            f"Bladet ”{title}” har {count_text(last_row)} rader; högst {count_text(max_rows)} rader "
            "tillåts. Dela upp listan i flera filer."
        )


def grid_rows(title: str, grid: list[list], first_row: int, columns: list[Column]):
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


def count_text(n: int) -> str:
    """Return a count as Swedish text, thousands apart ("100 000")."""
    return f"{n:,}".replace(",", " ")
