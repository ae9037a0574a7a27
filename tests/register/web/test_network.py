"""The partner network's pages and downloads (register/web/network.py): through Access, within
the query budget, a picture that works without JavaScript or inline styles, next to a table."""

import datetime as dt
import io
import json
import re

import networkx as nx
import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from register import rules
from register.models import Membership, Seat
from tests import factories as f
from tests.shared_schemas import shared_schema

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15
# The network's cost year (rules.reference_year of today): the world's costs are in it.
YEAR = rules.reference_year(dt.date.today())


@pytest.fixture
def world(taby, vaxholm, knivsta):
    """Täby's partner network, its federation with a deciding board where Täby has 1 seat of 4."""
    network = f.make_partner_network(taby, vaxholm, knivsta, year=YEAR)
    brand = network["fire"]
    body = f.make_body(brand, name="Direktionen", kind="federation_board", powers="decides")
    for org in (taby, vaxholm, vaxholm, knivsta):
        f.make_seat(body, f.make_person(organisation=org), org, role=Seat.Role.MEMBER)
    return {"taby": taby, "brand": brand, "secret": network["secret"]}


@pytest.fixture
def editor(taby):
    return f.make_member(taby, Membership.Role.EDITOR, "natverk-redaktor")


def urls(world):
    taby = world["taby"]
    return {
        "organisation_network": reverse("register:organisation_network", args=[taby.pk]),
        "organisation_influence": reverse("register:organisation_influence", args=[taby.pk]),
        "network_national": reverse("register:network_national"),
        "network_county": reverse("register:network_county", args=[taby.county_id]),
    }


