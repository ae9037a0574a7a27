"""Insert many model objects, and their history rows, without Django's per-value SQL compilation.

Why this exists: committing a large file creates well over 100,000 records and as many history
rows. Django's ``bulk_create`` compiles every value of every row through the SQL compiler
(``prepare_value``, ``field_as_sql``, ...), and simple-history's ``bulk_create_with_history``
first builds a historical model instance per record and resolves the history user per record.
That took about 70 % of a commit. Here one ``INSERT ... VALUES (...), (...) RETURNING id``
statement is built per table and batch size, the values are read column by column and passed
through ``field.get_db_prep_save`` only when they are not already a plain value the database
driver takes as it is (a ``str`` for a text column, an ``int`` for an integer column, ...), and
the history rows are built as plain tuples with the history user, date and change reason
resolved once.

What is written is the same as ``bulk_create_with_history`` writes: every record gets one
history row of type "+" with the history user (the record's ``_history_user`` or simple-history's
default user), the date and the change reason (the record's ``_change_reason`` or the default).
Like ``bulk_history_create``, no history is written for many-to-many fields.
"""

from __future__ import annotations

import sqlite3
from operator import attrgetter
from types import NoneType

from django.conf import settings
from django.db import connections, router
from django.db.models import DateField, Field
from django.db.models.base import ModelState
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

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

_MAX_ROWS = 1000  # rows per INSERT statement
_MAX_PARAMS = 30_000  # values per statement (PostgreSQL takes at most 65,535)
_NOTHING = object()


def _plain_type(field) -> type:
    target = field.target_field if field.is_relation else field
    # ``object`` never is a value's exact type: every value of the field is converted.
    return _PLAIN_TYPES.get(target.get_internal_type(), object)


def _column(field, objs: list, connection) -> list:
    """The values of one field for every object, ready for the database driver."""
    if _sets_value_on_save(field):  # auto_now(_add) and the like
        values = [field.pre_save(obj, True) for obj in objs]
    else:
        values = list(map(attrgetter(field.attname), objs))
    if field.is_relation:  # a related object assigned before it was saved, as Django checks
        cache_name = field.cache_name
        for index, value in enumerate(values):
            related = objs[index]._state.fields_cache.get(cache_name) if value is None else None
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"Unsaved related object in {field.name}.")
                values[index] = related.pk
    return _prepare(field, values, connection)


def _sets_value_on_save(field) -> bool:
    """Whether ``field.pre_save`` may give another value than the attribute (Django's
    ``bulk_create`` calls it for every field; most just return the attribute)."""
    if isinstance(field, DateField):  # DateTimeField too
        return field.auto_now or field.auto_now_add
    return type(field).pre_save is not Field.pre_save


def _prepare(field, values: list, connection) -> list:
    """Convert values with ``field.get_db_prep_save`` where the driver cannot take them as they
    are. A value that is the very object converted just before (the history date shared by every
    history row) is converted once."""
    plain = _plain_type(field)
    if set(map(type, values)) <= {plain, NoneType}:  # the usual case, checked at C speed
        return values
    prep = field.get_db_prep_save
    prepared = []
    last, last_prepared = _NOTHING, None
    for value in values:
        if value is None or type(value) is plain:
            prepared.append(value)
        else:
            if value is not last:
                last, last_prepared = value, prep(value, connection)
            prepared.append(last_prepared)
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


_defaults: dict = {}


