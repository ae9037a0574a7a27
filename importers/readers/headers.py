"""The header vocabulary: which column a header names (name, form, partners, a cost of a year
and kind in a unit …), as municipalities write their headers, on one to three levels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from register.amounts import find_unit

from ..text import cell_text, fold

# Field → alternatives, written folded (lower case, no diacritics, punctuation as spaces).
FIELD_LABELS = {
    "name": (
        "namn", "benamning", "samverkan", "samverkans namn", "samverkansnamn", "namn pa samverkan",
        "namn pa samverkanen", "samverkan namn", "samarbete", "namn pa samarbetet",
    ),
    "form": (
        "samverkansform", "form", "typ av samverkan", "samverkanstyp", "juridisk form",
        "associationsform", "form for samverkan", "typ",
    ),
    "partners": (
        "parter", "medlemmar", "samverkande kommuner", "ovriga parter", "samverkansparter",
        "deltagande kommuner", "medlemskommuner", "ingaende kommuner", "samarbetsparter",
        "parter medlemmar", "partner", "partners", "deltagare", "ovriga medlemmar", "agare",
        "delagare",
    ),
    "host": (
        "vardkommun", "huvudman", "sate", "utforare", "vard", "vardkommun huvudman",
        "vardkommun sate", "huvudman utforare",
    ),
    "area": (
        "verksamhetsomrade", "omrade", "verksamhetsomraden", "sakomrade", "verksamhet",
    ),
    "responsible_body": (
        "ansvarig namnd", "namnd", "ansvarig styrelse", "politiskt ansvarig namnd",
        "ansvarig namnd styrelse",
    ),
    "contact": (
        "kontaktperson", "ansvarig tjansteperson", "kontakt", "ansvarig tjansteman",
        "handlaggare", "kontaktperson tjansteperson",
    ),
    "decision": (
        "beslut", "kf beslut", "beslutsdatum", "beslut om intrade", "beslut kf", "kf beslut datum",
        "intradesbeslut", "beslut i kf",
    ),
    "start": (
        "start", "startdatum", "sedan", "fran", "fr o m", "from", "startar", "start ar",
        "bildad", "gallande fran", "galler fran", "avtalsstart",
    ),
    "end": (
        "slut", "slutdatum", "giltig t o m", "giltig tom", "avtalstid", "t o m", "tom",
        "galler till", "avtalsslut", "upphor", "giltig till", "slutar", "avtalet lopar till",
    ),
    "notice": ("uppsagningstid", "uppsagning", "uppsagningstid manader"),
    "representatives": (
        "ledamoter", "representanter", "vara ledamoter", "vara representanter", "ledamot",
        "forteroendevalda", "fortroendevalda", "ledamoter och ersattare", "ombud",
    ),
    "purpose": ("syfte", "mal", "syfte mal", "syfte och mal", "andamal"),
    "last_review": (
        "senaste uppfoljning", "uppfoljning", "senast uppfoljd", "utvardering",
        "senaste utvardering",
    ),
    "comment": (
        "kommentar", "anmarkning", "kommentarer", "ovrigt", "noteringar", "anteckning",
        "anmarkningar",
    ),
    "orgnr": ("organisationsnummer", "orgnr", "org nr", "org nummer"),
    # The error column of a downloaded file of invalid rows: read past, never stored.
    "ignore": ("fel vid import",),
}  # fmt: skip
LABEL_TO_FIELD = {label: name for name, labels in FIELD_LABELS.items() for label in labels}

# The first (canonical) Swedish header for each field, used by the exporter and in messages.
FIELD_HEADERS = {
    "name": "Namn",
    "form": "Samverkansform",
    "partners": "Parter",
    "host": "Värdkommun",
    "area": "Verksamhetsområde",
    "responsible_body": "Ansvarig nämnd",
    "contact": "Kontaktperson",
    "decision": "KF-beslut",
    "start": "Startdatum",
    "end": "Slutdatum",
    "notice": "Uppsägningstid",
    "representatives": "Våra ledamöter",
    "purpose": "Syfte",
    "last_review": "Senaste uppföljning",
    "comment": "Kommentar",
    "orgnr": "Organisationsnummer",
    "cost": "Kostnad",
}

COST_WORDS = {
    "kostnad": "outcome",
    "arlig kostnad": "outcome",
    "kostnad per ar": "outcome",
    "var kostnad": "outcome",
    "kommunens kostnad": "outcome",
    "arskostnad": "outcome",
    "utfall": "outcome",
    "kostnad utfall": "outcome",
    "belopp": "outcome",
    "avgift": "outcome",
    "arsavgift": "outcome",
    "medlemsavgift": "outcome",
    "budget": "budget",
    "kostnad budget": "budget",
    "budgeterad kostnad": "budget",
    "prognos": "forecast",
    "kostnad prognos": "forecast",
}
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|2100)(?!\d)")
_UNIT_TOKENS = re.compile(
    r"\b(tkr|mnkr|mkr|msek|ksek|tsek|kr|kronor|sek|i|tusental|tusen|tusentals|miljoner|milj|mn)\b"
)


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    header: str
    field: str | None = None  # None: not recognised, kept as raw text
    year: int | None = None
    kind: str | None = None  # for costs: outcome / budget / forecast
    multiplier: int | None = None  # for costs: the unit in the header (tkr → 1000)


def classify_header(header: str) -> tuple[str | None, int | None, str | None, int | None]:
    """Return (field, year, cost kind, unit multiplier) for a column header."""
    text = cell_text(header)
    if not text:
        return None, None, None, None
    key = fold(text)
    if key in LABEL_TO_FIELD:
        return LABEL_TO_FIELD[key], None, None, None
    unit = find_unit(text)
    year_match = YEAR.search(key)
    year = int(year_match[1]) if year_match else None
    rest = cost_rest(text)
    if rest in COST_WORDS:
        return "cost", year, COST_WORDS[rest], unit
    without_parens = fold(re.sub(r"\(.*?\)", " ", text))
    if without_parens in LABEL_TO_FIELD:
        return LABEL_TO_FIELD[without_parens], None, None, None
    return None, None, None, None


# Fields whose values may stand in several columns (under a group heading such as "Kontakt"
# over name and e-mail): the row's value is the columns' values joined, in column order.
JOINED_FIELDS = {
    "contact": ", ",
    "comment": "; ",
    "purpose": " ",
    "partners": ", ",
    "representatives": "; ",
    "area": ", ",
    "last_review": "; ",
}


def cost_rest(text: str) -> str:
    """Return a header text folded, without its years and units: what says the cost's kind."""
    return " ".join(_UNIT_TOKENS.sub(" ", YEAR.sub(" ", fold(text))).split())


