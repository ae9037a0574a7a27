"""Export of a portfolio: same layout, formulas written as text, export then import is a no-op."""

import io

import openpyxl
import pytest

from importers.exporters import export_portfolio, invalid_rows_workbook
from importers.services import batch_preview, run_import
from register.access import Access
from tests import factories as f

from .conftest import EXAMPLE
from .test_services import state

pytestmark = pytest.mark.django_db


def test_export_then_import_changes_nothing(taby):
    run_import(source=EXAMPLE, organisation=taby, dry_run=False)
    before = state()
    data = export_portfolio(taby)
    result = run_import(source=data, organisation=taby, dry_run=False)
    assert [r.outcome for r in result.rows] == ["unchanged"] * 5
    assert state() == before


def test_the_export_uses_the_import_layout_with_one_column_per_cost_year(taby):
    run_import(source=EXAMPLE, organisation=taby, dry_run=False)
    sheet = openpyxl.load_workbook(io.BytesIO(export_portfolio(taby)))["Samverkan"]
    headers = [c.value for c in sheet[4]]
    assert headers[:4] == ["Namn", "Samverkansform", "Parter", "Värdkommun"]
    assert {"Kostnad 2022 (kr)", "Kostnad 2023 (kr)", "Kostnad 2024 (kr)"} <= set(headers)
    names = [sheet.cell(row=r, column=1).value for r in range(5, 10)]
    assert "Storstockholms brandförsvar" in names


def test_cells_that_look_like_formulas_are_written_as_text(taby):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Namn", "Samverkansform", "Kommentar", "Egen kolumn"])
    sheet.append(['=HYPERLINK("x")', "avtal", "+46 8 555", "@SUM(A1)"])
    sheet["A2"].data_type = "s"  # text that starts with =, as a careful user's file has it
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    run_import(source=data, organisation=taby, dry_run=False)
    exported = export_portfolio(taby)
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["Samverkan"]
    cells = [c for row in sheet.iter_rows(min_row=5) for c in row if c.value]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert '=HYPERLINK("x")' in [c.value for c in cells]
    before = state()
    result = run_import(source=exported, organisation=taby, dry_run=False)
    assert [r.outcome for r in result.rows] == ["unchanged"] and state() == before


def test_the_export_holds_only_what_the_user_may_see(taby, vaxholm, knivsta):
    public = f.make_arrangement(name="Publik", is_published=True)
    hidden = f.make_arrangement(name="Intern")
    for arrangement in (public, hidden):
        f.make_participation(arrangement, vaxholm)
    outsider = f.make_member(knivsta)
    data = export_portfolio(vaxholm, access=Access.for_user(outsider), include_internal=False)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Samverkan"]
    names = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    assert names == ["Publik"]
    assert "Kommentar" not in [c.value for c in sheet[4]]


def test_the_export_leaves_out_an_entry_decision_the_user_may_not_see(vaxholm, knivsta):
    arrangement = f.make_arrangement(name="Publik", is_published=True)
    hidden = f.make_decision(arrangement, deciding_body="KF hemligt", is_published=False)
    f.make_participation(arrangement, vaxholm, entry_decision=hidden)
    outsider = Access.for_user(f.make_member(knivsta))
    own = Access.for_user(f.make_member(vaxholm))

    def cells(access):
        data = export_portfolio(vaxholm, access=access, include_internal=False)
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Samverkan"]
        return [c.value for row in sheet.iter_rows(min_row=5) for c in row if c.value]

    assert not [v for v in cells(outsider) if "KF hemligt" in str(v)]
    assert [v for v in cells(own) if "KF hemligt" in str(v)]


def test_invalid_rows_download_with_an_error_column(taby, xlsx):
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Parter"],
                ["Bra", "avtal", "Vaxholm"],
                ["Dålig", "avtal", "Atlantis"],
            ]
        }
    )
    batch = batch_preview(data=data, file_name="x.xlsx", organisation=taby)
    sheet = openpyxl.load_workbook(io.BytesIO(invalid_rows_workbook(batch))).active
    assert [c.value for c in sheet[4]] == ["Namn", "Samverkansform", "Parter", "Fel vid import"]
    assert sheet["A5"].value == "Dålig" and sheet["A6"].value is None
    assert "Atlantis" in sheet["D5"].value and "Rad 3" in sheet["D5"].value


def test_invalid_rows_come_back_as_text_even_formulas_and_control_characters(taby):
    from .conftest import build_csv

    evil = '=HYPERLINK("http://evil.example","x")'
    data = build_csv(
        [["Namn", "Samverkansform", "Parter"], [evil, "avtal", "Atlantis\x0bMu"]],
        encoding="utf-8",
        bom=True,
    )
    batch = batch_preview(data=data, file_name="x.csv", organisation=taby)
    sheet = openpyxl.load_workbook(io.BytesIO(invalid_rows_workbook(batch))).active
    assert (sheet["A5"].value, sheet["A5"].data_type) == (evil, "s")
    assert sheet["C5"].value == "AtlantisMu"  # the vertical tab cannot be in an XLSX
    assert "Rad 2" in sheet["D5"].value
