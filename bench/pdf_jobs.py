"""The introduction pack's PDF made in the background and kept per data version: how long it takes
to make (the job: gathering, layout, writing) and how fast a request gets it when it is current
(goal: 50 ms), on seed_scale data.

Run from the repository root: ``.venv/bin/python bench/pdf_jobs.py [--arrangements 500]
[--years 3] [--seed 1] [--runs 3] [--warmup 1]``. Like bench/briefing.py it builds a throwaway
SQLite database with ``seed_scale``, takes the busiest municipality and one of its readers, and
times with Django's test Client under the benchmarks' settings (``tests.settings``, whose
background jobs run inline): ``intro_pack_pdf_made`` is a request after a change in the data (a new
data version: the job runs and lays out every page), ``intro_pack_pdf_served`` a request while the
data are unchanged (the kept file). One JSON line per figure on stdout, for example::

    {"name": "intro_pack_pdf_made", "value": 2711.0, "unit": "ms", "cpu_ms": 2650.2, "pages": 20,
     "steps": 21, "arrangements": 14}
    {"name": "intro_pack_pdf_served", "value": 3.1, "unit": "ms", "queries": 4, "goal_ms": 50}

Progress goes to stderr. The exit status is 1 if a request did not answer 200, or the kept PDF was
served slower than the goal (unless ``--no-goal``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale_setup import (  # noqa: E402 (bench/ itself is on the path)
    busiest_editor,
    log,
    page_times,
    scale_parser,
    seeded,
)

GOAL_MS = 50


def main(argv=None) -> int:
    parser = scale_parser(__doc__, runs=3, warmup=1)
    parser.set_defaults(arrangements=500, years=3)
    parser.add_argument("--no-goal", action="store_true", help="Report without judging.")
    args = parser.parse_args(argv)
    tmp, _ = seeded("bench-pdf-jobs-", arrangements=args.arrangements, years=args.years, seed=1)

    import io
    import json
    import statistics

    import pypdf
    from django.test import Client
    from django.urls import reverse

    from register.models import BackgroundJob
    from register.public import cache

    busiest, user = busiest_editor()
    client = Client()
    client.force_login(user)
    url = reverse("register:intro_pack_pdf", args=[busiest.pk])
    log(f"{busiest.name}: {busiest.n} deltaganden.")

    import time

    made, cpu, ok = [], [], True
    for _ in range(args.warmup + args.runs):
        cache.bump()  # a change in the register: the kept PDF is out of date
        started = time.process_time()
        times, _, run_ok = page_times(client, "intro_pack_pdf_made", url, runs=1, warmup=0)
        cpu.append((time.process_time() - started) * 1000)
        made += times
        ok = ok and run_ok
    made, cpu = made[args.warmup :], cpu[args.warmup :]
    job = BackgroundJob.objects.filter(status=BackgroundJob.Status.DONE).latest("pk")
    pages = len(pypdf.PdfReader(io.BytesIO(client.get(url).content)).pages)
    line = {"name": "intro_pack_pdf_made", "value": round(statistics.median(made), 1), "unit": "ms"}
    extra = {"cpu_ms": round(statistics.median(cpu), 1), "pages": pages, "steps": job.total}
    print(json.dumps({**line, **extra, "arrangements": busiest.n}), flush=True)

    served, queries, served_ok = page_times(
        client, "intro_pack_pdf_served", url, runs=max(args.runs, 20), warmup=args.warmup
    )
    value = round(statistics.median(served), 1)
    line = {"name": "intro_pack_pdf_served", "value": value, "unit": "ms", "queries": queries}
    print(json.dumps({**line, "goal_ms": GOAL_MS}), flush=True)
    status = 0 if ok and served_ok else 1
    if value > GOAL_MS and not args.no_goal:
        log(f"intro_pack_pdf_served: {value} ms (mål: under {GOAL_MS} ms).")
        status = 1
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
