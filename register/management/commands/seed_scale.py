"""python manage.py seed_scale --arrangements 5000 --years 10 --seed 1 [--replace]

A deterministic synthetic national register over all 290 municipalities and 21 regions, for
benchmarks and query-count tests. Everything it writes is clearly synthetic: arrangements are
named "Syntetisk samverkan 00042: …" with ``external_id="scale-00042"``, people are titled
"Syntetisk testperson" and carry the internal note ``seed_scale``.

Running it again when synthetic data exist **refuses** with a message (exit status 1) unless
``--replace`` is given, which first deletes the earlier synthetic data (and nothing else). The
same ``--seed`` gives the same names, counts and cost sums.

The rows go through the register's rules: each participant's role is ``rules.participant_role``,
the body that decides is ``rules.deciding_body``, and every row is checked as ``full_clean()``
checks a record and written by ``register.services.records.records_create_many``, the register's
one bulk path. No history rows are written for them, and they are deleted with raw deletes
(``records_purge``); on PostgreSQL the tables are analysed afterwards.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from register import search
from register.models import (
    AgendaItem,
    Arrangement,
    Body,
    CooperationForm,
    Cost,
    Decision,
    Evaluation,
    Meeting,
    Organisation,
    Participation,
    Person,
    Position,
    Seat,
    ServiceArea,
)
from register.rules import (
    deciding_body,
    has_owners,
    host_is_party,
    host_not_a_party,
    participant_role,
)
from register.services import records
from register.services.records import record_save

EXTERNAL_PREFIX = "scale-"
PERSON_MARK = "seed_scale"
LAST_YEAR = 2026  # the last year has a budget and a forecast; earlier years an outcome

STATE_AGENCIES = [("Försäkringskassan", "2021005521"), ("Arbetsförmedlingen", "2021002114")]

# form slug: (weight, min participants, max participants, typical service areas)
FORMS = {
    "agreement": (
        40,
        2,
        4,
        ["miljo_bygg", "it", "upphandling", "overformyndare", "juridik", "arkiv"],
    ),
    "joint_committee": (20, 2, 6, ["lon", "it", "miljo_bygg", "overformyndare", "socialtjanst"]),
    "municipal_federation": (
        15,
        3,
        12,
        ["raddningstjanst", "raddningstjanst", "avfall", "vatten_avlopp", "utbildning"],
    ),
    "network": (10, 4, 12, ["regional_utveckling", "naringsliv", "kompetensforsorjning"]),
    "joint_company": (7, 2, 8, ["avfall", "vatten_avlopp", "kollektivtrafik", "gator_teknik"]),
    "coordination_federation": (5, 2, 5, ["arbetsmarknad_rehabilitering"]),
    "association": (3, 2, 10, ["kultur", "naringsliv", "krisberedskap"]),
}
# kr per inhabitant and year, by form (a rough order of magnitude)
PER_CAPITA = {
    "agreement": (5, 120),
    "joint_committee": (30, 250),
    "municipal_federation": (100, 900),
    "network": (1, 10),
    "joint_company": (100, 600),
    "coordination_federation": (10, 40),
    "association": (2, 30),
}
# Bodies besides the deciding one, by form: (kind, name, powers).
OTHER_BODIES = {
    "agreement": [("officials_group", "Samverkansgrupp", "advises")],
    "municipal_federation": [("federation_assembly", "Förbundsfullmäktige", "decides")],
    "network": [("steering_group", "Politisk styrgrupp", "advises")],
    "association": [("other", "Föreningsstämman", "decides")],
}


def _bodies(form: CooperationForm) -> list[tuple[str, str, str]]:
    """The bodies of an arrangement of the form, (kind, name, powers); the last one decides: the
    rule's deciding body when the form has one."""
    deciding = deciding_body(form)
    return OTHER_BODIES.get(form.slug, []) + (
        [(str(deciding[0]), deciding[1], "decides")] if deciding else []
    )


