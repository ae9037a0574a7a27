"""The overview as Täby's reader sees it in Chromium: the overview with its charts and tables, the
timeline, the goals map and the introduction pack, with no axe violations at all, at 1280 and
390 px, and the PDF downloaded. Screenshots go to test-artifacts/browser/ (and to the folder in
OVERVIEW_SHOTS, if set)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from register.models import Organisation

axe = Axe()
TABY = "0160"
WIDTHS = (1280, 390)


def violations(page, name: str) -> list[str]:
    problems = []
    if page.evaluate("document.documentElement.lang") != "sv":
        problems.append(f"{name}: sidans språk är inte sv")
    for v in axe.run(page).response["violations"]:
        targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        problems.append(f"{name}: axe {v['id']} ({v['impact']}): {v['help']} [{targets}]")
    return problems


def keep(path: Path) -> None:
    folder = os.environ.get("OVERVIEW_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def test_the_overview_timeline_goals_map_and_pack_are_accessible_at_desktop_and_phone_width(
    demo_data, browser, login_as, live_server, screenshot, tmp_path
):
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    pages = {
        "oversikt": reverse("register:overview_organisation", args=[taby.pk]),
        "tidslinje": reverse("register:overview_timeline", args=[taby.pk]),
        "malkarta": reverse("register:overview_goals", args=[taby.pk]),
        "introduktion": reverse("register:intro_pack_html", args=[taby.pk]),
    }
    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            locale="sv-SE", viewport={"width": width, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        login_as("taby-lasare", on=page)
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, response.status)
            keep(screenshot(page, f"overview-{name}-{width}"))
            problems += violations(page, f"{name} {width} px")
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width + 1:
                problems.append(f"{name} {width} px: sidan är {overflow} px bred")
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_overview_shows_a_chart_beside_its_table_and_hands_out_the_pdf(
    demo_data, logged_in_page, live_server, tmp_path
):
    page = logged_in_page
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    page.goto(f"{live_server.url}{reverse('register:overview_organisation', args=[taby.pk])}")
    chart = page.locator("svg#diagram-kostnad")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    name = page.locator("#diagram-kostnad-title").text_content()
    assert name.startswith("Kostnad per år")
    years = page.locator(
        "svg#diagram-kostnad text.label:not(.value):not(.note)"
    ).all_text_contents()
    table = page.get_by_role("table", name="Kostnad per år, i kronor och per invånare")
    assert table.is_visible()
    rows = table.locator("tbody th").all_text_contents()
    assert years == rows and len(rows) == 5
    with page.expect_download() as info:
        page.get_by_role("link", name="Introduktionen som PDF").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".pdf" and target.read_bytes().startswith(b"%PDF")


def test_the_overview_prints_on_a4_without_menus_and_without_losing_a_column(
    demo_data, browser, login_as, live_server, screenshot
):
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    # A4 at 96 dpi less the page margins: about 700 CSS pixels of width.
    context = browser.new_context(locale="sv-SE", viewport={"width": 700, "height": 1000})
    page = context.new_page()
    login_as("taby-lasare", on=page)
    page.goto(f"{live_server.url}{reverse('register:overview_organisation', args=[taby.pk])}")
    page.emulate_media(media="print")
    keep(screenshot(page, "overview-oversikt-print"))
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.filters").is_visible()
    widths = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(
            t => [t.getBoundingClientRect().right, document.documentElement.clientWidth])"""
    )
    assert widths and all(right <= viewport + 1 for right, viewport in widths), widths
    context.close()
