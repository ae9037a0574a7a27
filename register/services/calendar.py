"""The secret addresses of the calendar feed: giving a user a new one and revoking it. The feed
itself is a report (``register/reports/ical.py``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import CalendarToken


@transaction.atomic
def token_renew(*, user) -> tuple[CalendarToken, bool]:
    """Revoke the user's calendar address (if any) and give them a new one; return the new one
    and whether an old one was revoked (so the user is told only then that it stops working)."""
    revoked = token_revoke(user=user)
    return CalendarToken.objects.create(user=user), bool(revoked)


@transaction.atomic
def token_revoke(*, user) -> int:
    """Revoke the user's calendar address (if any); return how many were revoked."""
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
