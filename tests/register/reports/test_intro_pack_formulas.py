"""The introduction pack's workbook writes other organisations' text as text: an arrangement
shared by Täby and Vallentuna, renamed by Vallentuna's editor to a formula, is no formula in the
workbook Täby's reader downloads, nor is Täby's own text that starts with + - or @."""

import io

import openpyxl
import pytest
from django.urls import reverse

from register.access import Access
from register.models import Membership
from register.services.records import record_save
from tests import factories as f

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def test_a_partners_formula_is_text_in_our_packs_workbook(client, taby):
    vallentuna = f.municipality("0115")
    arrangement = f.make_arrangement(members=(taby, vallentuna), name="Norrorts IT-nämnd")
    ours = arrangement.participations.get(organisation=taby)
    ours.political_body = "+Kommunstyrelsen"
    ours.save()
    # Vallentuna's editor may change the shared arrangement, and renames it.
    editor = f.make_member(vallentuna, Membership.Role.EDITOR, "vallentuna-redaktor")
    arrangement.name = EVIL
    arrangement.public_description = "@SUM(1;2)"
    record_save(access=Access.for_user(editor), instance=arrangement)

    client.force_login(f.make_member(taby, Membership.Role.READER, "paket-lasare"))
    response = client.get(reverse("register:intro_pack_xlsx", args=[taby.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    seen = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix
                    seen.setdefault(cell.value, []).append(sheet.title)
    # The name is in every sheet that lists arrangements, as the text it is.
    assert {"Uppdrag", "Vem beslutar", "Portfölj"} <= set(seen[EVIL])
    assert "+Kommunstyrelsen" in seen and "@SUM(1;2)" in seen
