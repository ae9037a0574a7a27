"""Header blocks of one to three rows: group headings in merged cells over sub-columns are one
header, not data, and year, kind and unit may come from any level of it."""

import pytest

from importers.readers import open_workbook
from importers.services import run_import
from register.models import Participation

from .conftest import build_xlsx


def costs(sheet):
    return [(c.year, c.kind, c.multiplier) for c in sheet.columns if c.field == "cost"]


def test_a_two_row_merged_header_is_one_header_with_kind_and_year_from_the_sub_headings():
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Kostnad", None, "Parter"],
                [None, None, "Budget 2025", "Utfall 2024", None],
                ["Vårdförbundet", "Kommunalförbund", 12, 11, "Borås"],
            ]
        },
        merges={"Blad1": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]},
    )
    sheet = open_workbook(data, today_year=2026).sheets[0]
    assert sheet.header_row == 1
    assert [c.field for c in sheet.columns] == ["name", "form", "cost", "cost", "partners"]
    assert costs(sheet) == [(2025, "budget", None), (2024, "outcome", None)]
    [row] = list(sheet.rows)
    assert row.number == 3 and row.values[0] == "Vårdförbundet"


def test_a_three_row_header_takes_unit_kind_and_year_each_from_its_own_level():
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Form", "Kostnad (tkr)", None, None, None],
                [None, None, "Budget", None, "Utfall", None],
                [None, None, 2025, 2026, 2023, 2024],
                ["Vårdförbundet", "avtal", 1, 2, 3, 4],
            ]
        },
        merges={"Blad1": ["A1:A3", "B1:B3", "C1:F1", "C2:D2", "E2:F2"]},
    )
    sheet = open_workbook(data, today_year=2026).sheets[0]
    assert costs(sheet) == [
        (2025, "budget", 1000),
        (2026, "budget", 1000),
        (2023, "outcome", 1000),
        (2024, "outcome", 1000),
    ]
    [row] = list(sheet.rows)
    assert row.number == 4


def test_a_cost_heading_above_the_name_row_spans_the_year_columns_below_a_title():
    data = build_xlsx(
        {
            "Blad1": [
                ["Förteckning över samverkan 2025"],
                [None, None, "Kostnad (tkr)", None, None],
                ["Namn", "Parter", 2022, 2023, 2024],
                ["Vårdförbundet", "Borås", 10, 11, "12,5 mnkr"],
            ]
        },
        merges={"Blad1": ["C2:E2"]},
    )
    sheet = open_workbook(data).sheets[0]
    assert sheet.header_row == 2  # the title is not part of the header
    assert [c.header for c in sheet.columns][:2] == ["Namn", "Parter"]
    assert costs(sheet) == [
        (2022, "outcome", 1000),
        (2023, "outcome", 1000),
        (2024, "outcome", 1000),
    ]
    [row] = list(sheet.rows)
    assert row.number == 4


@pytest.mark.parametrize("group_row_above", [True, False])
def test_a_contact_heading_over_name_and_e_mail_is_one_contact_field(group_row_above):
    if group_row_above:
        rows = [
            [None, None, "Kontakt", None],
            ["Namn", "Samverkansform", "Namn", "E-post"],
        ]
        merges = ["C1:D1"]
    else:
        rows = [
            ["Namn", "Samverkansform", "Kontakt", None],
            [None, None, "Namn", "E-post"],
        ]
        merges = ["A1:A2", "B1:B2", "C1:D1"]
    rows.append(["Vårdförbundet", "Kommunalförbund", "Anna Ek", "anna.ek@example.se"])
    sheet = open_workbook(build_xlsx({"Blad1": rows}, merges={"Blad1": merges})).sheets[0]
    assert [c.field for c in sheet.columns] == ["name", "form", "contact", "contact"]
    [row] = list(sheet.rows)
    assert row.number == 3
    assert sheet.joined_values(row.values)[2] == "Anna Ek, anna.ek@example.se"


@pytest.mark.django_db
def test_the_contact_under_a_group_heading_and_costs_from_a_header_block_are_imported(taby):
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Kontakt", None, "Kostnad (tkr)", None],
                [None, None, "Namn", "E-post", "Budget 2025", "Utfall 2024"],
                ["Vårdförbundet", "Kommunalförbund", "Anna Ek", "anna@example.se", 12, "1,5 mnkr"],
            ]
        },
        merges={"Blad1": ["A1:A2", "B1:B2", "C1:D1", "E1:F1"]},
    )
    result = run_import(source=data, organisation=taby, dry_run=False)
    assert result.written and result.invalid == 0, result.errors
    own = Participation.objects.get(organisation=taby, arrangement__name="Vårdförbundet")
    assert own.extra_fields["contact"] == "Anna Ek, anna@example.se"
    assert {(c.year, c.budget, c.outcome) for c in own.costs.all()} == {
        (2025, 12_000, None),
        (2024, None, 1_500_000),
    }


def test_a_data_row_without_a_name_below_the_header_is_not_taken_for_a_sub_heading():
    data = build_xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Parter", "Kostnad 2024"],
                [None, "avtal", "Borås", 12],
                ["Vårdförbundet", "avtal", "Borås", 12],
            ]
        }
    )
    sheet = open_workbook(data).sheets[0]
    assert sheet.header_row == 1
    assert [r.number for r in sheet.rows] == [2, 3]
