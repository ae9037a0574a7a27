"""register/models/reference.py: the reference data is there and organisations' invariants hold in the database."""

import pytest
from django.db import IntegrityError, transaction

from register.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_reference_data_is_present_after_migrate():
    assert Organisation.objects.filter(kind="municipality").count() == 290
    assert Organisation.objects.filter(kind="region").count() == 21
    assert f.municipality("0160").name == "Täby kommun"
    assert f.region("14").name == "Västra Götalandsregionen"


def test_database_rejects_orgnr_with_bad_check_digit():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind="other", name="Fel", orgnr="2120000143")
    Organisation.objects.create(kind="other", name="Rätt", orgnr="2120000142")


def test_database_rejects_duplicate_kommunkod():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind="municipality", name="Dubblett", code="0160")
