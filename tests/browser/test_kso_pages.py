"""The KSO's pages as Täby's editor sees them in Chromium at 1280 and 390 px (issue 21): the start
page, the overview, the introduction pack, the organisation page, the meeting pages and the one
message page. Each page fits the window (no sideways scrolling of the page or of a table), no word
has to be broken inside to fit, the menu is one row on a laptop, and axe finds nothing.
Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from register.models import Meeting, Organisation, Review

axe = Axe()
TABY = "0160"
WIDTHS = (1280, 390)

# With every means of breaking a word inside switched off, an element whose content is wider than
# the element needed such a break to fit. Inline elements have no box of their own to measure.
WORDS_THAT_DO_NOT_FIT = """() => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { overflow-wrap: normal !important; '
    + 'word-break: normal !important; hyphens: manual !important; }';
  document.head.appendChild(style);
  const found = [];
  const selector = 'main td, main th, main dd, main dt, main li, main p, main h1, main h2, '
    + 'main h3, main caption, main .figure, .site-header li';
  for (const el of document.querySelectorAll(selector)) {
    if (el.clientWidth <= 2 || getComputedStyle(el).display === 'inline') continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(el.tagName + ': ' + el.innerText.trim().slice(0, 60)
        + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
    }
  }
  for (const box of document.querySelectorAll('main .table-container, main .table-scroll')) {
    if (box.scrollWidth > box.clientWidth + 1) {
      found.push('tabell rullar i sidled: ' + (box.querySelector('caption') || box).innerText
        .trim().slice(0, 60) + ' (' + box.scrollWidth + ' > ' + box.clientWidth + ')');
    }
  }
  if (document.scrollingElement.scrollWidth > window.innerWidth) {
    found.push('sidan: ' + document.scrollingElement.scrollWidth + ' > ' + window.innerWidth);
  }
  style.remove();
  return found;
}"""

MENU_ROWS = """() => new Set([...document.querySelectorAll(
  '.site-header .menu > li, .site-header .brand, .site-header .user')]
  .map(el => Math.round(el.getBoundingClientRect().top / 12))).size"""


def kso_pages() -> dict[str, str]:
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    meeting = Meeting.objects.order_by("pk").first()
    assert meeting is not None, "load_demo ger inget sammanträde"
    # The demo's review by its organisation, not by a primary key that earlier tests move on.
    review = Review.objects.filter(organisation=taby).order_by("pk").first()
    assert review is not None, "load_demo ger ingen genomgång"
    return {
        "start": reverse("register:home"),
        "oversikt": reverse("register:overview_organisation", args=[taby.pk]),
        "introduktion": reverse("register:intro_pack_html", args=[taby.pk]),
        "organisation": reverse("register:organisation_detail", args=[taby.pk]),
        "sammantraden": reverse("register:meeting_index"),
        "sammantrade": reverse("register:meeting_detail", args=[meeting.pk]),
        "organets-sammantraden": reverse("register:body_meetings", args=[meeting.body_id]),
        "en-rost": reverse("register:organisation_one_message", args=[taby.pk]),
        "underlag": reverse("register:review_pack", args=[review.pk]),
    }


def test_the_kso_pages_fit_1280_and_390_px_without_breaking_words(
    demo_data, browser, login_as, live_server, screenshot
):
    pages = kso_pages()
    problems = []
    for width in WIDTHS:
        # bypass_csp: the test's own style element (WORDS_THAT_DO_NOT_FIT) is inline.
        context = browser.new_context(
            locale="sv-SE", viewport={"width": width, "height": 900}, bypass_csp=True
        )
        page = context.new_page()
        login_as("taby-redaktor", on=page)
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, response.status)
            screenshot(page, f"kso-{name}-{width}")
            where = f"{name} {width} px"
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{where}: sidan är {scroll_width} px bred")
            problems += [f"{where}: {p}" for p in page.evaluate(WORDS_THAT_DO_NOT_FIT)]
            if width == 1280 and name != "underlag":
                rows = page.evaluate(MENU_ROWS)
                if rows != 1:
                    problems.append(f"{where}: sidhuvudet har {rows} rader")
            for v in axe.run(page).response["violations"]:
                targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
                problems.append(f"{where}: axe {v['id']} ({v['impact']}): {v['help']} [{targets}]")
        context.close()

    # The organisation administrator: an editor's menu and the demo's longest name.
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login_as("taby-admin", on=page)
    page.goto(f"{live_server.url}{pages['start']}")
    if (rows := page.evaluate(MENU_ROWS)) != 1:
        problems.append(f"start 1280 px som taby-admin: sidhuvudet har {rows} rader")
    context.close()

    assert problems == [], "\n".join(problems)
