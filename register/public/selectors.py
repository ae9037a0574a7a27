"""The public site's read side: published records, public fields, plain data.

Every query starts from ``Access`` for an anonymous visitor (``PUBLIC``): published arrangements
and, on them, the published decisions, evaluations, goal conflicts and alternatives. Each selects
only the fields of ``fields.PUBLIC_FIELDS`` with ``.values()``, so what comes back is dictionaries
that hold nothing else: no template or download can reach an internal field by accident.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.text import slugify

from .. import rules
from .. import search as site_search
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Document,
    Evaluation,
    Goal,
    GoalConflict,
    Meeting,
    Organisation,
    Participation,
    PopulationFigure,
    Position,
    Seat,
    ServiceArea,
    TotalCost,
)
from ..models.arrangements import name_with_party
from ..validators import safe_url
from .fields import public_fields
from .words import area_slugs_for

PUBLIC = Access(user_id=None)
# The organisations that have a public page: municipalities and regions (they have a code).
PAGE_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)


@functools.cache
def _labels(choices) -> dict:
    """The Swedish labels of a choices class by value, built once (a class's members are fixed)."""
    return dict(choices.choices)


def _label(choices, value) -> str:
    """Return the Swedish label of a choice value ("" for none; an unknown value as it is)."""
    return _labels(choices).get(value, value or "")


def _values(queryset, model=None):
    return queryset.values(*public_fields(model or queryset.model))


def arrangement_slug(arrangement: dict) -> str:
    """Return the permalink slug of an arrangement: its id (which never changes) and its name."""
    return f"{arrangement['id']}-{slugify(arrangement['name'])[:80]}".rstrip("-")


def arrangement_id_from_slug(slug: str) -> int | None:
    head = slug.split("-", 1)[0]
    return int(head) if head.isdigit() and len(head) < 19 else None


# --- organisations -----------------------------------------------------------------------------


def organisation_by_code(code: str) -> dict | None:
    """Return the public data of the municipality or region with ``code``, or None, with its
    population per year (``population_by_year``: SCB's figures, public facts), in one query."""
    rows = list(
        PUBLIC.organisations()
        .filter(code=code, kind__in=PAGE_KINDS)
        .values(
            *public_fields(Organisation),
            "population_figures__year",
            "population_figures__population",
        )
        .order_by("population_figures__year")
    )
    if not rows:
        return None
    org = {k: v for k, v in rows[0].items() if not k.startswith("population_figures__")}
    by_year = {
        row["population_figures__year"]: row["population_figures__population"]
        for row in rows
        if row["population_figures__year"] is not None
    }
    if org["population"] and org["population_year"]:
        by_year.setdefault(org["population_year"], org["population"])
    org["population_by_year"] = by_year
    return org


def organisations_with_page():
    return PUBLIC.organisations().filter(kind__in=PAGE_KINDS, code__isnull=False)


def organisations_with_public_arrangements():
    """Return the organisations with a page that take part in a published arrangement."""
    return (
        organisations_with_page()
        .filter(participations__arrangement__in=PUBLIC.arrangements())
        .distinct()
        .order_by("code")
    )


MAX_QUERY_LENGTH = 100


def clean_query(query: str) -> str:
    """Return the search text without control characters (PostgreSQL refuses NUL in a query),
    with one space between words, at most MAX_QUERY_LENGTH characters."""
    query = "".join(c for c in query if unicodedata.category(c)[0] != "C")
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def is_too_long(query: str) -> bool:
    """Return whether the search text is longer than the search takes (its start is searched)."""
    return len(" ".join(query.split())) > MAX_QUERY_LENGTH


def named_organisations(query: str, *, limit: int = 3) -> list[dict]:
    """Return the municipalities and regions that the words of ``query`` name: a word or a run of
    words equal to a name, a short name or a code ("sophämtning Täby" names Täby kommun; "Upplands
    Väsby" is two words), compared in Python so that Å, Ä and Ö fold as they should."""
    words = query.casefold().split()[:20]
    runs = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    if not runs:
        return []
    found = []
    for org in (
        organisations_with_page()
        .order_by("kind", "name")
        .values("id", "code", "name", "short_name", "kind")
    ):
        names = {org["name"].casefold(), (org["short_name"] or "").casefold(), org["code"]}
        if names & runs:
            found.append(org)
    return found[:limit]


def area_phrase(name: str) -> str:
    """Return a service area's name inside a sentence: "Vatten och avlopp" -> "vatten och
    avlopp", an abbreviation as it is ("IT")."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in name.split())


def search(query: str, *, limit: int = 50, today: dt.date | None = None) -> dict:
    """Return the organisations whose name or code matches ``query`` and the service areas that
    its words point to, each with its published arrangements.

    When the words also name a municipality or region ("sophämtning Täby"), the answer is
    narrowed to it: ``answers`` says, per named organisation and area, who decides on that
    service for it (``rules.takes_part``: the arrangements it takes part in today), and each
    area's list holds only its arrangements. A constant number of queries."""
    today = today or rules.today()
    query = clean_query(query)
    if not query:
        return {"query": "", "organisations": [], "areas": [], "answers": []}
    named = named_organisations(query)
    orgs = list(
        organisations_with_page()
        .filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code=query))
        .order_by("kind", "name")
        .values("code", "name", "kind")[:limit]
    )
    codes = {o["code"] for o in orgs}
    orgs += [{k: o[k] for k in ("code", "name", "kind")} for o in named if o["code"] not in codes]
    slugs = area_slugs_for(query)
    areas_qs = ServiceArea.objects.filter(Q(slug__in=slugs) | Q(name__icontains=query))
    areas = list(areas_qs.order_by("sort_order", "name").values("id", "slug", "name"))
    answers = []
    if areas:
        by_area = defaultdict(list)
        links = Arrangement.service_areas.through.objects.filter(
            servicearea_id__in=[a["id"] for a in areas],
            arrangement__in=PUBLIC.arrangements(),
        ).values(
            "servicearea_id",
            "arrangement_id",
            "arrangement__name",
            "arrangement__status",
            "arrangement__start_date",
            "arrangement__end_date",
            "arrangement__host__name",
            "arrangement__is_example",
        )
        links = list(links.order_by("arrangement__name"))
        members = (
            _members_in_force(
                {link["arrangement_id"] for link in links}, [o["id"] for o in named], today
            )
            if named
            else {}
        )
        deciding = _deciding_bodies({a for a, _ in members}) if members else {}
        for link in links:
            dates = SimpleNamespace(
                status=link["arrangement__status"],
                start_date=link["arrangement__start_date"],
                end_date=link["arrangement__end_date"],
            )
            by_area[link["servicearea_id"]].append(
                {
                    "id": link["arrangement_id"],
                    "name": link["arrangement__name"],
                    "host": link["arrangement__host__name"],
                    "is_example": link["arrangement__is_example"],
                    "ongoing": rules.is_ongoing(dates, today),
                    "slug": arrangement_slug(
                        {"id": link["arrangement_id"], "name": link["arrangement__name"]}
                    ),
                }
            )
        for area in areas:
            area["arrangements"] = by_area[area["id"]][:limit]
        for org in named:
            for area in areas:
                ours = [
                    {**a, "who": _who_decides(deciding.get(a["id"]), a["host"], org["name"])}
                    for a in by_area[area["id"]]
                    if a["ongoing"] and (a["id"], org["id"]) in members
                ]
                answers.append(
                    {
                        "organisation": org,
                        "place": org["short_name"] or org["name"],
                        "area": area,
                        "area_phrase": area_phrase(area["name"]),
                        "arrangements": ours,
                    }
                )
    return {
        "query": query,
        "organisations": orgs,
        "areas": areas,
        "answers": answers,
        "narrowed": bool(named and areas),
        "documents": published_documents(query),
    }


