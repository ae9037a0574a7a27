"""A small public world: Täby (host) and Vaxholm share a published rescue-service federation with
one published and one unpublished record of each kind, and a second, unpublished arrangement."""

from __future__ import annotations

import datetime as dt

import pytest

from register import rules
from register.models import Alternative, Body, GoalConflict, PopulationFigure, Seat, TotalCost
from register.public.selectors import arrangement_slug
from tests import factories as f

# The cost year every page shows (rules.reference_year): the world's costs are in it.
REFERENCE_YEAR = rules.reference_year(dt.date.today())


@pytest.fixture
def public_world(taby, vaxholm):
    # Täby's population in the reference year: per inhabitant divides by it.
    PopulationFigure.objects.update_or_create(
        organisation=taby, year=REFERENCE_YEAR, defaults={"population": 70_000}
    )
    a = f.make_arrangement(
        name="Roslagens brandförsvarsförbund",
        form_slug="municipal_federation",
        areas=("raddningstjanst",),
        host=taby,
        is_published=True,
        public_description="Vi samverkar för en robust räddningstjänst dygnet runt.",
        website="https://brand.example.se/",
    )
    own = f.make_participation(a, taby, role="host", political_body="Kommunstyrelsen")
    f.make_participation(a, vaxholm, role="member")
    f.make_cost(own, year=REFERENCE_YEAR, outcome=7_000_000)
    TotalCost.objects.create(arrangement=a, year=REFERENCE_YEAR, outcome=50_000_000)
    body = f.make_body(a, name="Förbundsdirektionen", powers=Body.Powers.DECIDES)
    person = f.make_person(name="Karin Lind", party="M", organisation=taby)
    f.make_seat(body, person, taby, role=Seat.Role.CHAIR, party="M")
    goal = f.make_goal(organisation=taby, title="En trygg kommun")
    published = {
        "decision": f.make_decision(
            a,
            organisation=taby,
            title="Ny taxa för tillsyn",
            is_published=True,
            public_summary="Taxan höjs med tre procent.",
            date=dt.date(2025, 2, 1),
        ),
        "evaluation": f.make_evaluation(
            a, organisation=taby, is_published=True, public_summary="Målen nås."
        ),
        "goal_conflict": GoalConflict.objects.create(
            arrangement=a, goal=goal, description="Stationen i Vaxholm", is_published=True
        ),
        "alternative": Alternative.objects.create(
            arrangement=a,
            organisation=taby,
            kind="own_operation",
            description="Egen räddningstjänst",
            is_published=True,
        ),
    }
    hidden = f.make_arrangement(
        name="Hemliga nämnden", form_slug="joint_committee", host=taby, is_published=False
    )
    f.make_participation(hidden, taby, role="host")
    return {
        "arrangement": a,
        "slug": arrangement_slug({"id": a.pk, "name": a.name}),
        "hidden": hidden,
        "taby": taby,
        "vaxholm": vaxholm,
        "person": person,
        "body": body,
        "participation": own,
        "goal": goal,
        **published,
    }
