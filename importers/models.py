"""Import batches: one per uploaded file, with the outcome of every row, and the file itself
while the batch is a preview that can still be saved."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from register.models import Arrangement, Organisation

# The fields of a batch's background work (its progress), kept out of its history.
JOB_FIELDS = [
    "job",
    "job_status",
    "job_error",
    "job_updated_at",
    "file_size",
    "rows_read",
    "rows_total",
    "rows_saved",
]


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

    class Job(models.TextChoices):
        """What runs for the batch outside the web request (a large file, ``importers.background``)."""

        NONE = "", "Inget"
        PREVIEW = "preview", "Förhandsgranskning"
        COMMIT = "commit", "Sparande"

    class JobStatus(models.TextChoices):
        NONE = "", "Inget"
        QUEUED = "queued", "Väntar på sin tur"
        READING = "reading", "Läser raderna"
        CHECKING = "checking", "Jämför raderna med registret"
        SAVING = "saving", "Sparar"
        DONE = "done", "Klar"
        FAILED = "failed", "Misslyckades"

    # The progress of the batch's background work. Not in the history (``excluded_fields``): it
    # is updated while the work runs, a row at a time, without a history row per update.
    job = models.CharField("bakgrundsarbete", max_length=20, choices=Job.choices, blank=True)
    job_status = models.CharField(
        "arbetets läge", max_length=20, choices=JobStatus.choices, blank=True
    )
    job_error = models.TextField("varför arbetet misslyckades", blank=True)
    job_updated_at = models.DateTimeField("arbetet senast framåt", null=True, blank=True)
    file_size = models.PositiveBigIntegerField("filens storlek (byte)", default=0)
    rows_read = models.PositiveIntegerField("lästa rader", default=0)
    rows_total = models.PositiveIntegerField("rader i filen", default=0)
    rows_saved = models.PositiveIntegerField("sparade rader", default=0)

    # The uploaded file is not a field here: a batch has history, and every save would copy the
    # file into the history table. It is an ImportFile, without history.
    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

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

    @property
    def job_running(self) -> bool:
        """Whether background work for the batch is waiting or under way (a preview, or its
        save: once the batch is saved, nothing more runs for it)."""
        return self.mode == self.Mode.DRY_RUN and self.job_status in {
            self.JobStatus.QUEUED,
            self.JobStatus.READING,
            self.JobStatus.CHECKING,
            self.JobStatus.SAVING,
        }

    @property
    def job_percent(self) -> int:
        """How far the reading has come, in per cent (0 before the file's size is known)."""
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_read / self.rows_total))

    @property
    def history_reason(self) -> str:
        """The change reason of every history row the batch's commit writes in the register:
        what tags the batch's writes, so that its undo finds them (``importers.undo``)."""
        return _reason(f"Import {self.pk}: {self.file_name}")

    @property
    def undo_reason(self) -> str:
        """The change reason of every history row the batch's undo writes."""
        return _reason(f"Ångrad import {self.pk}: {self.file_name}")


def _reason(text: str) -> str:
    """Cut a change reason to simple-history's column (the batch's id comes first, so two
    batches never share one)."""
    return text[:100]


def preview_days() -> int:
    """Return how many days a preview's file is kept (README, "Excelimport"): the commit reads
    the file again, so a preview can be saved as long as its file is kept."""
    return settings.IMPORT_PREVIEW_DAYS


def _kept_q(now=None) -> models.Q:
    """The retention rule: a file is kept only for a preview (not saved, undone or failed)
    uploaded within the last ``preview_days()`` days."""
    cutoff = (now or timezone.now()) - timedelta(days=preview_days())
    return models.Q(batch__mode=ImportBatch.Mode.DRY_RUN, batch__created_at__gte=cutoff)


class ImportFileQuerySet(models.QuerySet):
    def kept(self, *, now=None):
        """The files the retention rule keeps (the one a preview's commit may read)."""
        return self.filter(_kept_q(now))

    def expired(self, *, now=None):
        """The files the retention rule no longer keeps (purged)."""
        return self.exclude(_kept_q(now))


class ImportFile(models.Model):
    """The uploaded file of a preview, read again when the preview is saved.

    Kept apart from :class:`ImportBatch` and without history, so that saving a batch never copies
    the file (up to 20 MB) anywhere, and deleted when the rule no longer keeps it
    (:meth:`ImportFileQuerySet.kept`): when the batch is saved, and a preview that nobody saved
    within ``preview_days()`` days.
    """

    batch = models.OneToOneField(
        ImportBatch,
        verbose_name="importomgång",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="upload",
    )
    content = models.BinaryField("innehåll")

    objects = ImportFileQuerySet.as_manager()

    class Meta:
        verbose_name = "uppladdad fil"
        verbose_name_plural = "uppladdade filer"

    def __str__(self):
        return f"Fil för importomgång {self.batch_id}"


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
        help_text="Vilka poster raden skrev. Värdena före och efter finns i posternas historik, "
        "där importens ändringar är märkta med importomgången; därifrån ångras importen.",
    )
    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offers = models.JSONField(
        "val i förhandsgranskningen",
        default=dict,
        blank=True,
        help_text="Vad registratorn kan välja för raden: samverkan den kan vara, organisationer "
        "ett okänt partnamn kan vara.",
    )

    class Meta:
        ordering = ["batch", "sheet", "row_number"]
        verbose_name = "importrad"
        verbose_name_plural = "importrader"

    def __str__(self):
        return f"{self.sheet} rad {self.row_number}"

    # What became of a row once the import is saved (the outcomes' labels say what will).
    DONE_LABELS = {Outcome.NEW: "Skapad", Outcome.UPDATE: "Uppdaterad"}

    @property
    def done_label(self) -> str:
        """The row's outcome in the past tense, as a saved import shows it."""
        return self.DONE_LABELS.get(self.outcome, self.get_outcome_display())


class ImportChoice(models.Model):
    """A decision a registrar made in a preview instead of in the file, remembered for the next
    import of the same list: a row that names an arrangement already in the register under
    another name is that arrangement (``same``) or a new one (``new``); an unknown partner name
    is an organisation (``partner``). Keyed on the organisation, the list's identity
    (``importers.choices.list_key``: its file name without digits) and the row's key
    (``importers.choices.row_key``, or the folded partner name)."""

    class Kind(models.TextChoices):
        SAME = "same", "Samma samverkan som en i registret"
        NEW = "new", "En ny samverkan"
        PARTNER = "partner", "Parten är en organisation i registret"

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.CASCADE, related_name="+"
    )
    list_key = models.CharField("lista", max_length=255)
    key = models.CharField("rad eller partnamn", max_length=500)
    kind = models.CharField("beslut", max_length=20, choices=Kind.choices)
    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="part",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beslutat av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("beslutat", auto_now=True)

    class Meta:
        verbose_name = "importbeslut"
        verbose_name_plural = "importbeslut"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "list_key", "key"], name="one_choice_per_row_of_a_list"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.key}"
