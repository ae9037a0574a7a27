"""The forms of the governing documents: upload (a new document or a new version), change its
facts, and the law's checklist."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ..models import Document
from ..services import documents
from .forms import RegisterForm, _OnArrangementForm


class DocumentForm(_OnArrangementForm):
    """A document's facts; with ``upload`` (a new document or version) also its file, checked
    by content (``services.documents.check_file``) before anything is stored."""

    fieldsets = [
        ("Dokumentet", ["kind", "title", "diary_number", "version", "file"]),
        ("Antagande och giltighet", ["adopted_on", "decision", "valid_from", "valid_until"]),
        ("Revidering och publicering", ["next_revision", "is_published", "internal_note"]),
    ]

    class Meta(RegisterForm.Meta):
        model = Document
        fields = [
            "kind",
            "title",
            "diary_number",
            "version",
            "adopted_on",
            "decision",
            "valid_from",
            "valid_until",
            "next_revision",
            "is_published",
            "internal_note",
        ]
        help_texts = {
            "version": "Till exempel 2024:1 eller reviderad 2024-03-01.",
            "next_revision": "Revideringen syns i listan över vad som ska göras och i kalendern.",
            "is_published": (
                "En publicerad handling i en publicerad samverkan kan laddas ner av alla på Insyn."
            ),
            "internal_note": "Syns bara för parternas användare.",
        }

    def __init__(self, *args, upload: bool = False, **kwargs):
        self.upload = upload
        super().__init__(*args, **kwargs)
        if upload:
            self.fields["file"] = forms.FileField(
                label="fil",
                help_text=(
                    "PDF, Word (.docx) eller OpenDocument (.odt), högst "
                    f"{documents.max_bytes() // (1024 * 1024)} MB."
                ),
                error_messages={"required": "Välj dokumentets fil.", "empty": "Filen är tom."},
                allow_empty_file=True,  # an empty file gets the service's own message
            )

    def limit_choices(self):
        field = self.fields["decision"]
        field.queryset = self.access.decisions(
            self.arrangement.decisions.all().order_by("-date", "-pk")
        )
        field.label_from_instance = lambda d: f"{d.date:%Y-%m-%d} {d.title}"

    def clean_file(self):
        try:
            return documents.check_file(self.cleaned_data.get("file"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from exc


class DocumentChecklistForm(RegisterForm):
    """Where in the document each item the law requires stands ("§ 4"), or "saknas"."""

    class Meta(RegisterForm.Meta):
        model = Document
        fields: list[str] = []

    def __init__(self, *args, checklist, **kwargs):
        self.checklist = checklist
        super().__init__(*args, **kwargs)
        entries = self.instance.checklist if isinstance(self.instance.checklist, dict) else {}
        for item in checklist.items:
            self.fields[f"item_{item.key}"] = forms.CharField(
                label=item.label,
                required=False,
                max_length=100,
                initial=entries.get(item.key, ""),
                help_text="Var det står, till exempel § 4, eller ”saknas”.",
            )

    def entries(self) -> dict:
        return {
            item.key: self.cleaned_data.get(f"item_{item.key}", "") for item in self.checklist.items
        }
