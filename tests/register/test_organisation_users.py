"""Users managed by the organisation (issue 22): the organisation administrator's Access rules,
the invitation service (a hashed token that works once, until it expires) and the last
administrator, and the pages' answers to bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from register.access import Access
from register.models import Invitation, Membership
from register.services import users
from tests import factories as f

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/inbjudan/(\S+)/")
STRONG = "ett-langt-losenord-2026"


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def vallentuna(db):
    return f.municipality("0115")


@pytest.fixture
def taby_admin(taby):
    return f.make_member(taby, Membership.Role.ADMIN, "taby-admin")


@pytest.fixture
def vallentuna_admin(vallentuna):
    return f.make_member(vallentuna, Membership.Role.ADMIN, "vallentuna-admin")


def invite(access, organisation, email="ny.person@taby.se", role="editor", name="Ny Person"):
    invitation = users.invitation_create(
        access=access,
        organisation=organisation,
        name=name,
        email=email,
        role=role,
        link_for=lambda token: f"http://testserver/inbjudan/{token}/",
    )
    token = LINK.search(mail.outbox[-1].body).group(1)
    return invitation, token


# --- Access -------------------------------------------------------------------------------------


def test_an_organisation_administrator_is_an_editor_of_their_organisation(taby, taby_admin):
    access = Access.for_user(taby_admin)
    assert access.is_editor
    assert access.can_change(taby)
    assert access.can_manage_users(taby)
    assert list(access.editor_organisations()) == [taby]
    assert list(access.user_admin_organisations()) == [taby]


def test_only_own_organisations_users_are_managed(taby, vallentuna, taby_admin, vallentuna_admin):
    taby_editor = f.make_member(taby, Membership.Role.EDITOR)
    access = Access.for_user(vallentuna_admin)
    assert access.can_manage_users(vallentuna)
    assert not access.can_manage_users(taby)
    assert not access.manageable_memberships().filter(organisation=taby).exists()
    assert access.manageable_memberships().filter(organisation=vallentuna).count() == 1
    # An editor or reader manages nobody; a register administrator everybody.
    assert not Access.for_user(taby_editor).can_manage_users(taby)
    assert not Access.for_user(taby_editor).manageable_memberships().exists()
    admin = Access.for_user(f.make_user(superuser=True))
    assert admin.can_manage_users(taby) and admin.can_manage_users(vallentuna)
    assert admin.manageable_memberships().count() == 3


def test_an_organisation_administrator_cannot_invite_or_change_elsewhere(
    taby, vallentuna, taby_admin, vallentuna_admin
):
    access = Access.for_user(vallentuna_admin)
    with pytest.raises(PermissionDenied):
        invite(access, taby)
    taby_membership = taby_admin.memberships.get()
    with pytest.raises(PermissionDenied):
        users.membership_set_role(access=access, membership=taby_membership, role="reader")
    with pytest.raises(PermissionDenied):
        users.membership_remove(access=access, membership=taby_membership)
    assert Membership.objects.get(pk=taby_membership.pk).role == "admin"
    assert not Invitation.objects.exists() and mail.outbox == []


# --- inviting and accepting ---------------------------------------------------------------------


def test_an_invitation_stores_only_the_tokens_hash_and_makes_an_account_once(taby, taby_admin):
    invitation, token = invite(Access.for_user(taby_admin), taby)
    (message,) = mail.outbox
    assert message.to == ["ny.person@taby.se"]
    assert "redigerare i Täby kommun" in message.body
    assert token not in invitation.token_hash and invitation.token_hash == users.token_hash(token)
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)

    membership = users.invitation_accept(token=token, password=STRONG, first_name="Ny")
    user = membership.user
    assert (user.username, user.email, membership.role) == (
        "ny.person@taby.se",
        "ny.person@taby.se",
        "editor",
    )
    assert user.check_password(STRONG)
    assert membership.history.count() == 1
    # Used: refused, nothing more written.
    with pytest.raises(ValidationError, match="redan använts"):
        users.invitation_accept(token=token, password=STRONG)
    assert get_user_model().objects.filter(email="ny.person@taby.se").count() == 1


def test_an_expired_invitation_is_refused(taby, taby_admin, settings):
    settings.INVITATION_DAYS = 3
    invitation, token = invite(Access.for_user(taby_admin), taby)
    assert invitation.expires_at - timezone.now() < timedelta(days=3, minutes=1)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="har gått ut"):
        users.invitation_accept(token=token, password=STRONG)
    assert not get_user_model().objects.filter(email="ny.person@taby.se").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_withdrawn_or_unknown_invitation_is_refused(taby, taby_admin):
    access = Access.for_user(taby_admin)
    invitation, token = invite(access, taby)
    users.invitation_revoke(access=access, invitation=invitation)
    with pytest.raises(ValidationError, match="dragits tillbaka"):
        users.invitation_accept(token=token, password=STRONG)
    with pytest.raises(ValidationError, match="ingen inbjudan"):
        users.invitation_accept(token="fel", password=STRONG)


def test_a_weak_password_is_refused_and_nothing_is_written(taby, taby_admin):
    invitation, token = invite(Access.for_user(taby_admin), taby)
    with pytest.raises(ValidationError) as caught:
        users.invitation_accept(token=token, password="12345")
    assert "password" in caught.value.message_dict
    assert not get_user_model().objects.filter(email="ny.person@taby.se").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_existing_user_logs_in_and_gets_the_role(taby, vallentuna, vallentuna_admin):
    existing = f.make_member(taby, Membership.Role.READER, "kim")
    existing.email = "kim@example.se"
    existing.save()
    _, token = invite(Access.for_user(vallentuna_admin), vallentuna, email="Kim@Example.se")
    with pytest.raises(ValidationError, match="Logga in"):  # not as a new account
        users.invitation_accept(token=token, password=STRONG)
    membership = users.invitation_accept(token=token, user=existing)
    assert (membership.user, membership.organisation, membership.role) == (
        existing,
        vallentuna,
        "editor",
    )


@pytest.mark.parametrize(
    "email, name, role, message",
    [
        ("inte-en-adress", "Ny", "editor", "giltig e-postadress"),
        ("ny@taby.se", "", "editor", "namn"),
        ("ny@taby.se", "Ny", "superuser", "Välj en roll"),
    ],
)
def test_bad_invitations_are_refused_with_a_message(taby, taby_admin, email, name, role, message):
    with pytest.raises(ValidationError, match=message):
        invite(Access.for_user(taby_admin), taby, email=email, name=name, role=role)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_duplicates_are_refused(taby, taby_admin):
    access = Access.for_user(taby_admin)
    member = f.make_member(taby, Membership.Role.READER, "lasare")
    member.email = "lasare@taby.se"
    member.save()
    with pytest.raises(ValidationError, match="har redan en roll"):
        invite(access, taby, email="LASARE@taby.se")
    invite(access, taby)
    with pytest.raises(ValidationError, match="väntar redan"):
        invite(access, taby)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_mail_that_cannot_be_sent_saves_no_invitation(taby, taby_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with pytest.raises(ValidationError, match="kunde inte skickas"):
        users.invitation_create(
            access=Access.for_user(taby_admin),
            organisation=taby,
            name="Ny",
            email="ny@taby.se",
            role="reader",
            link_for=lambda token: f"http://testserver/inbjudan/{token}/",
        )
    assert not Invitation.objects.exists()


# --- roles and the last administrator -----------------------------------------------------------


def test_the_last_organisation_administrator_stays(taby, taby_admin):
    access = Access.for_user(taby_admin)
    own = taby_admin.memberships.get()
    with pytest.raises(ValidationError, match="enda organisationsadministratören"):
        users.membership_remove(access=access, membership=own)
    with pytest.raises(ValidationError, match="enda organisationsadministratören"):
        users.membership_set_role(access=access, membership=own, role="editor")
    assert Membership.objects.get(pk=own.pk).role == "admin"
    # With a second administrator, either may step down.
    other = f.make_member(taby, Membership.Role.EDITOR)
    users.membership_set_role(access=access, membership=other.memberships.get(), role="admin")
    users.membership_remove(access=access, membership=own)
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert get_user_model().objects.filter(pk=taby_admin.pk).exists()  # the account stays
    # The register administrator may leave an organisation without one.
    admin = Access.for_user(f.make_user(superuser=True))
    users.membership_remove(access=admin, membership=other.memberships.get())
    assert not Membership.objects.filter(organisation=taby, role="admin").exists()


def test_a_role_change_is_kept_in_the_history(taby, taby_admin):
    editor = f.make_member(taby, Membership.Role.EDITOR)
    membership = editor.memberships.get()
    users.membership_set_role(
        access=Access.for_user(taby_admin), membership=membership, role="reader"
    )
    assert list(membership.history.values_list("role", flat=True)) == ["reader", "editor"]


# --- the pages ----------------------------------------------------------------------------------


def test_the_pages_answer_bad_input_in_swedish(client, taby, taby_admin):
    client.force_login(taby_admin)
    url = reverse("register:invitation_create", args=[taby.pk])
    response = client.post(url, {"name": "Ny", "email": "fel", "role": "editor"})
    assert response.status_code == 200
    assert "Ange en giltig e-postadress" in response.content.decode()
    response = client.post(url, {"name": "Ny", "email": "ny@taby.se", "role": "editor"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    token = LINK.search(mail.outbox[0].body).group(1)
    client.logout()
    accept = reverse("register:invitation_accept", args=[token])
    page = client.get(accept).content.decode()
    assert "Välj ett lösenord" in page
    response = client.post(
        accept, {"first_name": "Ny", "password1": STRONG, "password2": STRONG + "x"}
    )
    assert "Lösenorden är inte likadana" in response.content.decode()
    response = client.post(accept, {"first_name": "Ny", "password1": "abc", "password2": "abc"})
    assert response.status_code == 200 and "Kontot är inte skapat" in response.content.decode()
    response = client.post(accept, {"first_name": "Ny", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert "har redan använts" in client.get(accept).content.decode()
    assert (
        "öppnar ingen inbjudan"
        in client.get(reverse("register:invitation_accept", args=["x" * 43])).content.decode()
    )


def test_the_users_page_runs_a_constant_number_of_queries(
    client, taby, taby_admin, django_assert_max_num_queries
):
    for _ in range(30):
        f.make_member(taby, Membership.Role.READER)
    access = Access.for_user(taby_admin)
    for n in range(10):
        invite(access, taby, email=f"person{n}@taby.se")
    client.force_login(taby_admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("register:organisation_users", args=[taby.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Dra tillbaka<") == 10
