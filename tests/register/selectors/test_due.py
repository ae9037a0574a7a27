"""register/selectors/due.py: what is due for an organisation, on fixed days."""

import datetime as dt

import pytest

from register.access import Access
from register.models import Membership, Organisation, Review, ReviewItem
from register.selectors.due import due_rows
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)  # after the 2026 election, in the new term
ADMIN = Access(user_id=None, is_admin=True)


@pytest.fixture
def settled(taby):
    """A Täby arrangement with nothing due: owner, goal, seat, decision and fresh evaluation."""
    a = f.make_arrangement(name="Ordnad samverkan", host=taby)
    owner = f.make_person(name="Ansvarig", organisation=taby, email="a@example.se")
    p = f.make_participation(a, taby, political_body="Kommunstyrelsen", admin_owner=owner)
    goal = f.make_goal(organisation=taby)
    a.contributions.create(goal=goal)
    body = f.make_body(a)
    f.make_seat(body, f.make_person(), taby)
    f.make_decision(a, organisation=taby, date=D(2026, 11, 1))
    f.make_evaluation(a, organisation=taby, date=D(2026, 6, 1))
    return a, p


def kinds(rows, arrangement=None):
    return sorted(r.kind for r in rows if arrangement is None or r.arrangement == arrangement)


def test_a_settled_arrangement_has_nothing_due(taby, settled):
    assert due_rows(ADMIN, taby, TODAY) == []


def test_a_contract_ending_within_twelve_months_and_its_notice_deadline_across_the_year_end(
    taby, settled
):
    a, _ = settled
    a.end_date, a.notice_months = D(2027, 3, 31), 6
    a.save()
    rows = due_rows(ADMIN, taby, TODAY)
    assert kinds(rows) == ["contract_end"]  # the notice deadline (2026-09-30) has passed
    a.end_date = D(2027, 6, 30)  # notice by 2026-12-30, in this year; end next year
    a.save()
    rows = {r.kind: r for r in due_rows(ADMIN, taby, TODAY)}
    assert rows["notice"].date == D(2026, 12, 30)
    assert rows["contract_end"].date == D(2027, 6, 30)
    a.end_date, a.notice_months = D(2028, 2, 29), 12  # notice by 2027-02-28, across the year end
    a.save()
    rows = {r.kind: r for r in due_rows(ADMIN, taby, TODAY)}
    assert set(rows) == {"notice"}
    assert rows["notice"].date == D(2027, 2, 28)
    assert rows["notice"].url == f"/samverkan/{a.pk}/beslut/nytt/"


def test_a_contract_ending_after_twelve_months_is_not_due_yet(taby, settled):
    a, _ = settled
    a.end_date = D(2027, 12, 2)
    a.save()
    assert due_rows(ADMIN, taby, TODAY) == []


def test_an_evaluation_is_due_after_two_years_by_default_and_by_the_organisations_interval(
    taby, settled
):
    a, _ = settled
    a.evaluations.all().delete()
    f.make_evaluation(a, organisation=taby, date=D(2024, 11, 30))
    (row,) = due_rows(ADMIN, taby, TODAY)
    assert (row.kind, row.date, row.is_overdue) == ("evaluation", D(2026, 11, 30), True)
    assert row.url == f"/samverkan/{a.pk}/uppfoljningar/ny/"
    Organisation.objects.filter(pk=taby.pk).update(evaluation_interval_years=3)
    taby.refresh_from_db()
    assert due_rows(ADMIN, taby, TODAY) == []


def test_an_evaluation_past_its_next_evaluation_date_is_due(taby, settled):
    a, _ = settled
    a.evaluations.update(next_evaluation=D(2026, 11, 1))
    assert kinds(due_rows(ADMIN, taby, TODAY)) == ["evaluation"]


def test_another_organisations_evaluation_does_not_count(taby, vaxholm, settled):
    a, _ = settled
    a.evaluations.update(organisation=vaxholm)
    assert kinds(due_rows(ADMIN, taby, TODAY)) == ["evaluation"]


def test_a_cost_up_more_than_ten_per_cent_year_on_year_is_flagged_with_the_best_amount(
    taby, settled
):
    _, p = settled
    f.make_cost(p, year=2025, outcome=1_000_000)
    f.make_cost(p, year=2026, outcome=None, forecast=1_150_000, budget=900_000)
    (row,) = due_rows(ADMIN, taby, TODAY)
    assert row.kind == "cost"
    assert "15" in row.text and "2025" in row.text
    assert due_rows(ADMIN, taby, TODAY, threshold=20) == []


def test_missing_owner_goals_representative_and_decision_since_the_election(taby, settled):
    a, p = settled
    p.political_body, p.admin_owner = "", None
    p.save()
    a.contributions.all().delete()
    a.bodies.first().seats.update(term_end=D(2026, 10, 14))
    a.decisions.update(date=D(2026, 9, 1))  # before the election of 13 September 2026
    assert kinds(due_rows(ADMIN, taby, TODAY)) == [
        "decision",
        "goals",
        "political_owner",
        "representative",
    ]


