"""A PDF made in the background, in Chromium with JavaScript off: the PDF link leads to a progress
page with a real <progress> bar that refreshes itself (<meta http-equiv="refresh">, allowed by the
strict CSP) until the PDF is ready, and then offers it for download. The job runs in a thread of
the live server (JOBS_BACKEND "thread", the embedded default) and is held back until the test has
seen the page waiting, so that the refresh itself brings the finished page."""

from __future__ import annotations

import threading

from django.urls import reverse

from register.models import Membership
from tests import factories as f

PASSWORD = "pdf-flode-lösen-12"


def test_the_progress_page_refreshes_itself_without_javascript_until_the_pdf_is_ready(
    browser, live_server, settings, monkeypatch, tmp_path, shared_arrangement, taby, screenshot
):
    settings.JOBS_BACKEND = "thread"
    settings.MEDIA_ROOT = str(tmp_path)
    from register.reports import pdf_jobs

    go_on = threading.Event()
    make = pdf_jobs.MAKERS[pdf_jobs.Kind.INTRO_PACK]

    def held_back(access, job):
        go_on.wait(30)
        return make(access, job)

    monkeypatch.setitem(pdf_jobs.MAKERS, pdf_jobs.Kind.INTRO_PACK, held_back)
    user = f.make_member(taby, Membership.Role.READER, "pdf-flode")
    user.set_password(PASSWORD)
    user.save()

    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("pdf-flode")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()

    response = page.goto(live_server.url + reverse("register:intro_pack_pdf", args=[taby.pk]))
    assert "/jobb/" in page.url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.get_by_role("heading", name="Pdf:en tas fram").is_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    assert page.locator("progress").count() == 1
    screenshot(page, "pdf-progress-waiting")

    go_on.set()  # the job goes on; the page's own refresh brings the result
    page.get_by_role("heading", name="Pdf:en är klar").wait_for()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    screenshot(page, "pdf-progress-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hämta pdf:en").click()
    assert download.value.suggested_filename.startswith("introduktion-T")
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()
