"""A large import outside the web request: its preview and its save run as background work
(``register.jobs.enqueue``), and the batch itself records how far they have come.

A file larger than ``IMPORT_BACKGROUND_BYTES`` (:func:`in_background`) is not read in the request
that uploads it: :func:`start_preview` stores the batch and its file, marked as waiting, and asks
for :func:`preview_job` with the batch's id once that is committed; the batch's page shows the
progress (``ImportBatch.job_status``, ``rows_read`` of ``rows_total``) until the preview is ready.
Saving such a preview is :func:`start_commit` and :func:`commit_job` in the same way. The work is
the importer's own (:func:`importers.services.run_import`, :func:`importers.services.batch_commit`),
through ``Access`` and the register's services as in the request; a save that fails rolls back
whole, and the batch says why (``job_error``), in Swedish.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from register import jobs
from register.gc_pause import paused_gc
from register.models import Organisation

from . import services
from .fields import fit
from .models import ImportBatch, ImportRow
from .readers import sniff
from .readers.workbook import ReadError
from .results import ImportRefused
from .storage import (
    checksum,
    file_gone_message,
    forget_file,
    purge_files,
    store_file,
    stored_file,
)

log = logging.getLogger(__name__)

Status = ImportBatch.JobStatus
RUNNING = [Status.QUEUED, Status.READING, Status.CHECKING, Status.SAVING]
# How often (seconds at most) the progress of the reading is written to the batch.
PROGRESS_EVERY = 0.5
UNEXPECTED = "Ett oväntat fel stoppade arbetet. Ingenting har sparats. Försök igen om en stund."


def in_background(size: int) -> bool:
    """Whether a file of ``size`` bytes is previewed and saved outside the web request."""
    return size > settings.IMPORT_BACKGROUND_BYTES


def stalled(batch: ImportBatch, *, now=None) -> bool:
    """Whether the batch's background work has not moved for ``IMPORT_JOB_STALLED_MINUTES``
    (the process that ran it has stopped: a restart of the server, say)."""
    if not batch.job_running or batch.job_updated_at is None:
        return False
    return batch.job_updated_at < _stalled_before(now)


# --- Starting the work (in the request) -------------------------------------------------------


def start_preview(
    *, data: bytes, file_name: str, organisation: Organisation, user=None, all_or_nothing=True
) -> ImportBatch:
    """Store a batch waiting for its preview and its file, and ask for the preview to be made
    in the background once they are committed. Only the file's kind and (for .xlsx) its
    archive are checked here, no row is read: :class:`ReadError` for a file that is no list
    or a zip bomb, and nothing is stored."""
    sniff(data)
    with transaction.atomic():
        purge_files()
        batch = ImportBatch.objects.create(
            organisation=organisation,
            file_name=fit(ImportBatch, "file_name", file_name),
            checksum=checksum(data),
            created_by=user if user is not None and user.is_authenticated else None,
            all_or_nothing=all_or_nothing,
            job=ImportBatch.Job.PREVIEW,
            job_status=Status.QUEUED,
            job_updated_at=timezone.now(),
            file_size=len(data),
        )
        store_file(batch, data)
        pk = batch.pk
        transaction.on_commit(lambda: jobs.enqueue("importers.background.preview_job", pk))
    return batch


def start_commit(*, batch: ImportBatch, all_or_nothing: bool, user=None) -> None:
    """Mark the preview as being saved and ask for the save in the background; refuse (with
    :class:`ImportRefused`) when it is saved already or its save is under way."""
    if batch.mode != ImportBatch.Mode.DRY_RUN:
        raise ImportRefused("Importen är redan genomförd eller ångrad.")
    with transaction.atomic():
        marked = (
            ImportBatch.objects.filter(pk=batch.pk, mode=ImportBatch.Mode.DRY_RUN)
            .exclude(job_status__in=RUNNING, job_updated_at__gte=_stalled_before())
            .update(
                job=ImportBatch.Job.COMMIT,
                job_status=Status.QUEUED,
                job_error="",
                job_updated_at=timezone.now(),
                rows_read=0,
                rows_saved=0,
                all_or_nothing=all_or_nothing,
            )
        )
        if not marked:
            raise ImportRefused("Importen arbetar redan eller är redan sparad.")
        user_id = user.pk if user is not None and user.is_authenticated else None
        pk = batch.pk
        transaction.on_commit(
            lambda: jobs.enqueue("importers.background.commit_job", pk, user_id, all_or_nothing)
        )


def _stalled_before(now=None):
    """The time before which running work that has not moved counts as stalled."""
    return (now or timezone.now()) - timedelta(minutes=settings.IMPORT_JOB_STALLED_MINUTES)


# --- The work (outside the request) -----------------------------------------------------------


class Progress:
    """Write the work's progress to the batch (and to the instance in hand), outside any
    transaction of the work's own, so that the batch's page sees it while the work runs."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.written_at = 0.0

    def set(self, **fields) -> None:
        fields["job_updated_at"] = timezone.now()
        for name, value in fields.items():
            setattr(self.batch, name, value)
        ImportBatch.objects.filter(pk=self.batch.pk).update(**fields)
        self.written_at = time.monotonic()

    def rows(self, done: int, total: int) -> None:
        """The reading's callback: rows read of the rows in the file; once all are read the
        rows are compared with the register."""
        if done >= total:
            self.set(rows_read=total, rows_total=total, job_status=Status.CHECKING)
        elif time.monotonic() - self.written_at >= PROGRESS_EVERY:
            self.set(rows_read=done, rows_total=total, job_status=Status.READING)

    def saving(self) -> None:
        self.set(job_status=Status.SAVING)

    def failed(self, message: str, **fields) -> None:
        self.set(job_status=Status.FAILED, job_error=message, **fields)


