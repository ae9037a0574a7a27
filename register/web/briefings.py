"""The briefing (föredragning) of one of our representatives before a meeting, as a page and as a
PDF. Thin views: the facts come from register/selectors/briefings.py through the user's Access
(the members of the organisation that appointed the representative read it, its readers too),
the PDF from register/reports/briefing.py, made in the background (register/web/pdf_jobs.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import downloads
from ..access import Access
from ..models import BackgroundJob
from ..reports import briefing as report
from ..selectors import briefings
from . import pdf_jobs


def _subject(request, meeting_pk: int, person_pk: int) -> briefings.BriefingSubject:
    access = Access.for_user(request.user)
    subject = briefings.briefing_subject(access, meeting_pk, person_pk)
    if subject is None:
        raise Http404("Sammanträdet finns inte, eller så har personen inget uppdrag i organet.")
    if not access.can_view_briefing(subject.seat):
        raise PermissionDenied(
            "Föredragningen är organisationens egen: bara dess medlemmar kan läsa den."
        )
    return subject


@login_required
@require_safe
def briefing_html(request, meeting_pk, person_pk):
    found = briefings.briefing(
        Access.for_user(request.user), _subject(request, meeting_pk, person_pk)
    )
    return render(
        request,
        "register/briefing.html",
        {"briefing": found, "title": report.title(found), "for_print": False},
    )


@login_required
@require_safe
def briefing_pdf(request, meeting_pk, person_pk):
    subject = _subject(request, meeting_pk, person_pk)
    return pdf_jobs.serve_or_start(
        request,
        kind=BackgroundJob.Kind.BRIEFING,
        key=f"{meeting_pk}-{person_pk}",
        organisation=subject.seat.appointed_by,
        file_name=downloads.safe_filename(
            report.subject_file_stem(subject), ".pdf", prefix="foredragning-"
        ),
    )