def test_between_election_day_and_15_october_the_new_election_already_counts(taby, settled):
    a, _ = settled
    a.decisions.update(date=D(2026, 9, 1))
    assert kinds(due_rows(ADMIN, taby, D(2026, 9, 12))) == []
    assert kinds(due_rows(ADMIN, taby, D(2026, 10, 1))) == ["decision"]


def test_an_overdue_assignment_of_a_closed_review_is_due_until_done(taby, settled):
    _, p = settled
    review = Review.objects.create(
        organisation=taby, date=D(2026, 11, 1), title="KS", closed_on=D(2026, 11, 1)
    )
    item = ReviewItem.objects.create(
        review=review, participation=p, assignment="Utred egen regi", due_date=D(2026, 11, 20)
    )
    (row,) = due_rows(ADMIN, taby, TODAY)
    assert (row.kind, row.is_overdue) == ("assignment", True)
    assert row.url == f"/genomgangspunkter/{item.pk}/uppfoljning/"
    item.assignment_done_on = D(2026, 11, 25)
    item.save()
    assert due_rows(ADMIN, taby, TODAY) == []


def test_an_ended_participation_is_not_due(taby, settled):
    _, p = settled
    p.political_body, p.admin_owner, p.left = "", None, D(2026, 6, 30)
    p.save()
    assert due_rows(ADMIN, taby, TODAY) == []


def test_it_shows_nothing_to_someone_outside_the_organisation(taby, knivsta, settled):
    a, p = settled
    p.political_body, p.admin_owner = "", None
    p.save()
    assert due_rows(Access.for_organisation(knivsta), taby, TODAY) == []
    assert kinds(due_rows(Access.for_organisation(taby), taby, TODAY)) == ["political_owner"]


def test_a_reader_is_told_what_is_due_and_offered_no_form(
    taby, taby_reader, taby_editor, vaxholm, settled
):
    """Each row's form is offered (``url``, ``may_act``) only to those who may use it: Täby's
    editors, not its readers (issue 21: a reader was offered "registrera beslut" links that
    answered "Ingen behörighet")."""
    a, p = settled
    f.make_participation(a, vaxholm)
    p.political_body, p.admin_owner = "", None
    p.save()
    a.decisions.update(date=D(2026, 9, 1))
    review = Review.objects.create(
        organisation=taby, date=D(2026, 11, 1), title="KS", closed_on=D(2026, 11, 1)
    )
    ReviewItem.objects.create(
        review=review, participation=p, assignment="Utred egen regi", due_date=D(2026, 11, 20)
    )
    expected = ["assignment", "decision", "political_owner"]
    reader_rows = due_rows(Access.for_user(taby_reader), taby, TODAY)
    assert kinds(reader_rows) == expected
    assert [(r.may_act, r.url) for r in reader_rows] == [(False, "")] * 3
    editor_rows = due_rows(Access.for_user(taby_editor), taby, TODAY)
    assert kinds(editor_rows) == expected
    assert all(r.may_act and r.url for r in editor_rows)
    # A Vaxholm editor who reads Täby's rows may not act for Täby, though they change the
    # arrangement itself.
    both = f.make_member(vaxholm, "editor", "vaxholm-redaktor")
    Membership.objects.create(user=both, organisation=taby, role=Membership.Role.READER)
    assert not any(r.may_act or r.url for r in due_rows(Access.for_user(both), taby, TODAY))


def test_every_link_is_the_reversed_url_and_each_pattern_is_reversed_once(
    taby, settled, monkeypatch
):
    """A busy organisation's list has a thousand links: each URL name is reversed once per list
    (``due.Urls``) and the links are the same as ``reverse`` gives (issue 23)."""
    from django.urls import reverse

    from register.selectors import due

    arrangements = [
        f.make_arrangement(name=f"Samverkan {i}", end_date=D(2027, 6, 30)) for i in range(6)
    ]
    for a in arrangements:
        f.make_participation(a, taby)
    calls = []
    monkeypatch.setattr(due, "reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))
    rows = due_rows(ADMIN, taby, TODAY)
    assert len(rows) >= 6 * 5
    assert len(calls) == len({c[0] for c in calls}) <= 8
    expected = {
        "contract_end": "register:decision_create",
        "notice": "register:decision_create",
        "decision": "register:decision_create",
        "evaluation": "register:evaluation_create",
        "goals": "register:contribution_create",
    }
    for row in rows:
        assert row.arrangement_url == row.arrangement.get_absolute_url()
        if row.kind in expected:
            assert row.url == reverse(expected[row.kind], args=[row.arrangement.pk])
        elif row.kind == "political_owner":
            (p,) = row.arrangement.participations.all()
            assert row.url == reverse("register:participation_update", args=[p.pk])
