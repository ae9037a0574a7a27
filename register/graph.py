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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

import networkx as nx
import rustworkx as rx

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


def _kept(
    data: NetworkData, *, on: dt.date, include_ended: bool, kind: str
) -> tuple[list[int], list[Part]]:
    """Return the organisations of the kinds kept (in ``data.orgs``'s order) and the
    participations in force (``in_force``) of those organisations."""
    kinds = kept_kinds(kind)
    org_ids = [o.id for o in data.orgs.values() if kinds is None or o.kind in kinds]
    kept = set(org_ids)
    parts = [
        p for p in in_force(data, on=on, include_ended=include_ended) if p.organisation_id in kept
    ]
    return org_ids, parts


def _bipartite(org_ids: list[int], parts: list[Part]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from((("o", o), {"bipartite": 0}) for o in org_ids)
    # Arrangements in the order of their first participation, ties in the participations' order
    # (a second participation of the same organisation keeps the tie, with its own cost).
    graph.add_nodes_from(
        (("a", a), {"bipartite": 1}) for a in dict.fromkeys(p.arrangement_id for p in parts)
    )
    graph.add_edges_from(
        (("o", p.organisation_id), ("a", p.arrangement_id), {"cost": p.cost}) for p in parts
    )
    return graph


def bipartite(
    data: NetworkData, *, on: dt.date, include_ended: bool = False, kind: str = "all"
) -> nx.Graph:
    """Return the bipartite graph: nodes ("o", id) with bipartite=0 and ("a", id) with 1."""
    return _bipartite(*_kept(data, on=on, include_ended=include_ended, kind=kind))


def project(bip: nx.Graph) -> nx.Graph:
    """Project the bipartite graph onto the organisations (node = organisation id).

    Each tie has ``shared`` (arrangements in common) and ``money`` (the sum of both parties' known
    costs in those arrangements); ``arrangements`` lists the shared arrangement ids.

    Written out rather than networkx's ``bipartite.generic_weighted_projected_graph``, which gives
    the same graph but intersects the arrangements of every pair of organisations twice where
    this walks each arrangement's members once (``bench/network.py`` measures both).
    """
    org_ids, members = [], {}
    for (side, pk), neighbours in bip.adjacency():
        if side == "o":
            org_ids.append(pk)
        else:
            members[pk] = {o: tie["cost"] for (_, o), tie in neighbours.items()}
    return _projection(org_ids, members)


def _projection(
    org_ids: list[int], members: dict[int, dict[int, int | None]], *, around: int | None = None
) -> nx.Graph:
    """``project``'s graph from the organisations and each arrangement's members with their
    costs (arrangements in the bipartite graph's order); with ``around``, only that
    organisation's ties."""
    ties: dict[tuple[int, int], list] = {}
    get = ties.get
    for a, costs in members.items():
        pairs = sorted((o, c or 0) for o, c in costs.items())
        if around is None:
            pairs = itertools.combinations(pairs, 2)
        else:
            mine = next((m for m in pairs if m[0] == around), None)
            if mine is None:
                continue
            pairs = [(m, mine) if m < mine else (mine, m) for m in pairs if m is not mine]
        for (u, cu), (v, cv) in pairs:
            tie = get((u, v))
            if tie is None:
                ties[(u, v)] = [1, cu + cv, [a]]
            else:
                tie[0] += 1
                tie[1] += cu + cv
                tie[2].append(a)
    graph = nx.Graph()
    graph.add_nodes_from(org_ids)
    graph.add_edges_from(
        (u, v, {"shared": shared, "money": money, "arrangements": arrangements})
        for (u, v), (shared, money, arrangements) in ties.items()
    )
    return graph


@dataclass
class Network:
    """The network as it stood on a date, for the kinds kept."""

    #: Names this class's fields: a cache that keeps a pickled Network names it in its key, so
    #: change it with the fields.
    SHAPE: ClassVar[str] = "n2"

    data: NetworkData
    graph: nx.Graph
    on: dt.date
    include_ended: bool
    kind: str
    #: The organisations of the kinds kept and their participations in force (``_kept``).
    org_ids: list[int] = field(repr=False)
    parts: list[Part] = field(repr=False)
    #: Each arrangement's members with their cost (``_members``).
    member_costs: dict[int, dict[int, int | None]] = field(repr=False)

    @cached_property
    def bip(self) -> nx.Graph:
        """The bipartite graph (``bipartite``), made when first asked for: the figures need only
        its plain rows."""
        return _bipartite(self.org_ids, self.parts)

    @cached_property
    def arrangements_by_org(self) -> dict[int, dict[int, None]]:
        """Each organisation's arrangements (as the keys of a dict)."""
        found: dict[int, dict[int, None]] = {}
        for p in self.parts:
            found.setdefault(p.organisation_id, {})[p.arrangement_id] = None
        return found

    def members(self, arrangement_id: int) -> list[int]:
        cache = self.__dict__.setdefault("_members", {})
        if arrangement_id not in cache:
            cache[arrangement_id] = sorted(self.member_costs.get(arrangement_id, ()))
        return cache[arrangement_id]

    def arrangements_of(self, org_id: int) -> list[int]:
        return sorted(self.arrangements_by_org.get(org_id, ()))

    def cost(self, org_id: int, arrangement_id: int) -> int | None:
        return self.member_costs[arrangement_id][org_id]

    @cached_property
    def ties(self) -> dict[int, dict[int, dict]]:
        """Each organisation's ties: partner -> the tie's attributes (``graph``'s own dicts, in
        its order; read them, never change them)."""
        return dict(self.graph.adjacency())

    @cached_property
    def partner_groups(self) -> Counter:
        """Each organisation's number of distinct partner groups: the distinct sets of co-members
        over its arrangements (an arrangement where it has no partner is no group). Two of its
        arrangements have the same partners exactly when they have the same members, so this
        counts, for every distinct set of two or more members, each of them once."""
        groups = {frozenset(m) for m in self.member_costs.values() if len(m) > 1}
        return Counter(o for members in groups for o in members)


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
    org_ids, parts = _kept(data, on=on, include_ended=include_ended, kind=kind)
    members = _members(parts)
    return Network(
        data=data,
        graph=_projection(org_ids, members, around=around),
        on=on,
        include_ended=include_ended,
        kind=kind,
        org_ids=org_ids,
        parts=parts,
        member_costs=members,
    )


def _members(parts: list[Part]) -> dict[int, dict[int, int | None]]:
    """Each arrangement's members with their cost, arrangements and members in the order of their
    first participation (as in the bipartite graph; a second participation of the same
    organisation gives its cost, as it does there)."""
    members: dict[int, dict[int, int | None]] = {}
    for p in parts:
        members.setdefault(p.arrangement_id, {})[p.organisation_id] = p.cost
    return members


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


def _top(orgs: dict[int, Org], ties: dict[int, dict], weight: str, best) -> tuple[Org, int] | None:
    """The partner with the largest ``weight`` (``best``; ties broken by name, then id), or None
    when no partner has any."""
    if best <= 0:
        return None
    partner = min(
        (p for p, tie in ties.items() if tie[weight] == best), key=lambda p: (orgs[p].name, p)
    )
    return orgs[partner], best


def crosses_county(a: Org, b: Org) -> bool:
    """Return whether a tie between ``a`` and ``b`` crosses a county border (both counties known)."""
    return bool(a.county_code and b.county_code and a.county_code != b.county_code)


def partners_on(data: NetworkData, org_id: int, *, on: dt.date) -> set[int]:
    """Return the organisations that share an arrangement with ``org_id`` on ``on``: its
    neighbours in ``build(data, on=on).graph`` (every kind, without history), found without
    building the graph (the overview needs no more of it)."""
    parts = [p for p in in_force(data, on=on) if p.organisation_id in data.orgs]
    ours = {p.arrangement_id for p in parts if p.organisation_id == org_id}
    return {p.organisation_id for p in parts if p.arrangement_id in ours} - {org_id}


def cross_county_partners(data: NetworkData, org_id: int, partner_ids) -> list[Org]:
    """Return the partners (``partner_ids``) of ``org_id`` in another county, by name."""
    county = data.orgs[org_id].county_code
    if not county:
        return []
    orgs = data.orgs
    return sorted(
        (
            o
            for o in map(orgs.__getitem__, partner_ids)
            if o.county_code and o.county_code != county
        ),
        key=lambda o: o.name,
    )


def org_figures(net: Network, org_id: int, influence: list | None = None) -> OrgFigures:
    """Return the figures of item 2 for one organisation (which must be a node of ``net``).

    ``influence`` (the organisation's rows from ``influence_rows``) gives the share of its cost
    in arrangements where it holds a minority of the seats; without it that figure is not computed.
    """
    orgs = net.data.orgs
    ties = net.ties.get(org_id, {})
    share, reason = (None, "Inflytandet är inte beräknat.")
    if influence is not None:
        share, reason = minority_cost_share(influence)
    shared = money = most_shared = most_money = 0
    for tie in ties.values():
        s, m = tie["shared"], tie["money"]
        shared += s
        money += m
        if s > most_shared:
            most_shared = s
        if m > most_money:
            most_money = m
    return OrgFigures(
        org=orgs[org_id],
        arrangements=len(net.arrangements_by_org.get(org_id, ())),
        partners=len(ties),
        weighted_degree=shared,
        money_degree=money,
        top_partner_shared=_top(orgs, ties, "shared", most_shared),
        top_partner_money=_top(orgs, ties, "money", most_money),
        cross_county_partners=cross_county_partners(net.data, org_id, ties),
        distinct_partner_groups=net.partner_groups[org_id],
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


def area_figures(net: Network, *, county_code: str | None = None, top: int = 10) -> AreaFigures:
    """Return the figures of item 3 for a county (``county_code``) or the nation (None).

    Communities are Louvain's with a fixed seed, on the ties among the organisations in scope
    weighted by shared arrangements; betweenness (``betweenness``, exact) is on the same
    (unweighted) graph. Cross-county ties are those with at least one end in scope.
    """
    orgs = net.data.orgs
    ties_of = net.ties
    scope = [n for n in ties_of if county_code is None or orgs[n].county_code == county_code]
    scope.sort(key=lambda n: (orgs[n].name, n))
    in_scope = set(scope)
    # A plain graph of the ties within scope (graph views make the algorithms several times slower).
    # Nodes by name and ties in a fixed order, so that Louvain's answer depends on the data only.
    ties = sorted(
        (u, v, tie["shared"])
        for u in scope
        for v, tie in ties_of[u].items()
        if u < v and v in in_scope
    )
    linked = {u for u, _, _ in ties} | {v for _, v, _ in ties}
    connected = [n for n in scope if n in linked]
    communities = louvain(connected, ties) if connected else []
    ordered = sorted(
        (sorted(c, key=lambda n: (orgs[n].name, n)) for c in communities),
        key=lambda c: (-len(c), orgs[c[0]].name),
    )
    community_of = {n: i for i, c in enumerate(ordered, 1) for n in c}
    between = _betweenness(connected, ties)
    figures = {n: org_figures(net, n) for n in scope}
    most = sorted(
        (figures[n] for n in connected),
        key=lambda f: (-f.partners, -f.weighted_degree, f.org.name),
    )[:top]
    return AreaFigures(
        orgs=scope,
        communities=ordered,
        community_of=community_of,
        betweenness={n: between.get(n, 0.0) for n in scope},
        most_connected=most,
        cross_county_ties=_cross_county_ties(net, in_scope),
        without_arrangement=[n for n in scope if not figures[n].arrangements],
        figures=figures,
    )


def _cross_county_ties(net: Network, in_scope: set[int]) -> list[tuple[int, int, dict]]:
    """The ties across a county border with at least one end in scope, (a, b by name, the tie),
    the most shared arrangements first (``graph.edges``'s order where all else is equal)."""
    orgs = net.data.orgs
    county = {n: orgs[n].county_code for n in net.ties}
    name = {n: orgs[n].name for n in net.ties}
    rank = {n: i for i, n in enumerate(sorted(net.ties, key=lambda n: (name[n], n)))}
    cross, seen = [], set()
    for u, ties in net.ties.items():
        cu = county[u]
        if cu:
            for v, tie in ties.items():
                cv = county[v]
                if cv and cv != cu and v not in seen and (u in in_scope or v in in_scope):
                    cross.append((u, v, tie) if rank[u] < rank[v] else (v, u, tie))
        seen.add(u)
    cross.sort(key=lambda t: (-t[2]["shared"], -t[2]["money"], name[t[0]], name[t[1]]))
    return cross


def betweenness(graph: nx.Graph) -> dict[int, float]:
    """Return each node's betweenness centrality: networkx's exact ``betweenness_centrality``
    (normalized, without endpoints), computed by rustworkx (Brandes' algorithm in Rust, some
    fifty times faster), in one thread, so that the figure is the same on every run."""
    return _betweenness(list(graph), graph.edges())


def _betweenness(nodes: list, ties) -> dict:
    """``betweenness`` of the graph of ``nodes`` and ``ties`` ((u, v, ...) each)."""
    rx_graph = rx.PyGraph(multigraph=False)
    index = dict(zip(nodes, rx_graph.add_nodes_from(nodes), strict=True))
    rx_graph.add_edges_from_no_data([(index[t[0]], index[t[1]]) for t in ties])
    values = rx.graph_betweenness_centrality(
        rx_graph, normalized=True, endpoints=False, parallel_threshold=len(nodes) + 1
    )
    return {n: values[i] for n, i in index.items()}


def louvain(nodes: list, ties: list[tuple]) -> list[set]:
    """Return networkx's Louvain communities (seeded, so the same every time) of the graph of
    ``nodes`` and ``ties`` ((u, v, shared arrangements) each)."""
    core = nx.Graph()
    core.add_nodes_from(nodes)
    core.add_weighted_edges_from(ties, weight="shared")
    return nx.community.louvain_communities(core, weight="shared", seed=LOUVAIN_SEED)


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
