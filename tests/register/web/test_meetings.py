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
        meeting,
        number="5",
        title="Taxa för tillsyn",
        sort_order=1,
        document_url="https://example.se/5.pdf",
    )
    second = f.make_agenda_item(meeting, number="6", title="Verksamhetsplan", sort_order=2)
    ours = f.make_position(
        first,
        taby,
        stance=Position.Stance.OPPOSE,
        text="HEMLIG-TABY-LINJE",
        agreed_in=Position.AgreedIn.KSAU,
        agreed_on=dt.date(2027, 1, 12),
        agreed_by="Ordföranden",
        internal_note="HEMLIG-TABY-NOT",
    )
    theirs = f.make_position(second, vaxholm, text="VAXHOLMS-LINJE")
    entry = InformationEntry.objects.create(
        organisation=taby,
        kind=InformationEntry.Kind.POSITION_SHOWN,
        informed="HEMLIG-KS-PRESIDIET",
        informed_at=dt.datetime(2027, 1, 13, 10, tzinfo=STOCKHOLM),
        meeting=meeting,
        position=ours,
    )
    return {
        "arrangement": shared_arrangement,
        "body": body,
        "meeting": meeting,
        "first": first,
        "second": second,
        "ours": ours,
        "theirs": theirs,
        "entry": entry,
    }


@pytest.fixture
def vaxholm_editor(vaxholm):
    return f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")


def meeting_url(world) -> str:
    return reverse("register:meeting_detail", args=[world["meeting"].pk])


# --- Who sees what -----------------------------------------------------------------------------


def test_our_reader_sees_our_position_its_outcome_and_the_log(client, world, taby, taby_reader):
    meeting_services.position_outcome_record(
        access=None,
        position=world["ours"],
        outcome=Position.Outcome.OTHERWISE,
        outcome_note="UTFALLS-TEXT",
    )
    client.force_login(taby_reader)
    page = page_of(client.get(meeting_url(world)))
    assert "HEMLIG-TABY-LINJE" in page
    assert "Avslag" in page
    assert "Kommunstyrelsens arbetsutskott 2027-01-12 av Ordföranden" in page
    assert "Gäller alla våra företrädare" in page
    assert "Annat beslut" in page and "UTFALLS-TEXT" in page
    # Vaxholm's unpublished position is Vaxholm's.
    assert "VAXHOLMS-LINJE" not in page
    # A reader changes nothing.
    assert reverse("register:position_update", args=[world["ours"].pk]) not in page
    assert reverse("register:position_create", args=[world["second"].pk]) not in page
    log = client.get(reverse("register:information_log", args=[taby.pk]))
    assert log.status_code == 200
    assert "HEMLIG-KS-PRESIDIET" in page_of(log)
    assert 'name="informed"' not in page_of(log)  # no form for a reader
    listing = page_of(client.get(reverse("register:organisation_meetings", args=[taby.pk])))
    assert meeting_url(world) in listing and "Ställnings" in listing


def test_an_editor_of_another_organisation_in_the_body_sees_the_agenda_but_not_our_positions(
    client, world, taby, vaxholm_editor
):
    client.force_login(vaxholm_editor)
    response = client.get(meeting_url(world))
    assert response.status_code == 200
    page = page_of(response)
    assert "Taxa för tillsyn" in page and "Verksamhetsplan" in page
    assert "https://example.se/5.pdf" in page
    assert "VAXHOLMS-LINJE" in page  # their own
    for secret in ("HEMLIG-TABY-LINJE", "HEMLIG-TABY-NOT", "HEMLIG-KS-PRESIDIET", "Avslag"):
        assert secret not in page
    # They may record their own position on the first item, where only Täby has one.
    assert reverse("register:position_create", args=[world["first"].pk]) in page
    ours = world["ours"].pk
    for name in ("position_update", "position_outcome", "position_delete"):
        assert client.get(reverse(f"register:{name}", args=[ours])).status_code == 404
    assert client.get(reverse("register:information_log", args=[taby.pk])).status_code == 403
    listing = page_of(client.get(reverse("register:organisation_meetings", args=[taby.pk])))
    assert meeting_url(world) in listing
    assert "Ställnings" not in listing  # no count of our positions
    body_page = page_of(client.get(reverse("register:body_meetings", args=[world["body"].pk])))
    assert meeting_url(world) in body_page


