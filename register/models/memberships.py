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
    """A user's role in an organisation: organisation administrator, editor or reader.

    An organisation administrator is an editor who also manages the organisation's users: invites
    them, sets their roles and removes them (``Access.can_manage_users``).
    """

    class Role(models.TextChoices):
        ADMIN = "admin", "Organisationsadministratör"
        EDITOR = "editor", "Redigerare"
        READER = "reader", "Läsare"

    # The roles whose holders change the organisation's data.
    EDITING_ROLES = (Role.ADMIN, Role.EDITOR)

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


# --- Invitations -----------------------------------------------------------------------------


class Invitation(models.Model):
    """An invitation by e-mail to a role in an organisation (``services.users``).

    The link in the e-mail carries a random token; only its SHA-256 hash is stored, so a copy of
    the database opens no invitation. It works once, until ``expires_at`` (``INVITATION_DAYS``).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    name = models.CharField("namn", max_length=150)
    email = models.EmailField("e-postadress")
    role = models.CharField(
        "roll", max_length=20, choices=Membership.Role.choices, default=Membership.Role.READER
    )
    token_hash = models.CharField("nyckelns kontrollsumma", max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inbjuden av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("skickad", auto_now_add=True)
    expires_at = models.DateTimeField("gäller till")
    accepted_at = models.DateTimeField("mottagen", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mottagen av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("återkallad", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "inbjudan"
        verbose_name_plural = "inbjudningar"

    def __str__(self):
        return f"Inbjudan till {self.email} som {self.get_role_display().lower()} i {self.organisation}"

    @property
    def is_open(self) -> bool:
        """Not yet accepted nor withdrawn (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None


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
