"""register/selectors/arrangements.py: everything an arrangement's page shows, and no more."""

import datetime as dt

import pytest

from register.access import Access
from register.models import (
    Alternative,
    Contribution,
    GoalConflict,
    Participation,
)
from register.selectors import arrangements
from tests import factories as f


@pytest.fixture
def full_arrangement(shared_arrangement, taby, vaxholm):
    a = shared_arrangement
    a.motives.set(__import__("register.models", fromlist=["Motive"]).Motive.objects.all()[:2])
    taby_part = a.participations.get(organisation=taby)
    f.make_cost(taby_part, year=2023, outcome=10)
    body = f.make_body(a, name="Nämnden")
    f.make_body(a, name="Beredningen")
    f.make_seat(body, f.make_person(name="Anna Svensson", party="S"), taby, role="chair")
    own_goal = f.make_goal(organisation=taby, title="Trygg kommun")
    f.make_goal(arrangement=a, title="Likvärdig tillsyn")
    decision = f.make_decision(a, title="Taxa 2025", is_published=False)
    Contribution.objects.create(arrangement=a, goal=own_goal, strength="strong")
    GoalConflict.objects.create(
        arrangement=a,
        goal=own_goal,
        decision=decision,
        description="Konflikt",
        identified_on=dt.date(2025, 2, 1),
    )
    f.make_evaluation(a, organisation=taby, is_published=True)
    f.make_evaluation(a, organisation=vaxholm, is_published=False)
    Alternative.objects.create(arrangement=a, kind="own_operation", estimated_cost=5)
    return a


def test_arrangement_detail_gathers_every_section(full_arrangement, taby):
    detail = arrangements.arrangement_detail(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), full_arrangement.pk
    )
    assert [p.organisation.name for p in detail.participations][0] == "Täby kommun"  # host first
    assert len(detail.arrangement.motive_list) == 2
    assert [a.slug for a in detail.arrangement.area_list] == ["miljo_bygg"]
    assert sorted(b.name for b in detail.bodies) == ["Beredningen", "Nämnden"]
    nämnden = next(b for b in detail.bodies if b.name == "Nämnden")
    assert nämnden.seat_list[0].person.name == "Anna Svensson"
    assert [g.title for g in detail.goals] == ["Likvärdig tillsyn"]
    assert detail.contributions[0].goal.organisation.name == "Täby kommun"
    assert detail.goal_conflicts[0].decision.title == "Taxa 2025"
    assert detail.goal_conflicts[0].identified_on == dt.date(2025, 2, 1)
    assert len(detail.evaluations) == 2
    assert detail.alternatives[0].get_kind_display() == "Egen regi"
    assert [d.title for d in detail.decisions] == ["Taxa 2025"]
    assert detail.pivot.grand_total == 10
    assert detail.is_member and detail.show_internal


def test_arrangement_detail_shows_outsiders_only_published_parts(full_arrangement, knivsta):
    full_arrangement.is_published = True
    full_arrangement.save()
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk}))
    detail = arrangements.arrangement_detail(outsider, full_arrangement.pk)
    assert detail.decisions == []
    assert len(detail.evaluations) == 1
    assert detail.goal_conflicts == []
    assert not detail.show_internal
    assert all(e.model not in {"decision", "alternative"} for e in detail.change_log)


def test_arrangement_detail_is_none_for_an_arrangement_the_user_may_not_see(
    shared_arrangement, knivsta
):
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk}))
    assert arrangements.arrangement_detail(outsider, shared_arrangement.pk) is None
    assert arrangements.arrangement_detail(outsider, 999999) is None


def test_arrangement_detail_marks_example_data(shared_arrangement, taby):
    admin = Access(user_id=1, is_admin=True)
    assert not arrangements.arrangement_detail(admin, shared_arrangement.pk).is_example
    Participation.objects.filter(organisation=taby).update(is_example=True)
    assert arrangements.arrangement_detail(admin, shared_arrangement.pk).is_example


def test_the_page_needs_no_further_query_for_what_it_shows_of_each_section(
    full_arrangement, taby, django_assert_num_queries
):
    access = Access(user_id=1, member_org_ids=frozenset({taby.pk}))
    detail = arrangements.arrangement_detail(access, full_arrangement.pk)
    with django_assert_num_queries(0):
        assert {e.organisation.name for e in detail.evaluations} == {
            "Täby kommun",
            "Vaxholms kommun",
        }
        assert all(isinstance(e.date, dt.date) and e.pk for e in detail.evaluations)
        [alternative] = detail.alternatives
        assert alternative.organisation is None and alternative.estimated_cost == 5
        assert detail.contributions[0].goal.organisation.name == "Täby kommun"
        assert [
            c.participation.organisation.name for p in detail.participations for c in p.cost_list
        ] == ["Täby kommun"]
        assert {s.appointed_by.name for b in detail.bodies for s in b.seat_list} == {"Täby kommun"}
        assert all(g.arrangement is detail.arrangement for g in detail.goals)


def test_access_reads_the_participants_the_page_loaded_without_a_private_attribute(
    full_arrangement, taby, vaxholm, django_assert_num_queries
):
    access = Access(
        user_id=1, member_org_ids=frozenset({taby.pk}), editor_org_ids=frozenset({taby.pk})
    )
    detail = arrangements.arrangement_detail(access, full_arrangement.pk)
    assert not [name for name in vars(detail.arrangement) if "participant" in name]
    with django_assert_num_queries(0):
        assert set(detail.arrangement.participations.all()) == set(detail.participations)
        assert access.arrangement_org_ids(detail.arrangement) == {taby.pk, vaxholm.pk}
        assert access.can_change(detail.arrangement)


def test_a_related_record_of_a_section_reads_its_real_values_not_guessed_defaults(
    full_arrangement, taby
):
    own_goal = full_arrangement.contributions.get().goal
    own_goal.public_description = "Tryggare centrum"
    own_goal.sort_order = 7
    own_goal.save()
    detail = arrangements.arrangement_detail(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), full_arrangement.pk
    )
    goal = detail.contributions[0].goal
    assert (goal.title, goal.public_description, goal.sort_order) == (
        "Trygg kommun",
        "Tryggare centrum",
        7,
    )
    assert goal._state.adding is False