def _batch(batch_id: int) -> ImportBatch | None:
    batch = ImportBatch.objects.select_related("organisation", "created_by").filter(pk=batch_id)
    return batch.first()


@paused_gc(keep_survivors=True)
def preview_job(batch_id: int) -> None:
    """Read and classify a waiting batch's file and store its rows as the preview (nothing of
    the register is written). A file that cannot be read fails the batch with the reason."""
    batch = _batch(batch_id)
    if batch is None or batch.job != ImportBatch.Job.PREVIEW or not batch.job_running:
        return
    progress = Progress(batch)
    progress.set(job_status=Status.READING)
    data = stored_file(batch)
    try:
        if data is None:
            raise ReadError(file_gone_message())
        result = services.run_import(
            source=data,
            organisation=batch.organisation,
            dry_run=True,
            list_name=batch.file_name,
            progress=progress.rows,
        )
        with transaction.atomic():
            batch.job_status = Status.DONE
            batch.job_updated_at = timezone.now()
            services.store_preview(batch, result)
    except ReadError as exc:
        with transaction.atomic():
            progress.failed(f"{exc} Ingenting har sparats.", mode=ImportBatch.Mode.FAILED)
            forget_file(batch)
    except Exception:
        progress.failed(UNEXPECTED, mode=ImportBatch.Mode.FAILED)
        raise


@paused_gc(keep_survivors=True)
def commit_job(batch_id: int, user_id: int | None, all_or_nothing: bool) -> None:
    """Save a previewed batch whose save was asked for (:func:`start_commit`): all its valid
    rows in one transaction, or nothing; the batch says how it went."""
    batch = _batch(batch_id)
    if batch is None or batch.job != ImportBatch.Job.COMMIT or not batch.job_running:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress = Progress(batch)
    progress.set(job_status=Status.READING)
    try:
        result = services.batch_commit(
            batch=batch,
            all_or_nothing=all_or_nothing,
            user=user,
            progress=progress.rows,
            saving=progress.saving,
        )
    except ImportRefused as exc:
        progress.failed(f"{exc}")
        return
    except Exception:
        progress.failed(UNEXPECTED)
        raise
    saved = sum(1 for r in result.rows if r.journal and r.outcome != ImportRow.Outcome.INVALID)
    progress.set(job_status=Status.DONE, rows_saved=saved if result.written else 0)
