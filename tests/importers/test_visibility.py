"""The import obeys the same rules as the forms: it sees what the importing organisation's
members see and writes only to arrangements the organisation takes part in; a row naming a
visible arrangement it does not take part in becomes a request to join (issue 7, item 1)."""

import io
import json

import pytest
from django.core.management import call_command

from importers.models import ImportBatch
from importers.services import batch_commit, batch_preview, batch_undo, import_file, run_import
from register.models import Arrangement, Cost, JoinRequest, Participation, Seat
from register.services.join_requests import join_request_accept, join_request_decline
from tests import factories as f

from .test_services import state

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Hemliga nämnden"
HIDDEN_ORGNR = "2120000142"


@pytest.fixture
def hidden(vaxholm):
    """An unpublished arrangement of Vaxholm and Solna: Täby's members may not see it."""
    arrangement = f.make_arrangement(
        name=HIDDEN_NAME, form_slug="joint_committee", orgnr=HIDDEN_ORGNR, host=vaxholm
    )
    f.make_participation(arrangement, vaxholm, role="host")
    f.make_participation(arrangement, f.municipality("0184"), role="member")
    return arrangement


def rows_naming_the_hidden_arrangement(xlsx) -> bytes:
    return xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Orgnr", "Parter", "Startdatum", "Kostnad 2024"],
                [HIDDEN_NAME, "gem. nämnd", None, "Vaxholm, Solna", "1999", 5],
                ["Helt annat namn", "gem. nämnd", "212000-0142", None, None, None],
                [HIDDEN_NAME.upper(), None, None, None, None, None],
            ]
        }
    )


def plan_of(result) -> list:
    """Everything the preview shows of each row (outcome, changes, errors, warnings)."""
    return [
        (
            r.outcome,
            r.diff,
            [(e.field, e.message) for e in r.errors],
            [(w.field, w.message) for w in r.warnings],
        )
        for r in result.rows
    ]


def stored_rows(batch) -> list:
    return list(
        batch.rows.order_by("sheet", "row_number").values_list(
            "outcome", "diff", "errors", "warnings", "arrangement_id"
        )
    )


def test_a_row_naming_a_hidden_arrangement_is_not_an_update_of_it(taby, hidden, xlsx):
    data = xlsx({"B": [["Namn", "Samverkansform"], [HIDDEN_NAME, "gem. nämnd"]]})
    [row] = run_import(source=data, organisation=taby, dry_run=True).rows
    assert row.outcome == "new" and row.arrangement_id is None
    batch = batch_preview(data=data, file_name="lista.xlsx", organisation=taby)
    assert batch.rows.get().get_outcome_display() == "Ny"
    assert "Uppdateras" not in json.dumps(stored_rows(batch), ensure_ascii=False)


def test_committing_a_row_naming_a_hidden_arrangement_adds_no_participation_to_it(
    taby, hidden, xlsx
):
    before = sorted(hidden.participations.values_list("organisation_id", "role"))
    data = rows_naming_the_hidden_arrangement(xlsx)
    result = run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=False)
    assert result.written
    assert sorted(hidden.participations.values_list("organisation_id", "role")) == before
    assert not Participation.objects.filter(arrangement=hidden, organisation=taby).exists()
    assert not Cost.objects.filter(participation__arrangement=hidden).exists()
    hidden.refresh_from_db()
    assert hidden.start_date is None
    # The two valid rows became arrangements of Täby's own.
    assert Arrangement.objects.filter(participations__organisation=taby).count() == 2


def test_the_preview_for_a_hidden_name_or_orgnr_is_the_preview_for_a_name_that_exists_nowhere(
    taby, hidden, xlsx
):
    data = rows_naming_the_hidden_arrangement(xlsx)
    with_hidden = plan_of(run_import(source=data, organisation=taby, dry_run=True))
    batch = batch_preview(data=data, file_name="lista.xlsx", organisation=taby)
    stored_with_hidden = stored_rows(batch)
    hidden.delete()
    without = plan_of(run_import(source=data, organisation=taby, dry_run=True))
    batch = batch_preview(data=data, file_name="lista.xlsx", organisation=taby)
    assert with_hidden == without
    assert stored_with_hidden == stored_rows(batch)
    # The file's two rows for "the same" hidden arrangement are not flagged as duplicates.
    assert [outcome for outcome, *_ in without] == ["new", "new", "invalid"]


