"""Open data: every public list as CSV, JSON and XLSX, one organisation's whole document
(``data.json``), the whole public register, and the DCAT-AP-SE catalogue that describes them.

Everything is built from the documents of ``selectors.py`` (public fields of published records
only); these functions return bytes or plain data, and only the views know HTTP.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple

from ..reports import xlsx as writer
from . import network
from .selectors import Portfolio

# The licence of the open data: CC0 1.0 (no rights reserved). The register holds facts about
# public bodies (who decides, who represents, what it costs), which are public documents; CC0 is
# what the national data portal recommends so that they can be reused without conditions.
LICENCE_URL = "http://creativecommons.org/publicdomain/zero/1.0/"
LICENCE_NAME = "CC0 1.0 Universell"

# The formats of every public list (content types: register/downloads.py).
FORMATS = ("csv", "json", "xlsx")


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return "" if value is None else value


# --- the public lists ----------------------------------------------------------------------------
# Each list names its columns, so that a file has its header row even when the list is empty: the
# header in Swedish for the CSV and the XLSX (a person reads it), the key in ASCII for the JSON
# (a program reads it, and the keys stay as they are).


class Column(NamedTuple):
    header: str  # CSV and XLSX
    key: str  # JSON
    value: Callable[[dict], object]  # of one item of the list


class PublicList(NamedTuple):
    title: str
    columns: tuple[Column, ...]
    items: Callable[[Portfolio], Iterable[dict]]


EXAMPLE = Column("Exempeldata", "exempeldata", lambda x: x["is_example"])


def positions_text(decision: dict) -> str:
    """The published positions beside a decision, in the sentence the pages and the feed use."""
    return " ".join(p["text"] for p in decision.get("positions", ()))


def _seats(p: Portfolio):
    for a in p.arrangements:
        for s in a.get("our_seats", []):
            yield {**s, "arrangement": a}


def _costs(p: Portfolio):
    for a in p.arrangements:
        for c in a.get("our_costs", []):
            yield {**c, "arrangement": a, "is_example": a["is_example"] or c["is_example"]}


LISTS = {
    "samverkan": PublicList(
        "Samverkan",
        (
            Column("Samverkan", "samverkan", lambda a: a["name"]),
            Column("Samverkansform", "samverkansform", lambda a: a["form"]),
            Column(
                "Verksamhetsområden",
                "verksamhetsomraden",
                lambda a: ", ".join(area["name"] for area in a["areas"]),
            ),
            Column("Status", "status", lambda a: a["status_label"]),
            # Whether the organisation takes part today (rules.takes_part), as its page counts.
            Column("Pågår", "pagar", lambda a: a.get("we_take_part", a["ongoing"])),
            Column(
                "Vår roll",
                "var_roll",
                lambda a: (a.get("our_participation") or {}).get("role_label", ""),
            ),
            Column("Startdatum", "startdatum", lambda a: a["start_date"]),
            Column("Slutdatum", "slutdatum", lambda a: a["end_date"]),
            Column("Värdkommun", "vardkommun", lambda a: a["host"]["name"] if a["host"] else ""),
            Column("Parter", "parter", lambda a: ", ".join(x["name"] for x in a["members"])),
            EXAMPLE,
            Column("Adress", "adress", lambda a: a["url"]),
        ),
        lambda p: p.arrangements,
    ),
    "beslut": PublicList(
        "Beslut",
        (
            Column("Datum", "datum", lambda d: d["date"]),
            Column("Samverkan", "samverkan", lambda d: d["arrangement"]["name"]),
            Column("Beslutande organ", "beslutande_organ", lambda d: d["deciding_body"]),
            Column("Rubrik", "rubrik", lambda d: d["title"]),
            Column("Typ", "typ", lambda d: d["kind_label"]),
            Column("Paragraf", "paragraf", lambda d: d["reference"]),
            Column("Diarienummer", "diarienummer", lambda d: d["diary_number"]),
            Column("Sammanfattning", "sammanfattning", lambda d: d["public_summary"]),
            Column("Ställningstaganden", "stallningstaganden", lambda d: positions_text(d)),
            Column("Protokoll", "protokoll", lambda d: d["document_url"]),
            EXAMPLE,
        ),
        lambda p: p.decisions,
    ),
    "foretradare": PublicList(
        "Våra företrädare",
        (
            Column("Namn", "namn", lambda s: s["person"]),
            Column("Parti", "parti", lambda s: s["party"]),
            Column("Roll", "roll", lambda s: s["role_label"]),
            Column("Organ", "organ", lambda s: s["body"]),
            Column("Samverkan", "samverkan", lambda s: s["arrangement"]["name"]),
            Column("Mandatperiod från", "mandatperiod_fran", lambda s: s["term_start"]),
            Column("Mandatperiod till", "mandatperiod_till", lambda s: s["term_end"]),
            EXAMPLE,
        ),
        _seats,
    ),
    "kostnader": PublicList(
        "Kostnader",
        (
            Column("År", "ar", lambda c: c["year"]),
            Column("Samverkan", "samverkan", lambda c: c["arrangement"]["name"]),
            Column("Budget (kr)", "budget_kr", lambda c: c["budget"]),
            Column("Utfall (kr)", "utfall_kr", lambda c: c["outcome"]),
            Column("Prognos (kr)", "prognos_kr", lambda c: c["forecast"]),
            # The best figure (rules.best_amount) and which it is: what the pages show.
            Column("Kostnad (kr)", "kostnad_kr", lambda c: c["amount_sek"]),
            Column("Avser", "avser", lambda c: c["kind_label"]),
            Column("Kronor per invånare", "kr_per_invanare", lambda c: c["per_inhabitant"]),
            Column("Folkmängd från år", "folkmangd_ar", lambda c: c["population_year"]),
            EXAMPLE,
        ),
        _costs,
    ),
}


def list_table(name: str, p: Portfolio) -> list[list]:
    """Return the list's rows as values in the order of its columns."""
    columns = LISTS[name].columns
    return [[c.value(item) for c in columns] for item in LISTS[name].items(p)]


