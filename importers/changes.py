"""What importing a row would change, field by field, and whether the arrangement would still be
valid: the plan's per-field diff. Blank cells change nothing; partners are added, never removed.

Each kind of change has its own function, in the order the preview lists them: the arrangement's
own fields, its service areas, the participations, our participation's fields and notes, our
costs, our entry decision, our representatives.
"""

from __future__ import annotations

import functools
from datetime import date
from types import NoneType

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault

from register import fieldchecks
from register.models import Arrangement, Participation
from register.rules import (
    format_kronor,
    format_number,
    host_is_party,
    host_not_a_party,
    participant_role,
)
from register.validators import format_orgnr

from .lookups import Lookups
from .readers.headers import FIELD_HEADERS
from .representatives import Representative, format_representatives
from .results import Change, RowPlan
from .selectors import ARR_FIELDS, Snapshot
from .text import normalise_name
from .values import DecisionValue, format_notice

COST_KIND_LABELS = {"outcome": "Kostnad", "budget": "Budget", "forecast": "Prognos"}
# The notes the import keeps on our participation (extra_fields), with their labels.
EXTRA_LABELS = (
    ("contact", "Kontaktperson"),
    ("last_review", "Senaste uppföljning"),
    ("area_text", "Verksamhetsområde (fritext)"),
)


def compute_changes(plan: RowPlan, snap: Snapshot | None, lookups: Lookups) -> list[Change]:
    """Return what importing the row would change, field by field (blank cells change nothing).

    ``snap`` is a new arrangement (None) or one the organisation takes part in; a row naming
    one it does not take part in is a request to join (:func:`importers.joining.plan_join`)."""
    p = plan.parsed
    current = snap.fields if snap else dict.fromkeys(ARR_FIELDS)
    own = snap.own if snap and snap.own else {}
    return [
        *arrangement_changes(p, snap, current, lookups),
        *area_changes(p, snap, lookups),
        *participant_changes(p, snap, current, lookups),
        *own_changes(p, own),
        *cost_changes(p, snap.costs if snap else {}),
        *decision_changes(p, snap.decision if snap else None),
        *representative_changes(p, snap.seats if snap else []),
    ]


def arrangement_changes(p: dict, snap, current: dict, lookups: Lookups) -> list[Change]:
    """The arrangement's own fields: name, form, dates, notice, host, orgnr, purpose."""
    changes: list[Change] = []

    def arr(field_name, label, after, fmt=_fmt):
        before = current.get(field_name)
        if after != before:
            changes.append(Change(label, fmt(before), fmt(after), "arr", field_name, after))

    # A row the registrar said is an arrangement of another name keeps the register's name.
    if snap is None or (
        not p.get("chosen") and normalise_name(current["name"] or "") != normalise_name(p["name"])
    ):
        arr("name", "Namn", p["name"])
    if p.get("form"):
        arr(
            "form_id",
            "Samverkansform",
            lookups.form_by_slug[p["form"]],
            lambda v: lookups.form_name.get(v, ""),
        )
    if "start" in p:
        arr("start_date", "Startdatum", p["start"].value)
    if "end" in p:
        arr("end_date", "Slutdatum", p["end"].value, lambda v: _fmt(v) or "tills vidare")
    if "notice" in p:
        arr("notice_months", "Uppsägningstid", p["notice"], format_notice)
    if "host" in p:
        arr("host_id", "Värdkommun", p["host"].pk, lookups.org_label)
    if "orgnr" in p:
        arr("orgnr", "Organisationsnummer", p["orgnr"], lambda v: format_orgnr(v) if v else "")
    if "purpose" in p:
        arr("public_description", "Syfte", p["purpose"])
    return changes


def area_changes(p: dict, snap, lookups: Lookups) -> list[Change]:
    """The service areas, when the row names any and they differ."""
    if "areas" not in p:
        return []
    after = {lookups.area_by_slug[s] for s in p["areas"]}
    before = snap.area_ids if snap else set()
    if not after or after == before:
        return []
    return [
        Change(
            "Verksamhetsområden",
            ", ".join(sorted(lookups.area_name[a] for a in before)),
            ", ".join(sorted(lookups.area_name[a] for a in after)),
            "areas",
            value=sorted(after),
        )
    ]


