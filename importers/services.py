"""The import service: write a classified file in one transaction, record it, undo it.

Reading is :mod:`importers.readers`, cell values are :mod:`importers.values`, classifying every
row (new, update, unchanged, invalid, with field errors and a per-field diff) is
:mod:`importers.planning` and writes nothing. A commit applies the plan inside
``transaction.atomic`` (new arrangements in bulk, updates row by row) and records every write with
the values before it in the batch's rows, so that the batch can be undone exactly.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from register.access import Access
from register.models import (
    Arrangement,
    Body,
    Cost,
    Decision,
    Organisation,
    Participation,
    Person,
    Seat,
)
from register.rules import body_for_seats
from register.services import bulk
from register.services.join_requests import join_request_create

from .models import ImportBatch, ImportChoice, ImportFile, ImportRow, preview_days
from .planning import (
    ImportRefused,
    ImportResult,
    Lookups,
    RowPlan,
    Snapshot,
    chunked,
    field_label,
    fit,
    list_key,
    partner_key,
    plan_workbook,
)
from .readers import ReadError, open_workbook
from .values import (
    DecisionValue,
    Representative,
)

# --- Writing ---------------------------------------------------------------------------------


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while a file is read, planned, written or undone
    (usable as a decorator too); it runs again as usual afterwards.

    A 10,000-row list keeps a few million objects alive at once (cells, values, plans, changes,
    records to write), and the collector walks all of them on every full pass: about an eighth
    of a commit's time (``bench/import_excel.py``). An import makes almost no reference cycles
    (a few hundred objects, whatever the size of the file); everything else is freed by its
    reference count as before, so the memory it needs is the same. Nested pauses leave the
    collector to the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Journal:
    """Record every write with the values before it, so that the batch can be undone."""

    def __init__(self, reason: str):
        self.entries: list[dict] = []
        self.reason = reason

    def _label(self, obj) -> str:
        return obj._meta.label_lower

    def create(self, obj) -> None:
        validate_record(obj)
        obj._change_reason = self.reason
        obj.save()
        self.entries.append({"op": "create", "model": self._label(obj), "pk": obj.pk})

    def update(self, obj, fields: dict) -> None:
        before = {name: _jsonable(getattr(obj, name)) for name in fields}
        for name, value in fields.items():
            setattr(obj, name, value)
        validate_record(obj, fields)
        obj._change_reason = self.reason
        obj.save(update_fields=[*fields, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
        after = {name: _jsonable(getattr(obj, name)) for name in fields}
        self.entries.append(
            {
                "op": "update",
                "model": self._label(obj),
                "pk": obj.pk,
                "before": before,
                "after": after,
            }
        )

    def set_areas(self, arrangement: Arrangement, before: list[int], after: list[int]) -> None:
        arrangement.service_areas.set(after)
        self.entries.append(
            {
                "op": "m2m",
                "model": self._label(arrangement),
                "pk": arrangement.pk,
                "field": "service_areas",
                "before": sorted(before),
                "after": sorted(after),
            }
        )

    def delete(self, obj) -> None:
        data = serializers.serialize("json", [obj])
        obj._change_reason = self.reason
        model, pk = self._label(obj), obj.pk
        obj.delete()
        self.entries.append({"op": "delete", "model": model, "pk": pk, "data": data})


def validate_record(obj, fields=None) -> None:
    """Check a record before the import saves it, with ``full_clean()``: the fields' own rules
    (maximum length, choices, validators) for ``fields`` (attribute names; every field of a
    new record) and the model's ``clean()``, as the bulk insert (:mod:`register.services.bulk`)
    checks every field. Relations, uniqueness and constraints are the database's to enforce.

    Raise ``ValidationError`` whose messages name the field, in Swedish.
    """
    concrete = obj._meta.concrete_fields
    checked = {f.attname for f in concrete} if fields is None else set(fields)
    exclude = [f.name for f in concrete if f.is_relation or f.attname not in checked]
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(labelled_messages(obj._meta.model, exc)) from exc


def labelled_messages(model, exc: ValidationError) -> list[str]:
    """Return the error's messages, each after the name of its field ("Namn: ...")."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    messages = []
    for name, errors in exc.message_dict.items():
        try:
            label = field_label(model, name)
        except FieldDoesNotExist:  # NON_FIELD_ERRORS: the model's own clean()
            label = ""
        messages += [f"{label}: {message}" if label else message for message in errors]
    return messages


