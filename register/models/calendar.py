"""Secret, revocable addresses of a user's calendar feed of deadlines."""

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """A secret address of one user's calendar of deadlines (to subscribe to in Outlook).

    Whoever has the address reads the calendar, so the user may revoke it and get a new one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    token = models.CharField("nyckel", max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    revoked_at = models.DateTimeField("återkallad", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])  # the secret stays out of the log

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "kalenderadress"
        verbose_name_plural = "kalenderadresser"

    def __str__(self):
        return f"Kalender för {self.user}"
