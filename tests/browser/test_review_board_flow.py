"""Issue 21, the board member's flow in Chromium at 1280 and 390 px: open a review, fill every
item in the table editor (the "Ställningstagande" column), close it, read the review and its
pack. Every page: no sideways overflow, no word broken inside, no serious axe violation. A
review dated after today cannot be closed, and the close page says why."""

from __future__ import annotations

import datetime as dt
import re

from axe_playwright_python.sync_playwright import Axe

from register import rules
from register.models import Decision, Review

SERIOUS = {"serious", "critical"}
WIDTHS = (1280, 390)
axe = Axe()

# Every word (of four letters or more) in the page's main part whose letters lie on more than one
# line: "Överförmyndarnämnde|n". A break at a space, a hyphen or a slash is a break between words.
BROKEN_WORDS = """() => {
  const broken = [];
  const root = document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('select, option, textarea, script, style, .visually-hidden')) continue;
    const re = /[^\\s\\/\\-–]{4,}/g;
    let m;
    while ((m = re.exec(node.data)) !== null) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top / 4)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


def page_problems(page, name: str, width: int) -> list[str]:
    where = f"{name} vid {width} px"
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        problems.append(f"{where}: sidan är {overflow} px bred")
    broken = page.evaluate(BROKEN_WORDS)
    if broken:
        problems.append(f"{where}: ord brutna inuti: {', '.join(sorted(set(broken)))}")
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = "; ".join(", ".join(n["target"]) for n in violation["nodes"][:5])
            problems.append(f"{where}: axe {violation['id']}: {violation['help']} [{targets}]")
    return problems


def look(page, url: str, name: str, screenshot) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response.status == 200, (name, response.status)
        screenshot(page, f"board-{name}-{width}")
        problems += page_problems(page, name, width)
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def test_the_board_members_review_at_1280_and_390(
    demo_data, browser, login_as, live_server, screenshot
):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    login_as("taby-redaktor", on=page)
    base = live_server.url
    problems = []

    # The closed demo review, its pack on screen.
    demo = Review.objects.get(is_example=True)
    problems += look(page, f"{base}{demo.get_absolute_url()}", "genomgang", screenshot)
    problems += look(page, f"{base}/genomgangar/{demo.pk}/underlag/", "underlag", screenshot)

    # A new review held a week ago: an item per running participation.
    held = rules.today() - dt.timedelta(days=7)
    page.goto(f"{base}/genomgangar/ny/")
    page.get_by_label("Datum").fill(held.isoformat())
    page.get_by_label("Rubrik").fill("KS genomgång i webbläsaren")
    page.get_by_label("Paragraf/diarienummer").fill("KS § 21")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/$"))
    review = Review.objects.get(title="KS genomgång i webbläsaren")
    items = review.items.count()
    assert items >= 10

    # Only the table editor: a "Ställningstagande" for every item, then close.
    editor = f"{base}/genomgangar/{review.pk}/punkter/"
    problems += look(page, editor, "punkter", screenshot)
    page.goto(editor)
    assert page.get_by_role("columnheader", name="Ställningstagande").count() == 1
    for n in range(1, items + 1):
        page.get_by_label(f"Ställningstagande, rad {n}", exact=True).select_option(label="Fortsätt")
    page.get_by_label("Inriktning, rad 1", exact=True).select_option(label="Utveckla")
    page.get_by_label("Prioritet, rad 1", exact=True).select_option(label="Hög")
    page.get_by_role("button", name="Spara alla").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/(#.*)?$"))
    first = page.locator("article.review-item").first.inner_text()
    assert "Inriktning\nUtveckla" in first or "Inriktning\tUtveckla" in first, first
    problems += look(page, f"{base}{review.get_absolute_url()}", "ny-genomgang", screenshot)

    problems += look(page, f"{base}/genomgangar/{review.pk}/avsluta/", "avsluta", screenshot)
    page.goto(f"{base}/genomgangar/{review.pk}/avsluta/")
    page.get_by_role("button", name="Avsluta genomgången").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/$"))
    assert f"{items} beslut har förts in på samverkan" in page.content()
    assert Decision.objects.filter(reference="KS § 21", date=held).count() == items

    # A review dated after today: the close page says so and offers no button.
    page.goto(f"{base}/genomgangar/ny/")
    later = rules.today() + dt.timedelta(days=4)
    page.get_by_label("Datum").fill(later.isoformat())
    page.get_by_label("Rubrik").fill("KS genomgång nästa vecka")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/$"))
    future = Review.objects.get(title="KS genomgång nästa vecka")
    future.items.update(outcome="continue")
    problems += look(
        page, f"{base}/genomgangar/{future.pk}/avsluta/", "avsluta-for-tidigt", screenshot
    )
    assert f"kan inte avslutas före sitt datum, {later:%Y-%m-%d}" in page.content()
    assert page.get_by_role("button", name="Avsluta genomgången").count() == 0
    context.close()

    assert problems == [], "\n".join(problems)
