"""The organisation's users: invitations by e-mail, roles, removal (issue 22).

An organisation administrator (or a register administrator) invites a person by e-mail to a role
in the organisation; the e-mail carries a link with a random token that works once, for
``INVITATION_DAYS`` days. Only the token's SHA-256 hash is stored. Whoever opens the link sets a
password (Django's password validators) and gets an account, or, already having one, logs in
and gets the role. Every write here is one transaction: a refused step writes nothing.

An organisation keeps at least one organisation administrator once it has one: only a register
administrator may remove or demote the last (``Access.may_leave_without_user_admin``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from ..access import Access
from ..models import Invitation, Membership, Organisation
from .records import _require, tag, user_or_none

ROLE_LABELS = dict(Membership.Role.choices)


def token_hash(token: str) -> str:
    """Return the stored form of an invitation's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def moment_text(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def invitation_for_token(token: str) -> Invitation | None:
    """Return the invitation the link's token opens (None for a token that opens none)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str:
    """Return why the invitation cannot be accepted, in Swedish ("" when it can)."""
    if invitation is None:
        return (
            "Länken öppnar ingen inbjudan. Kontrollera att du har kopierat hela länken från "
            "e-postmeddelandet."
        )
    if invitation.accepted_at is not None:
        return (
            "Inbjudan har redan använts. Har du redan ett konto kan du logga in; har du glömt "
            "lösenordet kan du be om ett nytt."
        )
    if invitation.revoked_at is not None:
        return "Inbjudan har dragits tillbaka. Be organisationens administratör om en ny."
    if invitation.expires_at <= timezone.now():
        return (
            f"Inbjudan gällde till {moment_text(invitation.expires_at)} och har gått ut. Be "
            "organisationens administratör om en ny."
        )
    return ""


def existing_account(email: str):
    """Return the account whose user name is ``email``, or an active one with that e-mail address
    (or None)."""
    email = normalise_email(email)
    users = get_user_model().objects
    return (
        users.filter(email__iexact=email, is_active=True).order_by("pk").first()
        or users.filter(username__iexact=email).first()
    )


# --- inviting --------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    access: Access | None,
    organisation: Organisation,
    name: str,
    email: str,
    role: str,
    invited_by=None,
    link_for: Callable[[str], str],
) -> Invitation:
    """Invite ``email`` to ``role`` in ``organisation`` and send the e-mail with the link
    (``link_for(token)`` is its absolute address).

    Raises ``ValidationError`` (nothing is saved, nothing is sent) for an invalid address or
    role, a person who already has a role in the organisation, an invitation to the same
    address that still waits, and an e-mail that could not be sent.
    """
    if access is not None:
        _require(access.can_manage_users(organisation))
    email = normalise_email(email)
    name = (name or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Ange en giltig e-postadress, till exempel namn@kommun.se."
    if not name:
        errors["name"] = "Ange personens namn."
    elif len(name) > 150:
        errors["name"] = "Namnet får vara högst 150 tecken."
    if role not in ROLE_LABELS:
        errors["role"] = "Välj en roll: organisationsadministratör, redigerare eller läsare."
    if errors:
        raise ValidationError(errors)
    # One invitation per address and organisation at a time (locks the organisation's open
    # invitations, so that two administrators inviting at once make one).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    member = Membership.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).select_related("user")
    member = member.first() or (
        Membership.objects.filter(organisation=organisation, user__username__iexact=email)
        .select_related("user")
        .first()
    )
    if member is not None:
        raise ValidationError(
            {
                "email": f"{email} har redan en roll i {organisation} "
                f"({member.get_role_display().lower()}). Ändra rollen i listan i stället."
            }
        )
    waiting = Invitation.objects.filter(
        organisation=organisation,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if waiting is not None:
        raise ValidationError(
            {
                "email": f"En inbjudan till {email} väntar redan på svar (den gäller till "
                f"{moment_text(waiting.expires_at)}). Dra tillbaka den först om du vill skicka en ny."
            }
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        name=name,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=user_or_none(invited_by),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean(exclude=["invited_by", "accepted_by"])
    invitation.save()
    context = {
        "invitation": invitation,
        "link": link_for(token),
        "role": ROLE_LABELS[role].lower(),
        "expires": moment_text(invitation.expires_at),
        "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username()
        if invitation.invited_by
        else "",
    }
    subject = render_to_string("registration/invitation_subject.txt", context).strip()
    body = render_to_string("registration/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [email], fail_silently=False)
    except Exception as exc:  # SMTP, connection refused, a bad address the server refuses
        raise ValidationError(
            "E-postmeddelandet kunde inte skickas, så ingen inbjudan sparades. Försök igen "
            "senare eller kontakta registrets administratör.",
            code="not_sent",
        ) from exc
    return invitation


@transaction.atomic
def invitation_revoke(*, access: Access | None, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    if access is not None:
        _require(access.can_manage_users(invitation.organisation))
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError("Inbjudan har redan tagits emot och kan inte dras tillbaka.")
    if locked.revoked_at is not None:
        raise ValidationError("Inbjudan är redan tillbakadragen.")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


# --- accepting -------------------------------------------------------------------------------


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Accept the invitation that ``token`` opens: ``user`` (logged in) gets the role, or a new
    account is made for the invitation's e-mail address with ``password`` (the e-mail address
    is its user name).

    Raises ``ValidationError`` (nothing written) for a token that opens no invitation, one that
    is used, withdrawn or expired, a password the validators refuse, an address that already
    has an account (log in instead) and a user who already has a role in the organisation.
    """
    found = invitation_for_token(token)
    invitation = (
        None
        if found is None
        else Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
    )
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem, code="invalid_invitation")
    user = user_or_none(user)
    if user is None:
        if existing_account(invitation.email) is not None:
            raise ValidationError(
                f"Det finns redan ett konto för {invitation.email}. Logga in med det så får du "
                "rollen; har du glömt lösenordet kan du be om ett nytt.",
                code="has_account",
            )
        User = get_user_model()
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name.strip()[:150],
            last_name=last_name.strip()[:150],
        )
        try:
            validate_password(password or "", user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.save()
    elif Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise ValidationError(
            f"Du har redan en roll i {invitation.organisation}. Be organisationens "
            "administratör ändra den om den ska vara en annan.",
            code="already_member",
        )
    membership = Membership(user=user, organisation=invitation.organisation, role=invitation.role)
    membership.full_clean()
    tag(membership, f"Inbjudan {invitation.pk}")
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# --- roles and removal -------------------------------------------------------------------------


def _keep_a_user_admin(access: Access | None, membership: Membership) -> None:
    """Refuse to leave the organisation without an organisation administrator (a register
    administrator may). Locks the organisation's administrators' memberships."""
    if access is None or access.may_leave_without_user_admin():
        return
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if membership.pk in admins and len(admins) == 1:
        raise ValidationError(
            f"{membership.user.get_full_name() or membership.user.get_username()} är den enda "
            f"organisationsadministratören i {membership.organisation}. Gör någon annan till "
            "organisationsadministratör först, eller be registrets administratör.",
            code="last_admin",
        )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_set_role(
    *, access: Access | None, membership: Membership, role: str, reason: str = ""
) -> Membership:
    """Give the user of ``membership`` another role in the organisation."""
    if access is not None:
        _require(access.can_manage_users(membership.organisation))
    if role not in ROLE_LABELS:
        raise ValidationError(
            {"role": "Välj en roll: organisationsadministratör, redigerare eller läsare."}
        )
    locked = _locked(membership)
    if locked.role == role:
        return locked
    if role != Membership.Role.ADMIN:
        _keep_a_user_admin(access, locked)
    locked.role = role
    locked.full_clean()
    tag(locked, reason)
    locked.save()
    return locked


@transaction.atomic
def membership_remove(*, access: Access | None, membership: Membership, reason: str = "") -> None:
    """Remove the user from the organisation (the role, not the account)."""
    if access is not None:
        _require(access.can_manage_users(membership.organisation))
    locked = _locked(membership)
    _keep_a_user_admin(access, locked)
    tag(locked, reason)
    locked.delete()
