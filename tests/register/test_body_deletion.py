"""Deleting a body deletes its seats, so an editor may not delete a body in which another
organisation has appointed seats (the message says whose); the register administrator may."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from register.access import Access
from register.models import Body, Membership, Seat
from register.services import records
from tests import factories as f
from tests.test_bad_input import PostForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(shared_arrangement, taby, vaxholm, knivsta):
    """Three bodies: one where Vaxholm and Knivsta have seats too, one with only Täby's seats,
    one without seats."""
    joint = f.make_body(shared_arrangement, name="Gemensamma nämnden")
    f.make_seat(joint, f.make_person(name="Täbys ledamot"), taby)
    f.make_seat(joint, f.make_person(name="Vaxholms ledamot"), vaxholm)
    f.make_seat(joint, f.make_person(name="Knivstas ledamot"), knivsta)
    own = f.make_body(shared_arrangement, name="Täbys beredning")
    f.make_seat(own, f.make_person(name="Täbys beredare"), taby)
    empty = f.make_body(shared_arrangement, name="Arbetsgruppen")
    return {"joint": joint, "own": own, "empty": empty}


def post_bodies(client, arrangement, *, delete=(), rename=None):
    """Submit the bodies page as the user sees it, ticking "Ta bort" for ``delete``."""
    url = reverse("register:arrangement_bodies", args=[arrangement.pk])
    form = PostForm()
    form.feed(client.get(url).content.decode())
    data = dict(form.fields)
    for key, value in form.fields.items():
        if key.endswith("-id") and value and int(value) in {b.pk for b in delete}:
            data[key.removesuffix("-id") + "-DELETE"] = "on"
        if rename and key.endswith("-id") and value == str(rename[0].pk):
            data[key.removesuffix("-id") + "-name"] = rename[1]
    return client.post(url, data)


def test_an_editor_cannot_delete_a_body_where_other_organisations_appointed_seats(
    client, taby_editor, shared_arrangement, bodies
):
    client.force_login(taby_editor)
    response = post_bodies(
        client,
        shared_arrangement,
        delete=[bodies["joint"]],
        rename=(bodies["empty"], "Nytt namn på arbetsgruppen"),
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (
        "Organet ”Gemensamma nämnden” kan inte tas bort eftersom Knivsta kommun och Vaxholms "
        "kommun har utsett ledamöter eller andra uppdrag i det" in page
    )
    assert 'value="Nytt namn på arbetsgruppen"' in page  # what was typed is still there
    assert Body.objects.filter(pk=bodies["joint"].pk).exists()
    assert bodies["joint"].seats.count() == 3
    assert Body.objects.get(pk=bodies["empty"].pk).name == "Arbetsgruppen"  # nothing saved


def test_an_editor_deletes_a_body_with_only_their_own_seats_or_none(
    client, taby_editor, shared_arrangement, bodies
):
    client.force_login(taby_editor)
    response = post_bodies(client, shared_arrangement, delete=[bodies["own"], bodies["empty"]])
    assert response.status_code == 302
    assert list(shared_arrangement.bodies.values_list("name", flat=True)) == ["Gemensamma nämnden"]
    assert not Seat.objects.filter(person__name="Täbys beredare").exists()


def test_the_administrator_deletes_a_body_where_other_organisations_appointed_seats(
    client, admin_user, shared_arrangement, bodies
):
    client.force_login(admin_user)
    response = post_bodies(client, shared_arrangement, delete=[bodies["joint"]])
    assert response.status_code == 302
    assert not Body.objects.filter(pk=bodies["joint"].pk).exists()
    assert not Seat.objects.filter(person__name="Vaxholms ledamot").exists()


def test_access_lets_an_editor_delete_a_body_only_without_other_organisations_seats(
    taby_editor, admin_user, taby, vaxholm, knivsta, bodies
):
    editor = Access.for_user(taby_editor)
    assert not editor.can_delete(bodies["joint"])
    assert list(editor.other_appointers(bodies["joint"]).values_list("name", flat=True)) == [
        "Knivsta kommun",
        "Vaxholms kommun",
    ]
    assert editor.can_delete(bodies["own"]) and editor.can_delete(bodies["empty"])
    assert Access.for_user(admin_user).can_delete(bodies["joint"])
    # An editor for all three organisations appointed every seat: theirs to delete.
    for org in (vaxholm, knivsta):
        Membership.objects.create(user=taby_editor, organisation=org, role="editor")
    del taby_editor._register_access
    assert Access.for_user(taby_editor).can_delete(bodies["joint"])


def test_the_delete_service_refuses_a_body_with_other_organisations_seats_by_name(
    taby_editor, bodies
):
    with pytest.raises(ValidationError) as refused:
        records.record_delete(access=Access.for_user(taby_editor), instance=bodies["joint"])
    assert "Knivsta kommun och Vaxholms kommun" in refused.value.messages[0]
    assert Body.objects.filter(pk=bodies["joint"].pk).exists()