def test_a_published_position_on_a_published_arrangement_is_seen_by_the_other_organisation(
    client, world, vaxholm_editor
):
    client.force_login(vaxholm_editor)
    Position.objects.filter(pk=world["ours"].pk).update(is_published=True)
    # Not before the arrangement is published.
    assert "HEMLIG-TABY-LINJE" not in page_of(client.get(meeting_url(world)))
    type(world["arrangement"]).objects.filter(pk=world["arrangement"].pk).update(is_published=True)
    client.force_login(vaxholm_editor)
    page = page_of(client.get(meeting_url(world)))
    assert "HEMLIG-TABY-LINJE" in page
    assert "HEMLIG-TABY-NOT" not in page


def test_an_organisation_outside_the_arrangement_sees_no_meeting(client, world, knivsta_editor):
    client.force_login(knivsta_editor)
    assert client.get(meeting_url(world)).status_code == 404
    url = reverse("register:body_meetings", args=[world["body"].pk])
    assert client.get(url).status_code == 404


def test_the_arrangement_and_the_organisation_link_to_the_meetings(
    client, world, taby, taby_reader
):
    client.force_login(taby_reader)
    arrangement_page = page_of(client.get(world["arrangement"].get_absolute_url()))
    assert reverse("register:body_meetings", args=[world["body"].pk]) in arrangement_page
    organisation_page = page_of(client.get(taby.get_absolute_url()))
    assert reverse("register:organisation_meetings", args=[taby.pk]) in organisation_page
    assert reverse("register:information_log", args=[taby.pk]) in organisation_page


def test_the_meeting_index_goes_to_the_members_organisation(client, world, taby, taby_reader):
    client.force_login(taby_reader)
    response = client.get(reverse("register:meeting_index"))
    assert response["Location"] == reverse("register:organisation_meetings", args=[taby.pk])


def test_past_meetings_are_listed_apart(client, world, taby, taby_reader):
    old = f.make_meeting(world["body"], starts_at=dt.datetime(2026, 11, 3, 9, tzinfo=STOCKHOLM))
    client.force_login(taby_reader)
    url = reverse("register:organisation_meetings", args=[taby.pk])
    coming = page_of(client.get(url))
    past = page_of(client.get(url, {"visa": "tidigare"}))
    assert old.get_absolute_url() not in coming and meeting_url(world) in coming
    assert old.get_absolute_url() in past and meeting_url(world) not in past
    body_page = page_of(client.get(reverse("register:body_meetings", args=[world["body"].pk])))
    assert body_page.index(meeting_url(world)) < body_page.index(old.get_absolute_url())


# --- Meetings ----------------------------------------------------------------------------------


def meeting_data(**changes) -> dict:
    data = {
        "title": "Nämndens sammanträde",
        "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-10T12:00",
        "place": "Vaxholms stadshus",
        "status": "planned",
        "papers_url": "https://example.se/mars",
        "internal_note": "",
    }
    return data | changes


def test_an_editor_creates_a_meeting(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_create", args=[world["body"].pk])
    response = client.post(url, meeting_data())
    meeting = Meeting.objects.get(title="Nämndens sammanträde")
    assert response.status_code == 302
    assert meeting.body == world["body"]
    assert meeting.starts_at == dt.datetime(2027, 3, 10, 9, tzinfo=STOCKHOLM)
    assert meeting.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2027-03-10T08:00"}, "Sammanträdet kan inte sluta innan det börjar."),
        ({"starts_at": "den tionde"}, "Ange datum och klockslag"),
        ({"starts_at": ""}, "Detta fält måste fyllas i."),
        ({"papers_url": "inte en adress"}, "Fyll i en giltig URL."),
        ({"status": "kanske"}, "Välj ett giltigt alternativ."),
    ],
)
def test_a_bad_meeting_is_refused_in_swedish_and_nothing_is_written(
    client, world, taby_editor, changes, message
):
    client.force_login(taby_editor)
    url = reverse("register:meeting_create", args=[world["body"].pk])
    before = Meeting.objects.count()
    response = client.post(url, meeting_data(**changes))
    assert response.status_code == 200
    assert message in page_of(response)
    assert Meeting.objects.count() == before


