"""Data versions per organisation, per arrangement and national (register/dataversions.py): each
kind of write moves the versions of what it changes, and nothing else's."""

from __future__ import annotations

import datetime as dt

import pytest

from register import dataversions
from register.models import Arrangement, Cost, Participation, Seat
from register.services import bulk
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(taby, vaxholm, knivsta, django_capture_on_commit_callbacks):
    """Täby and Vaxholm share a federation; Kiruna has its own arrangement with Knivsta (written
    and committed, as far as the versions know, before the test)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _world(taby, vaxholm, knivsta)


def _world(taby, vaxholm, knivsta):
    kiruna = f.municipality("2584")
    shared = f.make_arrangement(name="Roslagens brandförsvar", host=taby, is_published=True)
    taby_part = f.make_participation(shared, taby, role="host")
    vaxholm_part = f.make_participation(shared, vaxholm)
    body = f.make_body(shared, name="Direktionen")
    person = f.make_person(name="Karin Lind", organisation=taby)
    far = f.make_arrangement(name="Norrbottens kollektivtrafik", host=kiruna, is_published=True)
    f.make_participation(far, kiruna, role="host")
    f.make_participation(far, knivsta)
    return {
        "taby": taby,
        "vaxholm": vaxholm,
        "kiruna": kiruna,
        "knivsta": knivsta,
        "shared": shared,
        "far": far,
        "taby_part": taby_part,
        "vaxholm_part": vaxholm_part,
        "body": body,
        "person": person,
    }


def versions(world) -> dict:
    return {
        "national": dataversions.national(),
        "shared": dataversions.for_arrangement(world["shared"].pk),
        "far": dataversions.for_arrangement(world["far"].pk),
        **{name: dataversions.for_organisation(world[name].pk) for name in ("taby", "vaxholm")},
        **{name: dataversions.for_organisation(world[name].pk) for name in ("kiruna", "knivsta")},
        "code:0160": dataversions.for_organisation_code("0160"),
        "code:2584": dataversions.for_organisation_code("2584"),
    }


def new_cost(world):
    f.make_cost(world["vaxholm_part"], year=2025, outcome=1_000)


def new_seat(world):
    f.make_seat(world["body"], world["person"], world["taby"], role=Seat.Role.MEMBER)


def status_change(world):
    a = Arrangement.objects.get(pk=world["shared"].pk)
    a.status = Arrangement.Status.ENDED
    a.save()


def participation_leaves(world):
    p = Participation.objects.get(pk=world["vaxholm_part"].pk)
    p.left = dt.date(2025, 6, 30)
    p.save()


def participation_deleted(world):
    Participation.objects.get(pk=world["vaxholm_part"].pk).delete()


def bulk_cost(world):
    bulk.insert(
        Cost,
        [{"participation_id": world["vaxholm_part"].pk, "year": 2023, "outcome": 5}],
    )


@pytest.mark.parametrize(
    "write",
    [new_cost, new_seat, status_change, participation_leaves, participation_deleted, bulk_cost],
)
def test_a_write_moves_its_arrangement_its_parties_and_the_nation_and_nothing_else(
    world, write, django_capture_on_commit_callbacks
):
    before = versions(world)
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    after = versions(world)
    moved = {name for name in before if after[name] != before[name]}
    # Vaxholm (which left, in two of the writes) moves as well as Täby.
    assert moved == {"national", "shared", "taby", "vaxholm", "code:0160"}
    assert after["national"] > before["national"]


def test_a_persons_name_moves_the_arrangements_of_their_seats(
    world, django_capture_on_commit_callbacks
):
    new_seat(world)
    before = versions(world)
    with django_capture_on_commit_callbacks(execute=True):
        person = world["person"]
        person.name = "Karin Lindqvist"
        person.save()
    after = versions(world)
    assert {n for n in before if after[n] != before[n]} == {
        "national",
        "shared",
        "taby",
        "vaxholm",
        "code:0160",
    }


def test_reference_data_moves_everything(world, django_capture_on_commit_callbacks):
    before = versions(world)
    with django_capture_on_commit_callbacks(execute=True):
        kiruna = world["kiruna"]
        kiruna.name = "Kiruna kommun"
        kiruna.save()
    after = versions(world)
    assert all(after[n] > before[n] for n in before)


def test_a_rolled_back_write_moves_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    before = versions(world)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            new_cost(world)
            raise RuntimeError
    assert versions(world) == before


def test_a_lost_version_starts_at_the_national_one(world, django_capture_on_commit_callbacks):
    """An evicted key never falls back to a number something older was kept under."""
    from django.core.cache import cache

    first = dataversions.for_organisation(world["taby"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        new_cost(world)
    cache.delete(dataversions.organisation_key(world["taby"].pk))
    again = dataversions.for_organisation(world["taby"].pk)
    assert again != first
    assert again == dataversions.national()


def test_data_version_is_the_national_version(world):
    assert dataversions.data_version() == dataversions.national()


def test_rows_announced_in_bulk_touch_what_a_written_record_each_touches():
    """``record_announced`` keeps a bulk insert's rows a column each (``WrittenRows``); what they
    touch is what one ``Written`` per row touches."""
    from register import dataversions
    from register.models import Arrangement, Person

    columns = {
        "id": [11, 12, 13],
        "form_id": [1, None, 2],
        "host_id": [5, None, 7],
        "parent_id": [None, None, None],
    }
    names = [f.attname for f in Arrangement._meta.concrete_fields if f.is_relation]
    per_row = [
        dataversions.Written(
            Arrangement,
            columns["id"][i],
            tuple((n, columns[n][i]) for n in names if n in columns),
        )
        for i in range(3)
    ]
    rows = dataversions.WrittenRows(
        Arrangement, columns["id"], {n: columns[n] for n in names if n in columns}
    )
    assert dataversions.touched([rows]) == dataversions.touched(per_row)
    people = dataversions.WrittenRows(Person, [1, 2], {"organisation_id": [3, 3]})
    assert dataversions.touched([people]).organisations == {3}