def entry_decision_title(name: str) -> str:
    """Return the title of the entry decision the import records for an arrangement."""
    return fit(Decision, "title", f"Beslut om inträde i {name}")


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from_json(model, field_name, value):
    field_obj = model._meta.get_field(field_name)
    if value is None:
        return None
    return field_obj.to_python(value)


def apply_row(plan: RowPlan, lookups: Lookups, snap: Snapshot | None, reason: str) -> None:
    """Write one planned row. Raise on a database error (the caller rolls back)."""
    journal = Journal(reason)
    org = lookups.organisation
    p = plan.parsed
    arr_changes = {c.key: c.value for c in plan.changes if c.kind == "arr"}
    if snap is None:
        arrangement = Arrangement(**arr_changes)
        journal.create(arrangement)
    else:
        arrangement = Arrangement.objects.get(pk=snap.pk)
        if arr_changes:
            journal.update(arrangement, arr_changes)
    plan.arrangement_id = arrangement.pk
    for change in plan.changes:
        if change.kind == "areas":
            journal.set_areas(arrangement, sorted(snap.area_ids) if snap else [], change.value)
    own = Participation.objects.filter(pk=snap.own["pk"]).first() if snap and snap.own else None
    for change in plan.changes:
        if change.kind == "partner":
            participation = Participation(
                arrangement=arrangement, organisation_id=change.key, role=change.value
            )
            journal.create(participation)
            if change.key == org.pk:
                own = participation
    own_fields = {c.key: c.value for c in plan.changes if c.kind == "own"}
    if plan.changes:
        own_fields["extra_fields"] = _extra_fields(plan, own.extra_fields)
    decision_change = next((c for c in plan.changes if c.kind == "decision"), None)
    if decision_change is not None:
        value: DecisionValue = decision_change.value
        existing = (
            Decision.objects.filter(pk=own.entry_decision_id).first()
            if own.entry_decision_id
            else None
        )
        if existing is None:
            decision = Decision(
                arrangement=arrangement,
                organisation=org,
                deciding_body=value.deciding_body,
                date=value.date,
                reference=value.reference,
                title=entry_decision_title(arrangement.name),
                kind=Decision.Kind.ENTRY,
            )
            journal.create(decision)
            own_fields["entry_decision_id"] = decision.pk
        else:
            journal.update(
                existing,
                {
                    "deciding_body": value.deciding_body,
                    "date": value.date,
                    "reference": value.reference,
                },
            )
    if own_fields:
        journal.update(own, own_fields)
    costs_before = snap.costs if snap else {}
    for change in plan.changes:
        if change.kind != "cost":
            continue
        year, kind = change.key
        existing = costs_before.get(year)
        if existing:
            cost = Cost.objects.get(pk=existing["pk"])
            journal.update(cost, {kind: change.value})
            existing[kind] = change.value
        else:
            cost = Cost(participation=own, year=year, **{kind: change.value})
            journal.create(cost)
            costs_before = dict(costs_before)
            costs_before[year] = {"pk": cost.pk, kind: change.value}
    seats_change = next((c for c in plan.changes if c.kind == "seats"), None)
    if seats_change is not None:
        _apply_seats(journal, arrangement, snap, seats_change.value, lookups, p.get("form"))
    plan.journal = journal.entries


