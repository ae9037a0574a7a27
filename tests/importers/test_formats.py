"""Old and plain formats: the same list as .xlsx, .xls and CSV (as Swedish Excel writes it)
gives the same preview, the same row errors and the same limits."""

from datetime import datetime

import pytest

from importers.readers import open_workbook
from importers.readers.csvfile import decode_csv, sniff_delimiter
from importers.readers.workbook import ReadError
from importers.services import run_import

from .conftest import build_csv, build_xls, build_xlsx

LIST = [
    ["Förteckning över samverkan 2025"],
    [],
    ["Namn", "Samverkansform", "Parter", "Startdatum", "Kostnad (tkr)", None, "Våra ledamöter"],
    [None, None, None, None, 2023, 2024, None],
    [
        "Räddningstjänsten Syd",
        "Kommunalförbund",
        "Vaxholm, Danderyd",
        datetime(2006, 1, 1),
        10,
        "12,5",
        "Anna Ek (S) ordf.; Bo Öberg, M, ers.",
    ],
    ["Lönecentrum Nord", "avtal", "Vaxholm och Okändby", "januari 2017", 3, 4, None],
    ["Summa", None, None, None, 13, "16,5", None],
    ["Tillsyn åt Österåker", "gemensam nämnd", "Österåker", "2019-05", None, "1 200 kr", None],
]
MERGES = ["E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "G3:G4"]


def preview(result):
    return [
        (
            r.sheet if r.sheet != "CSV" else "Samverkan",
            r.number,
            r.outcome,
            r.diff,
            sorted((e.field, e.message) for e in r.errors),
            sorted((w.field, w.message) for w in r.warnings),
        )
        for r in result.rows
    ], result.skipped_rows


FORMATS = {
    "xlsx": lambda: build_xlsx({"Samverkan": LIST}, merges={"Samverkan": MERGES}),
    "xls": lambda: build_xls({"Samverkan": LIST}, merges={"Samverkan": MERGES}),
    "csv-windows-1252": lambda: build_csv(LIST),
    "csv-utf-8-bom": lambda: build_csv(LIST, encoding="utf-8", bom=True),
    "csv-utf-8-comma": lambda: build_csv(LIST, encoding="utf-8", delimiter=","),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [k for k in FORMATS if k != "xlsx"])
def test_the_same_list_as_xlsx_xls_and_csv_gives_the_same_preview(taby, vaxholm, kind):
    expected = preview(run_import(source=FORMATS["xlsx"](), organisation=taby))
    rows, skipped = expected
    assert [r[2] for r in rows] == ["new", "invalid", "skipped", "new"]
    assert "Okändby" in rows[1][4][0][1]  # the unknown partner is a row error in every format
    assert skipped == 1
    assert preview(run_import(source=FORMATS[kind](), organisation=taby)) == expected


def test_an_xls_file_is_read_with_its_merged_header_and_dates():
    sheet = open_workbook(FORMATS["xls"](), today_year=2025).sheets[0]
    assert sheet.header_row == 3
    assert [(c.year, c.multiplier) for c in sheet.columns if c.field == "cost"] == [
        (2023, 1000),
        (2024, 1000),
    ]
    first = next(iter(sheet.rows))
    assert first.number == 5 and first.values[3] == datetime(2006, 1, 1)


def test_csv_is_decoded_as_utf_8_with_bom_utf_8_or_windows_1252():
    text = "Namn;Parter\r\nÖverförmyndare i Väst;Borås\r\n"
    assert decode_csv(text.encode("cp1252")) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_csv(text.encode("utf-8")) == text


def test_the_delimiter_is_the_one_that_splits_rows_evenly_even_with_commas_in_texts():
    lines = ["Namn;Parter;Form\r\n", "A;Vaxholm, Täby, Solna;avtal\r\n", "B;Borås;avtal\r\n"]
    assert sniff_delimiter(lines) == ";"
    assert sniff_delimiter(["Namn,Parter\r\n", "A,Borås\r\n"]) == ","
    assert sniff_delimiter(["Namn\tParter\r\n", "A\tBorås\r\n"]) == "\t"


@pytest.mark.parametrize("kind", ["xls", "csv"])
def test_xls_and_csv_have_the_same_row_limit_as_xlsx(kind):
    rows = [["Namn", "Samverkansform"]] + [[f"S{i}", "avtal"] for i in range(20)]
    data = build_xls({"Blad1": rows}) if kind == "xls" else build_csv(rows)
    with pytest.raises(ReadError, match="rader"):
        open_workbook(data, max_rows=10)
    assert len(list(open_workbook(data, max_rows=30).sheets[0].rows)) == 20


@pytest.mark.parametrize("kind", ["xls", "csv"])
def test_xls_and_csv_have_the_same_byte_limit_as_xlsx(kind):
    rows = [["Namn", "Samverkansform"]] + [[f"S{i}", "avtal"] for i in range(200)]
    data = build_xls({"Blad1": rows}) if kind == "xls" else build_csv(rows)
    with pytest.raises(ReadError, match="för stor"):
        open_workbook(data, max_bytes=len(data) - 1)


def test_a_broken_xls_or_csv_is_a_clear_swedish_message_not_a_crash():
    with pytest.raises(ReadError, match="lösenordsskyddad"):
        open_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 1000)
    with pytest.raises(ReadError, match="citattecken"):
        open_workbook(b'Namn;Form\r\n"A' + b"x" * 200_000 + b";avtal\r\n")
    with pytest.raises(ReadError, match="kolumner"):
        open_workbook(b"Namn;Form\r\nA" + b";" * 20_000 + b"\r\n")


def test_a_runaway_quote_is_refused_whatever_limit_another_library_set(monkeypatch):
    import csv

    previous = csv.field_size_limit(10**9)  # as frictionless does when it is imported
    try:
        with pytest.raises(ReadError, match="citattecken"):
            open_workbook(b'Namn;Form\r\n"A' + b"x" * 200_000 + b";avtal\r\n")
        assert csv.field_size_limit() == 10**9  # and the process's limit is left as it was
    finally:
        csv.field_size_limit(previous)
