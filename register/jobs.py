"""Work done outside the web request: one door for every kind of background work.

``enqueue("register.module.function", *args, **kwargs)`` asks for the function to be run later.
Where it runs is the installation's choice (``JOBS_BACKEND``):

- ``inline``: at once, in the caller (tests, management commands);
- ``thread``: in a thread of this process, started when the caller's transaction commits (the
  embedded default: ``make run`` needs no queue);
- ``rq``: on the queue "default" in Redis (django-rq, ``RQ_QUEUES``), worked off by a separate
  process (``python manage.py rqworker default``); the default when ``REDIS_URL`` is set. The job
  is put on the queue when the caller's transaction commits, so the worker finds what it reads.

Arguments must be plain values (ids, strings, numbers), never model instances: a queue carries
them to another process.
"""

from __future__ import annotations

import importlib
import logging
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


def _run_in_thread(path: str, args: tuple, kwargs: dict) -> None:
    close_old_connections()
    try:
        _run(path, args, kwargs)
    finally:
        close_old_connections()


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

        queue = django_rq.get_queue("default")
        transaction.on_commit(
            lambda: queue.enqueue(_run, path, args, kwargs, description=f"{path}{args!r}")
        )
        return
    # A thread of this process, started when the caller's transaction commits (it reads what the
    # caller wrote, and on SQLite it does not wait for the caller's write lock). Not a daemon: a
    # management command's process waits for its jobs before it ends.
    thread = threading.Thread(
        target=_run_in_thread, args=(path, args, kwargs), name=f"job:{path}", daemon=False
    )
    transaction.on_commit(thread.start)
