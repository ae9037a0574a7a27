"""Who may do what: users' memberships in organisations and requests to join an arrangement."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .arrangements import Arrangement, Participation
from .reference import Organisation

# --- Roles ---------------------------------------------------------------------------------


class Membership(models.Model):
    """A user's role in an organisation: editor or reader."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Redigerare"
        READER = "reader", "Läsare"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.READER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique",
                violation_error_message="Användaren har redan en roll i organisationen.",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display().lower()} i {self.organisation}"


# --- Requests to join ----------------------------------------------------------------------


class JoinRequest(models.Model):
    """A request that an organisation take part in an arrangement (begäran om deltagande).

    An editor of an organisation that does not take part asks, on the arrangement's page or
    through an import of the organisation's list; an editor of one of the arrangement's
    participants, or a register administrator, accepts it (the organisation becomes a participant)
    or declines it. Only one request per organisation and arrangement waits for an answer at a
    time.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Väntar på svar"
        ACCEPTED = "accepted", "Godkänd"
        DECLINED = "declined", "Avslagen"

    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    role = models.CharField(
        "begärd roll",
        max_length=20,
        choices=Participation.Role.choices,
        default=Participation.Role.MEMBER,
    )
    message = models.TextField("meddelande", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="begärd av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("begärd", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="besvarad av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("besvarad", null=True, blank=True)
    import_batch = models.ForeignKey(
        "importers.ImportBatch",
        verbose_name="importomgång",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
        help_text="Importen som skickade begäran, om den kom från en import.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "begäran om deltagande"
        verbose_name_plural = "begäranden om deltagande"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "organisation"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
                violation_error_message="Organisationen har redan begärt att få delta i den här "
                "samverkan. Begäran väntar på svar.",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="join_request_decided_when_answered",
                violation_error_message="En besvarad begäran ska ha ett datum för svaret.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} vill delta i {self.arrangement}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + f"#begaran-{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def clean(self):
        if (
            self.is_pending
            and self.arrangement_id
            and self.organisation_id
            and Participation.objects.filter(
                arrangement_id=self.arrangement_id, organisation_id=self.organisation_id
            ).exists()
        ):
            raise ValidationError(
                "Organisationen deltar redan i samverkan.", code="already_participates"
            )
