"""Insert many new records, and their history rows, without building a model instance per record:
the register's one bulk write path, behind :func:`register.services.records.records_create_many`
(the importer's commit and ``seed_scale`` use it; everything else writes one record at a time).

Why this exists: Django's ``Model.__init__``, ``bulk_create``'s SQL compiler and simple-history's
``bulk_create_with_history`` cost most of a large import's commit (``bench/import_excel.py``
measures it). Here the records are given as plain dicts, one ``INSERT ... VALUES (...), (...)
RETURNING id`` statement is built per table and batch size, a value goes through
``field.get_db_prep_save`` only when the database driver cannot take it as it is, and the history
rows are built as plain tuples with the history user, date and change reason resolved once.

Before anything is written the rows are checked as ``full_clean()`` checks a record
(:func:`insert` with ``validate_values``): every related id exists, every value keeps its model
field's own rules (maximum length, choices, blank and null, validators; each distinct value of a
column once, so a value too long is refused on SQLite as on PostgreSQL) and every row keeps the
model's own ``clean()`` when the model has one. Uniqueness and the database's constraints are the
database's to enforce: the insert fails as a whole.

What is written is what ``Model(**row)`` followed by ``bulk_create_with_history`` writes: a
field missing from a row gets its default, ``auto_now``/``auto_now_add`` fields get the time of
the insert, and every record gets one history row of type "+" with simple-history's default
history user, the date and the change reason. Many-to-many links given with the records are
written as ``.set()`` writes them, and recorded in the history row when simple-history tracks
the field. Nothing here sends model signals; :mod:`register.services.changes` is told instead.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from itertools import chain
from types import NoneType

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import DateField, DateTimeField, Field, ForeignKey, JSONField, Model
from django.db.models.base import ModelState
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from .. import fieldchecks
from ..idranges import rows_in
from .changes import announce

# Field types whose get_db_prep_save returns a value of this exact Python type unchanged, on
# every database backend. Any other value (a date, a Decimal, a dict for JSON, an enum member)
# goes through Django's own conversion.
_PLAIN_TYPES = {
    "AutoField": int,
    "BigAutoField": int,
    "SmallAutoField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
    "BooleanField": bool,
    "CharField": str,
    "TextField": str,
    "SlugField": str,
}

# Types (and their subclasses: choices are str or int enums, True is an int) whose equal values
# pass or fail a field's checks alike, unlike Decimal("1.00") and Decimal("1"), which are equal
# but have different decimal places, or 1.0 and 1. A column of them checks each distinct value
# once.
_SAME_WHEN_EQUAL = (str, int, date, NoneType)

_MAX_ROWS = 1000  # rows per INSERT statement
_MAX_PARAMS = 30_000  # values per statement (PostgreSQL takes at most 65,535)
_NOTHING = object()


class RowRefused(ValidationError):
    """A row that breaks a rule, with its number among the rows given (``row``, from 1)."""

    def __init__(self, message, *, row: int):
        super().__init__(message)
        self.row = row


def insert(
    model,
    rows: list[dict],
    *,
    history: bool = True,
    reason: str = "",
    m2m: dict[str, list[list]] | None = None,
    validate_values: bool = True,
) -> list:
    """Insert new records of ``model``, each given as a dict of attribute name to value
    (``organisation_id``, not ``organisation``), and return their primary keys in order.

    With ``history``, also write one history row per record with ``reason`` as change reason.
    ``m2m`` gives, per many-to-many field name, the related primary keys of every row; they are
    written as ``.set()`` would, and recorded in the history rows of a field simple-history
    tracks (``HistoricalRecords(m2m_fields=...)``). Raise ``ValueError`` for a name that is not
    a column of the model and :class:`RowRefused` (a ``ValidationError``) for the first row
    that breaks a rule (see the module docstring), before anything is written;
    ``validate_values=False`` skips that check, for a caller's own bookkeeping made of values it
    made itself.
    """
    if not rows:
        return []
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk and not getattr(f, "generated", False)]
    given = set().union(*rows)
    unknown = given - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{meta.label} has no column {', '.join(sorted(unknown))}.")
    now = timezone.now()
    values = {field.attname: _values(field, rows, now, field.attname in given) for field in fields}
    if validate_values:
        check_references(model, fields, values, using=using)
        for field in fields:
            validate_column(field, values[field.attname])
        check_clean(model, values, len(rows))
    if not connection.features.can_return_rows_from_bulk_insert or any(
        _sets_own_value(f) for f in fields
    ):
        # SQLite before 3.35 cannot return ids from an insert; a field with its own pre_save
        # needs an instance: Django's own, slower way.
        objs = [model(**row) for row in rows]
        if history:
            bulk_create_with_history(objs, model, default_change_reason=reason)
        else:
            model._default_manager.bulk_create(objs)
        for name, related in (m2m or {}).items():
            for obj, pks in zip(objs, related, strict=True):
                getattr(obj, name).set(pks)
        ids = [obj.pk for obj in objs]
        announce(model, ids)  # bulk_create sends no model signals either
        return ids
    columns = {}
    for field in fields:
        columns[field.attname] = _prepare(field, values[field.attname], connection)
    ids = insert_rows(
        model,
        [f.column for f in fields],
        list(zip(*columns.values(), strict=True)),
        using=using,
        returning=pk.column,
    )
    columns[pk.attname] = ids
    history_ids = None
    if history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        # The history rows' ids are needed only to record many-to-many links in them.
        tracked_links = any(
            HistoricalRecords.m2m_models.get(meta.get_field(name)) is not None for name in m2m or {}
        )
        history_ids = _insert_history(
            model, columns, len(rows), now=now, reason=reason, using=using, ids=tracked_links
        )
    for name, related in (m2m or {}).items():
        _insert_m2m(meta.get_field(name), ids, related, history_ids, using=using)
    announce(model, ids, columns)  # no model signals were sent
    return ids


def _insert_m2m(field, ids: list, related: list[list], history_ids: list | None, *, using: str):
    """Link every new record to its related records, and record the links in its history row
    when simple-history tracks the field (as ``create_historical_record_m2ms`` does)."""
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name())
    target = through._meta.get_field(field.m2m_reverse_field_name())
    pairs = [(pk, other) for pk, others in zip(ids, related, strict=True) for other in others]
    if not pairs:
        return
    link_ids = insert_rows(
        through,
        [source.column, target.column],
        pairs,
        using=using,
        returning=through._meta.pk.column,
    )
    m2m_history_model = HistoricalRecords.m2m_models.get(field)
    if history_ids is None or m2m_history_model is None:
        return
    history_of = dict(zip(ids, history_ids, strict=True))
    values = {
        through._meta.pk.attname: link_ids,
        source.attname: [pk for pk, _ in pairs],
        target.attname: [other for _, other in pairs],
        "history_id": [history_of[pk] for pk, _ in pairs],
    }
    fields = [f for f in m2m_history_model._meta.concrete_fields if f.attname in values]
    insert_rows(
        m2m_history_model,
        [f.column for f in fields],
        list(zip(*(values[f.attname] for f in fields), strict=True)),
        using=using,
    )


def validate_column(field, values: list) -> None:
    """Check every value of a column with the field's own rules (``Field.clean``, as
    ``full_clean()`` does: maximum length, choices, blank, null, validators); raise
    :class:`RowRefused` naming the field for the first value refused.

    A relation is left to the database (its ``clean`` asks the database whether the related
    record exists, one query per value), as is the time of the insert. Each distinct value is
    checked once: most columns hold a few (a role, a default), and the check stays cheap for the
    others (names, amounts).
    """
    if field.is_relation or (
        isinstance(field, DateField) and (field.auto_now or field.auto_now_add)
    ):
        return
    column = values
    types = set(map(type, values))  # at C speed, as the set below
    if all(issubclass(kind, _SAME_WHEN_EQUAL) for kind in types):
        values = set(values)
    elif types & {dict, list}:  # JSON: an empty default is checked once, other values each
        empties = {type(v): v for v in values if _is_empty_json(v)}
        values = [v for v in values if not _is_empty_json(v)] + list(empties.values())
    for value in values:
        try:
            fieldchecks.clean(field, value)
        except ValidationError as exc:
            row = next(i for i, v in enumerate(column, 1) if v is value or v == value)
            raise RowRefused({field.name: exc.messages}, row=row) from exc


def check_references(model, fields, values: dict[str, list], *, using: str) -> None:
    """Refuse a row whose related record does not exist, as ``full_clean()`` does, asking the
    database once per statement's worth of distinct ids rather than once per row."""
    step = _params_per_statement(connections[using])
    for field in fields:
        if not isinstance(field, ForeignKey):
            continue
        column = values[field.attname]
        ids = list(set(column) - {None})
        target = field.remote_field.model._base_manager.using(using)
        found = {pk for (pk,) in rows_in(target, "pk", ids, step=step)}
        if len(found) < len(ids):
            row, missing = next(
                (i, v) for i, v in enumerate(column, 1) if v not in found and v is not None
            )
            raise RowRefused(f"{field.verbose_name} {missing} finns inte.", row=row)


