"""The import service over differently laid-out workbooks and the real example list."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from importers.models import ImportBatch, ImportRow
from importers.readers.workbook import ReadError
from importers.services import (
    ImportRefused,
    batch_commit,
    batch_preview,
    batch_undo,
    import_file,
    run_import,
)
from register.models import Arrangement, Cost, Decision, Participation, Person, Seat
from tests import factories as f

from .conftest import EXAMPLE, SHARED_EXAMPLE, with_cached_values

pytestmark = pytest.mark.django_db


def outcomes(result):
    return [r.outcome for r in result.rows]


def state():
    """Return a comparable picture of everything the importer may write."""
    return {
        "arrangements": sorted(
            Arrangement.objects.values_list(
                "pk",
                "name",
                "form_id",
                "start_date",
                "end_date",
                "notice_months",
                "host_id",
                "orgnr",
                "public_description",
            )
        ),
        "areas": sorted(
            Arrangement.service_areas.through.objects.values_list(
                "arrangement_id", "servicearea_id"
            )
        ),
        "participations": sorted(
            Participation.objects.values_list(
                "pk",
                "arrangement_id",
                "organisation_id",
                "role",
                "political_body",
                "internal_note",
                "entry_decision_id",
            )
        ),
        "extra": sorted((p.pk, str(p.extra_fields)) for p in Participation.objects.all()),
        "costs": sorted(
            Cost.objects.values_list(
                "pk", "participation_id", "year", "budget", "outcome", "forecast"
            )
        ),
        "seats": sorted(Seat.objects.values_list("pk", "body_id", "person_id", "role", "party")),
        "people": sorted(Person.objects.values_list("pk", "name", "party")),
        "decisions": sorted(
            Decision.objects.values_list("pk", "date", "deciding_body", "reference")
        ),
    }


# --- The real example list ----------------------------------------------------------------


def test_the_example_list_imports_taby_s_five_arrangements(taby):
    result = run_import(source=EXAMPLE, organisation=taby, dry_run=False)
    assert result.written
    assert result.summary()["created"] == 5 and result.invalid == 0
    assert result.skipped_rows == 2  # the empty row and "Summa"
    assert result.skipped_sheets[0][0] == "Instruktioner"

    ssbf = Arrangement.objects.get(name="Storstockholms brandförsvar")
    assert ssbf.form.slug == "municipal_federation"
    assert ssbf.start_date == date(2009, 1, 1) and ssbf.end_date is None
    assert ssbf.participations.count() == 10  # nine partners and Täby
    assert set(ssbf.participations.values_list("organisation__code", flat=True)) >= {
        "0160",
        "0180",
        "0187",
    }
    own = ssbf.participations.get(organisation=taby)
    assert own.political_body == "Kommunstyrelsen"
    assert dict(own.costs.values_list("year", "outcome")) == {
        2022: 41_200_000,
        2023: 43_100_000,
        2024: 45_950_000,
    }
    assert sorted(
        Seat.objects.filter(body__arrangement=ssbf).values_list("person__name", "party", "role")
    ) == [
        ("Johan Ek", "S", "substitute"),
        ("Maria Berg", "M", "member"),
    ]

    kappala = Arrangement.objects.get(name="Käppalaförbundet")
    assert kappala.start_date == date(1957, 1, 1)
    assert kappala.participations.count() == 11
    assert (
        kappala.participations.get(organisation=taby).internal_note
        == "Kostnaden tas ut via VA-taxan"
    )

    srmh = Arrangement.objects.get(name__startswith="Södra Roslagens")
    assert srmh.form.slug == "joint_committee" and srmh.host == taby
    assert srmh.participations.get(organisation=taby).role == "host"
    assert srmh.participations.get(organisation__code="0187").role == "member"
    assert srmh.participations.get(organisation=taby).costs.get(year=2022).outcome == 9_800_000
    assert Seat.objects.get(body__arrangement=srmh, person__name="Eva Lund").role == "chair"

    tillsyn = Arrangement.objects.get(name__startswith="Tillsyn alkohol")
    assert tillsyn.form.slug == "agreement" and tillsyn.end_date == date(2026, 6, 30)
    assert tillsyn.participations.get(organisation=taby).role == "provider"
    assert set(
        tillsyn.participations.filter(role="purchaser").values_list("organisation__code", flat=True)
    ) == {
        "0188",
        "0115",
        "0186",
    }

    food = Arrangement.objects.get(name="Livsmedelskontroll åt Norrtälje")
    assert food.start_date == date(2021, 1, 1)
    assert food.participations.get(organisation=taby).costs.get(year=2022).outcome == -600_000


def test_the_shared_copy_of_the_example_is_the_one_tested():
    if not SHARED_EXAMPLE.exists():
        pytest.skip("../shared/data finns inte i den här utcheckningen.")
    assert SHARED_EXAMPLE.read_bytes() == EXAMPLE.read_bytes()


def test_importing_the_example_twice_changes_nothing(taby):
    run_import(source=EXAMPLE, organisation=taby, dry_run=False)
    before = state()
    again = run_import(source=EXAMPLE, organisation=taby, dry_run=False)
    assert set(outcomes(again)) == {"unchanged", "skipped"}
    assert state() == before


def test_a_dry_run_writes_nothing(taby):
    before = state()
    result = run_import(source=EXAMPLE, organisation=taby, dry_run=True)
    assert result.summary()["created"] == 5 and not result.written
    assert state() == before


# --- Eight layouts ---------------------------------------------------------------------------


def test_layout_title_rows_and_a_plain_header(taby, xlsx):
    data = xlsx(
        {
            "Lista": [
                ["Täby kommuns samverkan"],
                [],
                [
                    "Benämning",
                    "Typ av samverkan",
                    "Medlemmar",
                    "Område",
                    "Sedan",
                    "Avtalstid",
                    "Uppsägningstid",
                ],
                ["IT-samverkan", "avtal", "Vaxholm", "IT", "2020-03", "tills vidare", "6 månader"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=False)
    assert outcomes(result) == ["new"]
    it = Arrangement.objects.get(name="IT-samverkan")
    assert it.start_date == date(2020, 3, 1) and it.end_date is None and it.notice_months == 6
    assert list(it.service_areas.values_list("slug", flat=True)) == ["it"]


def test_layout_merged_headers_over_year_columns(taby, xlsx):
    data = xlsx(
        {
            "Blad1": [
                ["Namn", "Form", "Kostnad (tkr)", None, "Parter"],
                [None, None, 2023, 2024, None],
                ["Vårdsamverkan", "Kommunalförbund", "1 000", "1 100,5", "Vaxholm"],
            ]
        },
        merges={"Blad1": ["C1:D1", "A1:A2", "B1:B2", "E1:E2"]},
    )
    run_import(source=data, organisation=taby, dry_run=False)
    own = Participation.objects.get(arrangement__name="Vårdsamverkan", organisation=taby)
    assert dict(own.costs.values_list("year", "outcome")) == {2023: 1_000_000, 2024: 1_100_500}


def test_layout_year_columns_with_budget_and_units(taby, xlsx):
    data = xlsx(
        {
            "Kostnader": [
                [
                    "Namn",
                    "Samverkansform",
                    "Kostnad 2023 (tkr)",
                    "Budget 2025 (mnkr)",
                    "Årlig kostnad (kr)",
                ],
                ["Överförmyndarnämnden", "Gemensam nämnd", 450, "0,5", "480 000"],
            ]
        }
    )
    run_import(source=data, organisation=taby, dry_run=False)
    costs = {c.year: c for c in Cost.objects.filter(participation__organisation=taby)}
    assert costs[2023].outcome == 450_000
    assert costs[2025].budget == 500_000
    assert date.today().year in costs and costs[date.today().year].outcome == 480_000


def test_layout_partner_cell_variants(taby, xlsx):
    data = xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Samverkande kommuner"],
                ["A", "avtal", "Mariestads kommun, Lidingö stad och Vaxholm"],
                ["B", "avtal", "Region Stockholm; 0187\nÖsteråkers kommun samt Danderyd"],
                ["C", "avtal", "Marriestad"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True, all_or_nothing=False)
    a, b, c = result.rows
    assert a.outcome == "new" and {o.code for o in a.parsed["partners"]} == {"1493", "0186", "0187"}
    assert b.outcome == "new" and {o.code for o in b.parsed["partners"]} == {
        "01",
        "0187",
        "0117",
        "0162",
    }
    assert c.outcome == "invalid"
    assert c.errors[0].field == "Samverkande kommuner"
    assert "Marriestad" in c.errors[0].message and "Mariestad" in c.errors[0].message


def test_layout_totals_and_empty_rows_are_skipped(taby, xlsx):
    data = xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Kostnad 2024 (tkr)"],
                ["A", "avtal", 10],
                [None, None, None],
                ["B", "avtal", 20],
                ["Summa", None, "=SUM(C2:C4)"],
                ["Totalt", None, 30],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    assert outcomes(result) == ["new", "new", "skipped", "skipped"]
    assert result.skipped_rows == 3


def test_layout_several_sheets(taby, xlsx):
    data = xlsx(
        {
            "Läs mig": [["Instruktioner"], ["Fyll i en rad per samverkan"]],
            "Förbund": [
                ["Namn", "Samverkansform", "Parter"],
                ["Brandförbundet", "KF-förbund", "Vaxholm"],
            ],
            "Avtal": [["Namn", "Form", "Utförare"], ["Lönecenter", "avtal", "Vaxholm"]],
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=False)
    assert [(r.sheet, r.outcome) for r in result.rows] == [("Förbund", "new"), ("Avtal", "new")]
    assert result.skipped_sheets[0][0] == "Läs mig"
    lon = Arrangement.objects.get(name="Lönecenter")
    assert lon.host.code == "0187"
    assert lon.participations.get(organisation__code="0187").role == "provider"
    assert lon.participations.get(organisation=taby).role == "purchaser"


def test_layout_formulas_use_cached_values_and_warn_without_one(taby, xlsx):
    data = xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Kostnad 2024"],
                ["X", "avtal", "=1+1"],
                ["Y", "avtal", "=2+2"],
            ]
        }
    )
    data = with_cached_values(data, {"C2": 1500})
    result = run_import(source=data, organisation=taby, dry_run=False)
    x, y = result.rows
    assert x.parsed["costs"] == {(2024, "outcome"): 1500} and not x.warnings
    assert y.outcome == "new" and "formel utan sparat värde" in y.warnings[0].message


def test_layout_unreadable_files_raise_a_read_error(taby):
    for data in (b"", b"not a workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100):
        with pytest.raises(ReadError):
            run_import(source=data, organisation=taby)


def test_layout_unrecognised_columns_are_kept_as_raw_text(taby, xlsx):
    data = xlsx(
        {
            "Blad1": [
                ["Namn", "Samverkansform", "Diarienr", "Ansvarig nämnd"],
                ["X", "avtal", "KS 2024/12", "Kommunstyrelsen"],
            ]
        }
    )
    run_import(source=data, organisation=taby, dry_run=False)
    own = Participation.objects.get(organisation=taby, arrangement__name="X")
    assert own.extra_fields["columns"] == {"Diarienr": "KS 2024/12"}
    assert own.extra_fields["raw"]["Ansvarig nämnd"] == "Kommunstyrelsen"


# --- Semantics -------------------------------------------------------------------------------


def test_a_changed_file_updates_with_a_per_field_diff(taby, xlsx):
    rows = [
        ["Namn", "Samverkansform", "Kostnad 2024 (tkr)", "Slutdatum"],
        ["X", "avtal", 100, "2030-12-31"],
    ]
    run_import(source=xlsx({"B": rows}), organisation=taby, dry_run=False)
    rows[1][2], rows[1][3] = 120, "tills vidare"
    result = run_import(source=xlsx({"B": rows}), organisation=taby, dry_run=False)
    [row] = result.rows
    assert row.outcome == "update"
    assert row.diff == {
        "Slutdatum": {"before": "2030-12-31", "after": "tills vidare"},
        "Kostnad 2024": {"before": "100\u00a0000\u00a0kr", "after": "120\u00a0000\u00a0kr"},
    }
    assert Arrangement.objects.get(name="X").end_date is None


def test_an_existing_arrangement_is_matched_by_orgnr_before_name(taby, xlsx):
    existing = f.make_arrangement(name="Gamla namnet", orgnr="2120000142", members=[taby])
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Orgnr"],
                ["Nya namnet", "Kommunalförbund", "212000-0143"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    assert (
        result.rows[0].outcome == "invalid" and "kontrollsiffra" in result.rows[0].errors[0].message
    )
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Orgnr"],
                ["Nya namnet", "Kommunalförbund", "212000-0142"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=False)
    assert result.rows[0].outcome == "update"
    existing.refresh_from_db()
    assert existing.name == "Nya namnet"


def test_an_arrangement_kept_by_others_becomes_a_request_to_join_for_an_outsider(
    taby, vaxholm, knivsta, shared_arrangement, xlsx
):
    shared_arrangement.is_published = True
    shared_arrangement.save()
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform"],
                ["södra roslagens  miljö- och hälsoskyddsnämnd", "gem. nämnd"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    assert result.rows[0].outcome == "unchanged"
    result = run_import(source=data, organisation=knivsta, dry_run=False)
    assert result.rows[0].outcome == "join"
    assert not shared_arrangement.participations.filter(organisation=knivsta).exists()
    assert shared_arrangement.join_requests.get().organisation == knivsta
    assert Arrangement.objects.count() == 1


def test_all_or_nothing_writes_nothing_when_a_row_is_invalid(taby, xlsx):
    data = xlsx({"B": [["Namn", "Samverkansform"], ["Bra", "avtal"], ["Dålig", "kaffeklubb"]]})
    result = run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=True)
    assert not result.written and result.invalid == 1
    assert not Arrangement.objects.exists()
    result = run_import(source=data, organisation=taby, dry_run=False, all_or_nothing=False)
    assert result.written
    assert list(Arrangement.objects.values_list("name", flat=True)) == ["Bra"]


def test_it_rejects_end_before_start_and_a_row_without_a_name(taby, xlsx):
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Startdatum", "Slutdatum"],
                ["X", "avtal", "2020-01-01", "2019-01-01"],
                [None, "avtal", "2020", None],
            ]
        }
    )
    first, second = run_import(source=data, organisation=taby, dry_run=True).rows
    assert first.outcome == "invalid" and first.errors[0].field == "Slutdatum"
    assert "Slutdatum kan inte ligga före startdatum" in first.errors[0].message
    assert second.outcome == "invalid" and "Namn saknas" in second.errors[0].message


def test_a_duplicate_row_in_the_file_is_an_error(taby, xlsx):
    data = xlsx({"B": [["Namn", "Samverkansform"], ["X", "avtal"], ["x", "Avtal"]]})
    result = run_import(source=data, organisation=taby, dry_run=True)
    assert outcomes(result) == ["new", "invalid"]
    assert "rad 2" in result.rows[1].errors[0].message


def test_the_entry_decision_is_recorded_and_linked(taby, xlsx):
    data = xlsx(
        {"B": [["Namn", "Samverkansform", "KF-beslut"], ["X", "avtal", "KF 2019-03-25 § 45"]]}
    )
    run_import(source=data, organisation=taby, dry_run=False)
    own = Participation.objects.get(organisation=taby)
    decision = own.entry_decision
    assert (decision.kind, decision.date, decision.reference, decision.organisation) == (
        "entry",
        date(2019, 3, 25),
        "§ 45",
        taby,
    )


# --- Preview, commit, undo --------------------------------------------------------------------


def test_preview_then_commit_then_undo_restores_an_empty_register(taby, example_bytes):
    before = state()
    batch = batch_preview(data=example_bytes, file_name="lista.xlsx", organisation=taby)
    assert batch.mode == ImportBatch.Mode.DRY_RUN
    assert batch.rows.filter(outcome=ImportRow.Outcome.NEW).count() == 5
    assert state() == before
    result = batch_commit(batch=batch)
    assert result.written and batch.mode == ImportBatch.Mode.COMMITTED
    assert Arrangement.objects.count() == 5
    batch_undo(batch=batch)
    assert state() == before
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.UNDONE
    with pytest.raises(ImportRefused):
        batch_undo(batch=batch)


def test_undo_of_an_update_restores_exactly_the_previous_state(taby, example_bytes, xlsx):
    import_file(data=example_bytes, file_name="v1.xlsx", organisation=taby)
    before = state()
    changed = xlsx(
        {
            "Ändrad": [
                [
                    "Namn",
                    "Samverkansform",
                    "Parter",
                    "Kostnad 2024 (tkr)",
                    "Våra ledamöter",
                    "KF-beslut",
                    "Giltig t.o.m.",
                    "Verksamhetsområde",
                    "Övrigt",
                ],
                [
                    "Storstockholms brandförsvar",
                    "Kommunalförbund",
                    "Knivsta",
                    50000,
                    "Maria Berg (M), ordförande; Ny Person (KD), ersättare",
                    "KF 2008-06-01 § 3",
                    "2030-12-31",
                    "Räddningstjänst, Krisberedskap",
                    "ny text",
                ],
            ]
        }
    )
    batch = batch_preview(data=changed, file_name="v2.xlsx", organisation=taby)
    [row] = batch.rows.all()
    assert row.outcome == "update"
    assert set(row.diff) >= {
        "Kostnad 2024",
        "Våra ledamöter",
        "Beslut om inträde",
        "Slutdatum",
        "Parter som läggs till",
    }
    assert row.diff["Parter som läggs till"]["after"] == "Medlem: Knivsta kommun"
    batch_commit(batch=batch)
    assert state() != before
    batch_undo(batch=batch)
    assert state() == before


def test_undo_is_refused_when_a_record_changed_after_the_import(taby, xlsx):
    v1 = xlsx({"B": [["Namn", "Samverkansform", "Slutdatum"], ["X", "avtal", "2030-01-01"]]})
    import_file(data=v1, file_name="v1.xlsx", organisation=taby)
    v2 = xlsx({"B": [["Namn", "Samverkansform", "Slutdatum"], ["X", "avtal", "2031-01-01"]]})
    batch = batch_preview(data=v2, file_name="v2.xlsx", organisation=taby)
    batch_commit(batch=batch)
    Arrangement.objects.filter(name="X").update(end_date=date(2032, 1, 1))
    with pytest.raises(ImportRefused, match="Täby kommun har ändrat samverkan ”X”"):
        batch_undo(batch=batch)


def test_only_the_latest_committed_batch_can_be_undone(taby, xlsx):
    first = batch_preview(
        data=xlsx({"B": [["Namn", "Samverkansform"], ["X", "avtal"]]}),
        file_name="1.xlsx",
        organisation=taby,
    )
    batch_commit(batch=first)
    second = batch_preview(
        data=xlsx({"B": [["Namn", "Samverkansform"], ["Y", "avtal"]]}),
        file_name="2.xlsx",
        organisation=taby,
    )
    batch_commit(batch=second)
    with pytest.raises(ImportRefused, match="senare import"):
        batch_undo(batch=first)
    batch_undo(batch=second)
    batch_undo(batch=first)
    assert not Arrangement.objects.exists()


def test_a_commit_with_all_or_nothing_and_invalid_rows_writes_nothing(taby, xlsx):
    data = xlsx({"B": [["Namn", "Samverkansform"], ["Bra", "avtal"], ["Dålig", "kaffeklubb"]]})
    batch = batch_preview(data=data, file_name="x.xlsx", organisation=taby)
    result = batch_commit(batch=batch, all_or_nothing=True)
    assert not result.written and not Arrangement.objects.exists()
    assert batch.mode == ImportBatch.Mode.DRY_RUN and batch.summary["refused"]
    result = batch_commit(batch=batch, all_or_nothing=False)
    assert result.written and Arrangement.objects.count() == 1
    with pytest.raises(ImportRefused):
        batch_commit(batch=batch)


def test_undo_is_refused_when_someone_added_to_an_imported_arrangement(taby, example_bytes):
    batch = batch_preview(data=example_bytes, file_name="x.xlsx", organisation=taby)
    batch_commit(batch=batch)
    f.make_evaluation(Arrangement.objects.get(name="Käppalaförbundet"))
    with pytest.raises(ImportRefused, match="har lagt till uppföljning ”Uppföljning 2024-06-01"):
        batch_undo(batch=batch)
    assert Arrangement.objects.count() == 5


def test_undo_is_refused_when_an_imported_person_now_holds_another_seat(taby, example_bytes):
    batch = batch_preview(data=example_bytes, file_name="x.xlsx", organisation=taby)
    batch_commit(batch=batch)
    other = f.make_arrangement(name="Annan samverkan")
    f.make_seat(f.make_body(other), Person.objects.get(name="Maria Berg"), taby)
    with pytest.raises(
        ImportRefused, match="Täby kommun har lagt till uppdrag ”Maria Berg, ledamot i Direktionen”"
    ):
        batch_undo(batch=batch)
    assert Arrangement.objects.count() == 6


def test_a_new_row_like_an_arrangement_under_another_name_is_warned_about(
    taby, vaxholm, shared_arrangement, xlsx
):
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Parter", "Värdkommun"],
                ["Miljönämnden", "gem. nämnd", "Vaxholm", "Täby"],
                ["Miljö med fler", "gem. nämnd", "Vaxholm, Knivsta", "Täby"],
                ["Miljöavtal", "avtal", "Vaxholm", "Täby"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    same, more_parties, other_form = result.rows
    assert [r.outcome for r in result.rows] == ["new", "new", "new"]
    assert len(same.warnings) == 1
    message = same.warnings[0].message
    assert "”Södra Roslagens miljö- och hälsoskyddsnämnd”" in message
    assert "samma samverkansform och samma parter" in message
    assert more_parties.warnings == [] and other_form.warnings == []


def test_no_duplicate_warning_when_another_row_already_matches_the_arrangement(
    taby, vaxholm, shared_arrangement, xlsx
):
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Parter", "Värdkommun"],
                ["Södra Roslagens miljö- och hälsoskyddsnämnd", "gem. nämnd", "Vaxholm", "Täby"],
                ["Miljönämnden", "gem. nämnd", "Vaxholm", "Täby"],
            ]
        }
    )
    result = run_import(source=data, organisation=taby, dry_run=True)
    assert [r.outcome for r in result.rows] == ["unchanged", "new"]
    assert result.rows[1].warnings == []


def test_the_example_list_warns_about_the_demo_s_differently_named_contracts(taby, example_bytes):
    call_command("load_demo", stdout=io.StringIO())
    result = run_import(source=example_bytes, organisation=taby, dry_run=True)
    warned = {r.parsed["name"]: r.warnings for r in result.rows if r.warnings}
    assert any(
        "livsmedelskontroll åt Norrtälje" in w.message
        for w in warned["Livsmedelskontroll åt Norrtälje"]
    )


def test_a_person_in_two_of_the_arrangement_s_bodies_is_listed_once_and_keeps_both_seats(
    taby, vaxholm, shared_arrangement, xlsx
):
    assembly = f.make_body(shared_arrangement, name="Förbundsfullmäktige")
    board = f.make_body(shared_arrangement, name="Förbundsstyrelsen")
    holm = f.make_person(name="Lars Holm", party="L", organisation=taby)
    falk = f.make_person(name="Ingrid Falk", party="S", organisation=taby)
    f.make_seat(assembly, holm, taby, party="L")
    f.make_seat(board, holm, taby, party="L")
    f.make_seat(assembly, falk, taby, party="S")
    name = shared_arrangement.name

    def import_reps(cell, dry_run):
        data = xlsx(
            {"B": [["Namn", "Samverkansform", "Våra ledamöter"], [name, "gem. nämnd", cell]]}
        )
        return run_import(source=data, organisation=taby, dry_run=dry_run).rows[0]

    both = import_reps("Lars Holm (L), ledamot; Ingrid Falk (S), ledamot", dry_run=True)
    assert both.outcome == "unchanged"
    row = import_reps("Lars Holm (L), ledamot", dry_run=False)
    assert row.diff["Våra ledamöter"] == {
        "before": "Lars Holm (L), ledamot; Ingrid Falk (S), ledamot",
        "after": "Lars Holm (L), ledamot",
    }
    assert sorted(Seat.objects.values_list("body__name", "person__name")) == [
        ("Förbundsfullmäktige", "Lars Holm"),
        ("Förbundsstyrelsen", "Lars Holm"),
    ]
    assert import_reps("Lars Holm (L), ledamot", dry_run=True).outcome == "unchanged"


def test_an_imported_arrangement_s_first_history_record_has_its_service_areas(taby, xlsx):
    data = xlsx(
        {"B": [["Namn", "Samverkansform", "Verksamhetsområde"], ["Räddning", "avtal", "IT; Lön"]]}
    )
    import_file(data=data, file_name="lista.xlsx", organisation=taby)
    arrangement = Arrangement.objects.get(name="Räddning")
    record = arrangement.history.get()
    assert record.history_type == "+"
    assert {row.servicearea.name for row in record.service_areas.all()} == {"IT", "Lön"}
