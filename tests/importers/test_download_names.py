"""The import downloads' file names (Content-Disposition, RFC 6266): Swedish letters survive, and
no uploaded file's name can make the browser save something else than the xlsx that is sent."""

import email.message

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importers.models import ImportBatch
from importers.services import batch_preview

INVALID_ROW = [["Namn", "Samverkansform", "Parter"], ["Dålig", "avtal", "Atlantis"]]


def filename_of(response) -> str:
    """Return the file name a browser saves the response as, read as RFC 6266 says."""
    header = response["Content-Disposition"]
    message = email.message.Message()
    message["Content-Disposition"] = header
    assert message.get_content_disposition() == "attachment", header
    params = [name for name, _ in message.get_params(header="content-disposition")[1:]]
    assert params == ["filename"], f"exactly one file name in {header!r}"
    return message.get_filename()


@pytest.fixture
def invalid_rows_download(client, taby, taby_editor, xlsx):
    """Return ``download(file_name)``: the invalid-rows download of a batch from that file."""
    client.force_login(taby_editor)

    def download(file_name: str):
        batch = batch_preview(
            data=xlsx({"Blad1": INVALID_ROW}), file_name=file_name, organisation=taby
        )
        response = client.get(reverse("importers:batch_invalid_rows", args=[batch.pk]))
        assert response.status_code == 200
        return response

    return download


@pytest.mark.django_db
def test_the_invalid_rows_download_keeps_swedish_letters_and_emoji(invalid_rows_download):
    response = invalid_rows_download("räksmörgås 🙂.xlsx")

    assert filename_of(response) == "ogiltiga-rader-räksmörgås 🙂.xlsx"
    assert (
        "filename*=utf-8''ogiltiga-rader-r%C3%A4ksm%C3%B6rg%C3%A5s%20%F0%9F%99%82.xlsx"
        in (response["Content-Disposition"])
    )
    assert response["Content-Disposition"].isascii()


@pytest.mark.django_db
def test_an_uploaded_file_with_a_swedish_name_downloads_under_that_name(
    client, taby, taby_editor, xlsx
):
    client.force_login(taby_editor)
    upload = SimpleUploadedFile("Förteckning Täby 2025.xlsx", xlsx({"Blad1": INVALID_ROW}))
    client.post(reverse("importers:upload"), {"organisation": taby.pk, "file": upload})
    batch = ImportBatch.objects.get()

    response = client.get(reverse("importers:batch_invalid_rows", args=[batch.pk]))

    assert filename_of(response) == "ogiltiga-rader-Förteckning Täby 2025.xlsx"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")


@pytest.mark.django_db
def test_quotes_and_semicolons_in_the_name_cannot_add_a_second_file_name(invalid_rows_download):
    response = invalid_rows_download('lista"; filename="elak.html"; x=".xlsx')

    name = filename_of(response)
    assert name.endswith(".xlsx") and not name.endswith(".html.xlsx")
    assert '"' not in name and ";" not in name
    assert name.startswith("ogiltiga-rader-lista")


@pytest.mark.django_db
def test_an_html_file_name_downloads_as_xlsx(invalid_rows_download):
    response = invalid_rows_download("x.html")

    assert filename_of(response) == "ogiltiga-rader-x.xlsx"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("../../etc/passwd", "ogiltiga-rader-passwd.xlsx"),
        ("C:\\Users\\kalle\\lista.xlsx", "ogiltiga-rader-lista.xlsx"),
        ("lista\r\nSet-Cookie: a=b.xlsx", "ogiltiga-rader-lista Set-Cookie- a=b.xlsx"),
        ("", "ogiltiga-rader-fil.xlsx"),
    ],
)
def test_paths_and_control_characters_never_reach_the_header(
    invalid_rows_download, file_name, expected
):
    response = invalid_rows_download(file_name)

    assert filename_of(response) == expected
    assert (
        "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    )


@pytest.mark.django_db
def test_the_portfolio_export_is_named_through_the_same_helper(client, taby, taby_reader):
    client.force_login(taby_reader)

    response = client.get(reverse("importers:export_portfolio", args=[taby.pk]))

    name = filename_of(response)
    assert name.startswith("samverkan-taby-") and name.endswith(".xlsx")