def check_clean(model, values: dict[str, list], count: int) -> None:
    """Put every row through the model's own ``clean()`` (rules across fields, such as an end
    date after the start date), when the model has one."""
    if model.clean is Model.clean:
        return
    names = [f.attname for f in model._meta.concrete_fields]
    columns = [values.get(name) or [None] * count for name in names]
    make = model.__new__
    # ``clean()`` reads the record's attributes: each row becomes an instance holding its values,
    # without ``Model.__init__`` looking every field up again for every row.
    for row, row_values in enumerate(zip(*columns, strict=True), 1):
        obj = make(model)
        obj.__dict__.update(zip(names, row_values, strict=True), _state=ModelState())
        try:
            obj.clean()
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise RowRefused(messages, row=row) from exc


def _is_empty_json(value) -> bool:
    """Whether ``value`` is an empty JSON object or list (a JSON field's default)."""
    return type(value) in (dict, list) and not value


def _values(field, rows: list[dict], now, given: bool = True) -> list:
    """The field's value for every row: the row's own, else the default or the time now.
    ``given`` says whether any row has a value of its own for the field."""
    name = field.attname
    if isinstance(field, DateField) and (field.auto_now or field.auto_now_add):
        value = now if isinstance(field, DateTimeField) else timezone.localdate(now)
        return [value] * len(rows)
    if field.has_default() and callable(field.default):  # a fresh value per row (dict, list)
        return [row[name] if name in row else field.get_default() for row in rows]
    default = field.get_default()
    if not given:
        return [default] * len(rows)
    return [row.get(name, default) for row in rows]


