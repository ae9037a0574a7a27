import datetime as dt
from types import SimpleNamespace as NS

import pytest
from django.db.models import Q

from register.access import Access
from register.models import (
    Alternative,
    Arrangement,
    Contribution,
    Evaluation,
    GoalConflict,
    Participation,
    Review,
)
from register.selectors import arrangements, changelog, costs, lists, organisations, overview
from tests import factories as f


def cost(year, outcome=None, budget=None, forecast=None):
    return NS(year=year, outcome=outcome, budget=budget, forecast=forecast)


# --- pure functions ------------------------------------------------------------------------


def test_cost_value_prefers_outcome_then_forecast_then_budget():
    assert costs.cost_value(cost(2024, outcome=3, forecast=2, budget=1)) == 3
    assert costs.cost_value(cost(2024, forecast=2, budget=1)) == 2
    assert costs.cost_value(cost(2024, budget=1)) == 1
    assert costs.cost_value(cost(2024)) is None
    assert costs.cost_value(cost(2024, outcome=3, budget=1), "budget") == 1


def test_cost_pivot_has_a_row_per_participant_a_column_per_year_and_totals():
    a = NS(cost_list=[cost(2023, outcome=100), cost(2024, outcome=150)])
    b = NS(cost_list=[cost(2024, outcome=50), cost(2025, budget=70)])
    pivot = costs.cost_pivot([a, b])
    assert pivot.years == [2023, 2024, 2025]
    assert [r.cells for r in pivot.rows] == [[100, 150, None], [None, 50, 70]]
    assert [r.total for r in pivot.rows] == [250, 120]
    assert pivot.column_totals == [100, 200, 70]
    assert pivot.grand_total == 370


def test_cost_pivot_for_one_measure_leaves_out_years_without_it():
    a = NS(cost_list=[cost(2023, outcome=100, budget=90), cost(2024, budget=120)])
    pivot = costs.cost_pivot([a], "outcome")
    assert pivot.years == [2023]
    assert pivot.grand_total == 100


def test_cost_pivot_falls_back_to_the_best_figure_for_an_unknown_measure():
    pivot = costs.cost_pivot([NS(cost_list=[cost(2024, budget=5)])], "nonsense")
    assert pivot.measure == "amount"
    assert pivot.grand_total == 5


def test_cost_pivot_without_costs_is_empty():
    pivot = costs.cost_pivot([NS(cost_list=[])])
    assert pivot.is_empty
    assert pivot.grand_total is None


def test_cost_trend_compares_the_latest_year_with_the_one_before():
    trend = costs.cost_trend(
        [cost(2022, outcome=100), cost(2023, outcome=110), cost(2024, budget=121)]
    )
    assert (trend.year, trend.amount, trend.previous_year) == (2024, 121, 2023)
    assert trend.change == 11
    assert trend.change_percent == 10.0


def test_cost_trend_of_a_single_year_has_no_change():
    trend = costs.cost_trend([cost(2024, outcome=1)])
    assert trend.change is None and trend.change_percent is None


def test_goal_tree_nests_focus_areas_and_goals_under_their_vision():
    vision = NS(pk=1, parent_id=None)
    focus = NS(pk=2, parent_id=1)
    goal = NS(pk=3, parent_id=2)
    orphan = NS(pk=4, parent_id=99)
    roots = organisations.goal_tree([vision, focus, goal, orphan])
    assert [n.goal for n in roots] == [vision, orphan]
    assert roots[0].children[0].goal is focus
    assert roots[0].children[0].children[0].goal is goal


def test_add_months_clamps_to_the_end_of_the_month():
    assert overview.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert overview.add_months(dt.date(2024, 3, 15), -15) == dt.date(2022, 12, 15)


def test_upcoming_lists_what_ends_or_must_be_given_notice_within_24_months():
    today = dt.date(2025, 1, 1)
    ends_soon = NS(name="A", end_date=dt.date(2026, 6, 30), notice_months=None)
    notice_soon = NS(name="B", end_date=dt.date(2027, 12, 31), notice_months=12)
    far = NS(name="C", end_date=dt.date(2030, 1, 1), notice_months=6)
    ended = NS(name="D", end_date=dt.date(2024, 1, 1), notice_months=None)
    open_ended = NS(name="E", end_date=None, notice_months=6)
    result = overview.upcoming([far, notice_soon, ends_soon, ended, open_ended], today=today)
    assert [d.arrangement.name for d in result] == ["A", "B"]
    assert result[1].notice_date == dt.date(2026, 12, 31)


