"""Import batches: one per uploaded file, with the outcome of every row."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from register.models import Arrangement, Organisation


class ImportBatch(models.Model):
    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", "Förhandsgranskning"
        COMMITTED = "committed", "Genomförd"
        UNDONE = "undone", "Ångrad"
        FAILED = "failed", "Misslyckad"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    file_name = models.CharField("filnamn", max_length=255)
    checksum = models.CharField("kontrollsumma (SHA-256)", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importerad av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    committed_at = models.DateTimeField("genomförd", null=True, blank=True)
    undone_at = models.DateTimeField("ångrad", null=True, blank=True)
    mode = models.CharField("läge", max_length=20, choices=Mode.choices, default=Mode.DRY_RUN)
    all_or_nothing = models.BooleanField("allt eller inget", default=True)
    summary = models.JSONField("sammanfattning", default=dict, blank=True)
    file_content = models.BinaryField("fil", null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "importomgång"
        verbose_name_plural = "importomgångar"

    def __str__(self):
        if self.created_at:
            return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
        return self.file_name

    def get_absolute_url(self):
        return reverse("importers:batch_detail", args=[self.pk])


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        NEW = "new", "Ny"
        UPDATE = "update", "Uppdateras"
        JOIN = "join", "Begäran om deltagande"
        UNCHANGED = "unchanged", "Oförändrad"
        INVALID = "invalid", "Ogiltig"
        SKIPPED = "skipped", "Överhoppad"

    batch = models.ForeignKey(
        ImportBatch, verbose_name="importomgång", on_delete=models.CASCADE, related_name="rows"
    )
    sheet = models.CharField("blad", max_length=100)
    row_number = models.PositiveIntegerField("rad")
    outcome = models.CharField("utfall", max_length=20, choices=Outcome.choices)
    raw = models.JSONField("rådata", default=dict)
    errors = models.JSONField("fel", default=list, blank=True)
    warnings = models.JSONField("varningar", default=list, blank=True)
    diff = models.JSONField("ändringar", default=dict, blank=True)
    journal = models.JSONField(
        "ändringslogg",
        default=list,
        blank=True,
        help_text="Vad importen skrev, med värdena före, så att importen kan ångras.",
    )
    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["batch", "sheet", "row_number"]
        verbose_name = "importrad"
        verbose_name_plural = "importrader"

    def __str__(self):
        return f"{self.sheet} rad {self.row_number}"