def test_an_editor_changes_a_meeting(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_update", args=[world["meeting"].pk])
    response = client.post(url, meeting_data(status="cancelled") | version(client, url))
    assert response.status_code == 302
    world["meeting"].refresh_from_db()
    assert world["meeting"].status == Meeting.Status.CANCELLED


def test_a_meeting_with_another_organisations_position_is_not_deleted(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_delete", args=[world["meeting"].pk])
    response = client.post(url, version(client, url) if client.get(url).status_code == 200 else {})
    assert response.status_code == 403
    assert "annan organisation" in page_of(response)
    assert Meeting.objects.filter(pk=world["meeting"].pk).exists()


def test_an_editor_deletes_a_meeting_with_only_our_positions(client, world, taby_editor):
    world["theirs"].delete()
    client.force_login(taby_editor)
    url = reverse("register:meeting_delete", args=[world["meeting"].pk])
    response = client.post(url, version(client, url))
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=world["meeting"].pk).exists()
    assert not Position.objects.exists() and not InformationEntry.objects.exists()


# --- The agenda --------------------------------------------------------------------------------


def formset_data(rows: list[dict], *, initial: int, prefix: str = "items") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = "" if value is None else value
    return data


def item_row(item: AgendaItem, **changes) -> dict:
    row = {
        "id": item.pk,
        "meeting": item.meeting_id,
        "number": item.number,
        "title": item.title,
        "service_area": item.service_area_id or "",
        "document_url": item.document_url,
        "sort_order": item.sort_order,
    }
    return row | changes


def agenda_prefix(client, url) -> str:
    page = page_of(client.get(url))
    return re.search(r'name="([\w-]+)-TOTAL_FORMS"', page).group(1)


def test_the_agenda_is_added_to_and_reordered(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_items", args=[world["meeting"].pk])
    prefix = agenda_prefix(client, url)
    area = world["arrangement"].service_areas.first()
    rows = [
        item_row(world["first"], sort_order=3),
        item_row(world["second"], sort_order=1),
        {
            "meeting": world["meeting"].pk,
            "number": "7",
            "title": "Ny taxa",
            "sort_order": 2,
            "service_area": area.pk,
            "document_url": "https://example.se/7.pdf",
        },
    ]
    response = client.post(url, formset_data(rows, initial=2, prefix=prefix) | version(client, url))
    assert response.status_code == 302, page_of(response)
    titles = list(world["meeting"].items.order_by("sort_order").values_list("title", flat=True))
    assert titles == ["Verksamhetsplan", "Ny taxa", "Taxa för tillsyn"]
    page = page_of(client.get(meeting_url(world)))
    assert page.index("Verksamhetsplan") < page.index("Ny taxa") < page.index("Taxa för tillsyn")
    assert area.name in page and "https://example.se/7.pdf" in page


def test_the_same_number_twice_is_refused_and_nothing_is_written(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_items", args=[world["meeting"].pk])
    prefix = agenda_prefix(client, url)
    rows = [
        item_row(world["first"], title="Ändrad rubrik"),
        item_row(world["second"], number="5"),
    ]
    response = client.post(url, formset_data(rows, initial=2, prefix=prefix) | version(client, url))
    assert response.status_code == 200
    assert "Samma nummer finns på flera rader" in page_of(response)
    world["first"].refresh_from_db()
    assert world["first"].title == "Taxa för tillsyn"


def test_an_item_with_another_organisations_position_is_not_deleted(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:meeting_items", args=[world["meeting"].pk])
    prefix = agenda_prefix(client, url)
    rows = [item_row(world["first"]), item_row(world["second"], DELETE="on")]
    response = client.post(url, formset_data(rows, initial=2, prefix=prefix) | version(client, url))
    assert response.status_code == 200
    assert "en annan organisation har registrerat sitt ställningstagande" in page_of(response)
    assert AgendaItem.objects.filter(pk=world["second"].pk).exists()


# --- Our position ------------------------------------------------------------------------------


def position_data(org, **changes) -> dict:
    data = {
        "organisation": org.pk,
        "stance": "amend",
        "text": "Taxan ska sänkas med tio procent.",
        "binding": "on",
        "agreed_in": "with_opposition",
        "agreed_on": "2027-01-14",
        "agreed_by": "Gruppledarna",
        "internal_note": "",
    }
    return data | changes


def test_an_editor_records_our_position_and_our_reader_sees_it(
    client, world, taby, taby_editor, taby_reader
):
    client.force_login(taby_editor)
    url = reverse("register:position_create", args=[world["second"].pk])
    response = client.post(url, position_data(taby))
    assert response.status_code == 302
    position = Position.objects.get(item=world["second"], organisation=taby)
    assert position.stance == Position.Stance.AMEND
    assert position.agreed_in == Position.AgreedIn.WITH_OPPOSITION
    assert position.agreed_on == dt.date(2027, 1, 14) and position.binding
    client.force_login(taby_reader)
    page = page_of(client.get(meeting_url(world)))
    assert "Taxan ska sänkas med tio procent." in page
    assert "Ändringsyrkande" in page
    assert "Beredning tillsammans med oppositionen 2027-01-14 av Gruppledarna" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stance": ""}, "Detta fält måste fyllas i."),
        ({"stance": "kanske"}, "Välj ett giltigt alternativ."),
        ({"agreed_on": "igår"}, "Fyll i ett giltigt datum."),
        ({"agreed_in": "stammen"}, "Välj ett giltigt alternativ."),
    ],
)
def test_a_bad_position_is_refused_in_swedish_and_nothing_is_written(
    client, world, taby, taby_editor, changes, message
):
    client.force_login(taby_editor)
    url = reverse("register:position_create", args=[world["second"].pk])
    response = client.post(url, position_data(taby, **changes))
    assert response.status_code == 200
    assert message in page_of(response)
    assert not Position.objects.filter(item=world["second"], organisation=taby).exists()


def test_a_second_position_of_the_same_organisation_is_refused(client, world, taby, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:position_create", args=[world["first"].pk])
    response = client.post(url, position_data(taby))
    assert response.status_code == 200
    assert "Organisationen har redan ett ställningstagande i ärendet." in page_of(response)
    assert Position.objects.filter(item=world["first"], organisation=taby).count() == 1


def test_a_position_is_not_recorded_for_another_organisation(client, world, vaxholm, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:position_create", args=[world["first"].pk])
    response = client.post(url, position_data(vaxholm))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in page_of(response)
    assert Position.objects.filter(item=world["first"]).count() == 1


def test_an_editor_changes_and_publishes_our_position(client, world, taby, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:position_update", args=[world["ours"].pk])
    data = position_data(
        taby, stance="support", binding="", is_published="on", public_summary="Vi sa ja."
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 302
    world["ours"].refresh_from_db()
    assert world["ours"].stance == Position.Stance.SUPPORT and not world["ours"].binding
    assert world["ours"].is_published and world["ours"].public_summary == "Vi sa ja."


# --- The outcome and the joint body's decision -------------------------------------------------


def outcome_data(**changes) -> dict:
    data = {
        "outcome": "as_wanted",
        "outcome_note": "Taxan sänktes.",
        "register_decision": "on",
        "decision_title": "Ny taxa för tillsyn",
        "decision_date": "2027-02-10",
        "decision_reference": "§ 5",
        "decision_kind": Decision.Kind.OTHER,
        "decision_summary": "Nämnden sänkte taxan.",
        "decision_url": "https://example.se/protokoll.pdf",
        "public_summary": "Vi ville sänka taxan, och det blev så.",
        "is_published": "on",
    }
    return data | changes


def test_the_outcome_becomes_a_decision_on_the_arrangement(client, world, taby_editor, taby_reader):
    client.force_login(taby_editor)
    url = reverse("register:position_outcome", args=[world["ours"].pk])
    response = client.post(url, outcome_data() | version(client, url))
    assert response.status_code == 302, page_of(response)
    position = Position.objects.get(pk=world["ours"].pk)
    assert position.outcome == Position.Outcome.AS_WANTED
    assert position.outcome_note == "Taxan sänktes."
    assert position.is_published
    decision = position.decision
    assert decision.arrangement == world["arrangement"]
    assert decision.body == world["body"] and decision.organisation is None
    assert decision.title == "Ny taxa för tillsyn" and decision.reference == "§ 5"
    assert decision.date == dt.date(2027, 2, 10)
    client.force_login(taby_reader)
    page = page_of(client.get(meeting_url(world)))
    assert "Som vi ville" in page and decision.get_absolute_url() in page
    arrangement_page = page_of(client.get(world["arrangement"].get_absolute_url()))
    assert "Ny taxa för tillsyn" in arrangement_page
    # A second outcome does not make a second decision.
    client.force_login(taby_editor)
    response = client.post(url, outcome_data(outcome="otherwise") | version(client, url))
    assert response.status_code == 302
    assert Decision.objects.filter(title="Ny taxa för tillsyn").count() == 1


def test_an_outcome_without_a_decision_makes_none(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:position_outcome", args=[world["ours"].pk])
    before = Decision.objects.count()
    data = outcome_data(outcome="postponed", register_decision="")
    response = client.post(url, data | version(client, url))
    assert response.status_code == 302
    world["ours"].refresh_from_db()
    assert world["ours"].outcome == Position.Outcome.POSTPONED
    assert world["ours"].decision is None
    assert Decision.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": ""}, "Detta fält måste fyllas i."),
        ({"decision_title": ""}, "Ange beslutets rubrik."),
        ({"decision_date": ""}, "Ange beslutsdatum."),
        ({"decision_date": "snart"}, "Fyll i ett giltigt datum."),
        ({"decision_url": "inte en adress"}, "Fyll i en giltig URL."),
    ],
)
def test_a_bad_outcome_is_refused_in_swedish_and_nothing_is_written(
    client, world, taby_editor, changes, message
):
    client.force_login(taby_editor)
    url = reverse("register:position_outcome", args=[world["ours"].pk])
    before = Decision.objects.count()
    response = client.post(url, outcome_data(**changes) | version(client, url))
    assert response.status_code == 200
    assert message in page_of(response)
    world["ours"].refresh_from_db()
    assert world["ours"].outcome == "" and world["ours"].decision is None
    assert Decision.objects.count() == before


def test_a_decision_that_cannot_be_saved_leaves_the_outcome_unwritten(client, world, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:position_outcome", args=[world["ours"].pk])
    before = Decision.objects.count()
    response = client.post(url, outcome_data(decision_title="x" * 301) | version(client, url))
    assert response.status_code == 200
    world["ours"].refresh_from_db()
    assert world["ours"].outcome == ""
    assert Decision.objects.count() == before


# --- The information log -----------------------------------------------------------------------


def log_data(**changes) -> dict:
    data = {
        "kind": "position_shown",
        "informed": "Kommunstyrelsens presidium",
        "informed_at": "2027-01-14T08:30",
        "meeting": "",
        "position": "",
        "note": "Visades på presidiets möte.",
    }
    return data | changes


def test_an_editor_logs_that_a_position_was_shown(client, world, taby, taby_editor, taby_reader):
    client.force_login(taby_editor)
    url = reverse("register:information_log", args=[taby.pk])
    form_page = page_of(client.get(url, {"stallningstagande": world["ours"].pk}))
    assert f'value="{world["ours"].pk}" selected' in form_page
    response = client.post(url, log_data(position=world["ours"].pk))
    assert response.status_code == 302
    entry = InformationEntry.objects.get(informed="Kommunstyrelsens presidium")
    assert entry.meeting == world["meeting"]  # taken from the position
    assert entry.recorded_by == taby_editor
    assert entry.informed_at == dt.datetime(2027, 1, 14, 8, 30, tzinfo=STOCKHOLM)
    client.force_login(taby_reader)
    assert "Kommunstyrelsens presidium" in page_of(client.get(url))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"informed": ""}, "Detta fält måste fyllas i."),
        ({"kind": "rykte"}, "Välj ett giltigt alternativ."),
        ({"informed_at": "i morse"}, "Ange datum och klockslag"),
    ],
)
def test_a_bad_log_entry_is_refused_in_swedish_and_nothing_is_written(
    client, world, taby, taby_editor, changes, message
):
    client.force_login(taby_editor)
    url = reverse("register:information_log", args=[taby.pk])
    response = client.post(url, log_data(**changes))
    assert response.status_code == 200
    assert message in page_of(response)
    assert InformationEntry.objects.count() == 1


def test_a_log_entry_about_another_meeting_than_the_positions_is_refused(
    client, world, taby, taby_editor
):
    other = f.make_meeting(world["body"], starts_at=dt.datetime(2027, 3, 1, 9, tzinfo=STOCKHOLM))
    client.force_login(taby_editor)
    url = reverse("register:information_log", args=[taby.pk])
    response = client.post(url, log_data(meeting=other.pk, position=world["ours"].pk))
    assert response.status_code == 200
    assert "Ställningstagandet gäller ett annat sammanträde än det valda." in page_of(response)
    assert InformationEntry.objects.count() == 1


def test_another_organisations_position_cannot_be_logged(client, world, taby, taby_editor):
    client.force_login(taby_editor)
    url = reverse("register:information_log", args=[taby.pk])
    response = client.post(url, log_data(position=world["theirs"].pk))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in page_of(response)
    assert InformationEntry.objects.count() == 1


def test_a_reader_cannot_add_to_the_log(client, world, taby, taby_reader):
    client.force_login(taby_reader)
    response = client.post(reverse("register:information_log", args=[taby.pk]), log_data())
    assert response.status_code == 403
    assert InformationEntry.objects.count() == 1


# --- A fixed number of queries -----------------------------------------------------------------

MAX_QUERIES = 15


@pytest.fixture
def busy(world, taby, vaxholm):
    """Three bodies with several meetings each; the world's meeting has 20 items with positions
    of Täby and Vaxholm on each, decisions on some, and a log of 30 entries."""
    arrangement, meeting = world["arrangement"], world["meeting"]
    area = arrangement.service_areas.first()
    bodies = [world["body"], f.make_body(arrangement, name="Presidiet")]
    other = f.make_arrangement(name="Annan samverkan")
    f.make_participation(other, taby)
    f.make_participation(other, vaxholm)
    bodies.append(f.make_body(other, name="Direktion"))
    for body in bodies:
        for day in range(1, 6):
            m = f.make_meeting(body, starts_at=dt.datetime(2027, 3, day, 9, tzinfo=STOCKHOLM))
            f.make_agenda_item(m)
            f.make_meeting(body, starts_at=dt.datetime(2026, 10, day, 9, tzinfo=STOCKHOLM))
    for n in range(3, 21):
        item = f.make_agenda_item(
            meeting,
            number=str(n + 4),
            sort_order=n,
            service_area=area,
            document_url=f"https://example.se/{n}.pdf",
        )
        taby_position = f.make_position(item, taby, agreed_in="ks", internal_note="not")
        f.make_position(item, vaxholm, is_published=True)
        if n % 3 == 0:
            meeting_services.position_outcome_record(
                access=None,
                position=taby_position,
                outcome="as_wanted",
                decision={"title": f"Beslut {n}"},
            )
    f.make_position(world["second"], taby)
    for n in range(30):
        InformationEntry.objects.create(
            organisation=taby,
            kind="other",
            informed=f"Grupp {n}",
            informed_at=dt.datetime(2027, 1, 1, 9, tzinfo=STOCKHOLM) + dt.timedelta(hours=n),
            meeting=meeting,
            position=world["ours"] if n % 2 else None,
        )
    return world


@pytest.mark.parametrize("who", ["taby_editor", "taby_reader", "vaxholm_editor", "admin_user"])
def test_the_meeting_pages_run_a_fixed_number_of_queries(
    client, busy, taby, who, request, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    meeting, body = busy["meeting"], busy["body"]
    pages = [
        reverse("register:meeting_detail", args=[meeting.pk]),
        reverse("register:body_meetings", args=[body.pk]),
        reverse("register:organisation_meetings", args=[taby.pk]),
        reverse("register:organisation_meetings", args=[taby.pk]) + "?visa=tidigare",
    ]
    if who in ("taby_editor", "taby_reader", "admin_user"):
        pages.append(reverse("register:information_log", args=[taby.pk]))
    if who in ("taby_editor", "admin_user"):
        pages += [
            reverse("register:meeting_update", args=[meeting.pk]),
            reverse("register:meeting_items", args=[meeting.pk]),
            reverse("register:meeting_create", args=[body.pk]),
            reverse("register:position_update", args=[busy["ours"].pk]),
            reverse("register:position_outcome", args=[busy["ours"].pk]),
            reverse("register:position_create", args=[busy["second"].pk]),
        ]
    for url in pages:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url


def test_a_member_of_two_organisations_sees_the_coming_meetings_of_both(
    client, world, taby, knivsta, django_assert_max_num_queries
):
    user = f.make_member(taby, Membership.Role.READER, "dubbel")
    Membership.objects.create(user=user, organisation=knivsta, role=Membership.Role.EDITOR)
    elsewhere = f.make_arrangement(name="Knivstas samverkan")
    f.make_participation(elsewhere, knivsta)
    theirs = f.make_meeting(f.make_body(elsewhere, name="Knivstas direktion"))
    old = f.make_meeting(world["body"], starts_at=dt.datetime(2026, 11, 3, 9, tzinfo=STOCKHOLM))
    unseen = f.make_meeting(f.make_body(f.make_arrangement(name="Främmande"), name="Främmande"))
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("register:meeting_index"))
    page = page_of(response)
    assert meeting_url(world) in page and theirs.get_absolute_url() in page
    assert old.get_absolute_url() not in page and unseen.get_absolute_url() not in page
    assert reverse("register:organisation_meetings", args=[knivsta.pk]) in page


def test_the_outcome_is_asked_for_from_the_meetings_day(client, world, taby_editor, monkeypatch):
    client.force_login(taby_editor)
    outcome = reverse("register:position_outcome", args=[world["ours"].pk])
    assert outcome not in page_of(client.get(meeting_url(world)))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2027, 2, 10))
    assert outcome in page_of(client.get(meeting_url(world)))
