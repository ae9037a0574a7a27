"""Undoing a committed import from the register's history (``importers.services.batch_undo`` is
the entry point): every record the batch created is deleted, and every record it changed or deleted is put back as its history shows it just before
the batch's first write to it (:mod:`importers.batch_history`). The writes go through the
register's services and are tagged ``ImportBatch.undo_reason`` in the history.

The undo is refused, saying who did what where, when it would delete or change what anyone added
or changed since the import (:mod:`importers.obstacles`), and when a later import of the
organisation is still in place.
"""

from __future__ import annotations

from django.db.models import ProtectedError, RestrictedError

from register.services.records import record_save, records_delete_many

from .batch_history import CREATE, DELETE, Written, written_by
from .models import ImportBatch
from .obstacles import describe, find_obstacles
from .results import ImportRefused


def undo_problem(batch: ImportBatch) -> str | None:
    """Return why the batch cannot be undone, or None."""
    if batch.mode != ImportBatch.Mode.COMMITTED:
        return "Bara en genomförd import kan ångras."
    later = ImportBatch.objects.filter(
        organisation=batch.organisation,
        mode=ImportBatch.Mode.COMMITTED,
        committed_at__gt=batch.committed_at,
    ).exists()
    if later:
        return "En senare import för organisationen är genomförd. Ångra den först."
    return None


def undo_refusal(batch: ImportBatch, written: list[Written] | None = None) -> str | None:
    """Return why the batch cannot be undone now, or None: a later import, a record whose
    state before the import the history does not hold, or records that someone added or
    changed since and that the undo would delete or change, with who did what where."""
    problem = undo_problem(batch)
    if problem:
        return problem
    written = written_by(batch) if written is None else written
    unknown = next((w for w in written if w.op != CREATE and _source(w) is None), None)
    if unknown is not None:
        return (
            "Importen kan inte ångras: registrets historik saknar läget före importen för "
            f"{unknown.model._meta.verbose_name} {unknown.pk}."
        )
    obstacles = find_obstacles(batch, written)
    return describe(obstacles) if obstacles else None


def _source(written: Written):
    """The history row a changed or deleted record is restored from (None: there is none)."""
    if written.op == DELETE:
        return written.before or written.after  # as it was, else as the import deleted it
    return written.before if written.after is not None else None


def revert(batch: ImportBatch) -> int:
    """Put back what the batch wrote as it was before the import (call inside the transaction
    that holds the batch locked); return the number of records restored or deleted. Raise
    :class:`ImportRefused` (see the module)."""
    written = written_by(batch)
    problem = undo_refusal(batch, written)
    if problem:
        raise ImportRefused(problem)
    reason = batch.undo_reason
    count = 0
    created: dict[type, list] = {}
    try:
        for item in reversed(written):
            if item.op == CREATE:
                created.setdefault(item.model, []).append(item.pk)
            elif item.op == DELETE:
                record_save(access=None, instance=_source(item).instance, reason=reason)
                count += 1
            elif item.changes:
                count += _restore(item, reason)
        # What the import created goes last, a model at a time, dependants first (seats
        # before people, as they were written the other way round).
        for model, pks in created.items():
            count += records_delete_many(model=model, pks=pks, reason=reason)
    except (ProtectedError, RestrictedError) as exc:
        raise ImportRefused(
            "Importen kan inte ångras: det den skapade används nu av andra uppgifter i registret."
        ) from exc
    return count


def _restore(item: Written, reason: str) -> int:
    """Put the fields the batch changed back on the record; return 1 (0 if it is gone)."""
    obj = item.model._base_manager.filter(pk=item.pk).first()
    if obj is None:
        return 0
    links = item.restore(obj)

    def save_links():
        for name, ids in links:
            getattr(obj, name).set(ids)

    record_save(access=None, instance=obj, save_m2m=save_links if links else None, reason=reason)
    return 1
