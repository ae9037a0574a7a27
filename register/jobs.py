"""Work done outside the web request: one door for every kind of background work.

``enqueue("register.module.function", *args, **kwargs)`` asks for the function to be run later.
Where it runs is the installation's choice (``JOBS_BACKEND``):

- ``inline``: at once, in the caller (tests, management commands);
- ``thread``: in one worker thread of this process, one job after the other, each handed over
  when the caller's transaction commits (the embedded default: ``make run`` needs no queue);
- ``rq``: on the queue "default" in Redis (django-rq, ``RQ_QUEUES``), worked off by a separate
  process (``python manage.py rqworker default``); the default when ``REDIS_URL`` is set. The job
  is put on the queue when the caller's transaction commits, so the worker finds what it reads.

Arguments must be plain values (ids, strings, numbers), never model instances: a queue carries
them to another process.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _run(path: str, args: tuple, kwargs: dict) -> None:
    try:
        resolve(path)(*args, **kwargs)
    except Exception:  # a background job's failure is logged, never raised into a request
        log.exception("Bakgrundsjobbet %s misslyckades", path)


# The thread backend: one worker thread per process takes the jobs one after the other, in the
# order they came (on SQLite two writers at once would only wait for each other's lock). It ends
# when the queue has been empty for a second and starts again with the next job; it is not a
# daemon, so a management command's process waits for its jobs before it ends.
_queue: queue.SimpleQueue = queue.SimpleQueue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _work_off() -> None:
    global _worker
    close_old_connections()
    try:
        while True:
            try:
                path, args, kwargs = _queue.get(timeout=1)
            except queue.Empty:
                with _worker_lock:
                    if _queue.empty():
                        _worker = None
                        return
                continue
            _run(path, args, kwargs)
            close_old_connections()
    finally:
        close_old_connections()


def _submit(path: str, args: tuple, kwargs: dict) -> None:
    global _worker
    with _worker_lock:
        _queue.put((path, args, kwargs))
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work_off, name="jobs", daemon=False)
            _worker.start()


def backend() -> str:
    return getattr(settings, "JOBS_BACKEND", "thread")


def enqueue(path: str, *args, **kwargs) -> None:
    """Run the function named by ``path`` with these arguments outside the caller's request."""
    name = backend()
    if name == "inline":
        _run(path, args, kwargs)
        return
    if name == "rq":
        import django_rq

        rq_queue = django_rq.get_queue("default")
        transaction.on_commit(
            lambda: rq_queue.enqueue(_run, path, args, kwargs, description=f"{path}{args!r}")
        )
        return
    # The worker thread of this process, given the job when the caller's transaction commits (it
    # reads what the caller wrote, and on SQLite it does not wait for the caller's write lock).
    transaction.on_commit(lambda: _submit(path, args, kwargs))
