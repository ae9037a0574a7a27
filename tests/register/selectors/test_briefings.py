"""register/selectors/briefings.py: the briefing's facts against values worked out by hand, and
"Mina uppdrag" (seats in force, next meetings, what is due, the briefings to read)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register.access import Access
from register.models import Meeting, Membership, Position
from register.selectors import briefings
from tests import factories as f
from tests.register.briefing_world import TODAY, make_briefing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_arrangement, taby, vaxholm):
    return make_briefing_world(shared_arrangement, taby, vaxholm)


def _briefing(world, user_or_access, person="eva"):
    access = (
        user_or_access if isinstance(user_or_access, Access) else Access.for_user(user_or_access)
    )
    subject = briefings.briefing_subject(access, world["meeting"].pk, world["people"][person].pk)
    assert subject is not None
    return briefings.briefing(access, subject, today=TODAY)


def test_the_briefing_says_what_we_want_on_each_item_where_it_was_agreed_and_whether_it_binds(
    world, taby_reader
):
    b = _briefing(world, taby_reader)
    assert [row.item.number for row in b.agenda] == ["§ 1", "§ 2", "§ 3"]
    assert [row.position for row in b.agenda] == [
        world["positions"]["support"],
        None,  # no position of ours (Vaxholm's on § 1 is not ours)
        world["positions"]["amend"],
    ]
    assert (b.position_count, b.binding_count) == (2, 1)
    support = b.agenda[0].position
    assert (support.get_agreed_in_display(), support.agreed_on) == (
        "Kommunstyrelsens arbetsutskott",
        dt.date(2027, 1, 20),
    )


def test_the_briefings_cost_is_ours_in_the_reference_year_with_its_kind_and_trend(
    world, taby_reader
):
    cost = _briefing(world, taby_reader).cost
    # 2027-01-15: the reference year is 2026, where Täby has a forecast (no outcome): the
    # forecast comes before the budget. The year before: the 2025 outcome.
    assert (cost.year, cost.amount, cost.kind_label) == (2026, 1_100_000, "prognos")
    assert (cost.previous_year, cost.previous_amount) == (2025, 1_000_000)
    assert (cost.change, cost.change_percent) == (100_000, 10.0)


def test_the_briefings_goals_evaluation_and_conflicts_are_ours_or_joint(world, taby_reader):
    b = _briefing(world, taby_reader)
    assert [c.goal.title for c in b.contributions] == ["Trygg och hälsosam miljö"]
    # The joint evaluation of 2025, not Täby's older one nor Vaxholm's newer one.
    assert b.last_evaluation == world["joint_evaluation"]
    # Open conflicts against Täby's goals: not the resolved one, not Vaxholm's.
    assert b.conflicts == [world["conflict"]]


def test_the_briefing_names_the_others_from_us_in_force_on_the_meeting_day(world, taby_reader):
    b = _briefing(world, taby_reader)
    # Anna Berg (S), chair: in force. Bo's term ended 2026-12-31 and Cecilia's starts
    # 2027-03-01; Kim Vik is Vaxholm's. Eva herself is not among the others.
    assert [(s.person.name, s.role) for s in b.others] == [("Anna Berg", "chair")]
    assert (b.organisation.name, b.person.name, b.seat.role) == ("Täby kommun", "Eva Ek", "member")


def test_the_briefing_takes_a_fixed_number_of_queries_whatever_the_agenda(
    shared_arrangement, taby, vaxholm, taby_reader
):
    world = make_briefing_world(shared_arrangement, taby, vaxholm, items=3)
    access = Access.for_user(taby_reader)
    with CaptureQueriesContext(connection) as small:
        _briefing(world, access)
    for n in range(20):
        item = f.make_agenda_item(world["meeting"], title=f"Extra {n}")
        f.make_position(item, taby)
    with CaptureQueriesContext(connection) as large:
        b = _briefing(world, access)
    assert len(b.agenda) == 23
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


def test_a_person_without_a_seat_on_the_meeting_day_has_no_briefing(world, taby_reader):
    access = Access.for_user(taby_reader)
    for name in ("bo", "cecilia"):
        assert (
            briefings.briefing_subject(access, world["meeting"].pk, world["people"][name].pk)
            is None
        )


def test_a_meeting_the_user_may_not_see_has_no_briefing(world, knivsta_editor):
    access = Access.for_user(knivsta_editor)
    assert (
        briefings.briefing_subject(access, world["meeting"].pk, world["people"]["eva"].pk) is None
    )


def test_access_lets_our_members_read_our_briefing_and_not_the_other_organisations(
    world, taby_reader, vaxholm
):
    vaxholm_editor = f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")
    seats = world["seats"]
    ours, theirs = Access.for_user(taby_reader), Access.for_user(vaxholm_editor)
    assert ours.can_view_briefing(seats["eva"]) and not ours.can_view_briefing(seats["kim"])
    assert theirs.can_view_briefing(seats["kim"]) and not theirs.can_view_briefing(seats["eva"])
    assert Access.administrator().can_view_briefing(seats["eva"])


# --- Mina uppdrag ---------------------------------------------------------------------------


def _link(person, user):
    person.user = user
    person.save()


def test_a_user_not_linked_to_a_person_has_no_assignments(world, taby_reader):
    assert briefings.my_assignments(Access.for_user(taby_reader), taby_reader, today=TODAY) is None


def test_my_assignments_show_seats_meetings_and_briefings_to_read(world, taby, taby_reader):
    _link(world["people"]["eva"], taby_reader)
    later = f.make_meeting(
        world["body"], starts_at=world["meeting"].starts_at + dt.timedelta(days=30)
    )
    f.make_meeting(  # beyond 90 days
        world["body"], starts_at=world["meeting"].starts_at + dt.timedelta(days=120)
    )
    cancelled = f.make_meeting(
        world["body"],
        starts_at=world["meeting"].starts_at - dt.timedelta(days=20),
        status=Meeting.Status.CANCELLED,
    )
    mine = briefings.my_assignments(Access.for_user(taby_reader), taby_reader, today=TODAY)
    assert mine.person == world["people"]["eva"]
    assert mine.seats == [world["seats"]["eva"]]
    assert [u.meeting for u in mine.meetings] == [cancelled, world["meeting"], later]
    first = mine.meetings[1]
    assert (first.item_count, first.position_count, first.may_read_briefing) == (3, 2, True)
    # 2027-01-15 + 14 days: nothing to read yet (the meeting is on 2027-02-10) ...
    assert mine.reading == []
    # ... but two weeks before, its briefing is there (the cancelled meeting's is not).
    mine = briefings.my_assignments(
        Access.for_user(taby_reader), taby_reader, today=dt.date(2027, 1, 28)
    )
    assert [u.meeting for u in mine.reading] == [world["meeting"]]
    # With our positions on its agenda, in the agenda's order (not Vaxholm's on § 1).
    assert mine.reading[0].positions == [
        world["positions"]["support"],
        world["positions"]["amend"],
    ]


def test_my_assignments_list_what_is_due_in_the_arrangements_of_my_bodies_only(
    world, taby, shared_arrangement, taby_reader
):
    _link(world["people"]["eva"], taby_reader)
    elsewhere = f.make_arrangement(name="Annan samverkan")
    f.make_participation(elsewhere, taby)
    mine = briefings.my_assignments(Access.for_user(taby_reader), taby_reader, today=TODAY)
    arrangements = {d.row.arrangement for d in mine.due}
    assert arrangements == {shared_arrangement}
    # A reader is told what to do, but not offered the editor's forms.
    assert mine.due and not any(d.may_act for d in mine.due)


def test_a_linked_user_who_is_not_a_member_sees_seats_but_no_positions_or_briefings(world):
    outsider = f.make_user("eva-utan-behorighet")
    _link(world["people"]["eva"], outsider)
    mine = briefings.my_assignments(Access.for_user(outsider), outsider, today=TODAY)
    # The arrangement is unpublished and the user is no member: no seat of it is visible.
    assert mine.seats == [] and mine.meetings == []


def test_on_a_published_arrangement_a_linked_non_member_sees_no_positions_nor_briefings(
    world, shared_arrangement
):
    shared_arrangement.is_published = True
    shared_arrangement.save()
    outsider = f.make_user("eva-utan-behorighet")
    _link(world["people"]["eva"], outsider)
    mine = briefings.my_assignments(Access.for_user(outsider), outsider, today=TODAY)
    assert mine.seats == [world["seats"]["eva"]]
    (upcoming,) = mine.meetings
    assert (upcoming.position_count, upcoming.may_read_briefing) == (None, False)
    assert mine.due == [] and mine.due_organisations == []


def test_my_assignments_take_a_fixed_number_of_queries_whatever_the_seats(
    world, taby, shared_arrangement, taby_editor
):
    _link(world["people"]["eva"], taby_editor)
    access = Access.for_user(taby_editor)
    with CaptureQueriesContext(connection) as one:
        briefings.my_assignments(access, taby_editor, today=TODAY)
    for n in range(5):
        arrangement = f.make_arrangement(name=f"Förbund {n}")
        f.make_participation(arrangement, taby)
        body = f.make_body(arrangement, name=f"Direktion {n}")
        f.make_seat(body, world["people"]["eva"], taby, term_start=dt.date(2027, 1, 1))
        meeting = f.make_meeting(body)
        f.make_position(f.make_agenda_item(meeting), taby, stance=Position.Stance.OPPOSE)
    with CaptureQueriesContext(connection) as six:
        mine = briefings.my_assignments(access, taby_editor, today=TODAY)
    assert len(mine.seats) == 6 and len(mine.meetings) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
