"""The PDFs made outside the web request: the introduction pack, the review pack and a briefing.

``run(job_id)`` is what the queue runs (``register.jobs.enqueue``): it takes the job, gathers the
facts as the job's audience sees them (``Access.for_audience``: the same eyes as the user who
asked, whoever runs the worker), lets the report lay the PDF out and write it, and keeps the file
(``register.services.background_jobs``). Progress is honest: the facts being gathered, then each
page as WeasyPrint lays it out (``reports.pdf.progress``), then the writing of the file. The total
is known once the layout is done; until then the page count of the document's last PDF (if
there is one) is the estimate.

``data_version`` is the one place that says which version of the register's data a PDF is made
from: a kept PDF is current while it is unchanged.
"""

from __future__ import annotations

import logging
import time

from .. import dataversions, rules
from ..access import Access
from ..models import BackgroundJob
from ..selectors import briefings
from ..services import background_jobs as service
from . import briefing, intro_pack, review_pack
from .pdf import progress

log = logging.getLogger(__name__)
Kind = BackgroundJob.Kind

# How often at most a job writes its progress (seconds); a new step is written at once.
REPORT_EVERY = 0.25


def data_version(organisation) -> str:
    """Return the version of the data a PDF about ``organisation`` is made from: the
    organisation's data version (it changes with every saved record of its arrangements and its
    own, not with a save in another organisation's; ``register.dataversions``) and the day (the
    pack tells what is in force today, so yesterday's PDF is not today's)."""
    version = (
        dataversions.for_organisation(organisation.pk)
        if organisation is not None
        else dataversions.national()
    )
    return f"{version}-{rules.today():%Y%m%d}"


class Gone(Exception):
    """What the job was to make is no longer there for its audience."""


def _intro_pack(access: Access, job: BackgroundJob) -> bytes:
    return intro_pack.pdf(intro_pack.build(access, job.organisation))


def _review_pack(access: Access, job: BackgroundJob) -> bytes:
    context = review_pack.context(access, int(job.key), rules.today())
    if context is None:
        raise Gone("Genomgången finns inte längre.")
    return review_pack.pdf(context)


def _briefing(access: Access, job: BackgroundJob) -> bytes:
    meeting_pk, person_pk = (int(part) for part in job.key.split("-"))
    subject = briefings.briefing_subject(access, meeting_pk, person_pk)
    if subject is None or not access.can_view_briefing(subject.seat):
        raise Gone("Sammanträdet finns inte längre, eller så har personen inget uppdrag i organet.")
    return briefing.pdf(briefings.briefing(access, subject))


MAKERS = {Kind.INTRO_PACK: _intro_pack, Kind.REVIEW_PACK: _review_pack, Kind.BRIEFING: _briefing}


class Progress:
    """Writes the job's progress: steps at once, pages at most every ``REPORT_EVERY`` seconds."""

    def __init__(self, job: BackgroundJob):
        self.job_id = job.pk
        previous = (
            BackgroundJob.objects.filter(kind=job.kind, key=job.key, status=job.Status.DONE)
            .exclude(pk=job.pk)
            .order_by("-pk")
            .values_list("total", flat=True)
            .first()
        )
        self.expected = previous or 0  # pages + 1 (the writing) of the last PDF, if any
        self.pages = 0
        self.written_at = 0.0

    def write(self, done: int, total: int, message: str, *, now: bool = False) -> None:
        moment = time.monotonic()
        if now or moment - self.written_at >= REPORT_EVERY:
            service.report(self.job_id, done=done, total=total, message=message)
            self.written_at = moment

    def gathering(self) -> None:
        self.write(0, self.expected, "Uppgifterna hämtas", now=True)

    def __call__(self, step: str, page: int | None) -> None:
        """WeasyPrint's progress (``reports.pdf.progress``)."""
        if step == "page":
            self.pages = max(self.pages, page)
            # The bar needs a total: the last PDF's while this one has fewer pages; beyond it (or
            # with no PDF before) the page counts on, the bar shows only that work goes on.
            known = self.expected > self.pages + 1
            total = self.expected if known else 0
            about = f" av omkring {self.expected - 1}" if known else ""
            self.write(self.pages, total, f"Sida {self.pages}{about} ställs upp")
        elif step == "writing":
            self.write(self.pages, self.pages + 1, f"Pdf:en skrivs ({self.pages} sidor)", now=True)


def run(job_id: int) -> None:
    """Make the job's PDF and keep it (the queue's entry point; takes plain ids)."""
    job = service.start(job_id)
    if job is None:
        return
    tracker = Progress(job)
    try:
        tracker.gathering()
        access = Access.for_audience(job.audience)
        with progress(tracker):
            content = MAKERS[job.kind](access, job)
    except Gone as gone:
        service.fail(job.pk, str(gone))
        return
    except Exception:  # the cause goes to the log; the user gets a message and a retry button
        log.exception("Pdf:en i bakgrundsjobb %s kunde inte tas fram", job.pk)
        service.fail(job.pk, "Något gick fel när pdf:en skulle tas fram.")
        return
    pages = tracker.pages
    message = f"Klar: {pages} sidor" if pages > 1 else "Klar"
    service.finish(job, content, done=pages + 1, message=message)
