"""Server time of a representative's briefing before a meeting of 20 agenda items, as a page and as
the tagged PDF (goal: the PDF under 3 s), on seed_scale data.

Run from the repository root: ``.venv/bin/python bench/briefing.py [--arrangements 5000]
[--years 10] [--seed 1] [--runs 5] [--items 20]``. Like bench/pages.py it builds a throwaway SQLite
database, migrates it and loads ``seed_scale``; it then takes the busiest municipality's
arrangement with the most bodies, gives its first body a meeting of ``--items`` agenda items with
our position on each (a paragraph of text, where and when agreed) and a representative of ours,
and measures the briefing page and its PDF with Django's test Client: warm-up requests, then the
median of N runs. One JSON line per figure on stdout, for example::

    {"name": "briefing_pdf", "value": 812.4, "unit": "ms", "queries": 12, "items": 20,
     "goal_ms": 3000, "pages": 2}

Progress goes to stderr. The exit status is 1 if a page did not answer 200, the PDF took longer
than the goal (unless ``--no-goal``) or had more than three pages.
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
    print_page_times,
    scale_parser,
    seeded,
)

GOAL_MS = 3000
POSITION_TEXT = (
    "Vi stöder förslaget under förutsättning att kostnadsökningen för medlemskommunerna "
    "stannar inom den ram som förbundsordningen anger, och att konsekvenserna för barn och "
    "unga redovisas innan beslut."
)


def parse_args(argv=None):
    parser = scale_parser(__doc__, runs=5, warmup=1)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument(
        "--no-goal",
        action="store_true",
        help="Report the time without judging it (the tests: a busy machine is not a failure).",
    )
    return parser.parse_args(argv)


def make_meeting(busiest, items: int):
    """Return (the meeting, our representative) on the busiest municipality's arrangement with
    the most bodies: ``items`` agenda items, our position on each."""
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from register.management.commands.seed_scale import scale_arrangements
    from register.models import AgendaItem, Meeting, Person, Position, Seat

    arrangement = (
        scale_arrangements()
        .filter(participations__organisation=busiest, bodies__isnull=False)
        .annotate(b=Count("bodies", distinct=True))
        .order_by("-b", "pk")
        .first()
    )
    body = arrangement.bodies.order_by("pk").first()
    starts = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=5), dt.time(9))
    )
    meeting = Meeting.objects.create(
        body=body, starts_at=starts, place="Kommunhuset, sal A", title="Ordinarie sammanträde"
    )
    person = Person.objects.create(
        name="Bänk Företrädare", party="M", organisation=busiest, email="bank@example.se"
    )
    Seat.objects.create(body=body, person=person, appointed_by=busiest, role=Seat.Role.MEMBER)
    stances = [Position.Stance.SUPPORT, Position.Stance.AMEND, Position.Stance.OPPOSE]
    for n in range(1, items + 1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            number=f"§ {n}",
            title=f"Ärende {n}: budget, taxor och verksamhetsplan för kommande år",
            sort_order=n,
            document_url=f"https://example.se/handlingar/{n}.pdf",
        )
        Position.objects.create(
            item=item,
            organisation=busiest,
            stance=stances[n % 3],
            text=POSITION_TEXT,
            agreed_in=Position.AgreedIn.KSAU,
            agreed_on=timezone.localdate(),
            agreed_by="KSAU § 12",
        )
    log(f"{arrangement}: {body}, {items} ärenden med vår ståndpunkt.")
    return meeting, person


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp, _ = seeded(
        "bench-briefing-", arrangements=args.arrangements, years=args.years, seed=args.seed
    )

    import io
    import json
    import statistics

    import pypdf
    from django.test import Client
    from django.urls import reverse

    busiest, user = busiest_editor()
    meeting, person = make_meeting(busiest, args.items)
    client = Client()
    client.force_login(user)
    html_url = reverse("register:briefing", args=[meeting.pk, person.pk])
    pdf_url = reverse("register:briefing_pdf", args=[meeting.pk, person.pk])
    status = print_page_times(
        client, {"briefing": html_url}, runs=args.runs, warmup=args.warmup, items=args.items
    )
    # The PDF is made by a background job and kept per data version (register/reports/pdf_jobs.py;
    # the benchmarks' settings run the job inline, in the request): a new data version before
    # every request makes each one render, which is the time measured here.
    from register.public import cache

    times, queries, ok = [], 0, True
    for _ in range(args.runs + args.warmup):
        cache.bump()
        run_times, queries, run_ok = page_times(client, "briefing_pdf", pdf_url, runs=1, warmup=0)
        times += run_times
        ok = ok and run_ok
    times = times[args.warmup :]
    pages = len(pypdf.PdfReader(io.BytesIO(client.get(pdf_url).content)).pages)
    value = round(statistics.median(times), 1)
    line = {"name": "briefing_pdf", "value": value, "unit": "ms", "queries": queries}
    extra = {"items": args.items, "goal_ms": GOAL_MS, "pages": pages}
    print(json.dumps({**line, **extra}), flush=True)
    if not ok or (value > GOAL_MS and not args.no_goal) or not 1 <= pages <= 3:
        log(f"briefing_pdf: {value} ms, {pages} sidor (mål: under {GOAL_MS} ms, 1–3 sidor).")
        status = 1
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
