"""Our representatives' own view: "Mina uppdrag" on the start page (the seats in force, the next
meetings in those bodies, what is due in their arrangements, the briefings to read) and the
briefing (föredragning) of one representative before one meeting. Each in a fixed number of
queries, whatever the number of seats, meetings or agenda items; every figure from
``register.rules`` (the reference year's cost and its kind, seats in force)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .. import rules
from ..access import Access
from ..models import (
    AgendaItem,
    Contribution,
    Cost,
    Evaluation,
    GoalConflict,
    Meeting,
    Person,
    Position,
    Seat,
)
from .costs import CostTrend, year_trend
from .due import DueRow, due_rows

#: How far ahead the start page lists a representative's meetings.
UPCOMING_DAYS = 90
#: The meetings whose briefings the start page lists under "Att läsa".
READING_DAYS = 14
#: A body's seats in the order a briefing lists them.
ROLE_ORDER = {
    role: i
    for i, role in enumerate(
        (
            Seat.Role.CHAIR,
            Seat.Role.VICE_CHAIR,
            Seat.Role.MEMBER,
            Seat.Role.SUBSTITUTE,
            Seat.Role.OFFICIAL,
        )
    )
}
#: Goal conflicts still to be handled.
OPEN_CONFLICTS = (GoalConflict.Status.OPEN, GoalConflict.Status.IN_PROGRESS)


def meeting_day(meeting: Meeting) -> dt.date:
    """Return the day of the meeting in the register's time zone (the day seats are counted on)."""
    return timezone.localtime(meeting.starts_at).date()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def meetings_between(first: dt.date, last: dt.date):
    """Return the meetings that start from ``first`` to ``last`` (both days included, in the
    register's time zone), cancelled ones too."""
    return Meeting.objects.filter(
        starts_at__gte=_day_start(first),
        starts_at__lt=_day_start(last + dt.timedelta(days=1)),
    )


def _seat_sort_key(seat: Seat):
    return (ROLE_ORDER.get(seat.role, 99), seat.person.name, seat.pk)


# --- My assignments (the start page) ----------------------------------------------------------


@dataclass
class UpcomingMeeting:
    meeting: Meeting
    seat: Seat  # the representative's seat in the meeting's body (in force on the meeting day)
    item_count: int
    #: Agenda items with our position; None when the user may not read the positions (then the
    #: page offers no briefing either).
    position_count: int | None
    may_read_briefing: bool
    #: Our positions on the agenda (the appointing organisation's), in the agenda's order: only
    #: for a briefing the user may read.
    positions: list[Position] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return meeting_day(self.meeting)

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.status == Meeting.Status.CANCELLED


@dataclass
class DueItem:
    row: DueRow
    may_act: bool  # the user may do what the row asks (an editor of the organisation)


@dataclass
class MyAssignments:
    person: Person
    seats: list[Seat]
    meetings: list[UpcomingMeeting]
    due: list[DueItem]
    today: dt.date
    #: The organisations whose due lists the user may read (``due`` covers them only).
    due_organisations: list = field(default_factory=list)

    @property
    def upcoming_days(self) -> int:
        return UPCOMING_DAYS

    @property
    def reading_days(self) -> int:
        return READING_DAYS

    @property
    def reading(self) -> list[UpcomingMeeting]:
        """The briefings to read: those of the meetings in the next ``READING_DAYS`` days."""
        last = self.today + dt.timedelta(days=READING_DAYS)
        return [
            m for m in self.meetings if m.may_read_briefing and not m.is_cancelled and m.day <= last
        ]


