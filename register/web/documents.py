"""The governing documents' pages: a document, its download, upload (new and new version),
change, delete and the law's checklist. Who may do what is Access's to say; writes go through
``register.services.documents``; a file is only ever handed out by ``document_download`` (never
from a media URL), to a user who may see the document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from .. import downloads, rules
from ..access import Access
from ..models import Document
from ..selectors import documents as selectors
from ..services import documents
from .document_forms import DocumentChecklistForm, DocumentForm
from .edit import OnArrangementCreate, OnArrangementDelete, OnArrangementUpdate

ANCHOR = "dokument"


@login_required
@require_safe
def document_detail(request, pk):
    access = Access.for_user(request.user)
    document = selectors.document_detail(access, pk)
    if document is None:
        raise Http404("Dokumentet finns inte eller så saknar du behörighet.")
    return render(
        request,
        "register/document_detail.html",
        {
            "document": document,
            "arrangement": document.arrangement,
            "show_internal": access.can_view_internal(document),
            "may_change": access.can_change(document),
            "may_delete": access.can_delete(document),
            "is_public": rules.document_is_public(document),
        },
    )


@login_required
@require_safe
def document_download(request, pk):
    access = Access.for_user(request.user)
    document = get_object_or_404(access.documents(Document.objects.defer("text")), pk=pk)
    return downloads.stored_file(document, public=False)


class DocumentCreate(OnArrangementCreate):
    form_class = DocumentForm
    title = "Nytt styrdokument"
    anchor = ANCHOR
    intro = (
        "Förbundsordning, reglemente, avtal, bolagsordning eller annat dokument som styr "
        "samverkan. Filen ska vara en PDF, ett Word-dokument (.docx) eller ett OpenDocument-"
        "dokument (.odt)."
    )
    supersedes: Document | None = None

    def get_form_extra(self) -> dict:
        return {**super().get_form_extra(), "upload": True}

    def save(self, form):
        return documents.document_create(
            access=self.access,
            instance=form.save(commit=False),
            upload=form.cleaned_data["file"],
            user=self.request.user,
            supersedes=self.supersedes,
        )


class DocumentNewVersion(DocumentCreate):
    """A new version of a document: a new record that replaces it (the old one stays readable,
    marked "Ersatt av …")."""

    title = "Ny version"
    intro = (
        "Den nya versionen ersätter den gällande. Den gamla finns kvar under Tidigare versioner."
    )

    def prepare(self) -> None:
        self.supersedes = get_object_or_404(
            self.access.documents(Document.objects.select_related("arrangement").defer("text")),
            pk=self.kwargs["pk"],
        )
        self.arrangement = self.supersedes.arrangement
        self.require(self.access.can_change(self.supersedes))
        if self.supersedes.is_superseded:
            raise Http404("Dokumentet har redan ersatts av en nyare version.")

    def get_initial(self) -> dict:
        old = self.supersedes
        return {
            "kind": old.kind,
            "title": old.title,
            "diary_number": old.diary_number,
            "is_published": old.is_published,
        }

    def get_title(self) -> str:
        return f"Ny version av {self.supersedes}"


class DocumentUpdate(OnArrangementUpdate):
    model = Document
    form_class = DocumentForm
    save_service = staticmethod(documents.document_update)

    def get_queryset(self):
        return super().get_queryset().defer("text")


class DocumentDelete(OnArrangementDelete):
    model = Document
    anchor = ANCHOR
    consequences = (
        "Filen tas bort. Har dokumentet ersatt en äldre version blir den äldre gällande igen."
    )

    def get_queryset(self):
        return super().get_queryset().defer("text")

    def form_valid(self, form):
        # The file goes with the record (services.documents.document_delete).
        label = capfirst(self.label())
        try:
            documents.document_delete(
                access=self.access, instance=self.object, version=self.version
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        messages.success(self.request, f"{label} har tagits bort.")
        return HttpResponseRedirect(self.get_success_url())


class DocumentChecklist(OnArrangementUpdate):
    """The law's checklist of a document: where each required item stands, or "saknas"."""

    model = Document
    form_class = DocumentChecklistForm
    offers_delete = False
    intro = (
        "Skriv för varje punkt var i dokumentet den regleras, till exempel § 4, eller ”saknas”. "
        "Det som saknas visas på samverkans sida och i genomgången."
    )

    def prepare(self) -> None:
        super().prepare()
        self.checklist = rules.document_checklist(
            self.object.kind, self.object.arrangement.form.slug
        )
        if self.checklist is None:
            raise Http404("Lagen anger inga krav på den här typen av dokument.")

    def get_queryset(self):
        return super().get_queryset().select_related("arrangement__form").defer("text")

    def get_form_extra(self) -> dict:
        return {"checklist": self.checklist}

    def get_title(self) -> str:
        return f"Lagkrav: {self.object} ({self.checklist.citation})"

    def save(self, form):
        return documents.checklist_save(
            access=self.access, instance=self.object, entries=form.entries(), version=self.version
        )
