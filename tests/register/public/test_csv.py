"""Every public list's CSV passes frictionless's validation against a Table Schema of the list:
UTF-8 with a byte order mark, semicolons, the Swedish column headers, typed cells, and a header
row even when the list is empty."""

from __future__ import annotations

import codecs

import pytest
from django.urls import reverse
from frictionless import Dialect, Resource, Schema, formats

from register.public import opendata

pytestmark = pytest.mark.django_db

YES_NO = {"type": "boolean", "trueValues": ["ja"], "falseValues": ["nej"]}


def text(name: str, **more) -> dict:
    return {"name": name, "type": "string", **more}


def fields(*specs) -> dict:
    return {"fields": [text(s) if isinstance(s, str) else s for s in specs]}


# The Table Schema (https://specs.frictionlessdata.io/table-schema/) of each list, written out
# here so that the test says what a reader of the file may rely on.
TABLE_SCHEMAS = {
    "samverkan": fields(
        text("Samverkan", constraints={"required": True}),
        "Samverkansform",
        "Verksamhetsområden",
        text(
            "Status",
            constraints={
                "enum": [
                    "Initiativ",
                    "Under utredning",
                    "Aktiv",
                    "Under omförhandling",
                    "Under avveckling",
                    "Avslutad",
                    "Vilande",
                ]
            },
        ),
        {"name": "Pågår", **YES_NO},
        "Vår roll",
        {"name": "Startdatum", "type": "date"},
        {"name": "Slutdatum", "type": "date"},
        "Värdkommun",
        "Parter",
        {"name": "Exempeldata", **YES_NO},
        text("Adress", format="uri"),
    ),
    "beslut": fields(
        {"name": "Datum", "type": "date", "constraints": {"required": True}},
        "Samverkan",
        "Beslutande organ",
        "Rubrik",
        "Typ",
        "Paragraf",
        "Diarienummer",
        "Sammanfattning",
        "Ställningstaganden",
        text("Protokoll", format="uri"),
        {"name": "Exempeldata", **YES_NO},
    ),
    "foretradare": fields(
        text("Namn", constraints={"required": True}),
        "Parti",
        "Roll",
        "Organ",
        "Samverkan",
        {"name": "Mandatperiod från", "type": "date"},
        {"name": "Mandatperiod till", "type": "date"},
        {"name": "Exempeldata", **YES_NO},
    ),
    "kostnader": fields(
        {"name": "År", "type": "integer", "constraints": {"required": True}},
        "Samverkan",
        {"name": "Budget (kr)", "type": "number"},
        {"name": "Utfall (kr)", "type": "number"},
        {"name": "Prognos (kr)", "type": "number"},
        {"name": "Kostnad (kr)", "type": "number"},
        text("Avser", constraints={"enum": ["utfall", "prognos", "budget"]}),
        {"name": "Kronor per invånare", "type": "number"},
        {"name": "Folkmängd från år", "type": "integer"},
        {"name": "Exempeldata", **YES_NO},
    ),
}


def frictionless_errors(content: bytes, schema: dict) -> list:
    resource = Resource(
        content,
        format="csv",
        encoding="utf-8",
        dialect=Dialect(controls=[formats.CsvControl(delimiter=";")]),
        schema=Schema.from_descriptor(schema),
    )
    report = resource.validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", list(opendata.LISTS))
def test_every_public_csv_passes_frictionless_with_its_table_schema(
    client, public_world, knivsta, name
):
    assert set(TABLE_SCHEMAS) == set(opendata.LISTS)
    # Täby has a row in every list; Knivsta has no published arrangement, so only the header.
    for code, rows in (("0160", 1), ("0330", 0)):
        content = client.get(reverse("public:organisation_list", args=[code, name, "csv"])).content
        assert content.startswith(codecs.BOM_UTF8), "Excel reads å, ä and ö only after a BOM"
        assert frictionless_errors(content, TABLE_SCHEMAS[name]) == [], (code, content)
        assert len(content.decode("utf-8-sig").splitlines()) >= 1 + rows
