"""The register's data versions: one per organisation, one per arrangement and one national.

A version is a number that changes whenever data it stands for is written: whatever is derived
from the data (a public page, the network figures, the due list, a finished PDF) is kept under
the version it depends on and is out of date as soon as the version moves. The number is the time
of the change in milliseconds, so that it also gives a page its Last-Modified.

Which versions a write touches is decided here and nowhere else (:func:`touched`):

* a record that hangs on an arrangement (the arrangement itself, its participations, costs,
  bodies, seats, meetings, decisions, documents ...; the path is Access's own, ``Rule.arrangement``)
  touches that arrangement and **every** organisation taking part in it, one that has left
  included, and the organisation that owns the record (``Rule.owner``, and any organisation the
  record names, such as an arrangement's host); a participation that leaves or is deleted touches
  its own organisation too;
* an organisation's own records (its people, reviews, goals without an arrangement, the log of
  who was informed) touch that organisation, and a person's seats touch their arrangements;
* reference data (organisations, counties, forms, service areas, motives, population figures)
  is on every page: it touches everything;
* users' own records (memberships, invitations, calendar tokens, single sign-on) touch nothing;
* every write touches the national version (the register-wide lists, search, open data, feeds).

A write made without model signals (``register.services.changes.data_changed``) gives the rows'
columns when it knows them (a bulk insert) and touches what they name; without them (a bulk
delete) it touches everything.

The versions are kept in Django's cache: with ``REDIS_URL`` every worker and server reads the same
ones. They are bumped once per transaction, when it commits (``transaction.on_commit``), so that
no reader keeps the old data under the new version. A version missing from the cache (a restarted
local-memory cache, an evicted key) starts at the national version, which is never lower than any
version set before: nothing kept under an older number is taken for current.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

from .access import Access
from .idranges import rows_in
from .models import (
    Arrangement,
    CalendarToken,
    CooperationForm,
    County,
    ExternalIdentity,
    Invitation,
    Membership,
    Motive,
    Organisation,
    Participation,
    Person,
    PopulationFigure,
    Seat,
    ServiceArea,
    SsoGrant,
)

log = logging.getLogger(__name__)

NATIONAL_KEY = "dv:national"
EVERYTHING_KEY = "dv:everything"  # raised by a write that touches everything

#: Reference data, shown on every page.
REFERENCE_MODELS = (Organisation, County, CooperationForm, ServiceArea, Motive, PopulationFigure)
#: Users' own records: no page shows them as register data.
NOT_DATA_MODELS = (Membership, Invitation, CalendarToken, ExternalIdentity, SsoGrant)


def organisation_key(pk: int) -> str:
    return f"dv:org:{pk}"


def organisation_code_key(code: str) -> str:
    """The same version by the organisation's code (kommunkod, länskod), for pages addressed by
    it: they learn their version without a query."""
    return f"dv:code:{code}"


def arrangement_key(pk: int) -> str:
    return f"dv:arr:{pk}"


# --- Reading -----------------------------------------------------------------------------------


def _now() -> int:
    return int(time.time() * 1000)


def national() -> int:
    """Return the national version: every write moves it."""
    values = cache.get_many([NATIONAL_KEY, EVERYTHING_KEY])
    version = values.get(NATIONAL_KEY)
    if version is None:
        cache.add(NATIONAL_KEY, _now(), None)
        version = cache.get(NATIONAL_KEY) or _now()
    return max(version, values.get(EVERYTHING_KEY) or 0)


def _version(key: str) -> int:
    values = cache.get_many([key, EVERYTHING_KEY])
    version = values.get(key)
    if version is None:  # never set, or lost: start at the national version
        cache.add(key, national(), None)
        version = cache.get(key) or national()
    return max(version, values.get(EVERYTHING_KEY) or 0)


def for_organisation(org_id: int) -> int:
    """Return the version of one organisation's data (its arrangements and its own records)."""
    return _version(organisation_key(org_id))


def for_organisation_code(code: str) -> int:
    """Return ``for_organisation`` of the organisation with ``code``."""
    return _version(organisation_code_key(code))


def for_arrangement(arr_id: int) -> int:
    """Return the version of one arrangement's data (its records and its participants' names)."""
    return _version(arrangement_key(arr_id))


def data_version() -> int:
    """Return the national version (the one global data version of before)."""
    return national()


# --- Bumping ------------------------------------------------------------------------------------


@dataclass
class Touched:
    """The versions a write touches."""

    organisations: set[int] = field(default_factory=set)
    arrangements: set[int] = field(default_factory=set)
    everything: bool = False


