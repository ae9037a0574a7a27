"""The partner network (networkx): pure functions fed by plain data, no ORM.

``register/selectors/network.py`` reads what Access lets the user see into a ``NetworkData``;
everything here works on that, so it is tested without a database. The network:

* a bipartite graph organisations–arrangements from the participations in force on a date
  (an ended arrangement or a participation that has left is out unless history is asked for);
* projected onto the organisations with two weights on each tie: ``shared`` (arrangements in
  common) and ``money`` (both parties' costs in those arrangements, in the network's cost year);
* figures per organisation, for a county or the nation, and influence against cost.

Where a figure cannot be computed, the reason is given in Swedish instead of a number.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx

from . import rules

# --- Plain data ------------------------------------------------------------------------------

MUNICIPALITY = "municipality"
REGION = "region"
# The kind filter: slug -> (Swedish label, the organisation kinds kept; None = all).
KINDS: dict[str, tuple[str, frozenset | None]] = {
    "municipality": ("Kommuner", frozenset({MUNICIPALITY})),
    "municipality_region": ("Kommuner och regioner", frozenset({MUNICIPALITY, REGION})),
    "all": ("Alla organisationer", None),
}
LOUVAIN_SEED = 1


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    kind: str
    code: str | None = None
    county_code: str | None = None
    county_name: str | None = None
    population: int | None = None  # in the network's cost year (``rules.population_in``)
    population_year: int | None = None  # the year the population figure is from

    @property
    def key(self) -> str:
        """The organisation's code, or ``id:<pk>`` for one without a code."""
        return self.code or f"id:{self.id}"


@dataclass(frozen=True)
class Arr:
    id: int
    name: str
    form_slug: str | None = None
    #: The kind of the form's own deciding body (``rules.deciding_body``), "" when it has none.
    deciding_kind: str = ""
    status: str = "active"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    total_cost: int | None = None  # the arrangement's total in the cost year (best figure)


@dataclass(frozen=True)
class Part:
    arrangement_id: int
    organisation_id: int
    role: str = "member"
    joined: dt.date | None = None
    left: dt.date | None = None
    cost: int | None = None  # this participant's cost in the cost year (best figure)
    cost_share: Decimal | None = None  # the agreed cost-share key, per cent
    cost_kind: str | None = None  # which figure ``cost`` is: "outcome", "forecast", "budget"


@dataclass(frozen=True)
class BodyRow:
    id: int
    arrangement_id: int
    name: str
    kind: str
    powers: str
    seat_count: int | None = None  # the body's ordinary seats, when known


@dataclass(frozen=True)
class SeatRow:
    body_id: int
    appointed_by_id: int
    role: str
    term_start: dt.date | None = None
    term_end: dt.date | None = None  # the term's last day


