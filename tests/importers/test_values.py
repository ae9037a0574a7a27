"""Cell value parsers: pure functions, no database."""

from datetime import date, datetime

import pytest

from importers.partners import OrgRef, PartnerMatcher
from importers.representatives import (
    Representative,
    format_representatives,
    parse_representatives,
)
from importers.text import split_cell_list
from importers.values import (
    ValueProblem,
    format_notice,
    match_areas,
    parse_amount,
    parse_date,
    parse_decision,
    parse_form,
    parse_notice,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kommunalförbund", "municipal_federation"),
        ("kommunalförbund", "municipal_federation"),
        ("KF-förbund", "municipal_federation"),
        ("Gem. nämnd", "joint_committee"),
        ("gemensam nämnd", "joint_committee"),
        ("avtal", "agreement"),
        ("Avtalssamverkan (9 kap 37 § KL)", "agreement"),
        ("AB", "joint_company"),
        ("Bolag", "joint_company"),
        ("Samordningsförbund", "coordination_federation"),
        ("Nätverk", "network"),
        ("Förening/stiftelse", "association"),
        ("Gemensamt ägt bolag", "joint_company"),
    ],
)
def test_it_reads_forms_in_their_usual_spellings(text, slug):
    assert parse_form(text) == slug


def test_it_rejects_an_unknown_form_with_a_swedish_message():
    with pytest.raises(ValueProblem, match="Samverkansformen ”Kaffeklubb” känns inte igen"):
        parse_form("Kaffeklubb")


def test_a_form_added_as_data_is_recognised_by_its_name():
    assert parse_form("Regionalt råd", {"regionalt rad": "regional_council"}) == "regional_council"


@pytest.mark.parametrize(
    ("value", "multiplier", "kronor"),
    [
        ("41 200", 1000, 41_200_000),
        ("41\u00a0200", 1000, 41_200_000),
        (43100, 1000, 43_100_000),
        ("ca 9 800", 1000, 9_800_000),
        ("-0,6 mnkr", 1000, -600_000),
        ("1,5 mnkr", 1, 1_500_000),
        ("12 500 kr", 1000, 12_500),
        ("250 tkr", 1, 250_000),
        ("2,4", 1_000_000, 2_400_000),
        ("−1 310", 1000, -1_310_000),
        (1234.5, 1, 1235),
        ("1.200.000", 1, 1_200_000),
    ],
)
def test_it_reads_amounts_as_whole_kronor(value, multiplier, kronor):
    assert parse_amount(value, multiplier) == kronor


@pytest.mark.parametrize("value", [None, "", "-", "–"])
def test_an_empty_amount_is_none(value):
    assert parse_amount(value, 1000) is None


def test_it_rejects_an_amount_that_is_not_a_number():
    with pytest.raises(ValueProblem, match="Beloppet ”många” kunde inte tolkas"):
        parse_amount("många")


@pytest.mark.parametrize(
    ("value", "multiplier"),
    [
        (1e25, 1000),
        (10**15, 1),
        ("999 999 999 999 999,6", 1),
        ("1" + "0" * 40, 1),
        (2e300, 1_000_000),
    ],
)
def test_an_unreasonably_large_amount_is_a_clear_row_error(value, multiplier):
    with pytest.raises(ValueProblem, match="orimligt stort"):
        parse_amount(value, multiplier)


def test_the_largest_reasonable_amount_is_kept_to_the_krona():
    assert parse_amount("999 999 999 999 999", 1) == 999_999_999_999_999
    assert parse_amount(-999_999_999_999.4, 1000) == -999_999_999_999_400


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        (datetime(2009, 1, 1), False, date(2009, 1, 1)),
        ("2019-07-01", False, date(2019, 7, 1)),
        ("1 jan 2019", False, date(2019, 1, 1)),
        ("1 januari 2021", False, date(2021, 1, 1)),
        ("2019-01", False, date(2019, 1, 1)),
        ("2019-02", True, date(2019, 2, 28)),
        ("1957", False, date(1957, 1, 1)),
        (2026, True, date(2026, 12, 31)),
        ("31.12.2024", False, date(2024, 12, 31)),
        (43466, False, date(2019, 1, 1)),
    ],
)
def test_it_reads_dates_in_the_forms_lists_use(value, end, expected):
    assert parse_date(value, end=end).value == expected


@pytest.mark.parametrize("text", ["tills vidare", "Tillsvidare", "löpande"])
def test_tills_vidare_means_no_end_date(text):
    parsed = parse_date(text, end=True)
    assert parsed.value is None and parsed.open_ended


