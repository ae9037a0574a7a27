"""The partner network in Chromium: an organisation's network picture and its table, a node's
link followed, axe with zero violations, no CSP violations; screenshots of the three network
pages at 1280 and 390 px in test-artifacts/browser/."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from register.models import Organisation

axe = Axe()


def violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def test_an_organisations_network_has_a_picture_a_table_and_links(
    logged_in_page, live_server, screenshot
):
    page = logged_in_page
    csp = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    taby = Organisation.objects.get(code="0160", kind=Organisation.Kind.MUNICIPALITY)
    page.goto(f"{live_server.url}{reverse('register:organisation_detail', args=[taby.pk])}")
    page.get_by_role("link", name="Partnernätverk").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Partnernätverket för Täby kommun"
    picture = page.locator("svg.network-svg")
    assert picture.is_visible()
    table = page.locator("#partnertabell")
    assert table.locator("tbody tr").count() >= 10
    assert table.get_by_role("link", name="Danderyd", exact=True).count() == 1
    assert violations(page) == []
    screenshot(page, "network-organisation-1280")

    # Follow a node of the picture: Danderyd's link.
    node = picture.locator("a[aria-label^='Danderyd,']")
    assert node.count() == 1
    node.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Danderyds kommun"
    assert csp == []


def test_the_network_pages_at_two_widths(logged_in_page, live_server, screenshot):
    page = logged_in_page
    taby = Organisation.objects.get(code="0160", kind=Organisation.Kind.MUNICIPALITY)
    urls = {
        "organisation": reverse("register:organisation_network", args=[taby.pk]),
        "county": reverse("register:network_county", args=[taby.county_id]),
        "national": reverse("register:network_national"),
        "influence": reverse("register:organisation_influence", args=[taby.pk]),
    }
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in urls.items():
            page.goto(f"{live_server.url}{url}")
            assert violations(page) == [], name
            screenshot(page, f"network-{name}-{width}")
