"""Classify every row of a file against the database, writing nothing.

A file becomes a *plan*: every row is new, update, unchanged, a request to join or invalid, with
field errors and a per-field diff, computed with one query per kind of lookup (organisations,
forms, areas, arrangements, then the matched arrangements' participations, costs, seats and
decisions).

The import acts for one organisation and sees what its members see
(``Access.for_organisation``): a row is matched only against arrangements that are published or
that the organisation takes part in, filtered in the query, so an arrangement hidden from the
organisation is never loaded and a row naming it is planned exactly as a row naming nothing
(a new arrangement). A row naming a visible arrangement the organisation does not take part in
becomes a request to join it (``JoinRequest``) and writes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst

from register.access import Access
from register.models import (
    Arrangement,
    Body,
    CooperationForm,
    Cost,
    Decision,
    JoinRequest,
    Organisation,
    Participation,
    Person,
    Seat,
    ServiceArea,
)
from register.rules import format_kronor, format_number, participant_role
from register.validators import format_orgnr, normalise_orgnr

from .models import ImportBatch, ImportRow
from .readers import FIELD_HEADERS, Workbook
from .values import (
    DecisionValue,
    OrgRef,
    PartnerMatcher,
    Representative,
    ValueProblem,
    cell_text,
    fold,
    format_notice,
    format_representatives,
    match_areas,
    normalise_name,
    parse_amount,
    parse_date,
    parse_decision,
    parse_form,
    parse_notice,
    parse_representatives,
)

TOTAL_WORDS = {"summa", "totalt", "total", "summa totalt", "totalsumma", "summering", "sum"}
COST_KIND_LABELS = {"outcome": "Kostnad", "budget": "Budget", "forecast": "Prognos"}
CHUNK = 2000
PARTNERS_LABEL = "Parter som läggs till"


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Issue:
    sheet: str
    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "message": self.message}


@dataclass
class Change:
    """One field's change: a label the user reads, and what the commit does with it."""

    label: str
    before: str
    after: str
    kind: str  # arr, areas, partner, own, extra, column, cost, decision, seats, join
    key: object = None
    value: object = None


