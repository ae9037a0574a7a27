"""The read side of the internal register: who sees what, example-data and internal marks,
edit links, and the number of queries with more data."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from register import rules
from register.models import (
    Alternative,
    Arrangement,
    Contribution,
    Cost,
    GoalConflict,
    Membership,
    Participation,
    Review,
    ReviewItem,
)
from tests import factories as f
from tests.document_files import make_document

LIST_NAMES = [
    "register:home",
    "register:arrangement_list",
    "register:organisation_list",
    "register:person_list",
    "register:decision_list",
    "register:review_list",
]


@pytest.mark.parametrize("url_name", LIST_NAMES)
def test_pages_require_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "url_name",
    [
        "arrangement_detail",
        "organisation_detail",
        "person_detail",
        "decision_detail",
        "review_detail",
    ],
)
def test_detail_pages_require_login(client, db, url_name):
    response = client.get(reverse(f"register:{url_name}", args=[1]))
    assert response.status_code == 302


@pytest.mark.parametrize("url_name", LIST_NAMES)
def test_list_pages_open_for_a_reader(client, taby_reader, shared_arrangement, url_name):
    client.force_login(taby_reader)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()


@pytest.fixture
def rich(shared_arrangement, taby, vaxholm):
    """The shared arrangement with something in every section."""
    a = shared_arrangement
    a.internal_note = "Intern sak om samverkan"
    a.public_description = "Vi samverkar för likvärdig tillsyn."
    a.save()
    taby_part = a.participations.get(organisation=taby)
    vax_part = a.participations.get(organisation=vaxholm)
    for year, amount in ((2023, 900_000), (2024, 1_000_000)):
        f.make_cost(taby_part, year=year, outcome=amount)
        f.make_cost(vax_part, year=year, outcome=amount // 4)
    body = f.make_body(a, name="Miljönämnden", kind="joint_committee")
    official = f.make_person(
        name="Sara Nord",
        kind="official",
        organisation=taby,
        email="sara@taby.example",
        phone="08-123",
    )
    f.make_seat(body, f.make_person(name="Anna Svensson", party="M"), taby, role="chair")
    f.make_seat(body, official, taby, role="official")
    goal = f.make_goal(organisation=taby, title="Ren miljö")
    f.make_goal(arrangement=a, title="Snabb handläggning")
    # A governing document and a later version of it (issue 24).
    make_document(a, version="2", supersedes=make_document(a, version="1"))
    Contribution.objects.create(arrangement=a, goal=goal, strength="strong")
    decision = f.make_decision(
        a,
        organisation=taby,
        title="Ny taxa 2025",
        is_published=True,
        internal_note="Känslig bakgrund",
    )
    GoalConflict.objects.create(arrangement=a, goal=goal, description="Taxan slår mot företag")
    f.make_evaluation(a, organisation=taby, public_summary="Fungerar väl")
    Alternative.objects.create(arrangement=a, kind="own_operation", estimated_cost=2_000_000)
    review = Review.objects.create(organisation=taby, date=dt.date(2025, 3, 1), title="KS 2025")
    ReviewItem.objects.create(review=review, participation=taby_part, direction="maintain")
    return {"arrangement": a, "decision": decision, "official": official, "review": review}


def test_arrangement_detail_shows_every_section(client, taby_reader, rich):
    client.force_login(taby_reader)
    a = rich["arrangement"]
    html = client.get(reverse("register:arrangement_detail", args=[a.pk])).content.decode()
    for text in (
        "Vi samverkar för likvärdig tillsyn.",
        "Gemensam nämnd",
        "Miljö och bygg",
        "Värdkommun",
        "Vaxholms kommun",
        "Miljönämnden",
        "Anna Svensson",
        "Ordförande",
        "Kostnad i kronor per år",
        "1\u00a0250\u00a0000",  # the column total for 2024
        "Snabb handläggning",
        "Ren miljö",
        "Taxan slår mot företag",
        "Fungerar väl",
        "Egen regi",
        "Ny taxa 2025",
        "Ändringslogg",
    ):
        assert text in html, text


def test_internal_notes_are_shown_to_members_and_marked(client, taby_reader, rich):
    client.force_login(taby_reader)
    a = rich["arrangement"]
    html = client.get(reverse("register:arrangement_detail", args=[a.pk])).content.decode()
    assert "Intern sak om samverkan" in html
    assert "Intern anteckning" in html


def test_internal_notes_are_hidden_from_other_organisations(client, knivsta_editor, rich):
    a = rich["arrangement"]
    a.is_published = True
    a.save()
    client.force_login(knivsta_editor)
    html = client.get(reverse("register:arrangement_detail", args=[a.pk])).content.decode()
    assert "Intern sak om samverkan" not in html
    assert "Intern anteckning" not in html
    decision_url = reverse("register:decision_detail", args=[rich["decision"].pk])
    html = client.get(decision_url).content.decode()
    assert "Ny taxa 2025" in html and "Känslig bakgrund" not in html


def test_an_unpublished_arrangement_is_not_found_for_other_organisations(
    client, knivsta_editor, shared_arrangement
):
    client.force_login(knivsta_editor)
    url = reverse("register:arrangement_detail", args=[shared_arrangement.pk])
    assert client.get(url).status_code == 404


def test_unknown_records_are_not_found(client, admin_user):
    client.force_login(admin_user)
    for name in (
        "arrangement_detail",
        "organisation_detail",
        "person_detail",
        "decision_detail",
        "review_detail",
    ):
        assert client.get(reverse(f"register:{name}", args=[999999])).status_code == 404


def test_an_unknown_cost_measure_falls_back_to_the_best_figure(client, taby_reader, rich):
    client.force_login(taby_reader)
    url = reverse("register:arrangement_detail", args=[rich["arrangement"].pk])
    response = client.get(url, {"kostnad": "<script>"})
    assert response.status_code == 200
    assert response.context["measure"] == "amount"
    assert client.get(url, {"kostnad": "budget"}).context["measure"] == "budget"


def test_example_data_is_marked_on_every_page_that_shows_it(client, taby_reader, rich, taby):
    client.force_login(taby_reader)
    a = rich["arrangement"]
    banner = "Exempeldata: "
    detail = reverse("register:arrangement_detail", args=[a.pk])
    org = reverse("register:organisation_detail", args=[taby.pk])
    review = reverse("register:review_detail", args=[rich["review"].pk])
    decision = reverse("register:decision_detail", args=[rich["decision"].pk])
    for url in (detail, org, review, decision):
        assert banner not in client.get(url).content.decode().replace("</strong>", ""), url
    Participation.objects.filter(organisation=taby).update(is_example=True)
    partly = client.get(detail).content.decode().replace("</strong>", "")
    assert "Exempeldata: uppgifter markerade ”Exempel”" in partly
    Arrangement.objects.filter(pk=a.pk).update(is_example=True)
    for url in (detail, org, review, decision):
        assert banner in client.get(url).content.decode().replace("</strong>", ""), url
    whole = client.get(detail).content.decode().replace("</strong>", "")
    assert "Exempeldata: den här samverkan är påhittad" in whole


def test_officials_contact_details_only_for_their_own_organisation(
    client, taby_reader, knivsta_editor, rich
):
    url = reverse("register:person_detail", args=[rich["official"].pk])
    client.force_login(taby_reader)
    html = client.get(url).content.decode()
    assert "sara@taby.example" in html and "Interna kontaktuppgifter" in html
    client.force_login(knivsta_editor)
    html = client.get(url).content.decode()
    assert "Sara Nord" in html
    assert "sara@taby.example" not in html and "08-123" not in html


def test_a_reader_sees_no_edit_links(client, taby_reader, rich):
    client.force_login(taby_reader)
    html = client.get(
        reverse("register:arrangement_detail", args=[rich["arrangement"].pk])
    ).content.decode()
    assert ">Redigera<" not in html
    assert "Redigera parter" not in html


def test_an_editor_gets_edit_links_that_exist(client, taby_editor, rich):
    client.force_login(taby_editor)
    a = rich["arrangement"]
    html = client.get(reverse("register:arrangement_detail", args=[a.pk])).content.decode()
    assert f'href="{reverse("register:arrangement_update", args=[a.pk])}"' in html
    taby_part = a.participations.get(organisation__code="0160")
    vax_part = a.participations.get(organisation__code="0187")
    assert f'href="{reverse("register:participation_costs", args=[taby_part.pk])}"' in html
    # Vaxholm's costs are Vaxholm's to change
    assert reverse("register:participation_costs", args=[vax_part.pk]) not in html


def test_the_change_log_says_who_changed_what(client, taby_editor, admin_user, rich):
    a = rich["arrangement"]
    a._history_user = admin_user
    a.status = Arrangement.Status.RENEGOTIATION
    a.save()
    client.force_login(taby_editor)
    html = client.get(reverse("register:arrangement_detail", args=[a.pk])).content.decode()
    assert "registeradmin" in html
    assert "<del>Aktiv</del> → <ins>Under omförhandling</ins>" in html


def test_organisation_detail_shows_participations_people_goals_and_reviews(
    client, taby_reader, rich, taby, monkeypatch
):
    # In 2025 the reference year is 2024, when the cost rose from 2023's.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2025, 6, 1))
    client.force_login(taby_reader)
    html = client.get(reverse("register:organisation_detail", args=[taby.pk])).content.decode()
    for text in (
        "Kommunkod",
        "0160",
        "Södra Roslagens",
        "Sara Nord",
        "Ren miljö",
        "KS 2025",
        "↑ ökar",
        "Ändringslogg",
    ):
        assert text in html, text


def test_organisation_detail_hides_reviews_from_other_organisations(
    client, knivsta_editor, rich, taby
):
    client.force_login(knivsta_editor)
    html = client.get(reverse("register:organisation_detail", args=[taby.pk])).content.decode()
    assert "KS 2025" not in html
    assert "Södra Roslagens" not in html  # unpublished, and Knivsta is not a member


def test_review_detail_is_for_the_organisation_only(client, taby_reader, knivsta_editor, rich):
    url = reverse("register:review_detail", args=[rich["review"].pk])
    client.force_login(taby_reader)
    assert "Behåll" in client.get(url).content.decode()
    client.force_login(knivsta_editor)
    assert client.get(url).status_code == 404


def test_home_shows_the_users_organisations_in_figures(client, taby_reader, rich):
    a = rich["arrangement"]
    a.end_date = dt.date.today() + dt.timedelta(days=200)
    a.save()
    year = rules.reference_year(dt.date.today())
    Cost.objects.update_or_create(
        participation=a.participations.get(organisation__code="0160"),
        year=year,
        defaults={"outcome": None, "forecast": 1_234_000},
    )
    client.force_login(taby_reader)
    html = client.get(reverse("register:home")).content.decode()
    assert "Täby kommun" in html
    # The reference year's cost, named with its year and which figure it is.
    assert "1\u00a0234\u00a0000\u00a0kr" in html
    assert f"kostnad {year} (prognos)" in html
    assert "Gemensam nämnd" in html
    assert "Slutar eller ska sägas upp inom 24 månader" in html
    assert a.name in html


def test_home_for_a_user_without_organisation(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("register:home")).content.decode()
    assert "inte knuten till någon organisation" in html
    assert 'href="/admin/"' in html


# --- queries ---------------------------------------------------------------------------------


@pytest.fixture
def many(db, taby):
    """60 arrangements of 5 participants over 10 years, with bodies, seats and decisions."""
    from register.models import CooperationForm, Organisation

    form = CooperationForm.objects.get(slug="municipal_federation")
    orgs = list(Organisation.objects.filter(kind="municipality").order_by("code")[:30])
    if taby not in orgs:
        orgs[0] = taby
    arrangements = Arrangement.objects.bulk_create(
        Arrangement(name=f"Förbund {i:03}", form=form, is_published=True) for i in range(60)
    )
    through = Arrangement.service_areas.through
    through.objects.bulk_create(
        through(arrangement_id=a.pk, servicearea_id=sa) for a in arrangements for sa in (1, 2)
    )
    parts = Participation.objects.bulk_create(
        Participation(arrangement=a, organisation=orgs[(i + k) % 30])
        for i, a in enumerate(arrangements)
        for k in range(5)
    )
    Cost.objects.bulk_create(
        Cost(participation=p, year=y, outcome=1000 * y) for p in parts for y in range(2015, 2025)
    )
    first = arrangements[0]
    body = f.make_body(first)
    for k in range(5):
        f.make_seat(body, f.make_person(), orgs[k])
        f.make_decision(first)
    return arrangements


@pytest.mark.parametrize("who", ["taby_editor", "admin_user"])
def test_pages_stay_within_15_queries_with_more_data(
    request, client, many, taby, who, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("register:home"),
        reverse("register:arrangement_list"),
        reverse("register:arrangement_list") + "?sort=-own_cost&q=F&partner=" + str(taby.pk),
        reverse("register:arrangement_detail", args=[many[0].pk]),
        reverse("register:organisation_detail", args=[taby.pk]),
        reverse("register:organisation_list"),
        reverse("register:person_list"),
        reverse("register:decision_list"),
        reverse("register:review_list"),
    ]
    for url in urls:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url


def test_the_arrangement_detail_with_every_section_stays_within_15_queries(
    client, taby_editor, rich, django_assert_max_num_queries
):
    client.force_login(taby_editor)
    url = reverse("register:arrangement_detail", args=[rich["arrangement"].pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_membership_role_does_not_change_what_a_member_reads(client, taby, rich):
    reader = f.make_member(taby, Membership.Role.READER, "las")
    client.force_login(reader)
    url = reverse("register:arrangement_detail", args=[rich["arrangement"].pk])
    assert "Intern sak om samverkan" in client.get(url).content.decode()


def test_the_menu_links_every_list_import_for_editors_and_admin_for_superusers(
    client, taby_editor, taby_reader, admin_user
):
    from register.templatetags.register_tags import edit_url

    client.force_login(taby_editor)
    html = client.get(reverse("register:home")).content.decode()
    for label in ("Översikt", "Samverkan", "Organisationer", "Personer", "Beslut", "Genomgångar"):
        assert f">{label}</a>" in html, label
    import_url = edit_url("importers:upload")
    if import_url:
        assert f'href="{import_url}"' in html
    assert ">Admin</a>" not in html
    client.force_login(taby_reader)
    assert ">Import</a>" not in client.get(reverse("register:home")).content.decode()
    client.force_login(admin_user)
    assert ">Admin</a>" in client.get(reverse("register:home")).content.decode()


def test_the_ownership_column_shows_only_where_there_is_ownership(client, taby_reader, taby):
    client.force_login(taby_reader)
    committee = f.make_arrangement(form_slug="joint_committee", is_published=True)
    f.make_participation(committee, taby)
    company = f.make_arrangement(form_slug="joint_company", is_published=True)
    f.make_participation(company, taby, role="owner")
    shared = f.make_arrangement(form_slug="municipal_federation", is_published=True)
    f.make_participation(shared, taby, ownership_share=25)

    def page(arrangement):
        url = reverse("register:arrangement_detail", args=[arrangement.pk])
        return client.get(url).content.decode()

    assert "Ägarandel" not in page(committee)
    assert "Ägarandel" in page(company)
    assert "Ägarandel" in page(shared) and "25\u00a0%" in page(shared)


def test_the_change_log_is_folded_below_the_facts_and_pages_on(
    client, taby_editor, shared_arrangement
):
    for n in range(55):
        shared_arrangement.seat = f"Säte {n}"
        shared_arrangement.save()
    client.force_login(taby_editor)
    page = client.get(shared_arrangement.get_absolute_url()).content.decode()
    assert '<details class="change-log">' in page  # folded: the facts come first
    assert "Visa de senaste 50 ändringarna" in page
    assert 'href="?logg=100#andringslogg"' in page
    more = client.get(shared_arrangement.get_absolute_url() + "?logg=100").content.decode()
    assert '<details class="change-log" open>' in more
    shown = int(re.search(r"Visa de senaste (\d+) ändringarna", more)[1])
    assert 55 < shown <= 100  # every change of the seat, and what created the arrangement
    assert "?logg=150" not in more  # everything is shown
    for nonsense in ("x", "-5", "99999"):
        assert (
            client.get(shared_arrangement.get_absolute_url() + f"?logg={nonsense}").status_code
            == 200
        )
