"""register/models/arrangements.py: the invariants hold in the database itself, not only in forms, and history is kept."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from register.models import Arrangement, Participation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_database_rejects_end_before_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_arrangement(start_date=date(2020, 1, 1), end_date=date(2019, 1, 1))


def test_database_rejects_share_over_100(shared_arrangement):
    p = shared_arrangement.participations.first()
    p.ownership_share = 101
    with pytest.raises(IntegrityError), transaction.atomic():
        p.save()


def test_database_rejects_duplicate_participation(shared_arrangement, taby):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(arrangement=shared_arrangement, organisation=taby)


def test_history_is_kept(shared_arrangement):
    before = shared_arrangement.history.count()
    shared_arrangement.name = "Nytt namn"
    shared_arrangement.save()
    assert shared_arrangement.history.count() == before + 1
    assert Arrangement.history.filter(id=shared_arrangement.id).first().name == "Nytt namn"
