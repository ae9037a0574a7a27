"""The organisation page's partner network and cost charts: built from published arrangements
only, a picture whose nodes are the table's partners, within the page's query budget."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from register.models import Organisation
from tests import factories as f
from tests.register.public.conftest import REFERENCE_YEAR

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def network_world(public_world, knivsta):
    """Täby shares the published federation with Vaxholm and a published agreement with Knivsta
    and a company (no public page); an unpublished one with Sigtuna only, and an ended one."""
    taby = public_world["taby"]
    company = Organisation.objects.create(name="Roslagsvatten AB", kind=Organisation.Kind.COMPANY)
    agreement = f.make_arrangement(
        name="Avtal om överförmyndare", form_slug="agreement", host=taby, is_published=True
    )
    f.make_participation(agreement, taby, role="host")
    f.make_participation(agreement, knivsta, role="member")
    f.make_participation(agreement, company, role="member")
    sigtuna = f.municipality("0191")
    hidden = public_world["hidden"]
    hidden.name = "Hemlig nämnd QZXNET"
    hidden.save()
    f.make_participation(hidden, sigtuna, role="member")
    ended = f.make_arrangement(
        name="Gammalt avtal om IT",
        form_slug="agreement",
        host=taby,
        is_published=True,
        status="ended",
        end_date=dt.date(2020, 12, 31),
    )
    f.make_participation(ended, taby, role="host")
    f.make_participation(ended, f.municipality("0188"), role="member")
    return {
        **public_world,
        "knivsta": knivsta,
        "company": company,
        "sigtuna": sigtuna,
        "agreement": agreement,
    }


def page(client, code="0160") -> str:
    cache.clear()
    return client.get(reverse("public:organisation", args=[code])).content.decode()


def section(text: str, anchor: str) -> str:
    start = text.index(f'id="{anchor}"')
    end = text.index("<h2", start)
    return text[start:end]


def svg_of(text: str) -> ET.Element:
    network = section(text, "natverk")
    markup = re.search(r'<svg[^>]*class="network-svg".*?</svg>', network, re.S).group(0)
    return ET.fromstring(markup)


def node_titles(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}title")]


def table_partners(text: str) -> list[str]:
    table = re.search(r'<table id="partnertabell">.*?</table>', text, re.S).group(0)
    rows = re.findall(r'<th scope="row">(.*?)</th>', table, re.S)
    return sorted(re.sub(r"<[^>]+>", "", r).strip() for r in rows)


def test_the_network_picture_parses_and_its_partner_nodes_are_the_tables_partners(
    client, network_world
):
    text = page(client)
    root = svg_of(text)
    assert root.get("aria-label").startswith("Partnernätverket för Täby kommun")
    titles = node_titles(root)
    partner_titles = [t for t in titles if "gemensamma samverkan" in t]
    names = sorted(t.split(":")[0].split(",")[0] for t in partner_titles)
    assert names == table_partners(text)
    assert names == ["Knivsta kommun", "Roslagsvatten AB", "Vaxholms kommun"]
    # The arrangements in force are the triangles, named in full in their titles.
    assert sorted(t for t in titles if t.startswith("Samverkan: ")) == [
        "Samverkan: Avtal om överförmyndare (3 parter)",
        "Samverkan: Roslagens brandförsvarsförbund (2 parter)",
    ]


def test_the_network_leaves_out_unpublished_arrangements_and_their_partners(client, network_world):
    text = page(client)
    network = section(text, "natverk")
    assert "QZXNET" not in text
    assert "Sigtuna" not in text
    assert "Sigtuna" not in " ".join(node_titles(svg_of(text)))
    assert "Hemlig" not in network


def test_an_ended_arrangement_is_not_in_todays_network_and_the_page_says_so(client, network_world):
    network = section(page(client), "natverk")
    assert "Gammalt avtal om IT" not in network
    assert "Norrtälje kommun" not in network  # its only partner, 0188
    assert "har avslutats eller inte har börjat ännu räknas inte här (1 st)" in network


def test_partner_nodes_link_to_the_public_page_of_a_municipality_and_nowhere_for_others(
    client, network_world
):
    root = svg_of(page(client))
    links = {a.find(f"{SVG}title").text: a.get("href") for a in root.iter(f"{SVG}a")}
    by_name = {title.split(":")[0].split(",")[0]: href for title, href in links.items()}
    assert by_name["Knivsta kommun"] == "/insyn/0330/"
    assert by_name["Vaxholms kommun"] == "/insyn/0187/"
    assert by_name["Täby kommun"] == "/insyn/0160/"
    assert "Roslagsvatten AB" not in by_name  # a company has no public page: a node, no link
    assert any(
        t.text.startswith("Roslagsvatten AB")
        for g in root.iter(f"{SVG}g")
        for t in g.findall(f"{SVG}title")
    )
    slug = network_world["slug"]
    assert links["Samverkan: Roslagens brandförsvarsförbund (2 parter)"] == (
        f"/insyn/samverkan/{slug}/"
    )
    for href in links.values():
        assert href.startswith("/insyn/"), href  # never an internal page


def test_the_partner_table_says_how_many_and_which_arrangements(client, network_world):
    text = page(client)
    table = re.search(r'<table id="partnertabell">.*?</table>', text, re.S).group(0)
    row = re.search(r"Knivsta kommun.*?</tr>", table, re.S).group(0)
    assert '<td class="num">1</td>' in row
    assert "Avtal om överförmyndare" in row
    assert "<caption>Parterna som Täby kommun samverkar med i dag</caption>" in table


def test_an_organisation_without_partners_is_told_so_without_a_picture(client, public_world):
    text = page(client, "0330")  # Knivsta: no published arrangement here
    network = section(text, "natverk")
    assert "network-svg" not in network
    assert "har ingen pågående publicerad samverkan med andra just nu" in network


def test_the_cost_charts_show_the_cost_per_year_and_per_inhabitant(client, public_world):
    text = page(client)
    costs = section(text, "kostnader")
    charts = re.findall(r'<svg[^>]*class="chart".*?</svg>', costs, re.S)
    assert len(charts) == 2
    charts_ = [ET.fromstring(c) for c in charts]
    cost, per_inhabitant = charts_
    assert "7 mnkr" in "".join(cost.itertext()).replace("\u00a0", " ")
    assert "100 kr" in "".join(per_inhabitant.itertext()).replace("\u00a0", " ")
    bars = [[r for r in c.iter(f"{SVG}rect") if r.get("class") == "bar"] for c in charts_]
    assert [len(b) for b in bars] == [1, 1]  # one year, the reference year
    # The same figures as a table: the text alternative.
    assert '<table id="kostnad-per-ar">' in costs
    assert "7\u00a0000\u00a0000\u00a0kr" in section(text, "kostnader")


def test_the_cost_chart_counts_unpublished_arrangements_costs_nowhere(client, public_world):
    hidden_part = public_world["hidden"].participations.get()
    f.make_cost(hidden_part, year=REFERENCE_YEAR, outcome=999_000_000)
    costs = section(page(client), "kostnader")
    assert "999" not in costs
    assert "1\u00a0006" not in costs  # 7 + 999 million


def test_the_organisation_page_with_its_network_keeps_within_15_queries(
    client, network_world, django_assert_max_num_queries
):
    cache.clear()
    with django_assert_max_num_queries(15):
        response = client.get(reverse("public:organisation", args=["0160"]))
    assert response.status_code == 200
    assert b"network-svg" in response.content


def test_the_network_and_charts_are_cached_with_the_page_and_follow_an_edit(
    client, network_world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("public:organisation", args=["0160"])
    cache.clear()
    client.get(url)
    with django_assert_num_queries(0):
        assert b"Avtal om \xc3\xb6verf\xc3\xb6rmyndare" in client.get(url).content
    agreement = network_world["agreement"]
    with django_capture_on_commit_callbacks(execute=True):
        agreement.is_published = False
        agreement.save()
    text = client.get(url).content.decode()
    assert "Knivsta kommun" not in section(text, "natverk")
