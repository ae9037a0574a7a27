"""Demo data: the 44 real arrangements with their 219 memberships, Täby's illustrative portfolio and
the demo users (``python manage.py load_demo``).

Idempotent: every record is found by a natural key and saved only when something differs, so a
second run writes nothing, not even a history row.

Decisions where the data were silent:
* A bare year (``1993``) becomes 1 January of that year and a year-month (``2023-12``) the first of
  the month; the internal note says so.
* The file's compiler notes go to the internal note; areas that do not map cleanly onto a service
  area are kept, in Swedish, in the public description.
* Täby's participations in the real arrangements are real facts, but their costs, owners and notes
  are invented, so those participations are marked ``is_example`` as well.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

from .data import demo_portfolio as P
from .data.notes_sv import NOTES_SV
from .law import FOUNDATION_CHARTER
from .models import (
    AgendaItem,
    Alternative,
    Arrangement,
    Body,
    Contribution,
    CooperationForm,
    Cost,
    Decision,
    Document,
    Evaluation,
    Goal,
    GoalConflict,
    Meeting,
    Membership,
    Motive,
    Organisation,
    Participation,
    Person,
    Position,
    Review,
    ReviewItem,
    Seat,
    ServiceArea,
    TotalCost,
)
from .rules import current_term, host_is_party, host_not_a_party, participant_role, today
from .services.arrangements import arrangement_create
from .services.meetings import position_outcome_record
from .services.participations import cost_set, participation_set
from .services.records import record_save
from .validators import luhn_ok

DATA = Path(__file__).resolve().parent / "data"
# The demo review's outcome per item, from the direction the data give it.
DEMO_OUTCOMES = {
    ReviewItem.Direction.DEVELOP: ReviewItem.Outcome.CONTINUE_CHANGED,
    ReviewItem.Direction.MAINTAIN: ReviewItem.Outcome.CONTINUE,
    ReviewItem.Direction.REDUCE: ReviewItem.Outcome.CONTINUE_CHANGED,
    ReviewItem.Direction.RENEGOTIATE: ReviewItem.Outcome.RENEGOTIATE,
    ReviewItem.Direction.INVESTIGATE: ReviewItem.Outcome.INVESTIGATE,
    ReviewItem.Direction.EXIT: ReviewItem.Outcome.EXIT,
}
ARRANGEMENTS_CSV = DATA / "arrangements.csv"
MEMBERS_CSV = DATA / "arrangement_members.csv"

DEFAULT_PASSWORD = "demo-samverkan"

FORMS = {
    "kommunalforbund": "municipal_federation",
    "gemensam_namnd": "joint_committee",
    "avtalssamverkan": "agreement",
    "samordningsforbund": "coordination_federation",
    "aktiebolag": "joint_company",
}
STATUSES = {
    "active": Arrangement.Status.ACTIVE,
    "dissolved": Arrangement.Status.ENDED,
    "in_liquidation": Arrangement.Status.WINDING_UP,
}

# Free-text area from the file -> (service-area slugs, Swedish wording for the public description
# or None when the service area says it all).
AREAS: dict[str, tuple[list[str], str | None]] = {
    "raddningstjanst": (["raddningstjanst"], None),
    "vatten_avlopp": (["vatten_avlopp"], None),
    "avfall": (["avfall"], None),
    "overformyndare": (["overformyndare"], None),
    "it": (["it"], None),
    "upphandling": (["upphandling"], None),
    "miljo_halsoskydd": (["miljo_bygg"], "miljö- och hälsoskydd"),
    "alkohol_tobak_tillsyn": (
        ["miljo_bygg"],
        "tillsyn av alkohol, tobak och receptfria läkemedel",
    ),
    "livsmedelskontroll": (["miljo_bygg"], "livsmedelskontroll"),
    "bygg_miljo": (["miljo_bygg"], "bygg och miljö"),
    "vatten_avlopp, avfall, gata": (
        ["vatten_avlopp", "avfall", "gator_teknik"],
        "vatten och avlopp, avfall och gator",
    ),
    "teknik (VA, avfall, lokalservice, park, idrott)": (
        ["gator_teknik", "vatten_avlopp", "avfall"],
        "teknik (vatten och avlopp, avfall, lokalservice, park och idrott)",
    ),
    "utbildning (gymnasie, vuxenutbildning, sfi)": (
        ["utbildning"],
        "gymnasieskola, vuxenutbildning och sfi",
    ),
    "ambulanshelikopter": (["halsa_omsorg"], "ambulanshelikopter"),
    "flera (räddningstjänst t.o.m. 2020, lön, IT/telefoni, upphandling, bostadsanpassning, "
    "krisberedskap)": (
        ["lon", "it", "upphandling", "krisberedskap"],
        "flera områden: räddningstjänst till och med 2020, lön, IT och telefoni, upphandling, "
        "bostadsanpassning och krisberedskap",
    ),
    "service/it/specialistfunktioner": (
        ["administration", "it"],
        "drift och service, IT och specialistfunktioner",
    ),
    "tolkformedling": ([], "tolkförmedling"),
    "arkiv/e-arkiv": (["arkiv"], "arkiv och e-arkiv"),
    "rehabilitering (finsam)": (
        ["arbetsmarknad_rehabilitering"],
        "samordnad rehabilitering (finsam)",
    ),
}

STATE_AGENCIES = {
    "FK": ("Försäkringskassan", "2021005521"),
    "AF": ("Arbetsförmedlingen", "2021002114"),
}
FEDERATION_MEMBERS = {"Höglandets räddningstjänstförbund": "hrf"}


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_model: dict = field(default_factory=dict)

    def count(self, model, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        key = model._meta.verbose_name_plural
        self.by_model.setdefault(key, {"created": 0, "updated": 0, "unchanged": 0})
        self.by_model[key][outcome] += 1


@dataclass
class DemoResult:
    stats: Stats
    real_arrangements: int
    real_participations: int
    example_arrangements: int
    users: list  # (username, role text, created?)
    password: str


# --- Parsing helpers ------------------------------------------------------------------------


def parse_date(value: str) -> tuple[date | None, str]:
    """Return (date, precision) for ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; precision is
    'day', 'month', 'year' or '' for an empty value."""
    value = (value or "").strip()
    if not value:
        return None, ""
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), "year"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        y, m = value.split("-")
        return date(int(y), int(m), 1), "month"
    return date.fromisoformat(value), "day"


def imprecise_note(what: str, raw: str, precision: str) -> str:
    if precision == "year":
        return f"{what}: endast året {raw} är känt; datumet är satt till 1 januari."
    if precision == "month":
        return f"{what}: endast månaden {raw} är känd; datumet är satt till den första i månaden."
    return ""


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _setter(obj, m2m: dict):
    """Return a function that sets the record's many-to-many links (after it is saved)."""

    def save_m2m():
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)

    return save_m2m


