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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale_setup import (  # noqa: E402 (bench/ itself is on the path)
    busiest_editor,
    log,
    print_page_times,
    seeded,
)

from bench.pages import parse_args  # noqa: E402


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-review-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    import datetime as dt

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from register.access import Access
    from register.models import Review
    from register.services.reviews import review_open

    busiest, user = busiest_editor()
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
    status = print_page_times(client, pages, runs=args.runs, warmup=args.warmup, items=items)
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
