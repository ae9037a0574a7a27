"""The write services validate, check access and write all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from register.access import Access
from register.models import Arrangement, Cost, Decision, Participation
from register.services import arrangements, participations, records
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users here log in with force_login; hashing their passwords slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_participation_set_creates_then_updates(taby_editor, taby, knivsta):
    arrangement = f.make_arrangement(members=[taby])
    access = Access.for_user(taby_editor)
    added = participations.participation_set(
        access=access, arrangement=arrangement, organisation=knivsta, role="member"
    )
    assert added.organisation == knivsta
    changed = participations.participation_set(
        access=access, arrangement=arrangement, organisation=taby, cost_share=40
    )
    assert changed.cost_share == 40
    assert arrangement.participations.count() == 2


def test_participation_set_refuses_another_organisations_participation(
    taby_editor, shared_arrangement, vaxholm
):
    with pytest.raises(PermissionDenied):
        participations.participation_set(
            access=Access.for_user(taby_editor),
            arrangement=shared_arrangement,
            organisation=vaxholm,
            cost_share=10,
        )
    assert shared_arrangement.participations.get(organisation=vaxholm).cost_share is None


def test_participation_set_rejects_a_share_over_100(taby_editor, shared_arrangement, taby):
    with pytest.raises(ValidationError):
        participations.participation_set(
            access=Access.for_user(taby_editor),
            arrangement=shared_arrangement,
            organisation=taby,
            ownership_share=120,
        )
    assert shared_arrangement.participations.get(organisation=taby).ownership_share is None


def test_cost_set_creates_and_updates_one_row_per_year(taby_editor, shared_arrangement, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    access = Access.for_user(taby_editor)
    participations.cost_set(access=access, participation=participation, year=2024, budget=100)
    participations.cost_set(access=access, participation=participation, year=2024, outcome=120)
    cost = Cost.objects.get(participation=participation)
    assert (cost.year, cost.budget, cost.outcome) == (2024, None, 120)


def test_cost_set_refuses_another_organisations_participation(
    taby_editor, shared_arrangement, vaxholm
):
    participation = shared_arrangement.participations.get(organisation=vaxholm)
    with pytest.raises(PermissionDenied):
        participations.cost_set(
            access=Access.for_user(taby_editor), participation=participation, year=2024, budget=1
        )
    assert not Cost.objects.exists()


def test_cost_set_rejects_a_year_out_of_range(taby_editor, shared_arrangement, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    with pytest.raises(ValidationError):
        participations.cost_set(
            access=Access.for_user(taby_editor), participation=participation, year=1800, budget=1
        )
    assert not Cost.objects.exists()


def test_record_save_checks_access_on_the_record(taby_editor, shared_arrangement, vaxholm):
    decision = Decision(
        arrangement=shared_arrangement,
        organisation=vaxholm,
        deciding_body="KF",
        date=date(2024, 1, 1),
        title="Vaxholms beslut",
    )
    with pytest.raises(PermissionDenied):
        records.record_save(access=Access.for_user(taby_editor), instance=decision)
    assert not Decision.objects.exists()


def test_record_save_validates_before_writing(taby_editor, shared_arrangement, taby):
    body = f.make_body(shared_arrangement)
    seat = f.make_seat(body, f.make_person(organisation=taby), taby)
    seat.term_start, seat.term_end = date(2023, 1, 1), date(2022, 1, 1)
    with pytest.raises(ValidationError):
        records.record_save(access=Access.for_user(taby_editor), instance=seat)
    seat.refresh_from_db()
    assert seat.term_start is None


def test_record_delete_checks_access(taby_editor, shared_arrangement, vaxholm):
    decision = f.make_decision(shared_arrangement, organisation=vaxholm)
    with pytest.raises(PermissionDenied):
        records.record_delete(access=Access.for_user(taby_editor), instance=decision)
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_the_administrator_may_do_everything(admin_user, shared_arrangement, vaxholm):
    access = Access.for_user(admin_user)
    participations.participation_set(
        access=access, arrangement=shared_arrangement, organisation=vaxholm, cost_share=25
    )
    decision = f.make_decision(shared_arrangement, organisation=vaxholm)
    records.record_delete(access=access, instance=decision)
    assert shared_arrangement.participations.get(organisation=vaxholm).cost_share == 25
    assert not Decision.objects.exists()
