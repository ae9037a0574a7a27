"""The partner network with the seed_scale data: the national figures and an organisation's
network page.

Run from the repository root: ``.venv/bin/python bench/network.py [--arrangements 5000]
[--years 10] [--seed 1] [--runs 5]``. Like bench/pages.py it builds a throwaway SQLite database,
migrates it and loads ``seed_scale``; then it measures (median of N runs, after a warm-up):

* ``network_national_figures``: the national figures of register/graph.py (communities,
  betweenness, most connected, cross-county ties, figures per organisation) on the data already
  read (goal ≤ 2 s, stretch ≤ 0.5 s);
* ``network_national_figures_with_queries``: the same including the selector's queries;
* ``organisation_network_page`` and ``network_national_page``: the pages' server time with
  Django's test Client for the busiest municipality's editor (goal ≤ 300 ms for the first).

One JSON line per figure on stdout, progress on stderr::

    {"name": "network_national_figures", "value": 812.3, "unit": "ms", "nodes": 311, "edges": 40122}
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from scale_setup import (  # bench/ itself is on the path: the scripts run from it
    busiest_editor,
    log,
    median_ms,
    scale_parser,
    seeded,
)

ROOT = Path(__file__).resolve().parent.parent


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

    def national(data=data):
        net = graph.build(data, on=on, kind="municipality_region")
        big = len(net.graph) > 400 or net.graph.number_of_edges() > 5000
        return net, graph.area_figures(net, betweenness_sample=100 if big else 0)

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
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
