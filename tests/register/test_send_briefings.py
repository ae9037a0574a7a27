"""``manage.py send_briefings``: each representative with an e-mail address and a planned meeting
within ``--days`` gets the briefing PDF by e-mail (Django's locmem backend), the sending is logged
in the organisation's information log, and the same briefing is never sent twice: only a change
to the agenda or our positions sends it again."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from register.models import InformationEntry, Meeting, Position
from tests import factories as f
from tests.register.briefing_world import make_briefing_world

pytestmark = pytest.mark.django_db

# The meeting is on 2027-02-10: seven days ahead of this day, it is within the default --days.
DAY = "2027-02-03"


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(shared_arrangement, taby, vaxholm):
    w = make_briefing_world(shared_arrangement, taby, vaxholm)
    for name, address in [("eva", "eva.ek@taby.se"), ("kim", "kim.vik@vaxholm.se")]:
        person = w["people"][name]
        person.email = address
        person.save()
    return w  # Anna Berg, the chair, has no address


def send(*extra):
    out = io.StringIO()
    call_command("send_briefings", "--date", DAY, *extra, stdout=out)
    return out.getvalue()


def test_each_representative_with_an_address_gets_their_own_organisations_briefing(world):
    output = send()
    assert "2 föredragningar skickade" in output
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"eva.ek@taby.se", "kim.vik@vaxholm.se"}
    eva = by_address["eva.ek@taby.se"]
    assert eva.subject == "Föredragning inför Nämnden 2027-02-10"
    assert "Täby kommuns ståndpunkter (2 av 3 ärenden)" in eva.body
    ((name, content, mimetype),) = eva.attachments
    assert mimetype == "application/pdf" and name.startswith("foredragning-")
    assert name.endswith(".pdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert 1 <= len(reader.pages) <= 3
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Vi stöder förslaget" in text
    # Vaxholm's representative gets Vaxholm's briefing: none of Täby's positions or goals.
    ((_, theirs, _),) = by_address["kim.vik@vaxholm.se"].attachments
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(theirs)).pages)
    assert "Vi stöder förslaget" not in text and "Trygg och hälsosam miljö" not in text


def test_each_sending_is_logged_in_the_organisations_information_log(world, taby, vaxholm):
    send()
    entries = InformationEntry.objects.filter(kind=InformationEntry.Kind.BRIEFING_SENT)
    assert {(e.organisation, e.person, e.meeting) for e in entries} == {
        (taby, world["people"]["eva"], world["meeting"]),
        (vaxholm, world["people"]["kim"], world["meeting"]),
    }
    eva = entries.get(person=world["people"]["eva"])
    assert eva.informed == "Eva Ek" and "eva.ek@taby.se" in eva.note


def test_the_same_briefing_is_not_sent_twice(world):
    send()
    mail.outbox.clear()
    output = send()
    assert mail.outbox == []
    assert "0 föredragningar skickade" in output and "2 redan skickade och oförändrade" in output
    assert InformationEntry.objects.count() == 2


def test_a_changed_position_sends_the_briefing_again_to_that_organisations_representatives(
    world, taby
):
    send()
    mail.outbox.clear()
    position = world["positions"]["amend"]
    position.stance = Position.Stance.OPPOSE
    position.save()
    output = send()
    (message,) = mail.outbox
    assert message.to == ["eva.ek@taby.se"]
    assert message.subject == "Ändrad föredragning: Föredragning inför Nämnden 2027-02-10"
    assert "har ändrats" in message.body
    assert "1 föredragningar skickade (1 ändrade" in output
    # A new agenda item changes every organisation's briefing.
    mail.outbox.clear()
    f.make_agenda_item(world["meeting"], number="§ 4", title="Övriga frågor", sort_order=4)
    send()
    assert {m.to[0] for m in mail.outbox} == {"eva.ek@taby.se", "kim.vik@vaxholm.se"}


def test_only_planned_meetings_within_the_days_are_briefed(world):
    assert "0 föredragningar" in send("--days", "6")  # the meeting is 7 days ahead
    assert mail.outbox == []
    meeting = world["meeting"]
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert "0 föredragningar" in send("--days", "7")
    assert mail.outbox == []


def test_a_dry_run_lists_and_sends_nothing(world):
    output = send("--dry-run")
    assert "Skulle skicka: Föredragning inför Nämnden 2027-02-10 till eva.ek@taby.se" in output
    assert mail.outbox == [] and not InformationEntry.objects.exists()


def test_a_bad_date_is_refused_in_swedish(world):
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("send_briefings", "--date", "3 februari")
