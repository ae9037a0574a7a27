"""Parsers for the values municipalities write in their Excel lists. Pure functions, no ORM.

Every parser raises :class:`ValueProblem` with a Swedish message that can be shown on the row.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from register.validators import MAX_AMOUNT


class ValueProblem(ValueError):
    """A cell value that cannot be understood; the message is Swedish and names the value."""


# --- Text -----------------------------------------------------------------------------------


def cell_text(value) -> str:
    """Return a cell value as trimmed text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def strip_diacritics(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=65_536)
def _fold(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", strip_diacritics(text.casefold())).split())


def fold(text) -> str:
    """Return text case-folded, without diacritics, punctuation collapsed to single spaces."""
    return _fold(text if isinstance(text, str) else str(text))


def squash(text: str) -> str:
    """Return text case-folded with whitespace collapsed (diacritics kept)."""
    return " ".join(str(text).casefold().split())


def normalise_name(text: str) -> str:
    """Return the key an arrangement's name is matched on (case, spacing, punctuation ignored)."""
    return fold(text)


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

UNIT_WORDS = (
    (re.compile(r"(mnkr|mkr|msek|miljoner kronor|miljoner|milj\.?|mn)\b", re.I), 1_000_000),
    (re.compile(r"(tkr|ksek|tusen kronor|tusental kronor|tusentals kronor|tsek)\b", re.I), 1_000),
    (re.compile(r"(kr|kronor|sek|:-)(?=\W|$)", re.I), 1),
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_APPROX = re.compile(r"^(ca\.?|cirka|ungefär|approx\.?|~|≈)\s*", re.I)


def find_unit(text: str) -> int | None:
    """Return the multiplier named in a header or cell (tkr → 1000), or None."""
    for pattern, multiplier in UNIT_WORDS:
        if pattern.search(text):
            return multiplier
    return None


def parse_amount(value, multiplier: int = 1) -> int | None:
    """Return an amount in whole kronor; ``multiplier`` is the column's unit (1000 for tkr).

    A unit written in the cell itself ("-0,6 mnkr") wins over the column's unit.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"Beloppet ”{value}” är inte ett tal.")
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:  # pragma: no cover - NaN/inf from a broken file
            raise ValueProblem(f"Beloppet ”{value}” är inte ett tal.") from exc
        if not number.is_finite():
            raise ValueProblem(f"Beloppet ”{value}” är inte ett tal.")
        return _whole_kronor(number * multiplier, value)
    if isinstance(value, datetime | date):
        raise ValueProblem(f"Beloppet ”{cell_text(value)}” är ett datum, inte ett belopp.")
    text = cell_text(value)
    if not text or text in {"-", "–", "—", "0-", "saknas", "uppgift saknas"}:
        return None
    original = text
    text = _APPROX.sub("", text)
    unit = find_unit(text)
    if unit is not None:
        multiplier = unit
        for pattern, _ in UNIT_WORDS:
            text = pattern.sub("", text)
    text = text.replace("\u2212", "-").replace("–", "-").replace("—", "-")
    text = _SPACES.sub("", text).rstrip(".")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", text) and multiplier == 1:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueProblem(
            f"Beloppet ”{original}” kunde inte tolkas. Skriv ett tal, till exempel 12 500 eller "
            "12,5 mnkr."
        )
    number = Decimal(text) * multiplier
    return _whole_kronor(-number if negative else number, original)


def _whole_kronor(number: Decimal, original) -> int:
    # Checked before rounding: a number beyond Decimal's 28 digits cannot even be rounded.
    if abs(number) >= MAX_AMOUNT + Decimal("0.5"):
        raise ValueProblem(f"Beloppet ”{cell_text(original)}” är orimligt stort.")
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


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


# --- Representatives ------------------------------------------------------------------------

ROLE_WORDS = {
    "ordforande": "chair",
    "ordf": "chair",
    "vice ordforande": "vice_chair",
    "vice ordf": "vice_chair",
    "2 vice ordforande": "vice_chair",
    "forste vice ordforande": "vice_chair",
    "ledamot": "member",
    "ledamoter": "member",
    "led": "member",
    "ordinarie ledamot": "member",
    "ordinarie": "member",
    "ersattare": "substitute",
    "ers": "substitute",
    "supp": "substitute",
    "suppleant": "substitute",
    "tjansteperson": "official",
    "tjansteman": "official",
}
ROLE_LABELS = {
    "chair": "ordförande",
    "vice_chair": "vice ordförande",
    "member": "ledamot",
    "substitute": "ersättare",
    "official": "tjänsteperson",
}


@dataclass(frozen=True)
class Representative:
    name: str
    party: str = ""
    role: str = "member"

    def label(self) -> str:
        party = f" ({self.party})" if self.party else ""
        return f"{self.name}{party}, {ROLE_LABELS.get(self.role, 'ledamot')}"


_SPLIT_REPS = re.compile(r"\s*(?:;|\n|\r|\u2028|,|\s+och\s+|\s+&\s+)\s*")
# "Anna Svensson (S) ordförande", "Anna Svensson (S)", "Anna Svensson": a name, perhaps a
# party in brackets, perhaps a role after it.
_PERSON = re.compile(
    r"^(?P<name>[^()]*?)\s*\((?P<party>[^)]*)\)\s*(?P<rest>[^()]*)$|^(?P<bare>[^()]+)$"
)
_PARTY = re.compile(r"^[A-ZÅÄÖ]{1,5}$")
KNOWN_PARTIES = {"s", "m", "c", "l", "v", "kd", "mp", "sd", "fp", "spi"}


_ORDINALS = {"1", "2", "3", "e", "1e", "2e", "3e", "forste", "andre", "tredje"}


def role_of(text: str) -> str | None:
    """Return the role a text names, spelled out or abbreviated ("v. ordf.", "ers."), or None."""
    key = fold(text)
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    words = key.split()
    # "1:e vice ordförande", "förste vice ordf.", "v ordf": a vice chair, whichever.
    if (
        len(words) >= 2
        and words[-1] in {"ordforande", "ordf"}
        and words[-2] in {"vice", "v"}
        and set(words[:-2]) <= _ORDINALS
    ):
        return "vice_chair"
    return None


def _is_party(text: str) -> bool:
    return bool(_PARTY.fullmatch(text)) or fold(text) in KNOWN_PARTIES


def parse_representatives(value) -> list[Representative]:
    """Return the people in a cell as people write them.

    Each person is "Namn (Parti) roll", "Namn (Parti), roll" or "Namn, Parti, roll" (party and
    role optional; the role spelled out or abbreviated: ordf., v. ordf., led., ers.), and people
    are separated by semicolons, commas, "och", "&" or line breaks. A part that is a role or a
    party belongs to the person before it; any other part starts a new person.
    """
    text = cell_text(value)
    if not text:
        return []
    people: list[Representative] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            rep = Representative(current["name"], current["party"], current["role"] or "member")
            if rep not in people:  # the same person and role twice says nothing more
                people.append(rep)

    for piece in _SPLIT_REPS.split(text):
        piece = piece.strip(" \t:–-")
        if not piece:
            continue
        role = role_of(piece)
        if current is not None and role is not None and current["role"] is None:
            current["role"] = role
            continue
        if current is not None and current["role"] is None and not current["party"]:
            if _is_party(piece):
                current["party"] = piece
                continue
        m = _PERSON.match(piece)
        if not m or not (m["name"] or m["bare"] or "").strip():
            raise ValueProblem(
                f"Ledamoten ”{piece}” kunde inte tolkas. Skriv till exempel "
                "”Anna Svensson (S), ledamot; Per Olsson (M), ersättare”."
            )
        rest = (m["rest"] or "").strip(" ,:–-")
        if m["party"] is None and current is not None and piece[:1].islower():
            raise ValueProblem(
                f"Rollen ”{piece}” för {current['name']} känns inte igen. Skriv "
                "ordförande, vice ordförande, ledamot eller ersättare."
            )
        name = " ".join((m["name"] or m["bare"]).split())
        role = None
        if m["party"] is not None and rest:  # "Anna Svensson (S) ordförande"
            role = role_of(rest)
            if role is None:
                raise ValueProblem(
                    f"Rollen ”{rest}” för {name} känns inte igen. Skriv "
                    "ordförande, vice ordförande, ledamot eller ersättare."
                )
        elif m["party"] is None:  # "Anna Svensson ordf.": a role as the last words
            words = name.split()
            for cut in range(1, len(words)):
                if not words[cut][:1].islower():  # a role after a name is written in lower case
                    continue
                role = role_of(" ".join(words[cut:]))
                if role is not None:
                    name = " ".join(words[:cut])
                    break
        close()
        current = {"name": name, "party": (m["party"] or "").strip(), "role": role}
    close()
    return people


def format_representatives(people) -> str:
    return "; ".join(p.label() for p in people)


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


# --- Partners -------------------------------------------------------------------------------

_PARTNER_SPLIT = re.compile(r"\s*(?:[,;\n\r\u2028•]|\s-\s)\s*")
_AND_SPLIT = re.compile(r"\s+(?:och|samt|&|\+)\s+", re.I)
_SUFFIXES = (" kommuner", " kommuns", " kommun", " kommunen", " stads", " stad", " stad s")


def split_cell_list(value) -> list[str]:
    """Return the parts of a cell separated by commas, semicolons or line breaks."""
    text = cell_text(value)
    parts = [p.strip().lstrip("-•*").strip() for p in _PARTNER_SPLIT.split(text)]
    return [p for p in parts if p]


@dataclass(frozen=True)
class OrgRef:
    pk: int
    kind: str
    name: str
    short_name: str = ""
    code: str | None = None


class PartnerMatcher:
    """Match partner names to organisations: by code, exact name, then ignoring case and
    diacritics, with "kommun", "stad", genitive s and "Region …" handled."""

    def __init__(self, organisations):
        self.orgs = list(organisations)
        self.by_code: dict[str, OrgRef] = {}
        self.exact: dict[str, list[OrgRef]] = {}
        self.casefolded: dict[str, list[OrgRef]] = {}
        self.folded: dict[str, list[OrgRef]] = {}
        for org in self.orgs:
            if org.code:
                self.by_code[org.code] = org
            for name in {org.name, org.short_name} - {""}:
                self.exact.setdefault(name.strip(), []).append(org)
                self.casefolded.setdefault(squash(name), []).append(org)
                self.folded.setdefault(fold(name), []).append(org)
        self.choices = sorted({o.short_name or o.name for o in self.orgs})
        self._folded_choices = {fold(c): c for c in self.choices}
        self._choice_orgs = {fold(o.short_name or o.name): o for o in self.orgs}
        # Names a registrar has said are an organisation (folded name → organisation).
        self.aliases: dict[str, OrgRef] = {}

    def _variants(self, text: str) -> list[str]:
        text = " ".join(text.split())
        out = [text]
        low = text.casefold()
        for suffix in _SUFFIXES:
            if low.endswith(suffix):
                base = text[: -len(suffix)].strip()
                out.append(base)
                if base.endswith("s") and len(base) > 3:
                    out.append(base[:-1])
                break
        else:
            if low.endswith("s") and len(text) > 3 and not low.startswith("region "):
                out.append(text[:-1])
        if low.startswith("regionen "):
            out.append("Region " + text[9:])
        return out

    def match(self, text: str) -> OrgRef | None:
        text = " ".join(cell_text(text).split())
        if not text:
            return None
        digits = text.replace(" ", "")
        if digits.isdigit() and digits in self.by_code:
            return self.by_code[digits]
        variants = self._variants(text)
        for index, key_fn in (
            (self.exact, str.strip),
            (self.casefolded, squash),
            (self.folded, fold),
        ):
            for variant in variants:
                hits = index.get(key_fn(variant))
                if hits:
                    return self._prefer(hits, text)
        return self.aliases.get(fold(text))

    @staticmethod
    def _prefer(hits: list[OrgRef], text: str) -> OrgRef:
        if len(hits) == 1:
            return hits[0]
        wants_region = fold(text).startswith("region")
        for hit in hits:
            if (hit.kind == "region") == wants_region:
                return hit
        return hits[0]

    def suggestions(self, text: str, n: int = 3) -> list[str]:
        key = fold(self._variants(text)[-1])
        close = difflib.get_close_matches(key, list(self._folded_choices), n=n, cutoff=0.5)
        return [self._folded_choices[c] for c in close]

    def unknown_message(self, text: str) -> str:
        close = self.suggestions(text)
        hint = f" Menade du {_or_list(close)}?" if close else ""
        return f"Parten ”{text}” finns inte bland organisationerna i registret.{hint}"

    def suggested_orgs(self, text: str, n: int = 5) -> list[OrgRef]:
        """Return the organisations a name not found is likely to mean, closest first."""
        key = fold(self._variants(text)[-1])
        close = difflib.get_close_matches(key, list(self._folded_choices), n=n, cutoff=0.5)
        return [self._choice_orgs[c] for c in close]

    def match_list(self, value) -> tuple[list[OrgRef], list[str]]:
        """Return the organisations in a partner cell and a message for each unknown name."""
        found, unknown = self.match_list_detail(value)
        return found, [message for _, message in unknown]

    def match_list_detail(self, value) -> tuple[list[OrgRef], list[tuple[str, str]]]:
        """Return the organisations in a partner cell and (name, message) for each unknown."""
        found: list[OrgRef] = []
        problems: list[tuple[str, str]] = []
        for part in split_cell_list(value):
            org = self.match(part)
            if org is not None:
                found.append(org)
                continue
            pieces = [p for p in _AND_SPLIT.split(part) if p.strip()]
            if len(pieces) == 1:
                problems.append((part, self.unknown_message(part)))
                continue
            for piece in pieces:
                org = self.match(piece)
                if org is None:
                    problems.append((piece.strip(), self.unknown_message(piece.strip())))
                else:
                    found.append(org)
        unique: dict[int, OrgRef] = {}
        for org in found:
            unique.setdefault(org.pk, org)
        return list(unique.values()), problems


def _or_list(items: list[str]) -> str:
    quoted = [f"”{i}”" for i in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " eller " + quoted[-1]


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