def published_documents(query: str, *, limit: int = 10) -> list[dict]:
    """Return the published documents of published arrangements whose title or text matches
    ``query``, the best first, each with a snippet: the register's one search
    (register/search.py) as an anonymous visitor, never on internal fields. Two queries."""
    found = site_search.search(PUBLIC, query, kinds=["document"], internal=False, per_kind=limit)
    hits = found.groups[0].hits if found.groups else []
    if not hits:
        return []
    rows = {
        row["id"]: row
        for row in PUBLIC.visible(Document.objects.filter(pk__in=[h.object_id for h in hits]))
        .order_by()
        .values(*public_fields(Document))
    }
    kinds = dict(Document.Kind.choices)
    documents = []
    for hit in hits:
        row = rows.get(hit.object_id)
        if row is None:
            continue
        arrangement = {"id": row["arrangement_id"], "name": row["arrangement__name"]}
        documents.append(
            {
                **row,
                "kind_label": kinds.get(row["kind"], ""),
                "title_html": hit.title_html,
                "snippet": hit.snippet,
                "slug": arrangement_slug(arrangement),
            }
        )
    return documents


def _who_decides(bodies: list[str] | None, host: str | None, organisation: str) -> str:
    """Return who decides on an arrangement's service for ``organisation``, as the subject of
    "I Täby beslutar … om avfall": its deciding bodies, else the host's committees, else the
    organisation's own (each party decides in its own committees)."""
    if bodies:
        return join_names(bodies)
    if host:
        return f"{genitive(host)} nämnder"
    return f"{genitive(organisation)} egna nämnder"


