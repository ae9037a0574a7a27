"""Undo reads what an import wrote from the register's history, where the import tagged every
write with its batch: it restores every field the import changed, puts back every record it
deleted and deletes every record it created. The batch's rows only say which records they wrote,
never with what values. A later write by someone else is refused as before."""

from datetime import date

import pytest
from django.forms.models import model_to_dict

from importers.models import ImportBatch
from importers.services import ImportRefused, batch_commit, batch_preview, batch_undo
from register.models import (
    Arrangement,
    Body,
    Cost,
    Decision,
    Membership,
    Participation,
    Person,
    Seat,
)
from register.services.records import record_save
from tests import factories as f

pytestmark = pytest.mark.django_db

REGISTER_MODELS = (Arrangement, Participation, Cost, Decision, Body, Person, Seat)
HEADER = [
    "Namn",
    "Samverkansform",
    "Parter",
    "Verksamhetsområde",
    "Ansvarig nämnd",
    "Slutdatum",
    "Budget 2024",
    "Kostnad 2025",
    "KF-beslut",
    "Våra ledamöter",
]


def everything() -> dict:
    """Every field of every record the importer may write, and the areas' links."""
    picture = {
        model.__name__: sorted(
            (
                {k: v for k, v in model_to_dict(obj).items() if k != "service_areas"}
                for obj in model.objects.all()
            ),
            key=lambda values: values["id"],
        )
        for model in REGISTER_MODELS
    }
    picture["areas"] = sorted(
        Arrangement.service_areas.through.objects.values_list("arrangement_id", "servicearea_id")
    )
    return picture


@pytest.fixture
def existing(taby, vaxholm):
    """An arrangement Täby takes part in, with a cost, a body and two of Täby's seats."""
    arrangement = f.make_arrangement(name="Lönenämnden", form_slug="joint_committee")
    own = f.make_participation(arrangement, taby, political_body="Kommunstyrelsen")
    f.make_cost(own, year=2024, budget=100_000, outcome=90_000)
    body = f.make_body(arrangement, kind="joint_committee", name="Lönenämnden")
    for name, party, role in (("Eva Lund", "M", "chair"), ("Ola Berg", "S", "member")):
        person = f.make_person(name=name, party=party, organisation=taby)
        f.make_seat(body, person, taby, party=party, role=role)
    return arrangement


@pytest.fixture
def committed(existing, taby, xlsx):
    """A list that changes, adds to and deletes from the existing arrangement, and creates a
    new one; previewed, then committed."""
    data = xlsx(
        {
            "Samverkan": [
                HEADER,
                [
                    "Lönenämnden",
                    "gemensam nämnd",
                    "Vaxholm",
                    "Lön, IT",
                    "Personalnämnden",
                    "2030-12-31",
                    150,
                    120,
                    "KF 2019-03-25 § 45",
                    "Eva Lund (M), ordförande; Nils Ek (C), ersättare",
                ],
                [
                    "Ny IT-nämnd",
                    "gemensam nämnd",
                    "Vaxholm",
                    "IT",
                    "Kommunstyrelsen",
                    "",
                    10,
                    "",
                    "KF 2024-01-15 § 3",
                    "Anna Ny (L), ledamot",
                ],
            ]
        }
    )
    before = everything()
    batch = batch_preview(data=data, file_name="lista.xlsx", organisation=taby)
    assert batch_commit(batch=batch).written
    batch.refresh_from_db()
    return batch, before


def tagged(batch: ImportBatch, reason: str) -> set[tuple[str, int]]:
    return {
        (model.__name__, pk)
        for model in REGISTER_MODELS
        for pk in model.history.filter(history_change_reason=reason).values_list("id", flat=True)
    }


def test_the_batch_rows_say_which_records_they_wrote_and_never_with_what_values(committed):
    batch, _ = committed
    entries = [e for row in batch.rows.all() for e in row.journal]
    assert entries and all(set(e) == {"op", "model", "pk"} for e in entries)
    assert {e["op"] for e in entries} == {"create", "update", "delete"}


def test_every_write_of_the_import_is_tagged_with_its_batch_in_the_history(committed):
    batch, _ = committed
    written = {(e["model"].split(".")[1], e["pk"]) for row in batch.rows.all() for e in row.journal}
    found = {(model.lower(), pk) for model, pk in tagged(batch, batch.history_reason)}
    assert found == written
    assert batch.history_reason == f"Import {batch.pk}: lista.xlsx"


def test_undo_restores_every_changed_field_and_record_from_the_history(committed, existing):
    batch, before = committed
    after_import = everything()
    assert after_import != before
    # What the import did, to be undone: a field changed, areas changed, a seat deleted,
    # records created.
    assert Arrangement.objects.get(pk=existing.pk).end_date == date(2030, 12, 31)
    assert not Seat.objects.filter(person__name="Ola Berg").exists()
    assert Arrangement.objects.filter(name="Ny IT-nämnd").exists()
    batch_undo(batch=batch)
    assert everything() == before
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.UNDONE
    # The undo's own writes are in the history too, tagged with the batch's undo.
    undone = tagged(batch, batch.undo_reason)
    assert ("Seat", before["Seat"][1]["id"]) in undone  # put back
    assert ("Arrangement", existing.pk) in undone  # restored
    assert any(model == "Arrangement" and pk != existing.pk for model, pk in undone)  # deleted


def test_undo_restores_the_state_the_history_held_just_before_the_commit(existing, taby, xlsx):
    """Someone saves the arrangement between the preview and the commit: the history row just
    before the batch's first write is that save, and the undo restores it."""
    row = ["Lönenämnden", "gemensam nämnd", "", "", "", "2030-12-31", "", "", "", ""]
    batch = batch_preview(
        data=xlsx({"Samverkan": [HEADER, row]}), file_name="lista.xlsx", organisation=taby
    )
    meanwhile = Arrangement.objects.get(pk=existing.pk)
    meanwhile.end_date = date(2029, 1, 1)
    record_save(access=None, instance=meanwhile)
    assert batch_commit(batch=batch).written
    batch.refresh_from_db()
    first = existing.history.filter(history_change_reason=batch.history_reason).earliest(
        "history_date"
    )
    assert first.prev_record.end_date == date(2029, 1, 1)
    batch_undo(batch=batch)
    existing.refresh_from_db()
    assert existing.end_date == date(2029, 1, 1)


def test_a_later_write_by_someone_else_is_refused_as_before(committed, existing, vaxholm):
    batch, _ = committed
    editor = f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")
    arrangement = Arrangement.objects.get(pk=existing.pk)
    arrangement.end_date = date(2031, 6, 30)
    arrangement._history_user = editor
    record_save(access=None, instance=arrangement)
    with pytest.raises(ImportRefused) as refused:
        batch_undo(batch=batch)
    assert "Vaxholms kommun har ändrat samverkan ”Lönenämnden”" in str(refused.value)
    arrangement.refresh_from_db()
    assert arrangement.end_date == date(2031, 6, 30)
    assert Arrangement.objects.filter(name="Ny IT-nämnd").exists()
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.COMMITTED


def test_an_update_whose_earlier_state_the_history_lacks_is_refused_not_guessed(
    committed, existing
):
    batch, _ = committed
    existing.history.exclude(history_change_reason=batch.history_reason).delete()
    with pytest.raises(ImportRefused, match="historik saknar läget före importen"):
        batch_undo(batch=batch)
    assert Arrangement.objects.filter(name="Ny IT-nämnd").exists()