def test_warnings_never_mention_an_arrangement_hidden_from_the_organisation(
    taby, vaxholm, hidden, xlsx
):
    # Täby itself keeps a committee with Vaxholm and Solna: the possible-duplicate warning may
    # name that one (Täby's members see it), never the hidden one with the same parties.
    own = f.make_arrangement(name="Vår nämnd", form_slug="joint_committee")
    for org in (taby, vaxholm, f.municipality("0184")):
        f.make_participation(own, org)
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Parter", "Startdatum"],
                [HIDDEN_NAME, "gem. nämnd", "Vaxholm, Solna", "1999"],
                ["Nämnden", "gem. nämnd", "Vaxholm, Solna", None],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    messages = [w.message for w in result.warnings] + [e.message for e in result.errors]
    assert all("Vår nämnd" in m for m in messages) and len(messages) == 2
    assert not any("finns redan" in m or HIDDEN_NAME in m for m in messages)


def test_a_new_row_with_a_hidden_arrangement_s_orgnr_gets_an_arrangement_of_its_own(
    taby, hidden, xlsx
):
    data = xlsx(
        {"B": [["Namn", "Samverkansform", "Orgnr"], ["Vår nämnd", "gem. nämnd", "212000-0142"]]}
    )
    [row] = run_import(source=data, organisation=taby, dry_run=False).rows
    assert row.outcome == "new" and row.errors == []
    ours = Arrangement.objects.get(name="Vår nämnd")
    assert ours.pk != hidden.pk and ours.orgnr == hidden.orgnr == HIDDEN_ORGNR
    assert list(ours.participations.values_list("organisation", flat=True)) == [taby.pk]


def test_the_command_line_sees_what_the_organisation_s_members_see(taby, hidden, xlsx, tmp_path):
    path = tmp_path / "lista.xlsx"
    path.write_bytes(xlsx({"B": [["Namn", "Samverkansform"], [HIDDEN_NAME, "gem. nämnd"]]}))
    out = io.StringIO()
    call_command("import_excel", str(path), "--organisation", "0160", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["created"], data["updated"], data["join_requests"]) == (1, 0, 0)
    assert not hidden.participations.filter(organisation=taby).exists()


# --- Published arrangements the organisation does not take part in ------------------------------


@pytest.fixture
def published(shared_arrangement):
    """Täby's and Vaxholm's joint committee, published: every logged-in user sees it."""
    shared_arrangement.is_published = True
    shared_arrangement.save()
    return shared_arrangement


def outsider_row(xlsx, name="Södra Roslagens miljö- och hälsoskyddsnämnd") -> bytes:
    """Knivsta's row for the committee, with shared fields and its own data."""
    return xlsx(
        {
            "B": [
                [
                    "Namn",
                    "Samverkansform",
                    "Startdatum",
                    "Parter",
                    "Kostnad 2024",
                    "Ansvarig nämnd",
                    "Våra ledamöter",
                ],
                [
                    name,
                    "gemensam nämnd",
                    "1999",
                    "Danderyd",
                    5,
                    "Miljönämnden",
                    "Eva Ek (C), ledamot",
                ],
            ]
        }
    )


