"""Single sign-on with OpenID Connect: the user a provider's login stands for, and the memberships
its groups or e-mail domain give (register/web/sso.py checks the tokens; this writes).

* The user is found by the provider's ``iss`` and ``sub`` (``ExternalIdentity``), never by e-mail
  alone: an existing account is linked by its e-mail address only when the provider says
  ``email_verified`` is true AND the register trusts that (``OIDC_TRUST_EMAIL_VERIFIED``).
  Otherwise the first login creates a new user (without a password), unless
  ``OIDC_CREATE_USER`` is off.
* Memberships: ``OIDC_GROUP_MAP`` (a group in the ``OIDC_GROUPS_CLAIM`` claim) and
  ``OIDC_EMAIL_DOMAIN_MAP`` (the domain of a verified e-mail address) name an organisation by its
  code and a role; the highest role per organisation wins. They are set again at every login: a
  membership single sign-on gave (marked by ``SsoGrant``) gets the role the claims give now, or is
  removed when no group or domain gives it any more. A membership given by hand is never changed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import ExternalIdentity, Membership, Organisation, SsoGrant

LOGGER = logging.getLogger(__name__)

REASON = "Inloggning via kommunens konto"
# The higher a role, the more it may do; one organisation's highest mapped role wins.
ROLE_RANK = {"reader": 1, "editor": 2, "admin": 3}


class SsoRefused(Exception):
    """The provider's login cannot be let in; the message is for the user, in Swedish."""


@dataclass(frozen=True)
class Grant:
    organisation: Organisation
    role: str
    source: str


def email_of(claims: dict) -> str:
    email = claims.get("email")
    return email.strip() if isinstance(email, str) else ""


def email_verified(claims: dict) -> bool:
    """Whether the provider vouches for the e-mail address (some send "true" as a string)."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def groups_of(claims: dict) -> list[str]:
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(group) for group in value]
    return []


def grants_for(claims: dict) -> list[Grant]:
    """Return the memberships the claims give, one per organisation (its highest role)."""
    wanted: dict[str, tuple[str, str]] = {}

    def consider(code: str, role: str, source: str) -> None:
        if role not in Membership.Role.values:
            LOGGER.warning("Single sign-on: unknown role %r for %s; ignored", role, source)
            return
        if code not in wanted or ROLE_RANK.get(role, 0) > ROLE_RANK.get(wanted[code][0], 0):
            wanted[code] = (role, source)

    for group in groups_of(claims):
        for code, role in settings.OIDC_GROUP_MAP.get(group, ()):
            consider(code, role, f"grupp {group}")
    email = email_of(claims)
    if email and "@" in email and email_verified(claims):
        domain = email.rsplit("@", 1)[1].lower()
        for code, role in settings.OIDC_EMAIL_DOMAIN_MAP.get(domain, ()):
            consider(code, role, f"e-postdomän {domain}")
    organisations = Organisation.objects.in_bulk(list(wanted), field_name="code")
    for code in wanted.keys() - organisations.keys():
        LOGGER.warning("Single sign-on: no organisation has the code %r; ignored", code)
    return [
        Grant(organisations[code], role, source)
        for code, (role, source) in wanted.items()
        if code in organisations
    ]


def sync_memberships(user, claims: dict) -> None:
    """Give ``user`` the memberships the claims give; update or remove those single sign-on gave
    before; leave those given by hand alone. Each change leaves a history row."""
    grants = {grant.organisation.pk: grant for grant in grants_for(claims)}
    existing = {
        membership.organisation_id: membership
        for membership in Membership.objects.filter(user=user).select_related("sso_grant")
    }
    for org_pk, grant in grants.items():
        membership = existing.get(org_pk)
        if membership is None:
            membership = Membership(user=user, organisation=grant.organisation, role=grant.role)
            membership._change_reason = f"{REASON} ({grant.source})"
            membership.save()
            SsoGrant.objects.create(membership=membership, source=grant.source)
            continue
        if not _has_grant(membership):
            continue  # given by hand: single sign-on never changes it
        marked = membership.sso_grant
        if membership.role != grant.role:
            membership.role = grant.role
            membership._change_reason = f"{REASON} ({grant.source})"
            membership.save(update_fields=["role"])
        if marked.source != grant.source:
            marked.source = grant.source
            marked.save(update_fields=["source"])
    for org_pk, membership in existing.items():
        if org_pk not in grants and _has_grant(membership):
            membership._change_reason = (
                f"{REASON} (ges inte längre av {membership.sso_grant.source})"
            )
            membership.delete()


def _has_grant(membership: Membership) -> bool:
    try:
        membership.sso_grant  # noqa: B018 (the reverse one-to-one raises when there is none)
    except SsoGrant.DoesNotExist:
        return False
    return True


def _username(claims: dict) -> str:
    User = get_user_model()
    base = str(claims.get("preferred_username") or email_of(claims) or f"sso-{claims['sub']}")
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "sso"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _linked_by_email(claims: dict):
    """Return the one existing user the provider's verified e-mail address names, when the
    register trusts the provider's word for it; else None."""
    email = email_of(claims)
    if not (email and email_verified(claims) and settings.OIDC_TRUST_EMAIL_VERIFIED):
        return None
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise SsoRefused(
            "Flera användare i registret har din e-postadress. Be registrets administratör "
            "om hjälp."
        )
    return users[0] if users else None


@transaction.atomic
def sign_in(*, issuer: str, claims: dict):
    """Return the user the provider's verified claims stand for (created on the first login),
    with the memberships the claims give; ``None`` when no user may be created."""
    subject = str(claims.get("sub") or "")
    if not issuer or not subject:
        raise SsoRefused("Inloggningstjänsten skickade ingen identitet.")
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = _linked_by_email(claims)
        if user is None:
            if not settings.OIDC_CREATE_USER:
                raise SsoRefused(
                    "Du har inget konto i registret. Be din organisations administratör om ett."
                )
            user = get_user_model().objects.create_user(_username(claims), email=email_of(claims))
        identity = ExternalIdentity(user=user, issuer=issuer, subject=subject)
    user = identity.user
    changed = []
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip() and getattr(user, field) != value.strip():
            setattr(user, field, value.strip()[:150])
            changed.append(field)
    email = email_of(claims)
    if email and email_verified(claims) and user.email != email and not user.has_usable_password():
        user.email = email  # only for accounts the provider alone signs in
        changed.append("email")
    if changed:
        user.save(update_fields=changed)
    if identity.pk is None:
        identity.last_login_at = timezone.now()
        identity.save()
    else:  # no history row for each login
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    if user.is_active:
        sync_memberships(user, claims)
    return user
