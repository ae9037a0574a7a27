"""The partner network with the seed_scale data: the national figures and an organisation's
network page.

Run from the repository root: ``.venv/bin/python bench/network.py [--arrangements 5000]
[--years 10] [--seed 1] [--runs 5]``. Like bench/pages.py it builds a throwaway SQLite database,
migrates it and loads ``seed_scale``; then it measures (median of N runs, after a warm-up):

* ``network_national_figures``: the national figures of register/graph.py (communities,
  betweenness, most connected, cross-county ties, figures per organisation) on the data already
  read (goal ≤ 2 s, stretch ≤ 0.5 s);
* ``network_national_figures_with_queries``: the same including the selector's queries;
* ``network_projection``: ``graph.project`` alone, the bipartite graph of the national figures
  projected onto the organisations;
* ``network_projection_networkx`` and ``network_national_figures_networkx_projection``: the same
  and the national figures with networkx's own projection
  (``bipartite.generic_weighted_projected_graph``, with a weight function that gives the same
  ``shared``, ``money`` and ``arrangements``) in place of ``graph.project``, checked to give the
  same graph: why the register keeps its own;
* ``organisation_network_page`` and ``network_national_page``: the pages' server time with
  Django's test Client for the busiest municipality's editor (goal ≤ 300 ms for the first).

One JSON line per figure on stdout, progress on stderr::

    {"name": "network_national_figures", "value": 812.3, "unit": "ms", "nodes": 311, "edges": 40122}
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
from pathlib import Path
from unittest import mock

from scale_setup import (  # bench/ itself is on the path: the scripts run from it
    busiest_editor,
    log,
    median_ms,
    scale_parser,
    seeded,
)

ROOT = Path(__file__).resolve().parent.parent


def networkx_tie(bip, u, v) -> dict:
    """The tie of two organisations as ``graph.project`` makes it, for networkx's projection."""
    mine, theirs = bip.adj[u], bip.adj[v]
    shared = sorted(set(mine).intersection(theirs))
    return {
        "shared": len(shared),
        "money": sum((mine[a]["cost"] or 0) + (theirs[a]["cost"] or 0) for a in shared),
        "arrangements": [a[1] for a in shared],
    }


def networkx_project(bip):
    """``graph.project`` by networkx's generic weighted projection (nodes renamed to ids)."""
    import networkx as nx
    from networkx.algorithms import bipartite

    orgs = [n for n, d in bip.nodes(data=True) if d["bipartite"] == 0]
    projected = bipartite.generic_weighted_projected_graph(bip, orgs, weight_function=networkx_tie)
    graph = nx.Graph()
    graph.add_nodes_from(n[1] for n in orgs)
    graph.add_edges_from((u[1], v[1], tie) for u, v, tie in projected.edges(data="weight"))
    return graph


def ties(graph) -> dict:
    """The projected graph's ties, comparable whatever the order of their arrangements."""
    return {
        (min(u, v), max(u, v)): (e["shared"], e["money"], sorted(e["arrangements"]))
        for u, v, e in graph.edges(data=True)
    }


def parse_args(argv=None):
    parser = scale_parser(__doc__, runs=5, warmup=1)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-network-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register import graph
    from register.access import Access
    from register.selectors.network import network_data

    on = dt.date.today()
    admin = Access(user_id=None, is_admin=True)
    data = network_data(admin, on=on)

    # Older code estimated betweenness from 100 sources on a large graph, as its pages did.
    sampled = "betweenness_sample" in inspect.signature(graph.area_figures).parameters

    def national(data=data):
        net = graph.build(data, on=on, kind="municipality_region")
        if sampled:
            big = len(net.graph) > 400 or net.graph.number_of_edges() > 5000
            return net, graph.area_figures(net, betweenness_sample=100 if big else 0)
        return net, graph.area_figures(net)

    value, (net, area) = median_ms(national, args.runs, args.warmup)
    print(
        json.dumps(
            {
                "name": "network_national_figures",
                "value": value,
                "unit": "ms",
                "nodes": net.graph.number_of_nodes(),
                "edges": net.graph.number_of_edges(),
                "communities": len(area.communities),
            }
        ),
        flush=True,
    )

    def national_with_queries():
        return national(network_data(admin, on=on))

    value, _ = median_ms(national_with_queries, args.runs, args.warmup)
    print(
        json.dumps({"name": "network_national_figures_with_queries", "value": value, "unit": "ms"}),
        flush=True,
    )

    busiest, user = busiest_editor()
    client = Client()
    client.force_login(user)
    log(f"Redigerare i {busiest} ({busiest.n} deltaganden).")
    status = 0
    pages = {
        "organisation_network_page": reverse("register:organisation_network", args=[busiest.pk]),
        "organisation_influence_page": reverse(
            "register:organisation_influence", args=[busiest.pk]
        ),
        "network_national_page": reverse("register:network_national"),
    }
    for name, url in pages.items():
        queries = 0

        def get(url=url, name=name):
            nonlocal queries, status
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            queries = len(ctx.captured_queries)
            if response.status_code != 200:
                log(f"{name}: HTTP {response.status_code}")
                status = 1

        value, _ = median_ms(get, args.runs, args.warmup)
        print(
            json.dumps({"name": name, "value": value, "unit": "ms", "queries": queries}),
            flush=True,
        )

    # Last, so that the large graphs they build do not weigh on the figures measured before.
    mine, _ = median_ms(lambda: graph.project(net.bip), args.runs, args.warmup)
    theirs, projected = median_ms(lambda: networkx_project(net.bip), args.runs, args.warmup)
    if ties(projected) != ties(net.graph) or set(projected) != set(net.graph):
        log("networkx's projection gave another graph than graph.project")
        status = 1
    del projected
    for name, value in (("network_projection", mine), ("network_projection_networkx", theirs)):
        print(json.dumps({"name": name, "value": value, "unit": "ms"}), flush=True)
    with mock.patch.object(graph, "project", networkx_project):
        value, _ = median_ms(national, args.runs, args.warmup)
    print(
        json.dumps(
            {"name": "network_national_figures_networkx_projection", "value": value, "unit": "ms"}
        ),
        flush=True,
    )
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
