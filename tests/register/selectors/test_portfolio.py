"""register/selectors/portfolio.py: the overview's figures, each against an independent
computation on a small, fully known fixture."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register import rules
from register.access import Access
from register.models import Arrangement, Body, Contribution, Evaluation, GoalConflict, Seat
from register.selectors import portfolio as pf
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def world(taby, vaxholm, knivsta):
    """Täby in three arrangements (one of them ended by its date), Vaxholm's own elsewhere."""
    fire = f.make_arrangement(
        name="Brandförbundet",
        form_slug="municipal_federation",
        areas=("raddningstjanst",),
        host=vaxholm,
        end_date=dt.date(2026, 12, 31),
        notice_months=12,  # notice by 2025-12-31: passed
    )
    own_fire = f.make_participation(
        fire, taby, role="member", political_body="Kommunstyrelsen", admin_unit="Kansliet"
    )
    f.make_participation(fire, vaxholm, role="host")
    for year, amount in ((2021, 900), (2022, 1000), (2023, 1100), (2024, 1200), (2025, 1500)):
        f.make_cost(own_fire, year=year, outcome=amount)
    f.make_cost(
        own_fire, year=2026, budget=99_999, outcome=None
    )  # this year's budget: not a closed year

    payroll = f.make_arrangement(
        name="Lönenämnden", form_slug="joint_committee", areas=("administration",), host=taby
    )
    own_payroll = f.make_participation(payroll, taby, role="host")
    f.make_participation(payroll, knivsta, role="member")
    f.make_cost(
        own_payroll, year=2024, budget=400, forecast=450, outcome=None
    )  # best: the forecast
    f.make_cost(own_payroll, year=2025, outcome=-100)  # income
    body = f.make_body(payroll, name="Lönenämnden")
    anna = f.make_person(name="Anna Ek", party="M", organisation=taby)
    f.make_seat(body, anna, taby, role=Seat.Role.CHAIR, term_end=dt.date(2026, 10, 14))
    old = f.make_person(name="Bo Gammal", organisation=taby)
    f.make_seat(body, old, taby, term_end=dt.date(2022, 10, 14))  # ended: not a representative
    bertil = f.make_person(name="Bertil Knivsta", organisation=knivsta)
    f.make_seat(body, bertil, knivsta)  # Knivsta's: not ours
    f.make_evaluation(
        payroll,
        organisation=taby,
        date=dt.date(2023, 5, 1),
        recommendation=Evaluation.Recommendation.DEVELOP,
        next_evaluation=dt.date(2025, 5, 1),  # overdue
    )
    f.make_evaluation(payroll, organisation=knivsta, date=dt.date(2024, 5, 1))  # not ours
    f.make_decision(payroll, organisation=None, date=dt.date(2026, 6, 1), title="Ny taxa")
    f.make_decision(payroll, organisation=None, date=dt.date(2028, 6, 1), title="Långt bort")

    ended = f.make_arrangement(
        name="Gamla avtalet",
        form_slug="agreement",
        areas=("raddningstjanst",),
        end_date=dt.date(2025, 12, 31),  # passed, status still "active"
    )
    own_ended = f.make_participation(ended, taby, role="purchaser")
    f.make_cost(own_ended, year=2025, outcome=50)

    elsewhere = f.make_arrangement(name="Vaxholms eget", areas=("avfall",))
    f.make_participation(elsewhere, vaxholm)

    vision = f.make_goal(organisation=taby, level="vision", title="Trygg kommun")
    safe = f.make_goal(organisation=taby, parent=vision, title="Snabb räddning")
    lonely = f.make_goal(organisation=taby, level="focus_area", title="Kultur")
    f.make_goal(organisation=taby, parent=lonely, title="Bibliotek")
    Contribution.objects.create(arrangement=fire, goal=safe)
    GoalConflict.objects.create(arrangement=fire, goal=safe, description="Stationen stängs")
    return {"fire": fire, "payroll": payroll, "ended": ended, "elsewhere": elsewhere}


def taby_access(taby):
    return Access(user_id=1, member_org_ids=frozenset({taby.pk}))


