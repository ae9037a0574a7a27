"""Parsers for the values municipalities write in their Excel lists: forms of cooperation,
amounts, dates, notice periods, decisions and service areas. Pure functions, no ORM.

Every parser raises :class:`ValueProblem` with a Swedish message that can be shown on the row.
Who represents the organisation is :mod:`importers.representatives`, which organisations take
part :mod:`importers.partners`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from register import amounts

from .text import cell_text, fold, split_cell_list


class ValueProblem(ValueError):
    """A cell value that cannot be understood; the message is Swedish and names the value."""


# --- Forms of cooperation -----------------------------------------------------------------

FORM_ALIASES = {
    "kommunalforbund": "municipal_federation",
    "kf forbund": "municipal_federation",
    "kf": "municipal_federation",
    "forbund": "municipal_federation",
    "gemensam namnd": "joint_committee",
    "gem namnd": "joint_committee",
    "gn": "joint_committee",
    "avtal": "agreement",
    "avtalssamverkan": "agreement",
    "samverkansavtal": "agreement",
    "ab": "joint_company",
    "bolag": "joint_company",
    "aktiebolag": "joint_company",
    "gemensamt agt bolag": "joint_company",
    "samordningsforbund": "coordination_federation",
    "finsam": "coordination_federation",
    "natverk": "network",
    "overenskommelse": "network",
    "forening": "association",
    "stiftelse": "association",
    "ideell forening": "association",
    "ekonomisk forening": "association",
}

# Checked in order against the folded text when no alias matches exactly.
FORM_KEYWORDS = (
    ("samordningsforbund", "coordination_federation"),
    ("finsam", "coordination_federation"),
    ("forbund", "municipal_federation"),
    ("namnd", "joint_committee"),
    ("bolag", "joint_company"),
    ("aktiebolag", "joint_company"),
    ("avtal", "agreement"),
    ("37", "agreement"),
    ("natverk", "network"),
    ("overenskommelse", "network"),
    ("styrgrupp", "network"),
    ("forening", "association"),
    ("stiftelse", "association"),
)


def parse_form(value, known: dict[str, str] | None = None) -> str | None:
    """Return the slug of the form of cooperation written in ``value`` (None when empty).

    ``known`` maps folded names and slugs of the forms in the database to their slugs, so a
    form added as data is recognised by its name.
    """
    text = cell_text(value)
    if not text:
        return None
    key = fold(text)
    known = known or {}
    for candidate in (key, fold(re.sub(r"\(.*?\)", " ", text))):
        if candidate in known:
            return known[candidate]
        if candidate in FORM_ALIASES:
            return FORM_ALIASES[candidate]
    words = key.split()
    if "ab" in words:
        return "joint_company"
    for keyword, slug in FORM_KEYWORDS:
        if keyword in key:
            return slug
    raise ValueProblem(
        f"Samverkansformen ”{text}” känns inte igen. Skriv till exempel kommunalförbund, "
        "gemensam nämnd, avtalssamverkan, bolag, samordningsförbund, förening eller nätverk."
    )


# --- Amounts --------------------------------------------------------------------------------


def parse_amount(value, multiplier: int = 1) -> int | None:
    """Return an amount in whole kronor; ``multiplier`` is the column's unit (1000 for tkr).

    A unit written in the cell itself ("-0,6 mnkr") wins over the column's unit. The register's
    one amount parser (:func:`register.amounts.parse_amount`), the forms' too.
    """
    try:
        return amounts.parse_amount(value, multiplier)
    except amounts.AmountError as exc:
        raise ValueProblem(str(exc)) from exc


# --- Dates ----------------------------------------------------------------------------------

OPEN_ENDED = {
    "tills vidare",
    "tillsvidare",
    "tills vidare ",
    "tv",
    "t v",
    "lopande",
    "obestamd",
    "obestamd tid",
    "pagaende",
    "ingen",
    "inget slutdatum",
    "tills vidare med uppsagning",
}
MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4, "april": 4,
    "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8, "sep": 9,
    "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class DateValue:
    value: date | None
    open_ended: bool = False


def _end_of(year: int, month: int | None) -> date:
    if month is None:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_ok(year: int) -> bool:
    return 1800 <= year <= 2200


def parse_date(value, *, end: bool = False) -> DateValue | None:
    """Return the date in ``value``; None for an empty cell.

    A bare year or a month means its first day, or its last day when ``end`` is true.
    "tills vidare", "tillsvidare" and "löpande" mean no end date (``open_ended``).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return DateValue(value.date())
    if isinstance(value, date):
        return DateValue(value)
    if isinstance(value, bool):
        raise ValueProblem(f"Datumet ”{value}” kunde inte tolkas.")
    if isinstance(value, int | float):
        number = int(value)
        if number != value:
            raise ValueProblem(f"Datumet ”{cell_text(value)}” kunde inte tolkas.")
        if _year_ok(number):
            return DateValue(_end_of(number, None) if end else date(number, 1, 1))
        if 2 <= number <= 80_000:  # An Excel serial number in a cell formatted as a number.
            return DateValue(_EXCEL_EPOCH + timedelta(days=number))
        raise ValueProblem(f"Datumet ”{cell_text(value)}” kunde inte tolkas.")
    text = cell_text(value)
    if not text:
        return None
    key = fold(text)
    if key in OPEN_ENDED or key.startswith("tills vidare") or key.startswith("tillsvidare"):
        return DateValue(None, open_ended=True)
    parsed = _parse_date_text(text, key, end)
    if parsed is None:
        raise ValueProblem(
            f"Datumet ”{text}” kunde inte tolkas. Skriv till exempel 2019-01-01, 1 jan 2019, "
            "2019-01, 2019 eller tills vidare."
        )
    return DateValue(parsed)