def my_assignments(access: Access, user, *, today: dt.date | None = None) -> MyAssignments | None:
    """Return the start page's "Mina uppdrag" for a user linked to a person (None for a user
    who is not): the person's seats in force today that the user may see, the meetings of those
    bodies in the next ``UPCOMING_DAYS`` days where the seat is in force on the meeting day, and
    what is due (``due_rows``) in the arrangements of those bodies, for each appointing
    organisation whose due list the user may read.

    Three queries (the seats, the meetings, our positions at them) and one ``due_rows`` per
    appointing organisation (one, as a rule), whatever the number of seats and meetings."""
    if user is None or not user.is_authenticated:
        return None
    today = today or rules.today()
    seats = sorted(
        access.visible(Seat.objects.filter(person__user_id=user.pk))
        .filter(rules.seat_in_force_q(today))
        .select_related(
            "person", "person__organisation", "body", "body__arrangement", "appointed_by"
        ),
        key=lambda s: (s.body.arrangement.name, s.body.name, s.pk),
    )
    if seats:
        person = seats[0].person
    else:
        person = (
            access.people(Person.objects.filter(user_id=user.pk))
            .select_related("organisation")
            .first()
        )
        if person is None:
            return None
        return MyAssignments(person=person, seats=[], meetings=[], due=[], today=today)

    by_body: dict[int, list[Seat]] = {}
    for seat in seats:
        by_body.setdefault(seat.body_id, []).append(seat)
    org_ids = {s.appointed_by_id for s in seats}
    meetings = (
        access.visible(
            meetings_between(today, today + dt.timedelta(days=UPCOMING_DAYS)).filter(
                body_id__in=by_body
            )
        )
        .select_related("body", "body__arrangement")
        .annotate(
            item_count=Count("items", distinct=True),
            position_count=Count(
                "items__positions",
                filter=Q(items__positions__organisation_id__in=org_ids),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")
    )
    upcoming = []
    for meeting in meetings:
        day = meeting_day(meeting)
        seat = next((s for s in by_body[meeting.body_id] if rules.seat_in_force(s, day)), None)
        if seat is None:
            continue
        may_read = access.can_view_briefing(seat)
        upcoming.append(
            UpcomingMeeting(
                meeting=meeting,
                seat=seat,
                item_count=meeting.item_count,
                position_count=meeting.position_count if may_read else None,
                may_read_briefing=may_read,
            )
        )

    # Our positions at the meetings whose briefing the user may read: one query for them all.
    readable = {u.meeting.pk: u for u in upcoming if u.may_read_briefing}
    if readable:
        for position in (
            access.visible(
                Position.objects.filter(item__meeting_id__in=readable, organisation_id__in=org_ids)
            )
            .select_related("item")
            .order_by("item__sort_order", "item__pk")
        ):
            u = readable[position.item.meeting_id]
            if position.organisation_id == u.seat.appointed_by_id:
                u.positions.append(position)

    arrangement_ids = {s.body.arrangement_id for s in seats}
    organisations = {s.appointed_by_id: s.appointed_by for s in seats}
    due, due_organisations = [], []
    for organisation in sorted(organisations.values(), key=lambda o: o.name):
        if not access.is_member_of(organisation):
            continue
        due_organisations.append(organisation)
        due.extend(
            DueItem(row=row, may_act=row.may_act)
            for row in due_rows(access, organisation, today)
            if row.arrangement is not None and row.arrangement.pk in arrangement_ids
        )
    return MyAssignments(
        person=person,
        seats=seats,
        meetings=upcoming,
        due=due,
        today=today,
        due_organisations=due_organisations,
    )


# --- The briefing ---------------------------------------------------------------------------


@dataclass
class BriefingSubject:
    """Whose briefing before which meeting: the meeting, the representative's seat in its body
    (in force on the meeting day) and every seat in force there that day."""

    meeting: Meeting
    seat: Seat
    body_seats: list[Seat]


def briefing_subject(access: Access, meeting_id: int, person_id: int) -> BriefingSubject | None:
    """Return the subject of a briefing, or None when the user may not see the meeting or the
    person holds no seat in its body on the meeting day. Whether the user may read the briefing
    is Access's to say (``can_view_briefing(subject.seat)``). Two queries."""
    meeting = (
        access.visible(Meeting.objects.select_related("body", "body__arrangement"))
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return None
    body_seats = body_seats_on([meeting])[meeting.pk]
    seat = next((s for s in body_seats if s.person_id == person_id), None)
    if seat is None:
        return None
    return BriefingSubject(meeting=meeting, seat=seat, body_seats=body_seats)


def subjects_between(first: dt.date, last: dt.date) -> list[BriefingSubject]:
    """Return a briefing subject for every seat in force on the meeting day at every planned
    meeting from ``first`` to ``last`` (what ``send_briefings`` sends; not an Access view: the
    command acts for the register). Two queries."""
    meetings = list(
        meetings_between(first, last)
        .filter(status=Meeting.Status.PLANNED)
        .select_related("body", "body__arrangement")
        .order_by("starts_at", "pk")
    )
    seats = body_seats_on(meetings)
    return [
        BriefingSubject(meeting=m, seat=seat, body_seats=seats[m.pk])
        for m in meetings
        for seat in seats[m.pk]
        if seat.appointed_by_id is not None
    ]


def body_seats_on(meetings) -> dict[int, list[Seat]]:
    """Return, by meeting id, the seats in force in the meeting's body on the meeting day, in
    the order a briefing lists them. One query for all the meetings: the seats whose term
    overlaps the days from the first meeting to the last, each meeting then keeping those in
    force on its own day (``rules.seat_in_force``)."""
    meetings = list(meetings)
    if not meetings:
        return {}
    days = [meeting_day(m) for m in meetings]
    seats = list(
        Seat.objects.filter(body_id__in={m.body_id for m in meetings})
        .filter(Q(term_start__isnull=True) | Q(term_start__lte=max(days)))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=min(days)))
        .select_related("person", "person__user", "appointed_by")
    )
    return {
        meeting.pk: sorted(
            (s for s in seats if s.body_id == meeting.body_id and rules.seat_in_force(s, day)),
            key=_seat_sort_key,
        )
        for meeting, day in zip(meetings, days, strict=True)
    }


@dataclass
class AgendaRow:
    item: AgendaItem
    position: Position | None  # ours, when we have one


@dataclass
class Briefing:
    """What our representative needs before a meeting of a joint body: the meeting and its
    agenda with our positions, and the arrangement as we see it (our cost in the reference year
    with its kind and the change from the year before, the goals of ours it serves, the last
    evaluation, open goal conflicts) and who else from us sits in the body."""

    meeting: Meeting
    seat: Seat
    agenda: list[AgendaRow]
    cost: CostTrend
    contributions: list[Contribution]
    last_evaluation: Evaluation | None
    conflicts: list[GoalConflict]
    others: list[Seat]
    today: dt.date

    @property
    def person(self) -> Person:
        return self.seat.person

    @property
    def organisation(self):
        return self.seat.appointed_by

    @property
    def body(self):
        return self.meeting.body

    @property
    def arrangement(self):
        return self.meeting.body.arrangement

    @property
    def day(self) -> dt.date:
        return meeting_day(self.meeting)

    @property
    def position_count(self) -> int:
        return sum(1 for row in self.agenda if row.position is not None)

    @property
    def binding_count(self) -> int:
        return sum(1 for row in self.agenda if row.position is not None and row.position.binding)

    @property
    def fingerprint(self) -> str:
        """A short digest of what the briefing says about the meeting: its time and place, the
        agenda and our position on each item (stance, text, where and when agreed, binding).
        ``send_briefings`` sends a representative the briefing again only when it has changed."""
        parts = [self.meeting.starts_at.isoformat(), self.meeting.place, self.meeting.status]
        for row in self.agenda:
            item, p = row.item, row.position
            parts += [str(item.pk), item.number, item.title]
            if p is not None:
                parts += [
                    p.stance,
                    p.text,
                    p.agreed_in,
                    p.agreed_on.isoformat() if p.agreed_on else "",
                    p.agreed_by,
                    str(p.binding),
                ]
            parts.append("|")
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def briefing(access: Access, subject: BriefingSubject, *, today: dt.date | None = None) -> Briefing:
    """Return the briefing of ``subject`` as the user sees it. Six queries, whatever the length
    of the agenda."""
    today = today or rules.today()
    meeting, seat = subject.meeting, subject.seat
    organisation_id = seat.appointed_by_id
    arrangement = meeting.body.arrangement
    ours = access.visible(Position.objects.filter(organisation_id=organisation_id))
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("service_area")
        .prefetch_related(Prefetch("positions", queryset=ours, to_attr="our_positions"))
        .order_by("sort_order", "pk")
    )
    year = rules.reference_year(today)
    costs = access.visible(
        Cost.objects.filter(
            participation__arrangement=arrangement,
            participation__organisation_id=organisation_id,
            year__in=(year - 1, year),
        )
    )
    contributions = list(
        access.visible(
            Contribution.objects.filter(
                arrangement=arrangement, goal__organisation_id=organisation_id
            )
        )
        .select_related("goal")
        .order_by("goal__sort_order", "goal__title", "pk")
    )
    last_evaluation = (
        access.evaluations(Evaluation.objects.filter(arrangement=arrangement))
        .filter(Q(organisation_id=organisation_id) | Q(organisation__isnull=True))
        .order_by("-date", "-pk")
        .first()
    )
    conflicts = list(
        access.goal_conflicts(
            GoalConflict.objects.filter(
                arrangement=arrangement,
                goal__organisation_id=organisation_id,
                status__in=OPEN_CONFLICTS,
            )
        )
        .select_related("goal", "decision")
        .order_by("-identified_on", "pk")
    )
    others = [
        s
        for s in subject.body_seats
        if s.appointed_by_id == organisation_id and s.person_id != seat.person_id
    ]
    return Briefing(
        meeting=meeting,
        seat=seat,
        agenda=[
            AgendaRow(item=i, position=i.our_positions[0] if i.our_positions else None)
            for i in items
        ],
        cost=year_trend(list(costs), year),
        contributions=contributions,
        last_evaluation=last_evaluation,
        conflicts=conflicts,
        others=others,
        today=today,
    )