def participant_changes(p: dict, snap, current: dict, lookups: Lookups) -> list[Change]:
    """The participations to add: ours, the partners', the host's, each with its form's role."""
    org_id = lookups.organisation.pk
    form_slug = p.get("form") or (lookups.form_slug.get(current["form_id"]) if snap else None)
    participants = dict(snap.participants) if snap else {}
    host_id = p["host"].pk if "host" in p else (current.get("host_id") if snap else None)
    wanted = [org_id] + [o.pk for o in p.get("partners", [])]
    if host_id and host_id not in wanted:
        wanted.append(host_id)
    changes = []
    for pk in wanted:
        if pk not in participants:
            role = participant_role(lookups.form_of(form_slug), is_host=pk == host_id)
            label = "Vårt deltagande" if pk == org_id else f"Part: {lookups.org_label(pk)}"
            changes.append(Change(label, "", _ROLE_LABELS[role], "partner", pk, role))
    return changes


_ROLE_LABELS = dict(Participation.Role.choices)


def own_changes(p: dict, own: dict) -> list[Change]:
    """Our participation's fields, the notes kept on it and the file's unknown columns."""
    changes = []

    def own_field(field_name, label, after):
        before = own.get(field_name, "")
        if after != before:
            changes.append(Change(label, _fmt(before), _fmt(after), "own", field_name, after))

    if "responsible_body" in p:
        own_field("political_body", "Ansvarig nämnd", p["responsible_body"])
    if "comment" in p:
        own_field("internal_note", "Kommentar", p["comment"])
    extra_before = own.get("extra_fields") or {}
    for key, label in EXTRA_LABELS:
        if key in p and p[key] != extra_before.get(key):
            changes.append(Change(label, _fmt(extra_before.get(key)), p[key], "extra", key, p[key]))
    columns_before = extra_before.get("columns") or {}
    for header, text in p["extra"].items():
        if columns_before.get(header) != text:
            changes.append(
                Change(
                    f"Kolumn ”{header}”",
                    columns_before.get(header, ""),
                    text,
                    "column",
                    header,
                    text,
                )
            )
    return changes


def cost_changes(p: dict, costs_before: dict) -> list[Change]:
    """Our costs per year and kind."""
    changes = []
    for (year, kind), amount in sorted(p["costs"].items()):
        before = (costs_before.get(year) or {}).get(kind)
        if before != amount:
            changes.append(
                Change(
                    f"{COST_KIND_LABELS[kind]} {year}",
                    format_kronor(before),
                    format_kronor(amount),
                    "cost",
                    (year, kind),
                    amount,
                )
            )
    return changes


def decision_changes(p: dict, before: dict | None) -> list[Change]:
    """Our entry decision."""
    decision: DecisionValue | None = p.get("decision")
    if not decision:
        return []
    before_value = (
        DecisionValue(before["date"], before["deciding_body"], before["reference"])
        if before
        else None
    )
    if before_value == decision:
        return []
    label = before_value.label() if before_value else ""
    return [Change("Beslut om inträde", label, decision.label(), "decision", value=decision)]


def representative_changes(p: dict, seats: list[dict]) -> list[Change]:
    """Who represents us and in what role, whatever the body: a person who sits in two of the
    arrangement's bodies in the same role is listed once."""
    if "representatives" not in p:
        return []
    reps: list[Representative] = p["representatives"]
    before = list(
        dict.fromkeys(Representative(s["person__name"], s["party"], s["role"]) for s in seats)
    )
    if set(reps) == set(before):
        return []
    # The key keeps who sits today: the seats of those not listed again end (RowPlan.seats_ending).
    return [
        Change(
            "Våra ledamöter",
            format_representatives(before),
            format_representatives(reps),
            "seats",
            key=before,
            value=reps,
        )
    ]


# Where an arrangement field's error is shown: the column of the field it was read from.
_COLUMN_OF = {
    "name": "name",
    "start_date": "start",
    "end_date": "end",
    "orgnr": "orgnr",
    "notice_months": "notice",
}


