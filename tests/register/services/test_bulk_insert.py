"""The importer's bulk insert writes what Django's own ``Model(**row)`` and simple-history's
``bulk_create_with_history`` write: the same values, defaults, timestamps and history rows."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.forms.models import model_to_dict
from hypothesis import given
from hypothesis import strategies as st
from simple_history.utils import bulk_create_with_history

from register.models import Arrangement, Cost, Participation, Person
from register.services import bulk
from tests import factories as f

pytestmark = pytest.mark.django_db


def _arrangement_rows(form_id, host_id):
    return [
        {"name": "Räddningstjänstförbundet", "form_id": form_id, "host_id": host_id},
        {
            "name": "Gemensam lönenämnd",
            "form_id": form_id,
            "start_date": date(2019, 1, 1),
            "end_date": None,
            "orgnr": "2220001230",
            "public_description": "Lön för tre kommuner.",
            "notice_months": 12,
        },
    ]


def _comparable(obj):
    values = model_to_dict(obj)
    values.pop("id")
    values.pop("service_areas", None)
    return values


def test_insert_writes_what_django_writes_defaults_included(taby):
    form_id = f.form("municipal_federation").pk
    ours = bulk.insert(Arrangement, _arrangement_rows(form_id, taby.pk), reason="Import")
    theirs = bulk_create_with_history(
        [Arrangement(**row) for row in _arrangement_rows(form_id, taby.pk)],
        Arrangement,
        default_change_reason="Import",
    )
    assert len(ours) == 2 and all(isinstance(pk, int) for pk in ours)
    for pk, expected in zip(ours, theirs, strict=True):
        written = Arrangement.objects.get(pk=pk)
        assert _comparable(written) == _comparable(expected)
        # Defaults the rows did not give: status, publication, example flag.
        assert written.status == Arrangement.Status.ACTIVE
        assert written.is_published is False and written.is_example is False
        assert written.created_at is not None and written.updated_at is not None


def test_insert_returns_the_ids_in_the_order_of_the_rows(taby):
    participation = f.make_participation(f.make_arrangement(), taby)
    rows = [{"participation_id": participation.pk, "year": year} for year in (2026, 2019, 2023)]
    rows[0]["outcome"] = 5
    ids = bulk.insert(Cost, rows)
    assert [Cost.objects.get(pk=pk).year for pk in ids] == [2026, 2019, 2023]
    assert Cost.objects.get(pk=ids[0]).outcome == 5
    assert Cost.objects.get(pk=ids[1]).outcome is None


def test_insert_writes_one_history_row_per_record_with_the_reason(taby):
    ids = bulk.insert(
        Person,
        [{"name": "Anna Svensson", "party": "S", "organisation_id": taby.pk}] * 3,
        reason="Import från Excel",
    )
    history = Person.history.filter(id__in=ids)
    assert history.count() == 3
    assert {h.history_type for h in history} == {"+"}
    assert {h.history_change_reason for h in history} == {"Import från Excel"}
    assert {(h.id, h.name, h.party, h.organisation_id) for h in history} == {
        (pk, "Anna Svensson", "S", taby.pk) for pk in ids
    }


def test_insert_without_history_writes_no_history(taby):
    ids = bulk.insert(Person, [{"name": "Per Olsson", "organisation_id": taby.pk}], history=False)
    assert Person.objects.filter(pk__in=ids).count() == 1
    assert not Person.history.filter(id__in=ids).exists()


def test_a_callable_default_gives_every_row_its_own_value(taby):
    arrangement = f.make_arrangement(members=[])
    other = f.municipality("0187")
    ids = bulk.insert(
        Participation,
        [
            {"arrangement_id": arrangement.pk, "organisation_id": taby.pk},
            {"arrangement_id": arrangement.pk, "organisation_id": other.pk},
        ],
    )
    first, second = (Participation.objects.get(pk=pk) for pk in ids)
    assert first.extra_fields == {} and second.extra_fields == {}
    assert first.role == Participation.Role.MEMBER


def test_an_unknown_column_is_refused_before_anything_is_written(taby):
    with pytest.raises(ValueError, match="no column organisation"):
        bulk.insert(Person, [{"name": "Anna", "organisation": taby}])
    assert not Person.objects.exists()


def test_a_constraint_violation_is_raised_by_the_database(taby):
    arrangement = f.make_arrangement()
    participation = f.make_participation(arrangement, taby)
    same_year = {"participation_id": participation.pk, "year": 2024}
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(Cost, [same_year, dict(same_year)])
    assert not Cost.objects.exists()


def test_a_value_its_field_refuses_is_refused_before_anything_is_written(taby):
    arrangement = f.make_arrangement()
    participation = f.make_participation(arrangement, taby)
    with pytest.raises(ValidationError) as refused:
        bulk.insert(Cost, [{"participation_id": participation.pk, "year": 1700}])
    assert refused.value.message_dict == {"year": ["Värdet får inte vara mindre än 1900."]}
    assert not Cost.objects.exists()


def test_a_text_longer_than_its_column_is_refused_on_sqlite_too(taby):
    """SQLite does not enforce a column's length (PostgreSQL does): the insert checks it."""
    form_id = f.form("municipal_federation").pk
    rows = [
        {"name": "Räddningstjänstförbundet", "form_id": form_id},
        {"name": "x" * 301, "form_id": form_id},
    ]
    with pytest.raises(ValidationError) as refused:
        bulk.insert(Arrangement, rows)
    assert refused.value.message_dict == {
        "name": ["Texten får vara högst 300 tecken lång, men är 301 tecken."]
    }
    assert not Arrangement.objects.exists()
    assert not Arrangement.history.exists()


