"""Writing a plan: every record goes through the register's services (:mod:`register.services`),
tagged with the batch's change reason in the register's history, so that the import can be undone
from that history (:mod:`importers.undo`).

New arrangements are written in bulk, a table at a time (``arrangements_create_many``,
``records_create_many``); should a field or the database refuse any of them, they are written row
by row instead, to tell which row it was. Updates and requests to join are written row by row.
Each row's ``journal`` lists what it wrote (``{"op", "model", "pk"}``), no values: those are in
the history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from register.models import (
    Arrangement,
    Body,
    Cost,
    Decision,
    JoinRequest,
    Participation,
    Person,
    Seat,
)
from register.rules import body_for_seats
from register.services.arrangements import arrangement_create, arrangements_create_many
from register.services.join_requests import join_request_create
from register.services.records import record_delete, record_save, records_create_many

from . import selectors
from .fields import field_label, fit
from .models import ImportBatch, ImportRow
from .planning import Plan
from .representatives import Representative
from .results import RowPlan
from .selectors import Snapshot

WRITTEN = (ImportRow.Outcome.NEW, ImportRow.Outcome.UPDATE)


def write_plan(
    plan: Plan, *, reason: str, all_or_nothing: bool, user=None, batch: ImportBatch | None = None
) -> bool:
    """Write the plan's valid rows in one transaction; return whether anything was written.

    A row the database or a field refuses becomes invalid with the reason; with
    ``all_or_nothing`` nothing is written then.
    """
    rows = plan.result.rows
    writable = [
        r
        for r in rows
        if r.outcome in WRITTEN or (r.outcome == ImportRow.Outcome.JOIN and r.changes)
    ]
    new_rows = [r for r in writable if r.outcome == ImportRow.Outcome.NEW]
    with transaction.atomic():
        per_row = [r for r in writable if r.outcome != ImportRow.Outcome.NEW]
        try:
            with transaction.atomic():
                write_new_rows(new_rows, plan, reason)
        except (DatabaseError, ValidationError):
            # A field or the database refused some row: write row by row to find out which.
            for row in new_rows:
                row.arrangement_id = None
                row.journal = []
            per_row = new_rows + per_row
        for row in per_row:
            try:
                with transaction.atomic():
                    if row.outcome == ImportRow.Outcome.JOIN:
                        write_join(row, plan, reason=reason, user=user, batch=batch)
                    else:
                        write_row(row, plan, reason)
            except (DatabaseError, ValidationError, PermissionDenied) as exc:
                _refused(row, exc, new=plan.snapshot(row) is None)
                if all_or_nothing:
                    transaction.set_rollback(True)
                    for other in writable:
                        other.journal = []
                        if other.outcome == ImportRow.Outcome.NEW:
                            other.arrangement_id = None
                    return False
    return True


def _refused(row: RowPlan, exc: Exception, *, new: bool) -> None:
    messages = getattr(exc, "messages", None) or [
        str(exc)
        if isinstance(exc, PermissionDenied)
        else "Raden kunde inte sparas (databasen vägrade)."
    ]
    for message in messages:
        row.error("", message)
    row.outcome = ImportRow.Outcome.INVALID
    row.journal = []
    if new:
        row.arrangement_id = None


# --- Row by row ----------------------------------------------------------------------------


class RowWriter:
    """Write one row's records through the register's services and list them in its journal."""

    def __init__(self, row: RowPlan, reason: str):
        self.row = row
        self.reason = reason
        row.journal = []

    def note(self, op: str, model, pk) -> None:
        self.row.journal.append({"op": op, "model": model._meta.label_lower, "pk": pk})

    def save(self, instance, *, save_m2m=None):
        created = instance.pk is None
        with labelled(type(instance)):
            record_save(access=None, instance=instance, save_m2m=save_m2m, reason=self.reason)
        self.note("create" if created else "update", type(instance), instance.pk)
        return instance

    def delete(self, instance) -> None:
        self.note("delete", type(instance), instance.pk)
        record_delete(access=None, instance=instance, reason=self.reason)


@contextmanager
def labelled(*models) -> Iterator[None]:
    """Raise a field's ``ValidationError`` again with each message after the field's name
    ("Namn: ..."), as the preview shows it, the name found on the first model that has it."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        messages = []
        for name, errors in exc.message_dict.items():
            label = ""
            for model in models:
                try:
                    label = field_label(model, name)
                    break
                except FieldDoesNotExist:  # NON_FIELD_ERRORS, or another model's field
                    continue
            messages += [f"{label}: {message}" if label else message for message in errors]
        raise ValidationError(messages) from exc


