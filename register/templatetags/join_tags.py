"""The requests to join an arrangement that its page shows (see ``register.web.join``)."""

from __future__ import annotations

from django import template

from register.models import JoinRequest

register = template.Library()


@register.simple_tag
def join_request_state(access, arrangement) -> dict:
    """Return the pending requests to join ``arrangement`` that the user may see (each with
    ``can_decide``) and whether the user may ask to join it (``can_request``).

    An editor who already changes the arrangement adds partners on the participations page
    instead, so ``can_request`` is for those who do not.
    """
    requests = list(
        access.join_requests(
            JoinRequest.objects.filter(
                arrangement=arrangement, status=JoinRequest.Status.PENDING
            ).select_related("organisation", "requested_by")
        ).order_by("requested_at", "pk")
    )
    for join_request in requests:
        join_request.arrangement = arrangement
        join_request.can_decide = access.can_decide_join_request(join_request)
    waiting = {r.organisation_id for r in requests}
    can_request = not access.can_change(arrangement) and bool(
        access.join_request_organisation_ids(arrangement) - waiting
    )
    return {"requests": requests, "can_request": can_request}
