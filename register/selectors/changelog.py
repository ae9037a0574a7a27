"""The change log: history rows of several models as one UNION query, limited to what the
user may see now (``Access.visible_q``), with the fields that changed in each version as
simple-history's ``diff_against`` finds them. The UNION and its compiled-SQL cache are the
selectors' documented exception to plain ORM loading (register/selectors/union.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    CharField,
    F,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, Lag
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import rules
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Organisation,
    Participation,
    Person,
    Review,
    Seat,
    TotalCost,
)
from .union import cached_rows, from_json

HIDDEN_LOG_FIELDS = {"id", "created_at", "updated_at", "extra_fields"}
INTERNAL_FIELDS = {"internal_note", "email", "phone"}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    internal: bool = False


@dataclass
class LogEntry:
    model: str
    model_label: str
    object_id: int
    object_label: str
    date: dt.datetime
    user: str
    action: str
    changes: list[FieldChange]
    reason: str = ""


LOG_MODELS = {
    "arrangement": Arrangement,
    "participation": Participation,
    "cost": Cost,
    "totalcost": TotalCost,
    "body": Body,
    "seat": Seat,
    "decision": Decision,
    "goal": Goal,
    "contribution": Contribution,
    "goalconflict": GoalConflict,
    "evaluation": Evaluation,
    "alternative": Alternative,
    "organisation": Organisation,
    "person": Person,
    "review": Review,
}


def _log_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname not in HIDDEN_LOG_FIELDS and not f.primary_key
    ]


def _log_part(model, condition: Q, label) -> QuerySet:
    """Return one model's history rows as uniform values for the change-log UNION."""
    history = model.history.model
    if not hasattr(label, "resolve_expression"):
        label = Value(str(label), output_field=CharField())
    data = JSONObject(**{f.attname: F(f.attname) for f in _log_fields(model)})
    return (
        history.objects.filter(condition)
        .order_by()
        .annotate(
            log_model=Value(model._meta.model_name, output_field=CharField()),
            log_object_id=F("id"),
            log_history_id=F("history_id"),
            log_date=F("history_date"),
            log_type=F("history_type"),
            log_user=Coalesce(F("history_user__username"), Value(""), output_field=CharField()),
            log_reason=Coalesce(F("history_change_reason"), Value(""), output_field=CharField()),
            log_label=Cast(label, output_field=CharField()),
            log_data=data,
            log_prev=Window(Lag(data), partition_by=[F("id")], order_by=F("history_id").asc()),
        )
        .values(*LOG_COLUMNS)
    )


def _display(model, field_obj, value, known: dict) -> str:
    if value is None or value == "":
        return "–"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if field_obj.get_internal_type() == "BooleanField":
        return "Ja" if value in (True, 1, "1", "true") else "Nej"
    if field_obj.is_relation:
        name = known.get((field_obj.related_model._meta.model_name, value))
        return name or f"nr {value}"
    internal_type = field_obj.get_internal_type()
    if internal_type in {"BigIntegerField", "IntegerField", "PositiveIntegerField"}:
        return rules.format_number(value)
    if internal_type in {"DecimalField", "FloatField"}:
        return rules.format_decimal(value)
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


def _changes(
    model, data, prev, *, show_internal: bool, mention_internal: bool, known: dict
) -> list[FieldChange]:
    """Return what changed from version ``prev`` to ``data`` (JSON values of the history rows),
    by simple-history's ``HistoricalRecord.diff_against``, in the model's field order."""
    if prev is None:
        return []
    # Only fields whose stored values differ can have changed (both versions come from the same
    # columns); which of them did is diff_against's verdict on the typed values.
    fields = [f for f in _log_fields(model) if data.get(f.attname) != prev.get(f.attname)]
    if not fields:
        return []
    history = model.history.model
    db = connection.alias
    loaded = {f.attname for f in fields}
    new = from_json(history, {k: v for k, v in data.items() if k in loaded}, db)
    old = from_json(history, {k: v for k, v in prev.items() if k in loaded}, db)
    delta = new.diff_against(old, included_fields=[f.name for f in fields])
    changed = {change.field: change for change in delta.changes}
    changes = []
    for f in fields:
        change = changed.get(f.name)
        if change is None or (change.old in (None, "") and change.new in (None, "")):
            continue
        internal = f.name in INTERNAL_FIELDS
        if internal and not (show_internal or mention_internal):
            continue
        label = str(f.verbose_name)
        label = label[:1].upper() + label[1:]
        if internal and not show_internal:
            changes.append(FieldChange(f.name, label, "", "", internal=True))
        else:
            changes.append(
                FieldChange(
                    f.name,
                    label,
                    _display(model, f, change.old, known),
                    _display(model, f, change.new, known),
                    internal=internal,
                )
            )
    return changes


