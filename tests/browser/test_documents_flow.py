"""The governing documents in a real browser (issue 24): Täby's editor uploads the
förbundsordning, uploads a new version that supersedes it (the old one stays readable, marked
"Ersatt av …"), finds the new version by a word of its text through the header's search box
(written without å/ä/ö, in another inflection), downloads both; an anonymous visitor downloads the
published one from Insyn."""

from __future__ import annotations

import pytest

from register.models import Document, Membership
from register.public.selectors import arrangement_slug
from tests import factories as f
from tests.document_files import pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "dokument-losen-1"


def upload(page, *, version: str, text: str) -> None:
    page.get_by_label("Version").fill(version)
    page.locator("input[type=file]").set_input_files(
        {
            "name": f"Förbundsordning {version}.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes(text),
        }
    )
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()


def test_upload_version_supersede_and_download(live_server, browser, page, taby, vaxholm):
    federation = f.make_arrangement(
        name="Roslagens brandförsvarsförbund",
        host=taby,
        form_slug="municipal_federation",
        is_published=True,
    )
    f.make_participation(federation, taby, role="host")
    f.make_participation(federation, vaxholm, role="member")
    editor = f.make_member(taby, Membership.Role.EDITOR, "dokument-redaktor")
    editor.set_password(PASSWORD)
    editor.save()

    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("dokument-redaktor")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()

    # Upload the förbundsordning from the arrangement's page.
    page.goto(f"{live_server.url}{federation.get_absolute_url()}")
    page.get_by_role("link", name="Nytt dokument").click()
    page.get_by_label("Dokumenttyp").select_option(label="Förbundsordning")
    page.get_by_label("Titel").fill("Förbundsordning")
    page.get_by_label("Publicerad").check()
    upload(page, version="2019", text="Den gamla förbundsordningen.")
    first = Document.objects.get()
    assert page.url.endswith(first.get_absolute_url())
    assert first.text_status == Document.TextStatus.DONE

    # A new version supersedes it.
    page.get_by_role("link", name="Ny version").click()
    upload(page, version="2024", text="Den nya förbundsordningen om slamtömningen i länet.")
    second = Document.objects.exclude(pk=first.pk).get()
    assert second.supersedes_id == first.pk and second.is_published
    assert page.url.endswith(second.get_absolute_url())

    # The header's search finds it by a word of the file's text, without å/ä/ö and inflected
    # otherwise; the hit shows the word marked and leads to the document.
    page.locator("#header-search-q").fill("slamtomning")
    page.locator("#header-search-q").press("Enter")  # at 1280 px the box is sent with Enter
    page.wait_for_load_state()
    group = page.locator("section", has=page.locator("#rubrik-document"))
    assert "slamtömningen" in group.locator("mark").first.inner_text().lower()
    group.get_by_role("link", name="Förbundsordning (2024)").click()
    page.wait_for_load_state()
    assert page.url.endswith(second.get_absolute_url())

    # The old one stays readable under "Tidigare versioner", marked "Ersatt av …".
    page.goto(f"{live_server.url}{federation.get_absolute_url()}")
    section = page.locator("section", has=page.locator("#dokument"))
    assert "2024" in section.locator("table").inner_text()
    section.get_by_text("Tidigare versioner (1)").click()
    older = section.locator("details.older-versions")
    assert "Ersatt av Förbundsordning (2024)" in older.inner_text()
    with page.expect_download() as old_download:
        older.get_by_role("link", name="Ladda ner").click()
    assert old_download.value.suggested_filename == "Förbundsordning 2019.pdf"
    older.get_by_role("link", name="Förbundsordning (2019)").click()
    assert "Ersatt av" in page.locator("main").inner_text()

    # An anonymous visitor downloads the published (current) one from Insyn.
    visitor = browser.new_context(locale="sv-SE").new_page()
    slug = arrangement_slug({"id": federation.pk, "name": federation.name})
    visitor.goto(f"{live_server.url}/insyn/samverkan/{slug}/")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Förbundsordning (2024)").click()
    assert download.value.suggested_filename == "Förbundsordning 2024.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == second.file.open("rb").read()
    visitor.context.close()