def _sets_own_value(field) -> bool:
    """Whether ``field.pre_save`` may give another value than the attribute, beyond the
    ``auto_now(_add)`` of date fields that :func:`_values` handles."""
    if isinstance(field, DateField):
        return type(field).pre_save not in (
            Field.pre_save,
            DateField.pre_save,
            DateTimeField.pre_save,
        )
    return type(field).pre_save is not Field.pre_save


def _plain_type(field) -> type:
    target = field.target_field if field.is_relation else field
    # ``object`` never is a value's exact type: every value of the field is converted.
    return _PLAIN_TYPES.get(target.get_internal_type(), object)


def _prepare(field, values: list, connection) -> list:
    """Convert values with ``field.get_db_prep_save`` where the driver cannot take them as they
    are. Each distinct value of an exact type whose equal values convert alike (a choice, a
    date, the time of the insert shared by every row; see ``_SAME_WHEN_EQUAL``) and each empty
    JSON object or list (a field's default) is converted once."""
    plain = _plain_type(field)
    types = set(map(type, values))
    if types <= {plain, NoneType}:  # the usual case, checked at C speed
        return values
    prep = field.get_db_prep_save
    if isinstance(field, JSONField) and field.encoder is None and connection.vendor == "sqlite":
        prep = _json_on_sqlite(prep)
    kinds = types - {NoneType}
    if len(kinds) == 1 and issubclass(next(iter(kinds)), _SAME_WHEN_EQUAL):
        # One type (a date column, the time of the insert, a choice): its distinct values
        # converted once each, the column mapped at C speed. Equal values of two types (a
        # choice and its plain text) are never mixed up here: they take the loop below.
        done = {value: prep(value, connection) for value in set(values) if value is not None}
        done[None] = None
        return list(map(done.__getitem__, values))
    prepared = []
    done: dict = {}
    for value in values:
        kind = type(value)
        if value is None or kind is plain:
            prepared.append(value)
            continue
        if isinstance(value, _SAME_WHEN_EQUAL):
            key = (kind, value)
        elif _is_empty_json(value):
            key = kind
        else:
            prepared.append(prep(value, connection))
            continue
        converted = done.get(key, _NOTHING)
        if converted is _NOTHING:
            converted = done[key] = prep(value, connection)
        prepared.append(converted)
    return prepared


# What orjson leaves to the standard library: dates and times, dataclasses and subclasses of
# str, int, dict and list, which json.dumps writes otherwise or refuses.
_ORJSON_PLAIN = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _json_on_sqlite(django_prep):
    """Return a function that gives what ``django_prep`` (a JSON field's
    ``get_db_prep_save``) gives on SQLite for a dict or list: the same JSON as its
    ``json.dumps(value)``, written by orjson (a tenth of the time on an import's rows; without
    spaces, and UTF-8 for \\u escapes: it reads back the same). What orjson would write
    otherwise or refuses (a key that is not a string, a number beyond 64 bits, NaN, which it
    writes as null, the types above) and anything but a dict or a list go Django's own way. The
    values are those a JSON field takes: checked by it, or a caller's own texts, numbers, lists
    and dicts."""

    def prep(value, connection):
        if type(value) in (dict, list):
            try:
                text = orjson.dumps(value, option=_ORJSON_PLAIN)
            except TypeError:  # orjson.JSONEncodeError
                pass
            else:
                if b"null" not in text:  # a None, or a NaN or infinity orjson made null
                    return text.decode()
        return django_prep(value, connection)

    return prep


def _params_per_statement(connection) -> int:
    limit = _MAX_PARAMS
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)
        limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999
    return min(limit, _MAX_PARAMS)


