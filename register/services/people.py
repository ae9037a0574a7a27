"""Writing people: a person's record, and the user account it is linked to (so that the start
page shows the person's seats, meetings and briefings to that user)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from ..access import Access
from ..models import Person
from ..versions import Version
from .records import _require, record_save


@transaction.atomic
def person_save(
    *,
    access: Access | None,
    instance: Person,
    save_m2m: Callable[[], None] | None = None,
    version: Version | None = None,
) -> Person:
    """Save a person (``record_save``'s checks). A user account newly linked, or kept while the
    person moves to another organisation, must be one the user may link the person to
    (``Access.linkable_users``: a member of the person's organisation, linked to nobody else);
    unlinking needs only the right to change the person."""
    if access is not None and instance.user_id is not None:
        stored = (
            Person.objects.filter(pk=instance.pk).values("user_id", "organisation_id").first()
            if instance.pk
            else None
        )
        if stored is None or stored != {
            "user_id": instance.user_id,
            "organisation_id": instance.organisation_id,
        }:
            _require(access.can_link_user(instance, instance.user))
    return record_save(access=access, instance=instance, save_m2m=save_m2m, version=version)