STATUSES = [
    ("active", 85),
    ("ended", 5),
    ("renegotiation", 3),
    ("investigation", 3),
    ("winding_up", 2),
    ("initiative", 2),
]
FIRST_NAMES = (
    "Anna Maria Eva Karin Sara Lena Kerstin Emma Ingrid Malin Johan Erik Lars Karl Anders Per "
    "Nils Mikael Fredrik Olof Ahmed Fatima Elin Hanna Jonas Peter Sofia Linnea Oskar Gustav"
).split()
LAST_NAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Berg Lund Holm Ek Sjöberg "
    "Wikström Öberg Åkesson Hassan Ali Nyström Falk Strand"
).split()
PARTIES = ["S"] * 30 + ["M"] * 20 + ["SD"] * 15 + ["C"] * 10 + ["V"] * 7 + ["KD"] * 6
PARTIES += ["L"] * 5 + ["MP"] * 5 + ["Lokalt parti"] * 2


class ScaleDataExists(Exception):
    pass


@dataclass
class ScaleResult:
    arrangements: int
    participations: int
    bodies: int
    seats: int
    people: int
    costs: int
    decisions: int
    evaluations: int
    meetings: int
    positions: int
    cost_sum: int
    seconds: float


def scale_arrangements():
    return Arrangement.objects.filter(external_id__startswith=EXTERNAL_PREFIX)