def list_rows(name: str, p: Portfolio) -> list[dict]:
    """Return the list's rows as the JSON has them: key → value."""
    keys = [c.key for c in LISTS[name].columns]
    return [dict(zip(keys, row, strict=True)) for row in list_table(name, p)]


def as_csv(header: list[str], rows: Iterable[list]) -> bytes:
    """Return a table as CSV with its header row, rows or not (UTF-8 with BOM, so that Excel
    reads å, ä and ö; semicolons, as Swedish Excel expects)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value):
    # A cell that starts like a formula is written with a leading apostrophe, as in the XLSX.
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def as_json(rows) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=_json_default).encode("utf-8")


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def as_xlsx(sheets: dict[str, list[dict]]) -> bytes:
    """Return one worksheet per list (title → rows); text never becomes a formula."""
    book = writer.Book()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        if not rows:
            sheet.write(1, 1, writer.EMPTY)
            continue
        sheet.table(rows[0], ([_cell(v) for v in row.values()] for row in rows))
    return book.to_bytes()


def encode(fmt: str, name: str, p: Portfolio) -> bytes:
    """Return the public list ``name`` of ``p`` in ``fmt`` (csv, json or xlsx)."""
    if fmt == "json":
        return as_json(list_rows(name, p))
    header = [c.header for c in LISTS[name].columns]
    table = list_table(name, p)
    if fmt == "csv":
        return as_csv(header, table)
    return as_xlsx({LISTS[name].title: [dict(zip(header, row, strict=True)) for row in table]})


# --- one organisation's document (data.json) -----------------------------------------------------


def _person_seat(s: dict) -> dict:
    return {
        "person": s["person"],
        "party": s["party"],
        "role": s["role"],
        "appointed_by": s["appointed_by"]["code"] if s["appointed_by"] else None,
        "is_example": s["is_example"],
    }


def arrangement_json(a: dict, *, organisation: dict | None = None) -> dict:
    """Return the open-data form of one arrangement document (see schemas/organisation.json).

    ``status`` is the status on the day (``rules.status_on``: "ended" once the end date has
    passed), ``ongoing`` whether it is ongoing, each participant's ``in_force`` whether it is a
    member that day; with ``organisation``, each cost has its per-inhabitant figure with the
    population's year, and ``our_seat_share`` the organisation's share of the deciding body's
    seats (``graph.influence_rows``) when it takes part."""
    latest = a["latest_evaluation"]
    doc = {
        "name": a["name"],
        "form": a["form"],
        "areas": [area["name"] for area in a["areas"]],
        "status": a["status"],
        "ongoing": a["ongoing"],
        "start_date": _date(a["start_date"]),
        "end_date": _date(a["end_date"]),
        "host": ({"code": a["host"]["code"], "name": a["host"]["name"]} if a["host"] else None),
        "participants": [
            {"code": p["code"], "name": p["name"], "role": p["role"], "in_force": p["in_force"]}
            for p in a["participants"]
        ],
        "bodies": [
            {
                "name": b["name"],
                "kind": b["kind"],
                "powers": b["powers"],
                "seats": [_person_seat(s) for s in b["seats"]],
            }
            for b in a["bodies"]
        ],
        "costs": [
            _cost_json(c)
            for c in (a["our_costs"] if organisation is not None else a["costs"])
            if c["amount_sek"] is not None
        ],
        "goals": [g["title"] for g in a["goals"]]
        + [c["goal__title"] for c in a.get("our_goals", [])],
        "latest_evaluation": (
            {"date": _date(latest["date"]), "summary": latest["public_summary"]} if latest else None
        ),
        "decisions": [
            {
                "date": _date(d["date"]),
                "deciding_body": d["deciding_body"],
                "title": d["title"],
                "kind": d["kind"],
                "reference": d["reference"],
                "summary": d["public_summary"],
                "positions": [
                    {
                        "organisation": p["organisation"],
                        "stance": p["stance"],
                        "outcome": p["outcome"],
                        "summary": p["public_summary"],
                    }
                    for p in d["positions"]
                ],
                "is_example": d["is_example"],
            }
            for d in a["decisions"]
        ],
        "is_example": a["is_example"],
        "url": a["url"],
    }
    if organisation is not None:
        doc["we_take_part"] = a["we_take_part"]
        influence = a.get("our_influence")
        doc["our_seat_share"] = (
            {
                "body": influence.body.name if influence.body else None,
                "seats": influence.seats,
                "of": influence.seats_total,
                "share": influence.seat_share,
                "reason": influence.seat_reason or None,
            }
            if influence is not None
            else None
        )
    return doc


def _cost_json(c: dict) -> dict:
    doc = {
        "year": c["year"],
        "kind": c["kind"],
        "amount_sek": c["amount_sek"],
        "is_example": c["is_example"],
    }
    if "per_inhabitant" in c:
        doc["per_inhabitant_sek"] = c["per_inhabitant"]
        doc["population_year"] = c["population_year"]
    return doc


def _date(value):
    return value.isoformat() if value else None


def organisation_json(p: Portfolio) -> dict:
    """Return one organisation's whole document: its figures on the day (the same as its Insyn
    page and the internal overview: ongoing count, the reference year's cost and per inhabitant)
    and its published arrangements."""
    org = p.organisation
    influence = network.influence(p)
    for a in p.arrangements:
        a["our_influence"] = influence.get(a["id"])
    cost = p.reference_cost
    population = p.reference_population
    return {
        "code": org["code"],
        "name": org["name"],
        "kind": org["kind"],
        "figures": {
            "on": p.today.isoformat(),
            "ongoing_count": len(p.ongoing),
            "reference_year": cost.year,
            "cost_sek": cost.amount,
            "cost_kind": cost.kind or None,
            "per_inhabitant_sek": p.reference_per_inhabitant,
            "population": population.population if population else None,
            "population_year": population.year if population else None,
        },
        "arrangements": [arrangement_json(a, organisation=org) for a in p.arrangements],
    }


def whole_register_json(arrangements: list[dict]) -> dict:
    return {
        "licence": LICENCE_URL,
        "arrangements": [arrangement_json(a) for a in arrangements],
    }


def whole_register_xlsx(arrangements: list[dict]) -> bytes:
    """Return the whole register as a workbook, one sheet per kind of record; the column
    headers are Swedish words, as in the lists' CSV and XLSX."""
    rows, participants, seats, costs, decisions = [], [], [], [], []
    for a in arrangements:
        rows.append(
            {
                "Samverkan": a["name"],
                "Samverkansform": a["form"],
                "Verksamhetsområden": ", ".join(x["name"] for x in a["areas"]),
                "Status": a["status_label"],
                "Startdatum": a["start_date"],
                "Slutdatum": a["end_date"],
                "Värdkommun": a["host"]["name"] if a["host"] else "",
                "Varför": a["public_description"],
                "Exempeldata": a["is_example"],
                "Adress": a["url"],
            }
        )
        for p in a["participants"]:
            participants.append(
                {
                    "Samverkan": a["name"],
                    "Kod": p["code"],
                    "Part": p["name"],
                    "Roll": p["role_label"],
                }
            )
        for b in a["bodies"]:
            for s in b["seats"]:
                seats.append(
                    {
                        "Samverkan": a["name"],
                        "Organ": b["name"],
                        "Namn": s["person"],
                        "Parti": s["party"],
                        "Roll": s["role_label"],
                        "Utsedd av": s["appointed_by"]["name"] if s["appointed_by"] else "",
                    }
                )
        names = {p["organisation_id"]: p["name"] for p in a["participants"]}
        for c in a["costs"]:
            costs.append(
                {
                    "Samverkan": a["name"],
                    "Part": names.get(c["organisation_id"], ""),
                    "År": c["year"],
                    "Budget (kr)": c["budget"],
                    "Utfall (kr)": c["outcome"],
                    "Prognos (kr)": c["forecast"],
                }
            )
        for d in a["decisions"]:
            decisions.append(
                {
                    "Datum": d["date"],
                    "Samverkan": a["name"],
                    "Beslutande organ": d["deciding_body"],
                    "Rubrik": d["title"],
                    "Sammanfattning": d["public_summary"],
                    "Ställningstaganden": positions_text(d),
                }
            )
    return as_xlsx(
        {
            "Samverkan": rows,
            "Parter": participants,
            "Ledamöter": seats,
            "Kostnader": costs,
            "Beslut": decisions,
        }
    )


