"""A piece of background work and its progress: today the PDFs (the introduction pack, the review
pack, a briefing), made outside the web request and kept for the data version they were made from.

A job is derived from the register, not part of it: it has no history, and saving one does not
change the register's data version (``derived_from_register``; the public cache skips it), or a
PDF would go out of date the moment its own job was saved.

Who sees a job is its ``audience``: ``Access.audience()`` of the user who asked, the visibility the
PDF was made with. A user sees the jobs made for exactly what they may see (and a register
administrator every job), so a PDF made for a member is never handed to someone who sees less.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .reference import Organisation


def result_upload_to(instance, filename: str) -> str:
    """Where a finished PDF is kept: per kind, under a name the register chooses."""
    from uuid import uuid4

    return f"bakgrundsjobb/{instance.kind}/{uuid4().hex}.pdf"


class BackgroundJob(models.Model):
    derived_from_register = True  # see the module's docstring

    class Kind(models.TextChoices):
        INTRO_PACK = "intro_pack", "Introduktionspaket"
        REVIEW_PACK = "review_pack", "Underlag till genomgång"
        BRIEFING = "briefing", "Föredragning"

    class Status(models.TextChoices):
        QUEUED = "queued", "I kö"
        RUNNING = "running", "Pågår"
        DONE = "done", "Klar"
        FAILED = "failed", "Misslyckades"

    kind = models.CharField("slag", max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="background_jobs",
        help_text="Organisationen som handlingen gäller.",
    )
    key = models.CharField(
        "handling", max_length=100, help_text="Vilken handling av slaget: organisation, genomgång …"
    )
    audience = models.CharField(
        "gjord för",
        max_length=200,
        help_text="Vad den som beställde får se (Access.audience); bara den synen får filen.",
    )
    data_version = models.CharField("dataversion", max_length=64)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField("klart", default=0)
    total = models.PositiveIntegerField("totalt", default=0)
    message = models.CharField("meddelande", max_length=200, blank=True)
    file = models.FileField("fil", upload_to=result_upload_to, max_length=300, blank=True)
    file_name = models.CharField("filnamn", max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beställd av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("beställd", auto_now_add=True)
    started_at = models.DateTimeField("påbörjad", null=True, blank=True)
    finished_at = models.DateTimeField("klar", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "bakgrundsjobb"
        verbose_name_plural = "bakgrundsjobb"
        indexes = [
            models.Index(
                fields=["kind", "key", "audience", "data_version"], name="job_document_version"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("register:background_job", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int | None:
        """How far the job has come in whole percent; None while the total is not known."""
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
