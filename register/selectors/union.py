"""The one place where the selectors go past the ORM's plain tools, and why.

Every other page is plain ORM: ``select_related``, ``prefetch_related`` with ``Prefetch``,
annotations and subqueries. Two page parts cannot stay within the budget of 15 queries per page
(tests/register/web/test_page_queries.py, tests/register/web/test_views.py) or within the
server time of bench/pages.py that way, so this module holds their two tools:

``union_instances``
    Rows of several models from ONE ``QuerySet.union`` (each part an ordinary queryset, already
    narrowed by ``Access``), their columns packed by ``JSONObject`` so that models of different
    shapes fit one result; each row becomes an instance through ``Model.from_db``, the ORM's own
    hook for loading a row (fields not loaded are deferred, never guessed). Used for an
    arrangement's five follow-up sections (goals, contributions, goal conflicts, evaluations,
    alternatives) and for the change log's history rows. As five prefetches the sections would
    make a fully filled arrangement page run four more queries; the change log covers
    twelve models (``changelog.LOG_MODELS``) and would need a query for each.

``cached_rows``
    The change log's UNION of twelve history tables, each narrowed by ``Access.visible_q``, takes
    longer for Django to build and compile than for the database to run (bench/pages.py,
    ``arrangement_detail``, shows how much). Its SQL is therefore compiled once per shape (which
    parts, how many of the user's organisations, database vendor, limit), with sentinel numbers
    where the primary keys go, and run with the real keys put in their place.

Why not five prefetches for the follow-up sections: a query each, where the UNION is one; the
list, arrangement and organisation pages are measured by bench/pages.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import DEFERRED, CharField, F, QuerySet, Value
from django.db.models.functions import JSONObject


def from_json(model, values: dict, db: str):
    """Return an instance of ``model`` loaded by ``Model.from_db`` from JSON ``values`` (each
    converted by its field's ``to_python``; fields missing from them are deferred)."""
    row = []
    names = []
    for f in model._meta.concrete_fields:
        if f.attname in values:
            value = values[f.attname]
            row.append(None if value is None else f.to_python(value))
            names.append(f.attname)
        else:
            row.append(DEFERRED)
    return model.from_db(db, names, row)


def union_instances(specs: list[tuple[QuerySet, dict[str, list[str]]]]) -> list:
    """Load rows of several models in one UNION query and return them as model instances.

    Each spec is a queryset and the related objects to load with it, as
    ``{"goal": ["title", ...], "goal__organisation": ["name"]}``: each related object gets its
    primary key from the foreign key and the listed fields (the rest deferred).
    """
    if not specs:
        return []
    querysets = []
    for queryset, relations in specs:
        model = queryset.model
        data = JSONObject(**{f.attname: F(f.attname) for f in model._meta.concrete_fields})
        related = {
            f"{path}__{name}": F(f"{path}__{name}")
            for path, names in relations.items()
            for name in names
        }
        querysets.append(
            queryset.order_by()
            .annotate(
                u_model=Value(model._meta.label_lower, output_field=CharField()),
                u_data=data,
                u_related=JSONObject(**related) if related else JSONObject(none=Value(None)),
            )
            .values("u_model", "u_data", "u_related")
        )
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    by_label = {qs.model._meta.label_lower: (qs.model, rel) for qs, rel in specs}
    db = specs[0][0].db
    result = []
    for row in combined:
        model, relations = by_label[row["u_model"]]
        obj = from_json(model, row["u_data"] or {}, db)
        related_values = row["u_related"] or {}
        for path in sorted(relations, key=lambda p: p.count("__")):
            *parents, last = path.split("__")
            owner = obj
            for name in parents:
                owner = getattr(owner, name) if owner is not None else None
            if owner is None:
                continue
            fk = owner._meta.get_field(last)
            fk_id = getattr(owner, fk.attname)
            if fk_id is None:
                continue
            values = {name: related_values.get(f"{path}__{name}") for name in relations[path]}
            values[fk.related_model._meta.pk.attname] = fk_id
            setattr(owner, last, from_json(fk.related_model, values, db))
        result.append(obj)
    return result


_COMPILED: dict[tuple, tuple[str, tuple]] = {}
_SENTINEL = -987_654_000  # never a primary key


def cached_rows(
    key: tuple,
    build: Callable[[list[int]], QuerySet],
    values: Sequence[int],
    columns: Sequence[str],
) -> list[dict]:
    """Return the rows of ``build(sentinels)`` with ``values`` in the sentinels' place, as
    dicts of ``columns``, compiling its SQL only the first time for ``key``.

    ``build`` gets one sentinel number per value and must use each only where that value goes
    (as a primary key in a filter), so that the compiled SQL is the same for every value.
    """
    sentinels = [_SENTINEL - i for i in range(len(values))]
    cache_key = (key, len(values), connection.vendor)
    compiled = _COMPILED.get(cache_key)
    if compiled is None:
        sql, params = build(sentinels).query.sql_with_params()
        compiled = _COMPILED[cache_key] = (sql, tuple(params))
    sql, params = compiled
    mapping = dict(zip(sentinels, values, strict=True))
    real = [
        mapping.get(p, p) if isinstance(p, int) and not isinstance(p, bool) else p for p in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, real)
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
