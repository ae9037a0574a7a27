"""Importing a body's meetings (issue 20): its iCalendar meeting calendar and an .xlsx agenda
list, on files built in the tests; the command ``import_meetings``."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from importers.meetings import import_meetings
from importers.readers.workbook import ReadError, RowErrors
from register.access import Access
from register.models import AgendaItem, Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


def event(uid, start, *, end=None, summary="Direktionens sammanträde", **props):
    ev = icalendar.Event()
    if uid is not None:
        ev.add("uid", uid)
    if summary:
        ev.add("summary", summary)
    if start is not None:
        ev.add("dtstart", start)
    if end is not None:
        ev.add("dtend", end)
    for name, value in props.items():
        ev.add(name.replace("_", "-"), value)
    return ev


def calendar(*events) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Test//Sammanträden//SV")
    cal.add("version", "2.0")
    for ev in events:
        cal.add_component(ev)
    return cal.to_ical()


def agenda(rows, header=("Sammanträde", "Ärende nr", "Rubrik", "Verksamhetsområde", "Handling")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dagordning"
    sheet.append(["Dagordning för direktionen"])  # a title row above the header
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def at(year, month, day, hour=0, minute=0, tz=STOCKHOLM):
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def body(shared_arrangement):
    return f.make_body(shared_arrangement, name="Nämnden")


@pytest.fixture
def access(taby):
    return Access.for_organisation(taby)


def two_meetings():
    return calendar(
        event(
            "m1@roslagen",
            at(2027, 2, 10, 9),
            end=at(2027, 2, 10, 12),
            location="Kommunhuset, Täby",
            url="https://example.se/handlingar/2027-02-10",
        ),
        event("m2@roslagen", at(2027, 3, 10, 9), end=at(2027, 3, 10, 12), summary="Mars"),
    )


def history_rows():
    return Meeting.history.count() + AgendaItem.history.count()


def run(data, body, access, name="kalender.ics"):
    return import_meetings(data=data, file_name=name, body=body, access=access)


# --- the calendar ------------------------------------------------------------------------------


def test_a_calendar_creates_the_meetings(body, access):
    result = run(two_meetings(), body, access)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first, second = Meeting.objects.filter(body=body).order_by("starts_at")
    assert first.uid == "m1@roslagen"
    assert first.title == "Direktionens sammanträde"
    assert first.starts_at == at(2027, 2, 10, 9)
    assert first.ends_at == at(2027, 2, 10, 12)
    assert first.place == "Kommunhuset, Täby"
    assert first.papers_url == "https://example.se/handlingar/2027-02-10"
    assert first.status == Meeting.Status.PLANNED
    assert second.title == "Mars"
    assert first.history.first().history_change_reason.startswith("Import av sammanträden")


def test_importing_the_same_calendar_again_changes_nothing(body, access):
    run(two_meetings(), body, access)
    before = history_rows()
    result = run(two_meetings(), body, access)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Meeting.objects.count() == 2
    assert history_rows() == before  # nothing saved, not even history


def test_a_new_calendar_updates_by_uid_and_never_duplicates(body, access):
    run(two_meetings(), body, access)
    moved = calendar(
        event(
            "m1@roslagen",
            at(2027, 2, 11, 13),
            end=at(2027, 2, 11, 15),
            location="Vaxholms stadshus",
            url="https://example.se/handlingar/2027-02-10",
        ),
        event("m2@roslagen", at(2027, 3, 10, 9), end=at(2027, 3, 10, 12), summary="Mars"),
        event("m3@roslagen", at(2027, 4, 14, 9), summary="April"),
    )
    result = run(moved, body, access)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Meeting.objects.filter(body=body).count() == 3
    first = Meeting.objects.get(uid="m1@roslagen")
    assert (first.starts_at, first.place) == (at(2027, 2, 11, 13), "Vaxholms stadshus")


def test_a_cancelled_event_cancels_the_meeting_and_a_reinstated_one_plans_it_again(body, access):
    run(two_meetings(), body, access)
    cancelled = calendar(
        event("m1@roslagen", at(2027, 2, 10, 9), status="CANCELLED", summary="Inställt"),
    )
    run(cancelled, body, access)
    assert Meeting.objects.get(uid="m1@roslagen").status == Meeting.Status.CANCELLED
    run(calendar(event("m1@roslagen", at(2027, 2, 10, 9))), body, access)
    assert Meeting.objects.get(uid="m1@roslagen").status == Meeting.Status.PLANNED


def test_a_held_meeting_stays_held(body, access):
    run(two_meetings(), body, access)
    Meeting.objects.filter(uid="m2@roslagen").update(status=Meeting.Status.HELD)
    result = run(two_meetings(), body, access)
    assert result.unchanged == 2
    assert Meeting.objects.get(uid="m2@roslagen").status == Meeting.Status.HELD


def test_time_zones(body, access):
    data = calendar(
        event("tzid", at(2027, 6, 1, 9)),  # TZID=Europe/Stockholm (summer time)
        event("utc", dt.datetime(2027, 1, 15, 8, 0, tzinfo=UTC)),  # 09:00 in Stockholm
        event("floating", dt.datetime(2027, 7, 1, 18, 30)),  # no zone: Swedish time
        event("allday", dt.date(2027, 12, 24), end=dt.date(2027, 12, 25)),
        event("london", dt.datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))),
    )
    run(data, body, access)
    starts = {m.uid: m.starts_at for m in Meeting.objects.filter(body=body)}
    assert starts["tzid"] == dt.datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
    assert starts["utc"].astimezone(STOCKHOLM) == at(2027, 1, 15, 9)
    assert starts["floating"] == at(2027, 7, 1, 18, 30)
    assert starts["allday"] == at(2027, 12, 24)
    assert Meeting.objects.get(uid="allday").ends_at == at(2027, 12, 25)
    assert starts["london"].astimezone(STOCKHOLM) == at(2027, 3, 1, 11)
    # The same file again: the instants compare equal whatever the zone.
    assert run(data, body, access).unchanged == 5


def test_a_calendar_takes_over_the_only_meeting_of_the_day_without_a_uid(body, access):
    by_hand = f.make_meeting(body, starts_at=at(2027, 2, 10, 8))
    result = run(two_meetings(), body, access)
    assert (result.created, result.updated) == (1, 1)
    by_hand.refresh_from_db()
    assert (by_hand.uid, by_hand.starts_at) == ("m1@roslagen", at(2027, 2, 10, 9))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is no calendar", "kan inte läsas som en iCalendar-fil"),
        (b"", "tom"),
        (calendar(), "inga händelser"),
    ],
)
def test_an_unreadable_calendar_is_refused(body, access, data, expected):
    with pytest.raises(ReadError, match=expected):
        run(data, body, access)
    assert not Meeting.objects.exists()


def test_a_broken_event_refuses_the_whole_file_and_names_it(body, access):
    run(two_meetings(), body, access)
    before = history_rows()
    data = calendar(
        event("m1@roslagen", at(2027, 2, 10, 10), summary="Flyttat"),  # would update
        event("ny@roslagen", at(2027, 5, 5, 9), summary="Nytt"),  # would create
        event("utan-start", None, summary="Sammanträde i juni"),
        event(None, at(2027, 9, 1, 9), summary="Utan id"),
        event("baklänges", at(2027, 9, 2, 10), end=at(2027, 9, 2, 9), summary="Baklänges"),
        event("m2@roslagen", at(2027, 3, 10, 9), url="inte en adress"),
    )
    with pytest.raises(RowErrors) as raised:
        run(data, body, access)
    problems = raised.value.problems
    assert any("Händelse 3" in p and "Sammanträde i juni" in p and "DTSTART" in p for p in problems)
    assert any("Händelse 4" in p and "saknar UID" in p for p in problems)
    assert any("Händelse 5" in p and "slutar innan den börjar" in p for p in problems)
    assert len(problems) == 3  # the reader stops before the URL is checked
    assert Meeting.objects.count() == 2
    assert Meeting.objects.get(uid="m1@roslagen").title == "Direktionens sammanträde"
    assert history_rows() == before


def test_a_bad_value_refuses_the_whole_file(body, access):
    data = calendar(
        event("ok", at(2027, 5, 5, 9)),
        event("m2@roslagen", at(2027, 3, 10, 9), url="inte en adress"),
    )
    with pytest.raises(RowErrors) as raised:
        run(data, body, access)
    assert raised.value.problems == [
        "Händelse 2 (”Direktionens sammanträde”, UID m2@roslagen): handlingar: Fyll i en giltig URL."
    ]
    assert not Meeting.objects.exists()


def test_an_unparseable_dtstart_and_a_uid_twice_are_refused(body, access):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:2027021\r\nSUMMARY:Trasig\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270210T090000\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270310T090000\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    with pytest.raises(RowErrors) as raised:
        run(data, body, access)
    assert raised.value.problems == [
        "Händelse 1 (”Trasig”, UID a) har en starttid (DTSTART) som inte går att läsa.",
        "Händelse 3 (UID b) har samma UID som händelse 2; varje sammanträde ska ha ett eget UID.",
    ]
    assert not Meeting.objects.exists()


def test_a_body_of_another_organisations_arrangement_is_refused(body, knivsta):
    with pytest.raises(PermissionDenied, match="Du får inte importera sammanträden till ”Nämnden”"):
        run(two_meetings(), body, Access.for_organisation(knivsta))
    assert not Meeting.objects.exists()


def test_a_reader_may_not_import(body, taby_reader):
    with pytest.raises(PermissionDenied):
        run(two_meetings(), body, Access.for_user(taby_reader))


def test_vaxholm_which_takes_part_may_import(body, vaxholm):
    assert run(two_meetings(), body, Access.for_organisation(vaxholm)).created == 2


# --- the agenda list ---------------------------------------------------------------------------

ROWS = [
    (dt.datetime(2027, 2, 10, 9, 0), 1, "Val av justerare", None, None),
    (
        dt.datetime(2027, 2, 10, 9, 0),
        "2",
        "Budget 2028",
        "Miljö och bygg",
        "https://example.se/h/2",
    ),
    ("2027-03-10", "§ 12", "Taxa för tillsyn", None, None),
]


def test_an_agenda_list_adds_items_to_the_meetings_and_creates_missing_ones(body, access):
    run(two_meetings(), body, access)
    result = run(agenda(ROWS), body, access, "dagordning.xlsx")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.meetings_created == 0
    february = Meeting.objects.get(uid="m1@roslagen")
    one, two = february.items.order_by("sort_order")
    assert (one.number, one.title, one.sort_order) == ("1", "Val av justerare", 1)
    assert (two.number, two.title) == ("2", "Budget 2028")
    assert two.service_area.name == "Miljö och bygg"
    assert two.document_url == "https://example.se/h/2"
    assert Meeting.objects.get(uid="m2@roslagen").items.get().number == "§ 12"

    rows = [*ROWS, (dt.date(2027, 5, 19), "1", "Delårsrapport", None, None)]
    result = run(agenda(rows), body, access, "dagordning.xlsx")
    assert (result.created, result.updated, result.unchanged, result.meetings_created) == (
        1,
        0,
        3,
        1,
    )
    made = Meeting.objects.get(body=body, starts_at=at(2027, 5, 19))
    assert (made.status, made.uid) == (Meeting.Status.PLANNED, "")


def test_importing_the_same_agenda_again_changes_nothing(body, access):
    result = run(agenda(ROWS), body, access, "dagordning.xlsx")
    assert (result.created, result.meetings_created) == (3, 2)
    before = history_rows()
    result = run(agenda(ROWS), body, access, "dagordning.xlsx")
    assert (result.created, result.updated, result.unchanged, result.meetings_created) == (
        0,
        0,
        3,
        0,
    )
    assert AgendaItem.objects.count() == 3 and Meeting.objects.count() == 2
    assert history_rows() == before


def test_an_agenda_list_updates_items_by_meeting_and_number(body, access):
    run(agenda(ROWS), body, access, "dagordning.xlsx")
    changed = [
        (dt.datetime(2027, 2, 10, 9, 0), 1, "Val av två justerare", None, None),
        *ROWS[1:],
    ]
    result = run(agenda(changed), body, access, "dagordning.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert AgendaItem.objects.get(number="1").title == "Val av två justerare"
    assert AgendaItem.objects.count() == 3


def test_a_broken_agenda_list_refuses_the_whole_file(body, access):
    rows = [
        *ROWS,
        ("10 februari", "3", "Övrigt", None, None),
        (dt.date(2027, 2, 10), "4", "", None, None),
        (dt.date(2027, 2, 10), "5", "Okänt område", "Rymdfart", None),
        (dt.datetime(2027, 2, 10, 9, 0), 1, "Samma nummer igen", None, None),
    ]
    with pytest.raises(RowErrors) as raised:
        run(agenda(rows), body, access, "dagordning.xlsx")
    problems = raised.value.problems
    assert problems[0].startswith("Rad 6 i bladet ”Dagordning”: ”10 februari” är inget datum")
    assert problems[1] == "Rad 7 i bladet ”Dagordning”: ärendets rubrik saknas."
    assert len(problems) == 2  # the reader stops before the meetings are matched
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()

    with pytest.raises(RowErrors) as raised:
        run(agenda([*ROWS, *rows[-2:]]), body, access, "dagordning.xlsx")
    assert raised.value.problems == [
        "Rad 6 i bladet ”Dagordning”: verksamhetsområdet ”Rymdfart” finns inte i registret.",
        "Rad 7 i bladet ”Dagordning”: samma sammanträde och ärendenummer 1 som rad 3; varje "
        "ärende ska stå en gång.",
    ]
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_an_agenda_list_without_the_columns_is_refused(body, access):
    data = agenda([("2027-02-10", "Budget")], header=("Datum", "Något annat"))
    with pytest.raises(ReadError, match="Sammanträde och Rubrik"):
        run(data, body, access, "dagordning.xlsx")


def test_two_meetings_on_one_day_need_the_time(body, access):
    f.make_meeting(body, starts_at=at(2027, 2, 10, 9))
    f.make_meeting(body, starts_at=at(2027, 2, 10, 14))
    with pytest.raises(RowErrors, match="flera sammanträden den 2027-02-10 \\(09:00, 14:00\\)"):
        run(agenda([("2027-02-10", "1", "Budget", None, None)]), body, access, "a.xlsx")
    rows = [("2027-02-10 kl. 14.00", "1", "Budget", None, None)]
    assert run(agenda(rows), body, access, "a.xlsx").created == 1
    assert Meeting.objects.get(starts_at=at(2027, 2, 10, 14)).items.count() == 1


def test_an_agenda_list_for_another_organisations_body_is_refused(body, knivsta):
    with pytest.raises(PermissionDenied):
        run(agenda(ROWS), body, Access.for_organisation(knivsta), "dagordning.xlsx")
    assert not AgendaItem.objects.exists()


# --- the command -------------------------------------------------------------------------------


def command(capsys, *args):
    code = 0
    try:
        call_command("import_meetings", *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_json_counts(body, tmp_path, capsys):
    path = tmp_path / "kalender.ics"
    path.write_bytes(two_meetings())
    args = (str(path), "--body", str(body.pk), "--organisation", "0160", "--json")
    code, out, _ = command(capsys, *args)
    assert code == 0
    assert json.loads(out) == {
        "kind": "ical",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "meetings_created": 0,
        "errors": [],
    }
    code, out, _ = command(capsys, *args)
    assert (code, json.loads(out)["unchanged"]) == (0, 2)


def test_the_command_imports_an_agenda_as_a_user(body, tmp_path, capsys, taby_editor):
    path = tmp_path / "dagordning.xlsx"
    path.write_bytes(agenda(ROWS))
    code, out, _ = command(capsys, str(path), "--body", str(body.pk), "--user", "taby-redaktor")
    assert code == 0
    assert "Ärenden: nya 3, uppdaterade 0, oförändrade 0." in out
    assert "Nya sammanträden för dagordningen: 2." in out


def test_the_command_refuses_another_organisations_body(body, tmp_path, capsys, knivsta):
    path = tmp_path / "kalender.ics"
    path.write_bytes(two_meetings())
    code, out, _ = command(
        capsys, str(path), "--body", str(body.pk), "--organisation", "0330", "--json"
    )
    assert code == 1
    assert json.loads(out)["errors"][0].startswith("Du får inte importera sammanträden")
    assert not Meeting.objects.exists()


def test_the_command_refuses_a_broken_file(body, tmp_path, capsys):
    path = tmp_path / "kalender.ics"
    path.write_bytes(calendar(event("x", None, summary="Utan start")))
    code, _, err = command(capsys, str(path), "--body", str(body.pk), "--organisation", "0160")
    assert code == 1
    assert "Händelse 1 (”Utan start”, UID x) saknar starttid (DTSTART)." in err
    assert "Ingenting sparades" in err
    path.write_bytes(b"nonsense")
    code, out, _ = command(
        capsys, str(path), "--body", str(body.pk), "--organisation", "0160", "--json"
    )
    assert code == 2
    assert "kan inte läsas" in json.loads(out)["errors"][0]
    assert not Meeting.objects.exists()


# --- the web page ------------------------------------------------------------------------------


def upload(client, body, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("importers:meeting_import", args=[body.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_the_web_page_imports_a_calendar_and_shows_the_counts(client, body, taby_editor):
    client.force_login(taby_editor)
    page = client.get(reverse("importers:meeting_import", args=[body.pk]))
    assert page.status_code == 200
    assert "Importera sammanträden för Nämnden" in page.content.decode()
    response = upload(client, body, "kalender.ics", two_meetings())
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("register:body_meetings", args=[body.pk])
    assert "Sammanträden: nya 2, uppdaterade 0, oförändrade 0." in text
    assert Meeting.objects.filter(body=body).count() == 2
    response = upload(client, body, "kalender.ics", two_meetings())
    assert "Sammanträden: nya 0, uppdaterade 0, oförändrade 2." in response.content.decode()
    response = upload(client, body, "dagordning.xlsx", agenda(ROWS))
    assert "Ärenden: nya 3, uppdaterade 0, oförändrade 0." in response.content.decode()


def test_the_web_page_shows_what_is_wrong_and_writes_nothing(client, body, taby_editor):
    client.force_login(taby_editor)
    data = calendar(event("ok", at(2027, 5, 5, 9)), event("x", None, summary="Utan start"))
    response = upload(client, body, "kalender.ics", data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Filen har fel och ingenting har sparats" in text
    assert "Händelse 2 (”Utan start”, UID x) saknar starttid (DTSTART)." in text
    response = upload(client, body, "anteckningar.txt", b"hej")
    assert "Välj organets sammanträdeskalender" in response.content.decode()
    response = upload(client, body, "kalender.ics", b"hej")
    assert "kan inte läsas som en iCalendar-fil" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_web_page_refuses_those_who_may_not_change_the_body(
    client, body, taby_reader, knivsta_editor
):
    url = reverse("importers:meeting_import", args=[body.pk])
    client.force_login(taby_reader)
    assert client.get(url).status_code == 403
    assert upload(client, body, "kalender.ics", two_meetings()).status_code == 403
    client.force_login(knivsta_editor)
    assert client.get(url).status_code == 404  # an unpublished arrangement it does not see
    body.arrangement.is_published = True
    body.arrangement.save()
    assert client.get(url).status_code == 403
    assert upload(client, body, "kalender.ics", two_meetings()).status_code == 403
    assert not Meeting.objects.exists()


def test_the_services_refuse_a_writer_who_may_not_change_the_body(body, knivsta, access):
    from register.services.meetings import agenda_item_save, meeting_save

    meeting = Meeting(body=body, starts_at=at(2027, 2, 10, 9))
    with pytest.raises(PermissionDenied):
        meeting_save(access=Access.for_organisation(knivsta), meeting=meeting)
    meeting_save(access=access, meeting=meeting, reason="Test")
    with pytest.raises(PermissionDenied):
        agenda_item_save(
            access=Access.for_organisation(knivsta), item=AgendaItem(meeting=meeting, title="X")
        )
    item = agenda_item_save(access=access, item=AgendaItem(meeting=meeting, title="X"))
    assert item.pk and meeting.history.get().history_change_reason == "Test"


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04broken"])
def test_an_unreadable_agenda_list_is_refused(body, access, data):
    with pytest.raises(ReadError):
        run(data, body, access, "dagordning.xlsx")
    assert not Meeting.objects.exists()
