"""register/selectors/organisations.py: an organisation's page and its goal tree."""

import datetime as dt
from types import SimpleNamespace as NS

from register.access import Access
from register.selectors import organisations
from tests import factories as f


def test_goal_tree_nests_focus_areas_and_goals_under_their_vision():
    vision = NS(pk=1, parent_id=None)
    focus = NS(pk=2, parent_id=1)
    goal = NS(pk=3, parent_id=2)
    orphan = NS(pk=4, parent_id=99)
    roots = organisations.goal_tree([vision, focus, goal, orphan])
    assert [n.goal for n in roots] == [vision, orphan]
    assert roots[0].children[0].goal is focus
    assert roots[0].children[0].children[0].goal is goal


def test_organisation_detail_sums_the_reference_year_and_builds_the_goal_tree(
    shared_arrangement, taby, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2025, 6, 1))
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2023, outcome=100)
    f.make_cost(p, year=2024, outcome=None, forecast=150)
    f.make_cost(p, year=2025, outcome=None, budget=999)  # this year: not "this year's cost" yet
    vision = f.make_goal(organisation=taby, level="vision", title="Vision")
    f.make_goal(organisation=taby, level="goal", title="Mål", parent=vision)
    detail = organisations.organisation_detail(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), taby.pk
    )
    assert (detail.total_year, detail.total_latest, detail.total_kind) == (2024, 150, "prognos")
    assert detail.participations[0].trend.change == 50
    assert detail.participations[0].trend.kind_label == "prognos"
    assert detail.goals[0].children[0].goal.title == "Mål"
    assert detail.is_member