# --- the DCAT-AP-SE catalogue --------------------------------------------------------------------


# The controlled vocabularies the catalogue refers to. DCAT-AP's range shapes ask for the class of
# each value (skos:Concept, dct:MediaType, dct:LicenseDocument …), and a harvester does not fetch
# the vocabularies to find it, so each value states its class here (with the label the shapes ask
# of a concept).
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Each download format: (IANA media type, EU file type).
CATALOGUE_FORMATS = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
    "xlsx": (XLSX_MEDIA_TYPE, "XLSX"),
}


def _document(url: str) -> dict:
    return {"@id": url, "@type": "foaf:Document"}


def _concept(iri: str, scheme: str, **labels: str) -> dict:
    return {
        "@id": iri,
        "@type": "skos:Concept",
        "skos:inScheme": {"@id": scheme},
        "skos:prefLabel": [{"@language": lang, "@value": text} for lang, text in labels.items()],
    }


def catalogue(base: str, organisations: list[dict], *, modified: dt.date) -> dict:
    """Return the DCAT-AP-SE catalogue (JSON-LD) of the open data at ``base`` (https://host)."""
    publisher = {
        "@type": "foaf:Agent",
        "foaf:name": "Samverkansregistret",
        "dcterms:type": _concept(
            f"{ADMS_PUBLISHER_TYPE}LocalAuthority",
            f"{ADMS_PUBLISHER_TYPE}1.0",
            en="Local Authority",
        ),
    }
    contact = {
        "@type": ["vcard:Organization", "vcard:Kind"],
        "vcard:fn": "Samverkansregistret",
        "vcard:hasURL": {"@id": f"{base}/insyn/tillganglighet/"},
    }
    licence = {"@id": LICENCE_URL, "@type": "dcterms:LicenseDocument"}
    theme = _concept(
        f"{EU_DATA_THEME}/GOVE",
        EU_DATA_THEME,
        sv="Regeringen och den offentliga sektorn",
        en="Government and public sector",
    )

    def distribution(url: str, fmt: str, title: str) -> dict:
        media_type, file_type = CATALOGUE_FORMATS[fmt]
        return {
            "@type": "dcat:Distribution",
            "dcterms:title": {"@language": "sv", "@value": title},
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": IANA_MEDIA_TYPE + media_type, "@type": "dcterms:MediaType"},
            "dcterms:format": {
                "@id": EU_FILE_TYPE + file_type,
                "@type": "dcterms:MediaTypeOrExtent",
            },
            "dcterms:license": licence,
        }

    datasets = [
        {
            "@type": "dcat:Dataset",
            "@id": f"{base}/insyn/data/#hela-registret",
            "dcterms:title": {"@language": "sv", "@value": "Kommunal samverkan i hela registret"},
            "dcterms:description": {
                "@language": "sv",
                "@value": "All publicerad samverkan: parter, organ, ledamöter, kostnader och beslut.",
            },
            "dcterms:publisher": publisher,
            "dcat:contactPoint": contact,
            "dcat:theme": theme,
            "dcat:keyword": ["kommunal samverkan", "kommunalförbund", "gemensam nämnd"],
            "dcterms:modified": {"@type": "xsd:date", "@value": modified.isoformat()},
            "dcat:distribution": [
                distribution(f"{base}/insyn/data/hela-registret.json", "json", "JSON"),
                distribution(f"{base}/insyn/data/hela-registret.xlsx", "xlsx", "Excel"),
            ],
        }
    ]
    for org in organisations:
        code = org["code"]
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "@id": f"{base}/insyn/{code}/#data",
                "dcterms:title": {"@language": "sv", "@value": f"Samverkan – {org['name']}"},
                "dcterms:description": {
                    "@language": "sv",
                    "@value": f"{org['name']}s samverkan med andra: vem som beslutar, "
                    "företrädare, kostnader och beslut.",
                },
                "dcterms:publisher": publisher,
                "dcat:contactPoint": contact,
                "dcat:theme": theme,
                "dcat:keyword": ["kommunal samverkan", org["name"]],
                "dcat:landingPage": _document(f"{base}/insyn/{code}/"),
                "dcat:distribution": [
                    distribution(f"{base}/insyn/{code}/data.json", "json", "JSON"),
                    *(
                        distribution(
                            f"{base}/insyn/{code}/{name}.{fmt}", fmt, f"{title} ({fmt.upper()})"
                        )
                        for name, (title, *_) in LISTS.items()
                        for fmt in FORMATS
                    ),
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dcterms": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}/insyn/data/katalog.jsonld",
        "dcterms:title": {"@language": "sv", "@value": "Samverkansregistret – öppna data"},
        "dcterms:description": {
            "@language": "sv",
            "@value": "Öppna data om kommunal samverkan: vem som ansvarar, var det beslutas och "
            "vad det kostar.",
        },
        "dcterms:publisher": publisher,
        "dcterms:license": licence,
        "dcterms:language": {"@id": f"{EU_LANGUAGE}SWE", "@type": "dcterms:LinguisticSystem"},
        "foaf:homepage": _document(f"{base}/insyn/"),
        "dcat:dataset": datasets,
    }
