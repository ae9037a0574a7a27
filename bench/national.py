"""Every figure of issue 23's table (national scale), on the old code and the new alike.

Run from the repository root: ``.venv/bin/python bench/national.py [--arrangements 500]
[--years 10] [--seed 1] [--runs 7] [--change-runs 3] [--pdf-runs 2] [--portfolio 43]
[--only PART]``; the issue's figures are at ``--arrangements 5000 --years 10``. Old against new
in one run::

    .venv/bin/python bench/compare.py --base b577bb0 --script new --rounds 3 national -- \\
        --arrangements 5000 --years 10

It seeds (or copies a cached) SQLite database with ``seed_scale`` (``scale_setup.seeded``), DEBUG
off, and measures with Django's test Client, as a logged-in member where the page is internal and
anonymously on Insyn (median of N runs, queries of one request):

* ``national.network_page_after_change``: the national network page, the first request after a
  change (a cost's outcome saved through ``record_save``); ``national.network_to_current``: from
  that save until the page's figures are current (the save, the first request, and the
  background work either caused, run here one after the other), and
  ``national.network_to_current_cpu`` the process's CPU time for the same (what a busy machine
  changes least); ``national.network_page``: the page when nothing changed;
* ``national.overview_busiest`` and ``national.overview_43``: the overview for the municipality
  with the most participations and for the one whose count is nearest ``--portfolio`` (43);
  ``national.overview_busiest_after_change``: the busiest one's overview, the first request after
  a cost of that municipality is saved (median of ``--runs``, a save before each; the background
  work the save queued has run, as a worker does meanwhile: it may keep the overview computed);
  ``national.overview_busiest_after_change_in_request``: the same without the work that keeps
  the overview computed (a request that comes before it has run): computed in the request;
* ``national.intro_pdf_request``: the introduction PDF request for that organisation after a
  change in it (the old code renders the PDF in the request; the new may answer with a progress
  page and a job); ``national.intro_pdf_to_pdf``: the time until the PDF is served (the request,
  the jobs it queued run inline, the request that serves it); ``national.intro_pdf_current``:
  the PDF served again with nothing changed. Told apart by the answer's Content-Type;
* ``national.insyn_after_save_elsewhere``: the busiest municipality's Insyn page, first request
  after a save in an organisation that shares no arrangement with it (old code: the version is
  global, so it is rebuilt); ``national.insyn_uncached`` (the cache cleared) and
  ``national.insyn_cached``;
* ``national.due_busiest``: the due list (att göra) for the busiest municipality.

``--only network|overview|insyn|pdf`` measures only that part's figures, for development; the
default measures everything.

Background work: ``register.jobs.enqueue`` is replaced by a recorder while a figure is measured
(JOBS_BACKEND is "thread", as in production, for code that asks), and the recorded jobs are then
run inline and timed; a job enqueued through another door runs on its own and the PDF is awaited
by asking again (at most ``--pdf-wait`` s).

One JSON line per figure on stdout, progress on stderr::

    {"name": "national.overview_busiest", "value": 412.0, "unit": "ms", "queries": 14,
     "arrangements": 263}
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from scale_setup import (  # bench/ itself is on the path: the scripts run from it
    log,
    scale_parser,
    seeded,
)

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = scale_parser(__doc__, runs=7, warmup=2)
    parser.set_defaults(arrangements=500)
    parser.add_argument("--change-runs", type=int, default=3)
    parser.add_argument("--pdf-runs", type=int, default=2)
    parser.add_argument("--pdf-wait", type=float, default=180.0)
    parser.add_argument("--portfolio", type=int, default=43)
    parser.add_argument(
        "--only",
        choices=("all", "network", "overview", "insyn", "pdf"),
        default="all",
        help="measure only one part's figures (while developing); all by default",
    )
    return parser.parse_args(argv)


def emit(name: str, value, unit: str, **extra) -> None:
    print(
        json.dumps({"name": f"national.{name}", "value": value, "unit": unit, **extra}), flush=True
    )


def emit_ms(name: str, seconds: list[float], **extra) -> None:
    """Emit the median of ``seconds`` in ms."""
    emit(name, round(statistics.median(seconds) * 1000, 1), "ms", **extra)


class Jobs:
    """Background work recorded instead of started, then run here, timed."""

    def __init__(self):
        self.calls: list[tuple] = []

    @contextmanager
    def recorded(self):
        try:
            from register import jobs
        except ImportError:  # code from before the jobs door: nothing to record
            yield
            return
        original = jobs.enqueue

        def record(path, *args, **kwargs):
            self.calls.append((path, args, kwargs))

        # The module's own name and any module that imported the function itself.
        patched = [m for m in list(sys.modules.values()) if getattr(m, "enqueue", None) is original]
        for module in patched:
            module.enqueue = record
        try:
            yield
        finally:
            for module in patched:
                module.enqueue = original

    def run(self) -> float:
        """Run the recorded jobs (and those they enqueue) inline; return the seconds taken."""
        from register import jobs

        started = time.perf_counter()
        while self.calls:
            path, args, kwargs = self.calls.pop(0)
            with self.recorded():
                jobs.resolve(path)(*args, **kwargs)
        return time.perf_counter() - started


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def pdf_link(html: str) -> str | None:
    """The first link to a PDF on a progress page, if it offers one."""
    parser = Links()
    parser.feed(html)
    return next((h for h in parser.hrefs if ".pdf" in h.lower() or "pdf" in h.lower()), None)


def is_pdf(response) -> bool:
    return response.get("Content-Type", "").startswith("application/pdf")


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, result = seeded(
        "bench-national-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from register.models import Cost, Membership, Organisation, Participation
    from register.services.records import record_save

    settings.JOBS_BACKEND = "thread"  # production's default: code that asks sees a queue
    status = 0
    jobs = Jobs()

    def timed_get(client, url, **kwargs):
        """(seconds, queries, response) of one GET, its background work recorded."""
        nonlocal status
        with jobs.recorded(), CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **kwargs)
            seconds = time.perf_counter() - started
        if response.status_code not in (200, 202, 302, 303):
            log(f"{url}: HTTP {response.status_code}")
            status = 1
        return seconds, len(ctx.captured_queries), response

    def median_get(name, client, url, **extra):
        for _ in range(args.warmup):
            timed_get(client, url)
            jobs.run()
        runs = [timed_get(client, url) for _ in range(args.runs)]
        jobs.run()
        value = round(statistics.median(r[0] for r in runs) * 1000, 1)
        emit(name, value, "ms", queries=runs[-1][1], **extra)

    def save_in(organisation) -> float:
        """Save one cost of ``organisation`` (its outcome + 1,000 kr) through record_save, as a
        form would; return the seconds taken (its background work recorded)."""
        cost = (
            Cost.objects.filter(participation__organisation=organisation)
            .order_by("-year", "pk")
            .first()
        )
        cost.outcome = (cost.outcome or 0) + 1000
        with jobs.recorded():
            started = time.perf_counter()
            with transaction.atomic():
                record_save(access=None, instance=cost, reason="bench/national.py")
            return time.perf_counter() - started

    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .filter(n__gt=0)
        .order_by("-n", "code")
    )
    busiest = municipalities[0]
    mid = min(municipalities, key=lambda o: (abs(o.n - args.portfolio), o.code))
    theirs = Participation.objects.filter(organisation=busiest).values("arrangement")
    elsewhere = next(
        o
        for o in reversed(municipalities)
        if not Participation.objects.filter(organisation=o, arrangement__in=theirs).exists()
        and Cost.objects.filter(participation__organisation=o).exists()
    )
    log(
        f"Flest: {busiest} ({busiest.n}); nära {args.portfolio}: {mid} ({mid.n}); annan: {elsewhere}"
    )

    User = get_user_model()
    member = User.objects.create_user(username="bench-member", password=None)
    Membership.objects.create(user=member, organisation=busiest, role=Membership.Role.EDITOR)
    if mid.pk != busiest.pk:
        Membership.objects.create(user=member, organisation=mid, role=Membership.Role.READER)
    client = Client()
    client.force_login(member)
    public = Client()

    def wanted(part: str) -> bool:
        return args.only in ("all", part)

    if wanted("network"):
        # The national network page: after a change, then unchanged.
        url = reverse("register:network_national")
        timed_get(client, url)
        jobs.run()
        first, to_current, cpu, queries = [], [], [], 0
        for _ in range(args.change_runs):
            cpu_started = time.process_time()
            saved = save_in(elsewhere)
            saved += jobs.run()
            seconds, queries, _ = timed_get(client, url)
            first.append(seconds)
            to_current.append(saved + seconds + jobs.run())
            cpu.append(time.process_time() - cpu_started)
        emit_ms(
            "network_page_after_change",
            first,
            queries=queries,
        )
        emit_ms("network_to_current", to_current)
        emit_ms("network_to_current_cpu", cpu)
        median_get("network_page", client, url)

    if wanted("overview"):
        # Overviews and the due list.
        median_get(
            "overview_busiest",
            client,
            reverse("register:overview_organisation", args=[busiest.pk]),
            arrangements=busiest.n,
        )
        # The first request after a change in the organisation (a cost saved before each run).
        url = reverse("register:overview_organisation", args=[busiest.pk])
        after = []
        for _ in range(args.runs):
            save_in(busiest)
            jobs.run()
            seconds, queries, _ = timed_get(client, url)
            after.append(seconds)
            jobs.run()
        emit_ms(
            "overview_busiest_after_change",
            after,
            queries=queries,
            arrangements=busiest.n,
        )
        # The same, when the request comes before the background work after the change has run (or
        # from a reader whose overview is not kept computed): computed in the request.
        inside = []
        for _ in range(args.runs):
            save_in(busiest)
            jobs.calls = [c for c in jobs.calls if not c[0].endswith("keep_overview")]
            jobs.run()
            seconds, queries, _ = timed_get(client, url)
            inside.append(seconds)
            jobs.calls = [c for c in jobs.calls if not c[0].endswith("keep_overview")]
            jobs.run()
        emit_ms(
            "overview_busiest_after_change_in_request",
            inside,
            queries=queries,
            arrangements=busiest.n,
        )
        median_get(
            "overview_43",
            client,
            reverse("register:overview_organisation", args=[mid.pk]),
            arrangements=mid.n,
        )
        median_get(
            "due_busiest",
            client,
            reverse("register:organisation_due", args=[busiest.pk]),
            arrangements=busiest.n,
        )

    if wanted("insyn"):
        # Insyn: after a save elsewhere, uncached, cached.
        url = reverse("public:organisation", args=[busiest.code])
        timed_get(public, url)
        after, uncached = [], []
        for _ in range(args.change_runs):
            save_in(elsewhere)
            jobs.run()
            seconds, queries, _ = timed_get(public, url)
            after.append(seconds)
            jobs.run()
            cache.clear()
            seconds, uncached_queries, _ = timed_get(public, url)
            uncached.append(seconds)
            jobs.run()
        emit_ms(
            "insyn_after_save_elsewhere",
            after,
            queries=queries,
            arrangements=busiest.n,
        )
        emit_ms(
            "insyn_uncached",
            uncached,
            queries=uncached_queries,
            arrangements=busiest.n,
        )
        median_get("insyn_cached", public, url, arrangements=busiest.n)

    if wanted("pdf"):
        # The introduction PDF: after a change in the organisation, then current.
        url = reverse("register:intro_pack_pdf", args=[mid.pk])
        requests, to_pdf, in_request, final = [], [], True, url
        for _ in range(args.pdf_runs):
            save_in(mid)
            jobs.run()
            started = time.perf_counter()
            seconds, queries, response = timed_get(client, url)
            requests.append(seconds)
            in_request = in_request and is_pdf(response)
            jobs.run()
            final = url
            deadline = time.monotonic() + args.pdf_wait
            while not is_pdf(response) and time.monotonic() < deadline:
                if response.status_code in (302, 303):
                    final = response["Location"]
                else:
                    final = pdf_link(response.content.decode("utf-8", "replace")) or url
                    if final == url:
                        time.sleep(0.2)  # a job that runs on its own: ask again
                _, _, response = timed_get(client, final)
                jobs.run()
            to_pdf.append(time.perf_counter() - started)
            if not is_pdf(response):
                log(
                    f"Ingen PDF inom {args.pdf_wait} s: {response.status_code} {response['Content-Type']}"
                )
                status = 1
        emit(
            "intro_pdf_request",
            round(statistics.median(requests), 3),
            "s",
            queries=queries,
            arrangements=mid.n,
            rendered_in_request=in_request,
        )
        emit(
            "intro_pdf_to_pdf",
            round(statistics.median(to_pdf), 3),
            "s",
            arrangements=mid.n,
            bytes=len(response.content),
        )
        times = []
        for _ in range(args.runs if not in_request else 0):
            seconds, queries, response = timed_get(client, final)
            if not is_pdf(response):
                break
            times.append(seconds)
            jobs.run()
        if times:
            emit_ms(
                "intro_pdf_current",
                times,
                queries=queries,
            )
        elif not in_request:
            log("Den aktuella PDF:en serverades inte direkt.")
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
