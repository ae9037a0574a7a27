"""Issue 23: the introduction pack's PDF made with less for WeasyPrint to do (no chart per
arrangement, facts in fixed columns, a user-agent stylesheet without pseudo-elements nobody
uses) still holds every fact, in the order the pack gives them: each arrangement's facts after
its heading, name by name, and its cost per year written out in full where the chart was."""

import io
import re
from html import escape
from html.parser import HTMLParser

import pypdf
import pytest
from django.template.loader import render_to_string

from register import rules
from register.access import Access
from register.data import demo_portfolio as P
from register.models import Organisation
from register.reports import intro_pack
from register.reports import pdf as pdf_writer
from register.templatetags.register_tags import share

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pack_and_text(demo, django_db_blocker):
    """Täby's pack on the demo, the HTML the PDF is made from, and the PDF's text."""
    with django_db_blocker.unblock():
        taby = Organisation.objects.get(code=P.TABY)
        pack = intro_pack.build(Access(user_id=None, member_org_ids=frozenset({taby.pk})), taby)
        content = intro_pack.pdf(pack)
        html = intro_pack.pdf_html(pack)
        screen = render_to_string("register/_intro_pack_body.html", {"pack": pack})
    reader = pypdf.PdfReader(io.BytesIO(content))
    return pack, html, screen, plain(" ".join(p.extract_text() for p in reader.pages))