def _object_label(model, label) -> str:
    if model is Alternative and label:
        return str(dict(Alternative.Kind.choices).get(label, label))
    return "" if label is None else str(label)


ACTIONS = {"+": "Skapades", "~": "Ändrades", "-": "Togs bort"}


LOG_COLUMNS = (
    "log_model",
    "log_object_id",
    "log_history_id",
    "log_date",
    "log_type",
    "log_user",
    "log_reason",
    "log_label",
    "log_data",
    "log_prev",
)


def _log_queryset(parts, limit: int) -> QuerySet:
    querysets = [_log_part(model, cond, label) for model, cond, label in parts]
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    return combined.order_by("-log_date", "-log_history_id")[: limit * 2]


def change_log(
    parts: list[tuple[type, Q, Any]],
    *,
    show_internal: bool = False,
    mention_internal: bool = False,
    known: dict | None = None,
    limit: int = 50,
) -> list[LogEntry]:
    """Return the newest ``limit`` history entries of several models as one list, in one query.

    ``parts`` are (model, condition on its historical model, label expression). Each entry
    carries the fields that changed since the version before it. Internal fields (notes,
    officials' contact details) show their values with ``show_internal``, are mentioned without
    values with ``mention_internal``, and are left out otherwise.
    """
    if not parts:
        return []
    return _log_entries(
        _log_queryset(parts, limit),
        show_internal=show_internal,
        mention_internal=mention_internal,
        known=known or {},
        limit=limit,
    )


def _cached_log_rows(key: tuple, build_parts, values: list, limit: int) -> list[dict]:
    """Return change-log rows for ``build_parts(sentinels)`` with ``values`` in their place,
    by ``union.cached_rows`` (the twelve-way UNION costs more to compile than to run)."""
    rows = cached_rows(
        (*key, limit),
        lambda sentinels: _log_queryset(build_parts(sentinels), limit),
        values,
        LOG_COLUMNS,
    )
    for row in rows:
        row["log_date"] = _as_datetime(row["log_date"])
        for name in ("log_data", "log_prev"):
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
    return rows


