"""The main pages, as each demo user sees them in Chromium: no serious or critical axe violations,
Swedish as the page language, and a main heading. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from register.access import Access
from register.models import Organisation

SERIOUS = {"serious", "critical"}
DEMO_USERS = ["admin", "taby-redaktor", "taby-lasare"]
TABY = "0160"

axe = Axe()


def main_pages(username: str) -> list[tuple[str, str]]:
    """Return (name, path) of the main pages, with detail pages the user is allowed to see."""
    user = get_user_model().objects.get(username=username)
    access = Access.for_user(user)
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    arrangements = access.arrangements()
    # The richest page there is: the example portfolio's arrangement with the most cost rows.
    richest = (
        arrangements.annotate(cost_rows=Count("participations__costs"))
        .order_by("-cost_rows", "pk")
        .first()
    )
    assert richest is not None, f"{username} ser ingen samverkan efter load_demo"
    real = arrangements.filter(is_example=False).order_by("pk").first()
    pages = [
        ("home", reverse("register:home")),
        ("arrangement_list", reverse("register:arrangement_list")),
        ("arrangement_detail", reverse("register:arrangement_detail", args=[richest.pk])),
        ("organisation_list", reverse("register:organisation_list")),
        ("organisation_detail", reverse("register:organisation_detail", args=[taby.pk])),
        ("person_list", reverse("register:person_list")),
        ("decision_list", reverse("register:decision_list")),
        ("join_request_list", reverse("register:join_request_list")),
    ]
    if real is not None and real.pk != richest.pk:
        pages.append(
            ("arrangement_detail_real", reverse("register:arrangement_detail", args=[real.pk]))
        )
    return pages


def page_problems(page, name: str) -> list[str]:
    """Return what is wrong with the page now shown: language, main heading, axe violations."""
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if lang != "sv":
        problems.append(f'{name}: <html lang="{lang}">, väntade "sv"')
    h1 = page.locator("h1")
    if h1.count() < 1 or not h1.first.inner_text().strip():
        problems.append(f"{name}: ingen h1 med text")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(
                f"{name}: axe {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{len(violation['nodes'])} st: {targets}]"
            )
    return problems


def test_the_login_page_is_accessible(page, live_server, screenshot):
    response = page.goto(f"{live_server.url}{reverse('login')}")

    assert response.status == 200
    screenshot(page, "anonymous-login")
    assert page_problems(page, "login") == []


def test_anonymous_visitors_are_sent_to_the_login_page(page, live_server):
    page.goto(f"{live_server.url}{reverse('register:home')}")

    assert reverse("login") in page.url
    assert page.get_by_label("Lösenord").is_visible()


def test_the_main_pages_are_accessible_for_every_demo_user(
    demo_data, browser, login_as, live_server, screenshot
):
    # One test for all three users: the demo data are loaded once (a transactional test
    # cannot share them with the next one), and each user gets a fresh browser context.
    problems = []
    for username in DEMO_USERS:
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login_as(username, on=page)
        for name, path in main_pages(username):
            response = page.goto(f"{live_server.url}{path}")
            screenshot(page, f"{username}-{name}")
            if response.status != 200:
                problems.append(f"{username} {name}: HTTP {response.status} för {path}")
                continue
            problems += [f"{username} {problem}" for problem in page_problems(page, name)]
        context.close()

    assert problems == [], "\n".join(problems)
