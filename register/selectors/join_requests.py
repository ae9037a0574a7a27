"""Requests to join an arrangement: the ones waiting for the user's answer, and their own."""

from __future__ import annotations

from django.db.models import QuerySet

from ..access import Access
from ..models import JoinRequest


def visible_join_requests(access: Access) -> QuerySet:
    """Return the requests the user may see, with what their list shows."""
    return access.join_requests(
        JoinRequest.objects.select_related(
            "arrangement", "organisation", "requested_by", "decided_by", "import_batch"
        )
    )


def join_requests_to_answer(access: Access) -> QuerySet:
    """Return the pending requests the user may answer: to arrangements one of the organisations
    they edit for takes part in (every pending request for a register administrator)."""
    return access.answerable_join_requests(visible_join_requests(access))


def own_join_requests(access: Access) -> QuerySet:
    """Return the requests of the user's own organisations."""
    return access.of_own_organisations(visible_join_requests(access))
