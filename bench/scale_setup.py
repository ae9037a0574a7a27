"""The benchmarks' common start: Django on a throwaway SQLite database with ``seed_scale`` data.

Imported by the benchmark scripts (``bench/pages.py`` and the others run as scripts, so this
folder is on the import path). Progress goes to stderr, so stdout holds only JSON lines.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def start_django() -> None:
    """Start Django with the settings production runs: the production settings with the tests'
    key (``tests.settings``) and DEBUG off, whatever the shell says. With DEBUG on, Django
    keeps the SQL of every query, and on SQLite it asks the database to quote every parameter
    for that: on an import's large inserts this costs more than the inserts themselves, so a
    benchmark with DEBUG on would measure the logging rather than the register."""
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        raise SystemExit("Benchmarks measure production's settings, with DEBUG off.")


#: Where seeded databases are kept between runs (``BENCH_CACHE`` overrides; ``BENCH_CACHE=off``
#: seeds afresh every time).
CACHE_DIR = Path(
    os.environ.get("BENCH_CACHE", Path(tempfile.gettempdir()) / "samverkan-bench-cache")
)


def schema_key(root: Path = ROOT) -> str:
    """A digest of what a seeded database depends on besides the seed's parameters: every app's
    migrations (schema and reference data), ``seed_scale`` itself and the reference files it
    reads. Two trees with the same digest seed the same database; a tree with a new migration
    gets its own."""
    digest = hashlib.sha256()
    files = sorted(
        [*root.glob("*/migrations/*.py"), *(root / "register" / "data").glob("*")]
        + [root / "register" / "management" / "commands" / "seed_scale.py"]
    )
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(*, arrangements: int, years: int, seed: int) -> Path | None:
    """The cached database for these parameters and this tree's schema, or None when off."""
    if str(CACHE_DIR).lower() in {"off", "0", "no", ""}:
        return None
    return CACHE_DIR / f"scale-{arrangements}x{years}-s{seed}-{schema_key()}.sqlite3"


def seeded_file(db_path: Path, *, arrangements: int, years: int, seed: int):
    """Migrate the SQLite database ``db_path`` and load ``seed_scale`` into it, or copy a cached
    copy made with the same parameters and the same schema (``cache_path``). Django must not be
    started yet: this sets DATABASE_URL and starts it. Return seed_scale's figures as a dict."""
    # Before django.setup(): a throwaway database, and the test client's host allowed.
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    cached = cache_path(arrangements=arrangements, years=years, seed=seed)
    meta = cached.with_suffix(".json") if cached else None
    if cached and cached.exists() and meta.exists():
        shutil.copyfile(cached, db_path)
        log(f"Databas: {db_path} (kopia av {cached})")
        start_django()
        return json.loads(meta.read_text())
    start_django()
    from django.core.management import call_command
    from django.db import connection

    from register.management.commands.seed_scale import seed_scale

    log(f"Databas: {db_path}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"Migrerad på {time.perf_counter() - started:.1f} s.")
    result = seed_scale(arrangements=arrangements, years=years, seed=seed)
    figures = dataclasses.asdict(result)
    log(
        f"seed_scale: {result.arrangements} samverkan, {result.participations} deltaganden, "
        f"{result.costs} kostnadsrader på {result.seconds:.1f} s."
    )
    if cached:
        # Written under a temporary name and renamed: a run beside this one never copies half a
        # file. The database is closed first, so the copy holds everything (no WAL left behind).
        connection.close()
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        shutil.copyfile(db_path, partial)
        meta.write_text(json.dumps(figures, default=str))
        os.replace(partial, cached)
        log(f"Sparad för nästa körning: {cached}")
    return figures


def seeded(prefix: str, *, arrangements: int, years: int, seed: int):
    """Start Django on a new SQLite database in a temporary folder, migrate it and load
    ``seed_scale`` (or copy a cached one: ``seeded_file``); return (the folder, kept alive by the
    caller, and seed_scale's figures, with attributes ``arrangements``, ``participations`` ...)."""
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    db_path = Path(tmp.name) / "bench.sqlite3"
    figures = seeded_file(db_path, arrangements=arrangements, years=years, seed=seed)
    return tmp, types.SimpleNamespace(**figures)


def median_ms(fn, runs: int, warmup: int):
    """Return (the median of ``runs`` timings of ``fn()`` in ms after ``warmup`` calls, and the
    last result)."""
    for _ in range(warmup):
        fn()
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), result


def busiest_editor():
    """Return (the municipality with the most participations, annotated ``n``, and a new user
    who edits for it)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from register.models import Membership, Organisation

    busiest = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .order_by("-n", "code")
        .first()
    )
    user = get_user_model().objects.create_user(username="bench-editor", password=None)
    Membership.objects.create(user=user, organisation=busiest, role=Membership.Role.EDITOR)
    return busiest, user


def page_times(client, name: str, url: str, *, runs: int, warmup: int):
    """Return (the server times of ``runs`` GETs of ``url`` in ms, after ``warmup``, the queries
    of one, whether every one answered 200), timed with the test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)
    times, queries, ok = [], 0, True
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            log(f"{name}: HTTP {response.status_code}")
            ok = False
    return times, queries, ok


def print_page_times(client, pages: dict, *, runs: int, warmup: int, **extra) -> int:
    """Print one JSON line per page: the median server time of ``runs`` GETs (after ``warmup``)
    with the test client, and the queries of one. Return 1 if a page did not answer 200."""
    import json

    status = 0
    for name, url in pages.items():
        times, queries, ok = page_times(client, name, url, runs=runs, warmup=warmup)
        status = status or (0 if ok else 1)
        line = {"name": name, "value": round(statistics.median(times), 1), "unit": "ms"}
        print(json.dumps({**line, "queries": queries, **extra}), flush=True)
    return status


def scale_parser(doc: str, *, runs: int = 15, warmup: int = 3):
    """Return the benchmarks' argument parser: the seed_scale size and the runs to time."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--warmup", type=int, default=warmup)
    return parser
