"""The import's entry points: preview a file, commit it, decide a row of a preview, import in
one go (the command line), undo a commit. Each runs in one transaction and moves the batch from
preview to committed to undone.

Reading is :mod:`importers.readers`, cell values :mod:`importers.values`, classifying every row
(new, update, unchanged, invalid, with field errors and a per-field diff) :mod:`importers.planning`,
which writes nothing; writing is :mod:`importers.writing`, through the register's services, every
write tagged with the batch in the register's history, from which :mod:`importers.undo` undoes it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from register.access import Access
from register.fieldchecks import remembered
from register.gc_pause import paused_gc
from register.models import Organisation
from register.services.records import records_create_many

from .choices import list_key, partner_key
from .fields import fit
from .models import ImportBatch, ImportChoice, ImportRow
from .planning import Plan, plan_workbook
from .readers import open_workbook
from .readers.workbook import ReadError
from .results import ImportRefused, ImportResult, undecided_message
from .storage import checksum, file_gone_message, forget_file, purge_files, store_file, stored_file
from .undo import revert
from .writing import write_plan

# What a write without a batch (``run_import`` called on its own) says in the history.
UNBATCHED_REASON = "Import från Excel"


@paused_gc(keep_survivors=True)
@remembered()
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
    ask_first: bool = False,
) -> ImportResult:
    """Read, classify and (unless ``dry_run``) write a file for one organisation.

    ``list_name`` (by default the batch's file name) is the list whose remembered decisions
    (:class:`ImportChoice`) the plan follows.

    The import sees and changes what an editor of the organisation does
    (``Access.for_organisation``), whoever runs it; ``user`` is recorded as the one who asked
    in the requests to join it sends. Raise :class:`importers.readers.workbook.ReadError` when the
    file cannot be read at all. With ``all_or_nothing``, nothing is written when any row is
    invalid. With ``ask_first`` (a preview saved in the browser), nothing is written while a
    row's question "is it the same arrangement?" has no answer (``ImportResult.undecided``); the
    command line, which cannot ask, imports such a row as a new arrangement with its warning.
    """
    plan = plan_import(
        source=source,
        organisation=organisation,
        progress=progress,
        user=user,
        list_name=list_name or (batch.file_name if batch is not None else ""),
    )
    if dry_run:
        return plan.result
    return write_planned(
        plan, batch=batch, user=user, all_or_nothing=all_or_nothing, ask_first=ask_first
    )


def plan_import(
    *,
    source,
    organisation: Organisation,
    progress: Callable[[int, int], None] | None = None,
    user=None,
    list_name: str = "",
) -> Plan:
    """Read and classify a file for one organisation (:func:`run_import`'s first half); write
    nothing. ``progress(rows read, rows in the file)`` is called as the rows are read."""
    workbook = open_workbook(source)
    access = Access.for_organisation(
        organisation, user_id=user.pk if user is not None and user.is_authenticated else None
    )
    return plan_workbook(
        workbook, organisation, progress=progress, access=access, list_name=list_name
    )


def write_planned(
    plan: Plan,
    *,
    batch: ImportBatch | None,
    user=None,
    all_or_nothing: bool = True,
    ask_first: bool = False,
) -> ImportResult:
    """Write a plan (:func:`run_import`'s second half), unless all-or-nothing finds an invalid
    row or, with ``ask_first``, a row's question has no answer."""
    result = plan.result
    if (all_or_nothing and result.invalid) or (ask_first and result.undecided):
        return result
    result.written = write_plan(
        plan,
        reason=batch.history_reason if batch is not None else UNBATCHED_REASON,
        all_or_nothing=all_or_nothing,
        user=user,
        batch=batch,
    )
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
    records_create_many(
        model=ImportRow, rows=_row_records(batch, result), history=False, validate=False
    )


def store_preview(batch: ImportBatch, result: ImportResult) -> None:
    """Store a classified file as the batch's preview (its rows and summary)."""
    _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)


@paused_gc(keep_survivors=True)
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
    store_file(batch, data)
    _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
    return batch


@paused_gc(keep_survivors=True)
@remembered()
def batch_commit(
    *,
    batch: ImportBatch,
    all_or_nothing: bool | None = None,
    user=None,
    progress: Callable[[int, int], None] | None = None,
    saving: Callable[[], None] | None = None,
) -> ImportResult:
    """Write a previewed batch's valid rows in one transaction (nothing if all-or-nothing fails).

    The stored file is classified again against the database as it is now, so a commit never
    writes from a stale preview; once the batch is saved its file is deleted. While a row's
    question "is it the same arrangement?" waits for an answer nothing is written: the preview is
    stored again and :class:`ImportRefused` says which rows ask. ``user`` (else
    whoever uploaded the file) is the one who asks in the requests to join that the import
    sends.

    The file is read and classified before the transaction that writes (reads only, as a
    preview), so that ``progress`` (rows read, rows in the file), written by a background commit
    (:mod:`importers.background`), is seen by others while it reads; ``saving()`` is called as
    the writing transaction starts. The batch is locked and checked again in that transaction.
    """
    if batch.mode != ImportBatch.Mode.DRY_RUN:
        raise ImportRefused("Importen är redan genomförd eller ångrad.")
    if all_or_nothing is not None:
        batch.all_or_nothing = all_or_nothing
    data = stored_file(batch)
    if data is None:
        raise ImportRefused(file_gone_message())
    user = user if user is not None else batch.created_by
    try:
        plan = plan_import(
            source=data,
            organisation=batch.organisation,
            progress=progress,
            user=user,
            list_name=batch.file_name,
        )
    except ReadError as exc:
        raise ImportRefused(str(exc)) from exc
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.mode != ImportBatch.Mode.DRY_RUN:
            raise ImportRefused("Importen är redan genomförd eller ångrad.")
        if saving is not None:
            saving()
        result = write_planned(
            plan, batch=batch, user=user, all_or_nothing=batch.all_or_nothing, ask_first=True
        )
        if result.undecided:  # the preview shows the questions as they are now
            _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
            refusal = undecided_message(result.undecided)
        elif not result.written:
            _store(batch, result, mode=ImportBatch.Mode.DRY_RUN)
            batch.summary["refused"] = True
            batch.save(update_fields=["summary", "all_or_nothing"])
            return result
        else:
            _store(batch, result, mode=ImportBatch.Mode.COMMITTED)
            forget_file(batch)
            result.batch = batch
            return result
    raise ImportRefused(refusal)


@paused_gc(keep_survivors=True)
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


@paused_gc(keep_survivors=True)
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


@paused_gc(keep_survivors=True)
@transaction.atomic
def batch_undo(*, batch: ImportBatch) -> int:
    """Restore what the batch changed to its state before the import, from the register's
    history; return the number of records restored or deleted.

    Refuse, saying who did what where, when the undo would delete or change a record that
    someone added or changed since the import (:mod:`importers.undo`): the undo deletes only
    what the import created and restores only what it changed.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    count = revert(batch)
    batch.mode = ImportBatch.Mode.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["mode", "undone_at"])
    forget_file(batch)  # none after a commit; kept by no rule
    return count
