"""Reading workbooks: headers below titles, merged headers, sheets, formulas, limits. No database."""

import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

import importers
from importers.readers import open_workbook, xlsx
from importers.readers.headers import classify_header
from importers.readers.workbook import ReadError

from .conftest import EXAMPLE, HEADER, build_xlsx, with_cached_values


def rows_of(sheet):
    return list(sheet.rows)


def test_it_finds_the_header_row_below_title_rows():
    data = build_xlsx(
        {
            "Lista": [
                ["Förteckning över samverkan 2025"],
                ["Belopp i tkr"],
                [],
                HEADER,
                ["Räddningstjänsten Syd", "Kommunalförbund", "Lund", "", "Räddningstjänst", 2006],
            ]
        }
    )
    book = open_workbook(data)
    sheet = book.sheets[0]
    assert sheet.header_row == 4
    assert [c.field for c in sheet.columns] == ["name", "form", "partners", "host", "area", "start"]
    [row] = rows_of(sheet)
    assert row.number == 5 and row.values[0] == "Räddningstjänsten Syd"
    assert sheet.default_multiplier == 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Benämning", ("name", None, None, None)),
        ("Typ av samverkan", ("form", None, None, None)),
        ("Samverkande kommuner", ("partners", None, None, None)),
        ("Huvudman", ("host", None, None, None)),
        ("KF-beslut", ("decision", None, None, None)),
        ("Giltig t.o.m.", ("end", None, None, None)),
        ("Kostnad 2024 (tkr)", ("cost", 2024, "outcome", 1000)),
        ("Budget 2025, mnkr", ("cost", 2025, "budget", 1_000_000)),
        ("Årlig kostnad", ("cost", None, "outcome", None)),
        ("Våra ledamöter", ("representatives", None, None, None)),
        ("Syfte/mål", ("purpose", None, None, None)),
        ("Anmärkning", ("comment", None, None, None)),
        ("Fotnot", (None, None, None, None)),
    ],
)
def test_it_recognises_swedish_column_names_and_their_variants(header, expected):
    assert classify_header(header) == expected


def test_a_merged_cost_header_over_year_columns_gives_one_cost_per_year():
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Form", "Kostnad (tkr)", None, None, "Medlemmar"],
                [None, None, 2022, 2023, 2024, None],
                ["Vårdförbundet", "Kommunalförbund", 10, 11, 12, "Borås"],
            ]
        },
        merges={"Blad1": ["C1:E1", "A1:A2", "B1:B2", "F1:F2"]},
    )
    sheet = open_workbook(data).sheets[0]
    costs = [(c.year, c.multiplier) for c in sheet.columns if c.field == "cost"]
    assert costs == [(2022, 1000), (2023, 1000), (2024, 1000)]
    [row] = rows_of(sheet)
    assert row.number == 3


def test_a_sheet_without_a_header_is_skipped_and_reported():
    data = build_xlsx(
        {
            "Instruktioner": [["Så fyller du i listan"], ["En rad per samverkan."]],
            "Förbund": [HEADER, ["A-förbundet", "Kommunalförbund", "Borås", "", "", ""]],
            "Avtal": [["Avtal"], HEADER, ["B-avtalet", "avtal", "Borås", "", "", ""]],
        }
    )
    book = open_workbook(data)
    assert [s.name for s in book.sheets] == ["Förbund", "Avtal"]
    assert book.skipped_sheets[0][0] == "Instruktioner"
    assert "Ingen rubrikrad" in book.skipped_sheets[0][1]


def test_formula_cells_use_their_cached_value_and_missing_values_are_flagged():
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Kostnad 2024"],
                ["X", "avtal", "=1+1"],
                ["Y", "avtal", "=2+2"],
            ]
        }
    )
    data = with_cached_values(data, {"C2": 2})
    first, second = rows_of(open_workbook(data).sheets[0])
    assert first.values[2] == 2 and first.formula_without_value == []
    assert 2 not in second.values and second.formula_without_value == [2]


def test_the_example_list_has_one_data_sheet_with_year_columns():
    book = open_workbook(EXAMPLE)
    assert [s.name for s in book.sheets] == ["Samverkan 2025"]
    assert book.skipped_sheets[0][0] == "Instruktioner"
    sheet = book.sheets[0]
    assert sheet.header_row == 4
    assert [(c.year, c.multiplier) for c in sheet.columns if c.field == "cost"] == [
        (2022, 1000),
        (2023, 1000),
        (2024, 1000),
    ]
    rows = rows_of(sheet)
    assert rows[0].values[6] == datetime(2009, 1, 1)
    assert rows[-1].values[0] == "Summa"


def test_it_refuses_a_file_that_is_not_a_workbook():
    with pytest.raises(ReadError, match="inte en Excel-arbetsbok"):
        open_workbook(b"\x00\x01 binary, not a list")
    with pytest.raises(ReadError, match="inte en Excel-arbetsbok.*ingen rubrikrad"):
        open_workbook(b"Hej, det har ar ett brev.\nMed vanliga rader.\n")


