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
