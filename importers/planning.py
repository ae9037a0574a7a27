"""Classify every row of a file against the database, writing nothing: the :class:`Plan`.

Every row becomes new, update, unchanged, a request to join or invalid, with field errors and a
per-field diff (:mod:`importers.changes`), read with one query per kind of lookup through
:mod:`importers.selectors` (organisations, forms, areas, arrangements, then the matched
arrangements' participations, costs, seats and decisions).

The import acts for one organisation and sees what its members see
(``Access.for_organisation``): a row is matched only against arrangements that are published or
that the organisation takes part in, filtered in the query, so an arrangement hidden from the
organisation is never loaded and a row naming it is planned exactly as a row naming nothing
(a new arrangement). A row naming a visible arrangement the organisation does not take part in
becomes a request to join it (:mod:`importers.joining`) and writes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from register.access import Access
from register.models import Organisation

from . import selectors
from .changes import compute_changes, validate_arrangement
from .choices import row_key
from .joining import plan_join
from .lookups import Lookups
from .models import ImportRow
from .parsing import parse_row
from .readers.workbook import Workbook
from .results import ImportResult, RowPlan
from .selectors import Snapshot
from .text import normalise_name


@dataclass
class Plan:
    """A file planned against the database: the result its callers report, and what the commit
    writes from (the reference data, and the arrangements the rows name as they were read)."""

    result: ImportResult
    lookups: Lookups
    snapshots: dict[int, Snapshot]

    def snapshot(self, row: RowPlan) -> Snapshot | None:
        """Return the arrangement the row names as it was read (None for a new one)."""
        return self.snapshots.get(row.arrangement_id) if row.arrangement_id else None


def plan_workbook(
    workbook: Workbook,
    organisation: Organisation,
    *,
    progress: Callable[[int, int], None] | None = None,
    access: Access | None = None,
    list_name: str = "",
) -> Plan:
    """Classify every row of the workbook against the database; write nothing.

    ``access`` is what the import may see and change: by default that of an editor of the
    organisation (``Access.for_organisation``), whoever runs it. ``list_name`` (the file's
    name) finds the decisions made in earlier previews of the same list (``ImportChoice``).
    """
    if access is None:
        access = Access.for_organisation(organisation)
    lookups = Lookups(organisation, access, list_name)
    result = ImportResult(skipped_sheets=list(workbook.skipped_sheets))
    plans, headers_by_sheet = _parse_rows(workbook, lookups, result, progress)
    own_ids = selectors.arrangements_taken_part_in(organisation)
    active = [p for p in plans if p.outcome != ImportRow.Outcome.SKIPPED]
    for plan in active:
        if plan.parsed.get("name"):
            plan.arrangement_id = match_arrangement(plan, lookups, own_ids)
    snaps = selectors.snapshots(
        [p.arrangement_id for p in active if p.arrangement_id], organisation.pk
    )
    joining = {pk for pk, snap in snaps.items() if organisation.pk not in snap.participants}
    join_requests = selectors.latest_join_requests(organisation, joining)
    seen: dict = {}
    for plan in active:
        headers = headers_by_sheet[plan.sheet]
        _refuse_second_row_of_an_arrangement(plan, seen, headers)
        if plan.errors:
            plan.outcome = ImportRow.Outcome.INVALID
            continue
        snap = snaps.get(plan.arrangement_id) if plan.arrangement_id else None
        if snap is not None and snap.pk in joining:
            plan_join(plan, snap, lookups, join_requests.get(snap.pk))
            continue
        plan.changes = compute_changes(plan, snap, lookups)
        if plan.changes:  # an unchanged row leaves a valid record as it is
            validate_arrangement(plan, snap, headers, lookups)
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
    return Plan(result=result, lookups=lookups, snapshots=snaps)


def _parse_rows(workbook: Workbook, lookups: Lookups, result: ImportResult, progress):
    """Parse every row of every sheet; return the plans and each sheet's header by field."""
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
    return plans, headers_by_sheet


def _refuse_second_row_of_an_arrangement(plan: RowPlan, seen: dict, headers: dict) -> None:
    """Make a row invalid when an earlier row of the file is the same arrangement (the same
    orgnr, else name and form, or matched to the same arrangement)."""
    if not plan.parsed.get("name"):
        return
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
        return
    seen[key] = plan
    if plan.arrangement_id:
        seen[("arr", plan.arrangement_id)] = plan


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
    for arrangement_id, name, form_id, party_id in selectors.own_arrangements_with_parties(
        lookups.access, org_id
    ):
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
