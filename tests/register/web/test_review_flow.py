"""The review workflow, the dashboard, readiness, the pack, the calendar feed and reminders, as
pages (time fixed by patching the views' today)."""

import datetime as dt
import re

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from register.access import Access
from register.models import (
    Alternative,
    CalendarToken,
    Decision,
    GoalConflict,
    Membership,
    Review,
    ReviewItem,
)
from register.rules import format_kronor
from register.selectors.due import due_rows
from register.web import review_flow
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)
MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("register.web.review_flow._today", lambda: TODAY)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def portfolio(taby, vaxholm):
    """Five Täby arrangements with costs, evaluations, goals, seats and deadlines."""
    owner = f.make_person(name="Eva Ek", organisation=taby, email="eva@example.se")
    goal = f.make_goal(organisation=taby, title="Trygg kommun")
    arrangements = []
    for n in range(5):
        a = f.make_arrangement(
            name=f"Samverkan {n}", host=taby, end_date=D(2027, 6, 30), notice_months=6
        )
        p = f.make_participation(a, taby, admin_owner=owner, cost_share=40)
        f.make_participation(a, vaxholm, cost_share=60)
        f.make_cost(p, year=2025, outcome=1_000_000 + n)
        f.make_cost(p, year=2026, outcome=None, forecast=1_200_000 + n)
        f.make_evaluation(a, organisation=taby, date=D(2024, 1, 1), recommendation="develop")
        a.contributions.create(goal=goal)
        body = f.make_body(a)
        f.make_seat(body, f.make_person(), taby, term_end=D(2030, 12, 31))
        f.make_seat(body, f.make_person(), vaxholm)
        f.make_seat(body, f.make_person(), vaxholm)
        f.make_seat(body, f.make_person(), vaxholm)
        Alternative.objects.create(
            arrangement=a, organisation=taby, kind="own_operation", estimated_cost=900_000
        )
        arrangements.append(a)
    return arrangements


@pytest.fixture
def editor_client(client, taby_editor):
    client.force_login(taby_editor)
    return client


