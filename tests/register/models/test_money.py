"""register/models/money.py: a cost's best figure."""

import pytest

from register.models import Cost

pytestmark = pytest.mark.django_db


def test_cost_amount_prefers_outcome(shared_arrangement):
    p = shared_arrangement.participations.first()
    c = Cost(participation=p, year=2024, budget=10, forecast=20, outcome=30)
    assert c.amount == 30
    c.outcome = None
    assert c.amount == 20