def _apply_seats(journal: Journal, arrangement, snap, reps, lookups: Lookups, form_slug) -> None:
    org = lookups.organisation
    existing = list(snap.seats) if snap else []
    listed = set(reps)
    seated = set()
    for seat in existing:  # a listed person keeps every seat they hold in that role
        rep = Representative(seat["person__name"], seat["party"], seat["role"])
        if rep in listed:
            seated.add(rep)
        else:
            journal.delete(Seat.objects.get(pk=seat["pk"]))
    wanted = [rep for rep in reps if rep not in seated]  # reps are distinct (parse)
    if not wanted:
        return
    body_id = snap.body_id if snap else None
    if body_id is None:
        slug = form_slug or lookups.form_slug.get(arrangement.form_id)
        kind, name = body_for_seats(lookups.forms.get(slug))
        body = Body(arrangement=arrangement, kind=kind, name=name)
        journal.create(body)
        body_id = body.pk
        if snap is not None:
            snap.body_id = body_id
    people = {
        (name, party): pk
        for pk, name, party in Person.objects.filter(
            organisation=org, name__in=[r.name for r in wanted]
        ).values_list("pk", "name", "party")
    }
    for rep in wanted:
        person_id = people.get((rep.name, rep.party))
        if person_id is None:
            person = Person(name=rep.name, party=rep.party, organisation=org)
            journal.create(person)
            person_id = people[(rep.name, rep.party)] = person.pk
        journal.create(
            Seat(
                body_id=body_id,
                person_id=person_id,
                appointed_by=org,
                role=rep.role,
                party=rep.party,
            )
        )


def apply_new_rows(plans: list[RowPlan], lookups: Lookups, reason: str) -> None:
    """Write new arrangements in bulk: one insert per table instead of one per record.

    Records are built as plain dicts (attribute name to value); each plan's journal lists what
    was created, in the order it was created.
    """
    org = lookups.organisation
    created: dict[int, list[tuple[str, object]]] = {id(p): [] for p in plans}

    def journal(owners: list[RowPlan], ids: list, model_label: str) -> None:
        for plan, pk in zip(owners, ids, strict=True):
            created[id(plan)].append((model_label, pk))

    arrangements = [{c.key: c.value for c in plan.changes if c.kind == "arr"} for plan in plans]
    areas = [next((c.value for c in plan.changes if c.kind == "areas"), []) for plan in plans]
    arrangement_ids = bulk.insert(
        Arrangement, arrangements, reason=reason, m2m={"service_areas": areas}
    )
    for plan, pk in zip(plans, arrangement_ids, strict=True):
        plan.arrangement_id = pk
    journal(plans, arrangement_ids, "register.arrangement")
    decision_plans, decisions = [], []
    for plan, arrangement in zip(plans, arrangements, strict=True):
        change = next((c for c in plan.changes if c.kind == "decision"), None)
        if change is not None:
            value: DecisionValue = change.value
            decision_plans.append(plan)
            decisions.append(
                {
                    "arrangement_id": plan.arrangement_id,
                    "organisation_id": org.pk,
                    "deciding_body": value.deciding_body,
                    "date": value.date,
                    "reference": value.reference,
                    "title": entry_decision_title(arrangement["name"]),
                    "kind": Decision.Kind.ENTRY.value,
                }
            )
    decision_ids = bulk.insert(Decision, decisions, reason=reason)
    decision_of = {id(plan): pk for plan, pk in zip(decision_plans, decision_ids, strict=True)}
    journal(decision_plans, decision_ids, "register.decision")
    participation_plans, participations, own_index = [], [], {}
    for plan in plans:
        for change in plan.changes:
            if change.kind != "partner":
                continue
            participation = {
                "arrangement_id": plan.arrangement_id,
                "organisation_id": change.key,
                "role": change.value,
            }
            if change.key == org.pk:
                for own_change in plan.changes:
                    if own_change.kind == "own":
                        participation[own_change.key] = own_change.value
                participation["extra_fields"] = _extra_fields(plan, {})
                participation["entry_decision_id"] = decision_of.get(id(plan))
                own_index[id(plan)] = len(participations)
            participation_plans.append(plan)
            participations.append(participation)
    participation_ids = bulk.insert(Participation, participations, reason=reason)
    journal(participation_plans, participation_ids, "register.participation")
    cost_plans, costs = [], []
    for plan in plans:
        by_year: dict[int, dict] = {}
        for change in plan.changes:
            if change.kind == "cost":
                year, kind = change.key
                cost = by_year.get(year)
                if cost is None:
                    own_id = participation_ids[own_index[id(plan)]]
                    cost = by_year[year] = {"participation_id": own_id, "year": year}
                    cost_plans.append(plan)
                    costs.append(cost)
                cost[kind] = change.value
    journal(cost_plans, bulk.insert(Cost, costs, reason=reason), "register.cost")
    seat_plans = [
        (plan, arrangement, next(c for c in plan.changes if c.kind == "seats").value)
        for plan, arrangement in zip(plans, arrangements, strict=True)
        if any(c.kind == "seats" for c in plan.changes)
    ]
    if seat_plans:
        _apply_new_seats(seat_plans, lookups, reason, journal)
    for plan in plans:
        plan.journal = [
            {"op": "create", "model": model, "pk": pk} for model, pk in created[id(plan)]
        ]


