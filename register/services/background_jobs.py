"""Writing background jobs: ask for one (or join the one already asked for), follow its progress,
keep its file, fail it, try it again.

A job is asked for by (kind, key, audience, data version): the same document for the same eyes
made from the same data. While one is waiting or done, asking again returns it; so a second
request for a current PDF is served the kept file, and a hundred clicks start one rendering. The
job itself is run by ``register.jobs.enqueue`` (in a thread, on the rq queue, or at once), which
calls ``register.reports.pdf_jobs.run``.

Every change after the job is made is an ``update()``: no model signals, no history (a job is
derived from the register, see ``register.models.jobs``), and a worker's progress never races a
stale copy of the row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .. import jobs
from ..models import BackgroundJob

RUN = "register.reports.pdf_jobs.run"
Status = BackgroundJob.Status


def stale_after() -> dt.timedelta:
    """How long a job may wait or run before it counts as lost (a worker that died, a queue
    without a worker): twice the longest a job may run."""
    return dt.timedelta(seconds=2 * getattr(settings, "JOBS_TIMEOUT_SECONDS", 600))


def request_job(
    *,
    kind: str,
    key: str,
    organisation,
    audience: str,
    version: str,
    user,
    file_name: str,
    start: bool = True,
) -> BackgroundJob:
    """Return the job for this document, audience and data version: the one already asked for
    (waiting, done or failed: a failed one waits for its retry button), else a new one, put on
    the queue (``start``). With the inline backend the new job is done when this returns."""
    job = (
        BackgroundJob.objects.filter(kind=kind, key=key, audience=audience, data_version=version)
        .order_by("-pk")
        .first()
    )
    if job is not None:
        return expire_if_lost(job)
    job = BackgroundJob.objects.create(
        kind=kind,
        key=key,
        organisation=organisation,
        audience=audience,
        data_version=version,
        file_name=file_name,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        message=Status.QUEUED.label,
    )
    if start:
        _enqueue(job)
        job.refresh_from_db()
    return job


def _enqueue(job: BackgroundJob) -> None:
    jobs.enqueue(RUN, job.pk)


def expire_if_lost(job: BackgroundJob) -> BackgroundJob:
    """Fail a job that has waited or run longer than ``stale_after`` (its worker is gone), so
    that the page offers to try again instead of waiting for ever."""
    if job.is_waiting and job.created_at < timezone.now() - stale_after():
        fail(job.pk, "Pdf:en blev inte klar i tid.")
        job.refresh_from_db()
    return job


def retry(job: BackgroundJob) -> BackgroundJob:
    """Put a failed job on the queue again (anything else is left as it is)."""
    updated = BackgroundJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED,
        done=0,
        total=0,
        message=Status.QUEUED.label,
        created_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    if updated:
        _enqueue(job)
    job.refresh_from_db()
    return job


def start(job_id: int) -> BackgroundJob | None:
    """Take the queued job for running; None if it is not queued (another worker has it, or it
    is gone)."""
    taken = BackgroundJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    return BackgroundJob.objects.select_related("organisation").get(pk=job_id) if taken else None


def report(job_id: int, *, done: int, total: int, message: str) -> None:
    """Write how far the job has come."""
    BackgroundJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        done=done, total=total, message=message[:200]
    )


def finish(job: BackgroundJob, content: bytes, *, done: int, message: str) -> None:
    """Keep the finished PDF in Django's storage and mark the job done; the same document's
    older files for the same audience go (one kept file per document and audience)."""
    job.file.save(f"{job.kind}.pdf", ContentFile(content), save=False)
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=Status.DONE,
            file=job.file.name,
            done=done,
            total=done,
            message=message[:200],
            finished_at=timezone.now(),
        )
        older = list(
            BackgroundJob.objects.filter(kind=job.kind, key=job.key, audience=job.audience)
            .exclude(pk=job.pk)
            .exclude(status__in=(Status.QUEUED, Status.RUNNING))
            .filter(pk__lt=job.pk)
        )
        BackgroundJob.objects.filter(pk__in=[o.pk for o in older]).delete()
    for old in older:
        if old.file:
            transaction.on_commit(lambda name=old.file.name: _delete_file(name))


def _delete_file(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)


def fail(job_id: int, message: str) -> None:
    """Mark the job failed with a message for the user (the cause goes to the log)."""
    BackgroundJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, message=message[:200], finished_at=timezone.now()
    )