def open_review(client, taby):
    response = client.post(
        reverse("register:review_create"),
        {
            "organisation": taby.pk,
            "date": "2026-12-01",  # TODAY: a review closes on its date or later
            "body": "Kommunstyrelsen",
            "title": "KS genomgång 2026",
            "term_start_year": "2026",
            "reference": "KS § 12",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Review.objects.get()


# --- Opening, filling, closing -----------------------------------------------------------------


def test_opening_a_review_on_the_page_prefills_an_item_per_participation(
    editor_client, taby, portfolio
):
    review = open_review(editor_client, taby)
    assert review.items.count() == 5
    assert review.term_start_year == 2026
    page = editor_client.get(review.get_absolute_url()).content.decode()
    assert format_kronor(1_200_000) in page
    assert "Trygg kommun" in page
    assert "Egen regi" in page


def test_the_review_page_runs_a_bounded_number_of_queries(
    editor_client, taby, portfolio, django_assert_max_num_queries
):
    review = open_review(editor_client, taby)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert editor_client.get(review.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert (
            editor_client.get(reverse("register:review_pack", args=[review.pk])).status_code == 200
        )


def fill(client, item, outcome="continue_changed"):
    data = {
        "outcome": outcome,
        "direction": "maintain",
        "priority": "medium",
        "direction_text": "Behåll men minska kostnaden.",
        "decision": "Fortsätt med lägre kostnad.",
        "assignment": "Omförhandla avgiften.",
        "due_date": "2027-03-01",
        "follow_up": "not_started",
        "internal_note": "",
    }
    page = client.get(reverse("register:review_item_update", args=[item.pk])).content.decode()
    data["edit_version"] = re.search(r'name="edit_version" value="([^"]*)"', page).group(1)
    return client.post(reverse("register:review_item_update", args=[item.pk]), data)


def test_a_whole_cycle_on_the_pages_ends_with_decisions_on_the_arrangements(
    editor_client, taby, portfolio
):
    review = open_review(editor_client, taby)
    for item in review.items.all():
        assert fill(editor_client, item).status_code == 302
    item = review.items.first()
    goal = taby.goals.get()
    response = editor_client.post(
        reverse("register:review_item_goalconflict", args=[item.pk]),
        {"goal": goal.pk, "description": "Kostnaden krockar med målet", "status": "open"},
    )
    assert response.status_code == 302
    assert GoalConflict.objects.get().arrangement == item.participation.arrangement
    response = editor_client.post(
        reverse("register:review_item_alternative", args=[item.pk]),
        {"organisation": taby.pk, "kind": "procurement", "description": "Upphandla"},
    )
    assert response.status_code == 302
    assert Alternative.objects.filter(kind="procurement").get().arrangement == (
        item.participation.arrangement
    )
    response = editor_client.post(reverse("register:review_close", args=[review.pk]))
    assert response.status_code == 302
    assert Decision.objects.filter(organisation=taby, reference="KS § 12").count() == 5
    arrangement_page = editor_client.get(item.participation.arrangement.get_absolute_url())
    assert "KS genomgång 2026: Fortsätt med förändringar" in arrangement_page.content.decode()


def test_a_closed_review_refuses_every_edit_page_with_a_message(editor_client, taby, portfolio):
    review = open_review(editor_client, taby)
    review.items.update(outcome="continue")
    editor_client.post(reverse("register:review_close", args=[review.pk]))
    item = review.items.first()
    for name, pk in [
        ("register:review_update", review.pk),
        ("register:review_items", review.pk),
        ("register:review_close", review.pk),
        ("register:review_delete", review.pk),
        ("register:review_item_update", item.pk),
        ("register:review_item_goalconflict", item.pk),
        ("register:review_item_alternative", item.pk),
    ]:
        for method in ("get", "post"):
            response = getattr(editor_client, method)(reverse(name, args=[pk]))
            assert response.status_code == 403, (name, method)
            assert "Genomgången är avslutad" in response.content.decode()
    followup = editor_client.get(reverse("register:review_item_followup", args=[item.pk]))
    assert followup.status_code == 200


def test_closing_with_an_item_without_outcome_says_which_and_closes_nothing(
    editor_client, taby, portfolio
):
    review = open_review(editor_client, taby)
    response = editor_client.post(reverse("register:review_close", args=[review.pk]))
    assert response.status_code == 200
    assert "Samverkan 0" in response.content.decode()
    assert Review.objects.get().closed_on is None


# --- The pack ----------------------------------------------------------------------------------


def test_the_pack_holds_the_same_figures_as_the_items_one_page_each(editor_client, taby, portfolio):
    from register.selectors.reviews import item_facts, review_detail

    review = open_review(editor_client, taby)
    page = editor_client.get(reverse("register:review_pack", args=[review.pk])).content.decode()
    access = Access.for_organisation(taby)
    _, items = review_detail(access, review.pk)
    item_facts(access, review, items, TODAY)
    sections = page.split('<section class="pack-page item"')[1:]
    assert len(sections) == len(items) == 5
    for item, section in zip(items, sections, strict=True):
        assert item.participation.arrangement.name in section
        for year, amount, kind in item.facts.costs:
            assert f"{year}: {format_kronor(amount)}" in section
            assert kind == ("prognos" if year == 2026 else "utfall")
        assert f"2026: {format_kronor(item.facts.costs[-1][1])} (prognos)" in section
        assert "(förändring 20\u00a0%)" in section
        # Seat share against cost share: the partner network's rule (register.graph).
        assert item.facts.influence.seat_share == 0.25
        assert item.facts.influence.cost_share == 0.4
        assert "25\u00a0%</span> av platserna i Direktionen" in section
        assert "40\u00a0%</span> av kostnaden enligt fördelningsnyckeln" in section
        assert "Platsandelen ligger mer än 10 procentenheter under kostnadsandelen." in section
        assert "2024-01-01" in section and "utveckla" in section
        assert "säg upp senast 2026-12-30" in section


def test_the_pack_is_also_a_pdf_with_the_items_flowing(editor_client, taby, taby_editor, portfolio):
    review = open_review(editor_client, taby)
    response = editor_client.get(reverse("register:review_pack_pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    request = RequestFactory().get("/")
    request.user = taby_editor
    document = review_flow.pack_document(request, review_flow._pack_context(request, review.pk))
    # The title and five items flow on (was a page for the cover and a page per item).
    assert len(document.pages) <= 3, len(document.pages)


# --- What is due and readiness -----------------------------------------------------------------


def test_the_dashboard_lists_whats_due_with_links_in_bounded_queries(
    editor_client, taby, portfolio, django_assert_max_num_queries
):
    url = reverse("register:organisation_due", args=[taby.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = editor_client.get(url)
    page = response.content.decode()
    assert page.count("Sista dag för uppsägning") == 5
    assert f'href="/samverkan/{portfolio[0].pk}/uppfoljningar/ny/"' in page
    assert "Gör en uppföljning." in page


def test_the_readiness_page_lists_seats_ending_and_arrangements_without_decision(
    editor_client, taby, portfolio, django_assert_max_num_queries
):
    url = reverse("register:organisation_term", args=[taby.pk]) + "?period=2026"
    with django_assert_max_num_queries(MAX_QUERIES):
        response = editor_client.get(url)
    page = response.content.decode()
    assert "Inför mandatperioden 2026–2030" in page
    assert "2026-09-13" in page
    assert page.count("Välj om eller välj ny") == 5  # seats ending 2030-12-31
    assert page.count("registrera beslut") == 5
    assert page.count("Besluta om förlängning eller uppsägning") == 5


def test_the_readiness_page_says_so_for_a_term_that_is_not_in_the_list(
    editor_client, taby, portfolio
):
    url = reverse("register:organisation_term", args=[taby.pk]) + "?period=2025"
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Välj en mandatperiod i listan." in response.content.decode()


def test_a_reader_of_another_organisation_may_not_see_the_dashboard(client, taby, knivsta):
    client.force_login(f.make_member(knivsta, Membership.Role.READER))
    assert client.get(reverse("register:organisation_due", args=[taby.pk])).status_code == 403


# --- Calendar and reminders --------------------------------------------------------------------


def test_the_calendar_feed_parses_and_holds_every_dated_deadline_of_the_dashboard(
    client, editor_client, taby, taby_editor, portfolio
):
    editor_client.post(reverse("register:calendar_settings"), {"action": "renew"})
    token = CalendarToken.objects.get(user=taby_editor)
    response = client.get(reverse("register:calendar_feed", args=[token.token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {(e.get("dtstart").dt, str(e.get("summary"))) for e in calendar.walk("VEVENT")}
    rows = [r for r in due_rows(Access.for_user(taby_editor), taby, TODAY) if r.date]
    assert rows
    assert events == {(r.date, f"{r.kind_label}: {r.arrangement.name}") for r in rows}


def test_a_revoked_calendar_address_no_longer_works(client, editor_client, taby_editor):
    editor_client.post(reverse("register:calendar_settings"), {"action": "renew"})
    token = CalendarToken.objects.get(user=taby_editor).token
    editor_client.post(reverse("register:calendar_settings"), {"action": "revoke"})
    assert client.get(reverse("register:calendar_feed", args=[token])).status_code == 404
    editor_client.post(reverse("register:calendar_settings"), {"action": "renew"})
    new = CalendarToken.objects.get(user=taby_editor, revoked_at__isnull=True).token
    assert new != token
    assert client.get(reverse("register:calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("register:calendar_feed", args=[new])).status_code == 200


def test_the_first_calendar_address_does_not_speak_of_an_old_one(editor_client):
    # Issue 21: the first address said "Den gamla fungerar inte längre" though there was none.
    url = reverse("register:calendar_settings")
    first = editor_client.post(url, {"action": "renew"}, follow=True).content.decode()
    assert "Du har fått en kalenderadress." in first and "Den gamla" not in first
    second = editor_client.post(url, {"action": "renew"}, follow=True).content.decode()
    assert "Den gamla fungerar inte längre." in second


def test_send_reminders_emails_each_owner_their_coming_deadlines(settings, taby, portfolio):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--date", "2026-12-01", "--days", "60")
    (message,) = mail.outbox
    assert message.to == ["eva@example.se"]
    assert message.body.count("2026-12-30 – Sista dag för uppsägning") == 5
    assert message.body.count("2026-01-01 (försenad) – Uppföljning") == 5
    mail.outbox.clear()
    # Ten days ahead: the overdue evaluations still, the notice deadlines not yet.
    call_command("send_reminders", "--date", "2026-12-01", "--days", "10")
    (message,) = mail.outbox
    assert "Sista dag för uppsägning" not in message.body
    assert message.body.count("(försenad) – Uppföljning") == 5


def test_send_reminders_sends_nothing_to_people_without_an_address(settings, taby, portfolio):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    taby.people.update(email="")
    call_command("send_reminders", "--date", "2026-12-01")
    assert mail.outbox == []


def test_closing_review_assignments_reach_the_dashboard_until_done(editor_client, taby, portfolio):
    review = open_review(editor_client, taby)
    for item in review.items.all():
        fill(editor_client, item)
    editor_client.post(reverse("register:review_close", args=[review.pk]))
    rows = due_rows(Access.for_organisation(taby), taby, TODAY)
    assert sum(r.kind == "assignment" for r in rows) == 5
    item = ReviewItem.objects.first()
    page = editor_client.get(reverse("register:review_item_followup", args=[item.pk])).content
    version = re.search(rb'name="edit_version" value="([^"]*)"', page).group(1).decode()
    response = editor_client.post(
        reverse("register:review_item_followup", args=[item.pk]),
        {"follow_up": "on_track", "assignment_done_on": "2026-11-30", "edit_version": version},
    )
    assert response.status_code == 302
    rows = due_rows(Access.for_organisation(taby), taby, TODAY)
    assert sum(r.kind == "assignment" for r in rows) == 4


# --- The evaluation form -----------------------------------------------------------------------


def test_the_evaluation_form_assesses_each_goal_the_arrangement_serves(
    editor_client, taby, portfolio
):
    a = portfolio[0]
    goal = taby.goals.get()
    url = reverse("register:evaluation_create", args=[a.pk])
    page = editor_client.get(url).content.decode()
    assert "Måluppfyllelse: Trygg kommun" in page
    response = editor_client.post(
        url,
        {
            "organisation": taby.pk,
            "date": "2026-11-15",
            "goal_attainment": "partly",
            f"goal_{goal.pk}": "met",
            "cost_assessment": "Kostnaden är rimlig.",
            "collaboration": "Parterna samarbetar väl.",
            "recommendation": "continue",
            "public_summary": "Samverkan fungerar.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = a.evaluations.get(date=D(2026, 11, 15))
    assert evaluation.goal_attainments == [
        {"goal": goal.pk, "title": "Trygg kommun", "attainment": "met"}
    ]
    detail = editor_client.get(a.get_absolute_url()).content.decode()
    assert "Mål: Trygg kommun</dt><dd>Uppfyllda" in detail


def test_the_evaluation_form_refuses_an_attainment_that_is_not_a_choice(
    editor_client, taby, portfolio
):
    a = portfolio[0]
    goal = taby.goals.get()
    response = editor_client.post(
        reverse("register:evaluation_create", args=[a.pk]),
        {"organisation": taby.pk, "date": "2026-11-15", "goal_attainment": "met",
         f"goal_{goal.pk}": "utmärkt"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Inget har sparats" in response.content.decode()
    assert not a.evaluations.filter(date=D(2026, 11, 15)).exists()
