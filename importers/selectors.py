"""Reading for the import pages: the batches a user may see, one batch's rows page by page.

Who may see what is :class:`register.access.Access` (``visible``, ``can_view``,
``can_change``); the views are thin and ask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from register.access import Access
from register.models import Organisation

from .models import ImportBatch, ImportFile, ImportRow
from .readers import classify_header

BATCHES_PER_PAGE = 50
ROWS_PER_PAGE = 100
OUTCOME_FILTERS = [
    ("", "Alla rader"),
    (ImportRow.Outcome.INVALID, "Ogiltiga"),
    (ImportRow.Outcome.NEW, "Nya"),
    (ImportRow.Outcome.UPDATE, "Uppdateras"),
    (ImportRow.Outcome.JOIN, "Begäran om deltagande"),
    (ImportRow.Outcome.UNCHANGED, "Oförändrade"),
    (ImportRow.Outcome.SKIPPED, "Överhoppade"),
]


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
        return [
            (value, label, self.counts.get(value, 0) if value else sum(self.counts.values()))
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
    return BatchRows(counts, page, page_rows, to_join, warning_rows, has_file)
