"""Requests to join an arrangement: asking, accepting (the organisation becomes a participant)
and declining."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..access import Access
from ..models import Arrangement, JoinRequest, Organisation, Participation
from .participations import participation_set
from .records import _require, tag, user_or_none


@transaction.atomic
def join_request_create(
    *,
    access: Access | None,
    arrangement: Arrangement,
    organisation: Organisation,
    role: str = Participation.Role.MEMBER,
    message: str = "",
    user=None,
    import_batch=None,
    reason: str = "",
) -> JoinRequest:
    """Ask for ``organisation`` to take part in ``arrangement``: a pending request that an editor
    of one of its participants accepts or declines.

    Raises ``ValidationError`` when the organisation already takes part or already has a pending
    request (one waits at a time).
    """
    if access is not None:
        _require(access.can_request_join(arrangement, organisation))
    join_request = JoinRequest(
        arrangement=arrangement,
        organisation=organisation,
        role=role,
        message=message,
        requested_by=user_or_none(user),
        import_batch=import_batch,
    )
    join_request.full_clean()
    tag(join_request, reason)
    join_request.save()
    return join_request


def _pending(join_request: JoinRequest) -> JoinRequest:
    """Return the request locked for the decision; raise if it is already answered."""
    locked = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("arrangement", "organisation")
        .get(pk=join_request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            f"Begäran är redan {locked.get_status_display().lower()}.", code="answered"
        )
    return locked


def _decide(join_request: JoinRequest, status: str, user) -> None:
    join_request.status = status
    join_request.decided_by = user_or_none(user)
    join_request.decided_at = timezone.now()
    join_request.full_clean()
    join_request.save()


@transaction.atomic
def join_request_accept(
    *, access: Access | None, join_request: JoinRequest, user=None
) -> Participation:
    """Accept a pending request: the organisation becomes a participant with the requested role,
    through the same service as adding a partner on the participations page."""
    locked = _pending(join_request)
    if access is not None:
        _require(access.can_decide_join_request(locked))
    participation = Participation.objects.filter(
        arrangement=locked.arrangement, organisation=locked.organisation
    ).first()
    if participation is None:  # else added meanwhile on the participations page
        participation = participation_set(
            access=access,
            arrangement=locked.arrangement,
            organisation=locked.organisation,
            role=locked.role,
        )
    _decide(locked, JoinRequest.Status.ACCEPTED, user)
    join_request.status, join_request.decided_at = locked.status, locked.decided_at
    return participation


@transaction.atomic
def join_request_decline(*, access: Access | None, join_request: JoinRequest, user=None) -> None:
    """Decline a pending request; nothing else changes."""
    locked = _pending(join_request)
    if access is not None:
        _require(access.can_decide_join_request(locked))
    _decide(locked, JoinRequest.Status.DECLINED, user)
    join_request.status, join_request.decided_at = locked.status, locked.decided_at
