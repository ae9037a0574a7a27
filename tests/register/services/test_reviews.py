"""register/services/reviews.py: opening, filling, closing and following up a review."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Decision, GoalConflict, Review, ReviewItem
from register.services import reviews as services
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def portfolio(taby, vaxholm):
    running = f.make_arrangement(name="Räddningstjänsten", host=taby)
    f.make_participation(running, taby)
    f.make_participation(running, vaxholm)
    left = f.make_arrangement(name="Lämnad samverkan")
    f.make_participation(left, taby, left=D(2025, 12, 31))
    ended = f.make_arrangement(name="Avslutad samverkan", status="ended")
    f.make_participation(ended, taby)
    theirs = f.make_arrangement(name="Vaxholms egen")
    f.make_participation(theirs, vaxholm)
    return running


def opened(taby, **kw):
    # Held on TODAY: a review closes on its date or later (test_review_board.py).
    review = Review(organisation=taby, date=TODAY, title="KS genomgång 2026", **kw)
    return services.review_open(access=Access.for_organisation(taby), review=review, today=TODAY)


def test_opening_a_review_gives_it_an_item_for_every_running_participation(taby, portfolio):
    review = opened(taby, term_start_year=2026)
    assert [i.participation.arrangement.name for i in review.items.all()] == ["Räddningstjänsten"]
    assert review.term_label == "2026–2030"


def test_it_refuses_to_open_a_review_for_another_organisation(taby, knivsta, portfolio):
    review = Review(organisation=taby, date=D(2026, 12, 10), title="KS")
    with pytest.raises(PermissionDenied):
        services.review_open(access=Access.for_organisation(knivsta), review=review, today=TODAY)
    assert not Review.objects.exists()


def test_closing_writes_each_items_outcome_as_a_decision_on_the_arrangement(taby, portfolio):
    review = opened(taby, body="Kommunstyrelsen", reference="KS § 123")
    item = review.items.get()
    item.outcome = ReviewItem.Outcome.EXIT
    item.decision = "Kostnaden står inte i proportion till nyttan."
    item.save()
    (decision,) = services.review_close(
        access=Access.for_organisation(taby), review=review, today=TODAY
    )
    assert (decision.arrangement, decision.organisation) == (portfolio, taby)
    assert (decision.deciding_body, decision.date, decision.reference) == (
        "Kommunstyrelsen",
        TODAY,
        "KS § 123",
    )
    assert decision.kind == Decision.Kind.EXIT
    assert decision.title == "KS genomgång 2026: Träd ur"
    review.refresh_from_db()
    assert review.closed_on == TODAY
    assert review.items.get().decision_record == decision


def test_it_refuses_to_close_while_an_item_has_no_outcome_and_writes_nothing(taby, portfolio):
    review = opened(taby)
    with pytest.raises(ValidationError, match="Räddningstjänsten"):
        services.review_close(access=Access.for_organisation(taby), review=review, today=TODAY)
    review.refresh_from_db()
    assert review.closed_on is None
    assert not Decision.objects.exists()


def test_a_closed_review_refuses_changes_to_itself_its_items_and_new_records(taby, portfolio):
    access = Access.for_organisation(taby)
    review = opened(taby)
    review.items.update(outcome="continue")
    services.review_close(access=access, review=review, today=TODAY)
    review.refresh_from_db()
    item = review.items.get()
    review.title = "Ändrad"
    with pytest.raises(ValidationError, match="avslutad"):
        services.review_save(access=access, instance=review)
    item.outcome = "exit"
    with pytest.raises(ValidationError, match="avslutad"):
        services.review_save(access=access, instance=item)
    conflict = GoalConflict(goal=f.make_goal(organisation=taby), description="Krock")
    with pytest.raises(ValidationError, match="avslutad"):
        services.record_from_item(access=access, item=item, instance=conflict)
    with pytest.raises(ValidationError, match="avslutad"):
        services.review_close(access=access, review=review, today=TODAY)
    assert Review.objects.get().title == "KS genomgång 2026"
    assert ReviewItem.objects.get().outcome == "continue"
    assert Decision.objects.count() == 1


def test_an_assignment_is_followed_up_after_the_review_is_closed(taby, portfolio):
    access = Access.for_organisation(taby)
    review = opened(taby)
    review.items.update(outcome="investigate", assignment="Utred", due_date=D(2027, 3, 1))
    services.review_close(access=access, review=review, today=TODAY)
    item = ReviewItem.objects.get()
    item.assignment_done_on = D(2027, 2, 1)
    item.follow_up = ReviewItem.FollowUp.ON_TRACK
    services.review_item_followup(access=access, item=item)
    assert ReviewItem.objects.get().assignment_done_on == D(2027, 2, 1)


def test_a_goal_conflict_from_an_item_lands_on_the_items_arrangement(taby, portfolio):
    access = Access.for_organisation(taby)
    item = opened(taby).items.get()
    conflict = GoalConflict(goal=f.make_goal(organisation=taby), description="Krock")
    services.record_from_item(access=access, item=item, instance=conflict)
    assert GoalConflict.objects.get().arrangement == portfolio
