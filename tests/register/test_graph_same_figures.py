"""The network's figures computed the faster way (register/graph.py) are the figures the register
computed before, on generated registers: the same bipartite graph and projection (node, tie and
neighbour order included), the same figures per organisation, the same Louvain communities, the
same cross-county ties; and betweenness is networkx's *exact* ``betweenness_centrality`` (to 1e-9)
on every graph, however large: the national page estimated it from 100 sources before.

The reference is the computation as it stood at commit 543b805 (networkx's graphs walked through
their views, betweenness from networkx), kept here for the comparison.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from decimal import Decimal

import networkx as nx
import pytest

from register import graph as g

ON = dt.date(2024, 6, 1)


# --- The reference: the computation at 543b805 ---------------------------------------------------


def old_bipartite(data, *, on, include_ended=False, kind="all"):
    kinds = g.kept_kinds(kind)
    bip = nx.Graph()
    for org in data.orgs.values():
        if kinds is None or org.kind in kinds:
            bip.add_node(("o", org.id), bipartite=0)
    for p in g.in_force(data, on=on, include_ended=include_ended):
        node = ("o", p.organisation_id)
        if node not in bip:
            continue
        bip.add_node(("a", p.arrangement_id), bipartite=1)
        bip.add_edge(node, ("a", p.arrangement_id), cost=p.cost)
    return bip


def old_project(bip):
    projected = nx.Graph()
    projected.add_nodes_from(n[1] for n, d in bip.nodes(data=True) if d["bipartite"] == 0)
    ties = {}
    for a in (n for n, d in bip.nodes(data=True) if d["bipartite"] == 1):
        members = sorted((m[1], bip[m][a]["cost"] or 0) for m in bip[a])
        for (u, cu), (v, cv) in itertools.combinations(members, 2):
            tie = ties.get((u, v))
            if tie is None:
                ties[(u, v)] = [1, cu + cv, [a[1]]]
            else:
                tie[0] += 1
                tie[1] += cu + cv
                tie[2].append(a[1])
    projected.add_edges_from(
        (u, v, {"shared": shared, "money": money, "arrangements": arrangements})
        for (u, v), (shared, money, arrangements) in ties.items()
    )
    return projected


def old_top(net, org_id, weight):
    best = None
    for partner, edge in net.graph[org_id].items():
        org = net.data.orgs[partner]
        key = (-edge[weight], org.name, partner)
        if best is None or key < best[0]:
            best = (key, org, edge[weight])
    if best is None or best[2] <= 0:
        return None
    return best[1], best[2]


def old_cross_county_partners(data, org_id, partner_ids):
    org = data.orgs[org_id]
    return sorted(
        (data.orgs[p] for p in partner_ids if g.crosses_county(org, data.orgs[p])),
        key=lambda o: o.name,
    )


def old_org_figures(net, org_id, influence=None):
    org = net.data.orgs[org_id]
    edges = net.graph[org_id] if org_id in net.graph else {}
    groups = set()
    for a in net.arrangements_of(org_id):
        others = frozenset(m for m in net.members(a) if m != org_id)
        if others:
            groups.add(others)
    share, reason = (None, "Inflytandet är inte beräknat.")
    if influence is not None:
        share, reason = g.minority_cost_share(influence)
    return g.OrgFigures(
        org=org,
        arrangements=len(net.arrangements_of(org_id)),
        partners=len(edges),
        weighted_degree=sum(e["shared"] for e in edges.values()),
        money_degree=sum(e["money"] for e in edges.values()),
        top_partner_shared=old_top(net, org_id, "shared") if edges else None,
        top_partner_money=old_top(net, org_id, "money") if edges else None,
        cross_county_partners=old_cross_county_partners(net.data, org_id, edges),
        distinct_partner_groups=len(groups),
        minority_cost_share=share,
        minority_cost_reason=reason,
    )


def old_area_figures(net, *, county_code=None, top=10):
    """``area_figures`` at 543b805 with networkx's exact betweenness (its ``betweenness_sample=0``)."""
    orgs = net.data.orgs
    scope = [
        n for n in net.graph.nodes if county_code is None or orgs[n].county_code == county_code
    ]
    scope.sort(key=lambda n: (orgs[n].name, n))
    in_scope = set(scope)
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
        nx.community.louvain_communities(core, weight="shared", seed=g.LOUVAIN_SEED)
        if connected
        else []
    )
    ordered = sorted(
        (sorted(c, key=lambda n: (orgs[n].name, n)) for c in communities),
        key=lambda c: (-len(c), orgs[c[0]].name),
    )
    between = nx.betweenness_centrality(core) if connected else {}
    figures = {n: old_org_figures(net, n) for n in scope}
    most = sorted(
        (figures[n] for n in connected),
        key=lambda f: (-f.partners, -f.weighted_degree, f.org.name),
    )[:top]
    cross = []
    for u, v, edge in net.graph.edges(data=True):
        if (u in in_scope or v in in_scope) and g.crosses_county(orgs[u], orgs[v]):
            a, b = sorted((u, v), key=lambda n: (orgs[n].name, n))
            cross.append((a, b, edge))
    cross.sort(key=lambda t: (-t[2]["shared"], -t[2]["money"], orgs[t[0]].name, orgs[t[1]].name))
    return {
        "orgs": scope,
        "communities": ordered,
        "community_of": {n: i for i, c in enumerate(ordered, 1) for n in c},
        "betweenness": {n: between.get(n, 0.0) for n in scope},
        "most_connected": most,
        "cross_county_ties": cross,
        "without_arrangement": [n for n in scope if not net.arrangements_of(n)],
        "figures": figures,
    }


