"""An import writes what it wrote before its commit was made faster (issue 23).

Three imports of workbooks made here (one of new arrangements, one changing some of them, one
refused for its invalid rows) are written and every table of the register and the importer is
read back afterwards: the records, their history rows, the import's batches and rows (its
messages), the search index; also the result's summary and the data versions each import
touches. Ids of records the imports created are counted from the first id each table gave out,
times are left out. What was read is compared, table by table, with what the same imports wrote
at 543b805 (``data/import_writes.json``), before the commit path was changed.

Making the file again is for a change that is meant to change what an import writes:
``IMPORT_WRITES_RECORD=1 pytest tests/importers/test_import_writes_same.py``; the test then fails
once, saying it wrote the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps

from importers.models import ImportBatch
from importers.services import import_file
from register import dataversions, search
from register.models import Arrangement, Organisation, SearchEntry

pytestmark = pytest.mark.django_db

RECORD = Path(__file__).parent / "data" / "import_writes.json"
BATCH_IN_REASON = re.compile(r"^Import (\d+):")
NUMBER_IN_URL = re.compile(r"/(\d+)/")
TODAY = dt.date(2026, 11, 20)
APPS = ("register", "importers")
HEADER = [
    "Namn", "Samverkansform", "Parter", "Värdkommun", "Verksamhetsområde", "Ansvarig nämnd",
    "Startdatum", "Giltig t.o.m.", "Kostnad 2022 (tkr)", "Kostnad 2023 (tkr)",
    "Kostnad 2024 (tkr)", "Våra ledamöter", "Kommentar", "Kontaktperson",
]  # fmt: skip


def workbook(rows: int, *, seed: int, changed: bool = False, invalid: bool = False) -> bytes:
    """A list like bench/import_excel.py's, with a free column; ``changed`` gives some rows other
    costs, partners and members, ``invalid`` breaks a few rows."""
    rng = random.Random(seed)
    partners = ["Vaxholm", "Danderyds kommun", "Lidingö stad", "Solna", "0117", "Region Stockholm"]
    forms = ["Kommunalförbund", "Gem. nämnd", "avtal", "AB", "Samordningsförbund"]
    areas = ["Räddningstjänst", "IT", "Lön", "Miljö och hälsoskydd", "Vatten och avlopp"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Samverkan"
    sheet.append(["Förteckning över samverkan"])
    sheet.append(["Belopp i tkr"])
    sheet.append([])
    sheet.append(HEADER)
    for i in range(rows):
        row = [
            f"Samverkan nummer {i}",
            forms[i % len(forms)],
            ", ".join(rng.sample(partners, rng.randint(1, 3))),
            rng.choice(["Täby", "", "Vaxholm"]),
            rng.choice(areas),
            "Kommunstyrelsen",
            f"{rng.randint(1990, 2020)}-01-01",
            rng.choice(["tills vidare", "2030-12-31", ""]),
            f"{rng.randint(100, 90000)} {rng.randint(100, 999)}",
            rng.randint(100, 90000),
            f"ca {rng.randint(100, 9000)},5",
            f"Anna Svensson{i % 70} (S), ledamot; Per Olsson{i} (M), ersättare",
            rng.choice(["", "Kommentar", "Se avtal"]),
            rng.choice(["", "Eva Ek", "Bo Berg"]),
        ]
        if changed and i % 3 == 0:
            row[2] += ", Solna"
            row[3] = "Täby"
            row[9] = row[9] + 7
            row[11] = f"Per Olsson{i} (M), ledamot; Kim Ny{i} (L), ersättare"
        if invalid and i % 17 == 5:
            row[6] = "den trettonde"
        if invalid and i % 23 == 7:
            row[2] = "Okänd kommun"
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def models():
    return [m for label in APPS for m in apps.get_app_config(label).get_models(True)]


def ids_now() -> dict:
    """Every table's ids, and the ids its history rows name (a record an import deleted is gone
    from its table but named in its history and the import's journal)."""
    ids = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models()}
    for m in models():
        record = getattr(m, "instance_type", None)
        if record is not None and record in ids:
            ids[record] |= set(m._base_manager.values_list(record._meta.pk.attname, flat=True))
    return ids


class Ids:
    """Ids of new records as their place among the table's new ids (+1, +2, ...)."""

    def __init__(self, before: dict, after: dict):
        self.new = {}
        for model, ids in after.items():
            created = sorted(ids - before[model])
            base = created[0] - 1 if created else 0
            self.new[model] = {pk: f"+{pk - base}" for pk in created}

    def of(self, model, value):
        return self.new.get(model, {}).get(value, value)


