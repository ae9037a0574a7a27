"""The one workbook writer: every XLSX the project hands out is built with it.

Text is always text: a cell that starts with = + - @ (or a tab or carriage return) never
becomes a formula, whoever wrote the text (another organisation's editor names a shared
arrangement, an imported file's cell). Characters XML cannot hold are dropped, so that odd input
never stops an export. Dates are dates (yyyy-mm-dd), numbers stay numbers (Decimal too), and a
yes/no is written "ja"/"nej". Sheet titles are made valid once, here.

The builders (open data, the introduction pack, the network's figures, the importer's template
and its invalid rows) say what goes where; only this module knows openpyxl's writing side.
``tests/register/reports/test_xlsx.py`` fails when another module builds a workbook itself.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# What a spreadsheet may read as the start of a formula (with tab and CR, as OWASP lists them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
# The text of a sheet that has no rows to show.
EMPTY = "Inga uppgifter"

TITLE_LENGTH = 31  # Excel's limit for a sheet's name
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
# What openpyxl writes as it is; anything else is written as its text.
_KEPT_TYPES = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta)
_WRAP = Alignment(wrap_text=True, vertical="top")


def clean_text(value: str) -> str:
    """Return ``value`` without the control characters an XLSX cannot hold (tab, LF and CR stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """Return a valid sheet name for ``title``: no []:*?/\\ and no control characters, at most
    31 characters, not starting or ending with an apostrophe, and not one of ``taken`` (compared
    without case, as Excel does: a second "Kostnader" becomes "Kostnader (2)")."""
    name = _TITLE_FORBIDDEN.sub("-", clean_text(str(title))).strip().strip("'").strip()
    name = name[:TITLE_LENGTH].rstrip().rstrip("'") or "Blad"
    used = {t.lower() for t in taken}
    number = 2
    candidate = name
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = name[: TITLE_LENGTH - len(suffix)].rstrip() + suffix
        number += 1
    return candidate


def write_cell(cell, value, *, int_format: str | None = None) -> None:
    """Write ``value`` to an openpyxl cell: text as text, never a formula; dates with
    yyyy-mm-dd; whole numbers with ``int_format`` when given; True/False as "ja"/"nej"."""
    if isinstance(value, bool):
        value = "ja" if value else "nej"
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel knows no time zones
    elif value is not None and not isinstance(value, _KEPT_TYPES):
        value = str(value)  # a lazy translation, a model: its text
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"  # openpyxl made "=..." a formula; it is text
            cell.quotePrefix = True  # and stays text when someone edits the cell in Excel
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and int_format:
        cell.number_format = int_format


class Sheet:
    """One worksheet of a ``Book``. Every value goes through ``write_cell``."""

    def __init__(self, worksheet, *, int_format: str | None = None):
        self._ws = worksheet
        self._int_format = int_format
        self._last_row = 0

    @property
    def title(self) -> str:
        return self._ws.title

    def write(
        self,
        row: int,
        column: int,
        value,
        *,
        bold: bool = False,
        size: float | None = None,
        fill: str | None = None,
        wrap: bool = False,
    ) -> None:
        """Write one cell (rows and columns from 1). ``fill`` is a colour as "RRGGBB"; ``wrap``
        wraps the text and aligns it to the top."""
        cell = self._ws.cell(row=row, column=column)
        write_cell(cell, value, int_format=self._int_format)
        if bold or size:
            cell.font = Font(bold=bold, size=size) if size else _BOLD
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if wrap:
            cell.alignment = _WRAP
        self._last_row = max(self._last_row, row)

    def append(self, values: Iterable, *, bold: bool = False) -> int:
        """Write ``values`` in the row after the last one written; return that row."""
        row = self._last_row + 1
        for column, value in enumerate(values, start=1):
            self.write(row, column, value, bold=bold)
        self._last_row = row
        return row

    def title_rows(self, title: str, *lines: str, row: int = 1) -> None:
        """Write a title (bold, larger) in column A and the lines below it."""
        self.write(row, 1, title, bold=True, size=14)
        for offset, line in enumerate(lines, start=1):
            self.write(row + offset, 1, line)

    def table(
        self,
        header: Iterable[str],
        rows: Iterable[Iterable],
        *,
        row: int = 1,
        freeze: bool = False,
        widths: Iterable[float] | None = None,
    ) -> None:
        """Write a bold header row at ``row`` and the rows under it. ``freeze`` keeps the header
        in view; ``widths`` sets the columns' widths from column A."""
        self._last_row = row - 1
        self.append(header, bold=True)
        if freeze:
            self.freeze(row + 1)
        for values in rows:
            self.append(values)
        for column, width in enumerate(widths or (), start=1):
            self.width(column, width)

    def width(self, column: int, width: float) -> None:
        self._ws.column_dimensions[get_column_letter(column)].width = width

    def freeze(self, row: int, column: int = 1) -> None:
        """Keep the rows above ``row`` and the columns left of ``column`` in view."""
        self._ws.freeze_panes = self._ws.cell(row=row, column=column).coordinate


class Book:
    """A workbook being written: ``add_sheet`` in the order the sheets are shown, then
    ``to_bytes``."""

    def __init__(self):
        self._book = Workbook()
        self._blank = self._book.active  # openpyxl's first sheet; the first add_sheet takes it

    def add_sheet(self, title: str, *, int_format: str | None = None) -> Sheet:
        """Add a sheet named ``title`` (made valid, see ``sheet_title``). ``int_format`` is the
        number format of its whole numbers, e.g. "#,##0"; none by default."""
        if self._blank is not None:
            worksheet, self._blank = self._blank, None
            worksheet.title = sheet_title(title)
        else:
            worksheet = self._book.create_sheet(sheet_title(title, self._book.sheetnames))
        return Sheet(worksheet, int_format=int_format)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()
