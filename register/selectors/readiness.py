"""Mandate-period readiness: the board's agenda for a chosen term of office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from .. import rules
from ..access import Access
from ..models import ReviewItem, Seat
from .due import active_participations, decisions_since, may_see_due


@dataclass
class BodySeats:
    """Our seats in one body that end in a window: what the nominating committee must fill."""

    body: Any
    seats: list  # Seat, with person, by end date and role

    @property
    def arrangement(self):
        return self.body.arrangement

    @property
    def end_dates(self) -> list[dt.date]:
        return sorted({s.term_end for s in self.seats})


def by_body(seats) -> list[BodySeats]:
    """Return seats grouped per body, in the order of the arrangement's and the body's names."""
    groups: dict[int, BodySeats] = {}
    for seat in seats:
        groups.setdefault(seat.body_id, BodySeats(seat.body, [])).seats.append(seat)
    return sorted(groups.values(), key=lambda g: (g.arrangement.name, g.body.name, g.body.pk))


@dataclass
class Readiness:
    term: rules.Term
    ending: list = field(default_factory=list)  # (participation, end date, notice deadline)
    seats: list = field(default_factory=list)  # our seats whose terms end with the term
    # our seats that end with the term before (or at the turn of the year after the election):
    # the ones to fill at the start of this term
    seats_to_fill: list = field(default_factory=list)
    undecided: list = field(
        default_factory=list
    )  # participations with no decision since the election
    assignments: list = field(default_factory=list)  # review items due in the term, not done
    election_ahead: bool = False

    @property
    def seats_by_body(self) -> list[BodySeats]:
        return by_body(self.seats)

    @property
    def seats_to_fill_by_body(self) -> list[BodySeats]:
        return by_body(self.seats_to_fill)


def seats_to_fill(term: rules.Term) -> tuple[dt.date, dt.date]:
    """Return the span of end dates of the seats to fill at the start of ``term``: those that end
    with the term before it, up to the turn of the year after the election."""
    return seats_end_with(term.previous)


def seats_end_with(term: rules.Term) -> tuple[dt.date, dt.date]:
    """Return the span of end dates of seats that end with ``term``: from a year before its last
    day to 31 December of that year (a federation's or company's term often runs to the year end
    after the election)."""
    return rules.add_months(term.end, -12), dt.date(term.end.year, 12, 31)


def term_readiness(access: Access, organisation, term: rules.Term, today: dt.date) -> Readiness:
    result = Readiness(term=term, election_ahead=term.election > today)
    if not may_see_due(access, organisation):
        return result
    # Running at the start of the term (or today, for a term already under way).
    on = max(term.start, today) if today <= term.end else term.end
    participations = list(active_participations(organisation, min(on, today)))
    ids = [p.arrangement_id for p in participations]
    for p in participations:
        a = p.arrangement
        deadline = rules.notice_deadline(a.end_date, a.notice_months)
        if (a.end_date and a.end_date in term) or (deadline and deadline in term):
            result.ending.append((p, a.end_date, deadline))
    ending_now, ending_before = seats_end_with(term), seats_end_with(term.previous)
    seats = list(
        Seat.objects.filter(appointed_by=organisation, term_end__gte=ending_before[0])
        .filter(term_end__lte=ending_now[1])
        # A seat in an arrangement that has ended is not to be filled again.
        .filter(body__arrangement_id__in=ids)
        .select_related("person", "body", "body__arrangement")
        .order_by("term_end", "body__arrangement__name", "role", "person__name")
    )
    result.seats = [s for s in seats if ending_now[0] <= s.term_end <= ending_now[1]]
    result.seats_to_fill = [s for s in seats if ending_before[0] <= s.term_end <= ending_before[1]]
    decided = set(
        decisions_since([organisation.pk], term.election)
        .filter(arrangement_id__in=ids)
        .values_list("arrangement_id", flat=True)
    )
    result.undecided = [p for p in participations if p.arrangement_id not in decided]
    result.assignments = list(
        ReviewItem.objects.filter(
            review__organisation=organisation,
            due_date__gte=term.start,
            due_date__lte=term.end,
            assignment_done_on__isnull=True,
        )
        .filter(~Q(assignment=""))
        .filter(rules.takes_part_q(min(on, today), "participation__"))
        .select_related("review", "participation__arrangement")
        .order_by("due_date")
    )
    return result