@pytest.mark.parametrize(
    "page", ["organisation_network", "organisation_influence", "network_national", "network_county"]
)
def test_each_network_page_answers_within_the_query_budget(
    page, world, editor, client, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(urls(world)[page])
    assert response.status_code == 200
    assert "style=" not in response.content.decode()


def test_the_organisation_network_shows_partners_in_a_picture_and_a_table(world, editor, client):
    client.force_login(editor)
    html = client.get(urls(world)["organisation_network"]).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    taby_url = reverse("register:organisation_detail", args=[world["taby"].pk])
    assert f'href="{taby_url}"' in svg
    assert "<title>Vaxholm, Stockholms län: 1 gemensamma samverkan</title>" in svg
    assert "(annat län)" in svg  # Knivsta, in Uppsala län, dashed
    assert 'stroke-dasharray="5 4"' in svg
    table = html[html.index('id="partnertabell"') :]
    for name in ("Vaxholm", "Knivsta", "Danderyd"):
        assert name in table
    assert "Teckenförklaring" in html


def test_a_non_member_does_not_see_an_unpublished_arrangement_in_the_network(world, client):
    client.force_login(f.make_user("natverk-framling"))
    html = client.get(urls(world)["organisation_network"]).content.decode()
    assert "Brandförbundet" in html
    assert "Hemligt nätverk" not in html
    assert "Danderyd" not in html


def test_the_influence_table_gives_shares_and_reasons(world, editor, client):
    client.force_login(editor)
    html = client.get(urls(world)["organisation_influence"]).content.decode()
    assert "1 av 4" in html  # Täby's ordinary seats in Direktionen
    assert "25\u00a0%" in html  # of the seats
    assert f"Kostnaden för {YEAR} saknas för 1 part (Knivsta)" in html  # so no cost share
    assert "Inget beslutande organ är registrerat." in html  # Hemligt nätverk


def test_the_national_page_lists_organisations_without_arrangements(world, editor, client):
    client.force_login(editor)
    html = client.get(urls(world)["network_national"]).content.decode()
    assert "Utan registrerad samverkan" in html
    assert "Ydre" in html  # a municipality with no arrangement in this world


@pytest.mark.parametrize(
    "params",
    [
        {"datum": "inte-ett-datum"},
        {"datum": "9999-01-01"},
        {"typ": "<script>"},
        {"historik": "\x00"},
        {"datum": "2024-02-30", "typ": "municipality"},
    ],
)
def test_bad_options_give_a_message_not_an_error(world, editor, client, params):
    client.force_login(editor)
    for url in urls(world).values():
        response = client.get(url, params)
        assert response.status_code == 200


def test_a_bad_date_says_how_to_write_it(world, editor, client):
    client.force_login(editor)
    html = client.get(urls(world)["network_national"], {"datum": "igår"}).content.decode()
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in html


def test_a_date_before_the_arrangement_leaves_it_out(world, editor, client):
    brand = world["brand"]
    brand.start_date = "2030-01-01"
    brand.save()
    client.force_login(editor)
    html = client.get(urls(world)["organisation_network"], {"datum": "2029-12-31"}).content.decode()
    assert "Vaxholm" not in html[html.index('id="partnertabell"') :]


def test_the_organisation_page_links_to_its_network_and_influence(world, editor, client):
    client.force_login(editor)
    html = client.get(reverse("register:organisation_detail", args=[world["taby"].pk])).content
    assert urls(world)["organisation_network"].encode() in html
    assert urls(world)["organisation_influence"].encode() in html
    assert b'href="%s"' % reverse("register:network_national").encode() in html  # the menu


# --- downloads -------------------------------------------------------------------------------


def download_urls(world):
    taby = world["taby"]
    return [
        reverse("register:organisation_network_download", args=[taby.pk]),
        reverse("register:network_download"),
        reverse("register:network_county_download", args=[taby.county_id]),
    ]


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_files_open_again_in_networkx(world, editor, client, fmt, tmp_path):
    client.force_login(editor)
    for url in download_urls(world):
        response = client.get(url, {"format": fmt})
        assert response.status_code == 200
        assert f".{fmt}" in response["Content-Disposition"]
        path = tmp_path / f"n.{fmt}"
        path.write_bytes(response.content)
        read = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        assert read.has_edge("0160", "0187")
        assert int(read["0160"]["0187"]["shared"]) == 1
        assert int(read["0160"]["0187"]["money"]) == 400


@pytest.fixture(scope="module")
def gexf_schema():
    """The official GEXF 1.2draft schema, the version networkx writes (namespace
    http://www.gexf.net/1.2draft, version="1.2"). Loaded from its own path so that its
    includes and imports (data.xsd, viz.xsd …) resolve beside it."""
    return etree.XMLSchema(etree.parse(str(shared_schema("gexf", "1.2draft", "gexf.xsd"))))


def test_the_gexf_files_pass_the_official_gexf_schema(world, editor, client, gexf_schema):
    client.force_login(editor)
    for url in download_urls(world):
        response = client.get(url, {"format": "gexf"})
        doc = etree.fromstring(response.content)
        assert doc.tag == "{http://www.gexf.net/1.2draft}gexf" and doc.get("version") == "1.2"
        assert len(doc.findall(".//{*}edge")) >= 2, url  # Täby, Vaxholm and Knivsta share one
        assert gexf_schema.validate(doc), f"{url}: {gexf_schema.error_log}"


def test_the_json_file_is_node_link(world, editor, client):
    client.force_login(editor)
    response = client.get(download_urls(world)[0], {"format": "json"})
    read = nx.node_link_graph(json.loads(response.content))
    assert set(read["0160"]) == {"0187", "0330", "0162"}


def test_the_figures_download_as_csv_and_xlsx(world, editor, client):
    client.force_login(editor)
    url = download_urls(world)[0]
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Kod;Organisation;Samverkan;Parter")
    assert row.startswith("0160;Täby;2;3;")
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book.active
    assert [c.value for c in sheet[4]][:4] == ["0160", "Täby", 2, 3]


def test_downloads_follow_access(world, client):
    client.force_login(f.make_user("natverk-framling-2"))
    response = client.get(download_urls(world)[0], {"format": "json"})
    read = nx.node_link_graph(json.loads(response.content))
    assert "0162" not in read  # Danderyd only shares the unpublished arrangement


def test_an_unknown_format_is_not_found(world, editor, client):
    client.force_login(editor)
    assert client.get(download_urls(world)[1], {"format": "exe"}).status_code == 404


def test_no_inline_style_in_the_svg(world, editor, client):
    client.force_login(editor)
    for url in urls(world).values():
        html = client.get(url).content.decode()
        assert not re.search(r"<style|style=", html)
