"""register/services/records.py: saving and deleting one record checks access and validates first."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Arrangement, Body, Decision, Organisation, Participation, Person
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


# --- Many records at once: checked as record_save checks one --------------------------------


def _body(arrangement, **values):
    return {"arrangement_id": arrangement.pk, "kind": "joint_committee", "name": "Nämnden"} | values


def test_records_create_many_writes_rows_that_keep_the_rules(shared_arrangement):
    rows = [_body(shared_arrangement), _body(shared_arrangement, name="Direktionen")]
    ids = records.records_create_many(model=Body, rows=rows, reason="Import 1: lista.xlsx")
    assert [Body.objects.get(pk=pk).name for pk in ids] == ["Nämnden", "Direktionen"]
    assert Body.objects.get(pk=ids[0]).arrangement == shared_arrangement
    assert {h.history_change_reason for h in Body.history.filter(id__in=ids)} == {
        "Import 1: lista.xlsx"
    }


def test_records_create_many_refuses_an_over_long_value_and_names_the_row(shared_arrangement):
    rows = [_body(shared_arrangement), _body(shared_arrangement, name="x" * 201)]
    with pytest.raises(ValidationError, match="rad 2"):
        records.records_create_many(model=Body, rows=rows)
    assert not Body.objects.exists()


def test_records_create_many_refuses_a_value_that_is_not_one_of_the_choices(shared_arrangement):
    with pytest.raises(ValidationError, match="rad 1"):
        records.records_create_many(model=Body, rows=[_body(shared_arrangement, kind="parliament")])
    assert not Body.objects.exists()


def test_records_create_many_refuses_what_the_models_clean_refuses(shared_arrangement, knivsta):
    row = {
        "arrangement_id": shared_arrangement.pk,
        "organisation_id": knivsta.pk,
        "role": "member",
        "joined": date(2024, 1, 1),
        "left": date(2020, 1, 1),
    }
    with pytest.raises(ValidationError, match="rad 1: lämnade: Utträdesdatum"):
        records.records_create_many(model=Participation, rows=[row])
    assert not Participation.objects.filter(organisation=knivsta).exists()


def test_records_create_many_refuses_a_reference_to_a_record_that_does_not_exist(
    shared_arrangement,
):
    rows = [_body(shared_arrangement), {**_body(shared_arrangement), "arrangement_id": 10**9}]
    with pytest.raises(ValidationError, match="rad 2: samverkan 1000000000 finns inte"):
        records.records_create_many(model=Body, rows=rows)
    assert not Body.objects.exists()


def test_records_delete_many_deletes_as_deleting_each_does_and_tags_the_history(
    shared_arrangement,
):
    people = [Person.objects.create(name=f"Person {i}") for i in range(3)]
    deleted = records.records_delete_many(
        model=Person, pks=[people[0].pk, people[2].pk], reason="Ångrad import 1: lista.xlsx"
    )
    assert deleted == 2
    assert list(Person.objects.filter(pk__in=[p.pk for p in people])) == [people[1]]
    gone = Person.history.filter(history_type="-")
    assert sorted(gone.values_list("id", flat=True)) == [people[0].pk, people[2].pk]
    assert set(gone.values_list("history_change_reason", flat=True)) == {
        "Ångrad import 1: lista.xlsx"
    }


@pytest.mark.parametrize("model", [Arrangement, Participation, Organisation, Person])
def test_dependent_relations_are_the_ones_djangos_deletion_follows(model):
    # Django's collector uses a private helper; the public _meta API gives the same relations.
    from django.db.models.deletion import get_candidate_relations_to_delete

    assert set(records.dependent_relations(model)) == set(
        get_candidate_relations_to_delete(model._meta)
    )
