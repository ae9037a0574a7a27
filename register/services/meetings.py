"""Writing meetings, our positions and the information log: keyword-only, all or nothing, through
``record_save`` (Access decides) so that every write keeps its history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..access import Access
from ..models import AgendaItem, Decision, InformationEntry, Meeting, Organisation, Person, Position
from ..versions import Version
from .records import _require, record_save, user_or_none


@transaction.atomic
def meeting_save(
    *,
    access: Access | None,
    meeting: Meeting,
    version: Version | None = None,
    reason: str = "",
) -> Meeting:
    """Save a meeting of a body (new or changed) that the user may change: the body's
    arrangement's editors (``Access.can_change``), with its history tagged with ``reason``."""
    return record_save(access=access, instance=meeting, version=version, reason=reason)


@transaction.atomic
def agenda_item_save(
    *,
    access: Access | None,
    item: AgendaItem,
    version: Version | None = None,
    reason: str = "",
) -> AgendaItem:
    """Save an item of a meeting's agenda (new or changed) that the user may change."""
    return record_save(access=access, instance=item, version=version, reason=reason)


@transaction.atomic
def position_outcome_record(
    *,
    access: Access | None,
    position: Position,
    outcome: str,
    outcome_note: str = "",
    decision: dict | None = None,
    version: Version | None = None,
) -> Position:
    """Record how an agenda item ended for our position and, with ``decision`` (the joint body's
    decision: at least ``title``; ``date``, ``reference``, ``kind``, ``public_summary``,
    ``document_url``, ``is_published`` optional), register that decision on the arrangement in the
    same step and link it to the position. The decision is the body's own (no organisation), dated
    the meeting's day unless given, and numbered with the item's number unless given."""
    if access is not None:
        _require(access.can_change(position))
    item = position.item
    meeting = item.meeting
    if decision is not None and position.decision_id is None:
        fields = {
            "date": timezone.localtime(meeting.starts_at).date(),
            "reference": item.number,
            "title": item.title,
            **decision,
        }
        record = Decision(
            arrangement=meeting.body.arrangement,
            organisation=None,
            body=meeting.body,
            deciding_body=meeting.body.name,
            **fields,
        )
        position.decision = record_save(access=access, instance=record)
    position.outcome = outcome
    position.outcome_note = outcome_note
    return record_save(access=access, instance=position, version=version)


@transaction.atomic
def information_record(
    *,
    access: Access | None,
    organisation: Organisation,
    kind: str,
    informed: str,
    informed_at: dt.datetime | None = None,
    meeting: Meeting | None = None,
    position: Position | None = None,
    note: str = "",
    user=None,
    person: Person | None = None,
) -> InformationEntry:
    """Log that ``informed`` (a person or a group) was informed by ``organisation``: a briefing
    sent, a position shown (at a meeting of the KS presidium, say). ``person``: the one of our
    representatives who was informed, when it was one (``send_briefings`` looks for it)."""
    entry = InformationEntry(
        organisation=organisation,
        kind=kind,
        informed=informed,
        informed_at=informed_at or timezone.now(),
        meeting=meeting,
        position=position,
        person=person,
        note=note,
        recorded_by=user_or_none(user),
    )
    return record_save(access=access, instance=entry)
