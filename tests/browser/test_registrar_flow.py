"""The registrar's import flow in a real browser at 1280 and 390 px (issue 21): the question
"Är det samma samverkan?" is met before the save button, which waits until it is answered;
the seats the import ends are in the summary; the saved import speaks in the past tense. No
horizontal overflow, no word broken inside, axe clean."""

import os

import pytest

from importers.models import ImportBatch
from register.models import Arrangement, Membership, Seat
from tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = os.environ.get("IMPORT_SCREENSHOTS")
WIDTHS = (1280, 390)

# Words split inside (a word whose letters stand on two lines), in the page's main content.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main") || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[^\\s\\-–—\\/,;:()”"]{4,}/g;
    let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


def assert_accessible(page):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()


def assert_fits(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(BROKEN_WORDS) == []
    assert_accessible(page)
    if SCREENSHOTS:
        name = page.url.rstrip("/").rsplit("/", 1)[-1] or "page"
        page.screenshot(
            path=os.path.join(SCREENSHOTS, f"registrar-{name}-{width}.png"), full_page=True
        )


@pytest.fixture
def world():
    """Täby and Vaxholm share a joint committee (Täby hosts); Täby sits in it with a chair and a
    substitute. Täby's registrar logs in."""
    taby, vaxholm = f.municipality("0160"), f.municipality("0187")
    committee = f.make_arrangement(
        name="Södra Roslagens miljö- och hälsoskyddsnämnd", form_slug="joint_committee", host=taby
    )
    f.make_participation(committee, taby, role="host")
    f.make_participation(committee, vaxholm, role="member")
    wages = f.make_arrangement(name="Gemensam lönenämnd", form_slug="joint_committee", host=taby)
    f.make_participation(wages, taby, role="host")
    body = f.make_body(wages, kind="joint_committee", name="Lönenämnden")
    for name, party, role in (("Maria Berg", "M", "chair"), ("Karl Öhman", "L", "substitute")):
        f.make_seat(body, f.make_person(name=name, organisation=taby), taby, party=party, role=role)
    f.make_member(taby, Membership.Role.EDITOR, "registrator")
    return committee


def a_list(path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Samverkan"
    sheet.append(["Namn", "Samverkansform", "Parter", "Värdkommun", "Våra ledamöter"])
    sheet.append(
        ["Miljö- och hälsoskyddsnämnden Täby–Vaxholm", "gem. nämnd", "Vaxholm", "Täby", ""]
    )
    sheet.append(["Gemensam lönenämnd", "gem. nämnd", "", "Täby", "Maria Berg (M) ordf."])
    book.save(path)
    return path


def test_the_registrar_answers_the_question_before_saving(live_server, page, tmp_path, world):
    page.goto(f"{live_server.url}/logga-in/?next=/import/ladda-upp/")
    page.get_by_label("Användarnamn").fill("registrator")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/import/ladda-upp/")
    page.get_by_label("Excel-fil (.xlsx, .xls eller CSV)").set_input_files(
        str(a_list(tmp_path / "lista.xlsx"))
    )
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url("**/import/*/")
    preview_url = page.url

    for width in WIDTHS:
        assert_fits(page, width)
        question = page.get_by_role(
            "group", name="Är det samma samverkan? Vilken samverkan är rad 2?"
        )
        save = page.get_by_role("button", name="Spara importen")
        # The registrar meets the question first; the button waits, saying why beside it.
        assert question.bounding_box()["y"] < save.bounding_box()["y"]
        assert save.is_disabled()
        blocker = page.locator("#obesvarade")
        assert "Svara först på 1 fråga." in blocker.inner_text()
        assert blocker.bounding_box()["y"] < save.bounding_box()["y"]
        summary = page.locator("ul.outcome-summary").inner_text()
        assert "Uppdrag upphör" in summary and "ledamot förlorar sin plats" in summary
        assert (
            "Karl Öhman (L), ersättare i Gemensam lönenämnd"
            in page.locator("ul.seats-ending").inner_text()
        )
    assert not Arrangement.objects.filter(name__startswith="Miljö- och").exists()

    page.get_by_label("Samma samverkan som ”Södra Roslagens miljö- och hälsoskyddsnämnd”").check()
    page.get_by_role("button", name="Spara valet").click()
    page.wait_for_load_state()
    assert "Valet är sparat" in page.content()
    save = page.get_by_role("button", name="Spara importen")
    assert save.is_enabled()
    assert page.locator("#obesvarade").count() == 0
    save.click()
    page.wait_for_load_state()
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.COMMITTED
    assert Arrangement.objects.count() == 2  # the question answered: no duplicate
    assert not Seat.objects.filter(person__name="Karl Öhman").exists()
    assert page.url == preview_url
    assert "1 uppdrag upphörde" in page.locator("main").inner_text()  # the message, once

    for width in WIDTHS:
        assert_fits(page, width)
        main = page.locator("main").inner_text()
        assert "Importen är sparad" in main
        assert "Uppdateras" not in main and "uppdaterades" not in main
        assert "Uppdrag som upphörde" in main and "ledamot förlorade sin plats" in main
        headers = page.locator("table.diff th[scope=col]").all_inner_texts()
        assert "Nu" not in headers and "Blir" not in headers
        assert "Före" in headers and "Efter" in headers
