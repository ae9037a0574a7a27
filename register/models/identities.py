"""Single sign-on: who a user is at the municipality's OpenID Connect provider, and which of
their memberships the provider's groups or e-mail domain gave them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .memberships import Membership


class ExternalIdentity(models.Model):
    """A user's account at an OpenID Connect provider: the provider's ``iss`` and ``sub``.

    A login through the provider finds its user here, never by e-mail (unless the provider vouches
    for the address and the register trusts it: OIDC_TRUST_EMAIL_VERIFIED)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField("utfärdare", max_length=255)
    subject = models.CharField("identitet hos utfärdaren", max_length=255)
    created_at = models.DateTimeField("första inloggning", auto_now_add=True)
    last_login_at = models.DateTimeField("senaste inloggning", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login_at"])

    class Meta:
        verbose_name = "konto hos inloggningstjänst"
        verbose_name_plural = "konton hos inloggningstjänst"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="external_identity_unique",
                violation_error_message="Kontot hos inloggningstjänsten hör redan till en användare.",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.issuer})"


class SsoGrant(models.Model):
    """Marks a membership that single sign-on gave (from a group or an e-mail domain): the next
    login updates or removes it as the provider's claims say. A membership without this mark was
    given by hand and is never changed by a login."""

    membership = models.OneToOneField(
        Membership,
        verbose_name="behörighet",
        on_delete=models.CASCADE,
        related_name="sso_grant",
    )
    source = models.CharField("grund", max_length=255, help_text="Gruppen eller e-postdomänen.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "behörighet från inloggningstjänst"
        verbose_name_plural = "behörigheter från inloggningstjänst"

    def __str__(self):
        return f"{self.membership} (från {self.source})"