# --- Generated registers ---------------------------------------------------------------------------

KINDS = ["municipality"] * 8 + ["region", "state_agency", "company"]
COUNTIES = ["01", "03", "04", "05", "06", None]


def generated(seed: int, *, n_orgs: int = 120, n_arrangements: int = 320) -> g.NetworkData:
    """A register of ``n_orgs`` organisations (some with the same name, some in no arrangement)
    and ``n_arrangements`` arrangements of 1–9 parties and a few large ones; some ended or not
    yet started, some parties who left or join later; costs known, unknown or zero."""
    rnd = random.Random(seed)
    orgs = {}
    for i in range(1, n_orgs + 1):
        county = rnd.choice(COUNTIES)
        orgs[i] = g.Org(
            id=i,
            name=f"Organisation {rnd.randrange(n_orgs * 3 // 4)}",  # a few names twice
            kind=rnd.choice(KINDS),
            code=f"{i:04}" if rnd.random() < 0.9 else None,
            county_code=county,
            county_name=f"Län {county}" if county else None,
            population=rnd.choice([None, rnd.randrange(1000, 900_000)]),
        )
    arrangements, parts = {}, []
    active = [i for i in orgs if rnd.random() < 0.93]  # the others take part in nothing
    for a in range(1001, 1001 + n_arrangements):
        status = rnd.choice(["active"] * 6 + ["ended", "planned"])
        start = rnd.choice([None, dt.date(2010, 1, 1), dt.date(2025, 1, 1)])
        arrangements[a] = g.Arr(
            id=a,
            name=f"Samverkan {a % 250}",
            status=status,
            start_date=start,
            end_date=rnd.choice([None, None, dt.date(2023, 12, 31), dt.date(2030, 1, 1)]),
            total_cost=rnd.choice([None, rnd.randrange(0, 10**7)]),
        )
        size = rnd.choice([1, 2, 2, 3, 3, 4, 5, 6, 9, rnd.randrange(10, 40)])
        for o in rnd.sample(active, size):
            parts.append(
                g.Part(
                    a,
                    o,
                    joined=rnd.choice([None, dt.date(2015, 3, 1), dt.date(2024, 9, 1)]),
                    left=rnd.choice([None] * 5 + [dt.date(2022, 6, 30)]),
                    cost=rnd.choice([None, 0, rnd.randrange(1, 5_000_000)]),
                    cost_share=rnd.choice([None, Decimal("12.5")]),
                )
            )
    rnd.shuffle(parts)
    return g.NetworkData(orgs, arrangements, parts, cost_year=2023)


def graph_as_lists(graph: nx.Graph) -> tuple:
    """Everything about a graph that an output can see, in its order."""
    return (
        list(graph.nodes(data=True)),
        list(graph.edges(data=True)),
        [(n, list(nbrs.items())) for n, nbrs in graph.adjacency()],
    )


CASES = [
    (seed, kind, include_ended)
    for seed in (1, 2)
    for kind in ("all", "municipality_region")
    for include_ended in (False, True)
]


@pytest.mark.parametrize(("seed", "kind", "include_ended"), CASES)
def test_the_graphs_are_those_of_before(seed, kind, include_ended):
    data = generated(seed)
    net = g.build(data, on=ON, include_ended=include_ended, kind=kind)
    bip = old_bipartite(data, on=ON, include_ended=include_ended, kind=kind)
    assert graph_as_lists(net.bip) == graph_as_lists(bip)
    assert graph_as_lists(net.graph) == graph_as_lists(old_project(bip))
    assert graph_as_lists(g.project(bip)) == graph_as_lists(old_project(bip))
    assert net.graph.number_of_edges() > 300  # a graph with something to get wrong


