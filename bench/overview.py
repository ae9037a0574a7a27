"""Server time of the overview page, the due list and the introduction pack (PDF) with the seed_scale data.

Run from the repository root: ``.venv/bin/python bench/overview.py [--arrangements 5000]
[--years 10] [--seed 1] [--runs 15] [--pdf-runs 3] [--portfolio 40]``. It builds a throwaway SQLite
database (the DATABASE_URL is set before Django starts), migrates it, loads ``seed_scale`` and
picks the municipality whose portfolio is closest to ``--portfolio`` arrangements (40: the issue's
yardstick). Then, as a reader of that municipality, with Django's test Client: the overview page
(a few warm-up requests, then the median and the 95th percentile of N runs) and the introduction
PDF (the median of a few runs). The overview and the due list ("Att göra") are also timed for the
municipality with the most participations (``overview_busiest_p50``, ``due_busiest_p50``; issue 23:
263 arrangements at 5,000 × 10), and the due list for the chosen one (``due_p50``).
``--pdf-runs 0`` leaves the PDF out. One JSON line per figure, for example::

    {"name": "overview_p50", "value": 81.2, "unit": "ms", "queries": 15, "arrangements": 40}

Goals (issue 10): overview p50 ≤ 300 ms (stretch ≤ 100 ms), PDF for 40 arrangements ≤ 10 s
(stretch ≤ 3 s). Progress goes to stderr, so stdout holds only the JSON lines.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from scale_setup import (  # bench/ itself is on the path: the scripts run from it
    log,
    page_times,
    scale_parser,
    seeded,
)

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = scale_parser(__doc__)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--portfolio", type=int, default=40)
    return parser.parse_args(argv)


def emit(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-overview-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register.models import Membership, Organisation

    candidates = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .filter(n__gt=0)
        .order_by("code")
    )
    chosen = min(candidates, key=lambda o: (abs(o.n - args.portfolio), o.code))
    user = get_user_model().objects.create_user(username="bench-reader", password=None)
    Membership.objects.create(user=user, organisation=chosen, role=Membership.Role.READER)
    client = Client()
    client.force_login(user)
    log(f"Läsare i {chosen} ({chosen.n} samverkan).")

    url = reverse("register:overview_organisation", args=[chosen.pk])
    times, queries, ok = page_times(client, "overview", url, runs=args.runs, warmup=args.warmup)
    status = 0 if ok else 1
    times.sort()
    common = {"queries": queries, "arrangements": chosen.n}
    emit(name="overview_p50", value=round(statistics.median(times), 1), unit="ms", **common)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    emit(name="overview_p95", value=round(p95, 1), unit="ms", **common)

    due_url = reverse("register:organisation_due", args=[chosen.pk])
    times, queries, ok = page_times(client, "due", due_url, runs=args.runs, warmup=args.warmup)
    status = status or (0 if ok else 1)
    value = round(statistics.median(times), 1)
    emit(name="due_p50", value=value, unit="ms", queries=queries, arrangements=chosen.n)

    # The busiest municipality: the most participations (the 263 at 5,000 × 10).
    busiest = min(candidates, key=lambda o: (-o.n, o.code))
    busy_user = get_user_model().objects.create_user(username="bench-reader-busiest")
    Membership.objects.create(user=busy_user, organisation=busiest, role=Membership.Role.READER)
    busy_client = Client()
    busy_client.force_login(busy_user)
    log(f"Läsare i {busiest} ({busiest.n} samverkan).")
    busy = {"arrangements": busiest.n}
    for name, url_name in (
        ("overview_busiest_p50", "register:overview_organisation"),
        ("due_busiest_p50", "register:organisation_due"),
    ):
        url = reverse(url_name, args=[busiest.pk])
        times, queries, ok = page_times(busy_client, name, url, runs=args.runs, warmup=args.warmup)
        status = status or (0 if ok else 1)
        value = round(statistics.median(times), 1)
        emit(name=name, value=value, unit="ms", queries=queries, **busy)

    if args.pdf_runs < 1:
        tmp.cleanup()
        return status
    pdf_url = reverse("register:intro_pack_pdf", args=[chosen.pk])
    pdf_times = []
    for _ in range(args.pdf_runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(pdf_url)
            pdf_times.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            log(f"intro_pack_pdf: HTTP {response.status_code}")
            status = 1
    emit(
        name="intro_pack_pdf",
        value=round(statistics.median(pdf_times), 2),
        unit="s",
        queries=queries,
        arrangements=chosen.n,
        bytes=len(response.content),
    )
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
