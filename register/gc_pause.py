"""Pausing Python's cyclic garbage collector while a large computation runs: an import reading,
planning, writing or undoing a file (``importers``), and the county and national network figures
(``register.reports.analytics.compute_area``).

A large computation keeps hundreds of thousands of objects alive at once (an import's cells,
values, plans and records; the network's rows, graphs and ties), and the collector walks all of
them, and everything else the process holds, on every full pass, while such work makes few
reference cycles: nearly everything it makes is freed by its reference count as before, and the
first pass after the pause collects the rest (an import's survivors need not wait for it:
``keep_survivors``). ``bench/import_excel.py`` and ``bench/national.py`` measure what it saves.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc(*, keep_survivors: bool = False):
    """Pause the collector in the block (usable as a decorator too); it runs again as usual
    afterwards. Nested pauses leave the collector to the outermost, and a collector someone
    else paused stays paused.

    With ``keep_survivors``, what the block made and still holds (an import's result, its rows
    and plans) joins the oldest generation when the collector resumes, as it would after
    surviving the young passes: otherwise the first young pass after the block walks every one
    of those objects (a tenth of a second after an import of 10,000 rows) to find them alive.
    For a block whose survivors live on and hold no reference cycles, as an import's do: cycles
    the block left wait for the next full pass. Without it the first young pass after the block
    collects them, as the network's graphs need (a graph keeps views that point back at it: a
    recompute with ``keep_survivors`` measured 8 % slower). A process that froze objects of its
    own (``gc.freeze``, as a forking server may) is left as it is either way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep_survivors and not gc.get_freeze_count():
                gc.freeze()  # every tracked object to the permanent generation, counts reset,
                gc.unfreeze()  # and from there to the oldest: no young pass walks them again
            gc.enable()