def _apply_new_seats(seat_plans, lookups: Lookups, reason, journal) -> None:
    """Create a body per new arrangement with representatives, their people and seats.

    ``seat_plans`` holds (row plan, the arrangement's values, its representatives).
    """
    org = lookups.organisation
    bodies = []
    for plan, arrangement, _ in seat_plans:
        kind, name = body_for_seats(
            lookups.forms.get(lookups.form_slug.get(arrangement.get("form_id")))
        )
        bodies.append({"arrangement_id": plan.arrangement_id, "kind": kind.value, "name": name})
    body_ids = bulk.insert(Body, bodies, reason=reason)
    journal([plan for plan, _, _ in seat_plans], body_ids, "register.body")
    body_of = {id(plan): pk for (plan, _, _), pk in zip(seat_plans, body_ids, strict=True)}
    names = {rep.name for _, _, reps in seat_plans for rep in reps}
    people: dict[tuple[str, str], int | None] = {}
    for chunk in chunked(names):
        for pk, name, party in Person.objects.filter(organisation=org, name__in=chunk).values_list(
            "pk", "name", "party"
        ):
            people.setdefault((name, party), pk)
    person_plans, new_people = [], []
    for plan, _, reps in seat_plans:
        for rep in reps:
            if (rep.name, rep.party) not in people:
                people[(rep.name, rep.party)] = None  # created just below
                person_plans.append(plan)
                new_people.append({"name": rep.name, "party": rep.party, "organisation_id": org.pk})
    person_ids = bulk.insert(Person, new_people, reason=reason)
    for person, pk in zip(new_people, person_ids, strict=True):
        people[(person["name"], person["party"])] = pk
    journal(person_plans, person_ids, "register.person")
    seat_plans_flat, seats = [], []
    for plan, _, reps in seat_plans:
        for rep in reps:
            seat_plans_flat.append(plan)
            seats.append(
                {
                    "body_id": body_of[id(plan)],
                    "person_id": people[(rep.name, rep.party)],
                    "appointed_by_id": org.pk,
                    "role": rep.role,
                    "party": rep.party,
                }
            )
    journal(seat_plans_flat, bulk.insert(Seat, seats, reason=reason), "register.seat")


def _extra_fields(plan: RowPlan, before: dict) -> dict:
    extra = dict(before or {})
    for change in plan.changes:
        if change.kind == "extra":
            extra[change.key] = change.value
        elif change.kind == "column":
            extra["columns"] = {**(extra.get("columns") or {}), change.key: change.value}
    extra["raw"] = plan.raw
    extra["source"] = {"sheet": plan.sheet, "row": plan.number}
    return extra


