"""Upload, preview, commit and undo in a real browser (Playwright driving the system Chromium)."""

import os

import pytest

from importers.models import ImportBatch
from register.models import Arrangement, Membership
from tests import factories as f
from tests.importers.conftest import EXAMPLE

# A live server needs committed data: the test is transactional, and the reference data the
# migrations loaded (municipalities) is restored for it (serialized_rollback).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = os.environ.get("IMPORT_SCREENSHOTS")


def assert_accessible(page):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def open_the_upload_page_as_taby_s_registrar(live_server, page):
    """Log in as an editor for Täby through the form and land on the upload page."""
    taby = f.municipality("0160")
    f.make_member(taby, Membership.Role.EDITOR, "registrator")
    page.goto(f"{live_server.url}/logga-in/?next=/import/ladda-upp/")
    page.get_by_label("Användarnamn").fill("registrator")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/import/ladda-upp/")


def test_upload_preview_commit_and_undo_in_the_browser(live_server, page):
    open_the_upload_page_as_taby_s_registrar(live_server, page)
    assert page.locator("h1").inner_text() == "Importera en Excel-lista"

    page.get_by_label("Excel-fil (.xlsx, .xls eller CSV)").set_input_files(str(EXAMPLE))
    assert page.get_by_label("Allt eller inget", exact=False).is_checked()
    shot(page, "import-upload")
    assert_accessible(page)
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url("**/import/*/")
    assert "Förhandsgranskning" in page.locator("h1").inner_text()
    assert "Ingenting är sparat ännu" in page.content()
    assert (
        page.locator("table.import-rows > tbody > tr").count() == 6
    )  # five arrangements and "Summa"
    assert page.locator("table.import-rows .outcome.new").count() == 5
    assert not Arrangement.objects.exists()
    shot(page, "import-preview")
    assert_accessible(page)

    page.get_by_role("button", name="Spara importen").click()
    page.wait_for_load_state()
    assert "Importen är sparad" in page.content()
    assert Arrangement.objects.count() == 5
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.COMMITTED
    shot(page, "import-committed")

    page.get_by_role("link", name="Ångra importen …").click()  # asks first, like every deletion
    page.wait_for_load_state()
    assert Arrangement.objects.count() == 5
    assert_accessible(page)
    page.get_by_role("button", name="Ångra importen").click()
    page.wait_for_load_state()
    assert "Importen är ångrad" in page.content()
    assert not Arrangement.objects.exists()
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.UNDONE
    shot(page, "import-undone")


def _list_with_a_misspelt_partner(path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Namn", "Samverkansform", "Parter", "Kostnad (tkr)", None, "Våra ledamöter"])
    sheet.append([None, None, None, "Budget 2025", "Utfall 2024", None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"):
        sheet.merge_cells(cells)
    sheet.append(
        [
            "Gemensam överförmyndarnämnd för Roslagens och Södertörns kommuner",
            "Gem. nämnd",
            "Vaxholm samt Danderyds kommun & Kungälf",
            "1 250,5",
            "1\u00a0180",
            "Anna Berg (M) ordf.; Per Ek, S, ers.",
        ]
    )
    book.save(path)
    return path


def test_on_a_phone_every_row_s_changes_and_choices_are_in_view(live_server, page, tmp_path):
    open_the_upload_page_as_taby_s_registrar(live_server, page)
    page.get_by_label("Excel-fil (.xlsx, .xls eller CSV)").set_input_files(
        str(_list_with_a_misspelt_partner(tmp_path / "lista.xlsx"))
    )
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url("**/import/*/")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "import-preview-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("table.import-rows td.what", "form.row-choice", "form.row-choice select"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    assert_accessible(page)

    page.get_by_label("Vilken organisation är ”Kungälf”?").select_option(label="Kungälvs kommun")
    page.get_by_role("button", name="Spara valet").click()
    page.wait_for_load_state()
    assert page.locator("table.import-rows .outcome.new").count() == 1
    diff = page.locator("table.import-rows table.diff")
    assert "Kungälvs kommun" in diff.inner_text()
    box = diff.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "import-preview-phone-chosen")
    assert_accessible(page)
