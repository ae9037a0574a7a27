"""Removing personal data the register no longer keeps (register/personal_data.py says what is
kept and how long): a person's phone and e-mail, a set time after their last seat ended.

The name stays: the seats, decisions and positions that name the person are public records. The
old phone numbers and e-mail addresses are blanked in the person's history rows too, since a
removal that leaves them in the change log removes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from .. import rules
from ..access import Access
from ..models import Invitation, Person
from .records import record_save

PURGE_REASON = "Gallring av kontaktuppgifter"
CONTACT_FIELDS = ("email", "phone")


@dataclass
class Purged:
    """What ``contact_details_purge`` removed (or, in a dry run, would remove)."""

    people: int = 0
    history_rows: int = 0
    refused: list[str] = field(default_factory=list)


def _with_contact(queryset):
    return queryset.exclude(email="", phone="")


def contact_details_purge(*, today: dt.date, days: int, dry_run: bool = False) -> Purged:
    """Remove the phone and e-mail of every person whose contact details are no longer kept
    (``rules.contact_details_expired_q``), on the person and in the person's history rows.

    Each person is one transaction: a person whose record does not validate is left as it is and
    named in ``refused``. ``dry_run`` only counts."""
    result = Purged()
    expired = Person.objects.filter(rules.contact_details_expired_q(today, days))
    old_contact = Person.history.exclude(email="", phone="").values("id")
    people = list(expired.filter(~Q(email="", phone="") | Q(pk__in=old_contact)).order_by("pk"))
    access = Access.administrator()
    for person in people:
        history = _with_contact(Person.history.filter(id=person.pk))
        if dry_run:
            result.people += 1
            result.history_rows += history.count()
            continue
        try:
            with transaction.atomic():
                rows = history.count()
                if person.email or person.phone:
                    person.email = person.phone = ""
                    record_save(access=access, instance=person, reason=PURGE_REASON)
                history.update(email="", phone="")
        except ValidationError as exc:
            result.refused.append(f"{person.name} (id {person.pk}): {' '.join(exc.messages)}")
            continue
        result.people += 1
        result.history_rows += rows
    return result


def unanswered_invitations_purge(*, now: dt.datetime, days: int, dry_run: bool = False) -> int:
    """Delete the invitations never accepted that expired or were withdrawn more than ``days``
    ago, with their history rows (which hold the name and e-mail too). Returns how many."""
    cutoff = now - dt.timedelta(days=days)
    stale = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    with transaction.atomic():
        Invitation.objects.filter(pk__in=ids).delete()
        # After the delete: deleting writes one more history row, which must go too.
        Invitation.history.filter(id__in=ids).delete()
    return len(ids)
