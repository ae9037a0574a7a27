"""Analytics once per change (register/reports/analytics.py): figures are kept under the data
version they depend on, invalidated by each kind of write that changes them and by nothing else;
the national network page serves its last figures with their time while one job recomputes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from register import jobs, rules
from register.access import Access
from register.models import Arrangement, Membership, Participation, Seat
from register.reports import analytics
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = rules.reference_year(dt.date.today())
User = get_user_model()


@pytest.fixture
def world(taby, vaxholm, knivsta, django_capture_on_commit_callbacks):
    """Täby's federation with Vaxholm and Knivsta (a deciding board: Täby 1 seat of 3), and far
    away Kiruna's own arrangement; committed before the test, as far as the versions know."""
    with django_capture_on_commit_callbacks(execute=True):
        network = f.make_partner_network(taby, vaxholm, knivsta, year=YEAR)
        brand = network["fire"]
        body = f.make_body(brand, name="Direktionen", kind="federation_board", powers="decides")
        for org in (taby, vaxholm, knivsta):
            f.make_seat(body, f.make_person(organisation=org), org, role=Seat.Role.MEMBER)
        kiruna = f.municipality("2584")
        far = f.make_arrangement(name="Malmbanan", is_published=True)
        f.make_participation(far, kiruna)
        person = f.make_person(organisation=kiruna)
    return {
        "taby": taby,
        "vaxholm": vaxholm,
        "kiruna": kiruna,
        "brand": brand,
        "body": body,
        "far": far,
        "kiruna_person": person,
    }


def figures(world):
    data, net, influence = analytics.organisation_network(
        Access.administrator(), world["taby"].pk, on=rules.today(), include_ended=False, kind="all"
    )
    row = next((r for r in influence if r.arrangement.id == world["brand"].pk), None)
    return {
        "partners": sorted(net.graph[world["taby"].pk]),
        "seats": row.seats_total if row else None,
        "own_cost": row.own_cost if row else None,
    }


def new_cost(world):
    brand = world["brand"]
    p = Participation.objects.get(arrangement=brand, organisation=world["taby"])
    p.costs.filter(year=YEAR).update(outcome=None)  # no signal: the next save says it
    cost = p.costs.get(year=YEAR)
    cost.outcome = 250
    cost.save()
    return lambda before, after: after["own_cost"] == 250 != before["own_cost"]


def new_seat(world):
    f.make_seat(
        world["body"], f.make_person(organisation=world["taby"]), world["taby"], role="member"
    )
    return lambda before, after: after["seats"] == before["seats"] + 1


def status_change(world):
    a = Arrangement.objects.get(pk=world["brand"].pk)
    a.status = Arrangement.Status.ENDED
    a.save()
    vaxholm = world["vaxholm"].pk
    return lambda before, after: (
        vaxholm in before["partners"] and vaxholm not in after["partners"] and not after["seats"]
    )


def participation_leaves(world):
    p = Participation.objects.get(arrangement=world["brand"], organisation=world["vaxholm"])
    p.left = rules.today() - dt.timedelta(days=1)
    p.save()
    return lambda before, after: (
        world["vaxholm"].pk in set(before["partners"]) - set(after["partners"])
    )


@pytest.mark.parametrize("write", [new_cost, new_seat, status_change, participation_leaves])
def test_a_cached_figure_is_invalidated_by_each_kind_of_write_that_changes_it(
    world, write, django_capture_on_commit_callbacks, django_assert_num_queries
):
    before = figures(world)
    with django_assert_num_queries(0):
        assert figures(world) == before  # kept
    with django_capture_on_commit_callbacks(execute=True):
        changed = write(world)
    after = figures(world)
    assert changed(before, after), (before, after)


