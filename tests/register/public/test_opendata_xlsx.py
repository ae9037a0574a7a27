"""Open data as XLSX through the one workbook writer: a partner's formula is text, a control
character pasted into a text does not stop the download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from register.models import Arrangement
from register.public import opendata

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def test_every_xlsx_download_writes_formulas_as_text_and_drops_control_characters(
    client, public_world
):
    Arrangement.objects.filter(pk=public_world["arrangement"].pk).update(
        name=EVIL, public_description="Rad ett\x0bRad två"
    )
    urls = [reverse("public:organisation_list", args=["0160", n, "xlsx"]) for n in opendata.LISTS]
    urls.append(reverse("public:bulk", args=["xlsx"]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        book = load_workbook(io.BytesIO(response.content))
        texts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (url, sheet.title, cell.coordinate)
                    texts.append(cell.value)
        assert EVIL in texts or "Inga uppgifter" in texts, url
    whole = load_workbook(io.BytesIO(client.get(urls[-1]).content))["Samverkan"]
    assert [whole["A2"].value, whole["H2"].value] == [EVIL, "Rad ettRad två"]
