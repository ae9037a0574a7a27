"""The model's invariants hold in the database itself, not only in forms."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from register.models import Arrangement, Cost, Organisation, Participation
from register.validators import luhn_ok
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_reference_data_is_present_after_migrate():
    assert Organisation.objects.filter(kind="municipality").count() == 290
    assert Organisation.objects.filter(kind="region").count() == 21
    assert f.municipality("0160").name == "Täby kommun"
    assert f.region("14").name == "Västra Götalandsregionen"


@pytest.mark.parametrize(
    "orgnr,ok",
    [("2120000142", True), ("2321000024", True), ("2120000143", False), ("556036079", False)],
)
def test_luhn(orgnr, ok):
    assert luhn_ok(orgnr) is ok


def test_database_rejects_orgnr_with_bad_check_digit():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind="other", name="Fel", orgnr="2120000143")
    Organisation.objects.create(kind="other", name="Rätt", orgnr="2120000142")


def test_database_rejects_duplicate_kommunkod():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind="municipality", name="Dubblett", code="0160")


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


def test_cost_amount_prefers_outcome(shared_arrangement):
    p = shared_arrangement.participations.first()
    c = Cost(participation=p, year=2024, budget=10, forecast=20, outcome=30)
    assert c.amount == 30
    c.outcome = None
    assert c.amount == 20