def test_every_field_of_every_row_is_checked_by_its_own_rules(taby, monkeypatch):
    """Each distinct value of a column is checked once with ``Field.clean`` (as full_clean()),
    relations left to the database."""
    checked = []
    original = Field.clean

    def spy(field, value, instance):
        checked.append((field.name, value))
        return original(field, value, instance)

    monkeypatch.setattr(Field, "clean", spy)
    form_id = f.form("municipal_federation").pk
    bulk.insert(
        Arrangement,
        [{"name": "A", "form_id": form_id, "notice_months": 12}]
        + [{"name": "B", "form_id": form_id, "notice_months": 12}],
    )
    assert sorted(value for name, value in checked if name == "name") == ["A", "B"]
    assert [value for name, value in checked if name == "notice_months"] == [12]
    assert not [name for name, _ in checked if name in ("form", "host", "created_at")]


def test_an_empty_list_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk.insert(Person, []) == []


def test_many_to_many_links_are_written_and_recorded_in_the_history_row(taby):
    form_id = f.form("municipal_federation").pk
    rescue, it = f.area("raddningstjanst"), f.area("it")
    ids = bulk.insert(
        Arrangement,
        [{"name": "Med två områden", "form_id": form_id}, {"name": "Utan", "form_id": form_id}],
        reason="Import",
        m2m={"service_areas": [[rescue.pk, it.pk], []]},
    )
    with_areas, without = (Arrangement.objects.get(pk=pk) for pk in ids)
    assert set(with_areas.service_areas.all()) == {rescue, it}
    assert not without.service_areas.exists()
    record = with_areas.history.get()
    assert record.history_type == "+"
    assert {row.servicearea_id for row in record.service_areas.all()} == {rescue.pk, it.pk}
    assert not without.history.get().service_areas.exists()


def test_equal_decimals_with_more_places_than_the_field_allows_are_each_refused(taby):
    """Decimal("1.5") == Decimal("1.500"), yet only the first fits two decimal places: a value
    is checked once per distinct value only where equal values are checked alike."""
    arrangement = f.make_arrangement()
    rows = [
        {"arrangement_id": arrangement.pk, "organisation_id": taby.pk, "cost_share": share}
        for share in (Decimal("1.5"), Decimal("1.500"))
    ]
    with pytest.raises(ValidationError) as refused:
        bulk.insert(Participation, rows)
    assert list(refused.value.message_dict) == ["cost_share"]
    assert not Participation.objects.exists()


def _counting_prep(monkeypatch, field):
    """Count the values the field converts (``_prepare`` calls the instance's method)."""
    calls = []
    real = field.get_db_prep_save

    def prep(value, connection):
        calls.append(value)
        return real(value, connection)

    monkeypatch.setattr(field, "get_db_prep_save", prep)
    return real, calls


def test_each_distinct_choice_is_converted_once_and_as_django_converts_it(monkeypatch):
    from django.db import connection

    field = Participation._meta.get_field("role")
    member, host = Participation.Role.MEMBER, Participation.Role.HOST
    values = [member, host, member, "member", None, member]
    real, calls = _counting_prep(monkeypatch, field)
    prepared = bulk._prepare(field, values, connection)
    assert prepared == [None if v is None else real(v, connection) for v in values]
    assert calls == [member, host]  # a plain str needs no conversion


def test_a_column_of_one_type_converts_each_distinct_value_once_as_django_does(monkeypatch):
    from django.db import connection

    field = Participation._meta.get_field("joined")
    first, second = date(2020, 1, 1), date(2021, 6, 30)
    values = [first, None, second, first, date(2020, 1, 1), None]
    real, calls = _counting_prep(monkeypatch, field)
    prepared = bulk._prepare(field, values, connection)
    assert prepared == [None if v is None else real(v, connection) for v in values]
    assert sorted(calls) == [first, second]