def new(model, **values):
    """A new, unsaved instance of ``model``, as ``model(**values)`` but several times faster.

    Django's ``Model.__init__`` looks up every field of the model for every instance; a commit
    builds well over 100,000 instances. Here the fields' defaults are looked up once per model.
    A value given by attribute name (``organisation_id``) is stored as it is; one given by field
    name (``organisation=org``) goes through the field's descriptor as in ``__init__``. Meant for
    the plain models of the import: no ``pre_init``/``post_init`` signal is sent.
    """
    defaults = _defaults.get(model)
    if defaults is None:
        fixed, dynamic = {}, []
        for field in model._meta.concrete_fields:
            if callable(field.default):
                dynamic.append(field)
            else:
                fixed[field.attname] = field.get_default()
        defaults = _defaults[model] = (
            fixed,
            dynamic,
            frozenset(fixed) | {f.attname for f in dynamic},
        )
    fixed, dynamic, attnames = defaults
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(fixed)
    for field in dynamic:
        if field.attname not in values:
            state[field.attname] = field.get_default()
    for name, value in values.items():
        if name in attnames:  # a column: nothing to resolve, nor any cached object to clear
            state[name] = value
        else:  # a related object (``organisation=org``) goes through its descriptor
            setattr(obj, name, value)
    return obj


def bulk_create(objs: list, model=None, *, history: bool = True, reason: str = "") -> list:
    """Insert new, unsaved objects of one model and set their primary keys.

    With ``history``, also write one history row per object as ``bulk_create_with_history``
    does, with ``reason`` as the change reason of objects that carry none of their own.
    """
    if not objs:
        return objs
    model = model or type(objs[0])
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    pk = meta.pk
    fields = [
        f
        for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (f is not pk or getattr(objs[0], pk.attname))
    ]
    if pk not in fields and not connection.features.can_return_rows_from_bulk_insert:
        # SQLite before 3.35 cannot return ids from an insert: Django's own, slower way.
        if history:
            return bulk_create_with_history(objs, model, default_change_reason=reason)
        return model._default_manager.bulk_create(objs)
    prepared = {f.attname: _column(f, objs, connection) for f in fields}
    ids = insert_rows(
        model,
        [f.column for f in fields],
        list(zip(*prepared.values(), strict=True)),
        using=using,
        returning=None if pk in fields else pk.column,
    )
    if ids is not None:
        prepared[pk.attname] = ids
    for index, obj in enumerate(objs):
        if ids is not None:
            setattr(obj, pk.attname, ids[index])
        obj._state.adding = False
        obj._state.db = using
    if history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        _bulk_history(objs, model, prepared, reason=reason, using=using)
    return objs


def _bulk_history(objs: list, model, prepared: dict, *, reason: str, using: str) -> None:
    """Write a "+" history row per object, as simple-history's ``bulk_history_create``.

    ``prepared`` holds the objects' values as just inserted, by attribute name.
    """
    history_model = get_history_manager_for_model(model).model
    connection = connections[using]
    tracked = {f.attname for f in history_model.tracked_fields}
    default_user = history_model.get_default_history_user(objs[0])
    now = timezone.now()
    user_values = []
    for obj in objs:
        user = getattr(obj, "_history_user", default_user)
        user_values.append(getattr(user, "pk", user))
    computed = {
        "history_date": [getattr(obj, "_history_date", now) for obj in objs],
        "history_change_reason": [getattr(obj, "_change_reason", None) or reason for obj in objs],
        "history_type": ["+"] * len(objs),
        "history_relation_id": [obj.pk for obj in objs],
        "history_user_id": user_values,  # the attname whether a foreign key or a plain id
    }
    fields, columns = [], []
    for field in history_model._meta.concrete_fields:
        if field is history_model._meta.pk:
            continue
        if field.attname in tracked and field.attname in prepared:
            fields.append(field)
            columns.append(prepared[field.attname])
            continue
        if field.attname in tracked:
            values = [getattr(obj, field.attname) for obj in objs]
        elif field.attname in computed:
            values = computed[field.attname]
        else:  # a field simple-history adds that the import does not set: its default
            values = [field.get_default()] * len(objs)
        fields.append(field)
        columns.append(_prepare(field, values, connection))
    insert_rows(
        history_model,
        [f.column for f in fields],
        list(zip(*columns, strict=True)),
        using=using,
    )