# --- Entry points ----------------------------------------------------------------------------


def apply_join(plan: RowPlan, lookups: Lookups, user, batch: ImportBatch | None) -> None:
    """Send the row's request to join (the plan made sure that none waits already); write
    nothing else to the arrangement."""
    change = next(c for c in plan.changes if c.kind == "join")
    join_request = join_request_create(
        access=lookups.access,
        arrangement=Arrangement.objects.get(pk=plan.arrangement_id),
        organisation=lookups.organisation,
        role=change.value,
        user=user,
        import_batch=batch,
    )
    plan.journal = [{"op": "create", "model": "register.joinrequest", "pk": join_request.pk}]


@paused_gc()
def run_import(
    *,
    source,
    organisation: Organisation,
    dry_run: bool = True,
    all_or_nothing: bool = True,
    progress: Callable[[int, int], None] | None = None,
    batch: ImportBatch | None = None,
    user=None,
    list_name: str = "",
) -> ImportResult:
    """Read, classify and (unless ``dry_run``) write a file for one organisation.

    ``list_name`` (by default the batch's file name) is the list whose remembered decisions
    (:class:`ImportChoice`) the plan follows.

    The import sees and changes what an editor of the organisation does
    (``Access.for_organisation``), whoever runs it; ``user`` is recorded as the one who asked
    in the requests to join it sends. Raise :class:`importers.readers.ReadError` when the file
    cannot be read at all. With ``all_or_nothing``, nothing is written when any row is invalid.
    """
    workbook = open_workbook(source)
    access = Access.for_organisation(
        organisation, user_id=user.pk if user is not None and user.is_authenticated else None
    )
    list_name = list_name or (batch.file_name if batch is not None else "")
    result = plan_workbook(
        workbook, organisation, progress=progress, access=access, list_name=list_name
    )
    if dry_run or (all_or_nothing and result.invalid):
        return result
    lookups = result._lookups
    snaps = result._snapshots
    reason = f"Import: {batch.file_name}" if batch else "Import från Excel"
    writable = [
        r
        for r in result.rows
        if r.outcome in (ImportRow.Outcome.NEW, ImportRow.Outcome.UPDATE)
        or (r.outcome == ImportRow.Outcome.JOIN and r.changes)
    ]
    new_rows = [r for r in writable if r.outcome == ImportRow.Outcome.NEW]
    with transaction.atomic():
        per_row = [r for r in writable if r.outcome != ImportRow.Outcome.NEW]
        try:
            with transaction.atomic():
                apply_new_rows(new_rows, lookups, reason)
        except (DatabaseError, ValidationError):
            # A field or the database refused some row: write row by row to find out which.
            for plan in new_rows:
                plan.arrangement_id = None
                plan.journal = []
            per_row = new_rows + per_row
        for plan in per_row:
            snap = snaps.get(plan.arrangement_id) if plan.arrangement_id else None
            try:
                with transaction.atomic():
                    if plan.outcome == ImportRow.Outcome.JOIN:
                        apply_join(plan, lookups, user, batch)
                    else:
                        apply_row(plan, lookups, snap, reason)
            except (DatabaseError, ValidationError, PermissionDenied) as exc:
                messages = getattr(exc, "messages", None) or [
                    str(exc)
                    if isinstance(exc, PermissionDenied)
                    else "Raden kunde inte sparas (databasen vägrade)."
                ]
                for message in messages:
                    plan.error("", message)
                plan.outcome = ImportRow.Outcome.INVALID
                plan.journal = []
                if plan.outcome == ImportRow.Outcome.INVALID and snap is None:
                    plan.arrangement_id = None
                if all_or_nothing:
                    transaction.set_rollback(True)
                    result.written = False
                    for other in writable:
                        other.journal = []
                        if other.outcome == ImportRow.Outcome.NEW:
                            other.arrangement_id = None
                    return result
        result.written = True
    return result


