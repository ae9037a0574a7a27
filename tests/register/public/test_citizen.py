"""Issue 21, the citizen on Insyn: each defect seen in the demo pinned by an assertion.

The search answers "who decides on this service in my municipality", the contact is a link, the
list of partners reads as Swedish, the embeddable box comes per service with a height that fits,
the favicon and the way from the login page to Insyn and to a new password exist, the open-data
headers are Swedish words, "Vem ansvarar?" has an easy-to-read text, example data is marked the
same way everywhere and the cost table is a year-by-arrangement grid.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from register.models import Body, Organisation
from register.public import opendata
from tests import factories as f

from .conftest import REFERENCE_YEAR

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page's text as a reader sees it: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- the search ----------------------------------------------------------------------------------


def test_search_words_naming_a_municipality_narrow_the_answer_to_it(client, public_world, knivsta):
    # Another published rescue service, without Täby: it answers "brandkår" but not "in Täby".
    other = f.make_arrangement(name="Uppsala brandförsvar", is_published=True)
    f.make_participation(other, knivsta, role="member")

    html = get(client, reverse("public:index") + "?q=brandkår Täby")
    text = text_of(html)

    assert "I Täby beslutar Förbundsdirektionen om räddningstjänst" in text
    assert f'href="{reverse("public:organisation", args=["0160"])}"' in html
    assert reverse("public:responsible", args=["0160"]) + "#omrade-raddningstjanst" in html
    assert "Roslagens brandförsvarsförbund" in text
    assert "Uppsala brandförsvar" not in text, "the answer is narrowed to Täby"
    # The service on its own still lists every published arrangement of it.
    assert "Uppsala brandförsvar" in text_of(get(client, reverse("public:index") + "?q=brandkår"))


def test_search_for_a_service_a_municipality_does_not_share_says_so(client, public_world):
    text = text_of(get(client, reverse("public:index") + "?q=sophämtning Vaxholm"))
    assert "Vaxholms kommun sköter inte avfall tillsammans med andra" in text


def test_the_search_answer_keeps_within_15_queries(
    client, public_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        client.get(reverse("public:index") + "?q=brandkår Täby Vaxholm")


# --- who we share with, and whom to contact ------------------------------------------------------


def test_the_partners_read_as_a_swedish_list_and_say_when_there_is_none(
    client, public_world, knivsta
):
    f.make_participation(public_world["arrangement"], knivsta, role="member")
    alone = f.make_arrangement(name="Täbys egen försöksverksamhet", is_published=True)
    f.make_participation(alone, public_world["taby"], role="member")

    html = get(client, reverse("public:organisation", args=["0160"]))
    text = text_of(html)

    assert "Tillsammans med Knivsta kommun och Vaxholms kommun" in text
    assert not re.search(r",\s*</dd>", html), "a list never ends with a comma"
    assert "Tillsammans med Ingen annan part" in text


def test_the_contact_gives_the_municipalitys_and_the_arrangements_websites_as_links(
    client, public_world
):
    Organisation.objects.filter(pk=public_world["taby"].pk).update(website="https://www.taby.se/")
    html = get(client, reverse("public:responsible", args=["0160"]))

    assert '<a href="https://www.taby.se/">' in html
    assert '<a href="https://brand.example.se/">' in html
    assert "kontakta Täby kommun" not in html


def test_the_arrangement_page_links_to_the_joint_bodys_website(client, public_world):
    a = public_world["arrangement"]
    entity = Organisation.objects.create(
        name="Roslagens brandförsvarsförbund",
        kind=Organisation.Kind.FEDERATION,
        website="https://www.rbf.example.se/",
    )
    a.website = ""
    a.legal_entity = entity
    a.save()
    html = get(client, reverse("public:arrangement", args=[public_world["slug"]]))
    assert '<a href="https://www.rbf.example.se/">' in html


# --- the embeddable box --------------------------------------------------------------------------


def test_the_box_comes_per_service_with_a_height_that_grows_with_its_content(client, public_world):
    html = get(client, reverse("public:responsible", args=["0160"]))
    area_url = reverse("public:embed_area", args=["0160", "raddningstjanst"])
    assert area_url in html
    area = get(client, area_url)
    assert "Roslagens brandförsvarsförbund" in area
    heights = [int(h) for h in re.findall(r'height=&quot;(\d+)&quot;|height="(\d+)"', html)[0] if h]
    assert heights and heights[0] != 600, "the height is reckoned from the box's content"


def test_an_unknown_service_has_no_box(client, public_world):
    assert client.get(reverse("public:embed_area", args=["0160", "finns-inte"])).status_code == 404


# --- the way in ----------------------------------------------------------------------------------


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_start_page_leads_to_insyn_and_to_a_forgotten_password(client, db):
    html = client.get("/", follow=True).content.decode()
    assert f'href="{reverse("public:index")}"' in html
    assert f'href="{reverse("password_reset")}"' in html
    assert "Glömt lösenordet?" in html


def test_a_forgotten_password_is_reset_by_email_in_swedish(client, db):
    user = f.make_user("glomsk")
    user.email = "glomsk@example.se"
    user.save()
    page = client.get(reverse("password_reset")).content.decode()
    assert "Återställ lösenordet" in page

    response = client.post(reverse("password_reset"), {"email": "glomsk@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "lösenord" in message.subject.lower()
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Ett-langt-nytt-losen-42", "new_password2": "Ett-langt-nytt-losen-42"},
        follow=True,
    )
    assert "Lösenordet är bytt" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Ett-langt-nytt-losen-42")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "ingen@example.se"}, follow=True)
    assert "Om adressen finns" in response.content.decode()
    assert mail.outbox == []


# --- open data, easy-to-read text, example marks, the cost grid ---------------------------------


def test_every_csv_header_is_a_swedish_word_and_json_keeps_ascii_keys():
    headers = [c.header for spec in opendata.LISTS.values() for c in spec.columns]
    keys = [c.key for spec in opendata.LISTS.values() for c in spec.columns]
    assert {"År", "Verksamhetsområden", "Pågår", "Vår roll", "Värdkommun"} <= set(headers)
    assert not {"ar", "verksamhetsomraden", "pagar"} & set(headers)
    assert all(k.isascii() for k in keys)


def test_who_is_responsible_has_an_easy_to_read_text(client, public_world):
    html = get(client, reverse("public:responsible", args=["0160"]))
    assert 'id="lattlast"' in html
    section = html.split('id="lattlast"', 1)[1].split("</section>", 1)[0]
    sentences = [s for s in re.split(r"[.!?]", text_of(section)) if s.strip()]
    assert len(sentences) >= 4
    assert max(len(s.split()) for s in sentences) <= 15, "short sentences"
    assert "Täby kommun" in section


def test_example_data_is_marked_with_the_same_badge_everywhere(client, public_world):
    f.make_decision(
        public_world["arrangement"],
        organisation=public_world["taby"],
        title="Påhittat beslut",
        is_published=True,
        is_example=True,
        date=dt.date(2025, 3, 1),
    )
    a = public_world["arrangement"]
    a.is_example = True
    a.save()
    badge = '<span class="badge example">Exempel</span>'
    org = get(client, reverse("public:organisation", args=["0160"]))
    decisions = org.split('id="beslut"', 1)[1].split("</table>", 1)[0]
    assert badge in decisions
    responsible = get(client, reverse("public:responsible", args=["0160"]))
    assert badge in responsible and "(exempel)" not in responsible
    embed = get(client, reverse("public:embed", args=["0160"]))
    assert badge in embed


def test_the_cost_table_is_a_grid_of_years_by_arrangement(client, public_world):
    own = public_world["participation"]
    for year in (REFERENCE_YEAR - 2, REFERENCE_YEAR - 1):
        f.make_cost(own, year=year, outcome=6_000_000)
    html = get(client, reverse("public:organisation", args=["0160"]))
    table = html.split('id="kostnad-per-samverkan"', 1)[1].split("</table>", 1)[0]
    for year in (REFERENCE_YEAR - 2, REFERENCE_YEAR - 1, REFERENCE_YEAR):
        assert f'<th scope="col" class="num">{year}</th>' in table
    rows = re.findall(r"<tr>.*?</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    assert len(rows) == 1, "one row per arrangement, one column per year"
    assert "Roslagens brandförsvarsförbund" in rows[0]


def test_the_deciding_body_stays_when_none_decides(client, public_world):
    # A guard for the search answer: no deciding body and no host is "each party itself".
    Body.objects.filter(pk=public_world["body"].pk).update(powers=Body.Powers.PREPARES)
    a = public_world["arrangement"]
    a.host = None
    a.save()
    text = text_of(get(client, reverse("public:index") + "?q=brandkår Täby"))
    assert "I Täby beslutar Täby kommuns egna nämnder om räddningstjänst" in text