def classify_levels(parts: list[str]) -> tuple[str | None, int | None, str | None, int | None]:
    """Return (field, year, cost kind, unit multiplier) for a column whose header stands on one
    to three levels (``parts``, top first, merged cells already spread).

    The same rules as :func:`classify_header`, applied to the whole block: first the levels
    read as one header ("Kostnad" over "2024"); else a level that names a field, the topmost
    ("Kontakt" over "Namn" and "E-post" is the contact); else a cost, whose kind, year and
    unit may each come from any level ("Kostnad (tkr)" over "Budget" over "2025").
    """
    if len(parts) == 1:
        return classify_header(parts[0])
    whole = classify_header(" ".join(parts))
    if whole[0] is not None:
        return whole
    for part in parts:
        name = classify_header(part)[0]
        if name is not None and name != "cost":
            return name, None, None, None
    kind = year = unit = None
    for part in parts:  # the lowest level that says it wins
        rest = cost_rest(part)
        if rest in COST_WORDS:
            kind = COST_WORDS[rest]
        elif rest:
            continue
        found = YEAR.search(fold(part))
        year = int(found[1]) if found else year
        unit = find_unit(part) or unit
    if kind is None:
        return None, None, None, None
    return "cost", year, kind, unit


def map_columns(headers: list, default_year: int) -> list[Column]:
    """Return a Column for each non-empty header (a text, or a list of levels, top first).

    A second column of a field is raw text, except for the fields whose values may stand in
    several columns (:data:`JOINED_FIELDS`), and a second cost column of the same year and kind.
    """
    columns: list[Column] = []
    seen: set = set()
    for index, header in enumerate(headers):
        parts = [header] if isinstance(header, str) else list(header)
        parts = [p for i, p in enumerate(parts) if p and (i == 0 or p != parts[i - 1])]
        if not parts:
            continue
        text = " ".join(parts)
        name, year, kind, unit = classify_levels(parts)
        if name == "cost":
            key = ("cost", year or default_year, kind)
            if key in seen:
                name = None
            else:
                seen.add(key)
                columns.append(Column(index, text, "cost", year or default_year, kind, unit))
                continue
        elif name is not None:
            if name in seen and name not in JOINED_FIELDS:
                name = None
            else:
                seen.add(name)
        columns.append(Column(index, text, name))
    return columns
