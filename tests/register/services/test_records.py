"""register/services/records.py: saving and deleting one record checks access and validates first."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Decision
from register.services import participations, records
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_record_save_checks_access_on_the_record(taby_editor, shared_arrangement, vaxholm):
    decision = Decision(
        arrangement=shared_arrangement,
        organisation=vaxholm,
        deciding_body="KF",
        date=date(2024, 1, 1),
        title="Vaxholms beslut",
    )
    with pytest.raises(PermissionDenied):
        records.record_save(access=Access.for_user(taby_editor), instance=decision)
    assert not Decision.objects.exists()


def test_record_save_validates_before_writing(taby_editor, shared_arrangement, taby):
    body = f.make_body(shared_arrangement)
    seat = f.make_seat(body, f.make_person(organisation=taby), taby)
    seat.term_start, seat.term_end = date(2023, 1, 1), date(2022, 1, 1)
    with pytest.raises(ValidationError):
        records.record_save(access=Access.for_user(taby_editor), instance=seat)
    seat.refresh_from_db()
    assert seat.term_start is None


def test_record_delete_checks_access(taby_editor, shared_arrangement, vaxholm):
    decision = f.make_decision(shared_arrangement, organisation=vaxholm)
    with pytest.raises(PermissionDenied):
        records.record_delete(access=Access.for_user(taby_editor), instance=decision)
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_the_administrator_may_do_everything(admin_user, shared_arrangement, vaxholm):
    access = Access.for_user(admin_user)
    participations.participation_set(
        access=access, arrangement=shared_arrangement, organisation=vaxholm, cost_share=25
    )
    decision = f.make_decision(shared_arrangement, organisation=vaxholm)
    records.record_delete(access=access, instance=decision)
    assert shared_arrangement.participations.get(organisation=vaxholm).cost_share == 25
    assert not Decision.objects.exists()