def _chunks(ids: list, size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _purge(model, ids: list) -> None:
    """Delete ``model`` rows by id with raw SQL, first their dependents (CASCADE, recursively) and
    the links pointing at them (SET_NULL, many-to-many). No signals, so no history rows."""
    if not ids:
        return
    for rel in records.dependent_relations(model):
        related, field = rel.related_model, rel.field
        if related._meta.app_label == model._meta.app_label and related.__name__.startswith(
            "Historical"
        ):
            continue  # history rows are kept (they have no database constraint)
        on_delete = rel.on_delete
        for chunk in _chunks(ids):
            qs = related._base_manager.filter(**{f"{field.name}__in": chunk})
            if on_delete is models.CASCADE:
                child_ids = list(qs.values_list("pk", flat=True))
                if related is model:
                    child_ids = [c for c in child_ids if c not in set(chunk)]
                _purge(related, child_ids)
            elif on_delete is models.SET_NULL:
                qs.update(**{field.name: None})
    records.records_purge(model=model, pks=ids)


@transaction.atomic
def delete_scale_data() -> int:
    """Delete every synthetic row (raw deletes: no history rows, no signals). Returns the number
    of arrangements deleted."""
    ids = list(scale_arrangements().values_list("pk", flat=True))
    _purge(Arrangement, ids)
    _purge(
        Person, list(Person.objects.filter(internal_note=PERSON_MARK).values_list("pk", flat=True))
    )
    return len(ids)


def _write(model, rows: list[dict]) -> list[int]:
    """Check the rows by the model's rules, insert them (no history rows) and return their ids."""
    return records.records_create_many(model=model, rows=rows, history=False)


def _write_objects(objs: list[models.Model]) -> None:
    """Write unsaved instances of one model as :func:`_write` does and give them their ids."""
    if not objs:
        return
    meta = objs[0]._meta
    names = [f.attname for f in meta.concrete_fields if f is not meta.pk]
    rows = [{name: getattr(obj, name) for name in names} for obj in objs]
    for obj, pk in zip(objs, _write(type(objs[0]), rows), strict=True):
        obj.pk = pk
        obj._state.adding = False  # documented (Model._state): the instance is now saved


def _analyze() -> None:
    """Give PostgreSQL's planner statistics for the new rows (visible inside this transaction),
    so that the first queries after seeding do not plan for empty tables."""
    if connection.vendor != "postgresql":
        return
    models_ = (Arrangement, Participation, Cost, Body, Seat, Person, Decision, Evaluation)
    models_ += (Meeting, AgendaItem, Position)
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute("ANALYZE " + connection.ops.quote_name(model._meta.db_table))


def _state_agencies() -> list[Organisation]:
    result = []
    for name, orgnr in STATE_AGENCIES:
        org = Organisation.objects.filter(name=name, kind=Organisation.Kind.STATE_AGENCY).first()
        if org is None:
            org = Organisation(name=name, short_name=name, kind=Organisation.Kind.STATE_AGENCY)
            if not Organisation.objects.filter(orgnr=orgnr).exists():
                org.orgnr = orgnr
            record_save(access=None, instance=org)
        result.append(org)
    return result


@dataclass
class Reference:
    """What the synthetic rows are made of: the register's organisations, forms and areas."""

    municipalities: list[Organisation]
    regions: dict[str, Organisation]  # by county code
    agencies: list[Organisation]
    by_county: dict[str, list[Organisation]]  # the municipalities of each county
    forms: dict[str, CooperationForm]
    bodies_by_form: dict[str, list[tuple[str, str, str]]]
    areas: dict[str, ServiceArea]
    home_weights: list[float]  # a municipality's chance to be an arrangement's home


@dataclass
class Plan:
    """An arrangement's form, service area and participants, chosen before anything is written."""

    slug: str
    area: ServiceArea
    members: list[Organisation]  # municipalities, the home one first
    extra: list[Organisation]  # the region and state agencies that take part too


@dataclass
class Records:
    """What each arrangement has, in the order written: participations (with the population and
    form their costs are drawn from), bodies (with the organisations that get a seat in each),
    decisions and evaluations."""

    participations: list[Participation] = field(default_factory=list)
    part_meta: list[tuple[int, str]] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    body_orgs: list[list[Organisation]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)


@transaction.atomic
def seed_scale(
    *, arrangements: int = 5000, years: int = 10, seed: int = 1, replace: bool = False
) -> ScaleResult:
    """Generate the synthetic register. Raises ScaleDataExists if synthetic data exist and
    ``replace`` is False.

    The steps draw from one random generator in a fixed order (people, arrangements, their
    records, costs), so the same ``seed`` gives the same register."""
    started = time.perf_counter()
    clear_earlier(replace=replace)
    rng = random.Random(seed)
    ref = read_reference()
    year_range = list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))

    people, pools = seed_people(rng, ref)
    arrangement_objs, plans = seed_arrangements(rng, ref, arrangements)
    seed_service_areas(arrangement_objs, plans)
    records = seed_records(rng, ref, arrangement_objs, plans, year_range)
    seats = seed_seats(records, pools)
    cost_rows, cost_sum = seed_costs(rng, records, year_range)
    meetings, positions = seed_meetings(records, arrangement_objs, plans)
    _analyze()

    return ScaleResult(
        arrangements=len(arrangement_objs),
        participations=len(records.participations),
        bodies=len(records.bodies),
        seats=len(seats),
        people=len(people),
        costs=len(cost_rows),
        decisions=len(records.decisions),
        evaluations=len(records.evaluations),
        meetings=meetings,
        positions=positions,
        cost_sum=cost_sum,
        seconds=time.perf_counter() - started,
    )


def clear_earlier(*, replace: bool) -> None:
    """Delete earlier synthetic data, or raise ScaleDataExists if there are some and ``replace``
    is False."""
    existing = scale_arrangements().count()
    if existing and not replace:
        raise ScaleDataExists(existing)
    if existing or Person.objects.filter(internal_note=PERSON_MARK).exists():
        delete_scale_data()


