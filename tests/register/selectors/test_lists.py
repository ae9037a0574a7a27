"""register/selectors/lists.py: the list pages' querysets count and hide what they should."""

import datetime as dt

from register.access import Access
from register.models import (
    Participation,
    Review,
)
from register.selectors import lists
from tests import factories as f


def test_arrangement_list_counts_partners_and_shows_the_own_reference_year_cost(
    shared_arrangement, taby
):
    taby_part = Participation.objects.get(arrangement=shared_arrangement, organisation=taby)
    f.make_cost(taby_part, year=2023, outcome=100)
    f.make_cost(taby_part, year=2024, outcome=None, budget=250)
    f.make_cost(taby_part, year=2025, outcome=None, budget=999)  # not yet the reference year
    row = lists.arrangement_list_queryset(
        Access(user_id=1, is_admin=True), own_org_id=taby.pk, today=dt.date(2025, 6, 1)
    ).get()
    assert row.partner_count == 2
    # The reference year is the year before today's, whatever the latest year with a figure.
    assert (row.own_cost, row.own_cost_year, row.own_cost_kind) == (250, 2024, "budget")


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