def _row_records(batch: ImportBatch, result: ImportResult) -> list[dict]:
    return [
        {
            "batch_id": batch.pk,
            "sheet": fit(ImportRow, "sheet", r.sheet),
            "row_number": r.number,
            "outcome": r.outcome,
            "raw": r.raw,
            "errors": [{"field": e.field, "message": e.message} for e in r.errors],
            "warnings": [{"field": w.field, "message": w.message} for w in r.warnings],
            "diff": r.diff,
            "journal": r.journal,
            "arrangement_id": r.arrangement_id,
            "offers": r.offers,
        }
        for r in result.rows
    ]


def _store(batch: ImportBatch, result: ImportResult, *, mode: str) -> None:
    batch.mode = mode
    batch.summary = result.summary() | {
        "warnings": [w.as_dict() for w in result.file_warnings],
        # A JSON list keeps the columns' order (PostgreSQL's jsonb does not keep a dict's).
        "headers": [[sheet, headers] for sheet, headers in result.headers.items()],
    }
    if mode == ImportBatch.Mode.COMMITTED:
        batch.committed_at = timezone.now()
    batch.save()
    batch.rows.all().delete()
    # The batch's rows are the importer's own record of the plan, not register data: the cells'
    # texts as read (JSON, kept whole for the invalid-rows download), the sheet's name cut to
    # its field, an outcome of the choices. Their values are not checked again.
    bulk.insert(ImportRow, _row_records(batch, result), history=False, validate_values=False)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def purge_files(*, now=None) -> int:
    """Delete every stored file that the retention rule no longer keeps
    (``ImportFile.objects.expired()``: a file is kept only for a preview uploaded within the last
    ``preview_days()`` days); return how many were deleted. Run on every upload and by
    ``manage.py purge_imports``."""
    deleted, _ = ImportFile.objects.expired(now=now).delete()
    return deleted


def file_gone_message() -> str:
    return (
        f"Filen till den här förhandsgranskningen finns inte längre sparad (en fil sparas i "
        f"{preview_days()} dagar, tills importen sparas). Ladda upp filen igen för att spara "
        "importen."
    )


@paused_gc()
@transaction.atomic
def batch_preview(
    *,
    data: bytes,
    file_name: str,
    organisation: Organisation,
    user=None,
    all_or_nothing: bool = True,
) -> ImportBatch:
    """Create an import batch for an uploaded file and classify its rows; write no register data.

    The file is stored (an :class:`ImportFile`, without history) for the commit to read again;
    files that the retention rule no longer keeps are purged on the way. Raise
    :class:`ReadError` when the file cannot be read.
    """
    result = run_import(source=data, organisation=organisation, dry_run=True, list_name=file_name)
    purge_files()
    batch = ImportBatch(
        organisation=organisation,
        file_name=fit(ImportBatch, "file_name", file_name),
        checksum=checksum(data),
        created_by=user if user is not None and user.is_authenticated else None,
        all_or_nothing=all_or_nothing,
    )
    batch.save()
    ImportFile.objects.create(batch=batch, content=data)
    _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
    return batch


def stored_file(batch: ImportBatch) -> bytes | None:
    """Return the batch's file if the retention rule still keeps it, else None."""
    content = (
        ImportFile.objects.kept().filter(batch=batch).values_list("content", flat=True).first()
    )
    return None if content is None else bytes(content)


