"""The overview pages (register/web/overview.py): who sees what, bounded queries, figures on the
page equal to an independent computation, filters that never crash."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from register import rules
from register.models import Evaluation, Membership
from tests import factories as f
from tests.register.selectors.test_portfolio import network_world

pytestmark = pytest.mark.django_db

LAST_YEAR = dt.date.today().year - 1


def portfolio_of(taby, vaxholm, n: int):
    for i in range(n):
        a = f.make_arrangement(
            name=f"Samverkan {i:02d}", areas=("avfall", "kultur"), host=vaxholm, is_published=i == 0
        )
        p = f.make_participation(a, taby, political_body="Kommunstyrelsen")
        f.make_participation(a, vaxholm, role="host")
        f.make_cost(p, year=LAST_YEAR - 1, outcome=1000 * (i + 1))
        f.make_cost(p, year=LAST_YEAR, outcome=1100 * (i + 1))
        f.make_evaluation(
            a,
            organisation=taby,
            recommendation=Evaluation.Recommendation.CONTINUE,
            next_evaluation=dt.date.today() + dt.timedelta(days=30),
        )
        body = f.make_body(a)
        f.make_seat(body, f.make_person(party="S"), taby)
        f.make_decision(a, organisation=None, date=dt.date.today() + dt.timedelta(days=60))


@pytest.fixture
def reader_client(client, taby):
    client.force_login(f.make_member(taby, Membership.Role.READER, "oversikt-lasare"))
    return client


def test_the_overview_runs_at_most_15_queries_however_large_the_portfolio(
    reader_client, taby, vaxholm, django_assert_max_num_queries
):
    portfolio_of(taby, vaxholm, 30)
    url = reverse("register:overview_organisation", args=[taby.pk])
    with django_assert_max_num_queries(15):
        response = reader_client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        filtered = reader_client.get(url, {"q": "Samverkan 0", "sort": "-cost_last_year"})
    assert filtered.status_code == 200
    assert filtered.context["table"].rows[0].record.name == "Samverkan 09"


def test_the_overview_shows_the_figures_an_independent_sum_gives(reader_client, taby, vaxholm):
    portfolio_of(taby, vaxholm, 3)
    response = reader_client.get(reverse("register:overview_organisation", args=[taby.pk]))
    html = response.content.decode()
    total = sum(1100 * (i + 1) for i in range(3))
    before = sum(1000 * (i + 1) for i in range(3))
    assert rules.format_kronor(total) in html
    assert rules.format_kronor(round(total / taby.population)) in html
    assert "+" + rules.format_percent(round(100 * (total - before) / before, 1)) in html
    assert f"Kostnad {LAST_YEAR}" in html
    assert '>3</span><span class="figure-label">pågående samverkan' in html


def test_the_filter_narrows_the_table_and_bad_input_gets_a_message_not_an_error(
    reader_client, taby, vaxholm
):
    portfolio_of(taby, vaxholm, 3)
    url = reverse("register:overview_organisation", args=[taby.pk])
    response = reader_client.get(url, {"q": "Samverkan 01"})
    assert [r.record.name for r in response.context["table"].rows] == ["Samverkan 01"]
    bad = reader_client.get(url, {"form": "999999", "area": "x", "status": "zzz"})
    assert bad.status_code == 200
    assert "Filtret innehåller fel" in bad.content.decode()
    assert len(bad.context["table"].rows) == 3  # an invalid filter is not used
    for odd in ({"page": "abc"}, {"page": "999"}, {"sort": "nonsense"}):
        assert reader_client.get(url, odd).status_code == 200


def test_a_stranger_sees_only_the_published_part_of_a_portfolio(client, taby, vaxholm):
    portfolio_of(taby, vaxholm, 3)
    client.force_login(f.make_user("oversikt-framling"))
    response = client.get(reverse("register:overview_organisation", args=[taby.pk]))
    assert [r.record.name for r in response.context["table"].rows] == ["Samverkan 00"]


def test_only_the_administrator_sees_the_county_and_national_views(
    client, reader_client, admin_user, taby, vaxholm
):
    portfolio_of(taby, vaxholm, 2)
    county = reverse("register:overview_county", args=[taby.county_id])
    national = reverse("register:overview_national")
    assert reader_client.get(county).status_code == 403
    assert reader_client.get(national).status_code == 403
    client.force_login(admin_user)
    response = client.get(county)
    assert response.status_code == 200
    assert taby.county.name in response.content.decode()
    assert client.get(national).status_code == 200


def test_the_index_sends_the_administrator_to_the_chosen_organisation(client, admin_user, taby):
    client.force_login(admin_user)
    response = client.get(reverse("register:overview_index"), {"organisation": taby.pk})
    assert response.headers["Location"] == reverse("register:overview_organisation", args=[taby.pk])
    bad = client.get(reverse("register:overview_index"), {"organisation": "inte-ett-id"})
    assert bad.status_code == 400
    assert "Välj en organisation i listan." in bad.content.decode()


def test_the_start_page_links_to_the_overview(reader_client, taby):
    response = reader_client.get(reverse("register:home"))
    assert reverse("register:overview_organisation", args=[taby.pk]) in response.content.decode()


def test_the_timeline_filters_by_arrangement_and_refuses_a_foreign_one(
    reader_client, taby, vaxholm
):
    portfolio_of(taby, vaxholm, 2)
    foreign = f.make_arrangement(name="Inte vår", is_published=True)
    url = reverse("register:overview_timeline", args=[taby.pk])
    chosen = taby.participations.order_by("arrangement__name").first().arrangement
    response = reader_client.get(url, {"arrangement": chosen.pk})
    assert {e.arrangement.pk for e in response.context["events"]} == {chosen.pk}
    refused = reader_client.get(url, {"arrangement": foreign.pk})
    assert refused.status_code == 200
    assert "Filtret innehåller fel" in refused.content.decode()


def test_the_goals_map_page_marks_unserved_goals(reader_client, taby):
    f.make_goal(organisation=taby, title="Ett mål utan samverkan")
    response = reader_client.get(reverse("register:overview_goals", args=[taby.pk]))
    html = response.content.decode()
    assert "Ett mål utan samverkan" in html and "Ingen samverkan bidrar" in html


def test_a_register_administrator_without_organisation_is_pointed_to_the_overview(
    client, admin_user
):
    client.force_login(admin_user)
    html = client.get(reverse("register:home")).content.decode()
    assert reverse("register:overview_index") in html


def test_every_page_names_its_favicon(reader_client):
    html = reader_client.get(reverse("register:home")).content.decode()
    assert 'rel="icon" href="/static/register/favicon.svg"' in html


def test_the_arrangement_page_says_when_its_end_date_has_passed_and_an_evaluation_is_late(
    reader_client, taby
):
    a = f.make_arrangement(name="Gammalt avtal", end_date=dt.date(2020, 12, 31))
    f.make_participation(a, taby)
    f.make_evaluation(a, organisation=taby, next_evaluation=dt.date(2021, 6, 1))
    html = reader_client.get(a.get_absolute_url()).content.decode()
    # The status on the day: ended, with the reason beside the registered status.
    assert '<span class="badge status-ended">Avslutad</span>' in html
    assert "Slutdatum 2020-12-31 har passerat" in html
    assert "registrerad som aktiv; slutdatum 2020-12-31 har passerat" in html
    assert '2021-06-01 <span class="badge warn">försenad</span>' in html


# --- The partner network's figures and the mandate period ---------------------------------------


def svg_of(html: str, chart_id: str):
    import xml.etree.ElementTree as ET

    match = re.search(rf'<svg [^>]*id="{chart_id}">.*?</svg>', html, re.S)
    return ET.fromstring(match.group(0))


def cells(html: str, caption: str) -> list[list[str]]:
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", html, re.S).group(1)
    body = table.split("<tbody>")[1]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        ]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def network_page(reader_client, taby, vaxholm, knivsta):
    network_world(taby, vaxholm, knivsta, today=dt.date.today())
    response = reader_client.get(reverse("register:overview_organisation", args=[taby.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_shows_minority_cross_county_and_no_decision_figures(network_page):
    html = network_page
    election = rules.last_election(dt.date.today())
    assert '>1</span><span class="figure-label">samverkan där vi har minoritet av platserna' in html
    assert ">30\u00a0%</span>" in html  # 600 of 2 000 kr
    assert '>1</span><span class="figure-label">part i ett annat län' in html
    assert (
        '>2</span><span class="figure-label">pågående samverkan utan politiskt beslut av oss '
        f"sedan valet {election:%Y-%m-%d}"
    ) in html
    assert "Knivsta (Uppsala län)" in html


def test_the_seat_and_cost_chart_holds_the_figures_of_its_table(network_page):
    root = svg_of(network_page, "diagram-inflytande")
    svg = "{http://www.w3.org/2000/svg}"
    names = [t.text for t in root.iter(f"{svg}text") if t.get("class") == "label name"]
    seat = [t.text for t in root.iter(f"{svg}text") if t.get("class") == "label value seat"]
    cost = [t.text for t in root.iter(f"{svg}text") if t.get("class") == "label value cost"]
    table = cells(network_page, "Andel av platserna och andel av kostnaden per samverkan")
    assert names == [r[0] for r in table] == ["Avtalet", "Förbundet", "Nämnden"]
    for row, s, c in zip(table, seat, cost, strict=True):
        # The table writes "1 av 3 (33,3 %)", the chart "33,3 % (1 av 3)".
        if row[2].startswith("Kan inte beräknas"):
            assert s == "kan inte beräknas"
        else:
            seats, share = re.match(r"(\d+ av \d+) \((.*?)\)", row[2]).groups()
            assert s == f"{share} ({seats})"
        assert c == (row[3] if row[3] != "Kan inte beräknas" else "kan inte beräknas")
    by_name = {r[0]: r for r in table}
    assert "Inget beslutande organ är registrerat." in by_name["Avtalet"][4]
    assert "Obs!" in by_name["Förbundet"][4] and "Obs!" not in by_name["Nämnden"][4]


def test_coming_up_shows_what_happens_before_the_end_of_the_term(network_page):
    term = rules.current_term(dt.date.today())
    assert f"Senare under mandatperioden {term}" in network_page
    if term.end > rules.add_months(dt.date.today(), 12):
        later = cells(network_page, "Tidpunkter senare under mandatperioden")
        assert [r[1] for r in later] == ["Sista uppsägningsdag", "Slutar", "Uppdrag slutar"]


def test_the_overview_with_network_figures_stays_within_15_queries(
    reader_client, taby, vaxholm, knivsta, django_assert_max_num_queries
):
    network_world(taby, vaxholm, knivsta, today=dt.date.today())
    portfolio_of(taby, vaxholm, 20)
    url = reverse("register:overview_organisation", args=[taby.pk])
    with django_assert_max_num_queries(15):
        response = reader_client.get(url)
    assert "diagram-inflytande" in response.content.decode()
    form = response.context["filter"].form
    assert [label for _, label in form.fields["form"].widget.choices] == [
        "Alla former",
        "Kommunalförbund",
        "Gemensam nämnd",
        "Avtalssamverkan",
    ]