def test_a_row_naming_a_published_arrangement_we_do_not_take_part_in_is_a_request_to_join(
    knivsta, published, xlsx
):
    data = outsider_row(xlsx)
    [row] = run_import(source=data, organisation=knivsta, dry_run=True).rows
    assert row.outcome == "join" and row.arrangement_id == published.pk
    assert row.diff == {
        "Begäran om deltagande": {"before": "", "after": "Knivsta kommun som medlem"}
    }
    [warning] = row.warnings
    assert "Knivsta kommun deltar inte i den" in warning.message
    assert "skickas en begäran om deltagande till samverkans parter" in warning.message
    assert "Inget annat på raden sparas nu" in warning.message
    assert "importerar listan igen" in warning.message

    before = state()
    batch = batch_preview(data=data, file_name="knivsta.xlsx", organisation=knivsta)
    assert batch.rows.get().get_outcome_display() == "Begäran om deltagande"
    result = batch_commit(batch=batch)
    assert result.written
    assert state() == before  # no participation, cost, seat, person or shared field
    join_request = JoinRequest.objects.get()
    assert (join_request.arrangement, join_request.organisation, join_request.status) == (
        published,
        knivsta,
        JoinRequest.Status.PENDING,
    )
    assert join_request.role == "member" and join_request.import_batch == batch


def test_importing_the_same_file_again_sends_no_second_request(knivsta, published, xlsx):
    data = outsider_row(xlsx)
    import_file(data=data, file_name="1.xlsx", organisation=knivsta)
    [row] = run_import(source=data, organisation=knivsta, dry_run=True).rows
    assert row.outcome == "join" and row.diff == {}
    assert "väntar på svar" in row.warnings[0].message
    import_file(data=data, file_name="2.xlsx", organisation=knivsta)
    assert JoinRequest.objects.count() == 1


def test_a_declined_request_is_not_sent_again_by_the_import(knivsta, published, xlsx, taby_editor):
    from register.access import Access

    data = outsider_row(xlsx)
    import_file(data=data, file_name="1.xlsx", organisation=knivsta)
    join_request_decline(
        access=Access.for_user(taby_editor), join_request=JoinRequest.objects.get(), user=None
    )
    [row] = run_import(source=data, organisation=knivsta, dry_run=True).rows
    assert row.outcome == "join" and row.diff == {}
    assert "avslog" in row.warnings[0].message
    import_file(data=data, file_name="2.xlsx", organisation=knivsta)
    assert JoinRequest.objects.count() == 1


def test_once_accepted_the_next_import_writes_the_row_s_own_data(
    knivsta, published, xlsx, taby_editor
):
    from register.access import Access

    data = outsider_row(xlsx)
    import_file(data=data, file_name="1.xlsx", organisation=knivsta)
    join_request_accept(
        access=Access.for_user(taby_editor), join_request=JoinRequest.objects.get(), user=None
    )
    [row] = import_file(data=data, file_name="2.xlsx", organisation=knivsta).rows
    assert row.outcome == "update"
    own = published.participations.get(organisation=knivsta)
    assert own.political_body == "Miljönämnden"
    assert Cost.objects.get(participation=own).outcome == 5
    assert Seat.objects.get(appointed_by=knivsta).person.name == "Eva Ek"


def test_undoing_the_import_withdraws_its_pending_request(knivsta, published, xlsx):
    batch = batch_preview(data=outsider_row(xlsx), file_name="k.xlsx", organisation=knivsta)
    batch_commit(batch=batch)
    assert JoinRequest.objects.filter(status="pending").exists()
    batch_undo(batch=batch)
    assert not JoinRequest.objects.exists()
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.UNDONE


def test_the_command_line_sends_the_request_and_names_its_batch(knivsta, published, xlsx, tmp_path):
    path = tmp_path / "knivsta.xlsx"
    path.write_bytes(outsider_row(xlsx))
    out = io.StringIO()
    call_command("import_excel", str(path), "--organisation", "0330", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["join_requests"] == 1 and data["updated"] == 0
    join_request = JoinRequest.objects.get()
    assert join_request.import_batch_id == data["batch"]
    assert not published.participations.filter(organisation=knivsta).exists()
    out = io.StringIO()
    call_command("import_excel", str(path), "--organisation", "0330", "--dry-run", stdout=out)
    assert "begäran om deltagande: 1" in out.getvalue()