def read_reference() -> Reference:
    """Read the organisations, forms and areas (and add the state agencies if missing)."""
    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, is_reference=True)
        .select_related("county")
        .order_by("code")
    )
    regions = {
        r.code: r
        for r in Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code")
    }
    agencies = _state_agencies()
    by_county: dict[str, list[Organisation]] = {}
    for m in municipalities:
        by_county.setdefault(m.county.code, []).append(m)
    forms = {f.slug: f for f in CooperationForm.objects.filter(slug__in=FORMS)}
    return Reference(
        municipalities=municipalities,
        regions=regions,
        agencies=agencies,
        by_county=by_county,
        forms=forms,
        bodies_by_form={slug: _bodies(form) for slug, form in forms.items()},
        areas={a.slug: a for a in ServiceArea.objects.all()},
        # Larger municipalities take part in more arrangements.
        home_weights=[(m.population or 10_000) ** 0.6 for m in municipalities],
    )


def seed_people(rng: random.Random, ref: Reference) -> tuple[list[Person], dict]:
    """Write a pool of politicians per municipality and region, two officials per agency; return
    them and the pools by organisation id."""
    people: list[Person] = []
    pools: dict[int, list[Person]] = {}
    for org in ref.municipalities + list(ref.regions.values()) + ref.agencies:
        size = (
            2 if org.kind == Organisation.Kind.STATE_AGENCY else 6 + (org.population or 0) // 40_000
        )
        pool = []
        for _ in range(size):
            is_agency = org.kind == Organisation.Kind.STATE_AGENCY
            person = Person(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                kind=Person.Kind.OFFICIAL if is_agency else Person.Kind.POLITICIAN,
                party="" if is_agency else rng.choice(PARTIES),
                title="Syntetisk testperson",
                organisation=org,
                internal_note=PERSON_MARK,
            )
            pool.append(person)
            people.append(person)
        pools[org.pk] = pool
    _write_objects(people)
    return people, pools


def plan_arrangement(rng: random.Random, ref: Reference) -> Plan:
    """Choose an arrangement's form, area and participants: mostly neighbours in the home
    municipality's county, at most 12."""
    form_slugs = list(FORMS)
    slug = rng.choices(form_slugs, [FORMS[s][0] for s in form_slugs])[0]
    _w, low, high, typical = FORMS[slug]
    area = ref.areas[rng.choice(typical)]
    home = rng.choices(ref.municipalities, ref.home_weights)[0]
    county = home.county.code
    extra = []
    if slug == "coordination_federation":
        extra = [ref.regions[county], *ref.agencies]
    elif slug in ("network", "joint_company") and rng.random() < 0.3:
        extra = [ref.regions[county]]
    n = min(rng.randint(low, high), 12 - len(extra))  # at most 12 participants
    members = [home]
    chosen = {home.pk}
    neighbours = ref.by_county[county]
    attempts = 0
    while len(members) < n and attempts < 100:
        attempts += 1
        pool = neighbours if rng.random() < 0.85 else ref.municipalities
        candidate = rng.choice(pool)
        if candidate.pk not in chosen:
            chosen.add(candidate.pk)
            members.append(candidate)
    return Plan(slug, area, members, extra)


def seed_arrangements(
    rng: random.Random, ref: Reference, count: int
) -> tuple[list[Arrangement], list[Plan]]:
    """Write ``count`` arrangements; return them and their plans."""
    status_values = [s for s, _ in STATUSES]
    status_weights = [w for _, w in STATUSES]
    plans = []
    arrangement_objs = []
    for i in range(1, count + 1):
        plan = plan_arrangement(rng, ref)
        start_year = rng.randint(1990, 2024)
        status = rng.choices(status_values, status_weights)[0]
        end = None
        if status == "ended":
            end = date(min(LAST_YEAR, start_year + rng.randint(1, 10)), 12, 31)
        arrangement = Arrangement(
            name=f"Syntetisk samverkan {i:05d}: {plan.area.name}",
            short_name=f"Syntetisk {i:05d}",
            form=ref.forms[plan.slug],
            status=status,
            start_date=date(start_year, rng.randint(1, 12), 1),
            end_date=end,
            host=plan.members[0] if plan.slug in ("joint_committee", "agreement") else None,
            public_description=(
                "Syntetiska testuppgifter för prestandamätning; ingen verklig samverkan."
            ),
            is_published=rng.random() < 0.7,
            external_id=f"{EXTERNAL_PREFIX}{i:05d}",
        )
        arrangement_objs.append(arrangement)
        plans.append(plan)
    _write_objects(arrangement_objs)
    return arrangement_objs, plans


