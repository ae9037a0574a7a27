"""What stands in the way of undoing an import: records the undo would delete or change that
someone (another organisation, or the importing one) created or changed after the import.

Undo (:mod:`importers.undo`) deletes what the import created and restores what it changed.
Nothing found here is a hand-kept list of models: the records that would go with what the import
created are found from the models' own relations (every reverse foreign key and one-to-one, as
Django's deletion follows them: cascades, SET_NULL and protected references alike), so a model
added later is covered without touching this file. Changes to what the import created or changed
are found in the records' history (django-simple-history) since the import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import DO_NOTHING
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from register.access import Access
from register.models import Arrangement, Membership, Organisation
from register.services.records import dependent_relations

from .batch_history import CREATE, UPDATE, Written
from .models import ImportBatch, ImportRow
from .text import chunked

MAX_LISTED = 5

#: Rows that only record the import itself (their link to an undone arrangement is cleared).
BOOKKEEPING = {ImportRow}


@dataclass
class Obstacle:
    """One record in the way: what it is, who added or changed it, and where."""

    obj: object
    changed: bool  # True: an existing record was changed; False: a record was added
    user_id: int | None = None

    def message(self, names: dict[int, str], user_orgs: dict[int, set[int]], admins) -> str:
        obj = self.obj
        who = _who(obj, self.user_id, names, user_orgs, admins)
        verb = "ändrat" if self.changed else "lagt till"
        kind = obj._meta.verbose_name
        text = f"{who} har {verb} {kind} ”{obj}”"
        arrangement = arrangement_of(obj)
        if arrangement is not None and arrangement != obj:
            text += f" i samverkan ”{arrangement}”"
        return text[0].upper() + text[1:]


def _history(model):
    try:
        return get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return None


def arrangement_of(obj, depth: int = 3):
    """Return the arrangement a record belongs to, following its foreign keys (None if none)."""
    if isinstance(obj, Arrangement):
        return obj
    if depth == 0:
        return None
    relations = [
        f
        for f in obj._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is not None
    ]
    for field in relations:  # a direct link first
        if field.related_model is Arrangement:
            return getattr(obj, field.name)
    for field in relations:
        if field.related_model in (Organisation, Arrangement) or not getattr(obj, field.attname):
            continue
        found = arrangement_of(getattr(obj, field.name), depth - 1)
        if found is not None:
            return found
    return None


def _who(obj, user_id, names, user_orgs, admins) -> str:
    """Return who added or changed ``obj``: the changing user's organisation, else the record's
    owner (``Access.owner_org_ids``)."""
    owners = set(Access(user_id=None).owner_org_ids(obj))
    if user_id is not None:
        orgs = user_orgs.get(user_id, set())
        preferred = orgs & owners or orgs
        if preferred:
            return " och ".join(sorted(names[pk] for pk in preferred))
        if user_id in admins:
            return "en registeradministratör"
    if len(owners) == 1:
        return names[next(iter(owners))]
    if 1 < len(owners) <= 3:
        return " eller ".join(sorted(names[pk] for pk in owners))
    return "en av parterna" if owners else "någon"


def _changes_since(model, pks, since) -> dict:
    """Return {pk: (last user, added since)} for the records of ``model`` among ``pks`` whose
    history has an entry after ``since``."""
    history = _history(model)
    if history is None or since is None:
        return {}
    pk_name = model._meta.pk.attname
    found: dict = {}
    for chunk in chunked(pks):
        for pk, user_id, kind in (
            history.filter(**{f"{pk_name}__in": chunk}, history_date__gt=since)
            .order_by("history_date", "history_id")
            .values_list(pk_name, "history_user_id", "history_type")
        ):
            added = found[pk][1] if pk in found else False
            found[pk] = (user_id, added or kind == "+")
    return found


def find_obstacles(batch: ImportBatch, written: list[Written]) -> list[Obstacle]:
    """Return the records in the way of undoing ``batch``, which wrote ``written``."""
    since = batch.committed_at
    created: dict[type, set] = defaultdict(set)
    updated: dict[tuple[type, object], Written] = {}
    for item in written:
        if item.op == CREATE:
            created[item.model].add(item.pk)
        elif item.op == UPDATE:
            updated[item.key] = item
    obstacles: list[Obstacle] = []
    seen: set[tuple[type, object]] = set()

    def add(model, objs, changes: dict, *, changed: bool | None = None) -> None:
        for obj in objs:
            if (model, obj.pk) in seen:
                continue
            seen.add((model, obj.pk))
            user_id, added = changes.get(obj.pk, (None, not changed))
            obstacles.append(Obstacle(obj, not added if changed is None else changed, user_id))

    def load(model, pks):
        for chunk in chunked(pks):
            yield from model._base_manager.filter(pk__in=chunk)

    # 1. What the import created, changed since by anyone (deleting it would lose the change).
    for model, pks in created.items():
        changes = _changes_since(model, pks, since)
        add(model, load(model, changes), changes, changed=True)

    # 2. What the import changed, changed again since (restoring it would overwrite that).
    for (model, pk), item in updated.items():
        obj = model._base_manager.filter(pk=pk).first()
        if obj is not None and item.differs_now(obj):
            add(model, [obj], _changes_since(model, [pk], since), changed=True)

    # 3. Records that refer to what the import created: deleting it would delete them (cascade),
    # change them (SET_NULL) or be refused (PROTECT, RESTRICT). Unless the import created them
    # too, or set exactly that reference (the undo restores it first), they were put there
    # after the import.
    for model, pks in created.items():
        for relation in dependent_relations(model):
            field = relation.field
            related_model = relation.related_model
            if field.remote_field.on_delete is DO_NOTHING:  # e.g. history rows
                continue
            if related_model._meta.auto_created or related_model in BOOKKEEPING:
                continue  # many-to-many links are part of the record (and of its history)
            own = created.get(related_model, set())
            referring = []
            for chunk in chunked(pks):
                for pk in related_model._base_manager.filter(
                    **{f"{field.name}__in": chunk}
                ).values_list("pk", flat=True):
                    item = updated.get((related_model, pk))
                    if pk in own or (item is not None and field.attname in item.changed_attnames()):
                        continue
                    referring.append(pk)
            if referring:
                changes = _changes_since(related_model, referring, since)
                add(related_model, load(related_model, referring), changes)
    return obstacles


def describe(obstacles: list[Obstacle]) -> str:
    """Return the Swedish refusal for the obstacles: who did what, on which arrangement."""
    user_ids = {o.user_id for o in obstacles if o.user_id is not None}
    user_orgs: dict[int, set[int]] = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organisation_id"
    ):
        user_orgs[user_id].add(org_id)
    admins = set(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_superuser=True)
        .values_list("pk", flat=True)
    )
    names = dict(Organisation.objects.values_list("pk", "name"))
    lines = [o.message(names, user_orgs, admins) for o in obstacles[:MAX_LISTED]]
    rest = len(obstacles) - len(lines)
    text = (
        "Importen kan inte ångras: det skulle ta bort eller ändra uppgifter som har lagts till "
        "eller ändrats efter importen. " + ". ".join(lines) + "."
    )
    if rest:
        text += f" Och {rest} till."
    return (
        text + " Importen kan ångras först när den som äger de uppgifterna har tagit bort eller "
        "återställt dem; annars får importen stå kvar."
    )