@dataclass
class RowPlan:
    sheet: str
    number: int
    raw: dict[str, str]
    outcome: str = ImportRow.Outcome.NEW
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    arrangement_id: int | None = None
    parsed: dict = field(default_factory=dict)
    journal: list[dict] = field(default_factory=list)
    # What the registrar may decide in the preview: {"duplicate": {"key", "options"},
    # "partners": [{"text", "options"}]}, options as [{"id", "name"}].
    offers: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append(Issue(self.sheet, self.number, column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(self.sheet, self.number, column, message))

    @property
    def diff(self) -> dict:
        """Return the changes as {label: {before, after}}; added partners on one line."""
        diff: dict = {}
        partners: dict[str, list[str]] = {}
        for change in self.changes:
            if change.kind == "partner" and change.label.startswith("Part: "):
                partners.setdefault(change.after, []).append(change.label[len("Part: ") :])
                if PARTNERS_LABEL not in diff:
                    diff[PARTNERS_LABEL] = None  # keep its place in the order
                continue
            diff[change.label] = {"before": change.before, "after": change.after}
        if partners:
            diff[PARTNERS_LABEL] = {
                "before": "",
                "after": "; ".join(
                    f"{role}: {', '.join(names)}" for role, names in partners.items()
                ),
            }
        return diff


@dataclass
class ImportResult:
    rows: list[RowPlan] = field(default_factory=list)
    skipped_rows: int = 0
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    file_warnings: list[Issue] = field(default_factory=list)
    written: bool = False
    headers: dict[str, list[str]] = field(default_factory=dict)  # sheet → headers, in file order
    batch: ImportBatch | None = None
    read_error: str | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def invalid(self) -> int:
        return self.count(ImportRow.Outcome.INVALID)

    @property
    def errors(self) -> list[Issue]:
        return [e for r in self.rows for e in r.errors]

    @property
    def warnings(self) -> list[Issue]:
        return self.file_warnings + [w for r in self.rows for w in r.warnings]

    def summary(self) -> dict:
        return {
            "created": self.count(ImportRow.Outcome.NEW),
            "updated": self.count(ImportRow.Outcome.UPDATE),
            "join_requests": self.count(ImportRow.Outcome.JOIN),
            "unchanged": self.count(ImportRow.Outcome.UNCHANGED),
            "invalid": self.invalid,
            "skipped_rows": self.skipped_rows,
            "skipped_sheets": [{"sheet": s, "reason": r} for s, r in self.skipped_sheets],
            "written": self.written,
        }

    def as_json(self) -> dict:
        data = self.summary()
        data["errors"] = [e.as_dict() for e in self.errors]
        data["warnings"] = [w.as_dict() for w in self.warnings]
        if self.read_error:
            data["errors"] = [
                {"sheet": None, "row": None, "field": None, "message": self.read_error}
            ]
        if self.batch is not None:
            data["batch"] = self.batch.pk
        return data


class ImportRefused(Exception):
    """The import cannot go ahead (a Swedish message for the user)."""


# --- Decisions remembered between imports of the same list ----------------------------------


def list_key(file_name: str) -> str:
    """Return a list's identity: its file name without extension, years, versions, case or
    punctuation, so that "Samverkan 2025 v2.xlsx" and "samverkan_2026.xls" are the same list."""
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = [w for w in fold(stem).split() if not any(ch.isdigit() for ch in w)]
    return " ".join(w for w in words if w not in _VERSION_WORDS)[:255]


_VERSION_WORDS = {"v", "ver", "version", "kopia", "copy", "final", "slutlig", "ny", "reviderad"}


def row_key(parsed: dict) -> str:
    """Return what identifies a row of a list between imports: its name and form, as the
    file's own duplicate check reads them."""
    return f"{normalise_name(parsed.get('name', ''))}|{parsed.get('form') or ''}"[:500]


def partner_key(text: str) -> str:
    return f"partner:{fold(text)}"[:500]


# --- Reference data, loaded once per file ------------------------------------------------------


class Lookups:
    """Everything a file's rows are matched against, with one query per kind of lookup.

    Arrangements come through ``access`` (what the organisation's members may see), in the
    query: one the organisation may not see is never loaded.
    """

    def __init__(self, organisation: Organisation, access: Access, list_name: str = ""):
        self.organisation = organisation
        self.access = access
        self.forms = {form.slug: form for form in CooperationForm.objects.all()}
        self.form_by_slug = {slug: form.pk for slug, form in self.forms.items()}
        self.form_name = {form.pk: form.name for form in self.forms.values()}
        self.form_slug = {form.pk: slug for slug, form in self.forms.items()}
        self.known_forms = {}
        for slug, name in ((slug, form.name) for slug, form in self.forms.items()):
            self.known_forms[fold(name)] = slug
            self.known_forms[fold(slug)] = slug
        areas = list(ServiceArea.objects.values_list("pk", "slug", "name"))
        self.area_by_slug = {slug: pk for pk, slug, _ in areas}
        self.area_name = {pk: name for pk, _, name in areas}
        self.known_areas = {}
        for _, slug, name in areas:
            self.known_areas[fold(name)] = slug
            self.known_areas[slug] = slug
        orgs = [
            OrgRef(pk, kind, name, short_name or "", code)
            for pk, kind, name, short_name, code in Organisation.objects.values_list(
                "pk", "kind", "name", "short_name", "code"
            )
        ]
        self.org_by_pk = {o.pk: o for o in orgs}
        self.partners = PartnerMatcher(orgs)
        self.arrangement_keys: dict[tuple[str, int], list[int]] = {}
        self.arrangement_names: dict[str, list[int]] = {}
        self.arrangement_orgnr: dict[str, int] = {}
        self.visible_ids: set[int] = set()
        for pk, name, form_id, orgnr in access.arrangements().values_list(
            "pk", "name", "form_id", "orgnr"
        ):
            key = normalise_name(name)
            self.arrangement_keys.setdefault((key, form_id), []).append(pk)
            self.arrangement_names.setdefault(key, []).append(pk)
            if orgnr:
                self.arrangement_orgnr.setdefault(orgnr, pk)
            self.visible_ids.add(pk)
        # The registrar's decisions for this list (ImportChoice), as far as they still hold:
        # an arrangement the organisation may still see, any organisation.
        self.chosen_arrangement: dict[str, int | None] = {}
        aliases: dict[str, OrgRef] = {}
        if list_name:
            from .models import ImportChoice

            for key, kind, arrangement_id, partner_id in ImportChoice.objects.filter(
                organisation=organisation, list_key=list_key(list_name)
            ).values_list("key", "kind", "arrangement_id", "partner_id"):
                if kind == ImportChoice.Kind.NEW:
                    self.chosen_arrangement[key] = None
                elif kind == ImportChoice.Kind.SAME and arrangement_id in self.visible_ids:
                    self.chosen_arrangement[key] = arrangement_id
                elif kind == ImportChoice.Kind.PARTNER and partner_id in self.org_by_pk:
                    aliases[key.removeprefix("partner:")] = self.org_by_pk[partner_id]
        self.partners.aliases = aliases

    def org_label(self, pk: int | None) -> str:
        if pk is None:
            return ""
        org = self.org_by_pk.get(pk)
        return org.name if org else str(pk)


@dataclass
class Snapshot:
    """An existing arrangement as the import sees it (loaded in bulk)."""

    pk: int
    fields: dict
    area_ids: set[int] = field(default_factory=set)
    participants: dict[int, str] = field(default_factory=dict)  # org id → role
    own: dict | None = None  # own participation: pk, political_body, internal_note, extra_fields
    decision: dict | None = None
    costs: dict[int, dict] = field(default_factory=dict)  # year → {pk, budget, outcome, forecast}
    seats: list[dict] = field(default_factory=list)
    body_id: int | None = None


ARR_FIELDS = (
    "name",
    "form_id",
    "start_date",
    "end_date",
    "notice_months",
    "host_id",
    "orgnr",
    "public_description",
)


def chunked(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_snapshots(pks, organisation_id: int) -> dict[int, Snapshot]:
    """Return the state of the given arrangements, one query per related table."""
    snaps: dict[int, Snapshot] = {}
    pks = list(set(pks))
    if not pks:
        return snaps
    for chunk in chunked(pks):
        for row in Arrangement.objects.filter(pk__in=chunk).values("pk", *ARR_FIELDS):
            snaps[row["pk"]] = Snapshot(pk=row["pk"], fields=row)
        through = Arrangement.service_areas.through
        for arr_id, area_id in through.objects.filter(arrangement_id__in=chunk).values_list(
            "arrangement_id", "servicearea_id"
        ):
            snaps[arr_id].area_ids.add(area_id)
        for row in Participation.objects.filter(arrangement_id__in=chunk).values(
            "pk",
            "arrangement_id",
            "organisation_id",
            "role",
            "political_body",
            "internal_note",
            "extra_fields",
            "entry_decision_id",
        ):
            snap = snaps[row["arrangement_id"]]
            snap.participants[row["organisation_id"]] = row["role"]
            if row["organisation_id"] == organisation_id:
                snap.own = row
        for row in (
            Body.objects.filter(arrangement_id__in=chunk)
            .order_by("arrangement_id", "pk")
            .values("pk", "arrangement_id", "powers")
        ):
            snap = snaps[row["arrangement_id"]]
            if snap.body_id is None and row["powers"] == Body.Powers.DECIDES:
                snap.body_id = row["pk"]
        for row in (
            Seat.objects.filter(body__arrangement_id__in=chunk, appointed_by_id=organisation_id)
            .order_by("pk")
            .values("pk", "body_id", "body__arrangement_id", "person__name", "party", "role")
        ):
            snaps[row["body__arrangement_id"]].seats.append(row)
    own_by_pk = {s.own["pk"]: s for s in snaps.values() if s.own}
    decision_ids = {
        s.own["entry_decision_id"]: s
        for s in snaps.values()
        if s.own and s.own["entry_decision_id"]
    }
    for chunk in chunked(own_by_pk):
        for row in Cost.objects.filter(participation_id__in=chunk).values(
            "pk", "participation_id", "year", "budget", "outcome", "forecast"
        ):
            own_by_pk[row["participation_id"]].costs[row["year"]] = row
    for chunk in chunked(decision_ids):
        for row in Decision.objects.filter(pk__in=chunk).values(
            "pk", "deciding_body", "date", "reference"
        ):
            decision_ids[row["pk"]].decision = row
    return snaps


# --- Field rules -----------------------------------------------------------------------------


def max_length(model, field_name: str) -> int | None:
    """Return the model field's maximum length: the one place a length is written."""
    return model._meta.get_field(field_name).max_length


def fit(model, field_name: str, text: str) -> str:
    """Cut a text that the importer makes itself (a file name, a decision's title) to the
    model field's length. A cell's own value is never cut: too long is a row error
    (:func:`field_problems`)."""
    limit = max_length(model, field_name)
    return text[:limit] if limit else text


def field_problems(model, field_name: str, value) -> list[str]:
    """Return what the model field's own checks (those of ``full_clean()``: maximum length,
    choices, validators) say against ``value``, in Swedish; nothing when it may be saved.

    SQLite does not enforce a column's length and PostgreSQL does, so the preview checks here
    and a value too long is the same row error on both."""
    try:
        model._meta.get_field(field_name).clean(value, None)
    except ValidationError as exc:
        return exc.messages
    return []


def _check(plan: RowPlan, header: str, model, field_name: str, value, label: str = "") -> None:
    """Record the field's problems with ``value`` as errors in the cell's column; ``label``
    says which part of the cell (a cell like "KF 2019-03-25 § 45" fills two fields)."""
    for message in field_problems(model, field_name, value):
        plan.error(header, f"{label}: {message}" if label else message)


def field_label(model, field_name: str) -> str:
    """Return the field's name as the forms show it ("Beslutande organ")."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


# --- Parsing a row ---------------------------------------------------------------------------


def _is_total_row(values: dict) -> bool:
    first = next((v for v in values.values() if isinstance(v, str) and v.strip()), None)
    if first is None or len(first) > 40:
        return False
    key = fold(first)
    return key in TOTAL_WORDS or key.startswith(("summa ", "totalt ", "total "))


def parse_row(row, sheet, lookups: Lookups) -> RowPlan | None:
    """Return the row's parsed values and problems; None for an empty row."""
    values = row.values
    columns = sheet.columns_by_index
    texts = {i: cell_text(v) for i, v in values.items()}
    raw = {columns[i].header: text for i, text in texts.items() if text}
    if not raw:
        return None
    plan = RowPlan(sheet=sheet.name, number=row.number, raw=raw)
    if _is_total_row(values):
        plan.outcome = ImportRow.Outcome.SKIPPED
        return plan
    for index in row.formula_without_value:
        plan.warn(
            columns[index].header,
            "Cellen innehåller en formel utan sparat värde och lästes som tom. Öppna filen i "
            "Excel, spara den och ladda upp den igen.",
        )
    p = plan.parsed
    p["costs"] = {}
    p["extra"] = {}
    joined = sheet.joined_values(values)
    for index, value in joined.items():
        column = columns[index]
        header = column.header
        name = column.field
        text = texts[index] if joined is values else cell_text(value)
        if not text:
            continue
        if name == "ignore":
            continue
        try:
            if name is None:
                p["extra"][header] = text
            elif name == "name":
                p["name"] = " ".join(text.split())
                _check(plan, header, Arrangement, "name", p["name"])
            elif name == "form":
                p["form"] = parse_form(value, lookups.known_forms)
            elif name == "partners":
                found, unknown = lookups.partners.match_list_detail(value)
                p["partners"] = found
                for text_of, message in unknown:
                    plan.error(header, message)
                    options = lookups.partners.suggested_orgs(text_of)
                    if options:
                        plan.offers.setdefault("partners", []).append(
                            {
                                "text": text_of,
                                "options": [{"id": o.pk, "name": o.name} for o in options],
                            }
                        )
            elif name == "host":
                org = lookups.partners.match(text)
                if org is None:
                    plan.error(
                        header,
                        lookups.partners.unknown_message(text).replace("Parten", "Värdkommunen"),
                    )
                else:
                    p["host"] = org
            elif name == "area":
                slugs, unknown = match_areas(value, lookups.known_areas)
                p["areas"] = slugs
                if unknown:
                    p["area_text"] = ", ".join(unknown)
                    plan.warn(
                        header,
                        f"Verksamhetsområdet ”{p['area_text']}” finns inte i registrets lista; "
                        "texten sparas på deltagandet.",
                    )
            elif name in {"start", "end"}:
                parsed = parse_date(value, end=name == "end")
                if parsed is not None:
                    if name == "start" and parsed.open_ended:
                        raise ValueProblem(f"Startdatum ”{text}” är inget datum.")
                    p[name] = parsed
            elif name == "notice":
                p["notice"] = parse_notice(value)
            elif name == "cost":
                multiplier = column.multiplier or sheet.default_multiplier
                amount = parse_amount(value, multiplier)
                if amount is not None:
                    p["costs"][(column.year, column.kind)] = amount
            elif name == "representatives":
                p["representatives"] = parse_representatives(value)
                for rep in p["representatives"]:
                    short = rep.name if len(rep.name) <= 60 else rep.name[:60] + "…"
                    who = f"Ledamoten ”{short}”"
                    _check(plan, header, Person, "name", rep.name, f"{who}, namnet")
                    # The party is written on the person and on the seat.
                    for model in (Person, Seat):
                        if field_problems(model, "party", rep.party):
                            _check(plan, header, model, "party", rep.party, f"{who}, partiet")
                            break
            elif name == "decision":
                p["decision"] = parse_decision(value)
                for part in ("deciding_body", "reference") if p["decision"] else ():
                    text_of = getattr(p["decision"], part)
                    _check(plan, header, Decision, part, text_of, field_label(Decision, part))
            elif name == "orgnr":
                digits = normalise_orgnr(text)
                try:
                    from register.validators import validate_orgnr

                    validate_orgnr(digits)
                except ValidationError as exc:
                    raise ValueProblem(" ".join(exc.messages)) from exc
                p["orgnr"] = digits
            elif name == "responsible_body":
                p["responsible_body"] = text
                _check(plan, header, Participation, "political_body", text)
            elif name == "comment":
                p["comment"] = text
            elif name == "purpose":
                p["purpose"] = text
            elif name == "contact":
                p["contact"] = text
            elif name == "last_review":
                p["last_review"] = text
        except ValueProblem as exc:
            plan.error(header, str(exc))
    if not p.get("name"):
        plan.error(_header_for(sheet, "name"), "Namn saknas. Varje rad behöver samverkans namn.")
    return plan


def _header_for(sheet, field_name: str) -> str:
    for column in sheet.columns:
        if column.field == field_name:
            return column.header
    return FIELD_HEADERS.get(field_name, field_name)


# --- Planning --------------------------------------------------------------------------------


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


def match_arrangement(plan: RowPlan, lookups: Lookups, own_ids: set[int]) -> int | None:
    """Return the arrangement the row is: by orgnr, else by name and form, else the one the
    registrar chose for this row of the list in an earlier preview (None: a new one)."""
    found = _match_in_file(plan, lookups, own_ids)
    if found is None and lookups.chosen_arrangement.get(row_key(plan.parsed)):
        plan.parsed["chosen"] = True
        return lookups.chosen_arrangement[row_key(plan.parsed)]
    return found


def _match_in_file(plan: RowPlan, lookups: Lookups, own_ids: set[int]) -> int | None:
    p = plan.parsed
    if p.get("orgnr") and p["orgnr"] in lookups.arrangement_orgnr:
        return lookups.arrangement_orgnr[p["orgnr"]]
    key = normalise_name(p.get("name", ""))
    if p.get("form"):
        hits = lookups.arrangement_keys.get((key, lookups.form_by_slug.get(p["form"])), [])
        if hits:
            own = [pk for pk in hits if pk in own_ids]
            return (own or hits)[0]
        return None
    hits = lookups.arrangement_names.get(key, [])
    own = [pk for pk in hits if pk in own_ids]
    if len(own) == 1:
        return own[0]
    if len(hits) == 1:
        return hits[0]
    return None


def compute_changes(plan: RowPlan, snap: Snapshot | None, lookups: Lookups) -> list[Change]:
    """Return what importing the row would change, field by field (blank cells change nothing).

    ``snap`` is a new arrangement (None) or one the organisation takes part in; a row naming
    one it does not take part in is a request to join (:func:`plan_join`)."""
    p = plan.parsed
    org_id = lookups.organisation.pk
    changes: list[Change] = []
    current = snap.fields if snap else dict.fromkeys(ARR_FIELDS)
    form_slug = p.get("form") or (lookups.form_slug.get(current["form_id"]) if snap else None)

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
    if "areas" in p:
        after = {lookups.area_by_slug[s] for s in p["areas"]}
        before = snap.area_ids if snap else set()
        if after and after != before:
            changes.append(
                Change(
                    "Verksamhetsområden",
                    ", ".join(sorted(lookups.area_name[a] for a in before)),
                    ", ".join(sorted(lookups.area_name[a] for a in after)),
                    "areas",
                    value=sorted(after),
                )
            )
    # Participations: ours, the partners', the host's. Partners are added, never removed.
    participants = dict(snap.participants) if snap else {}
    host_id = p["host"].pk if "host" in p else (current.get("host_id") if snap else None)
    wanted = [org_id] + [o.pk for o in p.get("partners", [])]
    if host_id and host_id not in wanted:
        wanted.append(host_id)
    for pk in wanted:
        if pk not in participants:
            role = participant_role(lookups.forms.get(form_slug), is_host=pk == host_id)
            label = "Vårt deltagande" if pk == org_id else f"Part: {lookups.org_label(pk)}"
            changes.append(Change(label, "", Participation.Role(role).label, "partner", pk, role))
    own = snap.own if snap and snap.own else {}

    def own_field(field_name, label, after):
        before = own.get(field_name, "")
        if after != before:
            changes.append(Change(label, _fmt(before), _fmt(after), "own", field_name, after))

    if "responsible_body" in p:
        own_field("political_body", "Ansvarig nämnd", p["responsible_body"])
    if "comment" in p:
        own_field("internal_note", "Kommentar", p["comment"])
    extra_before = own.get("extra_fields") or {}
    for key, label in (
        ("contact", "Kontaktperson"),
        ("last_review", "Senaste uppföljning"),
        ("area_text", "Verksamhetsområde (fritext)"),
    ):
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
    # Costs per year.
    costs_before = snap.costs if snap else {}
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
    # Entry decision.
    if p.get("decision"):
        decision: DecisionValue = p["decision"]
        before = snap.decision if snap else None
        before_value = (
            DecisionValue(before["date"], before["deciding_body"], before["reference"])
            if before
            else None
        )
        if before_value != decision:
            changes.append(
                Change(
                    "Beslut om inträde",
                    before_value.label() if before_value else "",
                    decision.label(),
                    "decision",
                    value=decision,
                )
            )
    # Our representatives.
    if "representatives" in p:
        reps: list[Representative] = p["representatives"]
        # Who represents us and in what role, whatever the body: a person who sits in two
        # of the arrangement's bodies in the same role is listed once.
        before = list(
            dict.fromkeys(
                Representative(s["person__name"], s["party"], s["role"])
                for s in (snap.seats if snap else [])
            )
        )
        if set(reps) != set(before):
            changes.append(
                Change(
                    "Våra ledamöter",
                    format_representatives(before),
                    format_representatives(reps),
                    "seats",
                    value=reps,
                )
            )
    return changes


def _validate(plan: RowPlan, snap: Snapshot | None, lookups: Lookups, sheet_headers) -> None:
    """Check the arrangement as it would be saved (lengths, orgnr, end before start)."""
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
    instance = Arrangement(**{k: v for k, v in fields.items() if k != "pk"})
    try:
        instance.clean_fields(
            exclude=["form", "host", "legal_entity", "predecessor", "parent", "website"]
        )
        instance.clean()
    except ValidationError as exc:
        labels = {
            "name": "name",
            "start_date": "start",
            "end_date": "end",
            "orgnr": "orgnr",
            "notice_months": "notice",
        }
        for field_name, messages in exc.message_dict.items():
            key = labels.get(field_name, field_name)
            header = sheet_headers.get(key, FIELD_HEADERS.get(key, field_name))
            for message in messages:
                plan.error(header, message)


JOIN_LABEL = "Begäran om deltagande"


def _join_message(organisation: Organisation, status: str | None, when=None) -> str:
    """Return what the preview says about a row that names an arrangement the organisation does
    not take part in (``status``: of its latest request to join, or None)."""
    later = (
        "Inget annat på raden sparas nu (kostnader, ledamöter, ansvarig nämnd, beslut och "
        "övriga uppgifter). När begäran är godkänd sparas de om ni importerar listan igen."
    )
    if status == JoinRequest.Status.PENDING:
        return (
            f"{organisation} har redan begärt att få delta i samverkan ({when:%Y-%m-%d}). "
            "Begäran väntar på svar från samverkans parter; importen skickar ingen ny. " + later
        )
    if status == JoinRequest.Status.DECLINED:
        return (
            f"Samverkans parter avslog begäran om deltagande från {organisation} "
            f"({when:%Y-%m-%d}). Importen skickar ingen ny begäran och sparar inget på raden. "
            "Vill ni försöka igen: begär deltagande på samverkans sida."
        )
    return (
        f"Samverkan finns i registret, men {organisation} deltar inte i den. När importen "
        "sparas skickas en begäran om deltagande till samverkans parter, som godkänner eller "
        "avslår den. " + later
    )


def latest_join_requests(organisation: Organisation, arrangement_ids) -> dict[int, dict]:
    """Return the organisation's latest request to join each of the arrangements."""
    latest: dict[int, dict] = {}
    for chunk in chunked(set(arrangement_ids)):
        for row in (
            JoinRequest.objects.filter(organisation=organisation, arrangement_id__in=chunk)
            .order_by("arrangement_id", "-requested_at", "-pk")
            .values("arrangement_id", "status", "requested_at", "decided_at")
        ):
            latest.setdefault(row["arrangement_id"], row)
    return latest


def plan_join(plan: RowPlan, snap: Snapshot, lookups: Lookups, latest: dict | None) -> None:
    """Plan a row naming a visible arrangement the organisation does not take part in: a request
    to join it (unless one waits for an answer or the last one was declined), nothing else.

    The row's own data (costs, seats, responsible body ...) is not written: it belongs on a
    participation that does not exist until a participant accepts; the next import writes it.
    """
    org = lookups.organisation
    plan.outcome = ImportRow.Outcome.JOIN
    status = latest["status"] if latest else None
    if status in (JoinRequest.Status.PENDING, JoinRequest.Status.DECLINED):
        when = timezone.localtime(latest["decided_at"] or latest["requested_at"])
        plan.warn("", _join_message(org, status, when))
        return
    host_id = snap.fields.get("host_id") or (
        plan.parsed["host"].pk if "host" in plan.parsed else None
    )
    form = lookups.forms.get(lookups.form_slug.get(snap.fields["form_id"]))
    role = participant_role(form, is_host=host_id == org.pk)
    label = Participation.Role(role).label.lower()
    plan.changes = [Change(JOIN_LABEL, "", f"{org} som {label}", "join", org.pk, role)]
    plan.warn("", _join_message(org, None))


def plan_workbook(
    workbook: Workbook,
    organisation: Organisation,
    *,
    progress: Callable[[int, int], None] | None = None,
    access: Access | None = None,
    list_name: str = "",
) -> ImportResult:
    """Classify every row of the workbook against the database; write nothing.

    ``access`` is what the import may see and change: by default that of an editor of the
    organisation (``Access.for_organisation``), whoever runs it. ``list_name`` (the file's
    name) finds the decisions made in earlier previews of the same list (``ImportChoice``).
    """
    if access is None:
        access = Access.for_organisation(organisation)
    lookups = Lookups(organisation, access, list_name)
    result = ImportResult(skipped_sheets=list(workbook.skipped_sheets))
    plans: list[RowPlan] = []
    done = 0
    headers_by_sheet = {}
    for sheet in workbook.sheets:
        headers_by_sheet[sheet.name] = {c.field: c.header for c in sheet.columns if c.field}
        result.headers[sheet.name] = [c.header for c in sheet.columns]
        for row in sheet.rows:
            done += 1
            if progress and done % 250 == 0:
                progress(done, workbook.total_rows)
            plan = parse_row(row, sheet, lookups)
            if plan is None:
                result.skipped_rows += 1
                continue
            if plan.outcome == ImportRow.Outcome.SKIPPED:
                result.skipped_rows += 1
            plans.append(plan)
    if progress:
        progress(workbook.total_rows, workbook.total_rows)
    own_ids = set(
        Participation.objects.filter(organisation=organisation).values_list(
            "arrangement_id", flat=True
        )
    )
    active = [p for p in plans if p.outcome != ImportRow.Outcome.SKIPPED]
    for plan in active:
        if plan.parsed.get("name"):
            plan.arrangement_id = match_arrangement(plan, lookups, own_ids)
    snaps = load_snapshots([p.arrangement_id for p in active if p.arrangement_id], organisation.pk)
    joining = {pk for pk, snap in snaps.items() if organisation.pk not in snap.participants}
    join_requests = latest_join_requests(organisation, joining)
    seen: dict = {}
    for plan in active:
        headers = headers_by_sheet[plan.sheet]
        if plan.parsed.get("name"):
            key = (
                ("orgnr", plan.parsed["orgnr"])
                if plan.parsed.get("orgnr")
                else ("name", normalise_name(plan.parsed["name"]), plan.parsed.get("form"))
            )
            other = seen.get(key) or (
                seen.get(("arr", plan.arrangement_id)) if plan.arrangement_id else None
            )
            if other is not None:
                plan.error(
                    headers.get("name", "Namn"),
                    f"Samma samverkan finns redan på rad {other.number} i bladet ”{other.sheet}”.",
                )
            else:
                seen[key] = plan
                if plan.arrangement_id:
                    seen[("arr", plan.arrangement_id)] = plan
        if plan.errors:
            plan.outcome = ImportRow.Outcome.INVALID
            continue
        snap = snaps.get(plan.arrangement_id) if plan.arrangement_id else None
        if snap is not None and snap.pk in joining:
            plan_join(plan, snap, lookups, join_requests.get(snap.pk))
            continue
        plan.changes = compute_changes(plan, snap, lookups)
        if plan.changes:  # an unchanged row leaves a valid record as it is
            _validate(plan, snap, lookups, headers)
        if plan.errors:
            plan.outcome = ImportRow.Outcome.INVALID
        elif snap is None:
            plan.outcome = ImportRow.Outcome.NEW
        elif plan.changes:
            plan.outcome = ImportRow.Outcome.UPDATE
        else:
            plan.outcome = ImportRow.Outcome.UNCHANGED
    warn_possible_duplicates(plans, lookups)
    result.rows = plans
    result._lookups = lookups  # noqa: SLF001 - kept for the commit step
    result._snapshots = snaps
    return result


def warn_possible_duplicates(plans: list[RowPlan], lookups: Lookups) -> None:
    """Warn on a new row that looks like an arrangement already in the register under another
    name: one the organisation takes part in, of the same form, with exactly the parties the
    row would give it, and not matched by another row of the file. The row is still new (the
    match rule is orgnr, else name and form); the warning says how to make it match."""
    new = [p for p in plans if p.outcome == ImportRow.Outcome.NEW and p.parsed.get("form")]
    if not new:
        return
    org_id = lookups.organisation.pk
    matched = {p.arrangement_id for p in plans if p.arrangement_id}
    parties: dict[int, set[int]] = {}
    arrangements: dict[int, tuple[str, int]] = {}
    for arrangement_id, name, form_id, party_id in Participation.objects.filter(
        arrangement__in=lookups.access.arrangements(),
        arrangement__participations__organisation_id=org_id,
    ).values_list("arrangement_id", "arrangement__name", "arrangement__form_id", "organisation_id"):
        if arrangement_id in matched:
            continue
        parties.setdefault(arrangement_id, set()).add(party_id)
        arrangements[arrangement_id] = (name, form_id)
    by_key: dict[tuple[int, frozenset], list[tuple[str, int]]] = {}
    for arrangement_id, (name, form_id) in arrangements.items():
        key = (form_id, frozenset(parties[arrangement_id]))
        by_key.setdefault(key, []).append((name, arrangement_id))
    for plan in new:
        if row_key(plan.parsed) in lookups.chosen_arrangement:  # the registrar said: a new one
            continue
        wanted = {c.key for c in plan.changes if c.kind == "partner"}
        if len(wanted) < 2:  # only we take part: too little to tell arrangements apart
            continue
        found = by_key.get((lookups.form_by_slug[plan.parsed["form"]], frozenset(wanted)))
        if found:
            found = sorted(found)
            plan.warn(
                "",
                "Registret har redan "
                + " och ".join(f"”{name}”" for name, _ in found)
                + " med samma samverkansform och samma parter. Är det samma samverkan? Välj "
                "nedan, eller skriv registrets namn eller organisationsnummer i filen; annars "
                "blir raden en ny samverkan.",
            )
            plan.offers["duplicate"] = {
                "key": row_key(plan.parsed),
                "options": [{"id": pk, "name": name} for name, pk in found],
            }
