"""The reader finds a read-only sheet's size in one pass of the C parser
(``importers.readers.xlsx._sheet_size``) instead of openpyxl's second parse of the sheet: the same
answer and the same exception as openpyxl's own ``parse_dimensions``, for every kind of sheet XML."""

import io

import openpyxl
import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from importers.readers import open_workbook
from importers.readers.workbook import ReadError
from importers.readers.xlsx import _sheet_size, load_values

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROWS = '<row r="1"><c r="A1" t="inlineStr"><is><t>Namn</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>'

SHEETS = {
    "dimension": f'<worksheet xmlns="{MAIN}"><dimension ref="A1:C7"/><sheetData>{ROWS}</sheetData></worksheet>',
    "one cell": f'<worksheet xmlns="{MAIN}"><dimension ref="B2"/><sheetData>{ROWS}</sheetData></worksheet>',
    "none": f'<worksheet xmlns="{MAIN}"><sheetPr/><sheetData>{ROWS}</sheetData></worksheet>',
    "after the rows": f'<worksheet xmlns="{MAIN}"><sheetData>{ROWS}</sheetData><dimension ref="A1:C7"/></worksheet>',
    "prefixed": f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:M12"/><x:sheetData/></x:worksheet>',
    "other namespace": '<worksheet xmlns="urn:other"><dimension ref="A1:C7"/><sheetData/></worksheet>',
    "broken rows, none": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c></row></sheetData></worksheet>',
    "broken rows, dimension": f'<worksheet xmlns="{MAIN}"><dimension ref="A1:A1"/><sheetData><row></sheetData>',
    "truncated": f'<worksheet xmlns="{MAIN}"><sheetData>{ROWS}',
    "unbound prefix": f'<worksheet xmlns="{MAIN}"><sheetData><y:row/></sheetData></worksheet>',
    "entity": (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c><v>&a;</v></c></row></sheetData></worksheet>'
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    ),
}


def outcome(read, xml: str):
    try:
        return read(io.BytesIO(xml.encode()))
    except Exception as exc:  # noqa: BLE001 - the kind of exception is what is compared
        return type(exc)


@pytest.mark.parametrize("name", SHEETS)
def test_the_size_is_openpyxls(name):
    theirs = outcome(lambda src: WorkSheetParser(src, []).parse_dimensions(), SHEETS[name])
    assert outcome(_sheet_size, SHEETS[name]) == theirs


def test_the_size_of_a_real_workbook_without_a_dimension():
    book = openpyxl.Workbook(write_only=True)  # writes no <dimension>
    sheet = book.create_sheet("Samverkan")
    for i in range(50):
        sheet.append(["Namn", i, f"text {i}"])
    out = io.BytesIO()
    book.save(out)
    ours = load_values(out.getvalue()).worksheets[0]
    theirs = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    assert (ours.min_row, ours.max_row, ours.min_column, ours.max_column) == (
        theirs.min_row,
        theirs.max_row,
        theirs.min_column,
        theirs.max_column,
    )
    assert list(ours.values) == list(theirs.values)


def test_openpyxl_elsewhere_is_unchanged(monkeypatch):
    calls = []
    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", lambda self: calls.append(1))
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert calls == [1]  # openpyxl's own way, outside the reader
    load_values(out.getvalue())
    assert calls == [1]
    assert isinstance(load_values(out.getvalue()).worksheets[0], ReadOnlyWorksheet)


