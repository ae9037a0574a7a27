"""The register extract (registerutdrag, GDPR art. 15) of one person, as a page, JSON and PDF.
Thin views: the rows come from register/selectors/register_extract.py through the user's Access
(a register administrator, an editor of the person's organisation, or the person themselves
through the linked account), the files from register/reports/register_extract.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import downloads
from ..access import Access
from ..reports import register_extract as report
from ..selectors import register_extract as selector


def _extract(request, pk: int) -> selector.RegisterExtract:
    access = Access.for_user(request.user)
    person = selector.register_extract_subject(access, pk)
    if person is None:
        raise Http404("Personen finns inte.")
    if not access.can_take_out_register_extract(person):
        raise PermissionDenied(
            "Registerutdraget tas fram av registrets administratör, en redigerare i personens "
            "organisation eller personen själv."
        )
    return selector.register_extract(access, person)


@login_required
@require_safe
def person_extract(request, pk):
    extract = _extract(request, pk)
    return render(
        request,
        "register/register_extract.html",
        {"extract": extract, "title": report.title(extract), "for_print": False},
    )


@login_required
@require_safe
def person_extract_file(request, pk, fmt):
    extract = _extract(request, pk)
    content = report.pdf(extract) if fmt == "pdf" else report.as_json(extract)
    return downloads.download(
        content, report.file_stem(extract), prefix="registerutdrag-", extension=f".{fmt}"
    )