def validate_arrangement(
    plan: RowPlan, snap: Snapshot | None, sheet_headers: dict, lookups: Lookups
) -> None:
    """Check the arrangement as it would be saved (lengths, orgnr, end before start, a host
    that is one of its parties: the rule the forms keep, ``rules.host_is_party``)."""
    fields = dict(snap.fields) if snap else dict.fromkeys(ARR_FIELDS)
    for change in plan.changes:
        if change.kind == "arr":
            fields[change.key] = change.value
    if not fields.get("form_id"):
        plan.error(
            sheet_headers.get("form", FIELD_HEADERS["form"]),
            "Samverkansform saknas. Ange till exempel kommunalförbund, gemensam nämnd eller avtal.",
        )
        return
    parties = set(snap.participants if snap else ()) | {
        change.key for change in plan.changes if change.kind == "partner"
    }
    if not host_is_party(fields.get("host_id"), parties):
        plan.error(
            sheet_headers.get("host", FIELD_HEADERS["host"]),
            host_not_a_party(lookups.org_label(fields["host_id"])),
        )
    for field_name, messages in arrangement_errors(fields, lookups.checked).items():
        key = _COLUMN_OF.get(field_name, field_name)
        header = sheet_headers.get(key, FIELD_HEADERS.get(key, field_name))
        for message in messages:
            plan.error(header, message)


# Not checked with the row: the relations (the plan found them in the register), the website
# (not read from a list).
_NOT_CHECKED = {"form", "host", "legal_entity", "predecessor", "parent", "website"}


def arrangement_errors(fields: dict, checked: dict) -> dict[str, list[str]]:
    """Return the errors ``Arrangement(**fields)``'s ``clean_fields()`` and then ``clean()``
    give (by field name, in the model's order), without making a model instance per row.

    A field's check (``Field.clean``: to Python, choices, blank, null, length, validators) does
    not depend on the record for these fields, so each distinct value of a field is checked once
    per file and remembered in ``checked``: most columns hold a few values (a form, a default),
    and every field a row does not give has the same default in every row, worked out once per
    file for the fields rows give (:func:`_row_shape`).
    """
    names = frozenset(fields)
    shape = checked.get(names)
    if shape is None:
        shape = checked[names] = _row_shape(names, checked)
    given, values, errors, fresh = shape
    values = dict(values)
    errors = dict(errors)
    for field in fresh:  # a callable default: a value of its own for every row
        _check_field(field, field.get_default(), values, errors, checked)
    for field in given:
        _check_field(field, fields[field.attname], values, errors, checked)
    if errors:
        return {name: errors[name] for name in _field_order() if name in errors}
    record = Arrangement.__new__(Arrangement)  # clean() reads the record's attributes only
    record.__dict__.update(values, _state=ModelState())
    try:
        record.clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _row_shape(names: frozenset, checked: dict) -> tuple:
    """For rows that give the fields ``names``: the fields given, in the model's order; the
    values and errors of the fields not given (their defaults, the same in every row); the
    fields not given whose default is made anew for each row."""
    given, values, errors, fresh = [], {}, {}, []
    for field in Arrangement._meta.fields:
        if field.attname in names:
            given.append(field)
        elif field.has_default() and callable(field.default):
            fresh.append(field)
        else:
            _check_field(field, field.get_default(), values, errors, checked)
    return tuple(given), values, errors, tuple(fresh)


@functools.cache
def _field_order() -> tuple[str, ...]:
    return tuple(field.name for field in Arrangement._meta.fields)


def _check_field(field, value, values: dict, errors: dict, checked: dict) -> None:
    """Check one field's value as ``clean_fields()`` does (each distinct value once, through
    ``checked``): its cleaned value into ``values``, its messages into ``errors``."""
    values[field.attname] = value
    if field.name in _NOT_CHECKED or field.generated:
        return
    if (field.blank and value in field.empty_values) or isinstance(value, DatabaseDefault):
        return
    key = (field.attname, type(value), value) if _hashable(value) else None
    outcome = checked.get(key) if key is not None else None
    if outcome is None:
        try:
            outcome = (True, fieldchecks.clean(field, value))
        except ValidationError as exc:
            outcome = (False, exc.messages)
        if key is not None:
            checked[key] = outcome
    ok, result = outcome
    if ok:
        values[field.attname] = result
    else:
        errors[field.name] = list(result)


def _hashable(value) -> bool:
    return isinstance(value, str | int | date | NoneType)


def _fmt(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return format_number(value)
    return str(value)