def test_it_refuses_an_encrypted_or_old_format_file():
    with pytest.raises(ReadError, match="lösenordsskyddad"):
        open_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_it_refuses_an_empty_file_and_an_empty_workbook():
    with pytest.raises(ReadError, match="tom"):
        open_workbook(b"")
    with pytest.raises(ReadError, match="Ingen rubrikrad"):
        open_workbook(build_xlsx({"Blad1": []}))


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(ReadError, match="kan inte läsas"):
        open_workbook(buffer.getvalue())


def test_it_refuses_files_over_the_size_limit_before_parsing():
    with pytest.raises(ReadError, match="för stor"):
        open_workbook(b"x" * 2000, max_bytes=1000)


def test_it_refuses_sheets_over_the_row_limit_from_the_dimension():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.cell(row=60, column=1, value="sista")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ReadError, match="högst 50 rader"):
        open_workbook(buffer.getvalue(), max_rows=50)


def test_scanning_a_sheet_in_tiny_chunks_finds_the_same_rows_merges_and_formulas(monkeypatch):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förteckning över samverkan"])
    sheet.append(HEADER)
    for i in range(40):
        sheet.append([f"Samverkan {i}", "avtal", "Vaxholm"])
    sheet["D3"] = "=1+1"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("A30:B31")
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).active
    part = xlsx.sheet_parts(archive)[ws.title]
    whole = xlsx.scan_sheet(archive, part)
    assert whole.last_row == 42 and whole.has_formulas
    assert whole.merges == [(1, 1, 3, 1), (1, 30, 2, 31)]
    for chunk in (7, 64, 1000):
        monkeypatch.setattr(xlsx, "SCAN_CHUNK", chunk)
        monkeypatch.setattr(xlsx, "SCAN_OVERLAP", 200)
        assert xlsx.scan_sheet(archive, part) == whole


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


# --- where a sheet's XML is (no private openpyxl API) ----------------------------------------


def _rewritten(data: bytes, renames: dict[str, str], absolute: bool = False) -> bytes:
    """Return the workbook with its sheet parts renamed, the workbook's relationships and the
    content types following them; the relationships' targets absolute ("/xl/worksheets/...",
    as openpyxl writes them) or relative to the workbook ("worksheets/...", as Excel does)."""

    def target(match):
        part = renames.get(match[1].lstrip("/"), match[1].lstrip("/"))
        return f'Target="{"/" + part if absolute else part.removeprefix("xl/")}"'

    def part_name(match):
        return f'PartName="/{renames.get(match[1], match[1])}"'

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                text = re.sub(r'Target="(/?xl/worksheets/[^"]+)"', target, content.decode())
                content = text.encode()
            elif item.filename == "[Content_Types].xml":
                content = re.sub(r'PartName="/([^"]+)"', part_name, content.decode()).encode()
            rewritten.writestr(renames.get(item.filename, item.filename), content)
    return out.getvalue()


def _two_sheets() -> bytes:
    return build_xlsx(
        {
            "Instruktioner": [["Fyll i en rad per samverkan."]],
            "Samverkan": [HEADER] + [[f"Samverkan {i}", "avtal", "Vaxholm"] for i in range(40)],
        },
        merges={"Samverkan": ["A30:B31"]},
    )


@pytest.mark.parametrize("absolute", [False, True])
def test_each_sheet_is_scanned_in_the_part_openpyxl_reads_whatever_the_parts_are_named(absolute):
    """Parts named against the sheets' order (as Excel leaves them after sheets are moved):
    the reader follows the package's relationships, as openpyxl does."""
    swapped = {
        "xl/worksheets/sheet1.xml": "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet2.xml": "xl/worksheets/sheet1.xml",
    }
    data = _rewritten(_two_sheets(), swapped, absolute=absolute)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = xlsx.sheet_parts(archive)
    assert parts == {
        "Instruktioner": "xl/worksheets/sheet2.xml",
        "Samverkan": "xl/worksheets/sheet1.xml",
    }
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    for ws in book.worksheets:  # openpyxl reads each sheet from the same part
        assert xlsx.scan_sheet(archive, parts[ws.title]).last_row == ws.max_row
    assert xlsx.scan_sheet(archive, parts["Samverkan"]).merges == [(1, 30, 2, 31)]
    workbook = open_workbook(data)
    [sheet] = workbook.sheets
    assert sheet.name == "Samverkan" and sheet.row_count == 40
    assert [name for name, _ in workbook.skipped_sheets] == ["Instruktioner"]


def test_a_package_without_relationships_has_no_sheet_parts():
    archive = zipfile.ZipFile(io.BytesIO(_two_sheets()))
    assert len(xlsx.sheet_parts(archive)) == 2
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in archive.infolist():
            if item.filename != "_rels/.rels":
                target.writestr(item, archive.read(item.filename))
    assert xlsx.sheet_parts(zipfile.ZipFile(out)) == {}


def test_the_importer_uses_no_private_openpyxl_attribute():
    import ast
    from pathlib import Path

    private = []
    for path in Path(importers.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_worksheet"):
                private.append(f"{path.name}:{node.lineno} {node.attr}")
            if isinstance(node, ast.Constant) and node.value == "_worksheet_path":
                private.append(f"{path.name}:{node.lineno} {node.value}")
    assert private == []