@dataclass
class NetworkData:
    orgs: dict[int, Org]
    arrangements: dict[int, Arr]
    participations: list[Part]
    bodies: list[BodyRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    cost_year: int | None = None


# --- The graph ---------------------------------------------------------------------------------


def in_force(data: NetworkData, *, on: dt.date, include_ended: bool = False) -> list[Part]:
    """Return the participations in the network on ``on``.

    Without history: the arrangement is ongoing (``rules.is_ongoing``) and the participation in
    force (``rules.member_in_force``) on that day. With history every participation counts.
    """
    if include_ended:
        return [p for p in data.participations if p.arrangement_id in data.arrangements]
    kept = []
    for p in data.participations:
        a = data.arrangements.get(p.arrangement_id)
        if a is not None and rules.takes_part(a, p, on):
            kept.append(p)
    return kept


def kept_kinds(kind: str) -> frozenset | None:
    return KINDS.get(kind, KINDS["all"])[1]


def bipartite(
    data: NetworkData, *, on: dt.date, include_ended: bool = False, kind: str = "all"
) -> nx.Graph:
    """Return the bipartite graph: nodes ("o", id) with bipartite=0 and ("a", id) with 1."""
    kinds = kept_kinds(kind)
    graph = nx.Graph()
    for org in data.orgs.values():
        if kinds is None or org.kind in kinds:
            graph.add_node(("o", org.id), bipartite=0)
    for p in in_force(data, on=on, include_ended=include_ended):
        node = ("o", p.organisation_id)
        if node not in graph:
            continue
        graph.add_node(("a", p.arrangement_id), bipartite=1)
        graph.add_edge(node, ("a", p.arrangement_id), cost=p.cost)
    return graph


def project(bip: nx.Graph, *, around: int | None = None) -> nx.Graph:
    """Project the bipartite graph onto the organisations (node = organisation id).

    Each tie has ``shared`` (arrangements in common) and ``money`` (the sum of both parties' known
    costs in those arrangements); ``arrangements`` lists the shared arrangement ids. With
    ``around`` (an organisation's id) only that organisation's ties are made, the same as in the
    whole projection and in the same order, for a page that shows one organisation's partners.

    Written out rather than networkx's ``bipartite.generic_weighted_projected_graph``, which gives
    the same graph but intersects the arrangements of every pair of organisations twice where
    this walks each arrangement's members once (``bench/network.py`` measures both).
    """
    graph = nx.Graph()
    graph.add_nodes_from(n[1] for n, d in bip.nodes(data=True) if d["bipartite"] == 0)
    ties: dict[tuple[int, int], list] = {}
    for a in (n for n, d in bip.nodes(data=True) if d["bipartite"] == 1):
        members = sorted((m[1], bip[m][a]["cost"] or 0) for m in bip[a])
        pairs = itertools.combinations(members, 2)
        if around is not None:
            mine = next((m for m in members if m[0] == around), None)
            if mine is None:
                continue
            pairs = [(m, mine) if m < mine else (mine, m) for m in members if m is not mine]
        for (u, cu), (v, cv) in pairs:
            tie = ties.get((u, v))
            if tie is None:
                ties[(u, v)] = [1, cu + cv, [a[1]]]
            else:
                tie[0] += 1
                tie[1] += cu + cv
                tie[2].append(a[1])
    graph.add_edges_from(
        (u, v, {"shared": shared, "money": money, "arrangements": arrangements})
        for (u, v), (shared, money, arrangements) in ties.items()
    )
    return graph


@dataclass
class Network:
    """The network as it stood on a date, for the kinds kept."""

    data: NetworkData
    bip: nx.Graph
    graph: nx.Graph
    on: dt.date
    include_ended: bool
    kind: str

    def members(self, arrangement_id: int) -> list[int]:
        cache = self.__dict__.setdefault("_members", {})
        if arrangement_id not in cache:
            node = ("a", arrangement_id)
            cache[arrangement_id] = sorted(n[1] for n in self.bip[node]) if node in self.bip else []
        return cache[arrangement_id]

    def arrangements_of(self, org_id: int) -> list[int]:
        node = ("o", org_id)
        return sorted(n[1] for n in self.bip[node]) if node in self.bip else []

    def cost(self, org_id: int, arrangement_id: int) -> int | None:
        return self.bip[("o", org_id)][("a", arrangement_id)]["cost"]


def build(
    data: NetworkData,
    *,
    on: dt.date | None = None,
    include_ended: bool = False,
    kind: str = "all",
    around: int | None = None,
) -> Network:
    """The network on ``on``; with ``around``, its graph holds only that organisation's ties
    (``project``)."""
    on = on or rules.today()
    kind = kind if kind in KINDS else "all"
    bip = bipartite(data, on=on, include_ended=include_ended, kind=kind)
    return Network(
        data=data,
        bip=bip,
        graph=project(bip, around=around),
        on=on,
        include_ended=include_ended,
        kind=kind,
    )


# --- Figures per organisation (item 2) -------------------------------------------------------


@dataclass
class OrgFigures:
    org: Org
    arrangements: int
    partners: int
    weighted_degree: int  # the sum of shared arrangements over all partners
    money_degree: int  # the sum of shared money over all partners
    top_partner_shared: tuple[Org, int] | None
    top_partner_money: tuple[Org, int] | None
    cross_county_partners: list[Org]
    distinct_partner_groups: int
    minority_cost_share: float | None  # 0..1
    minority_cost_reason: str = ""

    def as_json(self) -> dict:
        def partner(pair):
            if pair is None:
                return None
            org, value = pair
            return {"code": org.code, "name": org.name, "value": value}

        return {
            "name": self.org.name,
            "arrangements": self.arrangements,
            "partners": self.partners,
            "weighted_degree": self.weighted_degree,
            "weighted_degree_money": self.money_degree,
            "top_partner_shared": partner(self.top_partner_shared),
            "top_partner_money": partner(self.top_partner_money),
            "cross_county_partners": len(self.cross_county_partners),
            "distinct_partner_groups": self.distinct_partner_groups,
            "minority_cost_share": (
                None if self.minority_cost_share is None else round(self.minority_cost_share, 4)
            ),
            "minority_cost_reason": self.minority_cost_reason or None,
        }


def _top(net: Network, org_id: int, weight: str) -> tuple[Org, int] | None:
    best = None
    for partner, edge in net.graph[org_id].items():
        org = net.data.orgs[partner]
        key = (-edge[weight], org.name, partner)
        if best is None or key < best[0]:
            best = (key, org, edge[weight])
    if best is None or best[2] <= 0:
        return None
    return best[1], best[2]


def crosses_county(a: Org, b: Org) -> bool:
    """Return whether a tie between ``a`` and ``b`` crosses a county border (both counties known)."""
    return bool(a.county_code and b.county_code and a.county_code != b.county_code)


def partner_groups(net: Network, org_id: int) -> set[frozenset[int]]:
    """Return the distinct sets of co-members over the organisation's arrangements (an arrangement
    where it has no partner is no group)."""
    groups = set()
    for a in net.arrangements_of(org_id):
        others = frozenset(m for m in net.members(a) if m != org_id)
        if others:
            groups.add(others)
    return groups


def partners_on(data: NetworkData, org_id: int, *, on: dt.date) -> set[int]:
    """Return the organisations that share an arrangement with ``org_id`` on ``on``: its
    neighbours in ``build(data, on=on).graph`` (every kind, without history), found without
    building the graph (the overview needs no more of it)."""
    parts = [p for p in in_force(data, on=on) if p.organisation_id in data.orgs]
    ours = {p.arrangement_id for p in parts if p.organisation_id == org_id}
    return {p.organisation_id for p in parts if p.arrangement_id in ours} - {org_id}


def cross_county_partners(data: NetworkData, org_id: int, partner_ids) -> list[Org]:
    """Return the partners (``partner_ids``) of ``org_id`` in another county, by name."""
    org = data.orgs[org_id]
    return sorted(
        (data.orgs[p] for p in partner_ids if crosses_county(org, data.orgs[p])),
        key=lambda o: o.name,
    )


def org_figures(net: Network, org_id: int, influence: list | None = None) -> OrgFigures:
    """Return the figures of item 2 for one organisation (which must be a node of ``net``).

    ``influence`` (the organisation's rows from ``influence_rows``) gives the share of its cost
    in arrangements where it holds a minority of the seats; without it that figure is not computed.
    """
    org = net.data.orgs[org_id]
    edges = net.graph[org_id] if org_id in net.graph else {}
    cross = cross_county_partners(net.data, org_id, edges)
    share, reason = (None, "Inflytandet är inte beräknat.")
    if influence is not None:
        share, reason = minority_cost_share(influence)
    return OrgFigures(
        org=org,
        arrangements=len(net.arrangements_of(org_id)),
        partners=len(edges),
        weighted_degree=sum(e["shared"] for e in edges.values()),
        money_degree=sum(e["money"] for e in edges.values()),
        top_partner_shared=_top(net, org_id, "shared") if edges else None,
        top_partner_money=_top(net, org_id, "money") if edges else None,
        cross_county_partners=cross,
        distinct_partner_groups=len(partner_groups(net, org_id)),
        minority_cost_share=share,
        minority_cost_reason=reason,
    )


def minority_cost_share(rows: list[InfluenceRow]) -> tuple[float | None, str]:
    """Return (share of our cost in arrangements where we hold a minority of the seats, reason).

    The whole is our known cost over all our arrangements in the cost year; an arrangement whose
    seat share cannot be computed is in the whole but never counted as a minority, and the reason
    says how much of the cost that is.
    """
    total = sum(r.own_cost for r in rows if r.own_cost)
    if not total:
        return None, "Inga kostnader är registrerade för året."
    minority = sum(r.own_cost for r in minority_rows(rows) if r.own_cost)
    unknown = sum(r.own_cost for r in rows if r.own_cost and r.seat_share is None)
    note = ""
    if unknown:
        note = (
            f"{rules.format_percent(100 * unknown / total)} av kostnaden gäller samverkan där "
            "platserna i det beslutande organet inte är kända."
        )
    return minority / total, note


def minority_rows(rows: list[InfluenceRow]) -> list[InfluenceRow]:
    """Return the rows (arrangements) where we hold a minority of the seats (``is_minority``)."""
    return [r for r in rows if r.is_minority]


def all_org_figures(net: Network, org_ids=None, influence=None) -> list[OrgFigures]:
    """Return ``org_figures`` for ``org_ids`` (every node when None), sorted by name.
    ``influence`` is ``influence_by_org``'s answer, for the minority cost share."""
    ids = net.graph.nodes if org_ids is None else [i for i in org_ids if i in net.graph]
    figures = [
        org_figures(net, i, None if influence is None else influence.get(i, [])) for i in ids
    ]
    return sorted(figures, key=lambda f: (f.org.name, f.org.id))


# --- Figures for a county and the nation (item 3) --------------------------------------------


@dataclass
class AreaFigures:
    orgs: list[int]  # the organisations in scope (sorted by name)
    communities: list[list[int]]  # largest first, each sorted by name
    community_of: dict[int, int]  # organisation -> community number (1-based)
    betweenness: dict[int, float]
    most_connected: list[OrgFigures]
    cross_county_ties: list[tuple[int, int, dict]]
    without_arrangement: list[int]
    figures: dict[int, OrgFigures]


def area_figures(
    net: Network, *, county_code: str | None = None, top: int = 10, betweenness_sample: int = 0
) -> AreaFigures:
    """Return the figures of item 3 for a county (``county_code``) or the nation (None).

    Communities are Louvain's with a fixed seed, on the ties among the organisations in scope
    weighted by shared arrangements; betweenness is on the same (unweighted) graph. Cross-county
    ties are those with at least one end in scope. ``betweenness_sample`` > 0 estimates
    betweenness from that many sources (seeded) for a large graph.
    """
    orgs = net.data.orgs
    scope = [
        n for n in net.graph.nodes if county_code is None or orgs[n].county_code == county_code
    ]
    scope.sort(key=lambda n: (orgs[n].name, n))
    in_scope = set(scope)
    # A plain graph of the ties within scope (graph views make the algorithms several times slower).
    # Nodes by name and ties in a fixed order, so that Louvain's answer depends on the data only.
    core = nx.Graph()
    core.add_nodes_from(scope)
    ties = sorted(
        (min(u, v), max(u, v), e["shared"])
        for u, v, e in net.graph.edges(data=True)
        if u in in_scope and v in in_scope
    )
    core.add_weighted_edges_from(ties, weight="shared")
    core.remove_nodes_from([n for n in scope if core.degree(n) == 0])
    connected = [n for n in scope if n in core]
    communities = (
        nx.community.louvain_communities(core, weight="shared", seed=LOUVAIN_SEED)
        if connected
        else []
    )
    ordered = sorted(
        (sorted(c, key=lambda n: (orgs[n].name, n)) for c in communities),
        key=lambda c: (-len(c), orgs[c[0]].name),
    )
    community_of = {n: i for i, c in enumerate(ordered, 1) for n in c}
    if betweenness_sample and len(core) > betweenness_sample:
        between = nx.betweenness_centrality(core, k=betweenness_sample, seed=LOUVAIN_SEED)
    else:
        between = nx.betweenness_centrality(core) if connected else {}
    figures = {n: org_figures(net, n) for n in scope}
    most = sorted(
        (figures[n] for n in connected),
        key=lambda f: (-f.partners, -f.weighted_degree, f.org.name),
    )[:top]
    cross = []
    for u, v, edge in net.graph.edges(data=True):
        if (u in in_scope or v in in_scope) and crosses_county(orgs[u], orgs[v]):
            a, b = sorted((u, v), key=lambda n: (orgs[n].name, n))
            cross.append((a, b, edge))
    cross.sort(key=lambda t: (-t[2]["shared"], -t[2]["money"], orgs[t[0]].name, orgs[t[1]].name))
    without = [n for n in scope if not net.arrangements_of(n)]
    return AreaFigures(
        orgs=scope,
        communities=ordered,
        community_of=community_of,
        betweenness={n: between.get(n, 0.0) for n in scope},
        most_connected=most,
        cross_county_ties=cross,
        without_arrangement=without,
        figures=figures,
    )


# --- Influence against cost (item 4) ---------------------------------------------------------


@dataclass
class InfluenceRow:
    arrangement: Arr
    org: Org
    body: BodyRow | None
    seats: int | None
    seats_total: int | None  # the denominator: the body's seats, or the registered seats
    seat_share: float | None
    seat_reason: str
    own_cost: int | None
    cost_share: float | None
    cost_basis: str  # "total", "sum", "key" or ""
    cost_reason: str
    population_share: float | None
    population_reason: str
    seat_basis: str = ""  # "seat_count" or "registered" (``rules.seat_share``)
    seat_problem: str = ""  # a data problem for the editor (more seats registered than exist)
    own_cost_kind: str | None = None  # "outcome", "forecast" or "budget"
    cost_year: int | None = None

    #: What the flag says, with the rule's threshold.
    FLAG_TEXT = (
        f"Platsandelen ligger mer än {rules.INFLUENCE_GAP_POINTS} procentenheter under "
        "kostnadsandelen."
    )

    @property
    def flagged(self) -> bool:
        """The seat share is more than INFLUENCE_GAP_POINTS percentage points below the cost share."""
        if self.seat_share is None or self.cost_share is None:
            return False
        return round((self.cost_share - self.seat_share) * 100, 6) > rules.INFLUENCE_GAP_POINTS

    @property
    def is_minority(self) -> bool:
        """We hold fewer than half of the ordinary seats (unknown seats: never a minority)."""
        return self.seat_share is not None and self.seat_share < 0.5

    COST_BASES = {
        "total": "av samverkans totala kostnad",
        "sum": "av parternas sammanlagda kostnad",
        "key": "enligt fördelningsnyckeln",
    }

    @property
    def cost_basis_label(self) -> str:
        return self.COST_BASES.get(self.cost_basis, "")


def _names(orgs: list[Org]) -> str:
    names = sorted(o.name for o in orgs)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " och " + names[-1]


def _parties(n: int) -> str:
    return f"{n} part" if n == 1 else f"{n} parter"


def influence_rows(
    data: NetworkData,
    org_id: int,
    *,
    on: dt.date | None = None,
    include_ended: bool = False,
) -> list[InfluenceRow]:
    """Return, for each arrangement the organisation takes part in, its influence against cost.

    Seat share: our ordinary seats (not substitutes) in the deciding body (``rules``) over all its
    ordinary seats. Cost share in the cost year: our cost over the arrangement's total where known,
    else over the sum of all participants' costs when every one is known, else the agreed cost-share
    key. Population share: our inhabitants over the member municipalities' (a region's and an
    agency's inhabitants are the municipalities'). Every participant counts, whatever its kind.
    """
    return influence_by_org(data, [org_id], on=on, include_ended=include_ended).get(org_id, [])


def influence_by_org(
    data: NetworkData, org_ids=None, *, on: dt.date | None = None, include_ended: bool = False
) -> dict[int, list[InfluenceRow]]:
    """Return ``influence_rows`` for each of ``org_ids`` (every participant when None) at once."""
    on = on or rules.today()
    parts = in_force(data, on=on, include_ended=include_ended)
    wanted = None if org_ids is None else set(org_ids)
    by_arrangement: dict[int, list[Part]] = defaultdict(list)
    for p in parts:
        by_arrangement[p.arrangement_id].append(p)
    bodies: dict[int, list[BodyRow]] = defaultdict(list)
    for b in data.bodies:
        bodies[b.arrangement_id].append(b)
    seats: dict[int, list[SeatRow]] = defaultdict(list)
    for s in data.seats:
        seats[s.body_id].append(s)
    result: dict[int, list[InfluenceRow]] = defaultdict(list)
    for p in parts:
        if wanted is not None and p.organisation_id not in wanted:
            continue
        arrangement = data.arrangements[p.arrangement_id]
        members = by_arrangement[p.arrangement_id]
        org = data.orgs[p.organisation_id]
        result[org.id].append(
            _influence_row(arrangement, org, p, members, bodies[arrangement.id], seats, data, on)
        )
    for rows in result.values():
        rows.sort(key=lambda r: (r.arrangement.name, r.arrangement.id))
    return dict(result)


def _influence_row(arrangement, org, own: Part, members, bodies, seats, data, on) -> InfluenceRow:
    # Seats: ours of the deciding body's ordinary seats in force (``rules.seat_share``).
    body = rules.choose_deciding_body(arrangement.deciding_kind, bodies)
    share = None
    if body is None:
        seat_reason = "Inget beslutande organ är registrerat."
    else:
        ordinary = [
            s
            for s in seats[body.id]
            if s.role in rules.ORDINARY_SEAT_ROLES and rules.seat_in_force(s, on)
        ]
        appointing = {s.appointed_by_id for s in ordinary}
        share = rules.seat_share(
            body_name=body.name,
            ours=sum(1 for s in ordinary if s.appointed_by_id == org.id),
            registered=len(ordinary),
            seat_count=body.seat_count,
            unregistered=sorted(
                data.orgs[m.organisation_id].name
                for m in members
                if m.organisation_id not in appointing
            ),
        )
        seat_reason = share.reason
    # Cost
    cost_share, basis, cost_reason = None, "", ""
    year = data.cost_year
    missing = [data.orgs[m.organisation_id] for m in members if m.cost is None]
    if year is None:
        cost_reason = "Inga kostnader är registrerade."
    elif own.cost is not None and arrangement.total_cost:
        cost_share, basis = own.cost / arrangement.total_cost, "total"
    elif not missing and sum(m.cost for m in members) > 0:
        cost_share, basis = own.cost / sum(m.cost for m in members), "sum"
    elif own.cost_share is not None:
        cost_share, basis = float(own.cost_share) / 100, "key"
    elif own.cost is None:
        cost_reason = f"Vår kostnad för {year} saknas och ingen kostnadsandel är registrerad."
    elif missing:
        cost_reason = (
            f"Kostnaden för {year} saknas för {_parties(len(missing))} ({_names(missing)}), "
            "samverkans totala kostnad är inte känd och ingen kostnadsandel är registrerad."
        )
    else:
        cost_reason = f"Parternas kostnader för {year} är noll."
    # Population: the member municipalities'
    population_share, population_reason = None, ""
    municipalities = [data.orgs[m.organisation_id] for m in members]
    municipalities = [o for o in municipalities if o.kind == MUNICIPALITY]
    unknown = [o for o in municipalities if o.population is None]
    if org.kind != MUNICIPALITY:
        population_reason = "Andelen av folkmängden räknas bara för kommuner."
    elif unknown:
        population_reason = f"Folkmängden saknas för {_names(unknown)}."
    else:
        whole = sum(o.population for o in municipalities)
        if whole:
            population_share = org.population / whole
        else:
            population_reason = "Kommunernas folkmängd är noll."
    return InfluenceRow(
        arrangement=arrangement,
        org=org,
        body=body,
        seats=share.ours if share else None,
        seats_total=share.whole if share else None,
        seat_share=share.share if share else None,
        seat_reason=seat_reason,
        seat_basis=share.basis if share else "",
        seat_problem=share.problem if share else "",
        own_cost_kind=own.cost_kind,
        cost_year=data.cost_year,
        own_cost=own.cost,
        cost_share=cost_share,
        cost_basis=basis,
        cost_reason=cost_reason,
        population_share=population_share,
        population_reason=population_reason,
    )


# --- Exports ---------------------------------------------------------------------------------


def export_graph(net: Network, nodes=None) -> nx.Graph:
    """Return a copy of the projected graph (restricted to ``nodes``) whose attributes are plain
    strings and integers, which the GEXF and GraphML writers accept."""
    orgs = net.data.orgs
    graph = nx.Graph()
    keep = set(net.graph.nodes if nodes is None else nodes)
    for n in sorted(keep):
        org = orgs[n]
        graph.add_node(
            org.key,
            label=org.name,
            kind=org.kind,
            county=org.county_code or "",
            population=int(org.population or 0),
            arrangements=len(net.arrangements_of(n)),
        )
    for u, v, edge in net.graph.edges(data=True):
        if u in keep and v in keep:
            names = [net.data.arrangements[a].name for a in sorted(edge["arrangements"])]
            graph.add_edge(
                orgs[u].key,
                orgs[v].key,
                shared=int(edge["shared"]),
                money=int(edge["money"]),
                weight=int(edge["shared"]),
                arrangements="; ".join(names),
            )
    return graph
