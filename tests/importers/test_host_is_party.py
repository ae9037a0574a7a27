"""The importer keeps the rule the forms keep (``rules.host_is_party``): the host a row names
becomes a party of the arrangement, so that no imported arrangement has a host outside it."""

import pytest

from importers.services import batch_commit, batch_preview
from register import rules
from register.models import Arrangement, Participation
from tests import factories as f

from .conftest import build_xlsx

pytestmark = pytest.mark.django_db


def parties(arrangement) -> set[int]:
    return set(arrangement.participations.values_list("organisation_id", flat=True))


def test_a_host_the_row_does_not_list_as_a_partner_becomes_a_party(taby, taby_editor, vaxholm):
    danderyd = f.municipality("0162")
    rows = [
        ["Namn", "Samverkansform", "Parter", "Värdkommun"],
        ["Gemensam e-arkivtjänst", "gem. nämnd", "Vaxholm", "Danderyd"],
    ]
    batch = batch_preview(
        data=build_xlsx({"Blad1": rows}),
        file_name="lista.xlsx",
        organisation=taby,
        user=taby_editor,
    )
    row = batch.rows.get()
    assert row.outcome == "new", row.errors
    assert "Danderyds kommun" in row.diff["Parter som läggs till"]["after"]
    batch_commit(batch=batch, user=taby_editor)
    arrangement = Arrangement.objects.get(name="Gemensam e-arkivtjänst")
    assert arrangement.host == danderyd
    assert rules.host_is_party(arrangement.host_id, parties(arrangement))
    assert arrangement.participations.get(organisation=danderyd).role == Participation.Role.HOST


def test_a_host_changed_by_the_file_becomes_a_party(taby, taby_editor, vaxholm, shared_arrangement):
    danderyd = f.municipality("0162")
    rows = [
        ["Namn", "Samverkansform", "Värdkommun"],
        [shared_arrangement.name, "gem. nämnd", "Danderyd"],
    ]
    batch = batch_preview(
        data=build_xlsx({"Blad1": rows}),
        file_name="lista.xlsx",
        organisation=taby,
        user=taby_editor,
    )
    assert batch.rows.get().outcome == "update"
    batch_commit(batch=batch, user=taby_editor)
    shared_arrangement.refresh_from_db()
    assert shared_arrangement.host == danderyd
    assert rules.host_is_party(shared_arrangement.host_id, parties(shared_arrangement))


def test_the_plan_refuses_a_host_outside_the_parties(monkeypatch, taby, taby_editor, vaxholm):
    """Were the host not added as a party, the row would be invalid, with the form's message."""
    from importers import changes

    added = changes.participant_changes

    def only_ours(p, snap, current, lookups):
        return [c for c in added(p, snap, current, lookups) if c.key == taby.pk]

    monkeypatch.setattr(changes, "participant_changes", only_ours)
    f.municipality("0162")
    rows = [
        ["Namn", "Samverkansform", "Parter", "Värdkommun"],
        ["Gemensam e-arkivtjänst", "gem. nämnd", "Vaxholm", "Danderyd"],
    ]
    batch = batch_preview(
        data=build_xlsx({"Blad1": rows}),
        file_name="lista.xlsx",
        organisation=taby,
        user=taby_editor,
    )
    row = batch.rows.get()
    assert row.outcome == "invalid"
    assert any("Danderyds kommun kan inte vara värd" in e["message"] for e in row.errors)