@pytest.mark.parametrize(("seed", "kind", "include_ended"), CASES)
@pytest.mark.parametrize("county", [None, "01", "06"])
def test_the_area_figures_are_those_of_before_and_betweenness_is_exact(
    seed, kind, include_ended, county
):
    net = g.build(generated(seed), on=ON, include_ended=include_ended, kind=kind)
    old = old_area_figures(net, county_code=county)
    new = g.area_figures(net, county_code=county)
    assert new.orgs == old["orgs"]
    assert new.communities == old["communities"]
    assert len(new.communities) > 1
    assert new.community_of == old["community_of"]
    assert new.figures == old["figures"]
    assert new.most_connected == old["most_connected"]
    assert new.cross_county_ties == old["cross_county_ties"]
    assert new.without_arrangement == old["without_arrangement"]
    assert new.betweenness.keys() == old["betweenness"].keys()
    for n, value in old["betweenness"].items():
        assert new.betweenness[n] == pytest.approx(value, abs=1e-9), n
    assert max(new.betweenness.values()) > 0


def test_the_figures_per_organisation_are_those_of_before():
    net = g.build(generated(3), on=ON)
    for n in net.graph:
        assert g.org_figures(net, n) == old_org_figures(net, n)
    assert g.all_org_figures(net) == sorted(
        (old_org_figures(net, n) for n in net.graph), key=lambda f: (f.org.name, f.org.id)
    )


@pytest.mark.parametrize(("seed", "kind", "include_ended"), CASES)
@pytest.mark.parametrize("county", [None, "01", "06"])
def test_the_pictures_ties_are_those_of_before(seed, kind, include_ended, county):
    """The area picture draws the strongest ties first and at most MAX_EDGES: the same ties, in
    the same order, with the same ends, as networkx's subgraph view gave."""
    from register.reports import network_svg

    net = g.build(generated(seed), on=ON, include_ended=include_ended, kind=kind)
    area = g.area_figures(net, county_code=county)
    connected = [n for c in area.communities for n in c]
    old = sorted(
        net.graph.subgraph(connected).edges(data=True),
        key=lambda t: (-t[2]["shared"], -t[2]["money"], t[0], t[1]),
    )
    assert network_svg.strongest_ties(net, connected) == old
    assert len(old) > 5


def random_graphs():
    """Graphs of every shape betweenness must handle: empty, one node, one tie, a path,
    disconnected parts, dense and sparse ones, nodes that are not 0..n-1."""
    rnd = random.Random(7)
    yield nx.Graph()
    yield nx.empty_graph([5])
    yield nx.Graph([(3, 9)])
    yield nx.path_graph(6)
    yield nx.disjoint_union(nx.complete_graph(5), nx.cycle_graph(7))
    for n, p in ((30, 0.1), (80, 0.05), (120, 0.5), (200, 0.02)):
        graph = nx.gnp_random_graph(n, p, seed=rnd.randrange(10**6))
        yield nx.relabel_nodes(graph, {i: 1000 - 3 * i for i in graph})


@pytest.mark.parametrize("graph", list(random_graphs()), ids=lambda graph: f"{len(graph)}")
def test_betweenness_is_networkx_exact_betweenness(graph):
    expected = nx.betweenness_centrality(graph)
    got = g.betweenness(graph)
    assert got.keys() == expected.keys()
    for n, value in expected.items():
        assert got[n] == pytest.approx(value, abs=1e-9)


# --- What the national page shows ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_national_page_shows_exact_betweenness_on_a_large_register():
    """151 municipalities: a group of 100 and one of 50, each in one arrangement (6 175 ties, a
    register large enough that the page estimated betweenness from 100 sources before), joined by
    one municipality between them. Its exact betweenness is 2·100·50 / (150·149) = 0,447 (the
    estimate said 0,456)."""
    from register import rules
    from register.access import Access
    from register.models import Organisation
    from register.reports import analytics
    from tests import factories as f

    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("code")[:151]
    )
    bridge, left, right = municipalities[0], municipalities[1:101], municipalities[101:]
    f.make_arrangement(name="Vänster", members=left)
    f.make_arrangement(name="Höger", members=right)
    f.make_arrangement(name="Bro vänster", members=[bridge, left[0]])
    f.make_arrangement(name="Bro höger", members=[bridge, right[0]])
    entry = analytics.compute_area(
        Access.administrator(),
        None,
        None,
        kind="municipality_region",
        on=rules.today(),
        include_ended=False,
    )
    row = re.search(
        rf">{re.escape(bridge.short_name or bridge.name)}</a></th>.*?"
        r'data-label="Mellanhandsroll \(betweenness\)">([^<]*)</td>',
        entry["html"],
        re.S,
    )
    assert row is not None
    assert row.group(1) == "0,447"
