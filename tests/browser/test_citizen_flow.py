"""Issue 21, the citizen's flow on Insyn in Chromium at 1280 and 390 px, on the demo data.

From the start page "/" (the login) to Insyn, a search for "sophämtning Täby" that answers who
decides on waste collection in Täby, Täby's "Vem ansvarar?" with its easy-to-read text and contact
links, the embeddable box for one service at the height its snippet names, and Täby's page with
its partners and its cost grid. On every page: no horizontal overflow, no word broken inside,
axe clean, and no CSP violation. Screenshots in test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

WIDTHS = (1280, 390)
axe = Axe()

# Every word of the page's text that the browser has laid out on more than one line. A word may
# break at a hyphen, a dash or a slash; text to copy (a textarea, code) is not read.
BROKEN_WORDS = r"""
() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest('textarea, pre, code, script, style, svg')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[^\s\-\u2010\u2013\u2014\/]+/g;
    let m;
    while ((m = re.exec(node.data))) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects())
        .filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}
"""


def check(page, name: str, width: int, problems: list[str], screenshot) -> None:
    screenshot(page, f"citizen-{name}-{width}")
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width + 1:
        problems.append(f"{name} {width} px: sidan är {wide} px bred")
    broken = page.evaluate(BROKEN_WORDS)
    if broken:
        problems.append(f"{name} {width} px: ord brutna mitt i: {broken[:8]}")
    for violation in axe.run(page).response["violations"]:
        targets = "; ".join(", ".join(n["target"]) for n in violation["nodes"][:5])
        problems.append(
            f"{name} {width} px: axe {violation['id']}: {violation['help']} [{targets}]"
        )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_citizen_finds_who_decides_in_their_municipality(
    demo_data, browser, live_server, screenshot, width
):
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp, problems = [], []
    page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    base = live_server.url

    # The start page is the login: it offers a forgotten password and the way to Insyn.
    page.goto(f"{base}/")
    check(page, "start", width, problems, screenshot)
    assert page.get_by_role("link", name="Glömt lösenordet?").is_visible()
    page.get_by_role("link", name="Gå till Insyn i kommunal samverkan").click()
    assert page.url == f"{base}{reverse('public:index')}"
    assert page.request.get(f"{base}/favicon.ico").status == 200

    # The search names a service and a municipality: the answer is Täby's.
    page.get_by_label("Kommun, region eller tjänst").fill("sophämtning Täby")
    page.get_by_role("button", name="Sök").click()
    check(page, "search", width, problems, screenshot)
    answer = page.locator("section.answer").first
    assert re.search(r"I Täby beslutar .+ om avfall", answer.inner_text())
    assert answer.get_by_role("link", name="Roslagens Återvinning AB").is_visible()
    assert page.get_by_role("link", name="Täby kommun", exact=True).is_visible()
    assert "Gästrike Återvinnare" not in page.locator("main").inner_text()
    answer.get_by_role("link", name="Roslagens Återvinning AB").click()
    check(page, "arrangement", width, problems, screenshot)
    assert page.locator("h1").inner_text() == "Roslagens Återvinning AB"
    page.go_back()

    # Who is responsible for waste in Täby: the easy-to-read text and the contact links.
    page.get_by_role("link", name="Vem ansvarar för avfall i Täby kommun?").click()
    assert page.url.endswith("#omrade-avfall")
    check(page, "responsible", width, problems, screenshot)
    assert page.locator("#lattlast").is_visible()
    waste = page.locator("section[aria-labelledby='omrade-avfall']")
    assert waste.get_by_role("link", name="Täby kommuns webbplats").get_attribute("href") == (
        "https://www.taby.se/"
    )
    assert "kontakta Täby kommun" not in page.locator("main").inner_text()

    # The box for waste alone, at the height its snippet names.
    page.locator("details.snippet summary", has_text="Avfall").click()
    snippet = page.get_by_label("Kod för rutan om avfall").input_value()
    src = re.search(r'src="([^"]+)"', snippet).group(1)
    height = int(re.search(r'height="(\d+)"', snippet).group(1))
    box = context.new_page()
    box.set_viewport_size({"width": min(width, 390), "height": 100})
    box.goto(src)
    real = box.evaluate("document.documentElement.scrollHeight")
    assert real <= height <= real * 1.3, (real, height)
    box.set_viewport_size({"width": width, "height": height})
    check(box, "embed-avfall", width, problems, screenshot)
    box.close()

    # Täby's page: partners as a Swedish list, the cost grid one row per arrangement.
    page.goto(f"{base}{reverse('public:organisation', args=['0160'])}")
    check(page, "organisation", width, problems, screenshot)
    partners = page.locator("dl.facts dt:text-is('Tillsammans med') + dd").all_inner_texts()
    assert partners and not [p for p in partners if p.strip().endswith(",") or not p.strip()]
    grid = page.locator("#kostnad-per-samverkan")
    years = grid.locator("thead th.num").count()
    rows = grid.locator("tbody tr").count()
    assert years >= 3 and rows == page.locator("#kostnad-per-samverkan tbody th").count()

    context.close()
    problems += [f"CSP: {m}" for m in csp]
    assert problems == [], "\n".join(problems)
