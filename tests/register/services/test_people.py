"""Linking a person to their user account (so the start page shows their assignments): only to a
member of the person's organisation not linked to anyone else, only by an editor of that
organisation or the register administrator; the form offers just those accounts and refuses
others in Swedish; the service refuses what the form would not offer."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from register.access import Access
from register.models import Membership, Person
from register.services.people import person_save
from register.web.forms import PersonForm
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def eva(taby):
    return f.make_person(name="Eva Ek", party="M", organisation=taby)


@pytest.fixture
def vaxholm_user(vaxholm):
    return f.make_member(vaxholm, Membership.Role.READER, "vaxholm-lasare")


def test_the_accounts_to_link_are_the_free_members_of_the_persons_organisation(
    eva, taby, taby_editor, taby_reader, vaxholm_user
):
    access = Access.for_user(taby_editor)
    assert set(access.linkable_users(eva)) == {taby_editor, taby_reader}
    other = f.make_person(name="Anna Berg", organisation=taby, user=taby_reader)
    assert set(access.linkable_users(eva)) == {taby_editor}
    # The person already linked keeps their own account among the choices.
    assert taby_reader in access.linkable_users(other)
    # A reader, or another organisation's editor, may link no one.
    assert not Access.for_user(taby_reader).linkable_users(eva).exists()
    knivsta_editor = f.make_member(f.municipality("0330"), Membership.Role.EDITOR, "k-red")
    assert not Access.for_user(knivsta_editor).linkable_users(eva).exists()
    assert vaxholm_user in Access.administrator().linkable_users(
        f.make_person(organisation=vaxholm_user.memberships.get().organisation)
    )


def test_an_editor_links_a_person_to_a_member_of_the_organisation(eva, taby_editor, taby_reader):
    eva.user = taby_reader
    person_save(access=Access.for_user(taby_editor), instance=eva)
    assert Person.objects.get(pk=eva.pk).user == taby_reader


def test_the_service_refuses_an_account_outside_the_organisation(eva, taby_editor, vaxholm_user):
    eva.user = vaxholm_user
    with pytest.raises(PermissionDenied):
        person_save(access=Access.for_user(taby_editor), instance=eva)
    assert Person.objects.get(pk=eva.pk).user is None


def test_the_form_offers_only_linkable_accounts_and_refuses_others_in_swedish(
    eva, taby, taby_editor, taby_reader, vaxholm_user
):
    access = Access.for_user(taby_editor)
    form = PersonForm(instance=eva, access=access)
    assert set(form.fields["user"].queryset) == {taby_editor, taby_reader}
    data = {"name": "Eva Ek", "kind": "politician", "organisation": taby.pk}
    refused = PersonForm(data={**data, "user": vaxholm_user.pk}, instance=eva, access=access)
    assert not refused.is_valid() and "user" in refused.errors
    # A new person is linked once saved: the field is not on the form.
    assert "user" not in PersonForm(access=access).fields


def test_an_editor_links_the_account_through_the_edit_page(
    client, eva, taby, taby_editor, taby_reader
):
    client.force_login(taby_editor)
    url = reverse("register:person_update", args=[eva.pk])
    page = client.get(url)
    assert "Användarkonto" in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"name": "Eva Ek", "kind": "politician", "organisation": taby.pk})
    data["user"] = taby_reader.pk
    response = client.post(url, {**_hidden(page.content.decode()), **data})
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(pk=eva.pk).user == taby_reader


def _hidden(html: str) -> dict:
    """The hidden inputs of a page's form (the version token)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
