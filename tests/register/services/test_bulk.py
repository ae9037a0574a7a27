"""register/services/bulk.py: the bulk path's raw delete, and what the write side tells the public
cache when it writes without model signals."""

import pytest

from register.models import Body, Person
from register.services import bulk
from register.services.changes import data_changed

pytestmark = pytest.mark.django_db


def test_delete_rows_deletes_exactly_the_given_rows_and_writes_no_history(shared_arrangement):
    people = [Person.objects.create(name=f"Person {i}") for i in range(3)]
    history_before = Person.history.count()
    bulk.delete_rows(Person, [people[0].pk, people[2].pk])
    assert list(Person.objects.filter(pk__in=[p.pk for p in people])) == [people[1]]
    assert Person.history.count() == history_before


def test_every_bulk_write_is_announced_through_the_write_sides_own_hook(shared_arrangement):
    heard = []

    def listener(sender, **kwargs):
        heard.append(sender)

    data_changed.connect(listener)
    try:
        (pk,) = bulk.insert(
            Body, [{"arrangement_id": shared_arrangement.pk, "kind": "other", "name": "X"}]
        )
        bulk.delete_rows(Body, [pk])
    finally:
        data_changed.disconnect(listener)
    assert heard == [Body, Body]
