"""What a change log shows follows what the user may see now (``Access.visible_q``), for every
kind of record the log covers, including deleted records and internal fields."""

import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse

from register.access import Access
from register.models import (
    Alternative,
    Contribution,
    GoalConflict,
    Organisation,
    Review,
    TotalCost,
)
from register.selectors.arrangements import arrangement_detail
from register.selectors.changelog import INTERNAL_FIELDS, LOG_MODELS
from register.selectors.organisations import organisation_detail
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(published_shared_arrangement, knivsta):
    """A published arrangement of Täby and Vaxholm; Knivsta takes no part in it."""
    return published_shared_arrangement


def outsider(knivsta) -> Access:
    return Access(user_id=1, member_org_ids=frozenset({knivsta.pk}))


def member(taby) -> Access:
    return Access(user_id=2, member_org_ids=frozenset({taby.pk}))


def reachable_log(access: Access, arrangement, organisations) -> set[tuple[str, int]]:
    """Return (model, id) of every entry in every change log the user can open: the
    arrangement's page (if they may see it) and the organisations' pages."""
    seen = set()
    detail = arrangement_detail(access, arrangement.pk)
    if detail is not None:
        seen |= {(e.model, e.object_id) for e in detail.change_log}
    for organisation in organisations:
        org_detail = organisation_detail(access, organisation.pk)
        seen |= {(e.model, e.object_id) for e in org_detail.change_log}
    return seen


def unpublish_arrangement(record, arrangement):
    arrangement.is_published = False
    arrangement.save()


def unpublish_record(record, arrangement):
    record.is_published = False
    record.save()


def stays_members_only(record, arrangement):
    pass


