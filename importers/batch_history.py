"""What a committed batch wrote, read from the register's history: the batch's rows list the
records they wrote (``ImportRow.journal``: which record, created, changed or deleted), and the
history rows the commit tagged with the batch (``ImportBatch.history_reason``) hold the values,
with the row before the first of them holding the record as it was before the import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from simple_history.utils import get_history_manager_for_model, get_m2m_reverse_field_name

from .models import ImportBatch
from .text import chunked

CREATE, UPDATE, DELETE = "create", "update", "delete"
# The import's own notes on a participation: another user's keys there are kept on undo, so a
# change to them is no change in the way of one.
OWN_NOTES = "extra_fields"


@dataclass
class Written:
    """One record the batch wrote."""

    model: type
    pk: object
    op: str  # CREATE, UPDATE or DELETE: what the batch did to the record
    before: object = None  # its history row just before the batch's first (UPDATE, DELETE)
    after: object = None  # the batch's last history row of it
    changes: list = field(default_factory=list)  # the fields the batch changed (ModelChange)

    @property
    def key(self) -> tuple[type, object]:
        return self.model, self.pk

    def changed_attnames(self) -> set[str]:
        """The columns the batch changed (``entry_decision_id``, not ``entry_decision``)."""
        return {
            self.model._meta.get_field(c.field).attname
            for c in self.changes
            if not self.model._meta.get_field(c.field).many_to_many
        }

    def differs_now(self, obj) -> bool:
        """Whether ``obj`` (the record now) differs from what the batch left in a field the
        batch changed, its own notes aside."""
        for change in self.changes:
            model_field = self.model._meta.get_field(change.field)
            if change.field == OWN_NOTES:
                continue
            if model_field.many_to_many:
                if set(getattr(obj, change.field).values_list("pk", flat=True)) != related_ids(
                    model_field, change.new
                ):
                    return True
            elif getattr(obj, model_field.attname) != change.new:
                return True
        return False

    def restore(self, obj) -> list:
        """Put the values before the batch back on ``obj``; return the many-to-many fields to
        set afterwards, as (field name, related ids)."""
        links = []
        for change in self.changes:
            model_field = self.model._meta.get_field(change.field)
            if model_field.many_to_many:
                links.append((change.field, related_ids(model_field, change.old)))
            else:
                setattr(obj, model_field.attname, change.old)
        return links


def related_ids(model_field, rows: list[dict]) -> set:
    """Return the related ids of a many-to-many field's rows as ``ModelDelta`` gives them."""
    name = get_m2m_reverse_field_name(model_field)
    return {row[name] for row in rows}


def written_by(batch: ImportBatch) -> list[Written]:
    """Return every record the batch wrote, in the order it wrote them, with its history."""
    found: dict[tuple[str, object], Written] = {}
    for row in batch.rows.order_by("pk"):
        for entry in row.journal:
            key = (entry["model"], entry["pk"])
            op = UPDATE if entry["op"] == "m2m" else entry["op"]  # a batch's from before tags
            written = found.get(key)
            if written is None:
                found[key] = Written(apps.get_model(entry["model"]), entry["pk"], op)
            elif op in (CREATE, DELETE) and written.op != CREATE:
                written.op = op  # created or deleted whatever else it did
    by_model: dict[type, list[Written]] = defaultdict(list)
    for written in found.values():
        if written.op != CREATE:  # what the batch created is deleted: its values do not matter
            by_model[written.model].append(written)
    for model, items in by_model.items():
        _read_history(batch, model, items)
    return list(found.values())


def _read_history(batch: ImportBatch, model, items: list[Written]) -> None:
    """Find each record's history rows tagged with the batch and the row before them."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    rows: dict[object, list] = defaultdict(list)
    for chunk in chunked(w.pk for w in items):
        for record in history.filter(
            **{f"{pk_name}__in": chunk}, history_date__lte=batch.committed_at
        ).order_by("history_date", "history_id"):
            rows[getattr(record, pk_name)].append(record)
    # A batch committed before the tag held the batch's id wrote "Import: <file name>", within
    # the batch's own time.
    tags = {batch.history_reason, f"Import: {batch.file_name}"[:100]}
    for written in items:
        records = rows[written.pk]
        tagged = [
            i
            for i, r in enumerate(records)
            if r.history_change_reason in tags and r.history_date >= batch.created_at
        ]
        if not tagged:
            continue
        written.after = records[tagged[-1]]
        written.before = records[tagged[0] - 1] if tagged[0] else None
        if written.before is not None and written.after.history_type != "-":
            written.changes = written.after.diff_against(written.before).changes