# --- list querysets --------------------------------------------------------------------------


def test_arrangement_list_counts_partners_and_shows_the_own_latest_cost(shared_arrangement, taby):
    taby_part = Participation.objects.get(arrangement=shared_arrangement, organisation=taby)
    f.make_cost(taby_part, year=2023, outcome=100)
    f.make_cost(taby_part, year=2024, outcome=None, budget=250)
    row = lists.arrangement_list_queryset(
        Access(user_id=1, is_admin=True), own_org_id=taby.pk
    ).get()
    assert row.partner_count == 2
    assert (row.own_cost, row.own_cost_year) == (250, 2024)


def test_arrangement_list_hides_unpublished_arrangements_of_others(shared_arrangement, knivsta):
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk}))
    assert not lists.arrangement_list_queryset(outsider).exists()
    shared_arrangement.is_published = True
    shared_arrangement.save()
    assert lists.arrangement_list_queryset(outsider).count() == 1


def test_organisation_list_counts_only_visible_arrangements(shared_arrangement, taby, knivsta):
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk}))
    member = Access(user_id=2, member_org_ids=frozenset({taby.pk}))
    assert lists.organisation_list_queryset(outsider).get(pk=taby.pk).arrangement_count == 0
    assert lists.organisation_list_queryset(member).get(pk=taby.pk).arrangement_count == 1


def test_reviews_are_visible_to_their_organisation_only(taby, knivsta):
    review = Review.objects.create(organisation=taby, date=dt.date(2025, 1, 1), title="Genomgång")
    assert list(Access(user_id=1, member_org_ids=frozenset({taby.pk})).reviews()) == [review]
    assert not Access(user_id=1, member_org_ids=frozenset({knivsta.pk})).reviews().exists()
    assert Access(user_id=1, is_admin=True).reviews().count() == 1


# --- detail ----------------------------------------------------------------------------------


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


def test_union_instances_loads_several_models_with_their_related_objects(full_arrangement):
    objects = arrangements.union_instances(
        [
            (Evaluation.objects.filter(arrangement=full_arrangement), {"organisation": ["name"]}),
            (Alternative.objects.filter(arrangement=full_arrangement), {"organisation": ["name"]}),
        ]
    )
    evaluations = [o for o in objects if isinstance(o, Evaluation)]
    assert len(evaluations) == 2
    assert {e.organisation.name for e in evaluations} == {"Täby kommun", "Vaxholms kommun"}
    assert all(isinstance(e.date, dt.date) and e.pk for e in evaluations)
    alternative = next(o for o in objects if isinstance(o, Alternative))
    assert alternative.organisation_id is None and alternative.estimated_cost == 5


# --- change log ------------------------------------------------------------------------------


def test_change_log_shows_field_changes_newest_first(shared_arrangement, taby):
    shared_arrangement.status = Arrangement.Status.RENEGOTIATION
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    p.cost_share = 12.5
    p.save()
    log = changelog.change_log(changelog.arrangement_log_parts(shared_arrangement, access=None))
    assert log[0].model == "participation"
    assert [(c.label, c.old, c.new) for c in log[0].changes] == [("Kostnadsandel (%)", "–", "12,5")]
    status_change = next(e for e in log if e.model == "arrangement" and e.action == "Ändrades")
    assert [(c.old, c.new) for c in status_change.changes] == [("Aktiv", "Under omförhandling")]
    assert any(e.action == "Skapades" and e.model == "arrangement" for e in log)


def test_change_log_writes_amounts_as_the_pages_do(shared_arrangement, taby):
    cost = f.make_cost(shared_arrangement.participations.get(organisation=taby), outcome=1_500)
    cost.outcome = -1_234_567
    cost.save()
    log = changelog.change_log(changelog.arrangement_log_parts(shared_arrangement, access=None))
    [change] = log[0].changes
    assert (change.old, change.new) == ("1\u00a0500", "\u22121\u00a0234\u00a0567")


