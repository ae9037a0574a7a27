"""Meetings and what the user may see of them: a body's meetings, a meeting's agenda with the
positions on it, an organisation's coming meetings, its information log. Read only, through
``Access``, in a fixed number of queries whatever the number of meetings, items or positions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..access import Access
from ..models import (
    Body,
    Decision,
    InformationEntry,
    Meeting,
    Organisation,
    Participation,
    Position,
    Seat,
    ServiceArea,
)
from .briefings import body_seats_on

#: Past meetings a body's page lists (the newest first); the rest are older than anyone asks.
PAST_SHOWN = 30


def start_of(day: dt.date) -> dt.datetime:
    """Return midnight at the start of ``day`` in the register's time zone (aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def visible_body(access: Access, pk: int) -> Body | None:
    """Return the body with its arrangement, or None if the user may not see it."""
    return access.visible(Body.objects.select_related("arrangement")).filter(pk=pk).first()


@dataclass
class BodyMeetings:
    body: Body
    coming: list
    past: list
    more_past: bool


def body_meetings(access: Access, body: Body, *, today: dt.date) -> BodyMeetings:
    """Return the body's coming meetings (the next first) and its latest past ones, each with
    its number of agenda items."""
    meetings = access.visible(Meeting.objects.filter(body=body)).annotate(item_count=Count("items"))
    start = start_of(today)
    coming = list(meetings.filter(starts_at__gte=start).order_by("starts_at", "pk"))
    past = list(
        meetings.filter(starts_at__lt=start).order_by("-starts_at", "-pk")[: PAST_SHOWN + 1]
    )
    for meeting in coming + past:
        meeting.body = body
    return BodyMeetings(
        body=body, coming=coming, past=past[:PAST_SHOWN], more_past=len(past) > PAST_SHOWN
    )


@dataclass
class MeetingDetail:
    meeting: Meeting
    items: list
    #: Whether some item has a position the user sees (else the page says none is recorded).
    has_positions: bool
    #: The organisations the user may record a position for on this meeting's items.
    position_organisations: list
    show_internal: bool
    #: Our representatives in the body on the meeting day whose briefing the user may read.
    briefing_seats: list


