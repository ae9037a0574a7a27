"""A cell longer than its model field is a Swedish row error, never a crash nor a silent cut.

SQLite (where the suite runs) does not enforce a column's length, PostgreSQL does; the limits
are the model fields' own (``Model._meta.get_field(name).max_length``), checked by the preview
and again by both ways the commit writes (the bulk insert and the ORM saves).
"""

import pytest

from importers import fields, planning
from importers.models import ImportRow
from importers.services import batch_commit, batch_preview, run_import
from register.models import Arrangement, Decision, Participation, Person, Seat
from tests import factories as f

from .conftest import build_xlsx

pytestmark = pytest.mark.django_db

COLUMNS = ["Namn", "Samverkansform", "Parter", "Ansvarig nämnd", "Beslut", "Våra ledamöter"]
GOOD = ["Lönenämnden", "gemensam nämnd", "Vaxholm", "Kommunstyrelsen", "KF 2019-03-25 § 45", ""]


def limit(model, name):
    return model._meta.get_field(name).max_length


def too_long(model, name):
    return "x" * (limit(model, name) + 1)


def row_with(column, text):
    row = list(GOOD)
    row[COLUMNS.index(column)] = text
    return row


def workbook(*rows):
    return build_xlsx({"Samverkan": [COLUMNS, *rows]})


CASES = {
    "name": ("Namn", lambda: too_long(Arrangement, "name"), "", limit(Arrangement, "name")),
    "responsible body": (
        "Ansvarig nämnd",
        lambda: too_long(Participation, "political_body"),
        "",
        limit(Participation, "political_body"),
    ),
    "deciding body": (
        "Beslut",
        lambda: "KF " + "x" * limit(Decision, "deciding_body") + " 2019-03-25 § 45",
        "Beslutande organ: ",
        limit(Decision, "deciding_body"),
    ),
    "decision reference": (
        "Beslut",
        lambda: "KF 2019-03-25 § 45" + "x" * limit(Decision, "reference"),
        "Paragraf: ",
        limit(Decision, "reference"),
    ),
    "representative's name": (
        "Våra ledamöter",
        lambda: too_long(Person, "name") + " (S), ledamot",
        "Ledamoten ”" + "x" * 60 + "…”, namnet: ",
        limit(Person, "name"),
    ),
    "representative's party": (
        "Våra ledamöter",
        lambda: "Anna Svensson (" + too_long(Seat, "party") + "), ledamot",
        "Ledamoten ”Anna Svensson”, partiet: ",
        limit(Seat, "party"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_cell_longer_than_its_model_field_is_a_row_error_in_the_preview(taby, case):
    column, text, prefix, most = CASES[case]
    text = text()
    result = run_import(
        source=workbook(GOOD[:1] + ["avtal"] + GOOD[2:], row_with(column, text)),
        organisation=taby,
    )
    ok, bad = result.rows
    assert ok.outcome == ImportRow.Outcome.NEW
    assert bad.outcome == ImportRow.Outcome.INVALID
    [error] = bad.errors
    assert error.field == column
    assert error.message.startswith(prefix)
    assert f"får vara högst {most} tecken lång" in error.message
    assert bad.raw[column] == text  # kept whole: the invalid-rows download gives it back


def test_a_cell_of_exactly_the_fields_length_is_saved_whole(taby):
    name = "x" * limit(Arrangement, "name")
    body = "y" * limit(Participation, "political_body")
    batch = batch_preview(
        data=workbook(row_with("Namn", name)[:3] + [body] + GOOD[4:]),
        file_name="l.xlsx",
        organisation=taby,
    )
    assert batch_commit(batch=batch).written
    arrangement = Arrangement.objects.get()
    assert arrangement.name == name
    assert arrangement.participations.get(organisation=taby).political_body == body
    # The entry decision's title is the importer's own text, cut to the field's length.
    title = Decision.objects.get().title
    assert len(title) == limit(Decision, "title") and title.startswith("Beslut om inträde i x")


def test_nothing_is_written_when_the_preview_has_a_too_long_cell(taby):
    batch = batch_preview(
        data=workbook(GOOD, row_with("Namn", too_long(Arrangement, "name"))),
        file_name="l.xlsx",
        organisation=taby,
    )
    result = batch_commit(batch=batch, all_or_nothing=True)
    assert not result.written and not Arrangement.objects.exists()


@pytest.fixture
def unchecked_preview(monkeypatch):
    """A preview that lets every length through, as if the plan were made with other rules:
    what is left to check is the commit's own."""
    monkeypatch.setattr(fields, "field_problems", lambda *args: [])
    monkeypatch.setattr(planning, "validate_arrangement", lambda *args: None)


def test_a_too_long_new_row_that_reaches_the_bulk_insert_is_a_row_error(taby, unchecked_preview):
    name = too_long(Arrangement, "name")
    result = run_import(
        source=workbook(GOOD, row_with("Namn", name)),
        organisation=taby,
        dry_run=False,
        all_or_nothing=False,
    )
    good, bad = result.rows
    assert result.written and good.outcome == ImportRow.Outcome.NEW
    assert bad.outcome == ImportRow.Outcome.INVALID
    assert [e.message for e in bad.errors] == [
        f"Namn: Texten får vara högst {limit(Arrangement, 'name')} tecken lång, men är "
        f"{len(name)} tecken."
    ]
    assert list(Arrangement.objects.values_list("name", flat=True)) == ["Lönenämnden"]


def test_a_too_long_update_that_reaches_the_orm_save_is_a_row_error(taby, unchecked_preview):
    arrangement = f.make_arrangement(name="Lönenämnden", form_slug="joint_committee")
    own = f.make_participation(arrangement, taby, political_body="Kommunstyrelsen")
    result = run_import(
        source=workbook(row_with("Ansvarig nämnd", too_long(Participation, "political_body"))),
        organisation=taby,
        dry_run=False,
        all_or_nothing=True,
    )
    [row] = result.rows
    assert not result.written and row.outcome == ImportRow.Outcome.INVALID
    assert row.errors[0].message.startswith("Politiskt ansvarig nämnd: Texten får vara högst")
    own.refresh_from_db()
    assert own.political_body == "Kommunstyrelsen"