def join_names(names: list[str]) -> str:
    """Return names as a Swedish list: "A", "A och B", "A, B och C"."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} och {names[-1]}"


def _members_in_force(arrangement_ids, organisation_ids, today) -> set[tuple[int, int]]:
    """Return (arrangement id, organisation id) for each of ``organisation_ids`` that takes part
    in one of the (published) ``arrangement_ids`` today, in one query."""
    rows = PUBLIC.visible(
        Participation.objects.filter(
            arrangement_id__in=arrangement_ids, organisation_id__in=organisation_ids
        )
    ).values("arrangement_id", "organisation_id", "joined", "left")
    return {
        (r["arrangement_id"], r["organisation_id"])
        for r in rows
        if rules.member_in_force(_dates(r), today)
    }


def _deciding_bodies(arrangement_ids) -> dict[int, list[str]]:
    """Return the names of the deciding bodies of each arrangement, in one query."""
    found = defaultdict(list)
    bodies = PUBLIC.visible(
        Body.objects.filter(arrangement_id__in=arrangement_ids, powers=Body.Powers.DECIDES)
    )
    for row in bodies.order_by("name", "id").values("arrangement_id", "name"):
        found[row["arrangement_id"]].append(row["name"])
    return found


# --- arrangements, as whole documents ----------------------------------------------------------


@dataclass
class Portfolio:
    """The published arrangements of one organisation (or one arrangement), as documents."""

    organisation: dict | None
    arrangements: list[dict]
    today: dt.date | None = None

    @property
    def ongoing(self) -> list[dict]:
        """The arrangements the organisation takes part in today (``rules.takes_part``)."""
        return [a for a in self.arrangements if a.get("we_take_part")]

    @property
    def ended(self) -> list[dict]:
        return [a for a in self.arrangements if not a.get("we_take_part")]

    @property
    def reference_year(self) -> int:
        return rules.reference_year(self.today or rules.today())

    @property
    def reference_cost(self) -> rules.Amount:
        """Our cost in the reference year over the published arrangements, ended ones included
        (they cost that year), with which figures it is made of."""
        year = self.reference_year
        return rules.sum_amounts(
            year,
            (
                rules.Amount(year, c["amount_sek"], frozenset({c["kind"]}))
                for a in self.arrangements
                for c in a.get("our_costs", [])
                if c["year"] == year and c["amount_sek"] is not None
            ),
        )

    @property
    def reference_population(self) -> rules.Population | None:
        org = self.organisation or {}
        return rules.population_in(self.reference_year, org.get("population_by_year", {}))

    @property
    def reference_per_inhabitant(self) -> int | None:
        population = self.reference_population
        return rules.per_inhabitant(
            self.reference_cost.amount, population.population if population else None
        )

    @property
    def has_example(self) -> bool:
        return any(a["is_example"] for a in self.arrangements)

    @property
    def has_example_parts(self) -> bool:
        return any(a["has_example_parts"] for a in self.arrangements)

    @property
    def cost_grid(self) -> dict:
        """Our costs as a grid: a row per arrangement that has any, a column per year, each cell
        the year's figure (or None); the years in order."""
        years = sorted({c["year"] for a in self.arrangements for c in a.get("our_costs", [])})
        rows = []
        for a in self.arrangements:
            by_year = {c["year"]: c for c in a.get("our_costs", [])}
            if by_year:
                rows.append(
                    {
                        "arrangement": a,
                        "is_example": a["is_example"]
                        or any(c["is_example"] for c in by_year.values()),
                        "cells": [_thousands(by_year.get(y)) for y in years],
                    }
                )
        return {"years": years, "rows": rows}

    @property
    def decisions(self) -> list[dict]:
        rows = [d for a in self.arrangements for d in a["decisions"]]
        return sorted(rows, key=lambda d: (d["date"], d["id"]), reverse=True)