def bump(what: Touched | None = None) -> int:
    """Move the versions ``what`` names, and the national one (everything when None), to a new
    number higher than any before; return it."""
    what = Touched(everything=True) if what is None else what
    current = cache.get_many([NATIONAL_KEY, EVERYTHING_KEY])
    new = max(_now(), max(current.values(), default=0) + 1)
    keys = {NATIONAL_KEY: new}
    if what.everything:
        keys[EVERYTHING_KEY] = new
    keys.update((organisation_key(pk), new) for pk in what.organisations)
    if what.organisations:
        codes = Organisation.objects.filter(pk__in=what.organisations).exclude(code=None)
        keys.update((organisation_code_key(c), new) for c in codes.values_list("code", flat=True))
    keys.update((arrangement_key(pk), new) for pk in what.arrangements)
    cache.set_many(keys, None)
    return new


# --- Which versions a write touches -------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """One written (saved or deleted) record, as its own columns say: nothing is read for it."""

    model: type[Model]
    pk: object
    columns: tuple  # (attname, value) of its foreign keys


def written(instance: Model) -> Written:
    model = type(instance)
    columns = tuple(
        (f.attname, getattr(instance, f.attname, None))
        for f in model._meta.concrete_fields
        if f.is_relation
    )
    return Written(model, instance.pk, columns)


@dataclass(frozen=True)
class WrittenRows:
    """Many rows of one model written at once without model signals (a bulk insert), as their
    columns say: ``pks`` and each foreign key's values, one per row, in the rows' order."""

    model: type[Model]
    pks: list
    columns: dict  # attname -> [value per row], foreign keys only


def _is_history(model) -> bool:
    return model._meta.model_name.startswith("historical") and hasattr(model, "instance_type")


def _paths(model) -> tuple[str | None, str | None]:
    """Return the paths from a record of ``model`` to its arrangement and to the organisation
    that owns it (Access's rule; for a model without one, its own ``arrangement`` and
    ``organisation`` field)."""
    rule = Access.rule(model)
    if rule is not None:
        owner = rule.owner if rule.owner is not None else rule.members
        return rule.arrangement, owner or None
    names = {f.name for f in model._meta.concrete_fields}
    return (
        "arrangement" if "arrangement" in names else None,
        "organisation" if "organisation" in names else None,
    )


@dataclass(frozen=True)
class _ModelPlan:
    """What :func:`touched` reads from a record of one model, worked out once per model."""

    skip: bool  # a history model, or users' own records
    reference: bool  # reference data: touches everything
    organisations: tuple[str, ...]  # attnames of its foreign keys to an organisation
    arrangements: tuple[str, ...]  # ... and to an arrangement
    hops: tuple[tuple[str, type[Model], str, str], ...]  # (attname, model, rest of path, kind)


def _model_plan(model) -> _ModelPlan:
    if _is_history(model) or issubclass(model, NOT_DATA_MODELS):
        return _ModelPlan(True, False, (), (), ())
    if issubclass(model, REFERENCE_MODELS):
        return _ModelPlan(False, True, (), (), ())
    organisations, arrangements = [], []
    for f in model._meta.concrete_fields:
        if f.is_relation:
            if f.related_model is Organisation:
                organisations.append(f.attname)
            elif f.related_model is Arrangement:
                arrangements.append(f.attname)
    hops = []
    for path, kind in zip(_paths(model), ("arr", "org"), strict=True):
        if not path or "__" not in path:
            continue  # the record itself, or a column already read above
        first, rest = path.split("__", 1)
        hop = model._meta.get_field(first)
        hops.append((hop.attname, hop.related_model, rest, kind))
    return _ModelPlan(False, False, tuple(organisations), tuple(arrangements), tuple(hops))


def _touched_rows(rows: WrittenRows, plan: _ModelPlan, result: Touched, follow, people) -> None:
    columns = rows.columns
    for names, target in (
        (plan.organisations, result.organisations),
        (plan.arrangements, result.arrangements),
    ):
        for name in names:
            target.update(v for v in columns.get(name, ()) if v is not None)
    if rows.model is Arrangement:
        result.arrangements.update(rows.pks)
    if rows.model is Person:
        people.update(rows.pks)
    for attname, hop_model, rest, kind in plan.hops:
        values = {v for v in columns.get(attname, ()) if v is not None}
        if values:
            follow.setdefault((hop_model, rest, kind), set()).update(values)


