"""The introduction pack holds the overview's figures from the partner network and the mandate
period (seat share against cost share, partners in another county, no decision since the
election, the term's horizon) in its sections 2-4 and its workbook. Apart from
test_intro_pack.py, whose module-wide demo data would be in this fixture's portfolio."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from register import rules
from register.access import Access
from register.models import Membership
from register.reports import intro_pack
from tests import factories as f
from tests.register.selectors.test_portfolio import network_world

pytestmark = pytest.mark.django_db


def test_the_pack_holds_the_overviews_seat_cost_and_decision_figures(
    client, taby, vaxholm, knivsta
):
    today = dt.date.today()
    network_world(taby, vaxholm, knivsta, today=today)
    client.force_login(f.make_member(taby, Membership.Role.READER, "paket-lasare"))
    page = client.get(reverse("register:overview_organisation", args=[taby.pk])).content.decode()
    pack = intro_pack.build(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), taby, today=today
    )
    html = intro_pack.pdf_html(pack)
    election = rules.last_election(today)
    # The same figures as the page: 1 minority arrangement taking 30 % of our cost, Knivsta in
    # another county, Förbundet flagged, two arrangements with no decision since the election.
    for text in (">30\u00a0%<", "Knivsta (Uppsala län)", "Obs! Platsandelen ligger mer än 10"):
        assert text in page and text in html
    assert "minoritet av platserna i det beslutande organet i 1 av 3 samverkan: Förbundet" in html
    decisions = html.split(f"Utan politiskt beslut av oss sedan valet {election:%Y-%m-%d}")[1]
    assert re.findall(r"<li>(.*?)</li>", decisions.split("</ul>")[0]) == ["Avtalet", "Nämnden"]
    assert re.search(  # section 2: seats
        r'<data value="0\.333[0-9]*" data-figure="seat-share" data-arrangement="[0-9]+">'
        r"1 av 3 \(33,3\u00a0%\)</data>[^\n]*<strong>minoritet</strong>",
        html,
    )
    assert '<td class="num">60\u00a0%</td>' in html  # section 3: our cost share in Förbundet
    assert "Senare under mandatperioden" in html  # section 4: the term's horizon
    # The workbook: numbers as numbers
    book = openpyxl.load_workbook(io.BytesIO(intro_pack.xlsx(pack)))
    cover = {r[0]: r[1] for r in book["Om paketet"].iter_rows(values_only=True)}
    assert cover["Samverkan där vi har minoritet av platserna"] == 1
    assert cover["Andel av vår kostnad där vi har minoritet av platserna (%)"] == 30.0
    assert cover["Parter i ett annat län"] == 1
    assert (
        cover[f"Pågående samverkan utan politiskt beslut av oss sedan valet {election:%Y-%m-%d}"]
        == 2
    )
    seats = {r[0]: r for r in book["Platser och kostnad"].iter_rows(min_row=2, values_only=True)}
    assert seats["Förbundet"][2:7] == (1, 3, 33.3, 600, 60.0)
    assert seats["Förbundet"][7:9] == ("ja", "ja")
    assert seats["Avtalet"][4] is None and "Inget beslutande organ" in seats["Avtalet"][9]