@paused_gc()
def batch_commit(
    *, batch: ImportBatch, all_or_nothing: bool | None = None, user=None
) -> ImportResult:
    """Write a previewed batch's valid rows in one transaction (nothing if all-or-nothing fails).

    The stored file is classified again against the database as it is now, so a commit never
    writes from a stale preview; once the batch is saved its file is deleted. ``user`` (else
    whoever uploaded the file) is the one who asks in the requests to join that the import
    sends.
    """
    if batch.mode != ImportBatch.Mode.DRY_RUN:
        raise ImportRefused("Importen är redan genomförd eller ångrad.")
    if all_or_nothing is not None:
        batch.all_or_nothing = all_or_nothing
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.mode != ImportBatch.Mode.DRY_RUN:
            raise ImportRefused("Importen är redan genomförd eller ångrad.")
        data = stored_file(batch)
        if data is None:
            raise ImportRefused(file_gone_message())
        try:
            result = run_import(
                source=data,
                organisation=batch.organisation,
                dry_run=False,
                all_or_nothing=batch.all_or_nothing,
                batch=batch,
                user=user if user is not None else batch.created_by,
            )
        except ReadError as exc:
            raise ImportRefused(str(exc)) from exc
        if not result.written:
            _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
            batch.summary["refused"] = True
            batch.save(update_fields=["summary", "all_or_nothing"])
            return result
        _store(batch, result, mode=ImportBatch.Mode.COMMITTED)
        ImportFile.objects.filter(batch=batch).delete()
        result.batch = batch
        return result


@paused_gc()
def batch_decide(
    *, batch: ImportBatch, access: Access, row_id, choice: str, user=None
) -> ImportChoice:
    """Remember a registrar's decision for a row of a previewed list, then classify the file
    again with it.

    ``choice`` is one of the row's offers (``ImportRow.offers``): ``same:<arrangement>`` or
    ``new`` for a possible duplicate, ``partner:<index>:<organisation>`` for an unknown partner
    name. Anything else is refused with a Swedish message, and nothing is stored.
    """
    if not access.can_change(batch):
        raise PermissionDenied("Du har inte behörighet att ändra den här importen.")
    if batch.mode != ImportBatch.Mode.DRY_RUN:
        raise ImportRefused("Importen är redan genomförd eller ångrad; valet kan inte ändras.")
    row = batch.rows.filter(pk=int(row_id)).first() if str(row_id or "").isdigit() else None
    if row is None:
        raise ImportRefused("Raden finns inte i den här importen.")
    data = stored_file(batch)
    if data is None:
        raise ImportRefused(file_gone_message())
    offers = row.offers or {}
    fields = {"arrangement": None, "partner": None}
    duplicate = offers.get("duplicate") or {}
    kind, _, rest = choice.partition(":")
    if kind == "new" and duplicate:
        key, fields["kind"] = duplicate["key"], ImportChoice.Kind.NEW
    elif kind == "same" and duplicate and rest in {str(o["id"]) for o in duplicate["options"]}:
        arrangement = access.arrangements().filter(pk=int(rest)).first()
        if arrangement is None:
            raise ImportRefused("Samverkan finns inte längre eller syns inte för organisationen.")
        key, fields["kind"], fields["arrangement"] = (
            duplicate["key"],
            ImportChoice.Kind.SAME,
            arrangement,
        )
    elif kind == "partner":
        index, _, org_id = rest.partition(":")
        partners = offers.get("partners") or []
        offer = partners[int(index)] if index.isdigit() and int(index) < len(partners) else None
        if offer is None or org_id not in {str(o["id"]) for o in offer["options"]}:
            raise ImportRefused("Välj en av de organisationer som föreslås.")
        key, fields["kind"] = partner_key(offer["text"]), ImportChoice.Kind.PARTNER
        fields["partner"] = Organisation.objects.get(pk=int(org_id))
    else:
        raise ImportRefused("Välj ett av alternativen för raden.")
    with transaction.atomic():
        decided, _ = ImportChoice.objects.update_or_create(
            organisation=batch.organisation,
            list_key=list_key(batch.file_name),
            key=key,
            defaults=fields | {"decided_by": user if user and user.is_authenticated else None},
        )
        try:
            result = run_import(
                source=data, organisation=batch.organisation, dry_run=True, batch=batch
            )
        except ReadError as exc:
            raise ImportRefused(str(exc)) from exc
        _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
    return decided