def meeting_detail(access: Access, pk: int) -> MeetingDetail | None:
    """Return the meeting with its agenda and, on each item, the positions the user may see
    (``item.position_list``; the user's organisations' at once, others' once published), or
    None if the user may not see the meeting.

    A position's decision that the user may not see (an unpublished decision of a published
    arrangement, for someone who does not take part) is left out."""
    meeting = (
        access.visible(Meeting.objects.select_related("body", "body__arrangement"))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        return None
    items = list(meeting.items.select_related("service_area").order_by("sort_order", "pk"))
    positions = list(
        access.visible(Position.objects.filter(item__meeting=meeting))
        .select_related("organisation", "decision")
        .order_by("organisation__name", "pk")
    )
    _hide_unseen_decisions(access, positions)
    by_item: dict[int, list] = {}
    for position in positions:
        by_item.setdefault(position.item_id, []).append(position)
    organisations = list(
        access.creatable_for(Position, arrangement=meeting.body.arrangement).order_by("name")
    )
    own = {o.pk for o in organisations}
    for item in items:
        item.position_list = by_item.get(item.pk, [])
        for position in item.position_list:
            position.item = item
        taken = {p.organisation_id for p in item.position_list}
        item.can_add_position = bool(own - taken)
    return MeetingDetail(
        meeting=meeting,
        items=items,
        has_positions=bool(positions),
        position_organisations=organisations,
        show_internal=access.can_view_internal(meeting),
        briefing_seats=[
            seat
            for seat in body_seats_on([meeting])[meeting.pk]
            if seat.appointed_by_id is not None and access.can_view_briefing(seat)
        ],
    )


def _hide_unseen_decisions(access: Access, positions: list) -> None:
    """Drop the positions' links to decisions the user may not see (not saved)."""
    ids = {p.decision_id for p in positions if p.decision_id}
    if not ids or not access.visible_q(Decision):
        return
    seen = set(access.decisions(Decision.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    for position in positions:
        if position.decision_id and position.decision_id not in seen:
            position.decision = None


def organisation_meetings(
    access: Access, organisation: Organisation, *, today: dt.date, past: bool = False
) -> QuerySet:
    """Return the meetings of the bodies where the organisation takes part or has seats that
    the user may see: coming ones (from today, the next first) or, with ``past``, earlier ones
    (the latest first). Each has its number of agenda items and, when the user is a member of
    the organisation, the number of them with its position (``position_count``)."""
    return _meetings_of(
        access,
        [organisation.pk],
        today=today,
        past=past,
        count_positions=access.is_member_of(organisation),
    )


def member_meetings(access: Access, *, today: dt.date) -> QuerySet:
    """Return the coming meetings (the next first) of the bodies where one of the user's own
    organisations takes part or has seats, each with its number of agenda items and of them
    with a position of one of the user's organisations (``position_count``)."""
    ids = list(access.member_organisations().values_list("pk", flat=True))
    return _meetings_of(access, ids, today=today, past=False, count_positions=True)


def _meetings_of(
    access: Access, organisation_ids: list, *, today: dt.date, past: bool, count_positions: bool
) -> QuerySet:
    takes_part = Exists(
        Participation.objects.filter(
            arrangement_id=OuterRef("body__arrangement_id"), organisation__in=organisation_ids
        )
    )
    has_seats = Exists(
        Seat.objects.filter(body_id=OuterRef("body_id"), appointed_by__in=organisation_ids)
    )
    meetings = (
        access.visible(Meeting.objects.filter(takes_part | has_seats))
        .select_related("body", "body__arrangement")
        .annotate(item_count=Count("items", distinct=True))
    )
    if count_positions:
        meetings = meetings.annotate(
            position_count=Count(
                "items__positions",
                filter=Q(items__positions__organisation__in=organisation_ids),
                distinct=True,
            )
        )
    start = start_of(today)
    if past:
        return meetings.filter(starts_at__lt=start).order_by("-starts_at", "-pk")
    return meetings.filter(starts_at__gte=start).order_by("starts_at", "pk")


def information_log(access: Access, organisation: Organisation) -> QuerySet:
    """Return the organisation's information log that the user may see (its members'), the
    latest first."""
    return (
        access.visible(InformationEntry.objects.filter(organisation=organisation))
        .select_related("meeting", "meeting__body", "position__item__meeting", "recorded_by")
        .order_by("-informed_at", "-pk")
    )


def log_meetings(
    access: Access, organisation: Organisation, *, today: dt.date, chosen=None
) -> QuerySet:
    """Return the meetings an entry of the organisation's information log may be about: those
    of the bodies of the arrangements it takes part in, from a year back to a year ahead (and
    the one ``chosen``, whenever it is)."""
    window = Q(
        starts_at__gte=start_of(today - dt.timedelta(days=366)),
        starts_at__lt=start_of(today + dt.timedelta(days=366)),
    )
    if chosen is not None:
        window |= Q(pk=chosen)
    takes_part = Participation.objects.filter(organisation=organisation)
    return (
        access.visible(
            Meeting.objects.filter(body__arrangement__in=takes_part.values("arrangement_id"))
        )
        .filter(window)
        .select_related("body")
        .order_by("-starts_at", "pk")
    )


def log_positions(
    access: Access, organisation: Organisation, *, today: dt.date, chosen=None
) -> QuerySet:
    """Return the organisation's positions an entry may be about, on meetings from a year back
    to a year ahead (and the one ``chosen``)."""
    window = Q(
        item__meeting__starts_at__gte=start_of(today - dt.timedelta(days=366)),
        item__meeting__starts_at__lt=start_of(today + dt.timedelta(days=366)),
    )
    if chosen is not None:
        window |= Q(pk=chosen)
    return (
        access.visible(Position.objects.filter(organisation=organisation))
        .filter(window)
        .select_related("item", "item__meeting", "item__meeting__body")
        .order_by("-item__meeting__starts_at", "item__sort_order", "pk")
    )


def item_service_areas(meeting: Meeting) -> list:
    """Return the service areas an agenda item of the meeting may have: the arrangement's own,
    or every service area for an arrangement that has none registered."""
    areas = list(meeting.body.arrangement.service_areas.all())
    return areas or list(ServiceArea.objects.all())
