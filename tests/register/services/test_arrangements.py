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


# --- Many at once: the same rule ---------------------------------------------------------------


def test_arrangements_create_many_gives_each_creator_the_role_of_its_form(taby, vaxholm):
    agreement, committee = f.form("agreement"), f.form("joint_committee")
    rows = [
        {"name": "Avtal där vi utför", "form_id": agreement.pk, "host_id": taby.pk},
        {"name": "Avtal där vi köper", "form_id": agreement.pk, "host_id": vaxholm.pk},
        {"name": "Nämnd vi är värd för", "form_id": committee.pk, "host_id": taby.pk},
        {"name": "Nämnd utan värd", "form_id": committee.pk},
    ]
    created = arrangements.arrangements_create_many(
        access=None, organisation=taby, arrangements=rows, reason="Import 1: lista.xlsx"
    )
    roles = [Participation.objects.get(pk=c.participation_id).role for c in created]
    one_by_one = [
        arrangements.arrangement_create(
            access=None, organisation=taby, name=f"{row['name']} (en)", **_objects(row)
        )
        .participations.get(organisation=taby)
        .role
        for row in rows
    ]
    assert (
        roles
        == one_by_one
        == [
            Participation.Role.PROVIDER,
            Participation.Role.PURCHASER,
            Participation.Role.HOST,
            Participation.Role.MEMBER,
        ]
    )
    assert all(c.entry_decision_id is None for c in created)


def _objects(row):
    from register.models import CooperationForm, Organisation

    found = {"form": CooperationForm.objects.get(pk=row["form_id"])}
    if "host_id" in row:
        found["host"] = Organisation.objects.get(pk=row["host_id"])
    return found


def test_arrangements_create_many_records_the_creators_fields_and_entry_decision(taby):
    from register.models import Decision

    created = arrangements.arrangements_create_many(
        access=None,
        organisation=taby,
        arrangements=[{"name": "Lönenämnden", "form_id": f.form("joint_committee").pk}],
        service_areas=[[f.area().pk]],
        participations=[{"political_body": "Kommunstyrelsen"}],
        entry_decisions=[
            {"deciding_body": "Kommunfullmäktige", "date": date(2019, 3, 25), "title": "Inträde"}
        ],
    )
    [done] = created
    own = Participation.objects.get(pk=done.participation_id)
    assert own.political_body == "Kommunstyrelsen"
    assert own.entry_decision_id == done.entry_decision_id
    decision = Decision.objects.get(pk=done.entry_decision_id)
    assert (decision.kind, decision.organisation, decision.arrangement_id) == (
        Decision.Kind.ENTRY,
        taby,
        done.arrangement_id,
    )
    assert list(Arrangement.objects.get(pk=done.arrangement_id).service_areas.all()) == [f.area()]


def test_arrangement_create_records_the_entry_decision_the_same_way(taby):
    from register.models import Decision

    arrangement = arrangements.arrangement_create(
        access=None,
        organisation=taby,
        name="Lönenämnden",
        form=f.form("joint_committee"),
        participation={"political_body": "Kommunstyrelsen"},
        entry_decision={
            "deciding_body": "Kommunfullmäktige",
            "date": date(2019, 3, 25),
            "title": "Inträde",
        },
        reason="Import 1: lista.xlsx",
    )
    own = arrangement.participations.get()
    assert own.political_body == "Kommunstyrelsen"
    assert own.entry_decision.kind == Decision.Kind.ENTRY
    assert own.entry_decision.organisation == taby
    assert arrangement.history.get().history_change_reason == "Import 1: lista.xlsx"
    assert own.history.get().history_change_reason == "Import 1: lista.xlsx"


def test_a_reader_cannot_create_arrangements_in_bulk_either(taby_reader, taby):
    with pytest.raises(PermissionDenied):
        arrangements.arrangements_create_many(
            access=Access.for_user(taby_reader),
            organisation=taby,
            arrangements=[{"name": "X", "form_id": f.form().pk}],
        )
    assert not Arrangement.objects.filter(name="X").exists()
