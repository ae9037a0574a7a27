"""Our voice in a joint body, the whole cycle in a real browser (issue 20): import the body's
meeting calendar, add an agenda item, record our position, read and download the briefing,
record the outcome that becomes the body's decision on the arrangement, and see it all as the
organisation's reader (the opposition leader's role); the other member's editor sees none of it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest

from register import rules
from register.models import Decision, Membership, Position
from tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-test-12345"


def meeting_calendar(starts: dt.datetime) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Roslagsvatten//Sammanträden//SV")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "direktionen-1@example.org")
    event.add("summary", "Direktionens sammanträde")
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(hours=2))
    event.add("location", "Kommunhuset, Täby")
    cal.add_component(event)
    return cal.to_ical()


def login(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/logga-in/" not in page.url


def test_import_agenda_position_briefing_outcome_and_the_reader(
    live_server, page, browser, tmp_path
):
    taby, vaxholm = f.municipality("0160"), f.municipality("0187")
    f.make_member(taby, Membership.Role.EDITOR, "registrator")
    f.make_member(taby, Membership.Role.READER, "oppositionen")
    f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")
    a = f.make_arrangement(name="Vattenförbundet", host=taby)
    f.make_participation(a, taby, role="host")
    f.make_participation(a, vaxholm)
    body = f.make_body(a, name="Direktionen")
    anna = f.make_person(name="Anna Ek", organisation=taby)
    f.make_seat(body, anna, taby)
    f.make_seat(body, f.make_person(name="Bo Ström", organisation=vaxholm), vaxholm)

    # The body's meeting calendar: one meeting ten days ahead.
    starts = dt.datetime.combine(
        rules.today() + dt.timedelta(days=10), dt.time(9), ZoneInfo("Europe/Stockholm")
    )
    ics = tmp_path / "direktionen.ics"
    ics.write_bytes(meeting_calendar(starts))

    login(page, live_server, "registrator")
    page.goto(f"{live_server.url}/organ/{body.pk}/sammantraden/")
    page.get_by_role("link", name="Importera kalender eller dagordning").click()
    page.locator("input[type=file]").set_input_files(str(ics))
    page.get_by_role("button", name="Importera").click()
    page.wait_for_url(re.compile(rf"/organ/{body.pk}/sammantraden/$"))
    assert "Sammanträden: nya 1, uppdaterade 0, oförändrade 0." in page.content()

    # Add an agenda item.
    page.get_by_role("link", name=re.compile("Direktionens sammanträde")).first.click()
    page.wait_for_url(re.compile(r"/sammantraden/\d+/$"))
    meeting_url = page.url
    at_meeting = re.compile(re.escape(meeting_url) + r"(#.*)?$")
    page.get_by_role("link", name="Redigera dagordningen").first.click()
    page.locator("input[name$='-0-number']").fill("5")
    page.locator("input[name$='-0-title']").fill("Taxa för vatten och avlopp 2027")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(at_meeting)
    assert "Taxa för vatten och avlopp 2027" in page.content()

    # Record our position.
    page.get_by_role("link", name=re.compile("Registrera vårt ställningstagande")).click()
    page.get_by_label("Ståndpunkt").select_option(label="Ändringsyrkande")
    page.get_by_label("Vad vi vill").fill("Höjningen ska fasas in över två år.")
    page.get_by_label("Förankrad i").select_option(index=1)
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(at_meeting)
    assert "Höjningen ska fasas in över två år." in page.content()

    # Read the briefing and download its PDF.
    page.get_by_role("link", name="Föredragning för Anna Ek").click()
    assert "Höjningen ska fasas in över två år." in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # After the meeting: mark it held, record the outcome and the body's decision.
    page.goto(meeting_url)
    page.get_by_role("link", name="Ändra sammanträdet").click()
    page.get_by_label("Status").select_option(label="Genomfört")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(at_meeting)
    page.get_by_role("link", name=re.compile("Registrera utfall")).click()
    page.get_by_label(re.compile(r"^Utfall")).select_option(label="Som vi ville")
    page.get_by_label("Registrera organets beslut på samverkan").check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(at_meeting)
    position = Position.objects.get()
    decision = Decision.objects.get(arrangement=a)
    assert position.outcome == Position.Outcome.AS_WANTED and position.decision == decision

    # The decision is on the arrangement.
    page.goto(f"{live_server.url}{a.get_absolute_url()}")
    assert decision.title in page.content()

    # The organisation's reader sees the position, the outcome and the briefing.
    reader = browser.new_context().new_page()
    login(reader, live_server, "oppositionen")
    reader.goto(meeting_url)
    text = reader.content()
    assert "Höjningen ska fasas in över två år." in text and "Som vi ville" in text
    reader.get_by_role("link", name="Föredragning för Anna Ek").click()
    assert "Höjningen ska fasas in över två år." in reader.content()

    # Vaxholm's editor shares the body: the meeting yes, our position and briefing no.
    other = browser.new_context().new_page()
    login(other, live_server, "vaxholm-redaktor")
    other.goto(meeting_url)
    assert "Taxa för vatten och avlopp 2027" in other.content()
    assert "Höjningen ska fasas in" not in other.content()
    assert other.get_by_role("link", name="Föredragning för Anna Ek").count() == 0
    response = other.goto(
        f"{live_server.url}/sammantraden/{position.item.meeting_id}/foredragning/{anna.pk}/"
    )
    assert response.status in (403, 404)
