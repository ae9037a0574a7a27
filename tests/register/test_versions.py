"""Lost updates: two people open the same page; the second save never silently reverts the first.

Every page that changes existing records carries their version; a save against an older version
is refused with a message saying what changed meanwhile (old → new, by whom, when), the page keeps
what the user typed, and the database keeps the first save.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register import versions
from register.access import Access
from register.models import Cost, Decision, Membership
from register.services import participations, records
from tests import factories as f
from tests.test_bad_input import PostForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def vaxholm_editor(vaxholm):
    return f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")


@pytest.fixture
def second_taby_editor(taby):
    user = f.make_member(taby, Membership.Role.EDITOR, "taby-kollega")
    user.first_name, user.last_name = "Karin", "Kollega"
    user.save()
    return user


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fields_of(page) -> dict:
    """Return what a browser would send back from the page's form, unchanged."""
    form = PostForm()
    form.feed(page.content.decode())
    return dict(form.fields)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# --- A form ------------------------------------------------------------------------------------


def test_a_stale_save_of_a_form_is_refused_and_says_what_changed_meanwhile(
    taby_editor, vaxholm_editor, shared_arrangement
):
    url = reverse("register:arrangement_update", args=[shared_arrangement.pk])
    taby, vaxholm = browser(taby_editor), browser(vaxholm_editor)
    taby_form, vaxholm_form = fields_of(taby.get(url)), fields_of(vaxholm.get(url))

    saved = taby.post(url, taby_form | {"name": "Roslagens miljönämnd", "status": "renegotiation"})
    assert saved.status_code == 302

    refused = vaxholm.post(
        url, vaxholm_form | {"name": "Vaxholms namn", "internal_note": "Vaxholms anteckning"}
    )
    assert refused.status_code == 200
    page = text_of(refused)
    assert "Någon annan har sparat ändringar här sedan du öppnade sidan" in page
    # Nothing on the page is wrong, so the summary does not ask to correct what is marked.
    assert "Rätta det som är markerat" not in page
    assert "Ändrat av taby-redaktor den " in page
    assert "Namn: Södra Roslagens miljö- och hälsoskyddsnämnd → Roslagens miljönämnd" in page
    assert "Status: Aktiv → Under omförhandling" in page
    # What Vaxholm's editor typed is still in the form ...
    assert 'value="Vaxholms namn"' in page
    assert "Vaxholms anteckning</textarea>" in page
    # ... and the database keeps Täby's save.
    shared_arrangement.refresh_from_db()
    assert (shared_arrangement.name, shared_arrangement.status) == (
        "Roslagens miljönämnd",
        "renegotiation",
    )
    assert shared_arrangement.internal_note == ""

    # Having seen what changed, saving the page again is a deliberate choice and works.
    again = vaxholm.post(url, fields_of(refused))
    assert again.status_code == 302
    shared_arrangement.refresh_from_db()
    assert (shared_arrangement.name, shared_arrangement.internal_note) == (
        "Vaxholms namn",
        "Vaxholms anteckning",
    )


def test_a_stale_form_with_errors_says_at_once_that_it_changed_meanwhile(
    taby_editor, vaxholm_editor, shared_arrangement
):
    url = reverse("register:arrangement_update", args=[shared_arrangement.pk])
    taby, vaxholm = browser(taby_editor), browser(vaxholm_editor)
    vaxholm_form = fields_of(vaxholm.get(url))
    assert taby.post(url, fields_of(taby.get(url)) | {"seat": "Täby"}).status_code == 302

    refused = vaxholm.post(
        url, vaxholm_form | {"start_date": "2024-01-01", "end_date": "2023-01-01"}
    )
    page = text_of(refused)
    assert "Någon annan har sparat ändringar här sedan du öppnade sidan" in page
    assert "Säte: – → Täby" in page
    assert "Slutdatum kan inte ligga före startdatum." in page
    assert "Rätta det som är markerat och spara igen" in page  # a field is wrong too


def test_a_fresh_form_saves_as_before(taby_editor, shared_arrangement):
    url = reverse("register:arrangement_update", args=[shared_arrangement.pk])
    taby = browser(taby_editor)
    for name in ("Första namnet", "Andra namnet"):
        response = taby.post(url, fields_of(taby.get(url)) | {"name": name})
        assert response.status_code == 302
        shared_arrangement.refresh_from_db()
        assert shared_arrangement.name == name


def test_the_message_names_the_person_who_saved_meanwhile(
    taby_editor, second_taby_editor, taby, shared_arrangement
):
    person = f.make_person(name="Anna Svensson", organisation=taby, party="S")
    url = reverse("register:person_update", args=[person.pk])
    mine, theirs = browser(taby_editor), browser(second_taby_editor)
    my_form = fields_of(mine.get(url))
    assert theirs.post(url, fields_of(theirs.get(url)) | {"party": "M"}).status_code == 302

    refused = mine.post(url, my_form | {"title": "Ordförande"})
    page = text_of(refused)
    assert "Ändrat av Karin Kollega den " in page
    assert "Parti: S → M" in page
    assert 'value="Ordförande"' in page
    person.refresh_from_db()
    assert (person.party, person.title) == ("M", "")


