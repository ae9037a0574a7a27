"""The network's figures as XLSX through the one workbook writer: an organisation's name that
looks like a formula is text, in the rows and in the partner columns."""

import io

import pytest
from openpyxl import load_workbook

from register.models import Organisation
from tests.register.web.test_network import download_urls, editor, world  # noqa: F401

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def test_a_name_that_looks_like_a_formula_is_text_in_the_figures(world, editor, client):  # noqa: F811
    Organisation.objects.filter(code="0187").update(name=EVIL, short_name=EVIL)  # Vaxholm
    client.force_login(editor)
    for url in download_urls(world):
        book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
        sheet = book["Nätverksmått"]
        assert sheet["A1"].font.bold and sheet["A3"].value == "Kod"
        cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], url
        assert [c for c in cells if c.value == EVIL and c.data_type == "s"], url
