"""The public pages answer anyone, in plain Swedish, with published records only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from register.public.views import RESPONSIBILITY

pytestmark = pytest.mark.django_db


def get(client, name, **kwargs):
    return client.get(reverse(f"public:{name}", kwargs=kwargs))


def test_the_public_pages_need_no_login(client, public_world):
    code = public_world["taby"].code
    for name, kwargs in [
        ("index", {}),
        ("organisation", {"code": code}),
        ("responsible", {"code": code}),
        ("embed", {"code": code}),
        ("arrangement", {"slug": public_world["slug"]}),
        ("accessibility", {}),
        ("data", {}),
    ]:
        response = get(client, name, **kwargs)
        assert response.status_code == 200, name
        assert b'<html lang="sv">' in response.content


def test_the_organisation_page_says_who_decides_who_represents_us_and_what_it_costs(
    client, public_world
):
    text = get(client, "organisation", code="0160").content.decode()
    assert "Roslagens brandförsvarsförbund" in text
    assert "Vaxholm" in text
    assert "Förbundsdirektionen" in text  # who decides
    assert "Karin Lind (M), ordförande" in text  # our representative by name and party
    assert "7\u00a0000\u00a0000\u00a0kr" in text
    assert "100\u00a0kr per invånare" in text  # 7 000 000 kr / 70 000 inhabitants
    assert "Vi samverkar för en robust räddningstjänst" in text  # why
    assert "Målen nås." in text  # the latest evaluation summary
    assert "Ny taxa för tillsyn" in text  # a recent decision
    assert RESPONSIBILITY in text


def test_the_organisation_page_shows_no_unpublished_arrangement(client, public_world):
    text = get(client, "organisation", code="0160").content.decode()
    assert "Hemliga nämnden" not in text


def test_an_unpublished_arrangement_has_no_public_page(client, public_world):
    hidden = public_world["hidden"]
    response = get(client, "arrangement", slug=f"{hidden.pk}-hemliga-namnden")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_the_arrangement_page_shows_members_bodies_decisions_and_costs(client, public_world):
    text = get(client, "arrangement", slug=public_world["slug"]).content.decode()
    for expected in (
        "Täby kommun",
        "Vaxholms kommun",
        "Förbundsdirektionen",
        "Karin Lind",
        "Ny taxa för tillsyn",
        "50\u00a0000\u00a0000\u00a0kr",
        "Egen räddningstjänst",
        "Stationen i Vaxholm",
    ):
        assert expected in text, expected


def test_an_arrangement_permalink_survives_a_new_name(client, public_world):
    a = public_world["arrangement"]
    old = public_world["slug"]
    a.name = "Storroslagens brandförsvar"
    a.save()
    response = get(client, "arrangement", slug=old)
    assert response.status_code == 301
    assert response["Location"] == reverse(
        "public:arrangement", args=[f"{a.pk}-storroslagens-brandforsvar"]
    )


def test_an_unknown_code_is_a_friendly_404(client, db):
    response = client.get("/insyn/9999/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize(
    "words, area",
    [
        ("sophämtning", "Avfall"),
        ("brandkår", "Räddningstjänst"),
        ("överförmyndare", "Överförmyndare"),
    ],
)
def test_the_search_understands_the_citizens_words(client, db, words, area):
    text = client.get(reverse("public:index"), {"q": words}).content.decode()
    assert f"<h3>{area}</h3>" in text


def test_the_search_finds_a_municipality_by_name_or_code(client, public_world):
    for q in ("täby", "0160"):
        text = client.get(reverse("public:index"), {"q": q}).content.decode()
        assert reverse("public:organisation", args=["0160"]) in text


def test_the_search_lists_published_arrangements_of_the_service(client, public_world):
    text = client.get(reverse("public:index"), {"q": "brandkår"}).content.decode()
    assert "Roslagens brandförsvarsförbund" in text


def test_who_is_responsible_lists_each_service_area_with_its_deciding_body(client, public_world):
    text = get(client, "responsible", code="0160").content.decode()
    assert '<h2 id="omrade-raddningstjanst">Räddningstjänst</h2>' in text
    assert "Beslutar: Förbundsdirektionen" in text
    assert "Ansvarig nämnd i Täby kommun: Kommunstyrelsen" in text
    assert "Karin Lind (M), ordförande i Förbundsdirektionen" in text
    assert RESPONSIBILITY in text


def test_the_snippet_may_be_embedded_anywhere_and_no_other_page_may(client, public_world):
    snippet = get(client, "embed", code="0160")
    assert snippet.status_code == 200
    assert "X-Frame-Options" not in snippet
    assert "frame-ancestors *" in snippet["Content-Security-Policy"]
    text = snippet.content.decode()
    assert "<script" not in text
    assert RESPONSIBILITY in text
    page = get(client, "responsible", code="0160")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_every_page_has_a_title_description_canonical_url_and_one_h1(client, public_world):
    text = get(client, "organisation", code="0160").content.decode()
    assert "<title>Täby kommun: samverkan med andra – Insyn i kommunal samverkan</title>" in text
    assert '<meta name="description" content="Så samverkar Täby kommun' in text
    assert '<link rel="canonical" href="http://testserver/insyn/0160/">' in text
    assert text.count("<h1") == 1
    assert 'media="print"' in text


def test_the_decision_feed_is_atom_with_public_decisions_only(client, public_world):
    from register.models import Decision

    Decision.objects.create(
        arrangement=public_world["arrangement"],
        organisation=public_world["taby"],
        deciding_body="KS",
        date="2025-03-01",
        title="Opublicerat beslut",
    )
    response = get(client, "decision_feed", code="0160")
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "Ny taxa för tillsyn" in text
    assert "Opublicerat beslut" not in text


def test_sitemap_and_robots_point_at_the_public_pages(client, public_world):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/insyn/0160/" in sitemap
    assert public_world["slug"] in sitemap
    assert "Hemliga" not in sitemap and f"/{public_world['hidden'].pk}-" not in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_the_accessibility_statement_has_the_parts_digg_asks_for(client, db):
    text = get(client, "accessibility").content.decode()
    for part in (
        "Hur tillgänglig är webbplatsen?",
        "Innehåll som inte är tillgängligt",
        "Rapportera brister",
        "Tillsyn",
        "Myndigheten för digital förvaltning",
        "Hur vi testat webbplatsen",
        "uppdaterades senast",
    ):
        assert part in text, part


def test_the_500_page_is_swedish_and_standalone():
    from django.template.loader import render_to_string

    text = render_to_string("500.html")
    assert "Något gick fel" in text and 'lang="sv"' in text


def test_the_organisation_page_keeps_within_15_queries(
    client, public_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        assert get(client, "organisation", code="0160").status_code == 200


def test_a_member_sees_the_same_public_page_as_anyone_without_the_unpublished(
    client, public_world, taby_editor
):
    client.force_login(taby_editor)
    response = get(client, "organisation", code="0160")
    text = response.content.decode()
    assert "Hemliga nämnden" not in text
    assert "taby-redaktor" not in text
    assert "Cookie" not in response.get("Vary", "")  # the same page for everyone: cacheable
    assert "Set-Cookie" not in response


def test_a_search_that_is_too_long_or_odd_never_fails(client, db):
    for q in ("x" * 5000, "\x00", "%", "' OR 1=1 --", "   "):
        assert client.get(reverse("public:index"), {"q": q}).status_code == 200


def test_a_choice_value_the_code_does_not_know_never_breaks_a_page(client, public_world):
    from register.models import Arrangement, Seat

    Arrangement.objects.filter(pk=public_world["arrangement"].pk).update(status="legacy")
    Seat.objects.update(role="old_role")
    text = get(client, "arrangement", slug=public_world["slug"]).content.decode()
    assert "legacy" in text and "old_role" in text


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("responsible", {"code": "0160"}),
        ("embed", {"code": "0160"}),
        ("decision_feed", {"code": "0160"}),
        ("organisation_data", {"code": "0160"}),
        ("bulk", {"fmt": "json"}),
    ],
)
def test_every_public_page_keeps_within_15_queries(
    client, public_world, django_assert_max_num_queries, name, kwargs
):
    with django_assert_max_num_queries(15):
        assert get(client, name, **kwargs).status_code == 200


def test_the_arrangement_page_keeps_within_15_queries(
    client, public_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        assert get(client, "arrangement", slug=public_world["slug"]).status_code == 200