# --- A formset ---------------------------------------------------------------------------------


def cost_row(fields: dict, year: int) -> str:
    """Return the prefix of the cost formset's row for ``year`` ("costs-0")."""
    for key, value in fields.items():
        if key.endswith("-year") and value == str(year):
            return key.removesuffix("-year")
    raise AssertionError(f"no row for {year}")


def test_a_stale_save_of_a_formset_is_refused_and_says_which_rows_changed(
    taby_editor, second_taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2023, outcome=5)
    f.make_cost(own, year=2024, outcome=10)
    url = reverse("register:participation_costs", args=[own.pk])
    mine, theirs = browser(taby_editor), browser(second_taby_editor)
    my_form, their_form = fields_of(mine.get(url)), fields_of(theirs.get(url))

    # The colleague changes 2024 and deletes 2023.
    saved = theirs.post(
        url,
        their_form
        | {
            f"{cost_row(their_form, 2024)}-outcome": "20",
            f"{cost_row(their_form, 2023)}-DELETE": "on",
        },
    )
    assert saved.status_code == 302

    # I change 2024 too and add 2025, on the page as I opened it.
    new_row = next(k for k, v in my_form.items() if k.endswith("-year") and v == "2025")
    refused = mine.post(
        url,
        my_form
        | {f"{cost_row(my_form, 2024)}-outcome": "30", new_row.replace("-year", "-budget"): "99"},
    )
    assert refused.status_code == 200
    page = text_of(refused)
    assert "Någon annan har sparat ändringar här sedan du öppnade sidan" in page
    assert "Utfall (kr): 10 → 20 (av Karin Kollega den " in page
    assert "Borttagen rad: kostnad ”Täby kommun i Södra Roslagens" in page
    assert "Rätta det som är markerat" not in page
    assert 'value="30"' in page and 'value="99"' in page  # what I typed
    assert dict(own.costs.values_list("year", "outcome")) == {2024: 20}

    # The refused page leaves out the row deleted meanwhile, so that saving it again works.
    again = mine.post(url, fields_of(refused))
    assert again.status_code == 302
    assert list(own.costs.order_by("year").values_list("year", "budget", "outcome")) == [
        (2024, None, 30),
        (2025, 99, None),
    ]