def _same(current, new) -> bool:
    if isinstance(current, Decimal) and new is not None:
        return current == Decimal(str(new))
    return current == new


# --- The loader -----------------------------------------------------------------------------


class DemoLoader:
    def __init__(self):
        self.stats = Stats()
        self._orgs: dict[str, Organisation] = {}
        self.arrangements: dict[str, Arrangement] = {}
        self.people: dict[str, Person] = {}
        self.goals: dict[str, Goal] = {}
        self.decisions: dict[tuple[str, str], Decision] = {}
        self.bodies: dict[tuple[str, str], Body] = {}

    # -- generic upsert that writes only what differs, through the register's services

    def sync(self, model, lookup: dict, values: dict | None = None, *, m2m: dict | None = None):
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = self.create(model, {**lookup, **values}, m2m or {})
            outcome = "created"
        else:
            changed = {}
            for name, new in values.items():
                f = model._meta.get_field(name)
                if isinstance(f, models.ForeignKey):
                    current = getattr(obj, f.attname)
                    new_cmp = new.pk if isinstance(new, models.Model) else new
                    if current != new_cmp:
                        changed[name] = new
                elif not _same(getattr(obj, name), new):
                    changed[name] = new
            links = {
                name: targets
                for name, targets in (m2m or {}).items()
                if set(getattr(obj, name).values_list("pk", flat=True)) != {t.pk for t in targets}
            }
            if changed or links:
                obj = self.change(obj, changed, links)
                outcome = "updated"
            else:
                outcome = "unchanged"
        self.stats.count(model, outcome)
        return obj

    @staticmethod
    def create(model, fields: dict, m2m: dict):
        """Create a record through the service the forms use (``ValidationError`` if it breaks
        a rule, and then nothing is written)."""
        if model is Arrangement:
            return arrangement_create(
                access=None,
                organisation=None,
                service_areas=m2m.get("service_areas", ()),
                motives=m2m.get("motives", ()),
                **fields,
            )
        if model is Participation:
            return participation_set(access=None, **fields)
        if model is Cost:
            return cost_set(access=None, **fields)
        obj = model(**fields)
        return record_save(access=None, instance=obj, save_m2m=_setter(obj, m2m))

    @staticmethod
    def change(obj, changed: dict, m2m: dict):
        """Change a record through the service the forms use."""
        if isinstance(obj, Participation):
            return participation_set(
                access=None, arrangement=obj.arrangement, organisation=obj.organisation, **changed
            )
        for name, value in changed.items():
            setattr(obj, name, value)
        if isinstance(obj, Cost):
            return cost_set(
                access=None,
                participation=obj.participation,
                year=obj.year,
                budget=obj.budget,
                outcome=obj.outcome,
                forecast=obj.forecast,
                note=obj.note,
            )
        return record_save(access=None, instance=obj, save_m2m=_setter(obj, m2m))

    # -- organisations

    def org(self, code: str) -> Organisation:
        """Return the organisation for a kommunkod, a county code, FK/AF or a federation name."""
        if code in self._orgs:
            return self._orgs[code]
        if code in STATE_AGENCIES:
            obj = self.state_agency(code)
        elif len(code) == 4 and code.isdigit():
            obj = Organisation.objects.get(code=code, kind=Organisation.Kind.MUNICIPALITY)
        elif len(code) == 2 and code.isdigit():
            obj = Organisation.objects.get(code=code, kind=Organisation.Kind.REGION)
        else:
            raise KeyError(code)
        self._orgs[code] = obj
        return obj

    def state_agency(self, key: str) -> Organisation:
        name, orgnr = STATE_AGENCIES[key]
        if not luhn_ok(orgnr):  # pragma: no cover - guards the constant above
            orgnr = None
        return self.sync(
            Organisation,
            {"name": name, "kind": Organisation.Kind.STATE_AGENCY},
            {"short_name": name, "orgnr": orgnr},
        )

    def federation(self, name: str) -> Organisation:
        key = f"federation:{name}"
        if key not in self._orgs:
            self._orgs[key] = self.sync(
                Organisation,
                {"name": name, "kind": Organisation.Kind.FEDERATION},
                {"short_name": name},
            )
        return self._orgs[key]

    def org_by_name(self, name: str) -> Organisation:
        """Find a host by name: a municipality's short name or a region's name."""
        qs = Organisation.objects.filter(is_reference=True)
        match = qs.filter(short_name=name, kind=Organisation.Kind.MUNICIPALITY).first()
        return match or qs.get(name=name)

    # -- real arrangements

    def load_real(self) -> None:
        areas = {a.slug: a for a in ServiceArea.objects.all()}
        forms = {f.slug: f for f in CooperationForm.objects.all()}
        rows = read_csv(ARRANGEMENTS_CSV)
        members = read_csv(MEMBERS_CSV)
        for row in rows:
            self.arrangements[row["id"]] = self._real_arrangement(row, forms, areas)
        for fed_name, arrangement_id in FEDERATION_MEMBERS.items():
            entity = self.federation(fed_name)
            arrangement = self.arrangements[arrangement_id]
            if arrangement.legal_entity_id != entity.pk:
                self.sync(Arrangement, {"pk": arrangement.pk}, {"legal_entity": entity})
                arrangement.refresh_from_db()
        for m in members:
            self._real_member(m)
        for arrangement in self.arrangements.values():
            self.check_host(
                arrangement,
                Participation.objects.filter(arrangement=arrangement).values_list(
                    "organisation_id", flat=True
                ),
            )

    @staticmethod
    def check_host(arrangement: Arrangement, party_ids) -> None:
        """Refuse demo data whose host does not take part (the rule the forms keep)."""
        if not host_is_party(arrangement.host_id, party_ids):
            raise ValueError(f"{arrangement.name}: {host_not_a_party(arrangement.host.name)}")

    def _real_arrangement(self, row, forms, areas) -> Arrangement:
        slugs, area_text = AREAS.get(row["area"], ([], row["area"]))
        start, precision = parse_date(row["founded"])
        description = []
        if area_text:
            description.append(f"Verksamhet: {area_text}.")
        if row["members_complete"].strip().lower() != "true":
            description.append("Förteckningen över medlemmar är inte fullständig i källorna.")
        text = NOTES_SV.get(row["id"], row["notes"].strip())
        note = [text] if text else []
        if precision in ("year", "month"):
            note.append(imprecise_note("Startdatum", row["founded"], precision))
        if row["as_of"]:
            note.append(f"Medlemmar enligt källorna per {row['as_of']}.")
        values = {
            "name": row["name"],
            "form": forms[FORMS.get(row["form"], row["form"])],
            "status": STATUSES[row["status"]],
            "start_date": start,
            "host": self.org_by_name(row["host"]) if row["host"] else None,
            "seat": row["seat"],
            "orgnr": row["orgnr"].replace("-", "") or None,
            "public_description": " ".join(description),
            "internal_note": "\n".join(note),
            "source_urls": "\n".join(u.strip() for u in row["sources"].split("|") if u.strip()),
            "is_published": True,
            "is_example": False,
        }
        return self.sync(
            Arrangement,
            {"external_id": row["id"]},
            values,
            m2m={"service_areas": [areas[s] for s in slugs]},
        )

    def _real_member(self, m: dict) -> Participation:
        arrangement = self.arrangements[m["arrangement_id"]]
        kind = m["member_type"]
        if kind == "kommun":
            org = self.org(m["member_code"])
        elif kind == "region":
            org = self.org(m["member_code"])
        elif kind == "stat":
            key = {v[0]: k for k, v in STATE_AGENCIES.items()}[m["member_name"]]
            org = self.org(key)
        elif kind == "kommunalforbund":
            org = self.federation(m["member_name"])
        else:  # pragma: no cover - the file has no other kinds
            raise ValueError(f"Okänd medlemstyp: {kind}")
        joined, jp = parse_date(m["from"])
        left, lp = parse_date(m["to"])
        note = [m["note"].strip()] if m["note"].strip() else []
        note += [n for n in (imprecise_note("Inträde", m["from"], jp),) if n]
        note += [n for n in (imprecise_note("Utträde", m["to"], lp),) if n]
        return self.sync(
            Participation,
            {"arrangement": arrangement, "organisation": org},
            {"role": m["role"], "joined": joined, "left": left, "internal_note": "\n".join(note)},
        )

    # -- Täby's illustrative portfolio

    def load_portfolio(self) -> None:
        taby = self.org(P.TABY)
        for code, url in P.WEBSITES.items():
            self.sync(Organisation, {"pk": self.org(code).pk}, {"website": url})
        for key, url in P.ARRANGEMENT_WEBSITES.items():
            if key in self.arrangements:
                self.sync(Arrangement, {"pk": self.arrangements[key].pk}, {"website": url})
        motives = {m.slug: m for m in Motive.objects.all()}
        areas = {a.slug: a for a in ServiceArea.objects.all()}
        forms = {f.slug: f for f in CooperationForm.objects.all()}
        for spec in P.ARRANGEMENTS:
            self._example_arrangement(spec, forms, areas, motives)
        for name, (code, kind, party, title) in P.PEOPLE.items():
            self.people[name] = self.sync(
                Person,
                {"name": name, "organisation": self.org(code)},
                {"kind": kind, "party": party, "title": title, "is_example": True},
            )
        self._decisions(taby)
        self._bodies(taby)
        self._taby_participations(taby)
        self._goals(taby)
        self._follow_up(taby)
        self._review(taby)
        self._meetings(taby)
        self._documents()

    def _documents(self) -> None:
        """Two example governing documents (issue 24): a published förbundsordning of
        Storstockholms brandförsvar whose checklist lacks two items, and the members'
        unpublished agreement on the joint payroll committee, due for revision. Each made once,
        with a small PDF written by the register's one PDF writer."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from .services.documents import document_create

        charter_keys = [item.key for item in FOUNDATION_CHARTER.items]

        specs = [
            (
                "ssbf",
                {
                    "kind": Document.Kind.CHARTER,
                    "title": "Förbundsordning för Storstockholms brandförsvar",
                    "version": "2024",
                    "adopted_on": date(2023, 11, 27),
                    "valid_from": date(2024, 1, 1),
                    "next_revision": date(2027, 12, 31),
                    "is_published": True,
                    "checklist": {
                        **{key: f"§ {n}" for n, key in enumerate(charter_keys, start=1)},
                        "contributions": "saknas",
                        "disputes": "saknas",
                    },
                },
            ),
            (
                "demo-taby-lon",
                {
                    "kind": Document.Kind.AGREEMENT,
                    "title": "Överenskommelse om gemensam lönenämnd",
                    "version": "2017",
                    "adopted_on": date(2016, 6, 13),
                    "valid_from": date(2017, 1, 1),
                    "next_revision": today() + timedelta(days=90),
                    "is_published": False,
                },
            ),
        ]
        for key, values in specs:
            arrangement = self.arrangements.get(key)
            if arrangement is None or arrangement.documents.filter(title=values["title"]).exists():
                continue
            data = _example_pdf(values["title"])
            document_create(
                access=None,
                instance=Document(arrangement=arrangement, is_example=True, **values),
                upload=SimpleUploadedFile(f"{values['title']}.pdf", data),
            )
            self.stats.count(Document, "created")

    def _example_arrangement(self, spec, forms, areas, motives) -> None:
        values = {
            "name": spec["name"],
            "short_name": spec.get("short_name", ""),
            "form": forms[spec["form"]],
            "status": spec["status"],
            "capacity_type": spec.get("capacity_type", ""),
            "start_date": date.fromisoformat(spec["start_date"]),
            "end_date": date.fromisoformat(spec["end_date"]) if spec.get("end_date") else None,
            "notice_months": spec.get("notice_months"),
            "host": self.org(spec["host"]) if spec.get("host") else None,
            "decision_rule": spec.get("decision_rule", ""),
            "public_description": spec["public_description"],
            "internal_note": P.EXAMPLE_NOTE,
            "is_published": True,
            "is_example": True,
        }
        arrangement = self.sync(
            Arrangement,
            {"external_id": spec["key"]},
            values,
            m2m={
                "service_areas": [areas[s] for s in spec["areas"]],
                "motives": [motives[s] for s in spec["motives"]],
            },
        )
        self.arrangements[spec["key"]] = arrangement
        self.check_host(arrangement, [self.org(code).pk for code in spec["participants"]])
        shares = spec.get("ownership_shares", {})
        for code in spec["participants"]:
            organisation = self.org(code)
            share = shares.get(code)
            self.sync(
                Participation,
                {"arrangement": arrangement, "organisation": organisation},
                {
                    "role": participant_role(
                        arrangement.form, is_host=organisation.pk == arrangement.host_id
                    ),
                    "joined": values["start_date"],
                    "ownership_share": Decimal(str(share)) if share is not None else None,
                    "is_example": True,
                },
            )

    def _decisions(self, taby) -> None:
        for (
            key,
            code,
            deciding_body,
            _body_name,
            day,
            ref,
            diary,
            title,
            kind,
            impacts,
            summary,
            published,
        ) in P.DECISIONS:
            self.decisions[(key, title)] = self.sync(
                Decision,
                {"arrangement": self.arrangements[key], "title": title},
                {
                    "organisation": self.org(code) if code else None,
                    "deciding_body": deciding_body,
                    "date": date.fromisoformat(day),
                    "reference": ref,
                    "diary_number": diary,
                    "kind": kind,
                    "impact_cost": "cost" in impacts,
                    "impact_tariff": "tariff" in impacts,
                    "impact_service": "service" in impacts,
                    "impact_organisation": "organisation" in impacts,
                    "public_summary": summary,
                    "is_published": published,
                    "is_example": True,
                },
            )

    def _bodies(self, taby) -> None:
        term_start, term_end = (date.fromisoformat(d) for d in P.TERM)
        paragraph = P.APPOINTMENT_FIRST_PARAGRAPH
        for key, bodies in P.BODIES.items():
            arrangement = self.arrangements[key]
            appointment = None
            taby_politicians = [
                person
                for *_, seats in bodies
                for person, _role in seats
                if P.PEOPLE[person][0] == P.TABY and P.PEOPLE[person][1] == "politician"
            ]
            if taby_politicians:
                title = f"Val av ledamöter och ersättare i {bodies[0][0].lower()} 2023–2026"
                if bodies[0][1] in ("joint_committee", "company_board"):
                    title = f"Val av ledamöter och ersättare i {bodies[0][0]} 2023–2026"
                appointment = self.sync(
                    Decision,
                    {"arrangement": arrangement, "kind": Decision.Kind.APPOINTMENT},
                    {
                        "organisation": taby,
                        "deciding_body": "Kommunfullmäktige",
                        "date": date.fromisoformat(P.APPOINTMENT_DATE),
                        "reference": f"§ {paragraph}",
                        "diary_number": "KS 2022/0398",
                        "title": title,
                        "public_summary": "Fullmäktige valde Täbys ledamöter och ersättare för "
                        "mandatperioden 2023–2026.",
                        "impact_organisation": True,
                        "is_published": True,
                        "is_example": True,
                    },
                )
                paragraph += 1
            for name, kind, powers, seat_count, frequency, seats in bodies:
                body = self.sync(
                    Body,
                    {"arrangement": arrangement, "name": name},
                    {
                        "kind": kind,
                        "powers": powers,
                        "seat_count": seat_count,
                        "meeting_frequency": frequency,
                    },
                )
                self.bodies[(key, name)] = body
                for person_name, role in seats:
                    person = self.people[person_name]
                    appointed_by = self.org(P.PEOPLE[person_name][0])
                    is_taby_politician = (
                        appointed_by.pk == taby.pk and person.kind == Person.Kind.POLITICIAN
                    )
                    self.sync(
                        Seat,
                        {"body": body, "person": person},
                        {
                            "appointed_by": appointed_by,
                            "role": role,
                            "party": person.party,
                            "term_start": term_start,
                            "term_end": term_end,
                            "appointing_decision": appointment if is_taby_politician else None,
                        },
                    )
        # Decisions taken in a joint body point at it.
        for key, _code, _db, body_name, _d, _r, _dn, title, *_rest in P.DECISIONS:
            if body_name:
                body = self.bodies[(key, body_name)]
                self.sync(Decision, {"pk": self.decisions[(key, title)].pk}, {"body": body})

    def _taby_participations(self, taby) -> None:
        for key, spec in P.TABY_PARTICIPATIONS.items():
            arrangement = self.arrangements[key]
            entry = next(
                (
                    d
                    for (k, _t), d in self.decisions.items()
                    if k == key and d.kind == Decision.Kind.ENTRY and d.organisation_id == taby.pk
                ),
                None,
            )
            participation = self.sync(
                Participation,
                {"arrangement": arrangement, "organisation": taby},
                {
                    "political_body": spec["political_body"],
                    "political_owner": self.people[spec["political_owner"]],
                    "admin_unit": spec["admin_unit"],
                    "admin_owner": self.people[spec["admin_owner"]],
                    "cost_share": (
                        Decimal(str(spec["cost_share"])) if spec["cost_share"] is not None else None
                    ),
                    "cost_share_key": spec["cost_share_key"],
                    "entry_decision": entry,
                    "is_example": True,
                },
            )
            note = spec.get("note", "")
            for year, outcome, factor in zip(
                P.COST_YEARS, spec["outcomes"], P.BUDGET_FACTORS, strict=True
            ):
                self.sync(
                    Cost,
                    {"participation": participation, "year": year},
                    {
                        "budget": round(outcome * factor / 10) * 10_000,
                        "outcome": outcome * 1000,
                        "forecast": None,
                        "note": note,
                    },
                )
            self.sync(
                Cost,
                {"participation": participation, "year": 2026},
                {
                    "budget": spec["budget_2026"] * 1000,
                    "outcome": None,
                    "forecast": spec["forecast_2026"] * 1000,
                    "note": note,
                },
            )
            share = spec["cost_share"]
            if share:
                for year, outcome in zip(P.COST_YEARS, spec["outcomes"], strict=True):
                    self.sync(
                        TotalCost,
                        {"arrangement": arrangement, "year": year},
                        {
                            "outcome": round(outcome * 100 / share) * 1000,
                            "budget": None,
                            "note": "Exempel: beräknat från Täbys andel.",
                        },
                    )
                self.sync(
                    TotalCost,
                    {"arrangement": arrangement, "year": 2026},
                    {
                        "budget": round(spec["budget_2026"] * 100 / share) * 1000,
                        "outcome": None,
                        "note": "Exempel: beräknat från Täbys andel.",
                    },
                )

    def _goals(self, taby) -> None:
        for i, (level, title, parent, description) in enumerate(P.GOALS):
            self.goals[title] = self.sync(
                Goal,
                {"organisation": taby, "title": title},
                {
                    "level": level,
                    "parent": self.goals[parent] if parent else None,
                    "public_description": description,
                    "sort_order": (i + 1) * 10,
                },
            )
        for key, goal, strength, description in P.CONTRIBUTIONS:
            self.sync(
                Contribution,
                {"arrangement": self.arrangements[key], "goal": self.goals[goal]},
                {"strength": strength, "public_description": description},
            )
        for goal, key, decision, day, description, handling, status in P.GOAL_CONFLICTS:
            self.sync(
                GoalConflict,
                {"goal": self.goals[goal], "arrangement": self.arrangements[key]},
                {
                    "decision": self.decisions[(key, decision)] if decision else None,
                    "identified_on": date.fromisoformat(day),
                    "description": description,
                    "handling": handling,
                    "status": status,
                    "is_published": True,
                },
            )

    def _follow_up(self, taby) -> None:
        for (
            key,
            code,
            day,
            evaluator,
            attainment,
            cost,
            collaboration,
            recommendation,
            next_day,
            summary,
            published,
        ) in P.EVALUATIONS:
            self.sync(
                Evaluation,
                {
                    "arrangement": self.arrangements[key],
                    "organisation": self.org(code) if code else None,
                    "date": date.fromisoformat(day),
                },
                {
                    "evaluator": evaluator,
                    "goal_attainment": attainment,
                    "cost_assessment": cost,
                    "collaboration": collaboration,
                    "recommendation": recommendation,
                    "next_evaluation": date.fromisoformat(next_day) if next_day else None,
                    "public_summary": summary,
                    "internal_note": P.EXAMPLE_NOTE,
                    "is_published": published,
                },
            )
        for key, kind, description, cost, why_not, day, published in P.ALTERNATIVES:
            self.sync(
                Alternative,
                {"arrangement": self.arrangements[key], "organisation": taby, "kind": kind},
                {
                    "description": description,
                    "estimated_cost": cost,
                    "why_not_chosen": why_not,
                    "assessed_on": date.fromisoformat(day),
                    "internal_note": P.EXAMPLE_NOTE,
                    "is_published": published,
                },
            )

    def _review(self, taby) -> None:
        spec = P.REVIEW
        review = self.sync(
            Review,
            {"organisation": taby, "title": spec["title"]},
            {
                "date": date.fromisoformat(spec["date"]),
                "body": spec["body"],
                "reference": spec["reference"],
                "public_summary": spec["public_summary"],
                "internal_note": P.EXAMPLE_NOTE,
                "is_example": True,
                "term_start_year": current_term(date.fromisoformat(spec["date"])).start_year,
                "closed_on": date.fromisoformat(spec["date"]) if spec.get("closed") else None,
            },
        )
        for key, (
            direction,
            priority,
            follow_up,
            decision,
            assignment,
            due,
        ) in P.REVIEW_ITEMS.items():
            participation = Participation.objects.get(
                arrangement=self.arrangements[key], organisation=taby
            )
            self.sync(
                ReviewItem,
                {"review": review, "participation": participation},
                {
                    "direction": direction,
                    "outcome": DEMO_OUTCOMES[direction],
                    "priority": priority,
                    "follow_up": follow_up,
                    "decision": decision,
                    "assignment": assignment,
                    "due_date": date.fromisoformat(due) if due else None,
                },
            )

    def _meetings(self, taby) -> None:
        """Täby's positions on the agendas of three joint bodies: coming meetings, and one held a
        fortnight ago whose outcome became the body's decision (through the service the forms
        use), with the position published for Insyn. Days count from ``rules.today()``."""
        zone = ZoneInfo(settings.TIME_ZONE)
        areas = {a.slug: a for a in ServiceArea.objects.all()}
        day0 = today()
        for key, body_name, uid, days, hour, place, status, papers, items in P.MEETINGS:
            day = day0 + timedelta(days=days)
            meeting = self.sync(
                Meeting,
                {"body": self.bodies[(key, body_name)], "uid": uid},
                {
                    "starts_at": datetime.combine(day, time(hour), tzinfo=zone),
                    "ends_at": datetime.combine(day, time(hour + 2), tzinfo=zone),
                    "place": place,
                    "status": status,
                    "papers_url": papers,
                },
            )
            for order, (number, title, area, spec) in enumerate(items, start=1):
                item = self.sync(
                    AgendaItem,
                    {"meeting": meeting, "title": title},
                    {"number": number, "service_area": areas[area], "sort_order": order},
                )
                if spec is not None:
                    self._position(taby, item, day, spec)

    def _position(self, taby, item: AgendaItem, day: date, spec: dict) -> None:
        position = self.sync(
            Position,
            {"item": item, "organisation": taby},
            {
                "stance": spec["stance"],
                "text": spec["text"],
                "agreed_in": spec["agreed_in"],
                "agreed_on": day - timedelta(days=spec["agreed_days"]),
                "agreed_by": spec["agreed_by"],
                "binding": spec["binding"],
                "public_summary": spec.get("public_summary", ""),
                "is_published": spec.get("is_published", False),
                "internal_note": P.EXAMPLE_NOTE,
            },
        )
        if "outcome" not in spec:
            return
        if position.outcome != spec["outcome"] or (
            "decision" in spec and position.decision_id is None
        ):
            position_outcome_record(
                access=None,
                position=position,
                outcome=spec["outcome"],
                outcome_note=spec["outcome_note"],
                decision=spec.get("decision"),
            )
            self.stats.count(Position, "updated")
        if position.decision_id is not None:
            # The decision's day follows its meeting when the demo is loaded again another day.
            self.sync(Decision, {"pk": position.decision_id}, {"date": day})

    # -- users

    def ensure_users(self, password: str) -> list[tuple[str, str, bool]]:
        User = get_user_model()
        taby = self.org(P.TABY)
        result = []
        for username, superuser, role, first, last in P.USERS:
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                if superuser:
                    user = User.objects.create_superuser(
                        username=username, password=password, first_name=first, last_name=last
                    )
                else:
                    user = User.objects.create_user(
                        username=username, password=password, first_name=first, last_name=last
                    )
            if role:
                self.sync(Membership, {"user": user, "organisation": taby}, {"role": role})
                label = dict(Membership.Role.choices)[role].lower() + " i Täby kommun"
            else:
                label = "registeradministratör"
            result.append((username, label, created))
        username, name = P.REPRESENTATIVE
        person = Person.objects.filter(name=name, organisation=taby).first()
        if person is not None:  # with the portfolio
            self.sync(Person, {"pk": person.pk}, {"user": User.objects.get(username=username)})
        return result


@transaction.atomic
def load_demo(*, password: str = DEFAULT_PASSWORD, portfolio: bool = True) -> DemoResult:
    """Load (or bring up to date) the real arrangements, Täby's portfolio and the demo users."""
    loader = DemoLoader()
    loader.load_real()
    if portfolio:
        loader.load_portfolio()
    users = loader.ensure_users(password)
    real_ids = [row["id"] for row in read_csv(ARRANGEMENTS_CSV)]
    return DemoResult(
        stats=loader.stats,
        real_arrangements=Arrangement.objects.filter(external_id__in=real_ids).count(),
        real_participations=Participation.objects.filter(
            arrangement__external_id__in=real_ids
        ).count(),
        example_arrangements=Arrangement.objects.filter(is_example=True).count(),
        users=users,
        password=password,
    )


def _example_pdf(title: str) -> bytes:
    """A one-page example PDF with ``title`` (the register's PDF writer, WeasyPrint)."""
    from weasyprint import HTML

    from .reports.pdf import write_pdf

    html = (
        f"<html lang='sv'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<h1>{title}</h1><p>Exempeldata: ett påhittat dokument som visar hur registret fungerar."
        "</p><p>§ 1 Medlemmar. § 2 Ändamål. § 3 Säte. § 4 Uppgifter.</p></body></html>"
    )
    return write_pdf(HTML(string=html))