@paused_gc()
def import_file(
    *,
    data: bytes,
    file_name: str,
    organisation: Organisation,
    dry_run: bool = False,
    all_or_nothing: bool = True,
    progress=None,
) -> ImportResult:
    """Import a file in one go (the command line): classify, write, record the batch (committed,
    or failed when nothing was written)."""
    with transaction.atomic():
        batch = None
        if not dry_run:  # recorded first, so that the requests to join it sends can name it
            batch = ImportBatch.objects.create(  # no file stored: nothing reads it again
                organisation=organisation,
                file_name=fit(ImportBatch, "file_name", file_name),
                checksum=checksum(data),
                all_or_nothing=all_or_nothing,
                mode=ImportBatch.Mode.FAILED,
            )
        result = run_import(
            source=data,
            organisation=organisation,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            progress=progress,
            batch=batch,
        )
        if batch is not None:
            _store(
                batch,
                result,
                mode=ImportBatch.Mode.COMMITTED if result.written else ImportBatch.Mode.FAILED,
            )
            result.batch = batch
    return result


# --- Undo ------------------------------------------------------------------------------------


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


def _journal(batch: ImportBatch) -> list[dict]:
    return [e for row in batch.rows.order_by("pk") for e in row.journal]


def undo_refusal(batch: ImportBatch) -> str | None:
    """Return why the batch cannot be undone now, or None: a later import, or records that
    someone added or changed since and that the undo would delete or change
    (:mod:`importers.undo`), with who did what where."""
    problem = undo_problem(batch)
    if problem:
        return problem
    from .undo import describe, find_obstacles

    obstacles = find_obstacles(batch, _journal(batch))
    return describe(obstacles) if obstacles else None


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


@paused_gc()
@transaction.atomic
def batch_undo(*, batch: ImportBatch) -> int:
    """Restore what the batch changed to exactly its state before the import; return the number
    of records restored.

    Refuse, saying who did what where, when the undo would delete or change a record that
    someone added or changed since the import (:mod:`importers.undo`): the undo deletes only
    what the import created and restores only what it changed.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    # Check first: undo must not delete or overwrite what anyone added or changed since.
    problem = undo_refusal(batch)
    if problem:
        raise ImportRefused(problem)
    entries = _journal(batch)
    reason = f"Ångrad import: {batch.file_name}"
    count = 0
    created: dict[str, list[int]] = {}
    try:
        for entry in reversed(entries):
            model = _model(entry["model"])
            if entry["op"] == "create":
                created.setdefault(entry["model"], []).append(entry["pk"])
            elif entry["op"] == "update":
                obj = model.objects.filter(pk=entry["pk"]).first()
                if obj is None:
                    continue
                for name, value in entry["before"].items():
                    setattr(obj, name, _from_json(model, name, value))
                obj._change_reason = reason
                obj.save()
                count += 1
            elif entry["op"] == "m2m":
                obj = model.objects.filter(pk=entry["pk"]).first()
                if obj is not None:
                    getattr(obj, entry["field"]).set(entry["before"])
                    count += 1
            elif entry["op"] == "delete":
                for restored in serializers.deserialize("json", entry["data"]):
                    restored.save()
                    count += 1
        # What the import created goes last, in bulk, dependants first (seats before people).
        for label, pks in created.items():
            model = _model(label)
            for chunk in chunked(pks):
                deleted, _ = model.objects.filter(pk__in=chunk).delete()
                count += len(chunk) if deleted else 0
    except (ProtectedError, RestrictedError) as exc:
        raise ImportRefused(
            "Importen kan inte ångras: det den skapade används nu av andra uppgifter i registret."
        ) from exc
    batch.mode = ImportBatch.Mode.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["mode", "undone_at"])
    ImportFile.objects.filter(batch=batch).delete()  # none after a commit; kept by no rule
    return count
