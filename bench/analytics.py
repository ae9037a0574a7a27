"""Analytics once per change: the network pages and Insyn with the data versions per organisation.

Run from the repository root: ``.venv/bin/python bench/analytics.py [--arrangements 5000]
[--years 10] [--seed 1] [--runs 15]``. On a throwaway SQLite database with ``seed_scale`` data it
prints one JSON line per figure (progress on stderr):

* ``network_national_unchanged``: the national network page when nothing changed (goal ≤ 50 ms);
* ``network_national_after_change``: the same page right after a save (it serves the last figures
  and asks for one recompute; the job itself is not run in the request);
* ``network_national_recompute``: the background job's time to compute the figures (goal ≤ 1 s);
* ``network_organisation_unchanged`` / ``network_organisation_after_change``: the busiest
  municipality's network page, kept and recomputed after a save in one of its arrangements;
* ``insyn_organisation_uncached``: the busiest municipality's Insyn page built from scratch;
* ``insyn_organisation_after_save_elsewhere``: the same page after a save in another
  organisation's arrangement (still cached: goal, unlike the one global version of before).
"""

from __future__ import annotations

import json
import statistics
import time

from scale_setup import busiest_editor, log, page_times, scale_parser, seeded


def emit(name: str, times: list[float], **extra) -> None:
    line = {"name": name, "value": round(statistics.median(times), 1), "unit": "ms"}
    print(json.dumps({**line, "runs": len(times), **extra}), flush=True)


def main(argv=None) -> int:
    args = scale_parser(__doc__, runs=15, warmup=2).parse_args(argv)
    tmp, result = seeded(
        "bench-analytics-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register import jobs
    from register.access import Access
    from register.models import Cost, Participation
    from register.reports import analytics

    asked = []
    jobs.enqueue = lambda path, *a: asked.append((path, a))  # the job is timed on its own below

    busiest, editor = busiest_editor()
    admin = get_user_model().objects.create_user(username="bench-admin", is_superuser=True)
    client = Client()
    client.force_login(admin)
    national = reverse("register:network_national")
    organisation = reverse("register:organisation_network", args=[busiest.pk])
    extra = {"arrangements": args.arrangements, "years": args.years}

    def save_in(org_ids=None, *, exclude=None):
        """Save one cost of a participation of (or not of) the organisations: a real write."""
        parts = Participation.objects.all()
        if org_ids is not None:
            parts = parts.filter(organisation_id__in=org_ids)
        if exclude is not None:
            parts = parts.exclude(arrangement__participations__organisation=exclude)
        cost = Cost.objects.filter(participation__in=parts).order_by("pk").first()
        cost.outcome = (cost.outcome or 0) + 1
        cost.save()  # autocommit: the versions move at once (on_commit)

    # The national page: first computed in the request, then kept.
    started = time.perf_counter()
    client.get(national)
    log(f"Nationella nätverket första gången: {time.perf_counter() - started:.2f} s")
    times, queries, _ = page_times(client, "national", national, runs=args.runs, warmup=1)
    emit("network_national_unchanged", times, queries=queries, **extra)

    times = []
    for _ in range(args.runs):
        save_in()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            page = client.get(national).content.decode()
            times.append((time.perf_counter() - started) * 1000)
        assert "beräknas om" in page
    emit(
        "network_national_after_change",
        times,
        queries=len(ctx.captured_queries),
        recomputes_asked=len(asked),
        **extra,
    )

    runs = max(3, args.runs // 5)
    times = []
    for _ in range(runs):
        path, job_args = asked[-1]
        started = time.perf_counter()
        jobs.resolve(path)(*job_args)
        times.append((time.perf_counter() - started) * 1000)
        save_in()
    emit("network_national_recompute", times, **extra)

    # The busiest municipality's network page.
    client.force_login(editor)
    times, queries, _ = page_times(client, "org", organisation, runs=args.runs, warmup=1)
    emit("network_organisation_unchanged", times, queries=queries, **extra)
    times = []
    for _ in range(runs):
        save_in([busiest.pk])
        started = time.perf_counter()
        client.get(organisation)
        times.append((time.perf_counter() - started) * 1000)
    emit("network_organisation_after_change", times, **extra)

    # Insyn: the busiest municipality's page.
    public = Client()
    insyn = reverse("public:organisation", args=[busiest.code])
    times = []
    for _ in range(args.runs):
        cache.clear()
        started = time.perf_counter()
        assert public.get(insyn).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    emit("insyn_organisation_uncached", times, **extra)
    times = []
    for _ in range(args.runs):
        save_in(exclude=busiest)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            assert public.get(insyn).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
    emit(
        "insyn_organisation_after_save_elsewhere", times, queries=len(ctx.captured_queries), **extra
    )
    access = Access.for_user(editor)
    key = analytics.visibility(access)  # (key, ...) before the audience was its one plain form
    assert (key[0] if isinstance(key, tuple) else key).startswith("m")
    del tmp, result
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
