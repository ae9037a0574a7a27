"""Requests to join an arrangement: the ones waiting for the user's answer, and their own."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from ..access import Access
from ..models import JoinRequest, Participation


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
    pending = visible_join_requests(access).filter(status=JoinRequest.Status.PENDING)
    if access.is_admin:
        return pending
    ours = Participation.objects.filter(
        arrangement=OuterRef("arrangement_id"), organisation_id__in=access.editor_org_ids
    )
    return pending.filter(Exists(ours))


def own_join_requests(access: Access) -> QuerySet:
    """Return the requests of the user's own organisations."""
    return visible_join_requests(access).filter(organisation_id__in=access.member_org_ids)
