"""The seats to fill after an election (Platser att tillsätta): what the nominating committee
(valberedningen) needs per body, and the same figures for its workbook.

For an organisation and a term: our seats that end when the term starts (the mandate page's
``readiness.seats_to_fill``, the same seats), which of them nobody succeeds (``rules.successions``),
the bodies where we lack substitutes (``rules.substitutes_missing``), our representatives' load
with the same person in two bodies that decide on the same money (``rules.same_money``), and the
party distribution of our seats in force, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from .. import rules
from ..access import Access
from ..models import Body, Organisation, Participation, Person, Seat
from .due import active_participations
from .readiness import seats_to_fill

# The roles the nominating committee proposes: an official's place in a working group is not
# an elected seat, so load and party distribution leave it out.
POLITICAL_ROLES = rules.ORDINARY_SEAT_ROLES | {Seat.Role.SUBSTITUTE}
NO_PARTY = "Utan parti"


def seat_party(seat: Seat) -> str:
    """Return the party of a seat: the seat's own, else the person's."""
    return seat.party or seat.person.party or ""


@dataclass
class BodyRow:
    """Our seats in one body."""

    body: Body
    ending: list[tuple[Seat, Seat | None]] = field(default_factory=list)  # (seat, successor)
    ordinary: int = 0  # our ordinary seats in force
    substitutes: int = 0  # our substitutes in force
    share: rules.SeatShare | None = None
    changeable: bool = False  # the user may choose its members (one query for all bodies)

    @property
    def arrangement(self):
        return self.body.arrangement

    @property
    def vacant(self) -> list[Seat]:
        return [seat for seat, successor in self.ending if successor is None]

    @property
    def filled(self) -> int:
        """The ending seats someone has already been chosen to succeed."""
        return len(self.ending) - len(self.vacant)

    @property
    def substitutes_missing(self) -> int:
        return rules.substitutes_missing(self.ordinary, self.substitutes)


@dataclass
class PersonLoad:
    """One of our representatives and their seats in force."""

    person: Person
    seats: list[Seat] = field(default_factory=list)
    same_money: list[tuple[Body, Body]] = field(default_factory=list)

    @property
    def party(self) -> str:
        parties = sorted({seat_party(s) for s in self.seats} - {""})
        return ", ".join(parties)


@dataclass
class PartyRow:
    party: str
    ordinary: int = 0
    substitutes: int = 0

    @property
    def total(self) -> int:
        return self.ordinary + self.substitutes


@dataclass
class SeatsToFill:
    organisation: Organisation
    term: rules.Term
    window: tuple[dt.date, dt.date]  # the end dates of the seats to fill
    on: dt.date  # the day "in force" counts
    bodies: list[BodyRow] = field(default_factory=list)
    load: list[PersonLoad] = field(default_factory=list)
    parties: list[PartyRow] = field(default_factory=list)

    @property
    def ending(self) -> list[tuple[Seat, Seat | None]]:
        return [pair for b in self.bodies for pair in b.ending]

    @property
    def ending_bodies(self) -> list[BodyRow]:
        return [b for b in self.bodies if b.ending]

    @property
    def vacancies(self) -> list[tuple[BodyRow, Seat]]:
        return [(b, seat) for b in self.bodies for seat in b.vacant]

    @property
    def missing_substitutes(self) -> list[BodyRow]:
        return [b for b in self.bodies if b.substitutes_missing]

    @property
    def same_money(self) -> list[PersonLoad]:
        return [p for p in self.load if p.same_money]

    @property
    def party_total(self) -> PartyRow:
        return PartyRow(
            "Summa",
            sum(p.ordinary for p in self.parties),
            sum(p.substitutes for p in self.parties),
        )


def counting_day(term: rules.Term, today: dt.date) -> dt.date:
    """Return the day on which the page counts seats in force: today, or the last day of a term
    that has ended."""
    return min(today, term.end)


def seats_to_fill_for(
    access: Access, organisation: Organisation, term: rules.Term, today: dt.date
) -> SeatsToFill:
    """Return the organisation's seats to fill when ``term`` starts and its seats in force, per
    body, with the figures the nominating committee needs (empty for a user who is not a member
    of the organisation)."""
    window = seats_to_fill(term)
    on = counting_day(term, today)
    result = SeatsToFill(organisation, term, window, on)
    if not access.is_member_of(organisation):
        return result
    # The arrangements we take part in (as the mandate page: a seat in an arrangement that has
    # ended is not to be filled again).
    ids = [p.arrangement_id for p in active_participations(organisation, min(on, today))]
    ours = list(
        access.visible(Seat.objects.filter(appointed_by=organisation, body__arrangement_id__in=ids))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=window[0]))
        .select_related("person", "body", "body__arrangement")
        .order_by("body__arrangement__name", "body__name", "body__pk", "term_end", "role", "pk")
    )
    ending = [s for s in ours if s.term_end is not None and window[0] <= s.term_end <= window[1]]
    in_force = [s for s in ours if rules.seat_in_force(s, on)]
    rows: dict[int, BodyRow] = {}
    for seat in ending + in_force:
        rows.setdefault(seat.body_id, BodyRow(seat.body))
    for seat, successor in rules.successions(ending, ours):
        rows[seat.body_id].ending.append((seat, successor))
    for seat in in_force:
        if seat.role in rules.ORDINARY_SEAT_ROLES:
            rows[seat.body_id].ordinary += 1
        elif seat.role == Seat.Role.SUBSTITUTE:
            rows[seat.body_id].substitutes += 1
    _add_shares(access, rows, on)
    changeable = set(
        access.editable(Body.objects.filter(pk__in=list(rows))).values_list("pk", flat=True)
    )
    for pk, row in rows.items():
        row.changeable = pk in changeable
    result.bodies = sorted(
        rows.values(), key=lambda r: (r.arrangement.name, r.body.name, r.body.pk)
    )
    for row in result.bodies:
        row.ending.sort(key=lambda pair: (pair[0].term_end, pair[0].role, pair[0].person.name))
    political = [s for s in in_force if s.role in POLITICAL_ROLES]
    result.load = _load(political)
    result.parties = _parties(political)
    return result


def _add_shares(access: Access, rows: dict[int, BodyRow], on: dt.date) -> None:
    """Give each body our share of its ordinary seats in force (``rules.seat_share``): against
    the body's size where known, else against the registered seats when every member in force
    has its own registered."""
    if not rows:
        return
    registered: dict[int, set] = {pk: set() for pk in rows}
    counts: dict[int, int] = dict.fromkeys(rows, 0)
    seats = (
        access.visible(Seat.objects.filter(body_id__in=list(rows)))
        .filter(role__in=rules.ORDINARY_SEAT_ROLES)
        .filter(rules.seat_in_force_q(on))
        .values_list("body_id", "appointed_by_id")
    )
    for body_id, appointed_by_id in seats:
        counts[body_id] += 1
        registered[body_id].add(appointed_by_id)
    arrangement_ids = {row.body.arrangement_id for row in rows.values()}
    members: dict[int, list[tuple[int, str]]] = {pk: [] for pk in arrangement_ids}
    participations = (
        access.visible(Participation.objects.filter(arrangement_id__in=arrangement_ids))
        .filter(rules.member_in_force_q(on))
        .values_list("arrangement_id", "organisation_id", "organisation__name")
    )
    for arrangement_id, org_id, name in participations:
        members[arrangement_id].append((org_id, name))
    for pk, row in rows.items():
        row.share = rules.seat_share(
            body_name=row.body.name,
            ours=row.ordinary,
            registered=counts[pk],
            seat_count=row.body.seat_count,
            unregistered=sorted(
                name
                for org_id, name in members[row.body.arrangement_id]
                if org_id not in registered[pk]
            ),
        )


def _load(seats: list[Seat]) -> list[PersonLoad]:
    """Return our representatives with their seats in force, the most seats first, and for each
    the pairs of their bodies that decide on the same money."""
    people: dict[int, PersonLoad] = {}
    for seat in seats:
        people.setdefault(seat.person_id, PersonLoad(seat.person)).seats.append(seat)
    for load in people.values():
        bodies = sorted({s.body_id: s.body for s in load.seats}.values(), key=lambda b: b.name)
        load.same_money = [
            (a, b) for i, a in enumerate(bodies) for b in bodies[i + 1 :] if rules.same_money(a, b)
        ]
        load.seats.sort(key=lambda s: (s.body.arrangement.name, s.body.name))
    return sorted(people.values(), key=lambda p: (-len(p.seats), p.person.name))


def _parties(seats: list[Seat]) -> list[PartyRow]:
    """Return our seats in force per party, ordinary and substitute, the largest party first."""
    parties: dict[str, PartyRow] = {}
    for seat in seats:
        name = seat_party(seat) or NO_PARTY
        row = parties.setdefault(name, PartyRow(name))
        if seat.role == Seat.Role.SUBSTITUTE:
            row.substitutes += 1
        else:
            row.ordinary += 1
    return sorted(parties.values(), key=lambda p: (p.party == NO_PARTY, -p.total, p.party))