def _rows_per_statement(connection, width: int) -> int:
    return max(1, min(_MAX_ROWS, _params_per_statement(connection) // max(width, 1)))


def insert_rows(model, columns: list[str], rows: list[tuple], *, using: str, returning=None):
    """Insert ready-made rows (values already prepared for the database) into a model's table.

    Return the values of the column ``returning`` for every row, in order, when it is given.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES "
    tail = f" RETURNING {table}.{qn(returning)}" if returning else ""
    placeholder = _placeholder(connection)
    one = "(" + ", ".join([placeholder] * len(columns)) + ")"
    step = _rows_per_statement(connection, len(columns))
    statements: dict[int, str] = {}
    returned = []
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            batch = rows[start : start + step]
            sql = statements.get(len(batch))
            if sql is None:
                sql = statements[len(batch)] = head + ", ".join([one] * len(batch)) + tail
            params = list(chain.from_iterable(batch))
            if placeholder == "?":
                # Through Django's cursor and its execute wrappers (query counts, the tests'
                # query capture), without the SQLite cursor's rewriting of ``%s``: there is none.
                cursor._execute_with_wrappers(sql, params, many=False, executor=_execute_qmark)
            else:
                cursor.execute(sql, params)
            if returning:
                returned.extend(value for (value,) in cursor.fetchall())
    return returned if returning else None


def _execute_qmark(sql: str, params: list, many: bool, context: dict):
    """Execute a statement written with SQLite's own ``?`` placeholders as Django's cursor
    does (``CursorWrapper._execute``: refused in a broken transaction, errors as Django's), on
    the driver's cursor: Django's SQLite cursor would search the whole statement for ``%s``
    with a regular expression first, a tenth of an import's writing on its long statements."""
    wrapper = context["cursor"]
    wrapper.db.validate_no_broken_transaction()
    with wrapper.db.wrap_database_errors:
        return sqlite3.Cursor.execute(wrapper.cursor, sql, params)


def _placeholder(connection) -> str:
    """Return the placeholder of a value in :func:`insert_rows`' statements.

    Django's SQLite cursor turns every ``%s`` of a statement into SQLite's own ``?`` with a
    regular expression, on every statement: on an import's statements of 30,000 values that
    costs a tenth of writing them. SQLite is given its own placeholder, which the expression
    finds none of, unless the connection logs its queries (DEBUG, ``assertNumQueries``): the
    log quotes the values into the ``%s`` of the statement."""
    if connection.vendor == "sqlite" and not connection.queries_logged:
        return "?"
    return "%s"


def ids_per_statement(model) -> int:
    """Return how many ids one ``IN (...)`` list of a statement on ``model``'s database holds."""
    return _params_per_statement(connections[router.db_for_write(model)])


def delete_rows(model, ids: list, *, using: str = "default") -> None:
    """Delete rows of ``model`` by id with plain SQL: no signals, so no history rows. The caller
    deletes or unlinks their dependents first."""
    connection = connections[using]
    qn = connection.ops.quote_name
    head = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN "
    connection.ensure_connection()
    step = _rows_per_statement(connection, 1)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), step):
            batch = ids[start : start + step]
            cursor.execute(head + "(" + ", ".join(["%s"] * len(batch)) + ")", batch)
    announce(model, ids)  # no model signals were sent


def _insert_history(
    model, columns: dict, count: int, *, now, reason: str, using: str, ids: bool = True
) -> list | None:
    """Write a "+" history row per record, as simple-history's ``bulk_history_create``, and
    return the history rows' ids in the order of the records (with ``ids``; else None: the
    database is not asked to return them).

    ``columns`` holds the records' values as just inserted, by attribute name.
    """
    history_model = get_history_manager_for_model(model).model
    connection = connections[using]
    tracked = {f.attname for f in history_model.tracked_fields}
    # simple-history's default user (the request's, when there is one), asked once.
    user = history_model.get_default_history_user(model.__new__(model))
    computed = {
        "history_date": [now] * count,
        "history_change_reason": [reason] * count,
        "history_type": ["+"] * count,
        "history_relation_id": columns[model._meta.pk.attname],
        "history_user_id": [getattr(user, "pk", user)] * count,  # a foreign key or a plain id
    }
    fields, values = [], []
    for field in history_model._meta.concrete_fields:
        if field is history_model._meta.pk:
            continue
        if field.attname in tracked:
            values.append(columns[field.attname])
        elif field.attname in computed:
            values.append(_prepare(field, computed[field.attname], connection))
        else:  # a field simple-history adds that the import does not set: its default
            values.append(_prepare(field, [field.get_default()] * count, connection))
        fields.append(field)
    return insert_rows(
        history_model,
        [f.column for f in fields],
        list(zip(*values, strict=True)),
        using=using,
        returning=history_model._meta.pk.column if ids else None,
    )