def plain(value):
    if isinstance(value, dt.datetime):
        return "<time>"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def table(model, ids: Ids) -> list[str]:
    fields = model._meta.concrete_fields
    instance_model = getattr(model, "instance_type", None)
    lines = []
    for row in model._base_manager.values_list(*[f.attname for f in fields]):
        out = []
        # A search entry names its record by kind and id (and in its address), not by a key.
        source = search.BY_KIND[row[1]].model if model is SearchEntry else None
        for field, value in zip(fields, row, strict=True):
            if source is not None and field.attname == "object_id":
                value = ids.of(source, value)
            elif source is not None and field.attname == "url":
                value = NUMBER_IN_URL.sub(
                    lambda m, s=source: f"/{ids.of(s, int(m.group(1)))}/", value
                )
            elif field.primary_key:
                value = ids.of(model, value)
            elif field.is_relation and field.many_to_one:
                value = ids.of(field.related_model, value)
            elif instance_model is not None and field.attname == instance_model._meta.pk.attname:
                value = ids.of(instance_model, value)  # a history row's record
            elif field.attname == "checksum":
                value = "<file>"  # openpyxl writes the time of saving into the file
            elif field.attname == "history_change_reason" and value:
                # "Import 12: lista.xlsx" names the batch by its id, which PostgreSQL's sequences
                # (never rolled back between tests) give out from wherever the suite has got to:
                # the batch's place among the new ones instead (what a fresh SQLite gives).
                value = BATCH_IN_REASON.sub(
                    lambda m: f"Import {str(ids.of(ImportBatch, int(m.group(1)))).lstrip('+')}:",
                    value,
                )
            elif field.attname == "journal" and isinstance(value, list):
                value = [
                    {**step, "pk": ids.of(apps.get_model(step["model"]), step["pk"])}
                    for step in value
                ]
            out.append(plain(value))
        lines.append(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str))
    return sorted(lines)


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]


@pytest.fixture
def touched(monkeypatch):
    seen = []
    original = dataversions.bump

    def bump(what=None):
        seen.append(what)
        return original(what)

    monkeypatch.setattr(dataversions, "bump", bump)
    return seen


def run(touched, commits, data: bytes, name: str, start: dict) -> dict:
    """Import a file as the command line does; ids count from ``start`` (before the first)."""
    touched.clear()
    organisation = Organisation.objects.get(code="0160")
    with commits(execute=True):  # what runs when the import's transaction commits
        result = import_file(data=data, file_name=name, organisation=organisation)
    ids = Ids(start, ids_now())
    return {
        "written": result.written,
        "summary": json.loads(json.dumps(result.summary(), default=str)),
        "touched": [
            {
                "everything": t.everything,
                "organisations": sorted(map(str, t.organisations)),
                "arrangements": sorted(str(ids.of(Arrangement, pk)) for pk in t.arrangements),
            }
            for t in touched
            if t is not None
        ],
        "messages": sorted(
            f"{r.number} {r.outcome}: "
            + "; ".join(f"{e.field}: {e.message}" for e in r.errors + r.warnings)
            for r in result.rows
        ),
        "tables": {
            model._meta.db_table: [len(lines), digest(lines)]
            for model in models()
            for lines in [table(model, ids)]
            if lines
        },
    }


def test_imports_write_what_they_wrote_before(
    monkeypatch, touched, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "inline"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    start = ids_now()
    commits = django_capture_on_commit_callbacks
    got = {
        "new": run(touched, commits, workbook(150, seed=3), "lista.xlsx", start),
        "changed": run(touched, commits, workbook(150, seed=3, changed=True), "lista.xlsx", start),
        "invalid": run(touched, commits, workbook(90, seed=5, invalid=True), "annan.xlsx", start),
    }
    assert got["new"]["written"] and got["changed"]["written"]
    assert not got["invalid"]["written"]
    if os.environ.get("IMPORT_WRITES_RECORD"):
        RECORD.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        pytest.fail(f"Wrote {RECORD}; run again without IMPORT_WRITES_RECORD.")
    expected = json.loads(RECORD.read_text())
    for step in ("new", "changed", "invalid"):
        for key in ("written", "summary", "touched", "messages"):
            assert got[step][key] == expected[step][key], (step, key)
        differing = {
            name: (got[step]["tables"].get(name), value)
            for name, value in expected[step]["tables"].items()
            if got[step]["tables"].get(name) != value
        }
        extra = set(got[step]["tables"]) - set(expected[step]["tables"])
        assert not differing and not extra, (step, differing, extra)