def test_a_write_elsewhere_leaves_the_figures_and_the_due_list_cached(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    access = Access.administrator()
    taby = world["taby"]
    editor = f.make_member(taby, Membership.Role.EDITOR, "analys-redaktor")
    access = Access.for_user(editor)
    figures(world)
    rows = analytics.due_rows(access, taby, rules.today())
    with django_capture_on_commit_callbacks(execute=True):
        person = world["kiruna_person"]
        person.name = "Ny i Kiruna"
        person.save()
        far = world["far"]
        far.name = "Malmbanan och Ofotbanan"
        far.save()
    with django_assert_num_queries(0):
        figures(world)
        assert analytics.due_rows(access, taby, rules.today()) == rows
    with django_capture_on_commit_callbacks(execute=True):
        brand = Arrangement.objects.get(pk=world["brand"].pk)
        brand.end_date = rules.today() + dt.timedelta(days=30)
        brand.save()
    again = analytics.due_rows(access, taby, rules.today())
    assert any(r.kind == "contract_end" for r in again) and again != rows


# --- The national network page ---------------------------------------------------------------------


def test_the_national_page_serves_its_last_figures_with_their_time_while_one_job_recomputes(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(f.make_user("natverk-admin", superuser=True))
    url = reverse("register:network_national")
    first = client.get(url).content.decode()  # no figures yet: computed in the request
    assert "Beräknat " in first and "Vaxholm" in first and "beräknas om" not in first
    asked = []
    monkeypatch.setattr(jobs, "enqueue", lambda path, *args: asked.append((path, args)))
    with django_capture_on_commit_callbacks(execute=True):
        p = Participation.objects.get(arrangement=world["brand"], organisation=world["vaxholm"])
        p.left = rules.today() - dt.timedelta(days=1)
        p.save()
    for _ in range(5):
        page = client.get(url).content.decode()
        assert "beräknas om" in page  # the last complete figures, said to be recomputed
        assert page.count('<td class="num">') == first.count('<td class="num">')
    assert len(asked) == 1  # many requests, one recompute
    path, args = asked[0]
    jobs.resolve(path)(*args)
    fresh = client.get(url).content.decode()
    assert "beräknas om" not in fresh and fresh != first
    assert len(asked) == 1


def test_the_national_page_names_the_cost_year_as_the_organisation_page_does(world, client):
    """The options line ("Kostnaderna avser 2025 …") stands outside the kept figures: computed
    and kept pages alike name the year the organisation's network page names (it said "Inga
    kostnader är registrerade" once the figures were kept)."""
    client.force_login(f.make_user("natverk-ar", superuser=True))

    def sentence(url):
        html = client.get(url).content.decode()
        start = html.index("Visar ")
        return html[html.index(". ", start) + 2 : html.index("</p>", start)]

    organisation = sentence(reverse("register:organisation_network", args=[world["taby"].pk]))
    assert organisation.startswith("Kostnaderna avser ")
    national = reverse("register:network_national")
    assert sentence(national) == organisation  # computed in the request
    assert sentence(national) == organisation  # kept


def test_the_county_page_is_kept_per_visibility(world, client, django_assert_max_num_queries):
    """A member sees their unpublished arrangements counted, another user does not: their figures
    are kept apart."""
    taby = world["taby"]
    url = reverse("register:network_county", args=[taby.county_id])
    client.force_login(f.make_member(taby, Membership.Role.READER, "natverk-lasare"))
    mine = client.get(url).content.decode()
    client.force_login(f.make_member(world["kiruna"], Membership.Role.READER, "kiruna-lasare"))
    with django_assert_max_num_queries(15):
        theirs = client.get(url).content.decode()
    assert "Danderyd" in mine  # Täby's unpublished network with Danderyd
    assert "Danderyd" not in theirs.split("Utan registrerad samverkan (")[0]


# --- The overview ------------------------------------------------------------------------------------


def overview(client, org) -> str:
    """The overview's content as the page shows it (the header, with the user's name and the
    logout form's token, left out)."""
    html = client.get(reverse("register:overview_organisation", args=[org.pk])).content.decode()
    return html[html.index('<div class="page-head">') : html.index("</main>")]


def data_figure(html: str, name: str) -> str:
    start = html.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return html[start : html.index("</data>", start)]


@pytest.fixture
def overview_client(client, world):
    client.force_login(f.make_member(world["taby"], Membership.Role.READER, "oversikt-lasare"))
    return client


@pytest.mark.parametrize("write", [new_cost, new_seat, status_change, participation_leaves])
def test_the_kept_overview_shows_the_new_figure_after_each_kind_of_write(
    world, overview_client, write, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    taby = world["taby"]
    before = overview(overview_client, taby)
    with django_assert_max_num_queries(6):  # the session, the user, the organisation: no figures
        assert overview(overview_client, taby) == before  # kept
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    after = overview(overview_client, taby)
    assert after != before
    cache.clear()
    assert overview(overview_client, taby) == after  # what a computation from scratch shows
    if write is status_change:
        assert (
            int(data_figure(after, "ongoing-count"))
            == int(data_figure(before, "ongoing-count")) - 1
        )
    if write is new_cost:
        assert data_figure(after, "cost-reference-year") != data_figure(
            before, "cost-reference-year"
        )


def test_a_write_elsewhere_leaves_the_overview_kept(
    world, overview_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    taby = world["taby"]
    before = overview(overview_client, taby)
    with django_capture_on_commit_callbacks(execute=True):
        far = world["far"]
        far.name = "Malmbanan och Ofotbanan"
        far.save()
    with django_assert_max_num_queries(6):
        assert overview(overview_client, taby) == before
    # A filtered or sorted overview is computed for its request.
    url = reverse("register:overview_organisation", args=[taby.pk])
    assert overview_client.get(url, {"sort": "name"}).status_code == 200


# --- The overview computed again in the background after a change -----------------------------------


@pytest.fixture
def recorded_jobs(monkeypatch):
    """Background work asked for, recorded instead of run (``run()`` runs it)."""

    class Recorded(list):
        def run(self):
            while self:
                path, args = self.pop(0)
                jobs.resolve(path)(*args)

        def keeping(self):
            return [args for path, args in self if path == "register.web.overview.keep_overview"]

    asked = Recorded()
    monkeypatch.setattr(jobs, "enqueue", lambda path, *args: asked.append((path, args)))
    return asked


@pytest.mark.parametrize("write", [new_cost, new_seat, status_change, participation_leaves])
def test_after_each_kind_of_write_the_overview_is_computed_in_the_background_as_a_request_would(
    world,
    overview_client,
    write,
    recorded_jobs,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    """The reader opened Täby's overview; a write in it asks for the overview to be computed
    again for the reader's rights; once that has run, the next request is served kept (no
    figures computed) and shows exactly what a request computing it from scratch shows."""
    taby = world["taby"]
    before = overview(overview_client, taby)
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    reader = Access.for_user(User.objects.get(username="oversikt-lasare"))
    assert recorded_jobs.keeping() == [
        (taby.pk, [[False, sorted(reader.member_org_ids), sorted(reader.editor_org_ids)]])
    ]
    recorded_jobs.run()
    with django_assert_max_num_queries(6):  # the session, the user, the organisation: kept
        kept = overview(overview_client, taby)
    assert kept != before
    cache.clear()
    assert overview(overview_client, taby) == kept  # byte for byte what a request computes


def test_a_request_before_the_background_work_computes_the_new_overview_itself(
    world, overview_client, recorded_jobs, django_capture_on_commit_callbacks
):
    """Nothing is served from the last overview once the data under it changed: a request that
    comes before the background work has run computes the overview with the new figure."""
    taby = world["taby"]
    before = overview(overview_client, taby)
    with django_capture_on_commit_callbacks(execute=True):
        new_cost(world)
    assert recorded_jobs.keeping()  # asked for, not run
    after = overview(overview_client, taby)
    assert data_figure(after, "cost-reference-year") != data_figure(before, "cost-reference-year")
    recorded_jobs.run()  # late: it finds the overview kept under the new version and keeps it
    assert overview(overview_client, taby) == after


def test_the_background_overview_is_kept_per_readers_rights(
    world, client, recorded_jobs, django_capture_on_commit_callbacks
):
    """Each reader's overview is computed with their own rights and served only to them: Täby's
    reader sees Täby's unpublished arrangement with Danderyd, Kiruna's reader never does."""
    taby = world["taby"]
    taby_reader = f.make_member(taby, Membership.Role.READER, "bakgrund-taby")
    kiruna_reader = f.make_member(world["kiruna"], Membership.Role.READER, "bakgrund-kiruna")
    for user in (taby_reader, kiruna_reader):
        client.force_login(user)
        overview(client, taby)
    with django_capture_on_commit_callbacks(execute=True):
        new_cost(world)
    assert len(recorded_jobs.keeping()[0][1]) == 2  # one job, both readers' rights
    recorded_jobs.run()
    pages = {}
    for user in (taby_reader, kiruna_reader):
        client.force_login(user)
        pages[user.username] = overview(client, taby)
    cache.clear()
    for user in (taby_reader, kiruna_reader):
        client.force_login(user)
        assert overview(client, taby) == pages[user.username]
    assert "Danderyd" in pages["bakgrund-taby"]
    assert "Danderyd" not in pages["bakgrund-kiruna"]


def test_a_write_elsewhere_or_an_unopened_overview_asks_for_nothing(
    world, overview_client, recorded_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_cost(world)  # nobody has opened Täby's overview yet
    assert recorded_jobs.keeping() == []
    overview(overview_client, world["taby"])
    with django_capture_on_commit_callbacks(execute=True):
        far = world["far"]
        far.name = "Malmbanan och Ofotbanan"
        far.save()  # Kiruna's: Täby's overview stays kept
    assert recorded_jobs.keeping() == []


def test_a_failing_listener_never_fails_the_change(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from register import dataversions

    def broken(touched):
        raise RuntimeError("trasig")

    monkeypatch.setattr(dataversions, "_listeners", [broken])
    before = dataversions.for_arrangement(world["far"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        far = world["far"]
        far.name = "Malmbanan 2"
        far.save()
    assert dataversions.for_arrangement(world["far"].pk) > before  # the versions moved
    assert "Efter ändringen misslyckades" in caplog.text


def test_many_changes_before_the_job_starts_ask_for_one_job(
    world, overview_client, recorded_jobs, django_capture_on_commit_callbacks
):
    overview(overview_client, world["taby"])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            new_cost(world)
    assert len(recorded_jobs.keeping()) == 1
    recorded_jobs.run()
    with django_capture_on_commit_callbacks(execute=True):
        new_seat(world)  # after the job began: another one
    assert len(recorded_jobs.keeping()) == 1
