"""Workbooks built in the tests with openpyxl, and a Playwright browser for the browser test."""

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "exempel_forteckning.xlsx"
SHARED_EXAMPLE = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "exempel_forteckning.xlsx"
)


def build_xlsx(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    """Return xlsx bytes with one sheet per key; each sheet is a list of rows (lists of cells)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached_values(data: bytes, values: dict[str, object], sheet_index: int = 1) -> bytes:
    """Return the workbook with cached values written for formula cells (as Excel saves them)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>',
                        rf"\g<1><v>{value}</v>",
                        text,
                    )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


HEADER = ["Namn", "Samverkansform", "Parter", "Värdkommun", "Verksamhetsområde", "Startdatum"]


@pytest.fixture
def xlsx():
    return build_xlsx


@pytest.fixture
def example_bytes():
    return EXAMPLE.read_bytes()


def build_xls(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    """Return .xls (Excel 97–2003) bytes, written with xlwt, with the same layout as
    :func:`build_xlsx` (merges as A1 ranges)."""
    from datetime import date, datetime

    import xlwt
    from openpyxl.utils.cell import range_boundaries

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        ranges = [range_boundaries(r) for r in (merges or {}).get(title, [])]
        covered = {
            (row, col)
            for min_col, min_row, max_col, max_row in ranges
            for row in range(min_row, max_row + 1)
            for col in range(min_col, max_col + 1)
        }
        for min_col, min_row, max_col, max_row in ranges:
            value = rows[min_row - 1][min_col - 1] if min_col <= len(rows[min_row - 1]) else None
            sheet.write_merge(min_row - 1, max_row - 1, min_col - 1, max_col - 1, value)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r + 1, c + 1) in covered:
                    continue
                if isinstance(value, datetime | date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_csv(
    rows: list[list], *, encoding: str = "cp1252", delimiter: str = ";", bom: bool = False
) -> bytes:
    """Return a CSV file as Swedish Excel writes one: semicolons, Windows-1252 (or UTF-8 with
    a byte order mark), CRLF, dates as 2019-01-01, merged cells as their first cell."""
    import csv
    from datetime import date, datetime

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                ""
                if v is None
                else v.date().isoformat()
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else str(v)
                for v in row
            ]
        )
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