def _thousands(cost: dict | None) -> dict | None:
    """A cost in thousands of kronor (the grid's unit), with which figure it is."""
    if cost is None or cost["amount_sek"] is None:
        return None
    thousands = int(round(cost["amount_sek"] / 1000))
    return {**cost, "thousands": thousands, "thousands_text": rules.format_number(thousands)}


def portfolio(organisation: dict, *, today: dt.date | None = None, page: bool = False) -> Portfolio:
    """Return the organisation's published arrangements as documents.

    With ``page=True`` the documents hold only what the organisation's page reads (it shows only
    its own costs and the network's figures of the reference year): each arrangement's ``costs``
    holds the organisation's costs, every participant's in the reference year and those of
    example participations, without the other participants' other years; participations and
    seats leave out the fields of ``PAGE_LEAVES_OUT``; and ``goals``, ``contributions`` (so
    ``our_goals``), ``alternatives`` and ``goal_conflicts`` are left empty, unread: four queries
    fewer. ``tests/register/public/test_organisation_page_parts.py`` checks that the page is the
    same, byte for byte, as from the full documents."""
    today = today or rules.today()
    ours = PUBLIC.arrangements().filter(participations__organisation_id=organisation["id"])
    ids = ours.values("id")  # a subquery: no query of its own
    return Portfolio(
        organisation,
        arrangement_documents(ids, organisation=organisation, today=today, page=page),
        today,
    )


def arrangement_document(arrangement_id: int, *, today: dt.date | None = None) -> dict | None:
    """Return one published arrangement as a document, or None when it is not public."""
    docs = arrangement_documents([arrangement_id], today=today)
    return docs[0] if docs else None


# What the organisation's page (``portfolio(..., page=True)``) leaves out of the participations
# and seats it reads: fields it never shows, two of them a join of their own.
PAGE_LEAVES_OUT = {
    Participation: frozenset(
        {
            "id",
            "ownership_share",
            "political_owner__name",
            "political_owner__party",
            "public_note",
            "is_example",
        }
    ),
    Seat: frozenset({"id", "appointed_by__code", "appointed_by__name"}),
}


def _page_fields(model, page: bool) -> tuple[str, ...]:
    """The public fields of ``model`` that a document holds (on the organisation's page, fewer)."""
    fields = public_fields(model)
    return tuple(f for f in fields if f not in PAGE_LEAVES_OUT[model]) if page else fields


def _dates(row: dict) -> SimpleNamespace:
    """A document's dates and status as the attributes ``rules`` reads."""
    return SimpleNamespace(
        status=row.get("status"),
        start_date=row.get("start_date"),
        end_date=row.get("end_date"),
        joined=row.get("joined"),
        left=row.get("left"),
        term_start=row.get("term_start"),
        term_end=row.get("term_end"),
    )


