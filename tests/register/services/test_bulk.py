"""register/services/bulk.py: the one bulk write path checks rows by the same rules as
``full_clean()`` (lengths and choices included, on SQLite too) before anything is written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

import importers.services
from register.models import Arrangement, Body, Organisation, Participation, Person
from register.services import bulk

pytestmark = pytest.mark.django_db


def _body(arrangement, **values):
    return {"arrangement_id": arrangement.pk, "kind": "joint_committee", "name": "Nämnden"} | values


def test_the_importers_bulk_insert_is_the_registers_one():
    assert importers.services.bulk is bulk


def test_validate_accepts_rows_that_keep_the_rules(shared_arrangement):
    bulk.validate(Body, [_body(shared_arrangement), _body(shared_arrangement, name="Direktionen")])


def test_validate_refuses_an_over_long_value_and_names_the_row(shared_arrangement):
    rows = [_body(shared_arrangement), _body(shared_arrangement, name="x" * 201)]
    with pytest.raises(ValidationError, match="rad 2"):
        bulk.validate(Body, rows)


def test_validate_refuses_a_value_that_is_not_one_of_the_choices(shared_arrangement):
    with pytest.raises(ValidationError, match="rad 1"):
        bulk.validate(Body, [_body(shared_arrangement, kind="parliament")])


def test_validate_refuses_what_the_models_clean_refuses(shared_arrangement, knivsta):
    row = {
        "arrangement_id": shared_arrangement.pk,
        "organisation_id": knivsta.pk,
        "role": "member",
        "joined": date(2024, 1, 1),
        "left": date(2020, 1, 1),
    }
    with pytest.raises(ValidationError, match="Utträdesdatum"):
        bulk.validate(Participation, [row])


def test_validate_refuses_a_reference_to_a_record_that_does_not_exist(shared_arrangement):
    with pytest.raises(ValidationError, match="finns inte"):
        bulk.validate(
            Body,
            [_body(shared_arrangement), {**_body(shared_arrangement), "arrangement_id": 10**9}],
        )


def test_validate_then_insert_writes_the_rows(shared_arrangement):
    rows = [_body(shared_arrangement, name="Gemensamma nämnden")]
    bulk.validate(Body, rows)
    (pk,) = bulk.insert(Body, rows)
    assert Body.objects.get(pk=pk).arrangement == shared_arrangement


@pytest.mark.parametrize("model", [Arrangement, Participation, Organisation, Person])
def test_dependent_relations_are_the_ones_djangos_deletion_follows(model):
    # Django's collector uses a private helper; the public _meta API gives the same relations.
    from django.db.models.deletion import get_candidate_relations_to_delete

    assert set(bulk.dependent_relations(model)) == set(
        get_candidate_relations_to_delete(model._meta)
    )


def test_delete_rows_deletes_exactly_the_given_rows_and_writes_no_history(shared_arrangement):
    people = [Person.objects.create(name=f"Person {i}") for i in range(3)]
    history_before = Person.history.count()
    bulk.delete_rows(Person, [people[0].pk, people[2].pk])
    assert list(Person.objects.filter(pk__in=[p.pk for p in people])) == [people[1]]
    assert Person.history.count() == history_before