def write_row(row: RowPlan, plan: Plan, reason: str) -> None:
    """Write one planned row (new or update). Raise on a refusal; the caller rolls back."""
    writer = RowWriter(row, reason)
    lookups = plan.lookups
    org = lookups.organisation
    snap = plan.snapshot(row)
    arr_fields = {c.key: c.value for c in row.changes if c.kind == "arr"}
    areas = _value(row, "areas")
    own_fields = {c.key: c.value for c in row.changes if c.kind == "own"}
    decision = _value(row, "decision")
    if snap is None:
        with labelled(Arrangement, Participation, Decision):
            arrangement = arrangement_create(
                access=None,
                organisation=org,
                service_areas=areas or (),
                participation=own_fields | {"extra_fields": _extra_fields(row, {})},
                entry_decision=_decision_fields(decision, arr_fields["name"]),
                reason=reason,
                **arr_fields,
            )
        own = Participation.objects.get(arrangement=arrangement, organisation=org)
        writer.note("create", Arrangement, arrangement.pk)
        if own.entry_decision_id:
            writer.note("create", Decision, own.entry_decision_id)
        writer.note("create", Participation, own.pk)
    else:
        arrangement = Arrangement.objects.get(pk=snap.pk)
        if arr_fields or areas is not None:
            for name, value in arr_fields.items():
                setattr(arrangement, name, value)
            writer.save(
                arrangement,
                save_m2m=(lambda: arrangement.service_areas.set(areas)) if areas else None,
            )
        own = Participation.objects.filter(pk=snap.own["pk"]).first() if snap.own else None
    row.arrangement_id = arrangement.pk
    for change in row.changes:
        if change.kind == "partner" and not (snap is None and change.key == org.pk):
            participation = writer.save(
                Participation(
                    arrangement=arrangement, organisation_id=change.key, role=change.value
                )
            )
            if change.key == org.pk:
                own = participation
    if snap is not None:
        _update_own(writer, row, arrangement, own, own_fields, decision)
    _write_costs(writer, row, own, snap)
    reps = _value(row, "seats")
    if reps is not None:
        form_slug = row.parsed.get("form") or lookups.form_slug.get(arrangement.form_id)
        _write_seats(writer, arrangement, snap, reps, plan, form_slug)


def _update_own(writer, row, arrangement, own, own_fields, decision) -> None:
    """Write our participation's fields and notes, and our entry decision."""
    own_fields = own_fields | {"extra_fields": _extra_fields(row, own.extra_fields)}
    if decision is not None:
        existing = Decision.objects.filter(pk=own.entry_decision_id).first()
        if existing is None:
            fields = _decision_fields(decision, arrangement.name)
            created = writer.save(
                Decision(
                    arrangement=arrangement,
                    organisation_id=own.organisation_id,
                    kind=Decision.Kind.ENTRY,
                    **fields,
                )
            )
            own_fields["entry_decision_id"] = created.pk
        else:
            existing.deciding_body = decision.deciding_body
            existing.date = decision.date
            existing.reference = decision.reference
            writer.save(existing)
    for name, value in own_fields.items():
        setattr(own, name, value)
    writer.save(own)


def _write_costs(writer: RowWriter, row: RowPlan, own, snap: Snapshot | None) -> None:
    """Write our costs: one save per year, whatever kinds of amount changed."""
    by_year: dict[int, dict] = {}
    for change in row.changes:
        if change.kind == "cost":
            year, kind = change.key
            by_year.setdefault(year, {})[kind] = change.value
    before = snap.costs if snap else {}
    for year, amounts in by_year.items():
        existing = before.get(year)
        cost = (
            Cost.objects.get(pk=existing["pk"]) if existing else Cost(participation=own, year=year)
        )
        for kind, amount in amounts.items():
            setattr(cost, kind, amount)
        writer.save(cost)


