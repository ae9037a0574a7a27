"""The meeting pages: a body's meetings, a meeting's agenda with our positions, the outcome that
becomes the joint body's decision, an organisation's meetings and its information log; who sees
what (our reader sees our positions and the log, an editor of another organisation in the same
body sees the meeting and its agenda but neither); bad input refused in Swedish, nothing written."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from register import versions
from register.models import (
    AgendaItem,
    Decision,
    InformationEntry,
    Meeting,
    Membership,
    Position,
)
from register.services import meetings as meeting_services
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 15)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def version(client, url) -> dict:
    page = client.get(url).content.decode()
    return {versions.FIELD: re.search(rf'name="{versions.FIELD}" value="(\d*)"', page).group(1)}


def page_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(shared_arrangement, taby, vaxholm):
    """Täby (host) and Vaxholm share a joint committee; both have seats in it. A coming meeting
    with two items: Täby's position on the first (with a secret text), Vaxholm's on the second;
    Täby's log says the position was shown to the KS presidium."""
    body = f.make_body(shared_arrangement, name="Nämnden")
    f.make_seat(body, f.make_person(organisation=taby), taby)
    f.make_seat(body, f.make_person(organisation=vaxholm), vaxholm)
    meeting = f.make_meeting(body, place="Täby kommunhus", papers_url="https://example.se/kallelse")
    first = f.make_agenda_item(
        meeting, number="5", title="Taxa för tillsyn", sort_order=1,
        document_url="https://example.se/5.pdf",
    )
    second = f.make_agenda_item(meeting, number="6", title="Verksamhetsplan", sort_order=2)
    ours = f.make_position(
        first, taby, stance=Position.Stance.OPPOSE, text="HEMLIG-TABY-LINJE",
        agreed_in=Position.AgreedIn.KSAU, agreed_on=dt.date(2027, 1, 12), agreed_by="Ordföranden",
        internal_note="HEMLIG-TABY-NOT",
    )
    theirs = f.make_position(second, vaxholm, text="VAXHOLMS-LINJE")
    entry = InformationEntry.objects.create(
        organisation=taby, kind=InformationEntry.Kind.POSITION_SHOWN,
        informed="HEMLIG-KS-PRESIDIET", informed_at=dt.datetime(2027, 1, 13, 10, tzinfo=STOCKHOLM),
        meeting=meeting, position=ours,
    )
    return {
        "arrangement": shared_arrangement, "body": body, "meeting": meeting, "first": first,
        "second": second, "ours": ours, "theirs": theirs, "entry": entry,
    }


@pytest.fixture
def vaxholm_editor(vaxholm):
    return f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")


def test_smoke(client, world, taby_editor, taby):
    client.force_login(taby_editor)
    m = world["meeting"]
    urls = [
        reverse("register:body_meetings", args=[world["body"].pk]),
        reverse("register:meeting_create", args=[world["body"].pk]),
        reverse("register:meeting_index"),
        reverse("register:meeting_detail", args=[m.pk]),
        reverse("register:meeting_update", args=[m.pk]),
        reverse("register:meeting_delete", args=[m.pk]),
        reverse("register:meeting_items", args=[m.pk]),
        reverse("register:position_create", args=[world["second"].pk]),
        reverse("register:position_update", args=[world["ours"].pk]),
        reverse("register:position_delete", args=[world["ours"].pk]),
        reverse("register:position_outcome", args=[world["ours"].pk]),
        reverse("register:organisation_meetings", args=[taby.pk]),
        reverse("register:information_log", args=[taby.pk]),
        world["arrangement"].get_absolute_url(),
        taby.get_absolute_url(),
    ]
    for url in urls:
        r = client.get(url)
        print(url, r.status_code)
        open("/tmp/mt/" + url.strip("/").replace("/", "_") + ".html", "w").write(page_of(r))
