"""Every read of the database the importer makes: for the import pages (the batches a user may
see, one batch's rows page by page) and for planning a file (the reference data its rows are
matched against, the state of the arrangements they name, earlier requests to join).

Who may see what is :class:`register.access.Access` (``visible``, ``can_view``,
``can_change``, ``arrangements``); the views and the planning ask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from register.access import Access
from register.models import (
    AgendaItem,
    Arrangement,
    Body,
    CooperationForm,
    Cost,
    Decision,
    JoinRequest,
    Meeting,
    Organisation,
    Participation,
    Person,
    Seat,
    ServiceArea,
)

from .choices import list_key
from .models import ImportBatch, ImportChoice, ImportFile, ImportRow
from .partners import OrgRef
from .readers.headers import classify_header
from .text import chunked

BATCHES_PER_PAGE = 50
ROWS_PER_PAGE = 100
UNDECIDED_LISTED = 10  # the rows with a question that the save box names
# The row list's filter of the rows whose question "is it the same arrangement?" waits.
UNDECIDED = "fragor"
OUTCOME_FILTERS = [
    ("", "Alla rader"),
    (UNDECIDED, "Frågor att svara på"),
    (ImportRow.Outcome.INVALID, "Ogiltiga"),
    (ImportRow.Outcome.NEW, "Nya"),
    (ImportRow.Outcome.UPDATE, "Uppdateras"),
    (ImportRow.Outcome.JOIN, "Begäran om deltagande"),
    (ImportRow.Outcome.UNCHANGED, "Oförändrade"),
    (ImportRow.Outcome.SKIPPED, "Överhoppade"),
]
# The same filters' words once the import is saved.
DONE_FILTER_LABELS = {ImportRow.Outcome.UPDATE: "Uppdaterade"}


def _batches() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("organisation", "created_by")


def batch(pk: int) -> ImportBatch | None:
    """Return the batch (whoever may see it: the caller asks ``Access.can_view``), or None."""
    return _batches().filter(pk=pk).first()


def batch_list_page(access: Access, page_number) -> Page:
    """Return a page of the batches the user may see, newest first."""
    batches = access.visible(_batches()).order_by("-created_at", "-pk")
    return Paginator(batches, BATCHES_PER_PAGE).get_page(page_number)


def organisation(access: Access, pk: int) -> Organisation | None:
    """Return the organisation whose portfolio is exported (every organisation is public)."""
    return access.organisations().filter(pk=pk).first()


def template_organisations(access: Access, limit: int = 6) -> list[Organisation]:
    """Return the organisations whose portfolio the upload page offers as a template: the
    user's own (none for a register administrator, who edits for every organisation)."""
    if access.changes_everything():
        return []
    return list(access.editor_organisations().order_by("name")[:limit])


def row_name(row: ImportRow) -> str:
    """Return the arrangement's name as the row gave it, else the matched arrangement's."""
    for header, text in row.raw.items():
        if classify_header(header)[0] == "name":
            return text
    return row.arrangement.name if row.arrangement_id and row.arrangement else ""


@dataclass
class BatchRows:
    """What the batch page shows: the counts per outcome and one page of rows."""

    counts: dict[str, int]
    page: Page
    rows: list[ImportRow]  # the page's rows, each with ``display_name``
    to_join: int  # rows that send a request to join
    warning_rows: int  # rows with warnings (requests to join aside: they always warn)
    has_file: bool  # the retention rule still keeps the file, so the preview can be saved
    undecided: int  # rows whose question "is it the same arrangement?" waits for an answer
    undecided_rows: list[ImportRow]  # the first of them (UNDECIDED_LISTED), for the save box
    done: bool = False  # the import is saved (or undone): the words are in the past tense

    @property
    def invalid(self) -> int:
        return self.counts.get(ImportRow.Outcome.INVALID, 0)

    @property
    def skipped(self) -> int:
        """Rows kept as skipped (total rows): the number the summary and the tab both show."""
        return self.counts.get(ImportRow.Outcome.SKIPPED, 0)

    @property
    def to_write(self) -> int:
        return self.counts.get(ImportRow.Outcome.NEW, 0) + self.counts.get(
            ImportRow.Outcome.UPDATE, 0
        )

    @property
    def filters(self) -> list[tuple[str, str, int]]:
        """(outcome, label, number of rows) for every filter of the row list."""
        total = sum(self.counts.values())
        numbers = self.counts | {"": total, UNDECIDED: self.undecided}
        return [
            (
                value,
                DONE_FILTER_LABELS.get(value, label) if self.done else label,
                numbers.get(value, 0),
            )
            for value, label in OUTCOME_FILTERS
        ]


