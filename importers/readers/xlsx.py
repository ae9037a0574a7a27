"""Reading .xlsx workbooks with openpyxl in read-only mode: the values, the formulas when a
sheet has any, and what openpyxl cannot tell without parsing a whole sheet (its last row, its
merged cells), found by scanning the sheet's XML in chunks. No ORM."""

from __future__ import annotations

import io
import posixpath
import re
import threading
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree as CElementTree
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import openpyxl
from defusedxml import (
    DefusedXmlException,
    ElementTree,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from openpyxl.cell.text import Text
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet import _reader as openpyxl_sheet_reader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS

from .headers import Column
from .scanning import sheet_from_head
from .workbook import HEADER_SCAN_ROWS, ReadError, Row, Sheet, Workbook, check_rows, workbook_of


def load_values(data: bytes):
    """Open an .xlsx file's cached values, read only (whose archive the guard has let through);
    the one place besides :func:`open_xlsx` that reads with openpyxl (the agenda lists)."""
    try:
        return _load(data, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Kontrollera att den är "
            "sparad som Excel-arbetsbok och inte är skadad."
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on broken XML.
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xlsx). Den verkar vara skadad."
        ) from exc


def open_xlsx(data: bytes, archive: zipfile.ZipFile, *, max_rows: int, year: int) -> Workbook:
    """Read an .xlsx file whose archive the guard (:mod:`.archive`) has let through."""
    values_book = load_values(data)
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
        scan = scan_sheet(archive, parts.get(ws.title))
        max_row = scan.last_row
        check_rows(ws.title, max_row, max_rows)
        try:
            head = _head_rows(ws)
        except Exception as exc:  # noqa: BLE001
            raise ReadError(
                f"Bladet ”{ws.title}” kan inte läsas; filen verkar vara skadad."
            ) from exc
        formulas_book = None
        if scan.has_formulas:
            formulas_book = _load(data, data_only=False)

        def rows(first_data, columns, ws=ws, formulas_book=formulas_book):
            formula_ws = formulas_book[ws.title] if formulas_book else None
            return _iter_rows(ws, formula_ws, first_data, columns, max_rows)

        sheet = sheet_from_head(ws.title, head, scan.merges, max_row, rows, year, skipped)
        if sheet is not None:
            total += sheet.row_count
            sheets.append(sheet)
    return workbook_of(sheets, skipped, total)


# --- A read-only sheet's size, without openpyxl parsing the sheet twice ------------------------
#
# openpyxl's read-only worksheet learns its size when the workbook is opened
# (``ReadOnlyWorksheet._get_size``): it parses the sheet's XML into elements until the
# ``<dimension>`` element, or to the end of ``<sheetData>`` when the sheet has none (files written
# by openpyxl's own write-only mode, and other programs, have none) - a whole second parse of
# the sheet before the rows are read, half of the time reading such a file takes. The reader opens
# its workbooks with :func:`_sheet_size` instead, which gives the same answer from one pass of
# the C parser (expat) without building elements: the first ``<dimension>`` element's boundaries,
# as openpyxl reads them, found before ``<sheetData>``; without one, the sheet is still parsed to
# its end, so that a sheet whose XML is broken, or that declares entities (defusedxml's rule,
# which openpyxl follows), is refused when the workbook is opened, with the same exception.
# Only the reader's own opening uses it (a thread-local switch): openpyxl elsewhere is unchanged.

_own_size = threading.local()
_openpyxl_get_size = ReadOnlyWorksheet._get_size
_SIZE_CHUNK = 1024 * 1024


class _Stop(Exception):  # noqa: N818 - not an error: the answer has been found
    def __init__(self, dimensions=None):
        self.dimensions = dimensions


def _sheet_size(source):
    """Return what openpyxl's ``parse_dimensions`` returns for the sheet's XML ``source``."""
    parser = expat.ParserCreate(namespace_separator="}")
    dimension, data = DIMENSION_TAG[1:], DATA_TAG[1:]

    def start(name, attrs):
        if name == dimension:
            element = Element(DIMENSION_TAG, attrs)
            raise _Stop(SheetDimension.from_tree(element).boundaries)
        if name == data:  # no dimension before the rows: none at all; check the rest's XML
            parser.StartElementHandler = None

    def entity(*args):
        raise EntitiesForbidden(*args[:1], None, None, None, None, None)

    def external(context, base, system_id, public_id):
        raise ExternalReferenceForbidden(context, base, system_id, public_id)

    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        while chunk := source.read(_SIZE_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop as stop:
        return stop.dimensions
    except expat.ExpatError as exc:  # as ElementTree (openpyxl's parser) raises it
        error = ParseError(str(exc))
        error.code, error.position = exc.code, (exc.lineno, exc.offset)
        raise error from exc
    return None


def _get_size(self):
    if not getattr(_own_size, "on", False):
        return _openpyxl_get_size(self)
    with self._get_source() as src:
        dimensions = _sheet_size(src)
    if dimensions is not None:
        self._min_column, self._min_row, self._max_column, self._max_row = dimensions
    return None


ReadOnlyWorksheet._get_size = _get_size


@contextmanager
def _sizes_from_one_pass():
    before = getattr(_own_size, "on", False)
    _own_size.on = True
    try:
        yield
    finally:
        _own_size.on = before


def _load(data: bytes, *, data_only: bool):
    """openpyxl's ``load_workbook``, read only, each sheet's size found by :func:`_sheet_size`."""
    with _sizes_from_one_pass():
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
        )