def arrangement_documents(
    ids,
    *,
    organisation: dict | None = None,
    today: dt.date | None = None,
    page: bool = False,
) -> list[dict]:
    """Return the published arrangements ``ids`` (a list or a ``values("id")`` subquery) as
    documents (dicts), in a fixed number of
    queries whatever their number.

    Each has its public fields and: ``areas``, ``motives``, ``participants`` (with the
    organisation's code, name and role), ``host``, ``bodies`` (with ``seats``), ``total_costs``,
    ``costs`` (per participant and year), ``goals``, ``contributions``, ``decisions``,
    ``evaluations`` (latest first), ``alternatives``, ``goal_conflicts`` and ``slug``. With
    ``organisation``, also ``our_participation``, ``our_costs`` and ``our_seats``.

    What is in force follows the register's rules on ``today``: ``status`` is
    ``rules.status_on`` (an arrangement past its end date is "ended"), ``ongoing`` is
    ``rules.is_ongoing``, ``members`` are the participants in force and each seat says whether it
    is held (``in_force``); ``registered_status`` keeps the status as registered.
    """
    today = today or rules.today()
    arrangements = list(_values(PUBLIC.arrangements().filter(id__in=ids)).order_by("name", "id"))
    if not arrangements:
        return []
    ids = [a["id"] for a in arrangements]
    by_id = {a["id"]: a for a in arrangements}
    for a in arrangements:
        dates = _dates(a)
        status = rules.status_on(dates, today)
        a.update(
            slug=arrangement_slug(a),
            # Its own website, else that of its legal person (the federation, the company).
            site_url=a["website"] or a["legal_entity__website"] or "",
            form=a["form__name"],
            registered_status=a["status"],
            status=status,
            ongoing=rules.is_ongoing(dates, today),
            status_label=_label(Arrangement.Status, status),
            members=[],
            areas=[],
            motives=[],
            participants=[],
            bodies=[],
            total_costs=[],
            costs=[],
            goals=[],
            contributions=[],
            decisions=[],
            evaluations=[],
            alternatives=[],
            goal_conflicts=[],
            positions=[],
            host=None,
        )
    # The service areas and the motives, in one query (a union), each in its sort order.
    text = CharField()
    areas = (
        Arrangement.service_areas.through.objects.filter(arrangement_id__in=ids)
        .annotate(
            what=Value("areas", text),
            sort=F("servicearea__sort_order"),
            label=F("servicearea__name"),
            key=F("servicearea__slug"),
        )
        .values_list("arrangement_id", "what", "sort", "label", "key")
    )
    motives = (
        Arrangement.motives.through.objects.filter(arrangement_id__in=ids)
        .annotate(
            what=Value("motives", text),
            sort=F("motive__sort_order"),
            label=F("motive__name"),
            key=Value("", text),
        )
        .values_list("arrangement_id", "what", "sort", "label", "key")
    )
    for arrangement_id, what, _sort, label, key in sorted(
        areas.union(motives, all=True), key=lambda r: (r[1], r[2], r[3])
    ):
        by_id[arrangement_id][what].append(
            {"name": label, "slug": key} if what == "areas" else label
        )

    # Each participant's population in the reference year (``rules.population_in``: that year's
    # figure or the nearest earlier), for the population shares, in the same query.
    year = rules.reference_year(today)
    figure = PopulationFigure.objects.filter(
        organisation_id=OuterRef("organisation_id"), year__lte=year
    ).order_by("-year")
    participations = PUBLIC.visible(Participation.objects.filter(arrangement_id__in=ids))
    participations = list(
        participations.annotate(
            population_figure=Subquery(figure.values("population")[:1]),
            population_figure_year=Subquery(figure.values("year")[:1]),
        )
        .values(
            *_page_fields(Participation, page),
            "organisation__code",
            "organisation__name",
            "organisation__kind",
            "organisation__population",
            "organisation__population_year",
            "organisation__website",
            "organisation__county__name",
            "population_figure",
            "population_figure_year",
        )
        .order_by("organisation__name")
    )
    organisations: dict[int, dict] = {}
    # An organisation's figures are the same on each of its rows: worked out once for it.
    populations: dict[int, rules.Population | None] = {}
    for p in participations:
        figure = (p.pop("population_figure_year"), p.pop("population_figure"))
        if p["organisation_id"] not in populations:
            populations[p["organisation_id"]] = rules.population_in(
                year,
                {
                    y: n
                    for y, n in (
                        figure,
                        (p["organisation__population_year"], p["organisation__population"]),
                    )
                    if y is not None and n
                },
            )
        p.update(
            code=p["organisation__code"],
            name=p["organisation__name"],
            kind=p["organisation__kind"],
            population=p["organisation__population"],
            role_label=_label(Participation.Role, p["role"]),
            in_force=rules.member_in_force(_dates(p), today),
            reference_population=populations[p["organisation_id"]],
        )
        organisations[p["organisation_id"]] = {
            "code": p["code"],
            "name": p["name"],
            "website": p["organisation__website"],
        }
        by_id[p["arrangement_id"]]["participants"].append(p)
        if p["in_force"]:
            by_id[p["arrangement_id"]]["members"].append(p)
    for a in arrangements:
        a["members_text"] = join_names([p["name"] for p in a["members"]])
    # A host is a participant; only one that is not costs a query of its own.
    missing = {a["host_id"] for a in arrangements if a["host_id"]} - set(organisations)
    if missing:
        for org in Organisation.objects.filter(id__in=missing).values(
            "id", "code", "name", "website"
        ):
            organisations[org.pop("id")] = org
    for a in arrangements:
        if a["host_id"]:
            a["host"] = organisations[a["host_id"]]

    bodies = {}
    for body in _values(PUBLIC.visible(Body.objects.filter(arrangement_id__in=ids))).order_by(
        "name", "id"
    ):
        body.update(seats=[], kind_label=_label(Body.Kind, body["kind"]))
        body["powers_label"] = _label(Body.Powers, body["powers"])
        bodies[body["id"]] = body
        by_id[body["arrangement_id"]]["bodies"].append(body)
    seats = PUBLIC.visible(Seat.objects.filter(body_id__in=list(bodies)))
    seat_rows = seats.values(*_page_fields(Seat, page)).order_by("role", "person__name")
    for seat in seat_rows:
        seat.update(
            person=seat["person__name"],
            is_example=seat["person__is_example"],
            party=seat["party"] or seat["person__party"],
            role_label=_label(Seat.Role, seat["role"]),
            in_force=rules.seat_in_force(_dates(seat), today),
        )
        if not page:
            seat["appointed_by"] = (
                {"code": seat["appointed_by__code"], "name": seat["appointed_by__name"]}
                if seat["appointed_by_id"]
                else None
            )
        body = bodies[seat["body_id"]]
        seat["body"] = body["name"]
        body["seats"].append(seat)

    for row in _values(PUBLIC.visible(TotalCost.objects.filter(arrangement_id__in=ids))).order_by(
        "year"
    ):
        row["amount_sek"] = row["outcome"] if row["outcome"] is not None else row["budget"]
        by_id[row["arrangement_id"]]["total_costs"].append(row)
    costs = PUBLIC.visible(Cost.objects.filter(participation__arrangement_id__in=ids))
    if page and organisation is not None:  # see ``portfolio``
        costs = costs.filter(
            Q(participation__organisation_id=organisation["id"])
            | Q(year=year)
            | Q(participation__is_example=True)
        )
    for row in _values(costs).order_by("year"):
        row["organisation_id"] = row.pop("participation__organisation_id")
        row["arrangement_id"] = row.pop("participation__arrangement_id")
        row["is_example"] = row.pop("participation__is_example")
        # The best figure (rules.BEST_AMOUNT_FIELDS: outcome, else forecast, else budget).
        row["kind"] = rules.best_kind(SimpleNamespace(**row)) or ""
        row["kind_label"] = rules.AMOUNT_KINDS.get(row["kind"], "")
        row["amount_sek"] = row[row["kind"]] if row["kind"] else None
        by_id[row["arrangement_id"]]["costs"].append(row)

    # The organisation's page shows no goals, alternatives or goal conflicts (``portfolio``).
    if not page:
        goals = PUBLIC.visible(Goal.objects.filter(arrangement_id__in=ids))
        for row in _values(goals).order_by("sort_order", "title"):
            by_id[row["arrangement_id"]]["goals"].append(row)
        contributions = PUBLIC.visible(Contribution.objects.filter(arrangement_id__in=ids))
        for row in _values(contributions).order_by("goal__title"):
            by_id[row["arrangement_id"]]["contributions"].append(row)

    for model, key, order in (
        (Decision, "decisions", ("-date", "-id")),
        (Evaluation, "evaluations", ("-date", "-id")),
        *(
            ()
            if page
            else (
                (Alternative, "alternatives", ("kind", "id")),
                (GoalConflict, "goal_conflicts", ("id",)),
            )
        ),
    ):
        rows = _values(PUBLIC.visible(model.objects.filter(arrangement_id__in=ids)))
        for row in rows.order_by(*order):
            row["arrangement"] = {
                "name": by_id[row["arrangement_id"]]["name"],
                "is_example": by_id[row["arrangement_id"]]["is_example"],
            }
            row["arrangement_slug"] = by_id[row["arrangement_id"]]["slug"]
            if model is Decision:
                row["kind_label"] = _label(Decision.Kind, row["kind"])
                row["positions"] = []
            if model is Alternative:
                row["kind_label"] = _label(Alternative.Kind, row["kind"])
            if model is GoalConflict:
                row["status_label"] = _label(GoalConflict.Status, row["status"])
            if model is Evaluation:
                row["goal_attainment_label"] = _label(Evaluation.Attainment, row["goal_attainment"])
            by_id[row["arrangement_id"]][key].append(row)

    # The published positions: on the arrangement, and beside the joint body's decision they
    # produced when that decision is public too.
    decisions = {d["id"]: d for a in arrangements for d in a["decisions"]}
    for row in public_positions(ids):
        by_id[row["arrangement_id"]]["positions"].append(row)
        if row["decision_id"] in decisions:
            decisions[row["decision_id"]]["positions"].append(row)

    populations = {}  # the organisation's population by cost year, for ``_add_ours``
    for a in arrangements:
        # Invented figures or people in a real arrangement (the README's example data).
        a["has_example_parts"] = any(
            x["is_example"]
            for x in (*a["costs"], *a["decisions"], *(s for b in a["bodies"] for s in b["seats"]))
        )
        a["latest_evaluation"] = a["evaluations"][0] if a["evaluations"] else None
        a["deciding_bodies"] = [b for b in a["bodies"] if b["powers"] == Body.Powers.DECIDES]
        if organisation is not None:
            _add_ours(a, organisation, today, populations)
    return arrangements


