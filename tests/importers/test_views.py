"""The import pages: upload, preview, commit, undo, downloads, and who may use them."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importers.models import ImportBatch
from importers.services import batch_preview
from register.models import Arrangement, Membership
from tests import factories as f

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def upload_file(content=None, name="lista.xlsx"):
    return SimpleUploadedFile(name, content if content is not None else EXAMPLE.read_bytes())


def test_an_editor_uploads_previews_commits_and_undoes(client, taby, taby_editor):
    client.force_login(taby_editor)
    response = client.get(reverse("importers:upload"))
    assert response.status_code == 200 and "Importera en Excel-lista" in response.content.decode()
    response = client.post(
        reverse("importers:upload"),
        {"organisation": taby.pk, "file": upload_file(), "all_or_nothing": "on"},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "importers:batch_detail", args=[batch.pk]
    )
    assert not Arrangement.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Ingenting är sparat ännu" in page
    assert page.count('class="outcome new"') >= 5
    assert "Storstockholms brandförsvar" in page and "45\u00a0950\u00a0000\u00a0kr" in page
    assert "Instruktioner" in page  # the skipped sheet is reported

    response = client.post(
        reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"}, follow=True
    )
    assert "Importen är sparad" in response.content.decode()
    assert Arrangement.objects.count() == 5

    response = client.get(reverse("importers:batch_undo", args=[batch.pk]))
    assert "Ångra importen" in response.content.decode()
    response = client.post(reverse("importers:batch_undo", args=[batch.pk]), follow=True)
    assert "Importen är ångrad" in response.content.decode()
    assert not Arrangement.objects.exists()

    listing = client.get(reverse("importers:batch_list")).content.decode()
    assert "lista.xlsx" in listing and "Ångrad" in listing


def test_an_unreadable_upload_shows_a_swedish_message_and_saves_nothing(client, taby, taby_editor):
    client.force_login(taby_editor)
    response = client.post(
        reverse("importers:upload"),
        {"organisation": taby.pk, "file": upload_file(b"not a workbook")},
    )
    assert response.status_code == 200
    assert "inte en Excel-arbetsbok" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_with_another_extension_is_refused(client, taby, taby_editor):
    client.force_login(taby_editor)
    response = client.post(
        reverse("importers:upload"),
        {"organisation": taby.pk, "file": upload_file(b"a;b", "lista.pdf")},
    )
    assert "(.xlsx eller .xls) eller en CSV-fil" in response.content.decode()


def test_an_editor_cannot_upload_for_another_organisation(client, taby, knivsta_editor):
    client.force_login(knivsta_editor)
    response = client.post(
        reverse("importers:upload"), {"organisation": taby.pk, "file": upload_file()}
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_reader_cannot_upload(client, taby_reader):
    client.force_login(taby_reader)
    assert client.get(reverse("importers:upload")).status_code == 403


def test_another_organisation_cannot_see_commit_or_undo_a_batch(
    client, taby, knivsta_editor, taby_reader
):
    batch = batch_preview(data=EXAMPLE.read_bytes(), file_name="x.xlsx", organisation=taby)
    client.force_login(knivsta_editor)
    for name in ("batch_detail", "batch_invalid_rows"):
        assert client.get(reverse(f"importers:{name}", args=[batch.pk])).status_code == 403
    assert client.post(reverse("importers:batch_commit", args=[batch.pk])).status_code == 403
    assert client.post(reverse("importers:batch_undo", args=[batch.pk])).status_code == 403
    client.force_login(taby_reader)
    assert client.get(reverse("importers:batch_detail", args=[batch.pk])).status_code == 200
    assert client.post(reverse("importers:batch_commit", args=[batch.pk])).status_code == 403
    assert not Arrangement.objects.exists()


def test_the_preview_lists_invalid_rows_with_field_errors_and_offers_a_download(
    client, taby, taby_editor, xlsx
):
    data = xlsx(
        {
            "B": [
                ["Namn", "Samverkansform", "Parter"],
                ["Bra", "avtal", "Vaxholm"],
                ["Dålig", "avtal", "Atlantis"],
            ]
        }
    )
    batch = batch_preview(data=data, file_name="x.xlsx", organisation=taby)
    client.force_login(taby_editor)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert "Ogiltig" in page and "Parten ”Atlantis” finns inte" in page
    assert reverse("importers:batch_invalid_rows", args=[batch.pk]) in page
    only_invalid = client.get(
        reverse("importers:batch_detail", args=[batch.pk]) + "?utfall=invalid"
    ).content.decode()
    assert "Atlantis" in only_invalid and ">Bra<" not in only_invalid
    response = client.get(reverse("importers:batch_invalid_rows", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A5"].value == "Dålig"
    response = client.post(
        reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"}, follow=True
    )
    assert "Ingenting sparades" in response.content.decode()
    assert not Arrangement.objects.exists()


def test_export_portfolio_downloads_xlsx_of_visible_arrangements(client, taby, taby_reader):
    f.make_participation(f.make_arrangement(name="Vår samverkan"), taby)
    client.force_login(taby_reader)
    response = client.get(reverse("importers:export_portfolio", args=[taby.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Samverkan"]
    assert sheet["A5"].value == "Vår samverkan"


def test_the_pages_need_a_login(client, taby):
    response = client.get(reverse("importers:batch_list"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_an_admin_may_upload_for_any_organisation(client, admin_user, vaxholm):
    client.force_login(admin_user)
    response = client.post(
        reverse("importers:upload"), {"organisation": vaxholm.pk, "file": upload_file()}
    )
    assert response.status_code == 302
    assert ImportBatch.objects.get().organisation == vaxholm
    assert Membership.objects.count() == 0


def test_the_admin_lists_and_shows_import_batches(client, admin_user, taby):
    batch = batch_preview(data=EXAMPLE.read_bytes(), file_name="x.xlsx", organisation=taby)
    client.force_login(admin_user)
    assert client.get(reverse("admin:importers_importbatch_changelist")).status_code == 200
    page = client.get(reverse("admin:importers_importbatch_change", args=[batch.pk]))
    assert page.status_code == 200 and "x.xlsx" in page.content.decode()
    row = batch.rows.first()
    assert client.get(reverse("admin:importers_importrow_change", args=[row.pk])).status_code == 200


def test_the_page_links_keep_the_rows_filter_and_the_place_on_the_page():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(120), 50).page(2)
    html = render_to_string(
        "includes/pagination.html", {"page": page, "query": "utfall=invalid&", "anchor": "#rader"}
    )
    assert 'href="?utfall=invalid&amp;sida=1#rader">Föregående' in html
    assert 'href="?utfall=invalid&amp;sida=3#rader">Nästa' in html
    assert "Sida 2 av 3" in html
    plain = render_to_string("includes/pagination.html", {"page": page, "query": "", "anchor": ""})
    assert 'href="?sida=3">Nästa' in plain