def test_the_portfolio_holds_only_the_organisations_arrangements(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    assert [r.name for r in result.rows] == ["Brandförbundet", "Gamla avtalet", "Lönenämnden"]


def test_an_arrangement_whose_end_date_has_passed_is_not_counted_as_ongoing(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    assert result.ongoing_count == 2
    assert {r.name: r.ongoing for r in result.rows}["Gamla avtalet"] is False
    assert result.by_form == [("Kommunalförbund", 1), ("Gemensam nämnd", 1)]
    assert sorted(result.by_area) == [("Administration", 1), ("Räddningstjänst", 1)]


def test_annual_cost_over_five_closed_years_uses_the_best_amount_and_counts_income(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    # Independent computation: outcome, else forecast, else budget; only Täby's rows; 2021–2025.
    expected = {2021: 900, 2022: 1000, 2023: 1100, 2024: 1200 + 450, 2025: 1500 - 100 + 50}
    assert [(y.year, y.amount) for y in result.cost_by_year] == sorted(expected.items())
    population = taby.population
    assert [y.per_inhabitant for y in result.cost_by_year] == [
        round(expected[y] / population) for y in sorted(expected)
    ]
    latest = result.cost_by_year[-1]
    assert latest.change == expected[2025] - expected[2024]
    assert latest.change_percent == round(
        100 * (expected[2025] - expected[2024]) / expected[2024], 1
    )
    assert result.cost_by_year[0].change is None


def test_the_portfolio_table_row_has_costs_partners_representatives_and_owners(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    rows = {r.name: r for r in result.rows}
    fire = rows["Brandförbundet"]
    assert (fire.cost_last_year, fire.cost_previous_year, fire.cost_change) == (1500, 1200, 300)
    assert fire.cost_change_percent == 25.0
    assert [o.name for o in fire.partners] == ["Vaxholms kommun"]
    assert fire.political_body == "Kommunstyrelsen" and fire.admin_unit == "Kansliet"
    payroll = rows["Lönenämnden"]
    assert [s.person.name for s in payroll.representatives] == ["Anna Ek"]
    assert payroll.cost_last_year == -100 and payroll.cost_change == -550
    assert payroll.last_evaluation.recommendation == "develop"
    assert payroll.last_evaluation.organisation_id == taby.pk


def test_coming_up_lists_ends_notice_evaluations_terms_and_joint_decisions(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    got = [(u.date, u.kind, u.arrangement.name, u.overdue) for u in result.upcoming]
    assert got == [
        (dt.date(2025, 5, 1), "Uppföljning", "Lönenämnden", True),
        (dt.date(2025, 12, 31), "Sista uppsägningsdag", "Brandförbundet", True),
        (dt.date(2026, 6, 1), "Beslut i gemensamt organ", "Lönenämnden", False),
        (dt.date(2026, 10, 14), "Uppdrag slutar", "Lönenämnden", False),
        (dt.date(2026, 12, 31), "Slutar", "Brandförbundet", False),
    ]
    rows = {r.name: r for r in result.rows}
    assert rows["Lönenämnden"].next_deadline.kind == "Uppföljning"
    assert rows["Gamla avtalet"].next_deadline is None


def test_goals_no_arrangement_serves_are_the_top_of_each_unserved_branch(world, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    assert [g.title for g in result.unserved_goals] == ["Kultur"]


def test_the_table_filter_limits_rows_but_not_the_headline_figures(world, taby):
    only = Arrangement.objects.filter(pk=world["payroll"].pk)
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY, only=only)
    assert [r.name for r in result.shown_rows] == ["Lönenämnden"]
    assert result.cost_by_year[-1].amount == 1450
    # The headline count is the whole portfolio's too, not the filtered table's.
    whole = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    assert len(result.rows) == len(whole.rows) == 3
    assert result.ongoing_count == whole.ongoing_count


def test_a_non_member_sees_only_published_arrangements_of_the_portfolio(world, taby):
    world["fire"].is_published = True
    world["fire"].save()
    stranger = Access(user_id=2)
    result = pf.portfolio(stranger, pf.organisation_scope(taby), today=TODAY)
    assert [r.name for r in result.rows] == ["Brandförbundet"]


def test_the_county_scope_adds_up_its_municipalities(world, taby, vaxholm):
    scope = pf.county_scope(taby.county)
    assert {taby.pk, vaxholm.pk} <= scope.org_ids
    result = pf.portfolio(Access(user_id=1, is_admin=True), scope, today=TODAY)
    names = [r.name for r in result.rows]
    assert "Vaxholms eget" in names and "Brandförbundet" in names
    fire = {r.name: r for r in result.rows}["Brandförbundet"]
    assert fire.partners == []  # both members are in the county: no partner outside it


def test_the_portfolio_runs_the_same_number_of_queries_however_large(world, taby, vaxholm):
    access = taby_access(taby)
    scope = pf.organisation_scope(taby)
    with CaptureQueriesContext(connection) as small:
        pf.portfolio(access, scope, today=TODAY)
    for i in range(15):
        a = f.make_arrangement(name=f"Extra {i}", areas=("avfall", "kultur"))
        p = f.make_participation(a, taby)
        f.make_participation(a, vaxholm)
        f.make_cost(p, year=2025)
        f.make_evaluation(a, organisation=taby, next_evaluation=dt.date(2026, 5, 1))
        f.make_seat(f.make_body(a), f.make_person(), taby, term_end=dt.date(2026, 9, 1))
    with CaptureQueriesContext(connection) as large:
        result = pf.portfolio(access, scope, today=TODAY)
    assert len(result.rows) == 18
    assert len(large.captured_queries) == len(small.captured_queries) <= 13


def test_the_timeline_holds_decisions_evaluations_and_membership_changes(world, taby):
    world["payroll"].participations.filter(organisation=taby).update(joined=dt.date(2019, 1, 1))
    events = pf.timeline(taby_access(taby), pf.organisation_scope(taby))
    kinds = [(e.kind, e.title) for e in events]
    assert ("Beslut", "Långt bort") == kinds[0]
    assert ("Medlemskap", f"{taby.display_name} gick med") in kinds
    assert sum(1 for k, _ in kinds if k == "Uppföljning") == 2
    only_fire = pf.timeline(
        taby_access(taby), pf.organisation_scope(taby), arrangement_id=world["fire"].pk
    )
    assert {e.arrangement.name for e in only_fire} <= {"Brandförbundet"}


def test_the_goals_map_marks_conflicts_unserved_goals_and_arrangements_without_goal(world, taby):
    result = pf.goal_map(taby_access(taby), pf.organisation_scope(taby), today=TODAY)
    culture, vision = result.roots  # by title within the same sort order
    assert (culture.goal.title, vision.goal.title) == ("Kultur", "Trygg kommun")
    assert vision.served and not culture.served
    [safe] = vision.children
    assert [c.arrangement.name for c in safe.contributions] == ["Brandförbundet"]
    assert [c.description for c in safe.conflicts] == ["Stationen stängs"]
    assert [n.goal.title for n in result.unserved] == ["Kultur"]
    assert [a.name for a in result.arrangements_without_goal] == ["Lönenämnden"]
    assert result.conflict_count == 1


def test_the_start_page_counts_an_arrangement_whose_end_date_has_passed_as_ended(world, taby):
    from register.selectors import overview

    [summary] = overview.home_summaries(taby_access(taby), today=TODAY)
    assert summary.arrangement_count == 2  # "Gamla avtalet" ended 2025-12-31, status "active"


def test_the_query_rule_and_the_python_rule_for_ongoing_agree(world, taby):
    from register import rules

    in_query = set(
        Arrangement.objects.filter(rules.ongoing_q(TODAY)).values_list("name", flat=True)
    )
    in_python = {a.name for a in Arrangement.objects.all() if rules.is_ongoing(a, TODAY)}
    assert in_query == in_python and "Gamla avtalet" not in in_query


# --- The partner network's figures and the mandate period (register.graph, register.rules) -----

AFTER_ELECTION = dt.date(2026, 12, 1)  # the 2026 election was on 13 September; the term ends 2030


def network_world(taby, vaxholm, knivsta, *, today=AFTER_ELECTION):
    """Täby in three ongoing arrangements, every figure known by hand (costs of ``today``'s year
    before):

    * Förbundet (Täby, Vaxholm, Knivsta in Uppsala county): Täby has 1 of 3 ordinary seats in the
      direktion (its substitute does not count) and 600 of 1 000 kr: a minority, and flagged
      (33,3 % against 60 %). Täby decided on it after the election.
    * Nämnden (Täby host, Vaxholm): 2 of 3 seats, 400 of 800 kr. Täby's last decision was
      before the election.
    * Avtalet (Vaxholm sells to Täby): no deciding body, Vaxholm's cost unknown; Täby pays 1 000 kr.
      Only a joint decision since the election, none of Täby's.

    Of Täby's 2 000 kr, 600 go to the minority arrangement: 30 %; half the cost is where the seats
    are unknown. One partner (Knivsta) is in another county. Two arrangements have no decision of
    Täby's since the election.
    """
    year = today.year - 1
    election = rules.last_election(today)
    term = rules.current_term(today)
    union = f.make_arrangement(
        name="Förbundet",
        form_slug="municipal_federation",
        end_date=dt.date(term.end.year - 1, 12, 31),
        notice_months=6,
    )
    own = f.make_participation(union, taby)
    f.make_cost(own, year=year, outcome=600)
    for org in (vaxholm, knivsta):
        f.make_cost(f.make_participation(union, org), year=year, outcome=200)
    board = f.make_body(union, name="Direktionen")
    anna = f.make_person(name="Anna Täby", organisation=taby)
    f.make_seat(board, anna, taby, role=Seat.Role.MEMBER, term_end=dt.date(term.end.year, 12, 31))
    f.make_seat(board, f.make_person(name="Sub Täby"), taby, role=Seat.Role.SUBSTITUTE)
    f.make_seat(board, f.make_person(name="V1"), vaxholm, role=Seat.Role.CHAIR)
    f.make_seat(board, f.make_person(name="K1"), knivsta, role=Seat.Role.MEMBER)
    f.make_decision(union, organisation=taby, date=election + dt.timedelta(days=20))

    committee = f.make_arrangement(name="Nämnden", form_slug="joint_committee", host=taby)
    own = f.make_participation(committee, taby, role="host")
    f.make_cost(own, year=year, outcome=400)
    f.make_cost(f.make_participation(committee, vaxholm), year=year, outcome=400)
    body = f.make_body(committee, name="Gemensamma nämnden", kind=Body.Kind.JOINT_COMMITTEE)
    for name in ("T1", "T2"):
        f.make_seat(body, f.make_person(name=name), taby)
    f.make_seat(body, f.make_person(name="V2"), vaxholm)
    f.make_decision(committee, organisation=taby, date=election - dt.timedelta(days=100))

    agreement = f.make_arrangement(name="Avtalet", form_slug="agreement", host=vaxholm)
    f.make_cost(f.make_participation(agreement, taby, role="purchaser"), year=year, outcome=1000)
    f.make_participation(agreement, vaxholm, role="provider")
    f.make_decision(agreement, organisation=None, date=election + dt.timedelta(days=5))
    return {"union": union, "committee": committee, "agreement": agreement, "term": term}


@pytest.fixture
def network(taby, vaxholm, knivsta):
    return network_world(taby, vaxholm, knivsta)


def test_the_overview_counts_minority_arrangements_and_the_share_of_our_cost_they_take(
    network, taby
):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=AFTER_ELECTION)
    inf = result.influence
    rows = {r.arrangement.name: r for r in inf.rows}
    assert (rows["Förbundet"].seats, rows["Förbundet"].seats_total) == (1, 3)
    assert rows["Förbundet"].cost_share == pytest.approx(600 / 1000)
    assert (rows["Nämnden"].seats, rows["Nämnden"].seats_total) == (2, 3)
    assert rows["Avtalet"].seat_share is None and rows["Avtalet"].cost_share is None
    assert [r.arrangement.name for r in inf.minority] == ["Förbundet"]
    assert inf.minority_cost_share == pytest.approx(600 / (600 + 400 + 1000))
    assert "50\u00a0%" in inf.minority_cost_reason
    assert [r.arrangement.name for r in inf.flagged] == ["Förbundet"]
    assert inf.cost_year == AFTER_ELECTION.year - 1


def test_the_overview_counts_partners_in_another_county(network, taby, knivsta):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=AFTER_ELECTION)
    assert [o.id for o in result.influence.cross_county_partners] == [knivsta.pk]


def test_arrangements_with_no_decision_of_ours_since_the_2026_election_are_listed(network, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=AFTER_ELECTION)
    assert result.election == dt.date(2026, 9, 13)
    # Nämnden: Täby's decision came before the election; Avtalet: only a joint decision.
    assert [r.name for r in result.undecided] == ["Avtalet", "Nämnden"]


def test_a_stranger_gets_no_decision_figures_from_unpublished_decisions(network, taby):
    stranger = Access(user_id=2)
    Arrangement.objects.update(is_published=True)
    result = pf.portfolio(stranger, pf.organisation_scope(taby), today=AFTER_ELECTION)
    # Decisions are not published: a stranger sees none of them, so none counts as taken.
    assert [r.name for r in result.undecided] == ["Avtalet", "Förbundet", "Nämnden"]


def test_coming_up_has_a_second_horizon_the_end_of_the_term(network, taby):
    result = pf.portfolio(taby_access(taby), pf.organisation_scope(taby), today=AFTER_ELECTION)
    assert str(result.term) == "2026–2030" and result.term.end == dt.date(2030, 10, 14)
    assert result.upcoming == []  # nothing in the next 12 months
    got = [(u.date, u.kind, u.arrangement.name) for u in result.later_in_term]
    assert got == [
        (dt.date(2029, 6, 30), "Sista uppsägningsdag", "Förbundet"),
        (dt.date(2029, 12, 31), "Slutar", "Förbundet"),
        # a seat that ends with the term (readiness.seats_end_with): up to 31 December 2030
        (dt.date(2030, 12, 31), "Uppdrag slutar", "Förbundet"),
    ]
    assert result.seats_until == dt.date(2030, 12, 31)


def test_the_county_view_has_no_seat_figures(network, taby):
    result = pf.portfolio(
        Access(user_id=1, is_admin=True), pf.county_scope(taby.county), today=AFTER_ELECTION
    )
    assert result.influence is None and result.undecided == []
