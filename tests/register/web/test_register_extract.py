"""The register extract (registerutdrag, GDPR art. 15): everything the register holds about one
person, as a page, as JSON and as PDF, for a register administrator, an editor of the person's
organisation and the person themselves (through the account linked to them)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pypdf
import pytest
from django.urls import reverse

from register.models import ExternalIdentity, InformationEntry, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(shared_arrangement, taby):
    """Eva Ek of Täby, with contact details, a seat, the decision that appointed her, a position
    she agreed, an information entry about her, a changed title in the history and an account."""
    account = f.make_member(taby, Membership.Role.READER, "eva-ek")
    account.email = "eva.privat@example.se"
    account.save()
    ExternalIdentity.objects.create(user=account, issuer="https://sso.taby.se", subject="ek-0042")
    eva = f.make_person(
        name="Eva Ek",
        party="S",
        organisation=taby,
        email="eva.ek@taby.se",
        phone="08-555 12 34",
        internal_note="Föredrar e-post.",
        user=account,
    )
    eva.title = "Kommunalråd"
    eva.save()
    body = f.make_body(shared_arrangement)
    decision = f.make_decision(shared_arrangement, organisation=taby, title="Val till direktionen")
    f.make_seat(
        body, eva, taby, term_start=dt.date(2023, 1, 1), appointing_decision=decision, role="chair"
    )
    meeting = f.make_meeting(body)
    f.make_position(f.make_agenda_item(meeting, number="1"), taby, agreed_by="Eva Ek")
    InformationEntry.objects.create(
        organisation=taby,
        kind=InformationEntry.Kind.OTHER,
        person=eva,
        informed="Eva Ek",
        informed_at=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC),
    )
    f.make_decision(shared_arrangement, title="Något annat")  # names nobody
    return eva


def url(person, fmt=None):
    if fmt is None:
        return reverse("register:person_extract", args=[person.pk])
    return reverse("register:person_extract_file", kwargs={"pk": person.pk, "fmt": fmt})


def test_the_json_holds_everything_about_the_person_and_no_password(client, admin_user, subject):
    client.force_login(admin_user)
    response = client.get(url(subject, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    person = data["person"]
    assert person["namn"] == "Eva Ek"
    assert person["e_post"] == "eva.ek@taby.se"
    assert person["telefon"] == "08-555 12 34"
    assert person["intern_anteckning"] == "Föredrar e-post."
    assert data["anvandarkonto"]["anvandarnamn"] == "eva-ek"
    assert data["anvandarkonto"]["e_post"] == "eva.privat@example.se"
    assert data["anvandarkonto"]["inloggningstjanst"].startswith("ek-0042 hos https://sso.taby.se")
    assert data["anvandarkonto"]["medlemskap"] == [
        {"organisation": "Täby kommun", "roll": "Läsare"}
    ]
    sections = data["avsnitt"]
    assert [s["roll"] for s in sections["uppdrag"]] == ["Ordförande"]
    assert [d["rubrik"] for d in sections["beslut"]] == ["Val till direktionen"]
    assert [p["forankrad_av"] for p in sections["stallningstaganden"]] == ["Eva Ek"]
    assert len(sections["informationslogg"]) == 1
    titles = [row["titel"] for row in sections["historik_person"]]
    assert titles == ["Kommunalråd", ""]  # newest first: the change, then the creation
    assert len(sections["historik_uppdrag"]) == 1
    assert data["fullstandigt"] is True
    text = response.content.decode()
    assert "password" not in text and "pbkdf2" not in text and "lösenord" not in text.lower()


def test_the_pdf_is_a_pdf(client, admin_user, subject):
    client.force_login(admin_user)
    response = client.get(url(subject, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "sv"  # tagged (PDF/UA), Swedish
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Registerutdrag för Eva Ek" in text and "eva.ek@taby.se" in text
    assert "Val till direktionen" in text


def test_the_page_shows_the_extract_and_links_the_files(client, taby_editor, subject):
    client.force_login(taby_editor)
    text = client.get(url(subject)).content.decode()
    assert "Registerutdrag för Eva Ek" in text
    assert "eva.ek@taby.se" in text
    assert url(subject, "json") in text and url(subject, "pdf") in text
    # The person's page links to it for those who may take it out.
    detail = client.get(reverse("register:person_detail", args=[subject.pk])).content.decode()
    assert url(subject) in detail


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_user", 200),
        ("taby_editor", 200),
        ("linked", 200),
        ("taby_reader", 403),
        ("knivsta_editor", 403),
    ],
)
def test_who_may_take_out_the_extract(client, request, subject, who, status):
    user = subject.user if who == "linked" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(url(subject)).status_code == status
    assert client.get(url(subject, "json")).status_code == status


def test_the_person_page_offers_no_extract_to_a_reader(client, taby_reader, subject):
    client.force_login(taby_reader)
    detail = client.get(reverse("register:person_detail", args=[subject.pk])).content.decode()
    assert url(subject) not in detail


def test_the_page_runs_a_constant_number_of_queries(
    client, admin_user, subject, shared_arrangement, taby, django_assert_max_num_queries
):
    body = f.make_body(shared_arrangement, name="Nämnden")
    for n in range(30):
        decision = f.make_decision(shared_arrangement, title=f"Val {n} av Eva Ek")
        seat = f.make_seat(body, subject, taby, appointing_decision=decision)
        seat.mandate = f"Mandat {n}"
        seat.save()
    client.force_login(admin_user)
    with django_assert_max_num_queries(15):
        response = client.get(url(subject))
    assert response.status_code == 200
    assert response.content.decode().count("Val 29 av Eva Ek") >= 1
