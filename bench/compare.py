"""Run a benchmark of this tree and of an older commit side by side, in one run.

Run from the repository root::

    .venv/bin/python bench/compare.py --base 9703d54 [--rounds 3] pages [-- --runs 15]

The older commit is unpacked with ``git archive`` into a temporary folder (the working tree is not
touched). Each round runs the benchmark script (``bench/<name>.py``) of both trees, in turns
(old, new; then new, old; ...), with this tree's Python, so that a busy moment of the machine
falls on both alike. By default (``--script own``) each tree uses its own benchmark script, so
both measure the code they ship. With ``--script new`` this tree's ``bench/*.py`` (the script and
the helpers it imports, such as ``scale_setup.py``) are copied into the older tree's ``bench/``
first, so a benchmark written now measures the older code too (it must then cope with both: see
``bench/national.py``). Every figure is the median over the rounds; one JSON line per figure::

    {"name": "pages.arrangement_list", "old": 129.7, "new": 114.7, "ratio": 0.88,
     "unit": "ms", "queries_old": 11, "queries_new": 12, "rounds": 3, "base": "9703d54",
     "load_old": [0.41, 0.62, 0.55], "load_new": [0.5, 0.48, 0.6]}

``ratio`` is new / old: below 1 is faster (or less) now. A figure that only this tree measures
has ``"old": null``. ``load_old`` and ``load_new`` are the machine's 1-minute load average when
each round's run of that tree started (a figure measured at load 3 on a 2-CPU machine is not a
quiet one). The machine's load average (1, 5, 15 minutes) at the start and at the end goes to
stderr and, last, as one JSON line::

    {"name": "machine.loadavg", "start": [0.6, 0.7, 0.9], "end": [1.9, 1.2, 1.0], "cpus": 2}

Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def unpack(rev: str, into: Path) -> Path:
    """Unpack commit ``rev`` of this repository into ``into`` and return the folder."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def loadavg() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes."""
    return [round(x, 2) for x in os.getloadavg()]


def use_new_scripts(old_tree: Path) -> None:
    """Copy this tree's benchmark scripts and their helpers into the older tree's bench/."""
    (old_tree / "bench").mkdir(exist_ok=True)
    for script in (ROOT / "bench").glob("*.py"):
        shutil.copy2(script, old_tree / "bench" / script.name)


def run(tree: Path, bench: str, extra: list[str]) -> list[dict]:
    """Run ``bench/<bench>.py`` of ``tree`` and return its JSON lines."""
    # DEBUG off in both trees, as in production (an older tree's script may not see to it
    # itself): with DEBUG on, Django logs the SQL of every query, which on SQLite costs more
    # than a large insert itself.
    env = {**os.environ, "DEBUG": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)  # each benchmark makes its own throwaway database
    done = subprocess.run(
        [sys.executable, f"bench/{bench}.py", *extra],
        cwd=tree,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the older commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--script",
        choices=["own", "new"],
        default="own",
        help="own: each tree runs its own bench/ script; new: both run this tree's",
    )
    parser.add_argument("bench", help="the benchmark: pages, import_excel, ...")
    parser.add_argument("extra", nargs="*", help="arguments for the benchmark (after --)")
    args = parser.parse_args(argv)
    load_start = loadavg()
    log(f"Belastning (1, 5, 15 min) vid start: {load_start} på {os.cpu_count()} kärnor")

    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        old_tree = unpack(args.base, Path(tmp))
        if args.script == "new":
            use_new_scripts(old_tree)
        results: dict[str, dict[str, list]] = {"old": defaultdict(list), "new": defaultdict(list)}
        loads: dict[str, dict[str, list]] = {"old": defaultdict(list), "new": defaultdict(list)}
        units, queries = {}, {"old": {}, "new": {}}
        for i in range(args.rounds):
            order = [("old", old_tree), ("new", ROOT)]
            if i % 2:
                order.reverse()
            for label, tree in order:
                load = loadavg()[0]
                log(f"round {i + 1}/{args.rounds}: {label} (belastning {load})")
                for line in run(tree, args.bench, args.extra):
                    if not isinstance(line.get("value"), (int, float)):
                        continue  # a line without a figure (e.g. the benchmark's own notes)
                    results[label][line["name"]].append(line["value"])
                    loads[label][line["name"]].append(load)
                    units[line["name"]] = line.get("unit", "")
                    queries[label][line["name"]] = line.get("queries")
    for name in results["new"]:
        # A figure the older tree does not measure yet is shown too, with "old": null.
        old = statistics.median(results["old"][name]) if name in results["old"] else None
        new = statistics.median(results["new"][name])
        print(
            json.dumps(
                {
                    "name": name if name.startswith(args.bench) else f"{args.bench}.{name}",
                    "old": round(old, 3) if old is not None else None,
                    "new": round(new, 3),
                    "ratio": round(new / old, 3) if old else None,
                    "unit": units[name],
                    "queries_old": queries["old"].get(name),
                    "queries_new": queries["new"].get(name),
                    "rounds": args.rounds,
                    "base": args.base,
                    "script": args.script,
                    "load_old": loads["old"].get(name, []),
                    "load_new": loads["new"][name],
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    load_end = loadavg()
    log(f"Belastning (1, 5, 15 min) vid slut: {load_end}")
    print(
        json.dumps(
            {
                "name": "machine.loadavg",
                "start": load_start,
                "end": load_end,
                "cpus": os.cpu_count(),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