def edited(record, **changes):
    """Save ``record`` again with ``changes`` so that it has more than one version."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()
    return record


# For each model the change log covers: make a record a non-member may see (or, for reviews,
# one only the organisation's own users see) and say how it becomes one they may not see.
# ``None``: the model is public (everyone logged in may see every record of it).
MAKERS = {
    "arrangement": lambda a, taby: (edited(a, seat="Täby"), unpublish_arrangement),
    "participation": lambda a, taby: (
        edited(a.participations.get(organisation=taby), cost_share=40),
        unpublish_arrangement,
    ),
    "cost": lambda a, taby: (
        edited(f.make_cost(a.participations.get(organisation=taby), outcome=5), outcome=6),
        unpublish_arrangement,
    ),
    "totalcost": lambda a, taby: (
        edited(TotalCost.objects.create(arrangement=a, year=2024, budget=1), budget=2),
        unpublish_arrangement,
    ),
    "body": lambda a, taby: (
        edited(f.make_body(a, name="Nämnd"), name="Nämnden"),
        unpublish_arrangement,
    ),
    "seat": lambda a, taby: (
        edited(f.make_seat(f.make_body(a), f.make_person(name="Eva Ek"), taby), role="chair"),
        unpublish_arrangement,
    ),
    "decision": lambda a, taby: (
        edited(f.make_decision(a, title="Taxa", is_published=True), title="Ny taxa"),
        unpublish_record,
    ),
    "goal": lambda a, taby: (
        edited(f.make_goal(arrangement=a, title="Mål"), title="Nytt mål"),
        unpublish_arrangement,
    ),
    "contribution": lambda a, taby: (
        edited(
            Contribution.objects.create(arrangement=a, goal=f.make_goal(organisation=taby)),
            strength="strong",
        ),
        unpublish_arrangement,
    ),
    "goalconflict": lambda a, taby: (
        edited(
            GoalConflict.objects.create(
                arrangement=a,
                goal=f.make_goal(organisation=taby),
                description="Konflikt",
                is_published=True,
            ),
            status="resolved",
        ),
        unpublish_record,
    ),
    "evaluation": lambda a, taby: (
        edited(f.make_evaluation(a, organisation=taby, is_published=True), evaluator="KS"),
        unpublish_record,
    ),
    "alternative": lambda a, taby: (
        edited(
            Alternative.objects.create(arrangement=a, kind="procurement", is_published=True),
            estimated_cost=10,
        ),
        unpublish_record,
    ),
    "review": lambda a, taby: (
        edited(
            Review.objects.create(organisation=taby, date=dt.date(2025, 1, 1), title="KS"),
            title="KS 2025",
        ),
        stays_members_only,
    ),
    "organisation": None,
    "person": None,
}


def test_every_model_of_the_change_log_has_a_visibility_case():
    assert set(MAKERS) == set(LOG_MODELS), "add a case to MAKERS for each model of the log"


@pytest.mark.parametrize("name", sorted(LOG_MODELS))
def test_a_non_member_sees_no_log_entry_of_a_record_they_may_not_see(
    name, world, taby, vaxholm, knivsta
):
    model = LOG_MODELS[name]
    organisations = [taby, vaxholm, knivsta]
    maker = MAKERS.get(name)
    if maker is None:
        assert outsider(knivsta).visible_q(model) == Q(), f"{name} is not public"
        return
    record, hide = maker(world, taby)
    key = (name, record.pk)
    hide(record, world)
    assert not outsider(knivsta).visible(model.objects.filter(pk=record.pk)).exists()
    assert key in reachable_log(member(taby), world, organisations)
    assert key not in reachable_log(outsider(knivsta), world, organisations)
    # Deleted while hidden: its history stays out of the non-member's log.
    if name != "arrangement":
        record.delete()
        assert key in reachable_log(Access(user_id=3, is_admin=True), world, organisations)
        assert key not in reachable_log(outsider(knivsta), world, organisations)


def test_a_decision_unpublished_after_publication_is_absent_from_an_outsiders_page_and_log(
    client, world, taby_editor, knivsta_editor
):
    decision = f.make_decision(world, title="Taxehöjning 2026", is_published=True)
    edited(decision, public_summary="Taxan höjs.")
    edited(decision, is_published=False)
    url = reverse("register:arrangement_detail", args=[world.pk])

    client.force_login(knivsta_editor)
    html = client.get(url).content.decode()
    assert "Taxehöjning 2026" not in html
    log = arrangement_detail(Access.for_user(knivsta_editor), world.pk).change_log
    assert [e for e in log if e.model == "decision"] == []

    client.force_login(taby_editor)
    html = client.get(url).content.decode()
    assert html.count("Taxehöjning 2026") >= 2  # the decisions table and the log
    log = arrangement_detail(Access.for_user(taby_editor), world.pk).change_log
    assert {e.object_label for e in log if e.model == "decision"} == {"Taxehöjning 2026"}


def test_a_published_decision_that_was_deleted_keeps_its_history_for_everyone(world, knivsta):
    decision = f.make_decision(world, title="Budget 2025", is_published=True)
    pk = decision.pk
    decision.delete()
    log = arrangement_detail(outsider(knivsta), world.pk).change_log
    assert [
        (e.action, e.object_label) for e in log if (e.model, e.object_id) == ("decision", pk)
    ] == [
        ("Togs bort", "Budget 2025"),
        ("Skapades", "Budget 2025"),
    ]


def test_an_unpublished_decision_referenced_by_the_page_shows_nothing_of_it_to_outsiders(
    client, world, taby, knivsta_editor, taby_editor
):
    decision = f.make_decision(
        world, title="Hemligt beslut", deciding_body="Direktionen hemlig", is_published=False
    )
    participation = world.participations.get(organisation=taby)
    edited(participation, entry_decision=decision)
    f.make_seat(f.make_body(world), f.make_person(), taby, appointing_decision=decision)
    GoalConflict.objects.create(
        arrangement=world,
        goal=f.make_goal(organisation=taby),
        decision=decision,
        description="Konflikt",
        is_published=True,
    )
    url = reverse("register:arrangement_detail", args=[world.pk])
    client.force_login(knivsta_editor)
    html = client.get(url).content.decode()
    assert "Hemligt beslut" not in html and "Direktionen hemlig" not in html
    assert decision.get_absolute_url() not in html
    client.force_login(taby_editor)
    html = client.get(url).content.decode()
    assert "Hemligt beslut" in html and "Direktionen hemlig" in html


def test_an_unpublished_alternative_is_absent_for_outsiders_on_the_page_and_in_the_log(
    client, world, taby_editor, knivsta_editor
):
    hidden = Alternative.objects.create(
        arrangement=world, kind="merger", description="Slå ihop förvaltningarna i hemlighet"
    )
    shown = Alternative.objects.create(
        arrangement=world,
        kind="procurement",
        description="Upphandla tillsynen öppet",
        is_published=True,
    )
    url = reverse("register:arrangement_detail", args=[world.pk])

    client.force_login(knivsta_editor)
    html = client.get(url).content.decode()
    assert "Slå ihop förvaltningarna i hemlighet" not in html and "Sammanslagning" not in html
    assert "Upphandla tillsynen öppet" in html
    log = arrangement_detail(Access.for_user(knivsta_editor), world.pk).change_log
    assert {e.object_id for e in log if e.model == "alternative"} == {shown.pk}

    client.force_login(taby_editor)
    html = client.get(url).content.decode()
    assert "Slå ihop förvaltningarna i hemlighet" in html and "Upphandla tillsynen öppet" in html
    log = arrangement_detail(Access.for_user(taby_editor), world.pk).change_log
    assert {e.object_id for e in log if e.model == "alternative"} == {hidden.pk, shown.pk}


def test_a_non_member_cannot_open_the_edit_page_of_an_unpublished_alternative(
    client, world, knivsta_editor
):
    hidden = Alternative.objects.create(arrangement=world, kind="merger")
    client.force_login(knivsta_editor)
    response = client.get(reverse("register:alternative_update", args=[hidden.pk]))
    assert response.status_code == 404


def internal_attnames(model) -> list[str]:
    return [fld.attname for fld in model._meta.concrete_fields if fld.name in INTERNAL_FIELDS]


@pytest.mark.parametrize("name", sorted(n for n, m in LOG_MODELS.items() if internal_attnames(m)))
def test_internal_fields_never_appear_in_a_non_members_log(name, world, taby, vaxholm, knivsta):
    model = LOG_MODELS[name]
    organisations = [taby, vaxholm, knivsta]
    if name == "organisation":
        record = Organisation.objects.create(kind="association", name="Föreningen")
        organisations.append(record)
    elif name == "person":
        record = f.make_person(name="P", organisation=taby)
    else:
        record, _hide = MAKERS[name](world, taby)
    for attname in internal_attnames(model):
        setattr(record, attname, "hemlig@example.se" if attname == "email" else "Hemligt")
    record.save()
    access = outsider(knivsta)
    entries = list(arrangement_detail(access, world.pk).change_log)
    for organisation in organisations:
        entries += organisation_detail(access, organisation.pk).change_log
    changes = [c for e in entries for c in e.changes]
    assert [c for c in changes if c.field in INTERNAL_FIELDS or "emlig" in c.new] == []
    if name != "review":  # the record itself is in the log; only its internal change is not
        assert (name, record.pk) in {(e.model, e.object_id) for e in entries}


def test_can_view_and_visible_q_agree_for_every_model_of_the_log(world, taby, knivsta):
    records = [world, taby, f.make_person()]
    for name, maker in MAKERS.items():
        if maker is not None and name != "arrangement":
            records.append(maker(world, taby)[0])
    records.append(f.make_decision(world, is_published=False))
    records.append(Alternative.objects.create(arrangement=world, kind="other"))
    for access in (outsider(knivsta), member(taby), Access(user_id=3)):
        for record in records:
            fresh = type(record).objects.get(pk=record.pk)
            in_queryset = access.visible(type(record).objects.filter(pk=record.pk)).exists()
            assert access.can_view(fresh) == in_queryset, (type(record).__name__, access)
