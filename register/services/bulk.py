"""Insert many new records, and their history rows, without building model instances: the
register's one bulk write path (the importer's commit and ``seed_scale`` use it; everything else
goes through the services one record at a time). :func:`validate` puts the rows through the same
field and model rules as ``full_clean()`` before they are written.

Why this exists: committing a large file creates well over 100,000 records and as many history
rows. Django's ``Model.__init__`` looks up every field for every instance, ``bulk_create``
compiles every value of every row through the SQL compiler (``prepare_value``,
``field_as_sql``, ...), and simple-history's ``bulk_create_with_history`` builds a historical
model instance per record and resolves the history user per record. That took about 80 % of a
commit. Here the records are given as plain dicts, one ``INSERT ... VALUES (...), (...)
RETURNING id`` statement is built per table and batch size, the values are read column by
column and passed through ``field.get_db_prep_save`` only when they are not already a plain
value the database driver takes as it is (a ``str`` for a text column, an ``int`` for an
integer column, ...), and the history rows are built as plain tuples with the history user,
date and change reason resolved once.

Before anything is written every value is checked with its model field's own rules, those of
``full_clean()``: maximum length, choices, blank and null, and the field's validators (ranges,
organisation numbers ...), each distinct value of a column once. SQLite does not enforce a
column's length, PostgreSQL does; checked here, a value too long is refused alike on both. What
the database enforces itself on every backend (foreign keys, unique and check constraints) is
left to it, and a model's own ``clean()`` (rules across fields, such as an end date after the
start date) is checked where the import plans the record (``importers.planning``).

What is written is what ``Model(**row)`` followed by ``bulk_create_with_history`` writes: a
field missing from a row gets its default, ``auto_now``/``auto_now_add`` fields get the time of
the insert, and every record gets one history row of type "+" with simple-history's default
history user, the date and the change reason. Many-to-many links given with the records are
written as ``.set()`` writes them, and recorded in the history row when simple-history tracks
the field.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from types import NoneType

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, router
from django.db.models import DateField, DateTimeField, Field, ForeignKey
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from ..public import cache as public_cache

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


def validate(model, rows: list[dict]) -> None:
    """Check rows for ``model`` (given as to :func:`insert`) as ``full_clean()`` checks a form's
    record: lengths, choices, required values, the fields' validators and the model's
    ``clean()``. Uniqueness and database constraints are left to the database (the insert fails
    as a whole). Foreign keys are checked once per distinct id and field, not once per row.
    Raise ``ValidationError`` naming the first row that breaks a rule.
    """
    if not rows:
        return
    foreign = [
        f for f in model._meta.concrete_fields if isinstance(f, ForeignKey) and f.attname in rows[0]
    ]
    for field in foreign:
        ids = {row.get(field.attname) for row in rows} - {None}
        target = field.remote_field.model._base_manager
        found: set = set()
        listed = list(ids)
        for start in range(0, len(listed), 500):
            chunk = listed[start : start + 500]
            found.update(target.filter(pk__in=chunk).values_list("pk", flat=True))
        if ids - found:
            raise ValidationError(
                f"{model._meta.verbose_name.capitalize()}: {field.verbose_name} "
                f"{sorted(ids - found)[0]} finns inte."
            )
    exclude = [f.name for f in foreign]
    for index, row in enumerate(rows):
        obj = model(**row)
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages = "; ".join(
                f"{_label(model, name)}: {' '.join(texts)}"
                if name != "__all__"
                else " ".join(texts)
                for name, texts in error.message_dict.items()
            )
            raise ValidationError(
                f"{model._meta.verbose_name.capitalize()}, rad {index + 1}: {messages}"
            ) from error


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
    a column of the model and ``ValidationError`` for a value its field refuses (see the module
    docstring), before anything is written; ``validate_values=False`` skips that check, for
    records the importer makes of its own values only.
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
    for field in fields if validate_values else ():
        validate_column(field, values[field.attname])
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
        return [obj.pk for obj in objs]
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
        history_ids = _insert_history(
            model, columns, len(rows), now=now, reason=reason, using=using
        )
    for name, related in (m2m or {}).items():
        _insert_m2m(meta.get_field(name), ids, related, history_ids, using=using)
    # No signals here: tell the public pages' cache that the data changed.
    public_cache.bump_on_commit()
    return ids


def _label(model, name: str) -> str:
    """The field's Swedish name for a message (``name`` when the model has no such field)."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


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
    ``ValidationError`` naming the field for the first value refused.

    A relation is left to the database (its ``clean`` asks the database whether the related
    record exists, one query per value), as is the time of the insert. Each distinct value is
    checked once: most columns hold a few (a role, a default), and the check stays cheap for the
    others (names, amounts).
    """
    if field.is_relation or (
        isinstance(field, DateField) and (field.auto_now or field.auto_now_add)
    ):
        return
    types = set(map(type, values))  # at C speed, as the set below
    if all(issubclass(kind, _SAME_WHEN_EQUAL) for kind in types):
        values = set(values)
    elif types & {dict, list}:  # JSON: an empty default is checked once, other values each
        empties = {type(v): v for v in values if _is_empty_json(v)}
        values = [v for v in values if not _is_empty_json(v)] + list(empties.values())
    for value in values:
        try:
            field.clean(value, None)
        except ValidationError as exc:
            raise ValidationError({field.name: exc.messages}) from exc


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
    if set(map(type, values)) <= {plain, NoneType}:  # the usual case, checked at C speed
        return values
    prep = field.get_db_prep_save
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


def _rows_per_statement(connection, width: int) -> int:
    limit = _MAX_PARAMS
    if connection.vendor == "sqlite":
        raw = connection.connection
        getlimit = getattr(raw, "getlimit", None)
        limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999
    return max(1, min(_MAX_ROWS, min(limit, _MAX_PARAMS) // max(width, 1)))


def insert_rows(model, columns: list[str], rows: list[tuple], *, using: str, returning=None):
    """Insert ready-made rows (values already prepared for the database) into a model's table.

    Return the values of the column ``returning`` for every row, in order, when it is given.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES "
    tail = f" RETURNING {table}.{qn(returning)}" if returning else ""
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
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
            cursor.execute(sql, [value for row in batch for value in row])
            if returning:
                returned.extend(value for (value,) in cursor.fetchall())
    return returned if returning else None


def dependent_relations(model) -> list:
    """Return the relations that point at ``model`` (reverse foreign keys and one-to-ones): what
    deleting a row of it cascades to, sets to null or is refused by. The same relations Django's
    deletion collector follows, found through the public ``_meta.get_fields()`` API."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def delete_rows(model, ids: list, *, using: str = "default") -> None:
    """Delete rows of ``model`` by id with plain SQL: no signals, so no history rows. The caller
    deletes or unlinks their dependents first (:func:`dependent_relations`)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    head = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN "
    connection.ensure_connection()
    step = _rows_per_statement(connection, 1)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), step):
            batch = ids[start : start + step]
            cursor.execute(head + "(" + ", ".join(["%s"] * len(batch)) + ")", batch)
    public_cache.bump_on_commit()


def _insert_history(model, columns: dict, count: int, *, now, reason: str, using: str) -> list:
    """Write a "+" history row per record, as simple-history's ``bulk_history_create``, and
    return the history rows' ids in the order of the records.

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
        returning=history_model._meta.pk.column,
    )
