"""The governing documents' pages: who downloads what, hostile uploads through the form, the
law's checklist on the arrangement page and in the board's review, revisions in the due list,
and the arrangement page's query count with many documents."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register import rules
from register.models import Document, Membership, Review, ReviewItem
from register.public.selectors import arrangement_slug
from tests import factories as f
from tests.document_files import docx_zip_bomb, make_document, pdf_bytes

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def federation(taby, vaxholm):
    a = f.make_arrangement(
        name="Roslagens brandförsvarsförbund", host=taby, form_slug="municipal_federation"
    )
    f.make_participation(a, taby, role="host")
    f.make_participation(a, vaxholm, role="member")
    return a


def login(client, user):
    client.force_login(user)
    return client


def stored_files() -> list[str]:
    found = []
    for root, _, names in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, n) for n in names]
    return sorted(found)


def test_an_anonymous_visitor_downloads_a_published_charter_from_insyn(client, federation):
    federation.is_published = True
    federation.save()
    data = pdf_bytes()
    charter = make_document(
        federation, data=data, name="Förbundsordning 2024.pdf", is_published=True, version="2024"
    )
    draft = make_document(federation, title="Utkast till ny förbundsordning")
    slug = arrangement_slug({"id": federation.pk, "name": federation.name})
    page = client.get(reverse("public:arrangement", args=[slug])).content.decode()
    url = reverse("public:document_download", args=[charter.pk])
    assert url in page and "Förbundsordning" in page
    assert "Utkast" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "F%C3%B6rbundsordning%202024.pdf" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    # The unpublished draft is nobody's to download from Insyn, and the internal download
    # wants a login.
    assert client.get(reverse("public:document_download", args=[draft.pk])).status_code == 404
    internal = client.get(reverse("register:document_download", args=[charter.pk]))
    assert internal.status_code == 302


def test_a_reader_of_another_organisation_cannot_download_an_unpublished_document(
    client, federation, knivsta, taby_reader
):
    federation.is_published = True
    federation.save()
    document = make_document(federation)  # unpublished
    other = f.make_member(knivsta, Membership.Role.READER, "knivsta-lasare")
    url = reverse("register:document_download", args=[document.pk])
    assert login(client, other).get(url).status_code == 404
    assert client.get(reverse("register:document_detail", args=[document.pk])).status_code == 404
    page = client.get(federation.get_absolute_url()).content.decode()
    assert document.get_absolute_url() not in page
    response = login(client, taby_reader).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (pdf_bytes(), "ordning.docx", "men är en PDF-fil"),
        (docx_zip_bomb(), "ordning.docx", "packad ovanligt hårt"),
        (b"", "tom.pdf", "Filen är tom"),
    ],
    ids=["pdf renamed docx", "zip bomb", "empty"],
)
def test_a_hostile_upload_gets_the_form_back_in_swedish_and_stores_nothing(
    client, federation, taby_editor, data, name, message
):
    before = stored_files()
    response = login(client, taby_editor).post(
        reverse("register:document_create", args=[federation.pk]),
        {"kind": "charter", "title": "Förbundsordning", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_an_oversized_upload_is_refused(client, federation, taby_editor, settings):
    settings.DOCUMENT_MAX_BYTES = 2_000
    response = login(client, taby_editor).post(
        reverse("register:document_create", args=[federation.pk]),
        {
            "kind": "charter",
            "title": "Förbundsordning",
            "file": SimpleUploadedFile("stor.pdf", pdf_bytes("x" * 5_000)),
        },
    )
    assert "högst" in response.content.decode()
    assert Document.objects.count() == 0


def test_the_decision_choices_are_the_arrangements_own(client, federation, taby_editor, taby):
    own = f.make_decision(federation, organisation=taby, title="Antagande av förbundsordning")
    elsewhere = f.make_decision(f.make_arrangement(members=[taby]), title="Annat beslut")
    page = (
        login(client, taby_editor)
        .get(reverse("register:document_create", args=[federation.pk]))
        .content.decode()
    )
    assert own.title in page and elsewhere.title not in page
    assert 'enctype="multipart/form-data"' in page


def test_missing_checklist_items_show_on_the_arrangement_page_and_in_the_review(
    client, federation, taby, taby_editor
):
    charter = make_document(federation)
    checklist = rules.document_checklist("charter", "municipal_federation")
    entries = {item.key: f"§ {n}" for n, item in enumerate(checklist.items, start=1)}
    entries.update(auditors="saknas", disputes="saknas")
    form = {f"item_{key}": value for key, value in entries.items()}
    login(client, taby_editor)
    page = client.get(reverse("register:document_checklist", args=[charter.pk])).content.decode()
    assert "kommunallagen (2017:725) 9 kap. 6 §" in page
    version = page.split('name="edit_version" value="')[1].split('"')[0]
    response = client.post(
        reverse("register:document_checklist", args=[charter.pk]), {**form, "edit_version": version}
    )
    assert response.status_code == 302
    sentence = (
        "Förbundsordningen reglerar inte: antalet revisorer och hur tvister mellan förbundet "
        "och medlemmarna löses."
    )
    assert sentence in client.get(federation.get_absolute_url()).content.decode()
    review = Review.objects.create(organisation=taby, date=TODAY, title="KS 2025")
    ReviewItem.objects.create(
        review=review, participation=federation.participations.get(organisation=taby)
    )
    assert (
        sentence in client.get(reverse("register:review_detail", args=[review.pk])).content.decode()
    )


def test_a_revision_enters_the_due_list_and_the_calendar(client, federation, taby, taby_editor):
    old = make_document(federation, next_revision=dt.date(2025, 9, 1), version="1")
    make_document(federation, next_revision=dt.date(2025, 6, 1), version="2", supersedes=old)
    page = (
        login(client, taby_editor)
        .get(reverse("register:organisation_due", args=[taby.pk]))
        .content.decode()
    )
    assert "ska revideras senast 2025-06-01" in page
    assert "2025-09-01" not in page  # the replaced version is not due
    from register.reports.ical import calendar_for

    feed = calendar_for(taby_editor, TODAY).decode()
    assert "Styrdokument ska revideras" in feed


def test_the_arrangement_page_runs_a_fixed_number_of_queries(
    client, federation, taby_editor, django_assert_max_num_queries
):
    previous = None
    for n in range(30):
        previous = make_document(
            federation,
            kind=["charter", "agreement", "budget"][n % 3],
            version=str(n),
            supersedes=previous if n % 3 == 0 else None,
        )
    login(client, taby_editor)
    client.get(federation.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(15):
        page = client.get(federation.get_absolute_url())
    assert page.status_code == 200
    assert "Tidigare versioner" in page.content.decode()
