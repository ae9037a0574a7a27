"""The briefing (föredragning) of one of our representatives before a meeting, as a page and as a
PDF. Thin views: the facts come from register/selectors/briefings.py through the user's Access
(the members of the organisation that appointed the representative read it, its readers too),
the PDF from register/reports/briefing.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import downloads
from ..access import Access
from ..reports import briefing as report
from ..selectors import briefings


def _briefing(request, meeting_pk: int, person_pk: int) -> briefings.Briefing:
    access = Access.for_user(request.user)
    subject = briefings.briefing_subject(access, meeting_pk, person_pk)
    if subject is None:
        raise Http404("Sammanträdet finns inte, eller så har personen inget uppdrag i organet.")
    if not access.can_view_briefing(subject.seat):
        raise PermissionDenied(
            "Föredragningen är organisationens egen: bara dess medlemmar kan läsa den."
        )
    return briefings.briefing(access, subject)


@login_required
@require_safe
def briefing_html(request, meeting_pk, person_pk):
    found = _briefing(request, meeting_pk, person_pk)
    return render(
        request,
        "register/briefing.html",
        {"briefing": found, "title": report.title(found), "for_print": False},
    )


@login_required
@require_safe
def briefing_pdf(request, meeting_pk, person_pk):
    found = _briefing(request, meeting_pk, person_pk)
    return downloads.download(
        report.pdf(found), report.file_stem(found), prefix="foredragning-", extension=".pdf"
    )