def test_it_rejects_a_date_it_cannot_read():
    with pytest.raises(ValueProblem, match="Datumet ”snart” kunde inte tolkas"):
        parse_date("snart")


@pytest.mark.parametrize(
    ("value", "months"),
    [("6 månader", 6), ("12 mån", 12), ("1 år", 12), (3, 3), ("sex månader", 6)],
)
def test_it_reads_notice_periods_in_months(value, months):
    assert parse_notice(value) == months
    assert parse_notice(format_notice(months)) == months


def test_it_reads_representatives_with_party_and_role():
    people = parse_representatives("Anna Svensson (S), ledamot; Per Olsson (M), ersättare")
    assert people == [
        Representative("Anna Svensson", "S", "member"),
        Representative("Per Olsson", "M", "substitute"),
    ]


def test_it_reads_representatives_on_separate_lines_and_with_commas_only():
    assert [
        p.role for p in parse_representatives("Eva Lund (M), ordförande\nPer Sten (C), ledamot")
    ] == [
        "chair",
        "member",
    ]
    people = parse_representatives("Anna Svensson (S), ledamot, Per Olsson (M), ersättare")
    assert [p.name for p in people] == ["Anna Svensson", "Per Olsson"]


def test_representatives_round_trip_through_their_cell_format():
    people = [Representative("Anna Berg", "V", "vice_chair"), Representative("Bo Ek", "", "member")]
    assert parse_representatives(format_representatives(people)) == people


def test_it_rejects_an_unknown_role():
    with pytest.raises(ValueProblem, match="Rollen ”kassör”"):
        parse_representatives("Anna Svensson (S), kassör")


def test_it_reads_a_decision_cell():
    decision = parse_decision("KF 2019-03-25 § 45")
    assert decision.date == date(2019, 3, 25)
    assert decision.deciding_body == "Kommunfullmäktige"
    assert decision.reference == "§ 45"
    assert parse_decision(decision.label()) == decision


def test_a_decision_without_a_date_is_a_problem():
    with pytest.raises(ValueProblem, match="saknar ett datum"):
        parse_decision("Beslutat i KF")


def test_partner_cells_split_on_commas_semicolons_and_line_breaks():
    assert split_cell_list("A, B; C\nD") == ["A", "B", "C", "D"]


ORGS = [
    OrgRef(1, "municipality", "Mariestads kommun", "Mariestad", "1493"),
    OrgRef(2, "municipality", "Lidingö kommun", "Lidingö", "0186"),
    OrgRef(3, "municipality", "Täby kommun", "Täby", "0160"),
    OrgRef(4, "region", "Region Stockholm", "Region Stockholm", "01"),
    OrgRef(5, "municipality", "Stockholms kommun", "Stockholm", "0180"),
    OrgRef(6, "municipality", "Borås kommun", "Borås", "1490"),
    OrgRef(7, "municipality", "Bergs kommun", "Berg", "2326"),
]


@pytest.mark.parametrize(
    ("text", "pk"),
    [
        ("Mariestads kommun", 1),
        ("Mariestad", 1),
        ("mariestad", 1),
        ("1493", 1),
        ("Lidingö stad", 2),
        ("Lidingo", 2),
        ("Täby kommuns", 3),
        ("Region Stockholm", 4),
        ("Stockholm", 5),
        ("Borås", 6),
        ("Bergs kommun", 7),
        ("01", 4),
    ],
)
def test_partners_match_by_code_name_case_diacritics_and_genitive(text, pk):
    assert PartnerMatcher(ORGS).match(text).pk == pk


def test_a_partner_cell_with_och_and_samt_gives_each_partner():
    found, problems = PartnerMatcher(ORGS).match_list(
        "Mariestad, Lidingö stad och Täby samt Region Stockholm"
    )
    assert [o.pk for o in found] == [1, 2, 3, 4]
    assert problems == []


def test_an_unknown_partner_names_the_closest_matches():
    found, problems = PartnerMatcher(ORGS).match_list("Marriestad")
    assert found == []
    assert "Parten ”Marriestad” finns inte" in problems[0]
    assert "Mariestad" in problems[0]


def test_service_areas_match_loosely_and_keep_unknown_text():
    known = {"raddningstjanst": "raddningstjanst", "miljo och bygg": "miljo_bygg", "it": "it"}
    assert match_areas("Räddningstjänst", known) == (["raddningstjanst"], [])
    assert match_areas("Miljö och hälsoskydd; IT", known) == (["miljo_bygg", "it"], [])
    assert match_areas("Fiskevård", known) == ([], ["Fiskevård"])
