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
