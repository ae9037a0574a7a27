"""The organisation's users (issue 22): the list, invitations by e-mail, roles, removal, and
accepting an invitation.

An organisation administrator manages their own organisations' users, a register administrator
everyone's (``Access.can_manage_users``). Thin views: permissions through
``register.access.Access``, writes through ``register.services.users``. A role or an invitation
in an organisation the user does not manage is a 404; the users page of such an organisation
a 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..access import Access
from ..models import Invitation, Membership, Organisation
from ..services import users

ROLE_CHOICES = [
    (Membership.Role.READER, "Läsare – läser organisationens uppgifter"),
    (Membership.Role.EDITOR, "Redigerare – ändrar organisationens uppgifter"),
    (
        Membership.Role.ADMIN,
        "Organisationsadministratör – redigerare som också hanterar organisationens användare",
    ),
]


class UserForm(forms.Form):
    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class InvitationForm(UserForm):
    name = forms.CharField(label="Namn", max_length=150)
    email = forms.CharField(
        label="E-postadress",
        max_length=254,
        help_text="Inbjudan skickas hit. Adressen blir användarnamnet om personen inte redan har "
        "ett konto.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Roll", choices=ROLE_CHOICES, initial=Membership.Role.READER, widget=forms.RadioSelect
    )


class RoleForm(UserForm):
    role = forms.ChoiceField(label="Roll", choices=ROLE_CHOICES, widget=forms.RadioSelect)


class AcceptForm(UserForm):
    """A new account for the invitation's address: a name and a password, twice."""

    first_name = forms.CharField(label="Förnamn", max_length=150)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    password1 = forms.CharField(
        label="Lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Skriv lösenordet en gång till",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error(
                "password2", "Lösenorden är inte likadana. Skriv samma lösenord två gånger."
            )
        return data


def _access(request) -> Access:
    return Access.for_user(request.user)


def _managed_organisation(access: Access, pk: int) -> Organisation:
    organisation = get_object_or_404(access.organisations(), pk=pk)
    if not access.can_manage_users(organisation):
        raise PermissionDenied(
            "Bara organisationens administratör och registrets administratör hanterar "
            "organisationens användare."
        )
    return organisation


def _users_url(organisation_id: int) -> str:
    return reverse("register:organisation_users", args=[organisation_id])


@login_required
@require_http_methods(["GET", "HEAD"])
def organisation_users(request, pk):
    """The organisation's users and their roles, and the invitations that wait for an answer."""
    access = _access(request)
    organisation = _managed_organisation(access, pk)
    memberships = list(
        access.manageable_memberships(
            Membership.objects.filter(organisation=organisation).select_related("user")
        ).order_by("user__first_name", "user__last_name", "user__username")
    )
    invitations = list(
        access.manageable_invitations(
            Invitation.objects.filter(
                organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
        ).order_by("-created_at", "-pk")[:200]
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.has_expired = invitation.expires_at <= now
    return render(
        request,
        "register/users/organisation_users.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "form": InvitationForm(),
            "me": request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_create(request, pk):
    access = _access(request)
    organisation = _managed_organisation(access, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = users.invitation_create(
                access=access,
                organisation=organisation,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("register:invitation_accept", args=[token])
                ),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except IntegrityError:
            form.add_error(None, "Inbjudan kunde inte sparas. Ladda om sidan och försök igen.")
        else:
            messages.success(
                request,
                f"Inbjudan är skickad till {invitation.email}. Länken i e-postmeddelandet "
                f"fungerar en gång och gäller till {users.moment_text(invitation.expires_at)}.",
            )
            return redirect(_users_url(organisation.pk))
    return render(
        request,
        "register/users/invitation_form.html",
        {"organisation": organisation, "form": form, "cancel_url": _users_url(organisation.pk)},
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    access = _access(request)
    invitation = get_object_or_404(
        access.manageable_invitations(Invitation.objects.select_related("organisation")), pk=pk
    )
    try:
        users.invitation_revoke(access=access, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Inbjudan till {invitation.email} är tillbakadragen.")
    return redirect(_users_url(invitation.organisation_id))


def _membership(access: Access, pk: int) -> Membership:
    return get_object_or_404(
        access.manageable_memberships(Membership.objects.select_related("user", "organisation")),
        pk=pk,
    )


def _user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_update(request, pk):
    access = _access(request)
    membership = _membership(access, pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            users.membership_set_role(
                access=access, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                f"{_user_label(membership.user)} är nu "
                f"{users.ROLE_LABELS[form.cleaned_data['role']].lower()} i "
                f"{membership.organisation}.",
            )
            gave_up_own = (
                membership.user_id == request.user.pk
                and form.cleaned_data["role"] != Membership.Role.ADMIN
                and not access.changes_everything()
            )
            if gave_up_own:  # no longer manages the organisation's users
                return redirect(membership.organisation.get_absolute_url())
            return redirect(_users_url(membership.organisation_id))
    return render(
        request,
        "register/users/membership_form.html",
        {
            "membership": membership,
            "label": _user_label(membership.user),
            "form": form,
            "cancel_url": _users_url(membership.organisation_id),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_delete(request, pk):
    access = _access(request)
    membership = _membership(access, pk)
    errors = []
    if request.method == "POST":
        try:
            users.membership_remove(access=access, membership=membership)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"{_user_label(membership.user)} har inte längre någon roll i "
                f"{membership.organisation}. Kontot finns kvar.",
            )
            if membership.user_id == request.user.pk and not access.changes_everything():
                return redirect(membership.organisation.get_absolute_url())
            return redirect(_users_url(membership.organisation_id))
    return render(
        request,
        "register/forms/confirm_delete.html",
        {
            "title": f"Ta bort {_user_label(membership.user)} från {membership.organisation}",
            "label": f"{_user_label(membership.user)}s roll som "
            f"{membership.get_role_display().lower()} i {membership.organisation}",
            "consequences": "Användarens konto finns kvar, men användaren ser och ändrar inte "
            "längre organisationens uppgifter.",
            "errors": errors,
            "cancel_url": _users_url(membership.organisation_id),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    """Accept an invitation (no login needed): a new account with a password of one's own, or,
    logged in, the role for one's account."""
    invitation = users.invitation_for_token(token)
    problem = users.invitation_problem(invitation)
    logged_in = request.user.is_authenticated
    account = None
    form = None
    errors = []
    if not problem:
        account = None if logged_in else users.existing_account(invitation.email)
        if not logged_in and account is None:
            first, _, last = invitation.name.partition(" ")
            form = AcceptForm(
                request.POST or None, initial={"first_name": first, "last_name": last}
            )
        if request.method == "POST" and (form is None or form.is_valid()) and account is None:
            data = form.cleaned_data if form is not None else {}
            try:
                membership = users.invitation_accept(
                    token=token,
                    user=request.user if logged_in else None,
                    password=data.get("password1"),
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                )
            except ValidationError as exc:
                if form is None:
                    errors = exc.messages
                elif hasattr(exc, "error_dict"):  # the password validators
                    form.add_error("password1", exc.message_dict.get("password", exc.messages))
                else:
                    form.add_error(None, exc.messages)
            except IntegrityError:
                errors = ["Inbjudan kunde inte tas emot. Ladda om sidan och försök igen."]
            else:
                label = membership.get_role_display().lower()
                if logged_in:
                    messages.success(request, f"Du är nu {label} i {membership.organisation}.")
                    return redirect(membership.organisation.get_absolute_url())
                messages.success(
                    request,
                    f"Ditt konto är skapat och du är {label} i {membership.organisation}. Logga "
                    f"in med användarnamnet {membership.user.get_username()} och ditt lösenord.",
                )
                return redirect(
                    reverse("login") + "?next=" + membership.organisation.get_absolute_url()
                )
    return render(
        request,
        "register/users/invitation_accept.html",
        {
            "invitation": invitation,
            "problem": problem,
            "account": account,
            "form": form,
            "errors": errors,
            "logged_in": logged_in,
            "role": users.ROLE_LABELS.get(invitation.role, "").lower() if invitation else "",
            "expires": users.moment_text(invitation.expires_at) if invitation else "",
        },
    )