def _as_datetime(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


# The records a changed reference is named by (their names are their own fields).
NAMED_REFERENCES = (Organisation, Person, Goal, Body, Arrangement)


def _name_references(rows, known: dict, access: Access | None) -> dict:
    """Return ``known`` with the names of the records the rows' changed references point at
    (a person, an organisation, a goal ...), so that the log says "Eva Ek", not "nr 13": one
    query per kind of record still unnamed, limited to what the user may see."""
    wanted: dict[type, set] = {}
    for row in rows:
        if row["log_prev"] is None:
            continue  # a record's first version lists no changes
        model = LOG_MODELS[row["log_model"]]
        data, prev = row["log_data"] or {}, row["log_prev"]
        for f in _log_fields(model):
            if f.related_model not in NAMED_REFERENCES or data.get(f.attname) == prev.get(
                f.attname
            ):
                continue
            for value in (data.get(f.attname), prev.get(f.attname)):
                key = (f.related_model._meta.model_name, value)
                if value is not None and key not in known:
                    wanted.setdefault(f.related_model, set()).add(value)
    named = dict(known)
    for related, ids in wanted.items():
        queryset = related._default_manager.filter(pk__in=ids)
        if access is not None:
            queryset = access.visible(queryset)
        elif related not in (Organisation, Person):
            continue  # public names only when the user's access is not known here
        for obj in queryset:
            named[(related._meta.model_name, obj.pk)] = str(obj)
    return named


def _log_entries(
    rows, *, show_internal, mention_internal, known, limit, access: Access | None = None
) -> list[LogEntry]:
    rows = list(rows)
    known = _name_references(rows, known, access)
    entries = []
    for row in rows:
        model = LOG_MODELS[row["log_model"]]
        data = row["log_data"] or {}
        prev = row["log_prev"]
        changes = _changes(
            model,
            data,
            prev,
            show_internal=show_internal,
            mention_internal=mention_internal,
            known=known,
        )
        if row["log_type"] == "~" and not changes:
            continue  # saved without any visible change
        entries.append(
            LogEntry(
                model=row["log_model"],
                model_label=str(model._meta.verbose_name).capitalize(),
                object_id=row["log_object_id"],
                object_label=_object_label(model, row["log_label"]),
                date=row["log_date"],
                user=row["log_user"] or "",
                action=ACTIONS.get(row["log_type"], row["log_type"]),
                changes=changes,
                reason=row["log_reason"] or "",
            )
        )
        if len(entries) >= limit:
            break
    return entries


def arrangement_change_log(
    arrangement: Arrangement, *, access: Access, member: bool, known: dict, limit: int = 50
) -> list[LogEntry]:
    """Return the arrangement's change log (its own history and its related records'), limited
    to the records the user may see (see ``visible_history``); a ``member`` of the arrangement
    sees all of them.

    The compiled SQL is cached per shape (``union.cached_rows``): ``Access.visibility_shape``
    names it and gives the organisation ids that go into it, ``Access.as_member_of`` builds it
    around the cache's placeholders."""
    if member:
        shape, member_ids = ("member",), []
    else:
        shape, member_ids = access.visibility_shape()

    def build(ids):
        narrowing = None if member else access.as_member_of(ids[1:])
        return arrangement_log_parts(Arrangement(pk=ids[0]), access=narrowing)

    rows = _cached_log_rows(("arrangement", *shape), build, [arrangement.pk, *member_ids], limit)
    return _log_entries(
        rows,
        show_internal=access.can_view_all_internal(),
        mention_internal=member,
        known=known,
        limit=limit,
        access=access,
    )


def organisation_change_log(
    organisation: Organisation, *, access: Access, member: bool, known: dict, limit: int = 50
) -> list[LogEntry]:
    """Return the organisation's change log, limited to what the user may see (compiled once
    per shape, as ``arrangement_change_log``)."""
    shape, member_ids = access.visibility_shape()

    def build(ids):
        return organisation_log_parts(Organisation(pk=ids[0]), access=access.as_member_of(ids[1:]))

    rows = _cached_log_rows(("organisation", *shape), build, [organisation.pk, *member_ids], limit)
    return _log_entries(
        rows,
        show_internal=access.can_view_all_internal(),
        mention_internal=member,
        known=known,
        limit=limit,
        access=access,
    )


def visible_history(model, condition: Q, access: Access | None) -> Q:
    """Narrow a change-log part to the records the user may see now, by ``Access.visible_q``.

    Visibility follows a record's current state, not the state of each old version: a decision
    that was published and then unpublished drops out of an outsider's log with all its history.
    A deleted record counts as it was when it was deleted (its last version, which
    simple-history keeps with the fields of the model). ``access=None`` keeps every record.
    """
    if access is None:
        return condition
    rule = access.visible_q(model)
    if not rule:
        return condition
    current = model.objects.filter(condition)
    deleted = (
        model.history.model.objects.filter(condition, rule, history_type="-")
        .exclude(id__in=current.values("id"))
        .values("id")
    )
    return condition & (Q(id__in=current.filter(rule).values("id")) | Q(id__in=deleted))


def _name_and_year(name: str) -> Concat:
    """A cost's label in the log: the named record's name and the cost's year."""
    return Concat(
        F(name), Value(" "), Cast("year", output_field=CharField()), output_field=CharField()
    )


def arrangement_log_parts(arrangement: Arrangement, *, access: Access | None) -> list:
    """Return the history the arrangement's change log covers, limited to what ``access`` may
    see (``None``: everything, for the arrangement's own members and the administrator)."""
    pk = arrangement.pk
    parts = [
        (Arrangement, Q(id=pk), F("name")),
        (Participation, Q(arrangement_id=pk), F("organisation__name")),
        (
            Cost,
            Q(participation__arrangement_id=pk),
            _name_and_year("participation__organisation__name"),
        ),
        (TotalCost, Q(arrangement_id=pk), F("year")),
        (Body, Q(arrangement_id=pk), F("name")),
        (Seat, Q(body__arrangement_id=pk), F("person__name")),
        (Decision, Q(arrangement_id=pk), F("title")),
        (Evaluation, Q(arrangement_id=pk), F("date")),
        (GoalConflict, Q(arrangement_id=pk), F("goal__title")),
        (Goal, Q(arrangement_id=pk), F("title")),
        (Contribution, Q(arrangement_id=pk), F("goal__title")),
        (Alternative, Q(arrangement_id=pk), F("kind")),
    ]
    return [
        (model, visible_history(model, condition, access), label)
        for model, condition, label in parts
    ]


def organisation_log_parts(organisation: Organisation, *, access: Access) -> list:
    """Return the history the organisation's change log covers, limited to the records the
    user may see (records on arrangements they may not see, and other organisations' reviews,
    are left out)."""
    pk = organisation.pk
    parts = [
        (Organisation, Q(id=pk), F("name")),
        (Participation, Q(organisation_id=pk), F("arrangement__name")),
        (
            Cost,
            Q(participation__organisation_id=pk),
            _name_and_year("participation__arrangement__name"),
        ),
        (Goal, Q(organisation_id=pk), F("title")),
        (Person, Q(organisation_id=pk), F("name")),
        (Seat, Q(appointed_by_id=pk), F("person__name")),
        (Review, Q(organisation_id=pk), F("title")),
    ]
    return [
        (model, visible_history(model, condition, access), label)
        for model, condition, label in parts
    ]