def batch_rows(batch: ImportBatch, *, outcome: str = "", page_number=None) -> BatchRows:
    """Return the batch's counts per outcome and a page of its rows (of ``outcome`` if it is
    one), in file order."""
    counts = dict(
        batch.rows.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n")
    )
    rows = batch.rows.select_related("arrangement").order_by("sheet", "row_number")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    elif outcome == UNDECIDED:
        rows = rows.filter(offers__has_key="duplicate")
    page = Paginator(rows, ROWS_PER_PAGE).get_page(page_number)
    page_rows = list(page.object_list)
    for row in page_rows:
        row.display_name = row_name(row)
    # A row naming an arrangement we do not take part in sends a request to join (unless one
    # waits for an answer already); its diff says so.
    to_join = batch.rows.filter(outcome=ImportRow.Outcome.JOIN).exclude(diff={}).count()
    warning_rows = batch.rows.exclude(warnings=[]).exclude(outcome=ImportRow.Outcome.JOIN).count()
    has_file = (
        batch.mode == ImportBatch.Mode.DRY_RUN
        and ImportFile.objects.kept().filter(batch=batch).exists()
    )
    undecided, undecided_rows = 0, []
    if batch.mode == ImportBatch.Mode.DRY_RUN:
        asking = batch.rows.filter(offers__has_key="duplicate")
        undecided = asking.count()
        if undecided:
            undecided_rows = list(
                asking.order_by("sheet", "row_number").only("pk", "sheet", "row_number")[
                    :UNDECIDED_LISTED
                ]
            )
    done = batch.mode in (ImportBatch.Mode.COMMITTED, ImportBatch.Mode.UNDONE)
    return BatchRows(
        counts, page, page_rows, to_join, warning_rows, has_file, undecided, undecided_rows, done
    )


# --- What a file's rows are matched against (importers.lookups) ------------------------------


def cooperation_forms() -> list[CooperationForm]:
    return list(CooperationForm.objects.all())


def service_areas() -> list[tuple[int, str, str]]:
    """Return (pk, slug, name) of every service area."""
    return list(ServiceArea.objects.values_list("pk", "slug", "name"))


def organisation_refs() -> list[OrgRef]:
    """Return every organisation, as partner names are matched against them."""
    return [
        OrgRef(pk, kind, name, short_name or "", code)
        for pk, kind, name, short_name, code in Organisation.objects.values_list(
            "pk", "kind", "name", "short_name", "code"
        )
    ]


def visible_arrangements(access: Access) -> list[tuple[int, str, int, str]]:
    """Return (pk, name, form id, orgnr) of the arrangements ``access`` may see, chosen in the
    query: one it may not see is never loaded."""
    return list(access.arrangements().values_list("pk", "name", "form_id", "orgnr"))


def remembered_choices(organisation: Organisation, list_name: str) -> list[tuple]:
    """Return (key, kind, arrangement id, partner id) of the decisions a registrar made for
    the list (``ImportChoice``)."""
    if not list_name:
        return []
    return list(
        ImportChoice.objects.filter(
            organisation=organisation, list_key=list_key(list_name)
        ).values_list("key", "kind", "arrangement_id", "partner_id")
    )


def arrangements_taken_part_in(organisation: Organisation) -> set[int]:
    return set(
        Participation.objects.filter(organisation=organisation).values_list(
            "arrangement_id", flat=True
        )
    )


def own_arrangements_with_parties(access: Access, organisation_id: int) -> list[tuple]:
    """Return (arrangement id, name, form id, party id) for every party of every arrangement
    that ``access`` sees and the organisation takes part in."""
    return list(
        Participation.objects.filter(
            arrangement__in=access.arrangements(),
            arrangement__participations__organisation_id=organisation_id,
        ).values_list(
            "arrangement_id", "arrangement__name", "arrangement__form_id", "organisation_id"
        )
    )


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


def snapshots(pks, organisation_id: int) -> dict[int, Snapshot]:
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


def people_by_name(organisation: Organisation, names) -> dict[tuple[str, str], int]:
    """Return {(name, party): pk} of the organisation's people with any of the names (the first
    of several alike)."""
    people: dict[tuple[str, str], int] = {}
    for chunk in chunked(set(names)):
        for pk, name, party in (
            Person.objects.filter(organisation=organisation, name__in=chunk)
            .order_by("pk")
            .values_list("pk", "name", "party")
        ):
            people.setdefault((name, party), pk)
    return people


# --- a body's meetings (importers.meetings) ----------------------------------------------------


def visible_body(access: Access, pk) -> Body | None:
    """Return the body with ``pk`` if the user sees it (its arrangement with it), else None."""
    return access.visible(Body.objects.select_related("arrangement").filter(pk=pk)).first()


def body_meetings(access: Access, body: Body) -> list[Meeting]:
    """Return the body's meetings that the user sees, earliest first."""
    return list(access.visible(Meeting.objects.filter(body=body)).order_by("starts_at", "pk"))


def body_agenda_items(access: Access, body: Body) -> list[AgendaItem]:
    """Return the items on the agendas of the body's meetings that the user sees."""
    return list(access.visible(AgendaItem.objects.filter(meeting__body=body)).order_by("pk"))
