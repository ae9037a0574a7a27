"""Benchmark refusing zip bombs: time and peak memory before openpyxl reads anything.

Run from the repository root:  .venv/bin/python bench/zip_bomb.py [--unpacked-mb 380]
Prints one JSON line per figure: {"name": ..., "value": ..., "unit": ...}. Needs no database.

Measured: a workbook of about 390 KB whose sheet unpacks to 380 MB (``--unpacked-mb``; the kind
of file once reported to tie up a request's time and memory), the same file with a header that
understates the sheet's size
(which zipfile alone would inflate whole into memory), and the cost of the archive check on a
legitimate 10,000-row workbook (it inflates every part once, in small chunks).
"""

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def emit(name, value, unit):
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def refuse(data: bytes, runs: int = 3) -> tuple[float, float, str]:
    """Return the fastest refusal in ms, its peak allocation in MB and the message."""
    from importers.readers import ReadError, open_workbook

    best = None
    peak = 0.0
    message = ""
    for _ in range(runs):
        tracemalloc.start()
        start = time.perf_counter()
        try:
            open_workbook(data)
        except ReadError as exc:
            message = str(exc)
        else:
            raise SystemExit("the bomb was not refused")
        elapsed = time.perf_counter() - start
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 1024 / 1024)
        tracemalloc.stop()
        best = elapsed if best is None else min(best, elapsed)
    return best * 1000, peak, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unpacked-mb", type=int, default=380)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    from import_excel import build_workbook

    from importers.readers import open_archive
    from tests.importers.zipbombs import MB, bomb_workbook

    declared = bomb_workbook(args.unpacked_mb * MB)
    emit("zip_bomb.file_size", round(len(declared) / 1024), "KB")
    emit("zip_bomb.unpacked_size", args.unpacked_mb, "MB")
    for name, data in (
        ("declared", declared),
        ("lying_header", bomb_workbook(args.unpacked_mb * MB, stated=2_000)),
    ):
        ms, peak, message = refuse(data)
        print(f"{name}: {message}", file=sys.stderr)
        emit(f"zip_bomb.{name}.refuse_time", round(ms, 2), "ms")
        emit(f"zip_bomb.{name}.peak_memory", round(peak, 3), "MB")

    workbook = build_workbook(args.rows)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        open_archive(workbook)
        timings.append(time.perf_counter() - start)
    emit("zip_bomb.archive_check_legit_workbook", round(min(timings) * 1000, 1), "ms")


if __name__ == "__main__":
    main()
