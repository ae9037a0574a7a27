"""Server time of the review, its pack, the dashboard and the readiness page on seed_scale data.

Run from the repository root: ``.venv/bin/python bench/review.py [--arrangements 5000] [--years 10]
[--seed 1] [--runs 15]``. Like bench/pages.py it builds a throwaway SQLite database, migrates it and
loads ``seed_scale``; it then opens a review (through the service) for the municipality with the
most participations and measures each page with Django's test Client: a few warm-up requests,
then the median of N runs. One JSON line per figure on stdout, for example::

    {"name": "review_detail", "value": 40.1, "unit": "ms", "queries": 11, "items": 120}

Progress goes to stderr.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale_setup import log, seeded  # noqa: E402 (bench/ itself is on the path)

from bench.pages import parse_args  # noqa: E402


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-review-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from register.access import Access
    from register.models import Membership, Organisation, Review
    from register.services.reviews import review_open

    busiest = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .order_by("-n", "code")
        .first()
    )
    user = get_user_model().objects.create_user(username="bench-editor", password=None)
    Membership.objects.create(user=user, organisation=busiest, role=Membership.Role.EDITOR)
    today = timezone.localdate()
    review = review_open(
        access=Access.for_user(user),
        review=Review(organisation=busiest, date=today + dt.timedelta(days=10), title="Bench"),
        today=today,
    )
    items = review.items.count()
    log(f"{busiest}: {busiest.n} deltaganden, {items} punkter i genomgången.")

    client = Client()
    client.force_login(user)
    pages = {
        "review_detail": reverse("register:review_detail", args=[review.pk]),
        "review_pack": reverse("register:review_pack", args=[review.pk]),
        "organisation_due": reverse("register:organisation_due", args=[busiest.pk]),
        "organisation_term": reverse("register:organisation_term", args=[busiest.pk]),
    }
    status = 0
    for name, url in pages.items():
        for _ in range(args.warmup):
            client.get(url)
        times, queries = [], 0
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
                    "items": items,
                }
            ),
            flush=True,
        )
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
