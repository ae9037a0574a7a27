"""register/reports/xlsx.py, the one workbook writer: text is text (never a formula), numbers
stay numbers, dates are dates, bad characters and sheet titles never stop an export."""

import ast
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from register.reports import xlsx


def reload(book: xlsx.Book):
    return openpyxl.load_workbook(io.BytesIO(book.to_bytes()))


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "=1+1",
        "+46 8 555 000 00",
        "-2",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    book = xlsx.Book()
    book.add_sheet("Blad").write(1, 1, text)
    cell = reload(book).active["A1"]
    assert cell.data_type == "s"
    # XML reads a bare carriage return back as a line feed; either way it stays text.
    assert cell.value == text.replace("\r", "\n") or cell.value == text
    assert cell.quotePrefix


def test_plain_text_gets_no_quote_prefix():
    book = xlsx.Book()
    book.add_sheet("Blad").write(1, 1, "Täby kommun")
    cell = reload(book).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("Täby kommun", "s", False)


def test_numbers_stay_numbers_and_dates_are_dates_with_the_format():
    book = xlsx.Book()
    sheet = book.add_sheet("Tal", int_format="#,##0")
    sheet.append([1_200_000, Decimal("12.5"), 33.3, dt.date(2024, 3, 1), None, True, False])
    plain = book.add_sheet("Utan format")
    plain.append([2024])
    loaded = reload(book)
    a, b, c, d, e, yes, no = next(loaded["Tal"].iter_rows())
    assert (a.value, a.data_type, a.number_format) == (1_200_000, "n", "#,##0")
    assert (b.value, b.data_type) == (12.5, "n")
    assert (c.value, c.data_type, c.number_format) == (33.3, "n", "General")
    assert d.value == dt.datetime(2024, 3, 1) and d.is_date
    assert d.number_format == "yyyy-mm-dd"
    assert e.value is None
    assert (yes.value, no.value) == ("ja", "nej")
    assert loaded["Utan format"]["A1"].number_format == "General"


def test_an_aware_datetime_is_written_in_local_time():
    book = xlsx.Book()
    moment = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
    book.add_sheet("Blad").write(1, 1, moment)
    assert reload(book).active["A1"].is_date


def test_an_illegal_control_character_is_dropped_not_fatal():
    book = xlsx.Book()
    sheet = book.add_sheet("Blad\x07")
    sheet.write(1, 1, "Rad\x00 ett\x1b\ntvå\tflik")
    sheet.write(2, 1, "\x01=1+1")  # a formula behind a control character is still text
    loaded = reload(book).active
    assert loaded.title == "Blad"
    assert loaded["A1"].value == "Rad ett\ntvå\tflik"
    assert (loaded["A2"].value, loaded["A2"].data_type) == ("=1+1", "s")


def test_sheet_titles_are_made_valid_and_unique():
    long = "Kostnader per samverkan och år: 2024/2025 [utfall]"
    assert xlsx.sheet_title(long) == "Kostnader per samverkan och år-"
    assert len(xlsx.sheet_title(long)) <= 31
    assert xlsx.sheet_title("a*b?c\\d") == "a-b-c-d"
    assert xlsx.sheet_title("'Citat'") == "Citat"
    assert xlsx.sheet_title("") == "Blad"
    book = xlsx.Book()
    names = [book.add_sheet(t).title for t in ("Kostnader", "kostnader", "Kostnader", "x" * 40)]
    assert names == ["Kostnader", "kostnader (2)", "Kostnader (3)", "x" * 31]
    assert reload(book).sheetnames == names


