"""register/services/participations.py: participations and their costs, validated and checked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Cost
from register.services import participations
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_participation_set_creates_then_updates(taby_editor, taby, knivsta):
    arrangement = f.make_arrangement(members=[taby])
    access = Access.for_user(taby_editor)
    added = participations.participation_set(
        access=access, arrangement=arrangement, organisation=knivsta, role="member"
    )
    assert added.organisation == knivsta
    changed = participations.participation_set(
        access=access, arrangement=arrangement, organisation=taby, cost_share=40
    )
    assert changed.cost_share == 40
    assert arrangement.participations.count() == 2


def test_participation_set_refuses_another_organisations_participation(
    taby_editor, shared_arrangement, vaxholm
):
    with pytest.raises(PermissionDenied):
        participations.participation_set(
            access=Access.for_user(taby_editor),
            arrangement=shared_arrangement,
            organisation=vaxholm,
            cost_share=10,
        )
    assert shared_arrangement.participations.get(organisation=vaxholm).cost_share is None


def test_participation_set_rejects_a_share_over_100(taby_editor, shared_arrangement, taby):
    with pytest.raises(ValidationError):
        participations.participation_set(
            access=Access.for_user(taby_editor),
            arrangement=shared_arrangement,
            organisation=taby,
            ownership_share=120,
        )
    assert shared_arrangement.participations.get(organisation=taby).ownership_share is None


def test_cost_set_creates_and_updates_one_row_per_year(taby_editor, shared_arrangement, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    access = Access.for_user(taby_editor)
    participations.cost_set(access=access, participation=participation, year=2024, budget=100)
    participations.cost_set(access=access, participation=participation, year=2024, outcome=120)
    cost = Cost.objects.get(participation=participation)
    assert (cost.year, cost.budget, cost.outcome) == (2024, None, 120)


def test_cost_set_refuses_another_organisations_participation(
    taby_editor, shared_arrangement, vaxholm
):
    participation = shared_arrangement.participations.get(organisation=vaxholm)
    with pytest.raises(PermissionDenied):
        participations.cost_set(
            access=Access.for_user(taby_editor), participation=participation, year=2024, budget=1
        )
    assert not Cost.objects.exists()


def test_cost_set_rejects_a_year_out_of_range(taby_editor, shared_arrangement, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    with pytest.raises(ValidationError):
        participations.cost_set(
            access=Access.for_user(taby_editor), participation=participation, year=1800, budget=1
        )
    assert not Cost.objects.exists()