def _as_json(value):
    """The JSON a prepared value holds: a text on SQLite, a wrapper around it on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else getattr(value, "obj", value)


def test_empty_json_defaults_are_converted_once_and_other_values_each(monkeypatch):
    from django.db import connection

    field = Participation._meta.get_field("extra_fields")
    values = [{}, {}, {"a": 1}, {"a": True}, [], {}]
    real, calls = _counting_prep(monkeypatch, field)
    written = bulk.orjson.dumps  # on SQLite a dict or list is written by orjson, not by Django
    monkeypatch.setattr(bulk.orjson, "dumps", lambda v, **kw: calls.append(v) or written(v, **kw))
    prepared = bulk._prepare(field, values, connection)
    assert [_as_json(v) for v in prepared] == [_as_json(real(v, connection)) for v in values]
    assert [type(v) for v in map(_as_json, prepared)] == [dict, dict, dict, dict, list, dict]
    # {"a": 1} == {"a": True} in Python, but they are different JSON: each is converted.
    assert calls == [{}, {"a": 1}, {"a": True}, []]
    assert json.dumps(_as_json(prepared[3])) == '{"a": true}'


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text() | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(value=st.dictionaries(st.text(), _JSON, max_size=5) | st.lists(_JSON, max_size=5))
def test_json_is_written_as_django_writes_it_whatever_it_holds(value):
    from django.db import connection

    field = Participation._meta.get_field("extra_fields")
    (prepared,) = bulk._prepare(field, [value], connection)
    (django,) = [field.get_db_prep_save(value, connection)]
    assert _as_json(prepared) == _as_json(django)
    if connection.vendor == "sqlite":  # the same text json reads back, keys and order included
        assert json.dumps(json.loads(prepared)) == django


@pytest.mark.parametrize(
    "value",
    [
        {"a": float("nan")},  # json writes NaN, orjson null
        [float("inf")],
        {1: "a", None: "b"},  # keys json turns into text and orjson refuses
        [2**70],  # beyond 64 bits
        {"a": Participation.Role.HOST},  # a subclass of str
        ["annullerad", None],  # a text with "null" in it, and a None
    ],
)
def test_what_orjson_would_write_otherwise_goes_djangos_way(value):
    from django.db import connection

    field = Participation._meta.get_field("extra_fields")
    (prepared,) = bulk._prepare(field, [value], connection)
    django = field.get_db_prep_save(value, connection)
    assert getattr(prepared, "obj", prepared) == getattr(django, "obj", django)


@pytest.mark.parametrize("value", [{"when": date(2020, 1, 1)}, [object()], {"a": {1, 2}}])
def test_what_json_refuses_is_refused_as_django_refuses_it(value):
    from django.db import connection

    field = Participation._meta.get_field("extra_fields")
    if connection.vendor != "sqlite":  # psycopg writes the JSON as it sends it: Django's way
        (prepared,) = bulk._prepare(field, [value], connection)
        assert prepared.obj is value
        assert type(prepared) is type(field.get_db_prep_save(value, connection))
        return
    with pytest.raises(TypeError):
        field.get_db_prep_save(value, connection)
    with pytest.raises(TypeError):
        bulk._prepare(field, [value], connection)


def test_an_empty_json_default_is_checked_once_and_every_other_json_value_each(monkeypatch):
    field = Participation._meta.get_field("extra_fields")
    checked = []
    original = type(field).clean

    def spy(self, value, instance):
        checked.append(value)
        return original(self, value, instance)

    monkeypatch.setattr(type(field), "clean", spy)
    bulk.validate_column(field, [{}, {"a": 1}, {}, [], {"a": 1}, {}])
    assert sorted(map(repr, checked)) == sorted(map(repr, [{"a": 1}, {"a": 1}, {}, []]))
    with pytest.raises(ValidationError):  # a value JSON cannot hold is still refused
        bulk.validate_column(field, [{}, {"when": object()}, {}])


def test_statements_go_through_djangos_execute_wrappers_with_sqlites_placeholders(taby):
    from django.db import connection

    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql.split(" (")[0], len(params)))
        return execute(sql, params, many, context)

    rows = [{"name": f"Person {i}", "party": "S", "organisation_id": taby.pk} for i in range(3)]
    with connection.execute_wrapper(wrapper):
        ids = bulk.insert(Person, rows, reason="Import")
    inserts = [s for s in seen if s[0].startswith("INSERT")]
    table, history = Person._meta.db_table, Person.history.model._meta.db_table
    assert [s[0] for s in inserts] == [f'INSERT INTO "{table}"', f'INSERT INTO "{history}"']
    assert [p.name for p in Person.objects.filter(pk__in=ids).order_by("pk")] == [
        "Person 0",
        "Person 1",
        "Person 2",
    ]
    assert Person.history.filter(id__in=ids).count() == 3


def test_a_logged_statement_keeps_djangos_placeholders(taby):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        bulk.insert(Person, [{"name": "Eva Ek", "organisation_id": taby.pk}], history=False)
    insert = next(q["sql"] for q in queries if q["sql"].startswith("INSERT"))
    assert "'Eva Ek'" in insert  # the log quotes the values into the statement


def test_nothing_is_written_in_a_transaction_that_must_be_rolled_back(taby):
    from django.db.transaction import TransactionManagementError

    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            bulk.insert(
                Person,
                [{"name": "Bo Berg", "organisation_id": taby.pk}],
                history=False,
                validate_values=False,  # no query before the insert's own
            )
