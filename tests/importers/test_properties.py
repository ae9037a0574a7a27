"""Properties of the importer, checked with hypothesis over generated workbooks."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.exporters import export_portfolio
from importers.readers.headers import FIELD_HEADERS
from importers.readers.workbook import ReadError
from importers.services import run_import
from tests import factories as f

from .test_services import state

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LETTERS = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"
PARTNERS = [
    "Vaxholm",
    "Vaxholms kommun",
    "Danderyd",
    "Lidingö stad",
    "0117",
    "Region Stockholm",
    "Solna",
]
FORMS = [
    "kommunalförbund",
    "Gem. nämnd",
    "avtal",
    "AB",
    "Samordningsförbund",
    "nätverk",
    "Förening",
]
PARTIES = ["S", "M", "C", "L", "V", "KD", "MP", "SD", ""]
ROLES = ["ordförande", "vice ordförande", "ledamot", "ersättare"]
HEADERS = [
    "Namn",
    "Samverkansform",
    "Parter",
    "Värdkommun",
    "Verksamhetsområde",
    "Ansvarig nämnd",
    "Startdatum",
    "Slutdatum",
    "Uppsägningstid",
    "Kostnad 2023 (tkr)",
    "Kostnad 2024 (kr)",
    "Våra ledamöter",
    "Kommentar",
    "Diarienummer",
]

words = st.text(alphabet=LETTERS, min_size=2, max_size=12)
free_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=40
)
person = st.builds(
    lambda first, last, party, role: (
        f"{first.capitalize()} {last.capitalize()}" + (f" ({party})" if party else "") + f", {role}"
    ),
    words,
    words,
    st.sampled_from(PARTIES),
    st.sampled_from(ROLES),
)
a_date = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def portfolio_rows(draw):
    names = draw(st.lists(words, min_size=1, max_size=6, unique_by=lambda s: s.casefold()))
    rows = []
    for name in names:
        start = draw(st.one_of(st.none(), a_date))
        end = draw(
            st.one_of(
                st.none(),
                st.just("tills vidare"),
                a_date.filter(lambda d, s=start: s is None or d >= s),
            )
        )
        rows.append(
            [
                f"Samverkan {name}",
                draw(st.sampled_from(FORMS)),
                "; ".join(draw(st.lists(st.sampled_from(PARTNERS), max_size=3))),
                draw(st.sampled_from(["", "Täby", "Vaxholm"])),
                draw(st.sampled_from(["", "Räddningstjänst", "IT, Lön", "Fiskevård"])),
                draw(st.sampled_from(["", "Kommunstyrelsen", "Tekniska nämnden"])),
                start,
                end,
                draw(st.sampled_from(["", "6 månader", "1 år", 3])),
                draw(st.one_of(st.none(), st.integers(-10_000, 100_000))),
                draw(st.one_of(st.none(), st.integers(-(10**9), 10**9))),
                "; ".join(draw(st.lists(person, max_size=3, unique_by=lambda p: p.split(",")[0]))),
                draw(
                    st.one_of(st.just(""), free_text, st.sampled_from(["=1+1", "+46 8", "@x", "-"]))
                ),
                draw(st.one_of(st.just(""), free_text)),
            ]
        )
    return rows


def workbook(headers, rows) -> bytes:
    """Build a workbook; text that starts with = is stored as text, as Excel does for '=."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förteckning över samverkan"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def in_rollback(fn):
    with transaction.atomic():
        try:
            return fn()
        finally:
            transaction.set_rollback(True)


@SETTINGS
@given(rows=portfolio_rows())
def test_importing_twice_is_a_no_op(taby, rows):
    def check():
        data = workbook(HEADERS, rows)
        run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=False)
        before = state()
        again = run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=False)
        assert {r.outcome for r in again.rows} <= {"unchanged", "invalid", "skipped"}
        assert state() == before

    in_rollback(check)


@SETTINGS
@given(rows=portfolio_rows())
def test_export_then_import_changes_nothing(taby, rows):
    def check():
        run_import(
            source=workbook(HEADERS, rows), organisation=taby, dry_run=False, all_or_nothing=False
        )
        before = state()
        exported = export_portfolio(taby)
        result = run_import(source=exported, organisation=taby, dry_run=False)
        assert {r.outcome for r in result.rows} <= {"unchanged"}, [
            (r.outcome, r.diff, [e.message for e in r.errors]) for r in result.rows
        ]
        assert state() == before

    in_rollback(check)


def as_format(xlsx: bytes, kind: str) -> bytes:
    """Return an exported workbook saved as another format, as Excel would save it."""
    from .conftest import build_csv, build_xls

    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book}
    if kind == "xls":
        return build_xls(sheets)
    return build_csv(sheets["Samverkan"], encoding="utf-8", bom=True)


@settings(SETTINGS, max_examples=12)
@given(rows=portfolio_rows(), kind=st.sampled_from(["xls", "csv"]))
def test_export_then_import_as_xls_or_csv_changes_nothing(taby, rows, kind):
    def check():
        run_import(
            source=workbook(HEADERS, rows), organisation=taby, dry_run=False, all_or_nothing=False
        )
        before = state()
        exported = as_format(export_portfolio(taby), kind)
        result = run_import(source=exported, organisation=taby, dry_run=False)
        assert {r.outcome for r in result.rows} <= {"unchanged"}, [
            (r.outcome, r.diff, [e.message for e in r.errors]) for r in result.rows
        ]
        assert state() == before

    in_rollback(check)


@SETTINGS
@given(rows=portfolio_rows(), existing=st.booleans())
def test_a_dry_run_leaves_the_database_unchanged(taby, rows, existing):
    def check():
        if existing:
            f.make_participation(f.make_arrangement(name=f"Samverkan {rows[0][0]}"), taby)
        before = state()
        run_import(source=workbook(HEADERS, rows), organisation=taby, dry_run=True)
        assert state() == before

    in_rollback(check)


header_pool = st.one_of(
    st.sampled_from(HEADERS + list(FIELD_HEADERS.values()) + ["Budget 2025 (mnkr)", "Summa"]),
    free_text,
)
cell = st.one_of(
    st.none(),
    free_text,
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.sampled_from(
        ["tills vidare", "ca 9 800", "-0,6 mnkr", "Summa", "Vaxholm och Atlantis", "KF § 3"]
    ),
)


@SETTINGS
@given(
    headers=st.lists(header_pool, min_size=1, max_size=8),
    rows=st.lists(st.lists(cell, min_size=0, max_size=9), max_size=8),
    all_or_nothing=st.booleans(),
)
def test_no_workbook_makes_the_importer_raise_an_unhandled_exception(
    taby, headers, rows, all_or_nothing
):
    def check():
        data = workbook(headers, rows)
        try:
            run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=all_or_nothing)
        except ReadError as exc:
            assert str(exc)

    in_rollback(check)