# How a position ended, in words for citizens (the register's labels speak as "we").
PUBLIC_OUTCOMES = {
    Position.Outcome.AS_WANTED: "beslutet blev som {organisation} ville",
    Position.Outcome.OTHERWISE: "organet beslutade något annat",
    Position.Outcome.POSTPONED: "ärendet bordlades",
    Position.Outcome.WITHDRAWN: "ärendet drogs tillbaka",
}


def genitive(name: str) -> str:
    """Return a Swedish name in the genitive: "Täby kommun" -> "Täby kommuns", "Vaxholms" as it
    is, an abbreviation with a colon: "Roslagens Återvinning AB" -> "Roslagens Återvinning
    AB:s"."""
    if name.endswith(("s", "x", "z")):
        return name
    last = name.split()[-1] if name.split() else name
    if last.isupper() and len(last) > 1:
        return f"{name}:s"
    return f"{name}s"


def position_text(row: dict) -> str:
    """Return the one sentence every public view gives of a published position (pages, feed,
    open data): whose representatives argued for what, and how it ended."""
    text = f"{genitive(row['organisation'])} företrädare drev: {row['public_summary'].strip()}"
    ending = outcome_text(row)
    return f"{text.rstrip('.')}. Utfall: {ending}." if ending else text


def outcome_text(row: dict) -> str:
    """Return how a published position ended, in words for citizens."""
    return PUBLIC_OUTCOMES.get(row["outcome"], "").format(organisation=row["organisation"])