def plain(text: str) -> str:
    """Text as a reader reads it: a word hyphenated at a line's end joined again (WeasyPrint
    writes U+2010), every space one space."""
    text = text.replace("\u00a0", " ").replace("\u2212", "-")
    text = re.sub("\u2010\\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


class Facts(HTMLParser):
    """Each arrangement's heading and its (name, value) facts, as the HTML gives them."""

    def __init__(self):
        super().__init__()
        self.articles: list[tuple[str, list[list[str]]]] = []
        self._into = None

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.articles.append(["", []])
        elif self.articles and tag == "h3":
            self._into = "heading"
        elif self._into == "dd" and tag == "span":
            self.articles[-1][1][-1][1] += "\n"  # a line of its own (span.block)
        elif self.articles and tag in ("dt", "dd"):
            if tag == "dt":
                self.articles[-1][1].append(["", ""])
            self._into = tag

    def handle_endtag(self, tag):
        if tag in ("h3", "dt", "dd"):
            self._into = None

    def handle_data(self, data):
        if self._into == "heading":
            self.articles[-1][0] += data
        elif self._into == "dt":
            self.articles[-1][1][-1][0] += data
        elif self._into == "dd":
            self.articles[-1][1][-1][1] += data


def test_every_fact_of_each_arrangement_follows_its_heading_in_order(pack_and_text):
    pack, html, _, text = pack_and_text
    parser = Facts()
    parser.feed(html)
    assert len(parser.articles) == len(pack.pages) >= 10
    at = text.find("5. Samverkan en och en")
    for heading, facts in parser.articles:
        at = text.find(plain(heading), at)
        assert at >= 0, heading
        assert len(facts) >= 5, heading
        for name, value in facts:
            for part in [name, *value.split("\n")]:
                if part.strip():
                    found = text.find(plain(part), at)
                    assert found >= 0, (heading, name, part)
                    at = found  # the name and then its value, fact after fact


class TableRows(HTMLParser):
    """The text of each body row of the pack's tables, by the table's class and the row's
    header (the arrangement's name)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, str]] = {}
        self._table = self._row = None
        self._body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(a.get("class", ""), {})
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body and self._table is not None:
            self._row = []
        elif tag in ("td", "span", "br") and self._row is not None:
            self._row.append(" ")

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            text = plain("".join(self._row))
            self._table[text] = text
            self._row = None
        elif tag == "tbody":
            self._body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._row is not None:
            self._row.append(data)

    def row(self, table_class: str, name: str) -> str:
        table = next(rows for cls, rows in self.tables.items() if table_class in cls.split())
        found = [text for text in table if text.startswith(plain(name))]
        assert len(found) == 1, (table_class, name)
        return found[0]


def test_the_facts_section_5_leaves_out_are_in_the_rows_of_sections_1_to_3(pack_and_text):
    """Section 5 gives what no table gives; each arrangement's form, motives, goals (1), deciding
    bodies, seats, representatives and responsibility (2), cost and shares (3) are in its row."""
    pack, html, _, text = pack_and_text
    rows = TableRows()
    rows.feed(html)
    five = html[html.index('id="samverkan-rubrik"') :]
    for dropped in ("Form", "Motiv", "Våra mål", "Beslutar", "Våra företr", "Alternativ"):
        assert f"<dt>{dropped}" not in five
    for page in pack.pages:
        name, r = page.arrangement.name, page.row
        why = rows.row("why-table", name)
        assert plain(r.form) in why
        for motive in page.motives:
            assert plain(str(motive).lower()) in why, (name, motive)
        for contribution in page.contributions:
            assert plain(contribution.goal.title) in why, name
        who = rows.row("who-table", name)
        for body in page.deciding_bodies:
            assert plain(body.name) in who, name
        for seat in r.representatives:
            assert plain(rules.seat_holder(seat)) in who, name
        for value in (r.political_body, r.admin_unit, r.political_owner, r.admin_owner):
            if value:
                assert plain(str(value) if value != r.admin_owner else value.name) in who, name
        cost = rows.row("cost-table", name)
        if r.cost_last_year is not None:
            assert plain(rules.format_kronor(r.cost_last_year)) in cost, name
        if r.cost_change is not None:
            assert plain(rules.format_kronor(abs(r.cost_change))) in cost, name
        if page.influence is not None:
            seats = rows.row("influence-table", page.influence.arrangement.name)
            if page.influence.seat_share is not None:
                assert f"{page.influence.seats} av {page.influence.seats_total}" in seats, name
            if page.influence.cost_share is not None:
                assert plain(share(page.influence.cost_share)) in seats, name
        followup = rows.row("followup-table", name)
        if r.last_evaluation is not None:
            assert r.last_evaluation.date.isoformat() in followup, name
            assert plain(r.last_evaluation.get_goal_attainment_display().lower()) in followup
        else:
            assert "Aldrig följd upp" in followup, name
        for alt in r.alternatives:
            assert plain(alt.get_kind_display()) in followup, name
            if alt.estimated_cost is not None:
                assert plain(rules.format_kronor(alt.estimated_cost)) in followup, name
    assert pack.conflicts and any(p.row.alternatives for p in pack.pages)  # Täby has both
    four = html[html.index('id="uppfoljning-rubrik"') : html.index('id="samverkan-rubrik"')]
    for conflict in pack.conflicts:
        assert escape(conflict.description) in four and escape(conflict.goal.title) in four
    # The tables are in the PDF: each section's caption, then its rows' names.
    for caption in ("Samverkan, varför och vilka", "Beslutande organ, våra företrädare"):
        assert caption in text


def test_each_arrangements_cost_per_year_is_written_out_in_full(pack_and_text):
    pack, _, _, text = pack_and_text
    with_costs = [p for p in pack.pages if p.row.costs_by_year]
    assert with_costs
    section = text.find("5. Samverkan en och en")
    for page in with_costs:
        at = text.find(plain(page.arrangement.name), section)
        line = text[at : text.find("Nästa tidpunkt", at)]
        for year in pack.portfolio.years:
            amount = page.row.costs_by_year.get(year)
            if amount is not None:
                assert plain(f"{year}: {rules.format_kronor(amount)}") in line, (
                    page.arrangement.name,
                    year,
                )
        assert page.row.cost_last_year is None or (
            plain(rules.format_kronor(page.row.cost_last_year)) in line
        )


def test_the_pdf_draws_the_packs_charts_once_and_the_screen_keeps_each_arrangements(
    pack_and_text,
):
    pack, html, screen, _ = pack_and_text
    charts = [svg for svg in pack.charts.values() if svg]
    assert html.count("<svg") <= len(charts)  # not one per arrangement (43 of 47 before)
    with_chart = [p for p in pack.pages if p.cost_chart]
    assert with_chart
    for page in with_chart:
        assert page.cost_chart in screen
        assert page.cost_chart not in html


SAMPLE = """<!DOCTYPE html><html lang="sv"><body>
<h1>Rubrik</h1><ol><li>Ett</li><li>Två</li></ol><ul><li>Punkt</li></ul>
<table><thead><tr><th>Samverkan</th><th>Kostnad</th></tr></thead>
<tbody><tr><th scope="row">Lönenämnd</th><td>1 000 kr</td></tr></tbody></table>
<dl><div><dt>Form</dt><dd>Kommunalförbund</dd></div></dl><p>Slut.</p></body></html>"""


def test_the_trimmed_user_agent_stylesheet_changes_nothing_a_reader_sees():
    from weasyprint import HTML

    def text_of(document) -> list[str]:
        content = pdf_writer.write_pdf(document, pdf_variant="pdf/ua-1", pdf_tags=True)
        return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages]

    ours = text_of(pdf_writer.html(string=SAMPLE))
    assert ours == text_of(HTML(string=SAMPLE))
    assert "1." in ours[0] and "2." in ours[0] and "•" in ours[0]  # the markers are drawn
    rules_text = pdf_writer._ua_stylesheet()
    assert rules_text is pdf_writer._ua_stylesheet()  # read once per process
