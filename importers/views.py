"""Import pages: upload, preview, commit, undo, invalid rows, batch list, portfolio export.

Thin views: permissions through ``register.access.Access``, work in ``importers.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from register.access import Access
from register.downloads import download
from register.models import Organisation

from . import services
from .exporters import export_portfolio as build_portfolio
from .exporters import invalid_rows_workbook, portfolio_filename
from .forms import CommitForm, UploadForm
from .models import ImportBatch, ImportRow
from .readers import ReadError, classify_header
from .services import ImportRefused, undo_problem

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


def _row_name(row: ImportRow) -> str:
    for header, text in row.raw.items():
        if classify_header(header)[0] == "name":
            return text
    return row.arrangement.name if row.arrangement_id and row.arrangement else ""


def _can_edit(access: Access, organisation_id: int) -> bool:
    return access.is_admin or organisation_id in access.editor_org_ids


def _can_view(access: Access, organisation_id: int) -> bool:
    return access.is_admin or organisation_id in access.member_org_ids


def _batch_for(request, pk: int, *, edit: bool = False) -> tuple[ImportBatch, Access]:
    batch = get_object_or_404(
        ImportBatch.objects.select_related("organisation", "created_by").defer("file_content"),
        pk=pk,
    )
    access = Access.for_user(request.user)
    allowed = _can_edit if edit else _can_view
    if not allowed(access, batch.organisation_id):
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
        try:
            batch = services.batch_preview(
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
    templates = list(organisations.order_by("name")[:6]) if not access.is_admin else []
    return render(request, "importers/upload.html", {"form": form, "templates": templates})


@login_required
@require_safe
def batch_list(request):
    access = Access.for_user(request.user)
    batches = ImportBatch.objects.select_related("organisation", "created_by").defer("file_content")
    if not access.is_admin:
        batches = batches.filter(organisation_id__in=access.member_org_ids)
    paginator = Paginator(batches.order_by("-created_at", "-pk"), 50)
    page = paginator.get_page(request.GET.get("sida"))
    return render(
        request,
        "importers/batch_list.html",
        {"page": page, "can_upload": access.is_editor},
    )


@login_required
@require_safe
def batch_detail(request, pk):
    batch, access = _batch_for(request, pk)
    counts = dict(
        batch.rows.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n")
    )
    outcome = request.GET.get("utfall", "")
    rows = batch.rows.select_related("arrangement").order_by("sheet", "row_number")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    paginator = Paginator(rows, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    page_rows = list(page.object_list)
    for row in page_rows:
        row.display_name = _row_name(row)
    can_edit = _can_edit(access, batch.organisation_id)
    invalid = counts.get(ImportRow.Outcome.INVALID, 0)
    to_write = counts.get(ImportRow.Outcome.NEW, 0) + counts.get(ImportRow.Outcome.UPDATE, 0)
    # A row naming an arrangement we do not take part in sends a request to join (unless one
    # waits for an answer already); its diff says so.
    to_join = batch.rows.filter(outcome=ImportRow.Outcome.JOIN).exclude(diff={}).count()
    context = {
        "batch": batch,
        "page": page,
        "rows": page_rows,
        "counts": counts,
        "invalid": invalid,
        "to_write": to_write,
        "to_join": to_join,
        "outcome": outcome,
        "filters": [
            (value, label, counts.get(value, 0) if value else sum(counts.values()))
            for value, label in OUTCOME_FILTERS
        ],
        "can_commit": can_edit and batch.mode == ImportBatch.Mode.DRY_RUN,
        "commit_form": CommitForm(initial={"all_or_nothing": batch.all_or_nothing}),
        "can_undo": can_edit and batch.mode == ImportBatch.Mode.COMMITTED,
        "undo_problem": undo_problem(batch) if batch.mode == ImportBatch.Mode.COMMITTED else None,
        "skipped_sheets": batch.summary.get("skipped_sheets", []),
        "warning_rows": (
            batch.rows.exclude(warnings=[]).exclude(outcome=ImportRow.Outcome.JOIN).count()
        ),
    }
    return render(request, "importers/batch_detail.html", context)


@login_required
@require_POST
def batch_commit(request, pk):
    batch, _ = _batch_for(request, pk, edit=True)
    form = CommitForm(request.POST)
    all_or_nothing = form.cleaned_data["all_or_nothing"] if form.is_valid() else True
    try:
        result = services.batch_commit(
            batch=batch, all_or_nothing=all_or_nothing, user=request.user
        )
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("importers:batch_detail", pk=batch.pk)
    if result.written:
        summary = result.summary()
        sent = sum(1 for r in result.rows if r.outcome == ImportRow.Outcome.JOIN and r.journal)
        messages.success(
            request,
            f"Importen är sparad: {summary['created']} nya och {summary['updated']} uppdaterade "
            f"samverkan, {summary['unchanged']} oförändrade"
            + (
                f", {sent} {'begäran' if sent == 1 else 'begäranden'} om deltagande "
                f"skickad{'' if sent == 1 else 'e'}"
                if sent
                else ""
            )
            + (
                f", {summary['invalid']} ogiltiga rader hoppades över."
                if summary["invalid"]
                else "."
            ),
        )
    else:
        messages.error(
            request,
            f"Ingenting sparades: {result.invalid} rader är ogiltiga och du valde allt eller inget. "
            "Rätta raderna i filen och ladda upp den igen, eller spara bara de giltiga raderna.",
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
                f"Importen är ångrad. {restored} poster återställdes till läget före importen.",
            )
        return redirect("importers:batch_detail", pk=batch.pk)
    problem = services.undo_refusal(batch)
    return render(request, "importers/undo_confirm.html", {"batch": batch, "problem": problem})


@login_required
@require_safe
def batch_invalid_rows(request, pk):
    batch, _ = _batch_for(request, pk)
    return download(invalid_rows_workbook(batch), batch.file_name, prefix="ogiltiga-rader-")


@login_required
@require_safe
def export_portfolio(request, organisation_pk):
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    access = Access.for_user(request.user)
    include_internal = access.is_admin or organisation.pk in access.member_org_ids
    data = build_portfolio(organisation, access=access, include_internal=include_internal)
    return download(data, portfolio_filename(organisation))