def test_table_title_rows_widths_and_frozen_header():
    book = xlsx.Book()
    sheet = book.add_sheet("Tabell")
    sheet.title_rows("Rubrik", "Underrubrik")
    sheet.table(["Namn", "Belopp"], [["=A", 1], ["B", 2]], row=4, freeze=True, widths=[30, 12])
    sheet.write(6, 2, 3, fill="FDECEE", wrap=True)
    loaded = reload(book).active
    assert loaded["A1"].font.bold and loaded["A1"].font.size == 14
    assert loaded["A2"].value == "Underrubrik" and not loaded["A2"].font.bold
    assert [c.value for c in loaded[4]] == ["Namn", "Belopp"]
    assert all(c.font.bold for c in loaded[4])
    assert loaded.freeze_panes == "A5"
    assert loaded.column_dimensions["A"].width == 30
    assert (loaded["A5"].value, loaded["A5"].data_type) == ("=A", "s")
    assert loaded["B6"].fill.fgColor.rgb.endswith("FDECEE")
    assert loaded["B6"].alignment.wrap_text
    assert sheet.append(["next"]) == 7


# --- every workbook the project writes goes through the writer -----------------------------------

ROOT = Path(__file__).resolve().parents[3]
# Only these modules may import openpyxl: the writer, and the importer's reader (read only).
OPENPYXL_ALLOWED = {"register/reports/xlsx.py", "importers/readers/xlsx.py"}
OTHER_WRITERS = {"xlsxwriter", "pyexcelerate", "xlwt", "odf", "pyexcel"}
# odfpy writes spreadsheets too; the governing documents' text reader (issue 24) only loads an
# .odt text and reads its paragraphs, with exactly these imports.
ODF_READER = "register/services/documents.py"
ODF_READING = {"odf", "odf.teletype", "odf.text", "odf.opendocument", "odf.opendocument.load"}


def _source_files():
    """The project's own modules; tests/ and bench/ build input workbooks on purpose."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "bench"} or any(p.startswith(".") for p in parts):
            continue
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(), str(path))


def _imports(name: str, tree) -> set[str]:
    """Every module ``name`` imports, relative imports made absolute ("from . import xlsx" in
    register/reports/intro_pack.py is register.reports.xlsx)."""
    package = name.removesuffix(".py").split("/")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_only_the_writer_builds_a_workbook():
    """A sixth workbook builder cannot appear silently: writing XLSX needs openpyxl (or another
    writer library), and only register/reports/xlsx.py may import one for writing."""
    uses = {}
    for name, tree in _source_files():
        for module in _imports(name, tree):
            top = module.split(".")[0]
            if top == "openpyxl":
                uses.setdefault(name, set()).add(module)
            if name == ODF_READER and module in ODF_READING:
                continue
            assert top not in OTHER_WRITERS, (
                f"{name} imports {module}: use register/reports/xlsx.py"
            )
        assert ".to_excel(" not in ast.unparse(tree), f"{name} writes Excel with pandas"
    assert set(uses) == OPENPYXL_ALLOWED, (
        f"{sorted(set(uses) - OPENPYXL_ALLOWED)} import openpyxl: write workbooks with "
        "register/reports/xlsx.py"
    )
    # The reader only reads: it loads workbooks and never makes or saves one.
    assert not [m for m in uses["importers/readers/xlsx.py"] if "Workbook" in m or "writer" in m]
    reader = dict(_source_files())["importers/readers/xlsx.py"]
    assert not [
        node.attr
        for node in ast.walk(reader)
        if isinstance(node, ast.Attribute) and node.attr in {"Workbook", "save"}
    ]


def test_the_five_builders_use_the_writer():
    for name in (
        "register/public/opendata.py",  # as_xlsx, whole_register_xlsx
        "register/reports/intro_pack.py",  # xlsx
        "register/reports/network.py",  # figures_xlsx
        "importers/exporters.py",  # export_portfolio, invalid_rows_workbook
    ):
        tree = ast.parse((ROOT / name).read_text())
        assert "register.reports.xlsx" in _imports(name, tree), name
    # Arrows point down: the core takes the writer from itself, not from the importer.
    assert not [
        name
        for name, tree in _source_files()
        if name.startswith("register/")
        and any(m.startswith("importers.exporters") for m in _imports(name, tree))
    ]