# --- A sheet's rows parsed by the C parser ---------------------------------------------------
#
# openpyxl parses a sheet with defusedxml's ``iterparse`` when defusedxml is installed (it is:
# the reader uses it), which is ElementTree's pure-Python parser and tree builder, so that it can
# refuse entity declarations: most of the time reading a sheet's rows takes. Entities can only be
# declared in a DOCTYPE, before the sheet's root element; a sheet whose XML starts with its root
# element (after an XML declaration, comments, processing instructions: Excel's and every
# program's own sheets) is parsed by ElementTree's C parser instead, which builds the same
# elements for openpyxl's own row and cell parsing (values, types, dates, shared strings: all
# unchanged). Any other sheet is parsed as before. Only the rows the reader asks for are parsed so
# (:func:`_c_parsed`, a thread-local switch while openpyxl starts its parse).

_c_parse = threading.local()
_openpyxl_iterparse = openpyxl_sheet_reader.iterparse
_HEAD = 64 * 1024


def _prolog_is_plain(head: bytes) -> bool:
    """Whether ``head`` (the start of an XML document) reaches its root element with nothing but
    an XML declaration, comments, processing instructions and white space before it."""
    i, n = (3 if head.startswith(b"\xef\xbb\xbf") else 0), len(head)
    while True:
        while i < n and head[i] in b" \t\r\n":
            i += 1
        if head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            if end < 0:
                return False
            i = end + 2
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            if end < 0:
                return False
            i = end + 3
        else:
            return head.startswith(b"<", i) and head[i + 1 : i + 2] not in (b"", b"!", b"?", b"/")


class _Replay:
    """A stream that gives back ``head`` and then the rest of ``source``."""

    def __init__(self, head: bytes, source):
        self.head, self.source = head, source

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.source.read(size)


def _iterparse(source, *args, **kwargs):
    if not getattr(_c_parse, "on", False) or args or kwargs:
        return _openpyxl_iterparse(source, *args, **kwargs)
    head = source.read(_HEAD)
    parse = CElementTree.iterparse if _prolog_is_plain(head) else _openpyxl_iterparse
    return parse(_Replay(head, source))


openpyxl_sheet_reader.iterparse = _iterparse


def _c_parsed(rows):
    """Yield from openpyxl's ``rows`` (an ``iter_rows`` generator), its sheet parsed by the C
    parser when that gives the same elements (see above)."""
    before = getattr(_c_parse, "on", False)
    _c_parse.on = True
    try:
        first = next(rows, _NO_ROW)  # openpyxl opens its parser on the first row
    finally:
        _c_parse.on = before
    if first is _NO_ROW:
        return
    yield first
    yield from rows


_NO_ROW = object()


# --- A cell's inline string ------------------------------------------------------------------
#
# openpyxl reads a cell's inline string (``<c t="inlineStr"><is><t>…</t></is></c>``, what
# openpyxl's own write-only mode and many exports write) as ``Text.from_tree(is).content``: a
# Text object built by openpyxl's generic descriptors for every cell, most of the time its
# row parsing takes on such a sheet. For the plain shape - an ``<is>`` without attributes whose
# one child is a ``<t>`` - that is the ``<t>``'s text ("" when it has none), which is what
# :class:`_InlineText` gives; any other shape (rich text runs, phonetic text, attributes) is
# Text's own. The same value for every cell, whoever reads it with openpyxl.

_INLINE_T = f"{{{SHEET_MAIN_NS}}}t"


class _PlainText:
    __slots__ = ("content",)

    def __init__(self, content: str):
        self.content = content


class _InlineText:
    """openpyxl's ``Text`` as the sheet parser uses it: ``from_tree(node).content``."""

    @staticmethod
    def from_tree(node):
        if len(node) == 1 and not node.attrib:
            t = node[0]
            if t.tag == _INLINE_T:
                return _PlainText(t.text or "")
        return Text.from_tree(node)


openpyxl_sheet_reader.Text = _InlineText


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


def scan_sheet(archive: zipfile.ZipFile, path: str | None) -> SheetScan:
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
    for row in _c_parsed(ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)):
        rows.append(list(row))
    return rows


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
    value_rows = _c_parsed(ws.iter_rows(min_row=first_row, max_col=last_wanted, values_only=True))
    formula_rows = (
        _c_parsed(formula_ws.iter_rows(min_row=first_row, max_col=last_wanted, values_only=True))
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