def seed_service_areas(arrangement_objs: list[Arrangement], plans: list[Plan]) -> None:
    """Write each arrangement's service area."""
    through = Arrangement.service_areas.through
    _write_objects(
        [
            through(arrangement_id=a.pk, servicearea_id=plan.area.pk)
            for a, plan in zip(arrangement_objs, plans, strict=True)
        ]
    )


def seed_records(
    rng: random.Random, ref: Reference, arrangement_objs, plans, year_range: list[int]
) -> Records:
    """Write each arrangement's participations, bodies, decisions and evaluations."""
    records = Records()
    for arrangement, plan in zip(arrangement_objs, plans, strict=True):
        add_participations(rng, ref, records, arrangement, plan)
        add_bodies(rng, ref, records, arrangement, plan)
        add_decisions_and_evaluation(rng, ref, records, arrangement, plan, year_range)
    for objs in (records.participations, records.bodies, records.decisions, records.evaluations):
        _write_objects(objs)
    return records


def add_participations(rng, ref: Reference, records: Records, arrangement, plan: Plan) -> None:
    """Add the participants, with ownership shares that add up to 100 in a form with owners."""
    form = ref.forms[plan.slug]
    everyone = plan.members + plan.extra
    shares = None
    if has_owners(form):
        raw = [rng.randint(1, 10) for _ in everyone]
        shares = [round(100 * r / sum(raw), 2) for r in raw]
        shares[0] = round(100 - sum(shares[1:]), 2)
        shares = [Decimal(str(share)) for share in shares]
    if not host_is_party(arrangement.host_id, [org.pk for org in everyone]):
        raise CommandError(host_not_a_party(arrangement.host.name))
    for k, org in enumerate(everyone):
        records.participations.append(
            Participation(
                arrangement=arrangement,
                organisation=org,
                role=participant_role(form, is_host=org.pk == arrangement.host_id),
                joined=arrangement.start_date,
                left=arrangement.end_date,
                ownership_share=shares[k] if shares else None,
                political_body="Kommunstyrelsen" if org.kind == "municipality" else "",
            )
        )
        records.part_meta.append((org.population or 50_000, plan.slug))


def add_bodies(rng, ref: Reference, records: Records, arrangement, plan: Plan) -> None:
    """Add the form's bodies, each with a seat (two in an assembly) per participant."""
    everyone = plan.members + plan.extra
    for kind, name, powers in ref.bodies_by_form[plan.slug]:
        if kind == "officials_group" and rng.random() < 0.5:  # half have one
            continue
        per_org = 2 if kind == "federation_assembly" else 1
        records.bodies.append(
            Body(
                arrangement=arrangement,
                kind=kind,
                name=name,
                powers=powers,
                seat_count=per_org * len(everyone),
                meeting_frequency=rng.choice(["Fyra gånger per år", "Sex gånger per år"]),
            )
        )
        records.body_orgs.append([o for o in everyone for _ in range(per_org)])