def public_positions(arrangement_ids) -> list[dict]:
    """Return the published positions on the published arrangements ``arrangement_ids``, latest
    meeting first, in one query: only those an editor has published (``Access``: published
    positions on published arrangements) on a meeting that was held, with an outcome and a
    summary for citizens, for Insyn says what was argued for and how it ended, never what is to
    be argued at a coming meeting."""
    positions = PUBLIC.visible(
        Position.objects.filter(item__meeting__body__arrangement_id__in=arrangement_ids)
    )
    rows = list(
        _values(
            positions.filter(item__meeting__status=Meeting.Status.HELD)
            .exclude(outcome="")
            .exclude(public_summary="")
        ).order_by("-item__meeting__starts_at", "id")
    )
    for row in rows:
        row.update(
            arrangement_id=row["item__meeting__body__arrangement_id"],
            organisation=row["organisation__name"],
            body=row["item__meeting__body__name"],
            item=row["item__title"],
            date=timezone.localtime(row["item__meeting__starts_at"]).date(),
            stance_label=_label(Position.Stance, row["stance"]),
            outcome_label=_label(Position.Outcome, row["outcome"]),
        )
        row["outcome_text"] = outcome_text(row)
        row["text"] = position_text(row)
    return rows


def _add_ours(a: dict, organisation: dict, today: dt.date, populations: dict) -> None:
    """Add what concerns ``organisation`` in the arrangement: its participation, whether it takes
    part today, its costs (and per inhabitant with the population of the cost's year, kept in
    ``populations`` by year for the next arrangement), its representatives (the seats held
    today)."""
    org_id = organisation["id"]
    a["our_participation"] = next(
        (p for p in a["participants"] if p["organisation_id"] == org_id), None
    )
    a["we_take_part"] = bool(
        a["ongoing"] and a["our_participation"] and a["our_participation"]["in_force"]
    )
    a["partners"] = [p for p in a["members"] if p["organisation_id"] != org_id]
    a["partners_text"] = join_names([p["name"] for p in a["partners"]])
    # Whom a citizen contacts: the organisation (always responsible for its service) and the
    # arrangement itself, each by its website where it is known (and is a web address).
    a["contacts"] = [
        {"name": name, "label": f"{genitive(name)} webbplats", "url": url}
        for name, url in (
            (organisation["name"], safe_url(organisation.get("website"))),
            (a["name"], safe_url(a["site_url"])),
        )
        if url
    ]
    a["our_costs"] = [c for c in a["costs"] if c["organisation_id"] == org_id]
    by_year = organisation.get("population_by_year", {})
    for cost in a["our_costs"]:
        if cost["year"] not in populations:
            populations[cost["year"]] = rules.population_in(cost["year"], by_year)
        population = populations[cost["year"]]
        cost["population_year"] = population.year if population else None
        cost["per_inhabitant"] = rules.per_inhabitant(
            cost["amount_sek"], population.population if population else None
        )
    year = rules.reference_year(today)
    a["our_reference_cost"] = next((c for c in a["our_costs"] if c["year"] == year), None)
    # Without a cost in the reference year, the latest one before it, named as such.
    a["our_earlier_cost"] = next(
        (c for c in reversed(a["our_costs"]) if c["year"] < year and c["amount_sek"] is not None),
        None,
    )
    a["reference_year"] = year
    a["our_seats"] = [
        s
        for b in a["bodies"]
        for s in b["seats"]
        if s["appointed_by_id"] == org_id and s["in_force"]
    ]
    a["our_goals"] = [c for c in a["contributions"] if c["goal__organisation_id"] == org_id]
    _add_summary_texts(a)


