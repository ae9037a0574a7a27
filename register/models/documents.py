"""The governing documents of an arrangement: förbundsordning, reglemente, agreements, bolagsordning …

A document is one version of one text. A new version points to the one it replaces
(``supersedes``); the old one stays readable. The file itself lives in Django's storage
(``register.documents`` decides where and checks what may be stored); the history keeps the
record's fields, never the file's bytes or its extracted text.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .arrangements import Arrangement
from .fields import check_end_after_start, end_after_start
from .followup import Decision


def document_upload_to(instance, filename: str) -> str:
    """Where a document's file is stored: per arrangement, under a name the register chooses
    (the uploader's file name is kept in ``file_name`` and given back on download)."""
    from uuid import uuid4

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{instance.arrangement_id}/{uuid4().hex}.{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        CHARTER = "charter", "Förbundsordning"
        REGULATION = "regulation", "Reglemente"
        AGREEMENT = "agreement", "Samverkansavtal/överenskommelse"
        ARTICLES = "articles", "Bolagsordning"
        OWNER_DIRECTIVE = "owner_directive", "Ägardirektiv"
        SHAREHOLDER_AGREEMENT = "shareholder_agreement", "Aktieägaravtal"
        DELEGATION = "delegation", "Delegationsordning"
        BUDGET = "budget", "Budget"
        ANNUAL_REPORT = "annual_report", "Årsredovisning"
        AUDIT_REPORT = "audit_report", "Revisionsberättelse"
        EVALUATION = "evaluation", "Utvärdering"
        MINUTES = "minutes", "Protokoll"
        OTHER = "other", "Annat"

    class TextStatus(models.TextChoices):
        PENDING = "pending", "Väntar på textutläsning"
        DONE = "done", "Texten är utläst"
        FAILED = "failed", "Texten kunde inte läsas ut"

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("dokumenttyp", max_length=30, choices=Kind.choices)
    title = models.CharField("titel", max_length=300)
    diary_number = models.CharField("diarienummer", max_length=50, blank=True)
    version = models.CharField("version", max_length=50, blank=True)
    adopted_on = models.DateField("antagen", null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name="beslut som antog dokumentet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    valid_from = models.DateField("gäller från", null=True, blank=True)
    valid_until = models.DateField("gäller till", null=True, blank=True)
    next_revision = models.DateField("nästa revidering", null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="ersätter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    is_published = models.BooleanField(
        "publicerad",
        default=False,
        help_text="En publicerad handling visas och kan laddas ner på Insyn.",
    )
    file = models.FileField("fil", upload_to=document_upload_to, max_length=300, blank=True)
    file_name = models.CharField("filnamn", max_length=255, blank=True)
    content_type = models.CharField("filtyp", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("storlek (byte)", null=True, blank=True)
    sha256 = models.CharField("kontrollsumma (SHA-256)", max_length=64, blank=True)
    text = models.TextField("utläst text", blank=True, editable=False)
    text_status = models.CharField(
        "textutläsning",
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    # What the law requires the document to settle (register/law.py): per item, where it stands
    # ("§ 4") or "saknas", as the registrar filled it in.
    checklist = models.JSONField("lagkrav", default=dict, blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uppladdad av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("uppladdad", auto_now_add=True)
    is_example = models.BooleanField("exempeldata", default=False)

    # The history keeps the record, not the extracted text (the file's bytes are never in a
    # table at all: the file field holds the storage name).
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["arrangement", "kind", "-valid_from", "-pk"]
        verbose_name = "styrdokument"
        verbose_name_plural = "styrdokument"
        constraints = [
            end_after_start("valid_from", "valid_until", "document_valid_until_after_valid_from"),
        ]

    def __str__(self):
        version = f" ({self.version})" if self.version else ""
        return f"{self.title}{version}"

    def get_absolute_url(self):
        return reverse("register:document_detail", args=[self.pk])

    def clean(self):
        check_end_after_start(self, "valid_from", "valid_until")

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by") and self.superseded_by is not None
