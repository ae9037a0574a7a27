"""Small factories for the register's models (plain functions; no extra dependency).

Every factory takes keyword overrides. Reference organisations (municipalities, regions) exist
after migrate, so tests look them up by code with ``municipality("0160")``.
"""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from register.models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    CooperationForm,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Membership,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    ServiceArea,
)

_seq = itertools.count(1)


def municipality(code: str) -> Organisation:
    return Organisation.objects.get(code=code, kind=Organisation.Kind.MUNICIPALITY)


def region(code: str) -> Organisation:
    return Organisation.objects.get(code=code, kind=Organisation.Kind.REGION)


def form(slug: str = "municipal_federation") -> CooperationForm:
    return CooperationForm.objects.get(slug=slug)


def area(slug: str = "raddningstjanst") -> ServiceArea:
    return ServiceArea.objects.get(slug=slug)


def make_user(username: str | None = None, *, superuser: bool = False, **kw):
    User = get_user_model()
    username = username or f"user{next(_seq)}"
    if superuser:
        return User.objects.create_superuser(username=username, password="pw-test-12345", **kw)
    return User.objects.create_user(username=username, password="pw-test-12345", **kw)


def make_member(org: Organisation, role: str = Membership.Role.EDITOR, username: str | None = None):
    user = make_user(username)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_arrangement(
    *, members=(), form_slug="municipal_federation", areas=("raddningstjanst",), **kw
):
    kw.setdefault("name", f"Samverkan {next(_seq)}")
    arrangement = Arrangement.objects.create(form=form(form_slug), **kw)
    if areas:
        arrangement.service_areas.set(ServiceArea.objects.filter(slug__in=areas))
    for org in members:
        Participation.objects.create(arrangement=arrangement, organisation=org)
    return arrangement


def make_participation(arrangement, organisation, **kw) -> Participation:
    return Participation.objects.create(arrangement=arrangement, organisation=organisation, **kw)


def make_cost(participation, year=2024, **kw) -> Cost:
    kw.setdefault("outcome", 1_000_000)
    return Cost.objects.create(participation=participation, year=year, **kw)


def make_body(arrangement, **kw) -> Body:
    kw.setdefault("kind", Body.Kind.FEDERATION_BOARD)
    kw.setdefault("name", "Direktionen")
    return Body.objects.create(arrangement=arrangement, **kw)


def make_person(**kw) -> Person:
    kw.setdefault("name", f"Person {next(_seq)}")
    return Person.objects.create(**kw)


def make_seat(body, person, appointed_by, **kw) -> Seat:
    return Seat.objects.create(body=body, person=person, appointed_by=appointed_by, **kw)


def make_decision(arrangement, **kw) -> Decision:
    kw.setdefault("deciding_body", "Kommunfullmäktige")
    kw.setdefault("date", date(2024, 3, 1))
    kw.setdefault("title", f"Beslut {next(_seq)}")
    return Decision.objects.create(arrangement=arrangement, **kw)


def make_evaluation(arrangement, **kw) -> Evaluation:
    kw.setdefault("date", date(2024, 6, 1))
    return Evaluation.objects.create(arrangement=arrangement, **kw)


def make_goal(*, organisation=None, arrangement=None, **kw) -> Goal:
    kw.setdefault("title", f"Mål {next(_seq)}")
    return Goal.objects.create(organisation=organisation, arrangement=arrangement, **kw)


# --- Worlds that several test modules share ------------------------------------------------------


def make_own_records(arrangement, org, *, label: str) -> dict:
    """Create one participant's own records of every kind on an arrangement it takes part in
    (its participation exists): a cost, a seat in the arrangement's first body (made if it has
    none) and the person in it, a goal, its contribution and conflict, an evaluation, an
    alternative, a decision, a review and its item. Return them by model name (lower case), the
    participation and the organisation too; ``label`` names them."""
    participation = arrangement.participations.get(organisation=org)
    body = arrangement.bodies.first() or make_body(arrangement)
    person = make_person(organisation=org, name=f"Person {label}")
    goal = make_goal(organisation=org, title=f"Mål {label}")
    decision = make_decision(arrangement, organisation=org, title=f"Beslut {label}")
    review = Review.objects.create(organisation=org, date=date(2024, 2, 1), title=f"KS {label}")
    return {
        "participation": participation,
        "cost": make_cost(participation, year=2024),
        "body": body,
        "seat": make_seat(body, person, org),
        "person": person,
        "goal": goal,
        "contribution": Contribution.objects.create(arrangement=arrangement, goal=goal),
        "goalconflict": GoalConflict.objects.create(
            arrangement=arrangement, goal=goal, description=f"Konflikt {label}"
        ),
        "evaluation": make_evaluation(arrangement, organisation=org),
        "alternative": Alternative.objects.create(
            arrangement=arrangement, organisation=org, kind="own_operation"
        ),
        "decision": decision,
        "review": review,
        "reviewitem": ReviewItem.objects.create(review=review, participation=participation),
        "organisation": org,
    }


def make_partner_network(
    taby,
    vaxholm,
    knivsta,
    *,
    year: int,
    fire: str = "Brandförbundet",
    secret: str = "Hemligt nätverk",
) -> dict:
    """Create Täby's partner network: a published federation ``fire`` of Täby (cost 100 kr in
    ``year``), Vaxholm (300 kr) and Knivsta (Uppsala län, no cost), and an unpublished network
    ``secret`` of Täby and Danderyd. Return them by name: "fire", "secret", "danderyd"."""
    danderyd = municipality("0162")
    brand = make_arrangement(name=fire, is_published=True)
    make_cost(make_participation(brand, taby), year=year, outcome=100)
    make_cost(make_participation(brand, vaxholm), year=year, outcome=300)
    make_participation(brand, knivsta)
    network = make_arrangement(name=secret, form_slug="network", is_published=False)
    make_participation(network, taby)
    make_participation(network, danderyd)
    return {"fire": brand, "secret": network, "danderyd": danderyd}


def make_meeting(body, **kw):
    """A meeting of ``body``; starts 2027-02-10 at 09:00 Swedish time unless told."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from register.models import Meeting

    kw.setdefault("starts_at", dt.datetime(2027, 2, 10, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    return Meeting.objects.create(body=body, **kw)


def make_agenda_item(meeting, **kw):
    from register.models import AgendaItem

    kw.setdefault("title", f"Ärende {next(_seq)}")
    return AgendaItem.objects.create(meeting=meeting, **kw)


def make_position(item, organisation, **kw):
    from register.models import Position

    kw.setdefault("stance", Position.Stance.SUPPORT)
    return Position.objects.create(item=item, organisation=organisation, **kw)
