"""The importer pauses Python's cyclic garbage collector while it works, and only then."""

import gc

import pytest

from importers import planning, services
from importers.services import import_file, paused_gc, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_states(monkeypatch):
    """Record whether the collector ran while the importer planned a file."""
    seen = []
    plan = planning.plan_workbook

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return plan(*args, **kwargs)

    monkeypatch.setattr(services, "plan_workbook", spy)
    return seen


def test_a_preview_and_a_commit_run_with_the_collector_paused_and_restore_it(
    taby, example_bytes, collector_states
):
    assert gc.isenabled()
    run_import(source=example_bytes, organisation=taby, dry_run=True)
    result = import_file(data=example_bytes, file_name="lista.xlsx", organisation=taby)
    assert result.written
    assert collector_states == [False, False]
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_file_cannot_be_read(taby, collector_states):
    with pytest.raises(services.ReadError):
        run_import(source=b"inte en arbetsbok", organisation=taby, dry_run=True)
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with paused_gc():
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer pause is still on
        assert not gc.isenabled()  # and the caller's own
    finally:
        gc.enable()


def _passes_after(block, **pause):
    """Run ``block`` inside a pause, then make 100 lists; return the generations of the
    collector's passes (none run inside the pause)."""
    passes = []

    def record(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(record)
    try:
        with paused_gc(**pause):
            kept = block()
        after = [[] for _ in range(100)]  # fewer new objects than a young pass waits for
    finally:
        gc.callbacks.remove(record)
    return passes, kept, after


def test_what_an_import_made_is_not_walked_again_by_a_young_pass_when_it_ends():
    passes, kept, _after = _passes_after(lambda: [[] for _ in range(10_000)], keep_survivors=True)
    assert passes == []  # without the move to the oldest generation: a pass at the first list
    assert len(kept) == 10_000
    assert gc.isenabled()


def test_otherwise_a_young_pass_follows_the_pause_and_collects_its_cycles():
    class Node:
        pass

    def cycles():
        for _ in range(1000):
            a, b = Node(), Node()
            a.other, b.other = b, a
        return [[] for _ in range(10_000)]

    collected = []

    def record(phase, info):
        if phase == "stop":
            collected.append(info["collected"])

    gc.callbacks.append(record)
    try:
        passes, _kept, _after = _passes_after(cycles)
    finally:
        gc.callbacks.remove(record)
    assert passes and passes[0] < 2  # a young pass, right after the pause
    assert sum(collected) >= 2000  # the pairs the block left, found at once


def test_cycles_an_import_leaves_are_collected_by_the_next_full_pass():
    class Node:
        pass

    def cycle():
        a, b = Node(), Node()
        a.other, b.other = b, a

    _passes_after(lambda: [cycle() for _ in range(100)], keep_survivors=True)
    assert gc.collect() >= 200  # the 100 pairs (and their dicts) were garbage, and found


def test_every_pause_of_the_importer_keeps_its_survivors(taby, example_bytes, monkeypatch):
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    run_import(source=example_bytes, organisation=taby, dry_run=True)
    import_file(data=example_bytes, file_name="lista.xlsx", organisation=taby)
    assert frozen == [True, True]  # once per outermost pause


def test_objects_someone_else_froze_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_gc(keep_survivors=True):
            [[] for _ in range(1000)]
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
