"""The embedded default's background work (register/jobs.py, JOBS_BACKEND "thread"): one worker
thread per process takes the jobs one after the other, each handed over when the caller's
transaction commits, and ends when there is nothing more to do. (With a thread per job, a bulk
import's dozens of search-index jobs wrote to SQLite at once and failed with "database is
locked".)"""

from __future__ import annotations

import threading
import time

import pytest

from register import jobs

pytestmark = pytest.mark.django_db

RAN: list[tuple[int, str, float, float]] = []
BUSY = threading.Lock()


def record(n: int) -> None:
    if not BUSY.acquire(blocking=False):
        raise AssertionError("two jobs ran at once")
    try:
        start = time.monotonic()
        time.sleep(0.02)
        RAN.append((n, threading.current_thread().name, start, time.monotonic()))
    finally:
        BUSY.release()


def wait_for_worker() -> None:
    worker = jobs._worker
    if worker is not None:
        worker.join(10)


def test_jobs_run_one_after_the_other_in_one_thread_after_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "thread"
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(5):
            jobs.enqueue("tests.register.test_jobs.record", n)
        time.sleep(0.1)
        assert RAN == []  # nothing before the caller's transaction commits
    for callback in callbacks:
        callback()
    wait_for_worker()
    assert [n for n, *_ in RAN] == [0, 1, 2, 3, 4]  # in order
    assert {name for _, name, *_ in RAN} == {"jobs"}  # one worker thread
    assert all(a[3] <= b[2] for a, b in zip(RAN, RAN[1:], strict=False))  # never at once
    assert jobs._worker is None  # it ended when there was nothing more to do


def test_a_failing_job_is_logged_and_the_next_one_still_runs(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.JOBS_BACKEND = "thread"
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue("tests.register.test_jobs.no_such_function")
        jobs.enqueue("tests.register.test_jobs.record", 7)
    wait_for_worker()
    assert [n for n, *_ in RAN] == [7]
    assert "Bakgrundsjobbet tests.register.test_jobs.no_such_function misslyckades" in caplog.text
