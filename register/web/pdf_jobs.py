"""PDFs outside the request: a PDF link answers with the kept file when it is current, or starts
(or joins) the background job that makes it and sends the user to its progress page, which
refreshes itself (no JavaScript) until the file can be taken. A failed job says so and offers to
try again. The jobs are read through Access (made for what the user sees), written through
register/services/background_jobs.py, and made by register/reports/pdf_jobs.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from ..access import Access
from ..downloads import download
from ..reports import pdf_jobs
from ..services import background_jobs as service

# Seconds between two looks of the progress page at the job.
REFRESH_SECONDS = 2


def serve_or_start(request, *, kind: str, key: str, organisation, file_name: str):
    """Answer a PDF link: the kept PDF of the current data version for what the user sees, at
    once; else the job that makes it (started now or already under way), through its page."""
    access = Access.for_user(request.user)
    audience = access.audience()
    version = pdf_jobs.data_version(organisation)
    job = (
        access.background_jobs()
        .filter(kind=kind, key=key, audience=audience, data_version=version)
        .order_by("-pk")
        .first()
    )
    if job is not None:
        job = service.expire_if_lost(job)  # found: waiting, done or failed
    else:
        job = service.request_job(
            kind=kind,
            key=key,
            organisation=organisation,
            audience=audience,
            version=version,
            user=request.user,
            file_name=file_name,
        )
    if job.status == job.Status.DONE:
        return _file(job)
    return redirect(job)


def _file(job):
    """The job's kept PDF as a download (read from Django's storage: a few MB at most); a file
    gone from the storage fails the job, whose page then offers to make it again."""
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        service.fail(job.pk, "Den sparade pdf:en finns inte längre.")
        return redirect(job)
    return download(content, job.file_name, extension=".pdf")


def _job(request, pk):
    return get_object_or_404(Access.for_user(request.user).background_jobs(), pk=pk)


@login_required
@require_safe
def background_job(request, pk):
    job = service.expire_if_lost(_job(request, pk))
    return render(
        request,
        "register/background_job.html",
        {"job": job, "refresh_seconds": REFRESH_SECONDS if job.is_waiting else None},
    )


@login_required
@require_safe
def background_job_file(request, pk):
    job = _job(request, pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404("Pdf:en är inte klar än.")
    return _file(job)


@login_required
@require_POST
def background_job_retry(request, pk):
    job = service.retry(_job(request, pk))
    return redirect(job)