def test_what_was_typed_in_a_row_deleted_meanwhile_is_shown(
    taby_editor, second_taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    gone = f.make_cost(own, year=2023, outcome=5)
    url = reverse("register:participation_costs", args=[own.pk])
    mine = browser(taby_editor)
    my_form = fields_of(mine.get(url))
    records.record_delete(access=None, instance=gone)

    refused = mine.post(url, my_form | {f"{cost_row(my_form, 2023)}-outcome": "7 000"})
    assert refused.status_code == 200
    page = text_of(refused)
    assert "Borttagen rad: kostnad ”Täby kommun i Södra Roslagens" in page
    assert (
        "Det du skrev på en rad som har tagits bort har inte sparats: Utfall (kr): 7 000." in page
    )
    assert not own.costs.exists()


def test_a_row_added_meanwhile_makes_a_formset_stale(
    taby_editor, second_taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2024, outcome=10)
    url = reverse("register:participation_costs", args=[own.pk])
    mine = browser(taby_editor)
    my_form = fields_of(mine.get(url))
    participations.cost_set(access=None, participation=own, year=2025, budget=7)

    refused = mine.post(url, my_form | {f"{cost_row(my_form, 2024)}-outcome": "30"})
    assert refused.status_code == 200
    assert "Ny rad: kostnad ”Täby kommun i Södra Roslagens" in text_of(refused)
    assert dict(own.costs.values_list("year", "outcome")) == {2024: 10, 2025: None}

    again = mine.post(url, fields_of(refused))
    assert again.status_code == 302
    assert dict(own.costs.values_list("year", "outcome")) == {2024: 30, 2025: None}


def test_a_change_through_another_page_makes_the_formset_stale(
    taby_editor, second_taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    rows_url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    one_url = reverse("register:participation_update", args=[own.pk])
    mine, theirs = browser(taby_editor), browser(second_taby_editor)
    my_rows = fields_of(mine.get(rows_url))
    saved = theirs.post(one_url, fields_of(theirs.get(one_url)) | {"cost_share": "40"})
    assert saved.status_code == 302

    refused = mine.post(rows_url, my_rows | {"participations-0-cost_share": "60"})
    assert refused.status_code == 200
    assert "Kostnadsandel (%): – → 40" in text_of(refused)
    own.refresh_from_db()
    assert own.cost_share == 40


def test_another_organisations_rows_do_not_make_the_formset_stale(
    taby_editor, vaxholm_editor, shared_arrangement, taby, vaxholm
):
    """Täby's editor edits only Täby's participation on the page; Vaxholm's editor saving
    Vaxholm's own participation meanwhile reverts nothing of it."""
    own = shared_arrangement.participations.get(organisation=taby)
    other = shared_arrangement.participations.get(organisation=vaxholm)
    rows_url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    other_url = reverse("register:participation_update", args=[other.pk])
    mine, theirs = browser(taby_editor), browser(vaxholm_editor)
    my_rows = fields_of(mine.get(rows_url))
    saved = theirs.post(other_url, fields_of(theirs.get(other_url)) | {"cost_share": "40"})
    assert saved.status_code == 302

    saved = mine.post(rows_url, my_rows | {"participations-0-cost_share": "60"})
    assert saved.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.cost_share, other.cost_share) == (60, 40)


def test_a_fresh_formset_saves_as_before(taby_editor, shared_arrangement, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2024, outcome=10)
    url = reverse("register:participation_costs", args=[own.pk])
    mine = browser(taby_editor)
    for outcome in ("20", "30"):
        form = fields_of(mine.get(url))
        assert (
            mine.post(url, form | {f"{cost_row(form, 2024)}-outcome": outcome}).status_code == 302
        )
        assert own.costs.get().outcome == int(outcome)


# --- Deleting ----------------------------------------------------------------------------------


def test_a_delete_confirmation_is_refused_when_the_record_changed_since_it_was_shown(
    taby_editor, second_taby_editor, shared_arrangement, taby
):
    decision = f.make_decision(shared_arrangement, organisation=taby, title="Inträde")
    delete_url = reverse("register:decision_delete", args=[decision.pk])
    update_url = reverse("register:decision_update", args=[decision.pk])
    mine, theirs = browser(taby_editor), browser(second_taby_editor)
    confirmation = fields_of(mine.get(delete_url))
    changed = theirs.post(update_url, fields_of(theirs.get(update_url)) | {"title": "Utträde"})
    assert changed.status_code == 302

    refused = mine.post(delete_url, confirmation)
    assert refused.status_code == 200
    page = text_of(refused)
    assert "har ändrats sedan du öppnade sidan och har inte tagits bort" in page
    assert "Rubrik: Inträde → Utträde" in page
    assert Decision.objects.filter(pk=decision.pk).exists()

    confirmed = mine.post(delete_url, fields_of(refused))
    assert confirmed.status_code == 302
    assert not Decision.objects.filter(pk=decision.pk).exists()


# --- Tampered tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "abc", "9" * 40, "-1", "1e3", "١٢", "12 13", "99999999"])
def test_a_missing_or_tampered_version_is_refused_with_a_message(
    taby_editor, shared_arrangement, taby, token
):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2024, outcome=10)
    mine = browser(taby_editor)
    pages = [
        (reverse("register:arrangement_update", args=[shared_arrangement.pk]), {"name": "X"}),
        (reverse("register:participation_costs", args=[own.pk]), {"costs-0-outcome": "30"}),
    ]
    for url, change in pages:
        form = fields_of(mine.get(url))
        response = mine.post(url, form | change | {versions.FIELD: token})
        assert response.status_code == 200
        assert "Sidan saknar uppgift om vilken version" in text_of(response)
    shared_arrangement.refresh_from_db()
    assert shared_arrangement.name == "Södra Roslagens miljö- och hälsoskyddsnämnd"
    assert own.costs.get().outcome == 10


def test_the_save_service_refuses_an_older_version_itself(taby_editor, shared_arrangement, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    cost = f.make_cost(own, year=2024, outcome=10)
    shown = versions.Version.of_record(cost, fields=["outcome"]).current()
    participations.cost_set(access=None, participation=own, year=2024, outcome=20)

    cost.outcome = 30
    stale = versions.Version.of_record(cost, fields=["outcome"], posted=str(shown))
    with pytest.raises(ValidationError) as refused:
        records.record_save(access=Access.for_user(taby_editor), instance=cost, version=stale)
    assert isinstance(refused.value, versions.StaleEdit)
    assert "Utfall (kr): 10 → 20" in refused.value.messages
    assert Cost.objects.get(pk=cost.pk).outcome == 20


# --- Two saves at the same moment (PostgreSQL) ---------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_the_check_locks_the_rows_so_that_two_saves_at_once_cannot_both_pass(
    taby_editor, shared_arrangement, taby
):
    """Inside the save's transaction the check locks the record (and, for a formset, the parent
    and its rows) before it reads the version: a second save at the same moment waits for the
    first to commit and then sees that the version has moved on."""
    own = shared_arrangement.participations.get(organisation=taby)
    cost = f.make_cost(own, year=2024, outcome=10)
    record = versions.Version.of_record(cost, fields=["outcome"])
    rows = versions.Version.of_rows(Cost, parent=own, fk="participation", fields=["outcome"])
    for version, tables in (
        (record, ["register_cost"]),
        (rows, ["register_participation", "register_cost"]),
    ):
        version.posted = str(version.current())
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            version.check()
        sql = [q["sql"] for q in queries.captured_queries]
        locks = [i for i, q in enumerate(sql) if "FOR NO KEY UPDATE" in q]
        reads = [i for i, q in enumerate(sql) if "MAX(" in q and "historical" in q]
        assert [t for t in tables if any(f'FROM "{t}"' in sql[i] for i in locks)] == tables
        assert locks and reads and max(locks) < min(reads)
