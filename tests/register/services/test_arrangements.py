"""register/services/arrangements.py: a new arrangement with its first participant."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Arrangement, Participation
from register.services import arrangements
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_arrangement_create_adds_the_organisation_as_participant(taby_editor, taby):
    arrangement = arrangements.arrangement_create(
        access=Access.for_user(taby_editor),
        organisation=taby,
        name="Norrorts IT-nämnd",
        form=f.form("joint_committee"),
        service_areas=[f.area()],
    )
    assert arrangement.participations.get().organisation == taby
    assert arrangement.participations.get().role == Participation.Role.MEMBER
    assert list(arrangement.service_areas.all()) == [f.area()]


def test_arrangement_create_makes_the_host_a_host(taby_editor, taby):
    arrangement = arrangements.arrangement_create(
        access=Access.for_user(taby_editor),
        organisation=taby,
        name="Norrorts IT-nämnd",
        form=f.form("joint_committee"),
        host=taby,
    )
    assert arrangement.participations.get().role == Participation.Role.HOST


def test_arrangement_create_rejects_end_before_start_and_writes_nothing(taby_editor, taby):
    with pytest.raises(ValidationError) as excinfo:
        arrangements.arrangement_create(
            access=Access.for_user(taby_editor),
            organisation=taby,
            name="Baklänges",
            form=f.form(),
            start_date=date(2024, 1, 1),
            end_date=date(2023, 1, 1),
        )
    assert "Slutdatum kan inte ligga före startdatum." in excinfo.value.messages
    assert not Arrangement.objects.filter(name="Baklänges").exists()


def test_a_reader_cannot_create_an_arrangement(taby_reader, taby):
    with pytest.raises(PermissionDenied):
        arrangements.arrangement_create(
            access=Access.for_user(taby_reader), organisation=taby, name="X", form=f.form()
        )
    assert not Arrangement.objects.filter(name="X").exists()


def test_an_editor_cannot_create_on_behalf_of_another_organisation(taby_editor, vaxholm):
    with pytest.raises(PermissionDenied):
        arrangements.arrangement_create(
            access=Access.for_user(taby_editor), organisation=vaxholm, name="X", form=f.form()
        )
    assert not Arrangement.objects.filter(name="X").exists()


@pytest.mark.parametrize(
    ("slug", "host", "role"),
    [
        ("agreement", True, Participation.Role.PROVIDER),
        ("agreement", False, Participation.Role.PURCHASER),
        ("joint_company", True, Participation.Role.OWNER),
        ("joint_committee", True, Participation.Role.HOST),
        ("joint_committee", False, Participation.Role.MEMBER),
    ],
)
def test_a_new_arrangement_gives_its_creator_the_role_of_its_form(
    taby_editor, taby, slug, host, role
):
    arrangement = arrangements.arrangement_create(
        access=Access.for_user(taby_editor),
        organisation=taby,
        name="Ny samverkan",
        form=f.form(slug),
        host=taby if host else None,
    )
    assert arrangement.participations.get(organisation=taby).role == role
