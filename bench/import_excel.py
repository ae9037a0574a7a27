"""Benchmark the Excel importer on a 10,000-row workbook against openpyxl's own read (the floor).

Run from the repository root:  .venv/bin/python bench/import_excel.py [--rows 10000] [--rounds 5]
Prints one JSON line per figure: {"name": ..., "value": ..., "unit": ..., "queries": ...}.
Uses a throwaway SQLite database in a temporary directory; the project's database is not touched.
Measures production's settings (DEBUG off, see ``scale_setup.start_django``).

First the ratio a user feels (``import_excel.cold_*``): the floor (openpyxl reading the file,
every cell) and the commit (``import_file`` of the same file into a freshly migrated database)
each in a fresh process, alternating (floor, commit; then commit, floor; ...) for ``--rounds``
rounds, so that a busy moment of the machine falls on both alike. Each process times only its
own work, after its imports and Django's start: the first read, the first import, nothing warm.
The figures are the medians over the rounds, the ratio the median of each round's ratio.
Then the warm figures in this process (best of three, as before): the preview, the commit, the
reimport of an unchanged file.
"""

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale_setup import start_django  # bench/ itself is on the path: the scripts run from it

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_workbook(rows: int, seed: int = 1) -> bytes:
    import openpyxl

    rng = random.Random(seed)
    partners = ["Vaxholm", "Danderyds kommun", "Lidingö stad", "Solna", "0117", "Region Stockholm"]
    forms = ["Kommunalförbund", "Gem. nämnd", "avtal", "AB", "Samordningsförbund"]
    areas = ["Räddningstjänst", "IT", "Lön", "Miljö och hälsoskydd", "Vatten och avlopp"]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Samverkan")
    sheet.append(["Förteckning över samverkan (benchmark)"])
    sheet.append(["Belopp i tkr"])
    sheet.append([])
    sheet.append(
        [
            "Namn", "Samverkansform", "Parter", "Värdkommun", "Verksamhetsområde",
            "Ansvarig nämnd", "Startdatum", "Giltig t.o.m.", "Kostnad 2022 (tkr)",
            "Kostnad 2023 (tkr)", "Kostnad 2024 (tkr)", "Våra ledamöter", "Kommentar",
        ]
    )  # fmt: skip
    for i in range(rows):
        sheet.append(
            [
                f"Samverkan nummer {i}",
                rng.choice(forms),
                ", ".join(rng.sample(partners, rng.randint(1, 3))),
                rng.choice(["Täby", "", "Vaxholm"]),
                rng.choice(areas),
                "Kommunstyrelsen",
                f"{rng.randint(1990, 2020)}-01-01",
                rng.choice(["tills vidare", "2030-12-31", ""]),
                f"{rng.randint(100, 90000)} {rng.randint(100, 999)}",
                rng.randint(100, 90000),
                f"ca {rng.randint(100, 9000)},5",
                f"Anna Svensson{i} (S), ledamot; Per Olsson{i} (M), ersättare",
                rng.choice(["", "Kommentar", "Se avtal"]),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def floor(data: bytes) -> tuple[float, int]:
    """Return openpyxl's own read-only iteration time over every cell, and the row count."""
    import openpyxl

    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    return time.perf_counter() - start, count


class QueryCounter:
    """Count the SQL queries run inside the block (no cap, unlike CaptureQueriesContext)."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._cm = self.connection.execute_wrapper(self)
        self._cm.__enter__()
        self.count = 0
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def emit(name, value, unit, queries=None):
    print(json.dumps({"name": name, "value": value, "unit": unit, "queries": queries}), flush=True)


def child(kind: str, path: Path) -> None:
    """One cold measurement in this fresh process: print {"seconds", "queries"} as JSON."""
    if kind == "floor":
        import openpyxl  # noqa: F401  (imported before the clock starts, as Django is below)

        data = path.read_bytes()
        cpu = time.process_time()
        seconds, _count = floor(data)
        cpu = time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu": cpu, "queries": None}), flush=True)
        return
    start_django()
    from django.conf import settings
    from django.db import connection

    from importers.services import import_file

    # Background work as production's default runs it (a thread started at commit; with Redis, a
    # worker process): the import is done when its rows are written, the search index follows.
    settings.JOBS_BACKEND = "thread"
    from register.models import Organisation

    organisation = Organisation.objects.get(code="0160")
    data = path.read_bytes()
    with QueryCounter(connection) as ctx:
        cpu = time.process_time()
        start = time.perf_counter()
        result = import_file(data=data, file_name="bench.xlsx", organisation=organisation)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    assert result.written, result.summary()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "queries": ctx.count}), flush=True)


def cold(kind: str, workbook: Path, database: Path | None) -> dict:
    """Run one measurement in a fresh Python process and return what it printed."""
    env = {**os.environ, "DEBUG": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    if database is not None:
        env["DATABASE_URL"] = f"sqlite:///{database}"
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--file", str(workbook)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def interleaved(workbook: Path, template_db: Path, rounds: int, folder: Path) -> None:
    """Floor and commit alternating in fresh processes; emit both medians and the ratio."""
    floors, commits, ratios, cpu_ratios, queries = [], [], [], [], None
    for i in range(rounds):
        order = ["floor", "commit"] if i % 2 == 0 else ["commit", "floor"]
        seconds, cpu = {}, {}
        for kind in order:
            database = None
            if kind == "commit":  # a fresh copy of the migrated database: every commit creates
                database = folder / f"commit-{i}.sqlite3"
                shutil.copyfile(template_db, database)
            measured = cold(kind, workbook, database)
            seconds[kind] = measured["seconds"]
            cpu[kind] = measured["cpu"]
            if kind == "commit":
                queries = measured["queries"]
                database.unlink()
            print(f"round {i + 1}/{rounds}: {kind} {seconds[kind]:.2f} s", file=sys.stderr)
        floors.append(seconds["floor"])
        commits.append(seconds["commit"])
        ratios.append(seconds["commit"] / seconds["floor"])
        cpu_ratios.append(cpu["commit"] / cpu["floor"])
    emit("import_excel.cold_openpyxl_floor", round(statistics.median(floors), 3), "s")
    emit("import_excel.cold_commit", round(statistics.median(commits), 3), "s", queries)
    emit(
        "import_excel.cold_commit_ratio_to_floor",
        round(statistics.median(ratios), 2),
        "x",
        queries,
    )
    # The same ratio in CPU time of the process: what a busy machine changes least.
    emit("import_excel.cold_cpu_ratio_to_floor", round(statistics.median(cpu_ratios), 2), "x")
    emit("import_excel.cold_rounds", rounds, "rounds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="Omgångar i kalla processer.")
    parser.add_argument("--no-commit", action="store_true", help="Mät bara provkörningen.")
    parser.add_argument("--no-warm", action="store_true", help="Bara de kalla omgångarna.")
    parser.add_argument("--child", choices=["floor", "commit"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file)
        return

    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    template_db = folder / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{template_db}"
    start_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from importers.services import import_file, paused_gc, run_import
    from register.models import Organisation

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.get(code="0160")
    data = build_workbook(args.rows)
    emit("import_excel.workbook_size", round(len(data) / 1024 / 1024, 2), "MB")
    workbook = folder / "bench.xlsx"
    workbook.write_bytes(data)
    if not args.no_commit:
        connection.close()  # the migrated database is the template every cold commit copies
        interleaved(workbook, template_db, args.rounds, folder)
    if args.no_warm:
        tmp.cleanup()
        return

    floor_seconds = min(floor(data)[0] for _ in range(3))
    emit("import_excel.openpyxl_floor", round(floor_seconds, 3), "s")
    # The importer pauses the cyclic garbage collector (register.gc_pause.paused_gc); the same
    # read with it paused too shows how much of the importer's lead that is.
    with paused_gc():
        paused_floor = min(floor(data)[0] for _ in range(3))
    emit("import_excel.openpyxl_floor_gc_paused", round(paused_floor, 3), "s")

    timings = []
    for _ in range(3):
        with QueryCounter(connection) as ctx:
            start = time.perf_counter()
            result = run_import(source=data, organisation=organisation, dry_run=True)
            timings.append(time.perf_counter() - start)
    dry = min(timings)
    assert result.summary()["created"] == args.rows, result.summary()
    emit("import_excel.dry_run", round(dry, 3), "s", ctx.count)
    emit("import_excel.dry_run_rows_per_second", round(args.rows / dry), "rows/s", ctx.count)
    emit("import_excel.dry_run_ratio_to_floor", round(dry / floor_seconds, 2), "x", ctx.count)

    if not args.no_commit:
        # Three commits, as three reads for the floor: the first two are rolled back after they
        # are timed (the database is as before), the last one stays for the reimport below.
        timings = []
        for attempt in range(3):
            with transaction.atomic():
                with QueryCounter(connection) as ctx:
                    start = time.perf_counter()
                    result = import_file(
                        data=data, file_name="bench.xlsx", organisation=organisation
                    )
                    timings.append(time.perf_counter() - start)
                assert result.written, result.summary()
                if attempt < 2:
                    transaction.set_rollback(True)
        commit = min(timings)
        emit("import_excel.commit", round(commit, 3), "s", ctx.count)
        emit("import_excel.commit_rows_per_second", round(args.rows / commit), "rows/s", ctx.count)
        emit("import_excel.commit_ratio_to_floor", round(commit / floor_seconds, 2), "x", ctx.count)
        emit(
            "import_excel.commit_ratio_to_gc_paused_floor",
            round(commit / paused_floor, 2),
            "x",
            ctx.count,
        )
        with QueryCounter(connection) as ctx:
            start = time.perf_counter()
            again = run_import(source=data, organisation=organisation, dry_run=True)
            second = time.perf_counter() - start
        assert again.summary()["unchanged"] == args.rows, again.summary()
        emit("import_excel.reimport_unchanged", round(second, 3), "s", ctx.count)
        emit(
            "import_excel.reimport_ratio_to_floor", round(second / floor_seconds, 2), "x", ctx.count
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
