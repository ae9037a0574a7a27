"""Pausing Python's cyclic garbage collector while a file is read, planned, written or undone.

A large list keeps millions of objects alive at once (cells, values, plans, changes, records to
write), and the collector walks all of them on every full pass, while an import makes almost no
reference cycles: everything it makes is freed by its reference count as before, so pausing costs
no memory. ``bench/import_excel.py`` measures what it saves.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Pause the collector in the block (usable as a decorator too); it runs again as usual
    afterwards. Nested pauses leave the collector to the outermost, and a collector someone
    else paused stays paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
