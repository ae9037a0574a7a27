"""Open data: every public list as CSV, JSON and XLSX, data.json against the project's schema,
the whole register, and the DCAT-AP-SE catalogue."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from register.public import opendata
from tests.register.public.conftest import REFERENCE_YEAR

pytestmark = pytest.mark.django_db

SCHEMA = Path(opendata.__file__).parent / "schemas" / "organisation.schema.json"


def test_data_json_is_valid_against_the_schema_kept_in_the_project(client, public_world):
    response = client.get(reverse("public:organisation_data", args=["0160"]))
    assert response["Content-Type"] == "application/json"
    doc = json.loads(response.content)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert (doc["code"], doc["name"], doc["kind"]) == ("0160", "Täby kommun", "municipality")
    [a] = doc["arrangements"]
    assert a["name"] == "Roslagens brandförsvarsförbund"
    assert a["host"] == {"code": "0160", "name": "Täby kommun"}
    assert {"code": "0187", "name": "Vaxholms kommun", "role": "member", "in_force": True} in a[
        "participants"
    ]
    assert a["bodies"][0]["seats"] == [
        {
            "person": "Karin Lind",
            "party": "M",
            "role": "chair",
            "appointed_by": "0160",
            "is_example": False,
        }
    ]
    assert a["costs"] == [
        {
            "year": REFERENCE_YEAR,
            "kind": "outcome",
            "amount_sek": 7_000_000,
            "is_example": False,
            "per_inhabitant_sek": 100,
            "population_year": REFERENCE_YEAR,
        }
    ]
    # The organisation's figures on the day: the same as its Insyn page and the overview.
    assert doc["figures"] | {"on": None} == {
        "on": None,
        "ongoing_count": 1,
        "reference_year": REFERENCE_YEAR,
        "cost_sek": 7_000_000,
        "cost_kind": "outcome",
        "per_inhabitant_sek": 100,
        "population": 70_000,
        "population_year": REFERENCE_YEAR,
    }
    assert a["our_seat_share"]["reason"]  # the body's size is unknown and Vaxholm has no seat
    assert a["latest_evaluation"]["summary"] == "Målen nås."
    assert [d["title"] for d in a["decisions"]] == ["Ny taxa för tillsyn"]
    assert a["url"] == f"http://testserver/insyn/samverkan/{public_world['slug']}/"


def test_the_schema_refuses_a_document_without_its_arrangements():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"code": "0160", "name": "Täby", "kind": "municipality"},
            json.loads(SCHEMA.read_text()),
        )


@pytest.mark.parametrize("name", list(opendata.LISTS))
def test_every_public_list_downloads_as_csv_json_and_xlsx_with_the_same_rows(
    client, public_world, name
):
    def url(fmt):
        return reverse("public:organisation_list", args=["0160", name, fmt])

    headers = [c.header for c in opendata.LISTS[name].columns]  # Swedish, for people
    keys = [c.key for c in opendata.LISTS[name].columns]  # ASCII, for programs
    as_json = json.loads(client.get(url("json")).content)
    assert as_json, f"{name} är tom"
    assert list(as_json[0]) == keys
    response = client.get(url("csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    as_csv = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(as_csv) == len(as_json)
    assert list(as_csv[0]) == headers
    response = client.get(url("xlsx"))
    assert f"{name}-0160.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers and len(rows) == len(as_json) + 1


def test_a_cell_that_looks_like_a_formula_stays_text(client, public_world):
    public_world["decision"].title = '=HYPERLINK("http://x")'
    public_world["decision"].save()
    response = client.get(reverse("public:organisation_list", args=["0160", "beslut", "xlsx"]))
    cell = load_workbook(io.BytesIO(response.content)).active["D2"]
    assert cell.data_type == "s"
    text = client.get(reverse("public:organisation_list", args=["0160", "beslut", "csv"]))
    assert "'=HYPERLINK" in text.content.decode("utf-8-sig")


def test_the_whole_register_downloads_as_json_and_xlsx(client, public_world):
    doc = json.loads(client.get(reverse("public:bulk", args=["json"])).content)
    assert [a["name"] for a in doc["arrangements"]] == ["Roslagens brandförsvarsförbund"]
    assert doc["licence"] == opendata.LICENCE_URL
    book = load_workbook(io.BytesIO(client.get(reverse("public:bulk", args=["xlsx"])).content))
    assert book.sheetnames == ["Samverkan", "Parter", "Ledamöter", "Kostnader", "Beslut"]
    assert book["Ledamöter"]["C2"].value == "Karin Lind"


def test_the_dcat_catalogue_parses_and_describes_datasets_distributions_and_licence(
    client, public_world
):
    response = client.get(reverse("public:catalogue"))
    assert response["Content-Type"] == "application/ld+json"
    doc = json.loads(response.content)
    assert doc["@type"] == "dcat:Catalog"
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert doc["dcterms:license"]["@id"] == opendata.LICENCE_URL
    datasets = doc["dcat:dataset"]
    assert {d["@type"] for d in datasets} == {"dcat:Dataset"}
    ids = [d["@id"] for d in datasets]
    assert "http://testserver/insyn/0160/#data" in ids
    assert "http://testserver/insyn/0187/#data" in ids
    for dataset in datasets:
        assert dataset["dcat:distribution"]
        for dist in dataset["dcat:distribution"]:
            assert dist["@type"] == "dcat:Distribution"
            assert dist["dcterms:license"]["@id"] == opendata.LICENCE_URL
            assert dist["dcat:accessURL"]["@id"].startswith("http://testserver/insyn/")
    # Every distribution it names answers.
    taby = next(d for d in datasets if d["@id"].endswith("/0160/#data"))
    for dist in taby["dcat:distribution"]:
        path = dist["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path
