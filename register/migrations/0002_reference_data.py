"""Load the reference data: counties, the 21 regions, the 290 municipalities, the forms of
cooperation, the service-area taxonomy and the motives.

The municipality and region facts are read from register/data/*.csv, built from SCB's
classification (see the README). Rerunning is harmless: every row is upserted on its natural key.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

FORMS = [
    # slug, name, legal basis, legal entity, sort
    ("municipal_federation", "Kommunalförbund", "KL 9 kap. 1–18 §§", True, 10),
    ("joint_committee", "Gemensam nämnd", "KL 9 kap. 19–35 §§", False, 20),
    ("agreement", "Avtalssamverkan", "KL 9 kap. 37 §", False, 30),
    ("joint_company", "Gemensamt ägt bolag", "KL 10 kap.", True, 40),
    ("coordination_federation", "Samordningsförbund", "Lag (2003:1210) om finansiell samordning", True, 50),
    ("association", "Förening/stiftelse", "", True, 60),
    ("network", "Överenskommelse/nätverk", "", False, 70),
]

# slug, name, parent slug
SERVICE_AREAS = [
    ("raddningstjanst", "Räddningstjänst", None),
    ("administration", "Administration", None),
    ("ekonomi", "Ekonomi", "administration"),
    ("lon", "Lön", "administration"),
    ("it", "IT", "administration"),
    ("utbildning", "Utbildning", None),
    ("miljo_bygg", "Miljö och bygg", None),
    ("overformyndare", "Överförmyndare", None),
    ("hjalpmedel", "Hjälpmedel", None),
    ("socialtjanst", "Socialtjänst", None),
    ("halsa_omsorg", "Hälso- och sjukvård och omsorg", None),
    ("upphandling", "Upphandling", None),
    ("avfall", "Avfall", None),
    ("vatten_avlopp", "Vatten och avlopp", None),
    ("kollektivtrafik", "Kollektivtrafik", None),
    ("kultur", "Kultur", None),
    ("gator_teknik", "Gator och teknik", None),
    ("arkiv", "Arkiv", None),
    ("juridik", "Juridik", None),
    ("regional_utveckling", "Regional utveckling", None),
    ("naringsliv", "Näringsliv", None),
    ("krisberedskap", "Krisberedskap", None),
    ("kompetensforsorjning", "Kompetensförsörjning", None),
    ("arbetsmarknad_rehabilitering", "Arbetsmarknad och rehabilitering", None),
]

MOTIVES = [
    ("competence", "Kompetens"),
    ("cost", "Kostnad"),
    ("robustness", "Robusthet och kontinuitet"),
    ("legal_certainty", "Rättssäkerhet"),
    ("quality", "Kvalitet"),
    ("equal_service", "Likvärdig service"),
    ("merger_avoidance", "Undvika sammanslagning"),
    ("capacity", "Köpa eller sälja kapacitet"),
]


def load(apps, schema_editor):
    County = apps.get_model("register", "County")
    Organisation = apps.get_model("register", "Organisation")
    CooperationForm = apps.get_model("register", "CooperationForm")
    ServiceArea = apps.get_model("register", "ServiceArea")
    Motive = apps.get_model("register", "Motive")

    for slug, name, basis, entity, sort in FORMS:
        CooperationForm.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "legal_basis": basis, "is_legal_entity": entity, "sort_order": sort},
        )
    for i, (slug, name, parent) in enumerate(SERVICE_AREAS):
        ServiceArea.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "sort_order": (i + 1) * 10,
                "parent": ServiceArea.objects.get(slug=parent) if parent else None,
            },
        )
    for i, (slug, name) in enumerate(MOTIVES):
        Motive.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": (i + 1) * 10})

    with open(DATA / "regions.csv", encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    counties = {}
    for row in regions:
        counties[row["county_code"]], _ = County.objects.update_or_create(
            code=row["county_code"], defaults={"name": row["county_name"]}
        )
    for row in regions:
        Organisation.objects.update_or_create(
            code=row["county_code"],
            defaults={
                "kind": "region",
                "name": row["name"],
                "short_name": row["name"],
                "county": counties[row["county_code"]],
                "orgnr": row["orgnr"].replace("-", "") or None,
                "is_reference": True,
            },
        )
    with open(DATA / "municipalities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Organisation.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": "municipality",
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "county": counties[row["county_code"]],
                    "population": int(row["population_2016"]),
                    "population_year": 2016,
                    "is_reference": True,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