def _write_seats(writer: RowWriter, arrangement, snap, reps, plan: Plan, form_slug) -> None:
    """Our representatives: a listed person keeps every seat they hold in that role, the others
    lose theirs; a new one gets a seat in the body that decides (made when there is none)."""
    lookups = plan.lookups
    org = lookups.organisation
    listed = set(reps)
    seated = set()
    for seat in snap.seats if snap else []:
        rep = Representative(seat["person__name"], seat["party"], seat["role"])
        if rep in listed:
            seated.add(rep)
        else:
            writer.delete(Seat.objects.get(pk=seat["pk"]))
    wanted = [rep for rep in reps if rep not in seated]  # reps are distinct (parse)
    if not wanted:
        return
    body_id = snap.body_id if snap else None
    if body_id is None:
        kind, name = body_for_seats(lookups.form_of(form_slug))
        body_id = writer.save(Body(arrangement=arrangement, kind=kind, name=name)).pk
    people = selectors.people_by_name(org, [r.name for r in wanted])
    for rep in wanted:
        person_id = people.get((rep.name, rep.party))
        if person_id is None:
            person = writer.save(Person(name=rep.name, party=rep.party, organisation=org))
            person_id = people[(rep.name, rep.party)] = person.pk
        writer.save(
            Seat(
                body_id=body_id,
                person_id=person_id,
                appointed_by=org,
                role=rep.role,
                party=rep.party,
            )
        )


def write_join(row: RowPlan, plan: Plan, *, reason: str, user, batch) -> None:
    """Send the row's request to join (the plan made sure that none waits already); write
    nothing else to the arrangement."""
    change = next(c for c in row.changes if c.kind == "join")
    join_request = join_request_create(
        access=plan.lookups.access,
        arrangement=Arrangement.objects.get(pk=row.arrangement_id),
        organisation=plan.lookups.organisation,
        role=change.value,
        user=user,
        import_batch=batch,
        reason=reason,
    )
    RowWriter(row, reason).note("create", JoinRequest, join_request.pk)


# --- New arrangements in bulk ----------------------------------------------------------------


def write_new_rows(rows: list[RowPlan], plan: Plan, reason: str) -> None:
    """Write new arrangements in bulk: a statement per table and batch of rows, not per record."""
    if not rows:
        return
    org = plan.lookups.organisation
    journals: dict[int, list[dict]] = {id(row): [] for row in rows}

    def note(owners: list[RowPlan], ids: list, model) -> None:
        label = model._meta.label_lower
        for row, pk in zip(owners, ids, strict=True):
            journals[id(row)].append({"op": "create", "model": label, "pk": pk})

    # Each row's value of a change of one kind (areas, decision, seats), read once.
    first = {id(row): _first_values(row) for row in rows}
    arrangements = [{c.key: c.value for c in row.changes if c.kind == "arr"} for row in rows]
    created = arrangements_create_many(
        access=None,
        organisation=org,
        arrangements=arrangements,
        service_areas=[first[id(row)].get("areas") or [] for row in rows],
        participations=[
            {c.key: c.value for c in row.changes if c.kind == "own"}
            | {"extra_fields": _extra_fields(row, {})}
            for row in rows
        ],
        entry_decisions=[
            _decision_fields(first[id(row)].get("decision"), fields["name"])
            for row, fields in zip(rows, arrangements, strict=True)
        ],
        reason=reason,
    )
    for row, done in zip(rows, created, strict=True):
        row.arrangement_id = done.arrangement_id
        journals[id(row)].append(
            {"op": "create", "model": "register.arrangement", "pk": done.arrangement_id}
        )
        if done.entry_decision_id:
            journals[id(row)].append(
                {"op": "create", "model": "register.decision", "pk": done.entry_decision_id}
            )
        journals[id(row)].append(
            {"op": "create", "model": "register.participation", "pk": done.participation_id}
        )
    partner_rows, partners = [], []
    for row in rows:
        for change in row.changes:
            if change.kind == "partner" and change.key != org.pk:
                partner_rows.append(row)
                partners.append(
                    {
                        "arrangement_id": row.arrangement_id,
                        "organisation_id": change.key,
                        "role": change.value,
                    }
                )
    note(partner_rows, _create(Participation, partners, reason), Participation)
    own_of = {id(row): done.participation_id for row, done in zip(rows, created, strict=True)}
    cost_rows, costs = [], []
    for row in rows:
        by_year: dict[int, dict] = {}
        for change in row.changes:
            if change.kind == "cost":
                year, kind = change.key
                if year not in by_year:
                    by_year[year] = {"participation_id": own_of[id(row)], "year": year}
                    cost_rows.append(row)
                    costs.append(by_year[year])
                by_year[year][kind] = change.value
    note(cost_rows, _create(Cost, costs, reason), Cost)
    seats = {id(row): first[id(row)].get("seats") for row in rows}
    seat_rows = [row for row in rows if seats[id(row)]]
    if seat_rows:
        _write_new_seats(seat_rows, seats, plan, reason, note)
    for row in rows:
        row.journal = journals[id(row)]