def _parse_date_text(text: str, key: str, end: bool) -> date | None:
    try:
        m = re.fullmatch(
            r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", text
        )
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{4})[-/](\d{1,2})", text)
        if m and 1 <= int(m[2]) <= 12:
            year, month = int(m[1]), int(m[2])
            return _end_of(year, month) if end else date(year, month, 1)
        m = re.fullmatch(r"(\d{4})", text)
        if m and _year_ok(int(m[1])):
            year = int(m[1])
            return _end_of(year, None) if end else date(year, 1, 1)
        m = re.fullmatch(r"(?:den )?(\d{1,2}) ([a-z]+) (\d{4})", key)
        if m and m[2] in MONTHS:
            return date(int(m[3]), MONTHS[m[2]], int(m[1]))
        m = re.fullmatch(r"([a-z]+) (\d{4})", key)
        if m and m[1] in MONTHS:
            year, month = int(m[2]), MONTHS[m[1]]
            return _end_of(year, month) if end else date(year, month, 1)
    except ValueError:
        return None
    return None


def find_date(text: str) -> date | None:
    """Return the first date written anywhere in a text (for decision cells), or None."""
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    key = fold(text)
    m = re.search(r"(\d{1,2}) ([a-z]+) (\d{4})", key)
    if m and m[2] in MONTHS:
        try:
            return date(int(m[3]), MONTHS[m[2]], int(m[1]))
        except ValueError:
            return None
    return None


# --- Notice period --------------------------------------------------------------------------

_NUMBER_WORDS = {
    "en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "arton": 18, "tjugofyra": 24,
}  # fmt: skip