def test_a_broken_sheet_is_refused_when_the_file_is_opened():
    import zipfile

    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Samverkan").append(["Namn", "Samverkansform", "Parter"])
    good = io.BytesIO()
    book.save(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = content.replace(b"</row>", b"</rad>", 1)
            dst.writestr(item, content)
    with pytest.raises(ReadError, match="Den verkar vara skadad"):
        open_workbook(broken.getvalue())


# --- The rows, parsed by ElementTree's C parser -------------------------------------------------


def _workbook_of_every_kind() -> bytes:
    import datetime as dt

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()  # shared strings, styles, dates
    ws = book.active
    ws.title = "Samverkan"
    ws.append(["Namn", "Datum", "Belopp", "Sant", "Formel", "Fel", "Tid", "Rik text"])
    for i in range(40):
        ws.append(
            [
                f"Samverkan {i} åäö",
                dt.date(2020, 1, 1) + dt.timedelta(days=i),
                i * 1.5 if i % 2 else i,
                i % 3 == 0,
                f"=C{i + 2}*2",
                "#N/A",
                dt.datetime(2024, 5, 1, 9, 30) + dt.timedelta(hours=i),
                CellRichText(["fet ", TextBlock(InlineFont(b=True), f"text {i}")]),
            ]
        )
    ws.append([None, None, "  mellanslag  ", None, None, None, dt.time(10, 15)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data_only", [True, False])
def test_the_rows_are_openpyxls(data_only):
    from importers.readers.xlsx import _c_parsed, _load

    data = _workbook_of_every_kind()
    theirs = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    ours = _load(data, data_only=data_only)
    for kwargs in ({}, {"min_row": 1, "max_row": 30}, {"min_row": 3, "max_col": 5}):
        expected = list(theirs.worksheets[0].iter_rows(values_only=True, **kwargs))
        assert list(_c_parsed(ours.worksheets[0].iter_rows(values_only=True, **kwargs))) == expected


def test_a_sheet_that_declares_entities_is_refused_as_before():
    import zipfile

    from defusedxml import EntitiesForbidden

    from importers.readers.xlsx import _c_parse, _iterparse, _load

    good = io.BytesIO(_workbook_of_every_kind())
    bad = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                start = content.index(b"<worksheet")
                content = content[:start] + b'<!DOCTYPE w [<!ENTITY a "aa">]>' + content[start:]
            dst.writestr(item, content)
    with pytest.raises(ValueError):
        openpyxl.load_workbook(io.BytesIO(bad.getvalue()), read_only=True)
    with pytest.raises(ValueError):
        _load(bad.getvalue(), data_only=True)
    # The rows of such a sheet are parsed by defusedxml's parser, as openpyxl does.
    _c_parse.on = True
    try:
        with pytest.raises(EntitiesForbidden):
            list(_iterparse(io.BytesIO(SHEETS["entity"].encode())))
        assert [e.tag for _, e in _iterparse(io.BytesIO(SHEETS["dimension"].encode()))][-1] == (
            f"{{{MAIN}}}worksheet"
        )
    finally:
        _c_parse.on = False


@pytest.mark.parametrize(
    "head, plain",
    [
        (b'<?xml version="1.0"?>\n<worksheet>', True),
        (b"\xef\xbb\xbf<!-- a -->\r\n<?pi x?><x:worksheet>", True),
        (b"<!-- <worksheet> --><!DOCTYPE w><worksheet>", False),
        (b'<?xml version="1.0"?><!DOCTYPE w><worksheet>', False),
        (b'<?xml version="1.0"?><!-- unfinished', False),
        (b"", False),
        ("<worksheet>".encode("utf-16"), False),
    ],
)
def test_only_a_plain_prolog_goes_to_the_c_parser(head, plain):
    from importers.readers.xlsx import _prolog_is_plain

    assert _prolog_is_plain(head) is plain


INLINE = [
    "<is><t>Samverkan åäö</t></is>",
    "<is><t/></is>",
    '<is><t xml:space="preserve">  med mellanslag  </t></is>',
    "<is><t>a<x/>b</t></is>",
    "<is><r><t>fet </t></r><r><rPr><b/></rPr><t>text</t></r></is>",
    "<is><t>bas</t><rPh sb='0' eb='1'><t>fonetisk</t></rPh></is>",
    "<is/>",
    '<is><o:t xmlns:o="urn:other">annan</o:t></is>',
    '<is x:a="1" xmlns:x="urn:other"><t>attribut</t></is>',
]


@pytest.mark.parametrize("xml", INLINE)
def test_an_inline_string_is_openpyxls(xml):
    from xml.etree.ElementTree import fromstring

    from openpyxl.cell.text import Text

    from importers.readers.xlsx import _InlineText

    element = fromstring(xml.replace("<is", f'<is xmlns="{MAIN}"', 1))
    assert _InlineText.from_tree(element).content == Text.from_tree(element).content
