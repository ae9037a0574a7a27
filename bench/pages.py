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
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="bench-pages-")
    db_path = Path(tmp.name) / "bench.sqlite3"
    # Before django.setup(): a throwaway database, and the test client's host allowed.
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register.management.commands.seed_scale import scale_arrangements, seed_scale
    from register.models import Membership, Organisation

    log(f"Databas: {db_path}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"Migrerad på {time.perf_counter() - started:.1f} s.")
    result = seed_scale(arrangements=args.arrangements, years=args.years, seed=args.seed)
    log(
        f"seed_scale: {result.arrangements} samverkan, {result.participations} deltaganden, "
        f"{result.costs} kostnadsrader på {result.seconds:.1f} s."
    )

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
