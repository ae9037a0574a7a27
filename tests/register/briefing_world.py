"""The world of the briefing tests: Täby's representative Eva Ek before a meeting of the joint
committee Täby shares with Vaxholm, with every fact a briefing shows worked out by hand (and
Vaxholm's records beside them, which Täby's briefing must leave out)."""

from __future__ import annotations

import datetime as dt

from register.models import Body, GoalConflict, Position, Seat
from tests import factories as f

# The briefing is read on this day: the reference year is 2026 (``rules.reference_year``).
TODAY = dt.date(2027, 1, 15)


def make_briefing_world(arrangement, taby, vaxholm, *, items: int = 3) -> dict:
    """Return the world by name. ``arrangement`` is Täby's and Vaxholm's (Täby host)."""
    body = f.make_body(arrangement, name="Nämnden", kind=Body.Kind.JOINT_COMMITTEE, seat_count=6)
    meeting = f.make_meeting(
        body, place="Täby kommunhus, sal B", papers_url="https://example.se/handlingar"
    )  # 2027-02-10 09:00
    eva = f.make_person(name="Eva Ek", party="M", organisation=taby)
    anna = f.make_person(name="Anna Berg", party="S", organisation=taby)
    bo = f.make_person(name="Bo Ström", party="C", organisation=taby)
    cecilia = f.make_person(name="Cecilia Lind", party="L", organisation=taby)
    kim = f.make_person(name="Kim Vik", party="KD", organisation=vaxholm)
    term = {"term_start": dt.date(2023, 1, 1), "term_end": dt.date(2026, 12, 31)}
    new_term = {"term_start": dt.date(2027, 1, 1), "term_end": dt.date(2030, 12, 31)}
    seats = {
        "eva": f.make_seat(body, eva, taby, role=Seat.Role.MEMBER, **new_term),
        "anna": f.make_seat(body, anna, taby, role=Seat.Role.CHAIR, party="S", **new_term),
        # Ended before the meeting: not one of ours there any more.
        "bo": f.make_seat(body, bo, taby, role=Seat.Role.SUBSTITUTE, **term),
        # Starts after the meeting.
        "cecilia": f.make_seat(
            body,
            cecilia,
            taby,
            role=Seat.Role.SUBSTITUTE,
            term_start=dt.date(2027, 3, 1),
            term_end=dt.date(2030, 12, 31),
        ),
        "kim": f.make_seat(body, kim, vaxholm, role=Seat.Role.VICE_CHAIR, **new_term),
    }
    agenda = [
        f.make_agenda_item(meeting, number=f"§ {n}", title=title, sort_order=n)
        for n, title in [
            (1, "Taxa för slamtömning 2028"),
            (2, "Delårsrapport"),
            (3, "Tillsynsplan 2027"),
        ][:items]
    ]
    for n in range(4, items + 1):
        agenda.append(f.make_agenda_item(meeting, number=f"§ {n}", title=f"Ärende {n}"))
    positions = {}
    if items >= 3:
        positions = {
            "support": f.make_position(
                agenda[0],
                taby,
                stance=Position.Stance.SUPPORT,
                text="Vi stöder förslaget om taxan höjs högst 3 procent.",
                agreed_in=Position.AgreedIn.KSAU,
                agreed_on=dt.date(2027, 1, 20),
                agreed_by="Kommunstyrelsens arbetsutskott § 12",
                binding=True,
            ),
            "vaxholm": f.make_position(agenda[0], vaxholm, stance=Position.Stance.OPPOSE),
            "amend": f.make_position(
                agenda[2],
                taby,
                stance=Position.Stance.AMEND,
                text="Lägg till tillsyn av förskolor.",
                agreed_in=Position.AgreedIn.OWN_JUDGEMENT,
                binding=False,
            ),
        }
    # Costs: Täby's 2025 outcome and 2026 forecast; Vaxholm's must not show.
    ours = arrangement.participations.get(organisation=taby)
    theirs = arrangement.participations.get(organisation=vaxholm)
    f.make_cost(ours, year=2024, outcome=900_000)
    f.make_cost(ours, year=2025, outcome=1_000_000)
    f.make_cost(ours, year=2026, outcome=None, forecast=1_100_000, budget=1_200_000)
    f.make_cost(theirs, year=2026, outcome=500_000)
    # Goals: Täby's two (one served), Vaxholm's one.
    safe = f.make_goal(organisation=taby, title="Trygg och hälsosam miljö")
    unserved = f.make_goal(organisation=taby, title="Hållbart byggande")
    other_goal = f.make_goal(organisation=vaxholm, title="Vaxholms mål")
    from register.models import Contribution

    Contribution.objects.create(arrangement=arrangement, goal=safe, strength="strong")
    Contribution.objects.create(arrangement=arrangement, goal=other_goal)
    # Evaluations: the joint one of 2025 is the last that is ours or joint.
    f.make_evaluation(arrangement, organisation=taby, date=dt.date(2024, 3, 1))
    joint = f.make_evaluation(
        arrangement,
        organisation=None,
        date=dt.date(2025, 5, 1),
        goal_attainment="partly",
        recommendation="develop",
        public_summary="Tillsynen fungerar men köerna växer.",
    )
    f.make_evaluation(arrangement, organisation=vaxholm, date=dt.date(2026, 6, 1))
    # Goal conflicts: Täby's open one shows; a resolved one and Vaxholm's do not.
    conflict = GoalConflict.objects.create(
        arrangement=arrangement,
        goal=safe,
        description="Taxan slår mot hushållen.",
        identified_on=dt.date(2026, 9, 1),
    )
    GoalConflict.objects.create(
        arrangement=arrangement,
        goal=unserved,
        description="Löst sedan länge.",
        status=GoalConflict.Status.RESOLVED,
    )
    GoalConflict.objects.create(arrangement=arrangement, goal=other_goal, description="Vaxholms.")
    return {
        "body": body,
        "meeting": meeting,
        "people": {"eva": eva, "anna": anna, "bo": bo, "cecilia": cecilia, "kim": kim},
        "seats": seats,
        "agenda": agenda,
        "positions": positions,
        "safe_goal": safe,
        "joint_evaluation": joint,
        "conflict": conflict,
    }
