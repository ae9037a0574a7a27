"""The public site (Insyn) in Chromium, not logged in: zero axe violations of any impact on every
public page type, one h1 and no skipped heading level, a skip link that works, no CSP
violation, and screenshots at 1280 and 390 px in /work/wt/public-shots/ (or PUBLIC_SHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.db.models import Count
from django.urls import reverse

from register.models import Arrangement
from register.public.selectors import arrangement_slug

SHOTS = Path(os.environ.get("PUBLIC_SHOTS", "/work/wt/public-shots"))
WIDTHS = (1280, 390)
axe = Axe()


def public_pages() -> list[tuple[str, str]]:
    richest = (
        Arrangement.objects.filter(is_published=True)
        .annotate(rows=Count("participations__costs"))
        .order_by("-rows", "pk")
        .first()
    )
    real = Arrangement.objects.filter(is_published=True, is_example=False).order_by("pk").first()
    return [
        ("index", reverse("public:index")),
        ("search", reverse("public:index") + "?q=sophämtning"),
        ("organisation", reverse("public:organisation", args=["0160"])),
        ("responsible", reverse("public:responsible", args=["0160"])),
        ("embed", reverse("public:embed", args=["0160"])),
        ("arrangement", reverse("public:arrangement", args=[arrangement_slug(vars(richest))])),
        ("arrangement_real", reverse("public:arrangement", args=[arrangement_slug(vars(real))])),
        ("data", reverse("public:data")),
        ("accessibility", reverse("public:accessibility")),
        ("not_found", "/insyn/9999/"),
    ]


HEADINGS = (
    """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1])"""
)


def heading_problems(levels: list[int]) -> list[str]:
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"h{before} följs av h{after}")
    return problems


def test_every_public_page_type_has_no_axe_violations(demo_data, browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems, csp = [], []

    def on_console(message):
        if "Content Security" in message.text:
            csp.append(message.text)

    for width in WIDTHS:
        context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", on_console)
        for name, path in public_pages():
            response = page.goto(f"{live_server.url}{path}")
            expected = 404 if name == "not_found" else 200
            if response.status != expected:
                problems.append(f"{name}: HTTP {response.status} för {path}")
                continue
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            if page.evaluate("document.documentElement.lang") != "sv":
                problems.append(f"{name}: sidans språk är inte sv")
            problems += [f"{name}: {p}" for p in heading_problems(page.evaluate(HEADINGS))]
            if width == WIDTHS[0]:
                for violation in axe.run(page).response["violations"]:
                    targets = "; ".join(", ".join(n["target"]) for n in violation["nodes"][:5])
                    problems.append(
                        f"{name}: axe {violation['id']} ({violation['impact']}): "
                        f"{violation['help']} [{targets}]"
                    )
            # At 390 px nothing is wider than the screen except scrollable tables.
            elif page.evaluate("document.documentElement.scrollWidth") > width + 1:
                problems.append(f"{name}: sidan är bredare än {width} px")
        context.close()
    problems += [f"CSP: {m}" for m in csp]
    assert problems == [], "\n".join(problems)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    demo_data, page, live_server
):
    page.goto(f"{live_server.url}{reverse('public:organisation', args=['0160'])}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
