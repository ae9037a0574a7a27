"""The host of an arrangement is one of its parties (``rules.host_is_party``): the arrangement
form, the participations' rows, the importer, the demo loader and the seed all keep the rule,
so that Insyn never names as the one who decides an organisation that does not take part."""

import pytest
from django.urls import reverse

from register import rules
from register.models import Arrangement
from tests import factories as f

from .test_edit import formset_data, new_arrangement, participation_row, version

pytestmark = pytest.mark.django_db


def test_the_rule():
    assert rules.host_is_party(None, set())
    assert rules.host_is_party(1, {1, 2})
    assert not rules.host_is_party(3, {1, 2})
    assert "Danderyds kommun kan inte vara värd" in rules.host_not_a_party("Danderyds kommun")


def test_a_new_arrangement_cannot_have_a_host_that_is_not_its_party(client, taby_editor):
    danderyd = f.municipality("0162")
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:arrangement_create"), new_arrangement(host=danderyd.pk)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Danderyds kommun kan inte vara värd eftersom Danderyds kommun inte är part" in page
    assert not Arrangement.objects.filter(name="Roslagens lönenämnd").exists()


def test_an_arrangement_s_host_can_only_be_changed_to_one_of_its_parties(
    client, taby_editor, shared_arrangement, vaxholm
):
    danderyd = f.municipality("0162")
    url = reverse("register:arrangement_update", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    data = {
        "name": shared_arrangement.name,
        "form": shared_arrangement.form_id,
        "status": shared_arrangement.status,
    }
    refused = client.post(url, data | {"host": danderyd.pk} | version(client, url))
    assert refused.status_code == 200
    assert "Danderyds kommun kan inte vara värd" in refused.content.decode()
    shared_arrangement.refresh_from_db()
    assert shared_arrangement.host_id != danderyd.pk

    saved = client.post(url, data | {"host": vaxholm.pk} | version(client, url))
    assert saved.status_code == 302
    shared_arrangement.refresh_from_db()
    assert shared_arrangement.host_id == vaxholm.pk


def test_the_host_s_participation_cannot_be_removed(client, admin_user, shared_arrangement, taby):
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    rows = [
        participation_row(p, DELETE="on" if p.organisation_id == taby.pk else "")
        for p in shared_arrangement.participations.order_by("pk")
    ]
    client.force_login(admin_user)
    response = client.post(
        url, formset_data("participations", rows, initial=len(rows)) | version(client, url)
    )
    assert response.status_code == 200
    assert "Täby kommun är värd och kan inte tas bort som part" in response.content.decode()
    assert shared_arrangement.participations.filter(organisation=taby).exists()