def _add_summary_texts(a: dict) -> None:
    """Add the organisation page's lists for one arrangement as the page writes them (its
    service areas, who decides, our representatives), made once here rather than by template
    loops, for the page lists hundreds of arrangements."""
    a["areas_text"] = ", ".join(str(area["name"]) for area in a["areas"]) if a["areas"] else "–"
    if a["deciding_bodies"]:
        a["deciding_text"] = ", ".join(str(b["name"]) for b in a["deciding_bodies"])
    elif a["host"]:
        a["deciding_text"] = f"{a['host']['name']} (värd)"
    else:
        a["deciding_text"] = "Varje part i sina egna nämnder"
    where = len(a["bodies"]) > 1
    a["our_seats_text"] = (
        "; ".join(
            f"{name_with_party(s['person'], s['party'])}, {str(s['role_label']).lower()}"
            + (f" i {s['body']}" if where else "")
            for s in a["our_seats"]
        )
        if a["our_seats"]
        else "Inga registrerade"
    )


def who_is_responsible(p: Portfolio) -> list[dict]:
    """Return, for each service area, the arrangements the organisation takes part in today
    (an ended one decides nothing) with their deciding bodies, their members, our
    representatives and our responsible committee."""
    areas: dict[str, dict] = {}
    for a in p.ongoing:
        for area in a["areas"] or [{"name": "Övrigt", "slug": "ovrigt"}]:
            entry = areas.setdefault(area["slug"], {**area, "arrangements": []})
            entry["arrangements"].append(a)
    return list(areas.values())


def whole_register() -> list[dict]:
    """Return every published arrangement as a document (the bulk download)."""
    ids = list(PUBLIC.arrangements().order_by("name", "id").values_list("id", flat=True))
    return arrangement_documents(ids)


def sitemap_arrangements():
    return PUBLIC.arrangements().order_by("id").values("id", "name", "updated_at")


def governing_documents(arrangement_id: int) -> list[dict]:
    """Return the published governing documents of a published arrangement (one query): by
    kind, current versions first, each older one with ``replaced_by`` (the published version
    that replaced it). Their files are served by ``public:document_download`` only."""
    rows = list(
        _values(
            PUBLIC.documents(Document.objects.filter(arrangement_id=arrangement_id)).exclude(
                file=""
            )
        ).order_by("kind", "-id")
    )
    by_id = {row["id"]: row for row in rows}
    order = {value: n for n, value in enumerate(Document.Kind.values)}
    for row in rows:
        row.update(kind_label=_label(Document.Kind, row["kind"]), replaced_by=None)
    for row in rows:
        older = by_id.get(row["supersedes_id"])
        if older is not None:
            older["replaced_by"] = row
    rows.sort(key=lambda r: (order.get(r["kind"], 99), r["replaced_by"] is not None, -r["id"]))
    return rows


def public_document(pk: int):
    """Return the document anyone may download (published, of a published arrangement, with a
    file), with only what the download needs, or None."""
    return (
        PUBLIC.documents(Document.objects.filter(pk=pk))
        .exclude(file="")
        .only("id", "file", "file_name", "content_type")
        .first()
    )