def _write_new_seats(rows: list[RowPlan], seats_of: dict, plan: Plan, reason: str, note) -> None:
    """Create a body per new arrangement with representatives, their people and seats
    (``seats_of``: each row's representatives, by ``id(row)``)."""
    lookups = plan.lookups
    org = lookups.organisation
    bodies = []
    for row in rows:
        form_id = next(c.value for c in row.changes if c.kind == "arr" and c.key == "form_id")
        kind, name = body_for_seats(lookups.form_of(lookups.form_slug.get(form_id)))
        bodies.append({"arrangement_id": row.arrangement_id, "kind": kind.value, "name": name})
    body_ids = _create(Body, bodies, reason)
    note(rows, body_ids, Body)
    body_of = {id(row): pk for row, pk in zip(rows, body_ids, strict=True)}
    people = selectors.people_by_name(org, {rep.name for row in rows for rep in seats_of[id(row)]})
    person_rows, new_people = [], []
    for row in rows:
        for rep in seats_of[id(row)]:
            if (rep.name, rep.party) not in people:
                people[(rep.name, rep.party)] = None  # created just below
                person_rows.append(row)
                new_people.append({"name": rep.name, "party": rep.party, "organisation_id": org.pk})
    person_ids = _create(Person, new_people, reason)
    for person, pk in zip(new_people, person_ids, strict=True):
        people[(person["name"], person["party"])] = pk
    note(person_rows, person_ids, Person)
    seat_rows, seats = [], []
    for row in rows:
        for rep in seats_of[id(row)]:
            seat_rows.append(row)
            seats.append(
                {
                    "body_id": body_of[id(row)],
                    "person_id": people[(rep.name, rep.party)],
                    "appointed_by_id": org.pk,
                    "role": rep.role,
                    "party": rep.party,
                }
            )
    note(seat_rows, _create(Seat, seats, reason), Seat)


def _create(model, rows: list[dict], reason: str) -> list:
    return records_create_many(model=model, rows=rows, reason=reason) if rows else []


# --- What a row's changes say ------------------------------------------------------------------


def _first_values(row: RowPlan) -> dict:
    """Return the value of the row's first change of each kind, by kind."""
    values: dict = {}
    for change in row.changes:
        values.setdefault(change.kind, change.value)
    return values


def _value(row: RowPlan, kind: str):
    """Return the value of the row's change of ``kind`` (one at most), or None."""
    return next((c.value for c in row.changes if c.kind == kind), None)


def _decision_fields(value, arrangement_name: str) -> dict | None:
    """Return the fields of the entry decision the import records (None for none)."""
    if value is None:
        return None
    return {
        "deciding_body": value.deciding_body,
        "date": value.date,
        "reference": value.reference,
        "title": entry_decision_title(arrangement_name),
    }


def entry_decision_title(name: str) -> str:
    """Return the title of the entry decision the import records for an arrangement."""
    return fit(Decision, "title", f"Beslut om inträde i {name}")


def _extra_fields(row: RowPlan, before: dict) -> dict:
    """Return our participation's notes with the row's: its free columns, its raw cells and
    where they came from."""
    extra = dict(before or {})
    for change in row.changes:
        if change.kind == "extra":
            extra[change.key] = change.value
        elif change.kind == "column":
            extra["columns"] = {**(extra.get("columns") or {}), change.key: change.value}
    extra["raw"] = row.raw
    extra["source"] = {"sheet": row.sheet, "row": row.number}
    return extra
