"""A bounded load test of the public site: gunicorn on loopback with the seed_scale data.

Run from the repository root: ``.venv/bin/python bench/public_load.py [--arrangements 1000]
[--years 5] [--workers 2] [--threads 8] [--requests 2000]``. It builds a throwaway SQLite
database, migrates it and loads ``seed_scale``; starts gunicorn (production settings, plain http)
on a free loopback port; then sends the same number of requests, from ``--threads`` client
threads with keep-alive connections (``http.client``), first to a trivial Django view on the same
server (``/robots.txt``: no database, no template) and then to the busiest municipality's public
page (``/insyn/<kommunkod>/``). It prints JSON lines: each URL's requests per second, p50 and p95
latency and errors, and the municipality page's throughput as a ratio to the trivial view (goal
≥ 0.5, stretch ≥ 0.8)::

    {"name": "public_load.ratio_to_trivial", "value": 0.93, "unit": "ratio"}

Progress goes to stderr, so stdout holds only the JSON lines.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scale_setup import start_django  # bench/ itself is on the path: the scripts run from it

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(name: str, value, unit: str, **extra) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit, **extra}), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, *, total: int, threads: int) -> dict:
    """Send ``total`` GET requests for ``path`` from ``threads`` threads; return the figures."""
    per_thread = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(count: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        for _ in range(count):
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    pool = [threading.Thread(target=worker, args=(n,)) for n in per_thread]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": round(total / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2),
        "errors": errors[0],
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="bench-public-")
    db_path = Path(tmp.name) / "bench.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "tests.settings",  # production settings on plain http
        "DEBUG": "0",  # gunicorn's workers too, whatever the shell says
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    start_django()
    from django.core.management import call_command
    from django.db.models import Count

    from register.management.commands.seed_scale import seed_scale
    from register.models import Organisation

    call_command("migrate", verbosity=0)
    result = seed_scale(arrangements=args.arrangements, years=args.years, seed=args.seed)
    log(f"seed_scale: {result.arrangements} samverkan, {result.participations} deltaganden.")
    busiest = (
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, participations__arrangement__is_published=True
        )
        .annotate(n=Count("participations"))
        .order_by("-n", "code")
        .first()
    )
    log(f"Kommunen med flest publicerade samarbeten: {busiest.name} ({busiest.n}).")
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "register.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    log("gunicorn startade inte.")
                    return 1
                time.sleep(0.1)
        page = f"/insyn/{busiest.code}/"
        trivial = "/robots.txt"
        # Warm-up: every worker builds and caches the page once.
        load(port, page, total=args.workers * 20, threads=args.workers * 2)
        load(port, trivial, total=args.workers * 20, threads=args.workers * 2)
        figures = {}
        for name, path in (("trivial_view", trivial), ("municipality_page", page)):
            figures[name] = load(port, path, total=args.requests, threads=args.threads)
            log(f"{path}: {figures[name]}")
            for key, unit in (("rps", "req/s"), ("p50_ms", "ms"), ("p95_ms", "ms")):
                emit(f"public_load.{name}.{key}", figures[name][key], unit, path=path)
            emit(f"public_load.{name}.errors", figures[name]["errors"], "count", path=path)
        ratio = figures["municipality_page"]["rps"] / figures["trivial_view"]["rps"]
        emit(
            "public_load.ratio_to_trivial",
            round(ratio, 3),
            "ratio",
            goal=0.5,
            stretch=0.8,
            workers=args.workers,
            threads=args.threads,
            requests=args.requests,
            arrangements=args.arrangements,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
