"""Cells written as people write them: every variant is generated from the value it means,
read back, and compared with that value (hypothesis). No database."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.partners import OrgRef, PartnerMatcher
from importers.representatives import Representative, parse_representatives
from importers.values import parse_amount, parse_date

SETTINGS = settings(max_examples=200, deadline=None)

# --- Representatives --------------------------------------------------------------------------

FIRST = ["Anna", "Per", "Eva", "Bo", "Åsa", "Örjan", "Karl-Erik", "Lena", "Mohammed", "Ulla"]
LAST = ["Svensson", "Ek", "Öberg", "Lindqvist", "af Klint", "Berg", "Al-Hassan", "Åkesson"]
PARTIES = ["S", "M", "C", "L", "V", "KD", "MP", "SD"]
ROLE_SPELLINGS = {
    "chair": ["ordförande", "ordf.", "Ordförande", "ordf"],
    "vice_chair": ["vice ordförande", "v. ordf.", "vice ordf.", "1:e vice ordförande", "v ordf"],
    "member": ["ledamot", "led.", "Ledamot", "ordinarie ledamot"],
    "substitute": ["ersättare", "ers.", "Ersättare", "suppleant"],
}
STYLES = ["paren_space", "paren_comma", "commas"]
SEPARATORS = ["; ", ";", ", ", " och ", "\n", "\r\n", " & "]


@st.composite
def written_people(draw):
    """Return (cell text, the people it means)."""
    names = draw(
        st.lists(
            st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    pieces, meant = [], []
    for first, last in names:
        name = f"{first} {last}"
        party = draw(st.sampled_from([*PARTIES, ""]))
        role = draw(st.sampled_from([None, *ROLE_SPELLINGS]))
        role_text = draw(st.sampled_from(ROLE_SPELLINGS[role])) if role else ""
        style = draw(st.sampled_from(STYLES))
        if style == "paren_space" and party:
            piece = f"{name} ({party})" + (f" {role_text}" if role_text else "")
        elif style == "paren_comma" and party:
            piece = f"{name} ({party})" + (f", {role_text}" if role_text else "")
        else:
            piece = ", ".join(p for p in (name, party, role_text) if p)
        pieces.append(piece)
        meant.append(Representative(name, party, role or "member"))
    separator = draw(st.sampled_from(SEPARATORS))
    return separator.join(pieces), meant


@SETTINGS
@given(written_people())
def test_representatives_read_as_meant_in_every_written_form(case):
    text, meant = case
    assert parse_representatives(text) == meant


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("Anna Svensson (S) ordförande", [Representative("Anna Svensson", "S", "chair")]),
        ("Anna Svensson (S), v. ordf.", [Representative("Anna Svensson", "S", "vice_chair")]),
        (
            "Anna Svensson, S, led.\nPer Olsson, M, ers.",
            [
                Representative("Anna Svensson", "S", "member"),
                Representative("Per Olsson", "M", "substitute"),
            ],
        ),
        (
            "Anna Svensson (S) och Per Olsson (M), ersättare",
            [
                Representative("Anna Svensson", "S", "member"),
                Representative("Per Olsson", "M", "substitute"),
            ],
        ),
        ("Eva Lund ordf.", [Representative("Eva Lund", "", "chair")]),
        ("Anna Ers (S)", [Representative("Anna Ers", "S", "member")]),
    ],
)
def test_representatives_in_the_forms_the_issue_lists(text, meant):
    assert parse_representatives(text) == meant


# --- Amounts ----------------------------------------------------------------------------------

UNITS = {
    1: ["kr", "kronor", "SEK", ":-"],
    1000: ["tkr", "TKR", "tusen kronor"],
    10**6: ["mnkr", "mkr", "miljoner kronor", "milj. kr"],
}
GROUP_SEPARATORS = ["", " ", "\u00a0", "\u202f"]


def grouped(digits: str, separator: str) -> str:
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return separator.join(groups) or "0"


@st.composite
def written_amounts(draw):
    """Return (cell text or number, the column's unit, the amount in whole kronor meant)."""
    unit = draw(st.sampled_from(sorted(UNITS)))
    decimals = draw(st.integers(0, {1: 2, 1000: 3, 10**6: 6}[unit]))
    whole = draw(st.integers(0, 10**7 if unit == 1 else 10**5))
    fraction = draw(st.integers(0, 10**decimals - 1)) if decimals else 0
    negative = draw(st.booleans())
    number = Decimal(whole) + (Decimal(fraction) / Decimal(10**decimals) if decimals else 0)
    meant = int((number * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    meant = -meant if negative else meant
    where = draw(st.sampled_from(["cell", "header", "number"]))
    if where == "number":  # a number cell under a header that names the unit
        value = -number if negative else number
        return (float(value) if decimals else int(value)), unit, meant
    text = grouped(str(whole), draw(st.sampled_from(GROUP_SEPARATORS)))
    if decimals:
        text += "," + str(fraction).rjust(decimals, "0")
    if negative:
        text = draw(st.sampled_from(["-", "\u2212", "– "])) + text
    if where == "cell":
        return f"{text} {draw(st.sampled_from(UNITS[unit]))}", 1, meant
    return text, unit, meant


@SETTINGS
@given(written_amounts())
def test_amounts_read_as_meant_whatever_the_spacing_decimals_and_unit(case):
    value, column_unit, meant = case
    if isinstance(value, float):  # a float cell is what Excel stores: compare to the krona
        assert abs(parse_amount(value, column_unit) - meant) <= 1
    else:
        assert parse_amount(value, column_unit) == meant


def test_a_unit_in_the_cell_wins_over_the_unit_in_the_header():
    assert parse_amount("1,5 mnkr", 1000) == 1_500_000
    assert parse_amount("12\u00a0500 kr", 1000) == 12_500


# --- Dates ------------------------------------------------------------------------------------

MONTH_NAMES = [
    ("januari", "jan"), ("februari", "feb"), ("mars", "mar"), ("april", "apr"), ("maj", "maj"),
    ("juni", "jun"), ("juli", "jul"), ("augusti", "aug"), ("september", "sep"),
    ("oktober", "okt"), ("november", "nov"), ("december", "dec"),
]  # fmt: skip


@st.composite
def written_dates(draw):
    """Return (cell text, whether it is an end date, the date meant)."""
    day = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
    end = draw(st.booleans())
    precision = draw(st.sampled_from(["day", "month", "year"]))
    full, short = MONTH_NAMES[day.month - 1]
    month = draw(st.sampled_from([full, short, full.capitalize(), short + "."]))
    if precision == "year":
        return str(day.year), end, date(day.year, 12, 31) if end else date(day.year, 1, 1)
    if precision == "month":
        text = draw(st.sampled_from([f"{month} {day.year}", f"{day.year}-{day.month:02d}"]))
        first = date(day.year, day.month, 1)
        if not end:
            return text, end, first
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return text, end, date.fromordinal(following.toordinal() - 1)
    text = draw(
        st.sampled_from(
            [
                day.isoformat(),
                f"{day.day} {month} {day.year}",
                f"den {day.day} {month} {day.year}",
                f"{day.day}.{day.month}.{day.year}",
                f"{day.year}{day.month:02d}{day.day:02d}",
            ]
        )
    )
    return text, end, day


@SETTINGS
@given(written_dates())
def test_dates_read_as_meant_as_days_months_month_names_and_years(case):
    text, end, meant = case
    assert parse_date(text, end=end).value == meant


# --- Partners ---------------------------------------------------------------------------------

ORGS = [
    OrgRef(1, "municipality", "Mariestads kommun", "Mariestad", "1493"),
    OrgRef(2, "municipality", "Lidingö stad", "Lidingö", "0186"),
    OrgRef(3, "municipality", "Täby kommun", "Täby", "0160"),
    OrgRef(4, "region", "Region Stockholm", "", "01"),
    OrgRef(5, "municipality", "Upplands Väsby kommun", "Upplands Väsby", "0114"),
    OrgRef(6, "municipality", "Borås stad", "Borås", "1490"),
]
PARTNER_SEPARATORS = [", ", "; ", "\n", " och ", " samt ", " & ", ",\n"]


@st.composite
def written_partners(draw):
    orgs = draw(st.lists(st.sampled_from(ORGS), min_size=1, max_size=5, unique_by=lambda o: o.pk))
    names = [
        draw(st.sampled_from([o.name, o.short_name or o.name, o.code, o.name.upper()]))
        for o in orgs
    ]
    if len(names) == 1:
        return names[0], [o.pk for o in orgs]
    separators = [draw(st.sampled_from(PARTNER_SEPARATORS)) for _ in names[1:]]
    text = names[0] + "".join(s + n for s, n in zip(separators, names[1:], strict=True))
    return text, [o.pk for o in orgs]


@SETTINGS
@given(written_partners())
def test_partner_lists_read_as_meant_with_any_separator_and_official_or_short_names(case):
    text, meant = case
    found, problems = PartnerMatcher(ORGS).match_list(text)
    assert problems == []
    assert [o.pk for o in found] == meant