def add_decisions_and_evaluation(
    rng, ref: Reference, records: Records, arrangement, plan: Plan, year_range: list[int]
) -> None:
    """Add a member's decision to enter, up to two decisions of the deciding body and, for
    about a third, an evaluation."""
    entry_org = rng.choice(plan.members)
    records.decisions.append(
        Decision(
            arrangement=arrangement,
            organisation=entry_org,
            deciding_body="Kommunfullmäktige",
            date=arrangement.start_date,
            reference=f"§ {rng.randint(1, 200)}",
            title=f"Inträde i {arrangement.short_name}",
            kind=Decision.Kind.ENTRY,
            impact_cost=True,
            is_published=True,
        )
    )
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        year = rng.choice(year_range)
        records.decisions.append(
            Decision(
                arrangement=arrangement,
                deciding_body=ref.bodies_by_form[plan.slug][-1][1],
                date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                reference=f"§ {rng.randint(1, 200)}",
                title=rng.choice(
                    [
                        "Budget och medlemsbidrag",
                        "Ny taxa",
                        "Ändrad verksamhet",
                        "Val av ledamöter",
                    ]
                )
                + f" {year}",
                kind=rng.choice(["budget", "tariff", "service_change", "appointment"]),
                impact_cost=rng.random() < 0.6,
                impact_tariff=rng.random() < 0.3,
                is_published=rng.random() < 0.8,
            )
        )
    if rng.random() < 0.3:
        records.evaluations.append(
            Evaluation(
                arrangement=arrangement,
                organisation=entry_org if rng.random() < 0.5 else None,
                date=date(rng.choice(year_range[:-1] or year_range), rng.randint(1, 12), 1),
                evaluator="Syntetisk utvärderare",
                goal_attainment=rng.choice(["met", "partly", "not_met", "unknown"]),
                recommendation=rng.choice(
                    ["continue", "develop", "renegotiate", "investigate", "exit"]
                ),
                public_summary="Syntetisk uppföljning.",
                is_published=rng.random() < 0.7,
            )
        )


def seed_seats(records: Records, pools: dict) -> list[Seat]:
    """Write the seats: each body's organisations appoint people from their pools, a person at
    most once per body; the first two seats of a political body are its chair and vice chair."""
    seats: list[Seat] = []
    for body, orgs in zip(records.bodies, records.body_orgs, strict=True):
        used: set[int] = set()
        for k, org in enumerate(orgs):
            pool = pools[org.pk]
            person = pool[(body.pk + k) % len(pool)]
            if person.pk in used:
                person = next((p for p in pool if p.pk not in used), person)
            used.add(person.pk)
            if body.kind == Body.Kind.OFFICIALS_GROUP:
                role = Seat.Role.OFFICIAL
            else:
                role = [Seat.Role.CHAIR, Seat.Role.VICE_CHAIR][k] if k < 2 else Seat.Role.MEMBER
            seats.append(
                Seat(
                    body=body,
                    person=person,
                    appointed_by=org,
                    role=role,
                    party=person.party,
                    term_start=date(2023, 1, 1),
                    term_end=date(2026, 12, 31),
                )
            )
    _write_objects(seats)
    return seats


# Every body's meetings: one held in the autumn and one ahead, each with AGENDA_ITEMS items; each
# organisation with a seat in the body has a position on the first POSITIONS_ON items.
MEETING_DAYS = [
    (date(2026, 10, 14), Meeting.Status.HELD),
    (date(2027, 1, 20), Meeting.Status.PLANNED),
]
AGENDA_ITEMS = 3
POSITIONS_ON = 1


