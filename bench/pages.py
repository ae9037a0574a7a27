"""Server time of the three busiest pages with the seed_scale data loaded.

Run from the repository root: ``.venv/bin/python bench/pages.py [--arrangements 5000] [--years 10]
[--seed 1] [--runs 15]``. It builds a throwaway SQLite database under a temporary directory (the
DATABASE_URL is set before Django starts), migrates it, loads ``seed_scale``, then for each page
measures the server time with Django's test Client: a few warm-up requests, then the median of N
runs. It prints one JSON line per figure, for example::

    {"name": "arrangement_list", "value": 12.3, "unit": "ms", "queries": 9}

Progress goes to stderr, so stdout holds only the JSON lines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from scale_setup import log, seeded  # bench/ itself is on the path: the scripts run from it

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-pages-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register.management.commands.seed_scale import scale_arrangements
    from register.models import Membership, Organisation

    busiest = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .order_by("-n", "code")
        .first()
    )
    arrangement = (
        scale_arrangements()
        .filter(participations__organisation=busiest)
        .annotate(n=Count("participations", distinct=True), b=Count("bodies", distinct=True))
        .order_by("-b", "-n", "pk")
        .first()
    )
    user = get_user_model().objects.create_user(username="bench-editor", password=None)
    Membership.objects.create(user=user, organisation=busiest, role=Membership.Role.EDITOR)

    client = Client()
    client.force_login(user)
    pages = {
        "arrangement_list": reverse("register:arrangement_list"),
        "arrangement_detail": reverse("register:arrangement_detail", args=[arrangement.pk]),
        "organisation_detail": reverse("register:organisation_detail", args=[busiest.pk]),
    }
    log(f"Redigerare i {busiest} ({busiest.n} deltaganden); samverkan: {arrangement}.")

    status = 0
    for name, url in pages.items():
        for _ in range(args.warmup):
            client.get(url)
        times = []
        queries = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            queries = len(ctx.captured_queries)
            if response.status_code != 200:
                log(f"{name}: HTTP {response.status_code}")
                status = 1
        print(
            json.dumps(
                {
                    "name": name,
                    "value": round(statistics.median(times), 1),
                    "unit": "ms",
                    "queries": queries,
                }
            ),
            flush=True,
        )
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