def test_change_log_hides_internal_values_unless_allowed(shared_arrangement):
    shared_arrangement.internal_note = "Hemligt"
    shared_arrangement.save()
    parts = [(Arrangement, Q(id=shared_arrangement.pk), shared_arrangement.name)]
    assert changelog.change_log(parts)[0].action == "Skapades"  # the change itself is left out
    mentioned = changelog.change_log(parts, mention_internal=True)[0].changes[0]
    assert mentioned.internal and mentioned.new == ""
    shown = changelog.change_log(parts, show_internal=True)[0].changes[0]
    assert shown.new == "Hemligt"


def test_change_log_skips_saves_without_changes_and_respects_the_limit(shared_arrangement):
    for _ in range(3):
        shared_arrangement.save()
    for i in range(3):
        shared_arrangement.name = f"Namn {i}"
        shared_arrangement.save()
    log = changelog.change_log(
        changelog.arrangement_log_parts(shared_arrangement, access=None), limit=2
    )
    assert len(log) == 2
    assert log[0].changes[0].new == "Namn 2"


def test_change_log_records_who_made_the_change(shared_arrangement, admin_user):
    shared_arrangement._history_user = admin_user
    shared_arrangement.name = "Nytt namn"
    shared_arrangement.save()
    log = changelog.change_log([(Arrangement, Q(id=shared_arrangement.pk), "")])
    assert log[0].user == "registeradmin"


# --- organisation and home ------------------------------------------------------------------


def test_organisation_detail_sums_the_latest_year_and_builds_the_goal_tree(
    shared_arrangement, taby
):
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2023, outcome=100)
    f.make_cost(p, year=2024, outcome=150)
    vision = f.make_goal(organisation=taby, level="vision", title="Vision")
    f.make_goal(organisation=taby, level="goal", title="Mål", parent=vision)
    detail = organisations.organisation_detail(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), taby.pk
    )
    assert (detail.total_year, detail.total_latest) == (2024, 150)
    assert detail.participations[0].trend.change == 50
    assert detail.goals[0].children[0].goal.title == "Mål"
    assert detail.is_member


def test_home_summaries_count_costs_and_deadlines(shared_arrangement, taby):
    today = dt.date(2025, 1, 1)
    shared_arrangement.end_date = dt.date(2026, 6, 30)
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=1000)
    f.make_cost(p, year=2030, budget=5)  # a future budget is not the latest annual cost
    [summary] = overview.home_summaries(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), today=today
    )
    assert summary.arrangement_count == 1
    assert (summary.cost_year, summary.cost_total) == (2024, 1000)
    assert summary.by_form[0]["arrangement__form__name"] == "Gemensam nämnd"
    assert [d.arrangement for d in summary.deadlines] == [shared_arrangement]


def test_home_summaries_are_empty_for_a_user_without_organisations(db):
    assert overview.home_summaries(Access(user_id=1)) == []


def test_the_cached_change_log_gives_the_same_entries_as_the_plain_query(
    shared_arrangement, taby, vaxholm
):
    shared_arrangement.status = Arrangement.Status.ENDED
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=5)
    for member in (True, False):
        plain = changelog.change_log(
            changelog.arrangement_log_parts(
                shared_arrangement, access=None if member else Access(user_id=1)
            ),
            mention_internal=member,
        )
        cached = changelog.arrangement_change_log(
            shared_arrangement, access=Access(user_id=1), member=member, known={}
        )
        assert [(e.model, e.object_id, e.action, e.changes) for e in cached] == [
            (e.model, e.object_id, e.action, e.changes) for e in plain
        ]
        assert all(e.date.tzinfo is not None for e in cached)


def test_the_cached_organisation_log_respects_what_the_user_may_see(
    shared_arrangement, taby, vaxholm, knivsta
):
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=5)
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk, vaxholm.pk + 10_000}))
    member = Access(user_id=2, member_org_ids=frozenset({taby.pk}))
    seen_by_outsider = changelog.organisation_change_log(
        taby, access=outsider, member=False, known={}
    )
    seen_by_member = changelog.organisation_change_log(taby, access=member, member=True, known={})
    assert {e.model for e in seen_by_member} >= {"participation", "cost"}
    assert not {e.model for e in seen_by_outsider} & {"participation", "cost"}
    plain = changelog.change_log(
        changelog.organisation_log_parts(taby, access=member), mention_internal=True
    )
    assert [(e.model, e.object_id) for e in seen_by_member] == [
        (e.model, e.object_id) for e in plain
    ]
