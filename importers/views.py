"""Import pages: upload, preview, commit, undo, invalid rows, batch list, portfolio export; a
body's meetings from its calendar or an agenda list.

Thin views: permissions through ``register.access.Access``, work in ``importers.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from register.access import Access
from register.downloads import download
from register.rules import count_of

from . import background, selectors, services, storage
from .exporters import export_portfolio as build_portfolio
from .exporters import invalid_rows_workbook, portfolio_filename
from .forms import CommitForm, MeetingImportForm, UploadForm
from .meetings import import_meetings, refusal
from .models import ImportBatch, ImportRow
from .readers.workbook import ReadError, RowErrors
from .results import ImportRefused
from .undo import undo_problem, undo_refusal


def _batch_for(request, pk: int, *, edit: bool = False) -> tuple[ImportBatch, Access]:
    batch = selectors.batch(pk)
    if batch is None:
        raise Http404("Importen finns inte.")
    access = Access.for_user(request.user)
    allowed = access.can_change(batch) if edit else access.can_view(batch)
    if not allowed:
        raise PermissionDenied("Du har inte behörighet till den här importen.")
    return batch, access


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    access = Access.for_user(request.user)
    organisations = access.editor_organisations()
    if not organisations.exists():
        raise PermissionDenied("Bara redigerare kan importera.")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"all_or_nothing": True},
    )
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        # A large file is not read here, only checked: its rows are read in the background.
        start = (
            background.start_preview
            if background.in_background(upload_file.size)
            else services.batch_preview
        )
        try:
            batch = start(
                data=upload_file.read(),
                file_name=upload_file.name,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
        except ReadError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("importers:batch_detail", pk=batch.pk)
    templates = selectors.template_organisations(access)
    return render(request, "importers/upload.html", {"form": form, "templates": templates})


@login_required
@require_safe
def batch_list(request):
    access = Access.for_user(request.user)
    page = selectors.batch_list_page(access, request.GET.get("sida"))
    return render(
        request,
        "importers/batch_list.html",
        {"page": page, "can_upload": access.is_editor},
    )


# How often the page of an import at work reloads itself (a meta refresh, without scripts).
PROGRESS_REFRESH_SECONDS = 2


@login_required
@require_safe
def batch_detail(request, pk):
    batch, access = _batch_for(request, pk)
    if batch.job_running and not background.stalled(batch):
        return render(
            request,
            "importers/batch_progress.html",
            {"batch": batch, "refresh_seconds": PROGRESS_REFRESH_SECONDS},
        )
    outcome = request.GET.get("utfall", "")
    shown = selectors.batch_rows(batch, outcome=outcome, page_number=request.GET.get("sida"))
    can_edit = access.can_change(batch)
    preview = batch.mode == ImportBatch.Mode.DRY_RUN
    context = {
        "batch": batch,
        "page": shown.page,
        "rows": shown.rows,
        "counts": shown.counts,
        "invalid": shown.invalid,
        "to_write": shown.to_write,
        "to_join": shown.to_join,
        "outcome": outcome,
        "filters": shown.filters,
        "can_commit": can_edit and preview and shown.has_file,
        "file_gone": storage.file_gone_message() if preview and not shown.has_file else "",
        "commit_form": CommitForm(initial={"all_or_nothing": batch.all_or_nothing}),
        "can_undo": can_edit and batch.mode == ImportBatch.Mode.COMMITTED,
        "undo_problem": undo_problem(batch) if batch.mode == ImportBatch.Mode.COMMITTED else None,
        "skipped_sheets": batch.summary.get("skipped_sheets", []),
        "warning_rows": shown.warning_rows,
        "skipped": shown.skipped,
        # Empty rows are counted while reading and not kept as rows: the summary names them
        # apart, so that its count of skipped rows is the tab's.
        "empty_rows": max(0, batch.summary.get("skipped_rows", 0) - shown.skipped),
        "undecided": shown.undecided,
        "undecided_rows": shown.undecided_rows,
        "undecided_filter": selectors.UNDECIDED,
        "done": shown.done,
        "job_error": batch.job_error if batch.job_status == ImportBatch.JobStatus.FAILED else "",
        "job_stalled": background.stalled(batch),
        "seats_ending": batch.summary.get("seats_ending", []),
        "seats_ending_count": sum(
            len(row["people"]) for row in batch.summary.get("seats_ending", [])
        ),
    }
    return render(request, "importers/batch_detail.html", context)


def commit_message(result) -> str:
    """Return what a saved import did, every count in the right number."""
    summary = result.summary()
    sent = sum(1 for r in result.rows if r.outcome == ImportRow.Outcome.JOIN and r.journal)
    parts = [
        count_of(summary["created"], "ny samverkan", "nya samverkan"),
        count_of(summary["updated"], "uppdaterad", "uppdaterade"),
        count_of(summary["unchanged"], "oförändrad", "oförändrade"),
    ]
    if sent:
        parts.append(
            count_of(sent, "begäran om deltagande skickad", "begäranden om deltagande skickade")
        )
    text = "Importen är sparad: " + ", ".join(parts[:-1]) + " och " + parts[-1]
    ending = sum(len(row["people"]) for row in summary["seats_ending"])
    if ending:
        text += "; " + count_of(ending, "uppdrag upphörde", "uppdrag upphörde")
    if summary["invalid"]:
        text += "; " + count_of(
            summary["invalid"], "ogiltig rad hoppades över", "ogiltiga rader hoppades över"
        )
    return text + "."


@login_required
@require_POST
def batch_commit(request, pk):
    batch, _ = _batch_for(request, pk, edit=True)
    form = CommitForm(request.POST)
    all_or_nothing = form.cleaned_data["all_or_nothing"] if form.is_valid() else True
    if background.in_background(batch.file_size):
        try:
            background.start_commit(batch=batch, all_or_nothing=all_or_nothing, user=request.user)
        except ImportRefused as exc:
            messages.error(request, str(exc))
        return redirect("importers:batch_detail", pk=batch.pk)
    try:
        result = services.batch_commit(
            batch=batch, all_or_nothing=all_or_nothing, user=request.user
        )
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("importers:batch_detail", pk=batch.pk)
    if result.written:
        messages.success(request, commit_message(result))
    else:
        messages.error(
            request,
            f"Ingenting sparades: {count_of(result.invalid, 'rad är ogiltig', 'rader är ogiltiga')}"
            " och du valde allt eller inget. Rätta raderna i filen och ladda upp den igen, eller "
            "spara bara de giltiga raderna.",
        )
    return redirect("importers:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_decide(request, pk):
    """Remember the registrar's choice for a row of a preview (same arrangement as one in the
    register, a new one, or which organisation a partner name is) and show the preview again."""
    batch, access = _batch_for(request, pk, edit=True)
    try:
        services.batch_decide(
            batch=batch,
            access=access,
            row_id=request.POST.get("rad"),
            choice=request.POST.get("val", ""),
            user=request.user,
        )
    except ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Valet är sparat och gäller också nästa gång samma lista importeras. "
            "Förhandsgranskningen är uppdaterad.",
        )
    return redirect("importers:batch_detail", pk=batch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def batch_undo(request, pk):
    batch, _ = _batch_for(request, pk, edit=True)
    if request.method == "POST":
        try:
            restored = services.batch_undo(batch=batch)
        except ImportRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Importen är ångrad. {count_of(restored, 'post återställdes', 'poster återställdes')}"
                " till läget före importen.",
            )
        return redirect("importers:batch_detail", pk=batch.pk)
    problem = undo_refusal(batch)
    return render(request, "importers/undo_confirm.html", {"batch": batch, "problem": problem})


@login_required
@require_safe
def batch_invalid_rows(request, pk):
    batch, _ = _batch_for(request, pk)
    return download(invalid_rows_workbook(batch), batch.file_name, prefix="ogiltiga-rader-")


@login_required
@require_safe
def export_portfolio(request, organisation_pk):
    access = Access.for_user(request.user)
    organisation = selectors.organisation(access, organisation_pk)
    if organisation is None:
        raise Http404("Organisationen finns inte.")
    data = build_portfolio(
        organisation, access=access, include_internal=access.can_view_internal(organisation)
    )
    return download(data, portfolio_filename(organisation))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_import(request, body_pk):
    """Import a body's meeting calendar (.ics) or agenda list (.xlsx): for those who may change
    the body; all or nothing, the counts in a message."""
    access = Access.for_user(request.user)
    body = selectors.visible_body(access, body_pk)
    if body is None:
        raise Http404("Organet finns inte.")
    if not access.can_change(body):
        raise PermissionDenied(refusal(body))
    form = MeetingImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            result = import_meetings(
                data=upload_file.read(), file_name=upload_file.name, body=body, access=access
            )
        except RowErrors as exc:
            problems = exc.problems
            form.add_error("file", "Filen har fel och ingenting har sparats. Rätta felen nedan.")
        except ReadError as exc:
            form.add_error("file", f"{exc} Ingenting har sparats.")
        else:
            messages.success(request, f"Importen är sparad. {result.summary()}")
            return redirect("register:body_meetings", pk=body.pk)
    return render(
        request,
        "importers/meeting_import.html",
        {"form": form, "body": body, "problems": problems},
    )
