"""The briefing page and PDF, and "Mina uppdrag" on the start page: who may read what (our reader
yes, the other organisation's editor in the same body no), the query budget with a long agenda
and many seats, the PDF's pages and tags, and the cost being the overview's figure (one truth)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from django.urls import reverse

from register.access import Access
from register.models import Membership, Position
from register.selectors import briefings
from register.selectors import portfolio as pf
from tests import factories as f
from tests.register.briefing_world import TODAY, make_briefing_world

pytestmark = pytest.mark.django_db

# Constant, whatever the number of seats and items: 15 before issue 24, one more since the due list
# also names the governing documents that come up for revision (register/selectors/due.py).
QUERY_BUDGET = 16


@pytest.fixture(autouse=True)
def on_the_day(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def world(shared_arrangement, taby, vaxholm):
    return make_briefing_world(shared_arrangement, taby, vaxholm)


@pytest.fixture
def vaxholm_editor(vaxholm):
    return f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")


def _url(world, person="eva", pdf=False):
    name = "register:briefing_pdf" if pdf else "register:briefing"
    return reverse(name, args=[world["meeting"].pk, world["people"][person].pk])


def _link(person, user):
    person.user = user
    person.save()


def _add_items(world, taby, n=20):
    for i in range(n):
        item = f.make_agenda_item(
            world["meeting"], number=f"§ {10 + i}", title=f"Ärende om {i}", sort_order=10 + i
        )
        f.make_position(
            item,
            taby,
            stance=Position.Stance.AMEND if i % 2 else Position.Stance.SUPPORT,
            text="Vi vill att förslaget kompletteras med en konsekvensanalys för barn och unga.",
            agreed_in=Position.AgreedIn.KSAU,
            agreed_on=dt.date(2027, 1, 20),
        )


def page_count(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


# --- who may read ----------------------------------------------------------------------------


def test_our_reader_reads_the_briefing_with_our_positions_and_cost(client, world, taby_reader):
    client.force_login(taby_reader)
    response = client.get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Föredragning inför Nämnden 2027-02-10" in html
    assert "Vi stöder förslaget om taxan höjs högst 3 procent." in html
    assert "Lägg till tillsyn av förskolor." in html
    assert "Trygg och hälsosam miljö" in html and "Vaxholms mål" not in html
    assert "Taxan slår mot hushållen." in html and "Vaxholms." not in html
    assert "Anna Berg" in html and "Kim Vik" not in html and "Bo Ström" not in html
    assert re.search(r'data-figure="briefing-cost-reference-year">1\xa0100\xa0000', html) or (
        'value="1100000"' in html
    )


def test_the_other_organisations_editor_in_the_same_body_may_not_read_our_briefing(
    client, world, vaxholm_editor
):
    client.force_login(vaxholm_editor)
    # Vaxholm takes part: it sees the meeting, but the briefing of Täby's representative is
    # Täby's own.
    assert client.get(_url(world)).status_code == 403
    assert client.get(_url(world, pdf=True)).status_code == 403
    # Its own representative's briefing says nothing of Täby's positions.
    response = client.get(_url(world, person="kim"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vi stöder förslaget" not in html and "Lägg till tillsyn" not in html
    assert "Trygg och hälsosam miljö" not in html and "Anna Berg" not in html


def test_an_editor_outside_the_arrangement_gets_404(client, world, knivsta_editor):
    client.force_login(knivsta_editor)
    assert client.get(_url(world)).status_code == 404
    assert client.get(_url(world, pdf=True)).status_code == 404


def test_a_person_without_a_seat_on_the_meeting_day_has_no_briefing_page(
    client, world, taby_reader
):
    client.force_login(taby_reader)
    assert client.get(_url(world, person="bo")).status_code == 404


# --- the start page --------------------------------------------------------------------------


def test_the_start_page_of_a_linked_representative_shows_seats_meetings_and_the_briefing(
    client, world, taby_reader
):
    _link(world["people"]["eva"], taby_reader)
    client.force_login(taby_reader)
    with_meeting = client.get(reverse("register:home")).content.decode()
    assert "Mina uppdrag" in with_meeting
    assert "Nämnden" in with_meeting
    assert _url(world) in with_meeting and _url(world, pdf=True) in with_meeting


def test_the_start_page_lists_our_positions_at_the_meetings_of_the_next_two_weeks(
    client, world, taby_reader, monkeypatch
):
    _link(world["people"]["eva"], taby_reader)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2027, 2, 1))
    client.force_login(taby_reader)
    html = client.get(reverse("register:home")).content.decode()
    assert "§ 1 Taxa för slamtömning 2028: <strong" in html
    assert "§ 3 Tillsynsplan 2027: <strong" in html and "(binder inte)" in html
    assert "§ 2 Delårsrapport:" not in html


def test_the_start_page_of_a_user_not_linked_has_no_assignments(client, world, taby_reader):
    client.force_login(taby_reader)
    assert "Mina uppdrag" not in client.get(reverse("register:home")).content.decode()


def test_the_other_organisations_representative_sees_nothing_of_ours_on_the_start_page(
    client, world, vaxholm_editor
):
    _link(world["people"]["kim"], vaxholm_editor)
    client.force_login(vaxholm_editor)
    html = client.get(reverse("register:home")).content.decode()
    assert "Mina uppdrag" in html
    # Kim's own briefing is offered, Eva's is not; Täby's positions are not counted as Kim's.
    assert _url(world, person="kim") in html
    assert _url(world) not in html
    assert "Eva Ek" not in html and "Anna Berg" not in html
    (mine,) = briefings.my_assignments(
        Access.for_user(vaxholm_editor), vaxholm_editor, today=TODAY
    ).meetings
    assert mine.position_count == 1  # Vaxholm's own position on § 1, not Täby's two
    assert mine.positions == [world["positions"]["vaxholm"]]


@pytest.mark.parametrize("role", [Membership.Role.READER, Membership.Role.EDITOR])
def test_the_start_page_stays_within_the_query_budget_with_many_seats_and_items(
    client, world, taby, role, django_assert_max_num_queries
):
    user = f.make_member(taby, role, "eva-ek")
    _link(world["people"]["eva"], user)
    _add_items(world, taby)
    for n in range(8):
        arrangement = f.make_arrangement(name=f"Förbund {n}")
        f.make_participation(arrangement, taby)
        body = f.make_body(arrangement, name=f"Direktion {n}")
        f.make_seat(body, world["people"]["eva"], taby, term_start=dt.date(2027, 1, 1))
        for d in range(3):
            meeting = f.make_meeting(
                body, starts_at=world["meeting"].starts_at + dt.timedelta(days=7 * d - 20)
            )
            for _ in range(4):
                f.make_position(f.make_agenda_item(meeting), taby)
    client.force_login(user)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("register:home"))
    assert response.status_code == 200
    assert response.content.decode().count("Föredragning inför") >= 8


# --- the briefing with a long agenda ---------------------------------------------------------


def test_the_briefing_page_stays_within_the_query_budget_with_20_items(
    client, world, taby, taby_reader, django_assert_max_num_queries
):
    _add_items(world, taby)
    client.force_login(taby_reader)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(_url(world))
    assert response.status_code == 200
    assert response.content.decode().count("konsekvensanalys") == 20


def test_the_briefing_pdf_of_20_items_is_tagged_swedish_a4_and_one_to_three_pages(
    client, world, taby, taby_reader
):
    _add_items(world, taby)
    client.force_login(taby_reader)
    response = client.get(_url(world, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert 1 <= page_count(content) <= 3
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "sv"
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Föredragning inför Nämnden" in text and "Ärende om 19" in text


def test_the_briefing_pdf_of_a_short_agenda_is_one_page(client, world, taby_reader):
    client.force_login(taby_reader)
    assert page_count(client.get(_url(world, pdf=True)).content) == 1


# --- one truth -------------------------------------------------------------------------------


def test_the_briefings_cost_is_the_overviews_figure_for_the_same_arrangement(
    client, world, taby, taby_reader, shared_arrangement
):
    access = Access.for_user(taby_reader)
    overview = pf.portfolio(access, pf.organisation_scope(taby), today=TODAY)
    (row,) = [r for r in overview.rows if r.arrangement.pk == shared_arrangement.pk]
    client.force_login(taby_reader)
    html = client.get(_url(world)).content.decode()
    (shown,) = re.findall(r'<data value="([^"]*)" data-figure="briefing-cost-reference-year"', html)
    assert int(shown) == row.cost_last_year == 1_100_000
    assert f"Vår kostnad {overview.last_year}" in html
    # The trend too: the change from the year before is the overview's.
    assert row.cost_change == 100_000 and "+100\xa0000" in html.replace("&nbsp;", "\xa0")
