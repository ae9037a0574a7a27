"""Render time and page count of the introduction pack (PDF) for the demo municipality, Täby.

Run from the repository root: ``.venv/bin/python bench/intro_pack.py [--runs 3] [--grow 43]``.
It builds a throwaway SQLite database, loads the demo (``load_demo``) and renders Täby's pack
as a reader of Täby, in-process through ``intro_pack.build`` and ``intro_pack.pdf`` (the one PDF
writer, ``reports/pdf.py``): the median of ``--runs`` renders after one warm-up, the pages and
the bytes. With ``--grow N`` it then lets Täby take part in the demo's other arrangements up to
N (issue 23's yardstick: 43) and renders again. One JSON line per figure::

    {"name": "intro_pack_taby", "value": 2.1, "unit": "s", "pages": 20, "bytes": 123456,
     "arrangements": 12}

Issue 23: generation ≤ 3 s (stretch ≤ 1.5 s), fewer pages for the same facts. Progress goes to
stderr.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from scale_setup import log, start_django  # bench/ itself is on the path


def emit(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def render(runs: int, name: str) -> None:
    import pypdf

    from register.access import Access
    from register.data import demo_portfolio as P
    from register.models import Organisation
    from register.reports import intro_pack

    taby = Organisation.objects.get(code=P.TABY)
    access = Access(user_id=None, member_org_ids=frozenset({taby.pk}))
    times, content = [], b""
    for i in range(runs + 1):
        started = time.perf_counter()
        content = intro_pack.pdf(intro_pack.build(access, taby))
        if i:  # the first render warms up (fonts, templates)
            times.append(time.perf_counter() - started)
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    arrangements = taby.participations.count()
    log(f"{name}: {arrangements} samverkan, {pages} sidor.")
    emit(
        name=name,
        value=round(statistics.median(times), 2),
        unit="s",
        pages=pages,
        bytes=len(content),
        arrangements=arrangements,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--grow", type=int, default=43)
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="bench-intro-pack-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    warnings.filterwarnings("ignore", message="No directory at")
    start_django()
    from django.core.management import call_command

    from register.data import demo_portfolio as P
    from register.demo import load_demo
    from register.models import Arrangement, Organisation, Participation

    call_command("migrate", verbosity=0)
    load_demo()
    render(args.runs, "intro_pack_taby")
    if args.grow:
        taby = Organisation.objects.get(code=P.TABY)
        others = Arrangement.objects.exclude(participations__organisation=taby).order_by("pk")
        for arrangement in others[: max(args.grow - taby.participations.count(), 0)]:
            Participation.objects.create(arrangement=arrangement, organisation=taby)
        render(args.runs, f"intro_pack_taby_{args.grow}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
