"""The introduction pack for the demo municipality (Täby): the PDF opens, is tagged and Swedish,
keeps the SKR report's order with one page per arrangement, fetches nothing from outside and
holds the overview's figures; the workbook has one sheet per section with numbers as numbers."""

import io
import re

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from register import rules
from register.access import Access
from register.data import demo_portfolio as P
from register.models import Membership, Organisation
from register.reports import intro_pack
from tests import factories as f
from tests.register.reports.pdf_structure import table_headers

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pack_files(demo, django_db_blocker):
    """Täby's pack as a reader sees it on the demo (loaded once), rendered (PDF, XLSX)."""
    with django_db_blocker.unblock():
        taby = Organisation.objects.get(code=P.TABY)
        access = Access(user_id=None, member_org_ids=frozenset({taby.pk}))
        pack = intro_pack.build(access, taby)
        fetched = []
        content = intro_pack.pdf(pack, fetched=fetched)
        workbook = intro_pack.xlsx(pack)
        return {"pack": pack, "pdf": content, "xlsx": workbook, "fetched": fetched}


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2212", "-"))


@pytest.fixture(scope="module")
def pages(pack_files):
    reader = pypdf.PdfReader(io.BytesIO(pack_files["pdf"]))
    return reader, [plain(p.extract_text()) for p in reader.pages]


def test_the_pdf_is_tagged_and_in_swedish(pages):
    reader, _ = pages
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Introduktion till samverkan")


def test_every_table_header_in_the_pdf_says_whether_it_heads_a_column_or_a_row(pack_files):
    headers = table_headers(pack_files["pdf"])
    # The pack's tables have column headers in their head and a row header (scope="row") first
    # in each body row; PDF/UA asks each TH structure element for its /Scope.
    assert {scope for _, scope in headers} == {"/Column", "/Row"}
    for row_group, scope in headers:
        assert scope == ("/Column" if row_group == "/THead" else "/Row"), (row_group, scope)


def test_the_sections_come_in_the_order_of_the_skr_report(pages):
    _, texts = pages
    headings = [
        "1. Uppdraget och varför vi samverkar",
        "2. Vem beslutar och vem företräder oss",
        "3. Ekonomin",
        "4. Uppföljning och risker",
        "5. Samverkan en och en",
    ]
    # Each section begins a page of its own, in this order.
    starts = [next(i for i, t in enumerate(texts) if t.startswith(h)) for h in headings]
    assert starts == sorted(starts) and starts[0] == 1
    assert texts[0].startswith("Introduktion till samverkan Täby kommun")


def test_each_arrangements_facts_stay_on_one_page_in_the_packs_order(pack_files, pages):
    """Section 5 holds each arrangement, in the pack's order, its heading and its facts on one
    page (the facts are never split by a page break; arrangements may share a page)."""
    _, texts = pages
    first = next(i for i, t in enumerate(texts) if t.startswith("5. Samverkan en och en"))
    names = [plain(p.arrangement.name) for p in pack_files["pack"].pages]
    assert len(names) >= 10
    page, at = first, 0
    for name in names:
        while texts[page].find(name, at) < 0:
            page, at = page + 1, 0
            assert page < len(texts), name
        at = texts[page].find(name, at)
        facts = texts[page][at:]
        assert "Verksamhetsområde" in facts and "Nästa tidpunkt" in facts, name


def test_the_cover_says_when_the_figures_are_from_and_what_is_example_data(pack_files, pages):
    _, texts = pages
    assert f"Uppgifterna avser {pack_files['pack'].today:%Y-%m-%d}" in texts[0]
    assert "Exempeldata:" in texts[0]


def test_the_pdf_fetches_nothing_and_the_fetcher_refuses_anything_but_own_static_files(
    pack_files,
):
    assert pack_files["fetched"] == []
    for url in (
        "https://example.com/spy.css",
        "file:///etc/passwd",
        intro_pack.BASE_URL + "static/../settings.py",
        intro_pack.BASE_URL + "media/x.png",
    ):
        with pytest.raises(ValueError):
            intro_pack.fetch_static(url)
    body, mime = intro_pack.fetch_static(intro_pack.BASE_URL + "static/register/pack.css")
    assert mime == "text/css" and b"@page" in body


def test_the_pdf_holds_the_overviews_figures(pack_files, pages):
    _, texts = pages
    whole = " ".join(texts)
    portfolio = pack_files["pack"].portfolio
    latest = portfolio.latest_cost
    assert plain(rules.format_kronor(latest.amount)) in whole
    assert plain(rules.format_kronor(latest.per_inhabitant)) in whole
    for row in portfolio.ongoing_rows:
        if row.cost_last_year is not None:
            assert plain(rules.format_kronor(row.cost_last_year)) in whole


def test_the_workbook_has_a_sheet_per_section_with_numbers_as_numbers(pack_files):
    book = openpyxl.load_workbook(io.BytesIO(pack_files["xlsx"]))
    assert book.sheetnames == [
        "Om paketet",
        "Uppdrag",
        "Vem beslutar",
        "Ekonomi",
        "Kostnad per samverkan",
        "Platser och kostnad",
        "Uppföljning och risker",
        "Uppföljning och alternativ",
        "Målkonflikter",
        "Portfölj",
    ]
    portfolio = pack_files["pack"].portfolio
    economy = list(book["Ekonomi"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in economy] == [
        (y.year, y.amount, y.kind_label, y.per_inhabitant, y.population_year)
        for y in portfolio.cost_by_year
    ]
    assert all(isinstance(r[1], int) for r in economy)
    table = list(book["Portfölj"].iter_rows(min_row=2, values_only=True))
    assert len(table) == len(portfolio.rows)
    costs = [r[9] for r in table if r[9] is not None]
    assert costs and all(isinstance(c, int) for c in costs)


def test_the_views_hand_out_the_pdf_and_the_workbook_as_named_files(client, taby):
    client.force_login(f.make_member(taby, Membership.Role.READER, "paket-lasare"))
    pdf = client.get(reverse("register:intro_pack_pdf", args=[taby.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "introduktion-T" in pdf["Content-Disposition"]
    assert pdf["Content-Disposition"].endswith('.pdf"') or ".pdf" in pdf["Content-Disposition"]
    xlsx = client.get(reverse("register:intro_pack_xlsx", args=[taby.pk]))
    openpyxl.load_workbook(io.BytesIO(xlsx.content))
    html = client.get(reverse("register:intro_pack_html", args=[taby.pk]))
    assert "Uppdraget och varför vi samverkar" in html.content.decode()


def test_each_arrangement_page_charts_its_own_cost_per_year(pack_files):
    import xml.etree.ElementTree as ET

    pack = pack_files["pack"]
    with_costs = [p for p in pack.pages if p.row.costs_by_year]
    assert with_costs
    for page in with_costs:
        root = ET.fromstring(page.cost_chart)
        values = [
            t.text
            for t in root.iter("{http://www.w3.org/2000/svg}text")
            if t.get("class") == "label"
        ]
        assert values == [str(y) for y in pack.portfolio.years]
        assert (
            rules.format_kronor(page.row.cost_last_year)
            in root.find("{http://www.w3.org/2000/svg}desc").text
        )