def parse_notice(value) -> int | None:
    """Return a notice period in months ("6 månader", "1 år", "12 mån", 6)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and 0 <= value <= 240:
            return int(value)
        raise ValueProblem(f"Uppsägningstiden ”{cell_text(value)}” kunde inte tolkas.")
    text = cell_text(value)
    if not text:
        return None
    key = fold(text)
    m = re.fullmatch(r"(\d+|[a-z]+)\s*(man|manad|manader|mnd|months?|ar|years?)?", key)
    if m:
        number_text, unit = m[1], m[2] or "man"
        number = int(number_text) if number_text.isdigit() else _NUMBER_WORDS.get(number_text)
        if number is not None and number <= 240:
            return number * 12 if unit.startswith(("ar", "year")) else number
    raise ValueProblem(
        f"Uppsägningstiden ”{text}” kunde inte tolkas. Skriv till exempel 6 månader eller 1 år."
    )


def format_notice(months: int | None) -> str:
    if months is None:
        return ""
    if months and months % 12 == 0:
        years = months // 12
        return f"{years} år"
    return f"{months} månader" if months != 1 else "1 månad"


# --- Decisions ------------------------------------------------------------------------------

BODY_ABBREVIATIONS = {
    "kf": "Kommunfullmäktige",
    "ks": "Kommunstyrelsen",
    "rf": "Regionfullmäktige",
    "rs": "Regionstyrelsen",
}


@dataclass(frozen=True)
class DecisionValue:
    date: date
    deciding_body: str
    reference: str = ""

    def label(self) -> str:
        ref = f" {self.reference}" if self.reference else ""
        return f"{self.deciding_body} {self.date.isoformat()}{ref}"


def parse_decision(value, *, default_body: str = "Kommunfullmäktige") -> DecisionValue | None:
    """Return the decision in a cell like "KF 2019-03-25 § 45" or a bare date."""
    if value is None:
        return None
    if isinstance(value, datetime | date) or isinstance(value, int | float):
        parsed = parse_date(value)
        if parsed is None or parsed.value is None:
            return None
        return DecisionValue(parsed.value, default_body)
    text = cell_text(value)
    if not text:
        return None
    when = find_date(text)
    if when is None:
        raise ValueProblem(
            f"Beslutet ”{text}” saknar ett datum. Skriv till exempel ”KF 2019-03-25 § 45”."
        )
    m = re.search(r"§\s*\d+[\w:/-]*", text)
    reference = " ".join(m[0].split()).replace("§", "§ ").replace("§  ", "§ ") if m else ""
    body_text = re.sub(r"\d{4}-\d{1,2}-\d{1,2}|§\s*\d+[\w:/-]*", " ", text)
    body_text = re.sub(r"\d{1,2}\s+[A-Za-zåäö]+\s+\d{4}", " ", body_text)
    body_text = " ".join(body_text.replace(",", " ").split()).strip(" ,.-")
    body = BODY_ABBREVIATIONS.get(fold(body_text), body_text) or default_body
    return DecisionValue(when, body, reference)


# --- Service areas --------------------------------------------------------------------------

AREA_KEYWORDS = (
    ("raddning", "raddningstjanst"),
    ("brand", "raddningstjanst"),
    ("overformyndar", "overformyndare"),
    ("lon", "lon"),
    ("ekonomi", "ekonomi"),
    ("it", "it"),
    ("e tjanst", "it"),
    ("digital", "it"),
    ("utbildning", "utbildning"),
    ("skola", "utbildning"),
    ("gymnasi", "utbildning"),
    ("vuxenutbildning", "utbildning"),
    ("miljo", "miljo_bygg"),
    ("bygg", "miljo_bygg"),
    ("halsoskydd", "miljo_bygg"),
    ("livsmedel", "miljo_bygg"),
    ("tillsyn", "miljo_bygg"),
    ("hjalpmedel", "hjalpmedel"),
    ("social", "socialtjanst"),
    ("individ och familj", "socialtjanst"),
    ("familjeratt", "socialtjanst"),
    ("sjukvard", "halsa_omsorg"),
    ("omsorg", "halsa_omsorg"),
    ("halso", "halsa_omsorg"),
    ("upphandling", "upphandling"),
    ("avfall", "avfall"),
    ("renhallning", "avfall"),
    ("atervinning", "avfall"),
    ("vatten", "vatten_avlopp"),
    ("avlopp", "vatten_avlopp"),
    ("va", "vatten_avlopp"),
    ("kollektivtrafik", "kollektivtrafik"),
    ("trafik", "kollektivtrafik"),
    ("kultur", "kultur"),
    ("bibliotek", "kultur"),
    ("gator", "gator_teknik"),
    ("gata", "gator_teknik"),
    ("teknik", "gator_teknik"),
    ("arkiv", "arkiv"),
    ("juridik", "juridik"),
    ("jurist", "juridik"),
    ("regional utveckling", "regional_utveckling"),
    ("naringsliv", "naringsliv"),
    ("turism", "naringsliv"),
    ("kris", "krisberedskap"),
    ("beredskap", "krisberedskap"),
    ("kompetens", "kompetensforsorjning"),
    ("arbetsmarknad", "arbetsmarknad_rehabilitering"),
    ("rehabilitering", "arbetsmarknad_rehabilitering"),
    ("administration", "administration"),
)


def match_areas(value, known: dict[str, str]) -> tuple[list[str], list[str]]:
    """Return the slugs of the service areas in a cell and the parts that matched none.

    ``known`` maps folded names and slugs of the areas in the database to their slugs.
    """
    slugs: list[str] = []
    unknown: list[str] = []
    for part in split_cell_list(value):
        key = fold(part)
        slug = known.get(key) or known.get(key.replace(" ", "_"))
        if slug is None:
            words = key.split()
            for keyword, candidate in AREA_KEYWORDS:
                if candidate not in known.values():
                    continue
                hit = keyword in words if len(keyword) <= 3 else keyword in key
                if hit:
                    slug = candidate
                    break
        if slug is None:
            unknown.append(part)
        elif slug not in slugs:
            slugs.append(slug)
    return slugs, unknown
