"""register.idranges: rows asked for by dense runs of ids as ranges are the rows an IN list gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register import idranges
from register.idranges import rows_in, runs
from register.models import Organisation

pytestmark = pytest.mark.django_db


def test_runs_split_dense_ids_from_the_rest():
    ids = [*range(100, 200), *range(300, 500, 2), 5, 7, 1000, *range(2000, 2030)]
    ranges, rest = runs(ids)
    assert ranges == [(100, 199), (300, 498)]
    assert sorted(rest) == [5, 7, 1000, *range(2000, 2030)]


def test_runs_leave_anything_but_ints_in_the_list():
    ranges, rest = runs(["1", *range(2, 200)])
    assert ranges == [] and sorted(rest, key=str) == sorted(["1", *range(2, 200)], key=str)
    assert runs([None, *range(1, 100)])[0] == []
    assert runs([]) == ([], [])


def test_too_many_runs_make_a_plain_list():
    ids = [n for start in range(0, 40_000, 1000) for n in range(start, start + 70)]
    ranges, rest = runs(ids)
    assert ranges == [] and sorted(rest) == ids


@pytest.mark.parametrize(
    "pick",
    [
        lambda pks: pks,  # every organisation: one run
        lambda pks: pks[::2],  # every other: a run with gaps, the gaps left out
        lambda pks: pks[::3],  # too sparse for a run: a list
        lambda pks: pks[10:150] + pks[200:203] + [10**9],  # a run, a few more, one unknown
        lambda pks: [],
    ],
)
def test_rows_in_gives_what_an_in_list_gives(pick):
    pks = sorted(Organisation.objects.values_list("pk", flat=True))
    assert len(pks) > 200
    ids = pick(pks)
    expected = sorted(Organisation.objects.filter(pk__in=ids).values_list("pk", "code"))
    assert sorted(rows_in(Organisation.objects.all(), "pk", ids, "code")) == expected
    # A related column (a foreign key to the county) works alike.
    counties = list(Organisation.objects.exclude(county=None).values_list("county_id", flat=True))
    expected = sorted(
        Organisation.objects.filter(county_id__in=counties).values_list("county_id", "pk")
    )
    assert sorted(rows_in(Organisation.objects.all(), "county_id", counties, "pk")) == expected


def test_rows_in_keeps_each_statement_within_its_values(monkeypatch):
    pks = sorted(Organisation.objects.values_list("pk", flat=True))
    ids = pks[:100] + pks[150:280:3]  # one run and 44 more
    with CaptureQueriesContext(connection) as queries:
        found = rows_in(Organisation.objects.all(), "pk", ids, step=12)
    assert sorted(found) == [(pk,) for pk in sorted(ids)]
    # The first statement holds the range's two values and 10 ids, the others 10 each.
    assert len(queries) == 5
    monkeypatch.setattr(idranges, "MIN_RUN", 10**6)  # no runs: plain lists of 12
    with CaptureQueriesContext(connection) as queries:
        assert sorted(rows_in(Organisation.objects.all(), "pk", ids, step=12)) == sorted(found)
    assert len(queries) == 12
