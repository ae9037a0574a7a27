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

import sys
from pathlib import Path

from scale_setup import (  # bench/ itself is on the path: the scripts run from it
    busiest_editor,
    log,
    print_page_times,
    scale_parser,
    seeded,
)

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = scale_parser(__doc__)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-pages-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from register.management.commands.seed_scale import scale_arrangements

    busiest, user = busiest_editor()
    arrangement = (
        scale_arrangements()
        .filter(participations__organisation=busiest)
        .annotate(n=Count("participations", distinct=True), b=Count("bodies", distinct=True))
        .order_by("-b", "-n", "pk")
        .first()
    )

    client = Client()
    client.force_login(user)
    pages = {
        "arrangement_list": reverse("register:arrangement_list"),
        "arrangement_detail": reverse("register:arrangement_detail", args=[arrangement.pk]),
        "organisation_detail": reverse("register:organisation_detail", args=[busiest.pk]),
    }
    log(f"Redigerare i {busiest} ({busiest.n} deltaganden); samverkan: {arrangement}.")

    status = print_page_times(client, pages, runs=args.runs, warmup=args.warmup)
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