def touched(records: list[Written | WrittenRows]) -> Touched:
    """Return the versions that writing ``records`` touches (the module docstring's rule), in a
    few queries whatever their number: one per kind of path followed, one for the participants."""
    result = Touched()
    follow: dict[tuple, dict] = {}  # (model, rest of path, "arr"|"org") -> {first hop id}
    people = set()
    plans: dict[type[Model], _ModelPlan] = {}  # each model's fields looked at once, not per row
    organisations, arrangements = result.organisations, result.arrangements
    for r in records:
        model = r.model
        plan = plans.get(model)
        if plan is None:
            plan = plans[model] = _model_plan(model)
        if plan.skip:
            continue
        if plan.reference:
            return Touched(everything=True)
        if type(r) is WrittenRows:  # the same as a Written per row, a column at a time
            _touched_rows(r, plan, result, follow, people)
            continue
        columns = dict(r.columns)
        # Every organisation and arrangement the record names itself.
        for name in plan.organisations:
            value = columns.get(name)
            if value is not None:
                organisations.add(value)
        for name in plan.arrangements:
            value = columns.get(name)
            if value is not None:
                arrangements.add(value)
        if model is Arrangement:
            arrangements.add(r.pk)
        if model is Person:
            people.add(r.pk)
        for attname, hop_model, rest, kind in plan.hops:
            value = columns.get(attname)
            if value is not None:
                follow.setdefault((hop_model, rest, kind), set()).add(value)
    for (model, rest, kind), ids in follow.items():
        found = rows_in(model.objects.all(), "pk", ids, rest)
        target = result.arrangements if kind == "arr" else result.organisations
        target.update(pk for _, pk in found if pk is not None)
    if people:
        result.arrangements.update(
            pk for _, pk in rows_in(Seat.objects.all(), "person_id", people, "body__arrangement_id")
        )
    if result.arrangements:
        result.organisations.update(
            pk
            for _, pk in rows_in(
                Participation.objects.all(),
                "arrangement_id",
                result.arrangements,
                "organisation_id",
            )
        )
    return result


# --- Once per transaction -------------------------------------------------------------------------


class _Pending(threading.local):
    def __init__(self):
        self.records: list[Written] = []
        self.everything = False


_pending = _Pending()


#: Called with the ``Touched`` of each committed change once its versions have moved
#: (``after_change``): work that follows a change, such as keeping an overview computed.
_listeners: list = []


def after_change(listener) -> None:
    """Have ``listener(touched)`` called after each committed change has moved its versions."""
    if listener not in _listeners:
        _listeners.append(listener)


def _flush() -> None:
    records, everything = _pending.records, _pending.everything
    _pending.records, _pending.everything = [], False
    if not records and not everything:
        return
    what = Touched(everything=True) if everything else touched(records)
    bump(what)
    for listener in _listeners:
        try:
            listener(what)
        except Exception:  # the change is committed; what follows it never fails it
            log.exception("Efter ändringen misslyckades %r", listener)


def _later(records: list[Written] = (), *, everything: bool = False, using=None) -> None:
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and not connection.run_on_commit:
        # The first write of this transaction: what is pending was rolled back.
        _pending.records, _pending.everything = [], False
    _pending.records.extend(records)
    _pending.everything = _pending.everything or everything
    transaction.on_commit(_flush, using=using)


def record_written(sender, instance=None, using=None, **kwargs) -> None:
    """Django's post_save and post_delete: note the record, bump when the transaction commits."""
    if instance is None or _is_history(sender):
        return
    _later([written(instance)], using=using)


def record_m2m(sender, instance=None, using=None, **kwargs) -> None:
    """Django's m2m_changed: the record whose links changed was written."""
    if instance is not None and not _is_history(type(instance)):
        _later([written(instance)], using=using)


def record_announced(sender, columns: dict | None = None, **kwargs) -> None:
    """``services.changes.data_changed``: rows written without model signals; with their columns
    (attribute name -> values, one per row) only what they name is touched."""
    if sender is None or not columns:
        _later(everything=True)
        return
    names = [f.attname for f in sender._meta.concrete_fields if f.is_relation]
    pks = columns.get(sender._meta.pk.attname) or []
    count = max((len(v) for v in columns.values()), default=0)
    if not count:
        _later([])
        return
    # One entry for all the rows, a column each: touched() reads them a column at a time.
    present = {n: list(columns[n]) for n in names if n in columns}
    if any(len(values) != count for values in present.values()):
        raise ValueError(f"{sender._meta.label}: columns of different lengths.")
    records = [WrittenRows(sender, list(pks[:count]) + [None] * (count - len(pks)), present)]
    _later(records)


def connect_signals() -> None:
    """Listen to every write of the register's records."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .services.changes import data_changed

    data_changed.connect(record_announced, dispatch_uid="dataversions-services", weak=False)
    for model in apps.get_app_config("register").get_models():
        if _is_history(model) or getattr(model, "derived_from_register", False):
            continue  # a history row, or a record made from the data (a PDF job, the search index)
        uid = f"dataversions-{model._meta.label}"
        post_save.connect(record_written, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(record_written, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    m2m_changed.connect(record_m2m, dispatch_uid="dataversions-m2m", weak=False)