def seed_meetings(
    records: Records, arrangement_objs: list[Arrangement], plans: list[Plan]
) -> tuple[int, int]:
    """Write the bodies' meetings, their agenda items and the appointing organisations'
    positions (no history rows, like the rest); return the numbers of meetings and positions."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    meetings: list[Meeting] = []
    for body in records.bodies:
        for n, (day, status) in enumerate(MEETING_DAYS):
            starts = datetime.combine(day, datetime.min.time(), zone).replace(hour=9)
            meetings.append(
                Meeting(
                    body=body,
                    title=f"Sammanträde {n + 1}",
                    starts_at=starts,
                    status=status,
                    uid=f"{EXTERNAL_PREFIX}{body.pk}-{n}",
                )
            )
    _write_objects(meetings)
    area_of = {a.pk: plan.area.pk for a, plan in zip(arrangement_objs, plans, strict=True)}
    areas = {body.pk: area_of[body.arrangement_id] for body in records.bodies}
    items = [
        AgendaItem(
            meeting=meeting,
            number=str(k + 1),
            title=f"Syntetiskt ärende {k + 1}",
            service_area_id=areas.get(meeting.body_id),
            sort_order=k,
        )
        for meeting in meetings
        for k in range(AGENDA_ITEMS)
    ]
    _write_objects(items)
    orgs = {body.pk: orgs for body, orgs in zip(records.bodies, records.body_orgs, strict=True)}
    positions = [
        Position(item=item, organisation=org, stance=Position.Stance.SUPPORT)
        for item in items
        if item.sort_order < POSITIONS_ON
        for org in {o.pk: o for o in orgs[item.meeting.body_id]}.values()
    ]
    _write_objects(positions)
    return len(meetings), len(positions)


def seed_costs(rng: random.Random, records: Records, year_range: list[int]) -> tuple[list, int]:
    """Write each participation's cost of every year (the bulk of the rows): an outcome for a
    closed year, a budget and a forecast for the last; return the rows and the sum of every
    figure."""
    cost_rows: list[dict] = []
    cost_sum = 0
    for participation, (population, slug) in zip(
        records.participations, records.part_meta, strict=True
    ):
        low, high = PER_CAPITA[slug]
        amount = population * rng.uniform(low, high)
        growth = rng.uniform(-0.01, 0.07)
        for year in year_range:
            budget = int(round(amount * rng.uniform(0.95, 1.03), -3))
            if year == LAST_YEAR:
                outcome, forecast = None, int(round(amount * rng.uniform(0.97, 1.05), -3))
            else:
                outcome, forecast = int(round(amount, -3)), None
            cost_rows.append(
                {
                    "participation_id": participation.pk,
                    "year": year,
                    "budget": budget,
                    "outcome": outcome,
                    "forecast": forecast,
                }
            )
            cost_sum += budget + (outcome or 0) + (forecast or 0)
            amount *= 1 + growth + rng.uniform(-0.02, 0.02)
    _write(Cost, cost_rows)
    return cost_rows, cost_sum


class Command(BaseCommand):
    help = (
        "Skapar ett deterministiskt syntetiskt nationellt register för prestandamätning. "
        "Finns syntetiska data redan avbryts kommandot, om inte --replace anges."
    )

    def add_arguments(self, parser):
        parser.add_argument("--arrangements", type=int, default=5000, help="Antal samverkan.")
        parser.add_argument("--years", type=int, default=10, help="Antal år med kostnader.")
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö (samma frö, samma data).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ta bort tidigare syntetiska data och skapa nya.",
        )

    def handle(self, *args, **options):
        if options["arrangements"] < 1 or not 1 <= options["years"] <= 100:
            raise CommandError("Ange minst 1 samverkan och mellan 1 och 100 år.")
        try:
            with search.paused():  # rebuilt once below
                result = seed_scale(
                    arrangements=options["arrangements"],
                    years=options["years"],
                    seed=options["seed"],
                    replace=options["replace"],
                )
        except ScaleDataExists as exc:
            raise CommandError(
                f"Det finns redan syntetiska data ({exc.args[0]} samverkan). Kör med --replace "
                "för att ersätta dem; inget har ändrats."
            ) from None
        self.stdout.write(
            f"Skapade {result.arrangements} samverkan, {result.participations} deltaganden, "
            f"{result.bodies} organ, {result.seats} uppdrag, {result.people} personer, "
            f"{result.costs} kostnadsrader, {result.decisions} beslut, "
            f"{result.evaluations} uppföljningar, {result.meetings} sammanträden och "
            f"{result.positions} ställningstaganden på {result.seconds:.1f} s."
        )
        self.stdout.write(f"Summa kostnader (budget, utfall och prognos): {result.cost_sum} kr.")
        call_command("rebuild_search_index", stdout=self.stdout)
