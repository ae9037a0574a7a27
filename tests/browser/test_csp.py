"""The strict Content-Security-Policy in Chromium: the main pages, the import pages and the admin
pages render with no violation at all (Chromium reports each blocked inline script or style as a
``securitypolicyviolation`` event and a console error)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from importers.services import batch_preview
from register.models import Arrangement, Organisation, Participation
from tests.importers.conftest import EXAMPLE

TABY = "0160"
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blockerade ${e.blockedURI || "inline"} `
                    + `(${e.sourceFile || location.pathname}:${e.lineNumber})`);
});
"""


def watch(page) -> list[str]:
    """Collect the page's CSP violations (events and console errors) in the returned list."""
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return console


def visit(page, url: str, console: list[str]) -> list[str]:
    """Open the page; return its problems: no policy header, or any violation."""
    console.clear()
    response = page.goto(url)
    page.wait_for_load_state("load")
    problems = []
    if response.status != 200:
        problems.append(f"HTTP {response.status}")
    policy = response.headers.get("content-security-policy", "")
    if "default-src 'self'" not in policy:
        problems.append(f"ingen Content-Security-Policy: {policy!r}")
    problems += page.evaluate("window.__csp") + console
    return problems


def pages_to_visit() -> list[tuple[str, str]]:
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    richest = (
        Arrangement.objects.annotate(cost_rows=Count("participations__costs"))
        .order_by("-cost_rows", "pk")
        .first()
    )
    participation = Participation.objects.filter(arrangement=richest, organisation=taby).first()
    admin = get_user_model().objects.get(username="admin")
    batch = batch_preview(
        data=EXAMPLE.read_bytes(), file_name="lista.xlsx", organisation=taby, user=admin
    )
    pages = [
        ("översikt", reverse("register:home")),
        ("samverkanslistan", reverse("register:arrangement_list")),
        ("samverkanslistan, filtrerad", reverse("register:arrangement_list") + "?q=a&sida=2"),
        ("organisationslistan", reverse("register:organisation_list")),
        ("en organisation", reverse("register:organisation_detail", args=[taby.pk])),
        ("personlistan", reverse("register:person_list")),
        ("beslutslistan", reverse("register:decision_list")),
        ("genomgångarna", reverse("register:review_list")),
        ("en samverkan", reverse("register:arrangement_detail", args=[richest.pk])),
        ("ändra en samverkan", reverse("register:arrangement_update", args=[richest.pk])),
        ("ny samverkan", reverse("register:arrangement_create")),
        ("organ (formset)", reverse("register:arrangement_bodies", args=[richest.pk])),
        ("importen", reverse("importers:upload")),
        ("importerna", reverse("importers:batch_list")),
        ("förhandsgranskningen", reverse("importers:batch_detail", args=[batch.pk])),
        ("admin", reverse("admin:index")),
        ("admin: samverkan", reverse("admin:register_arrangement_changelist")),
        ("admin: ändra samverkan", reverse("admin:register_arrangement_change", args=[richest.pk])),
        ("admin: ny samverkan", reverse("admin:register_arrangement_add")),
        ("admin: historik", reverse("admin:register_arrangement_history", args=[richest.pk])),
        ("admin: användare", reverse("admin:auth_user_change", args=[admin.pk])),
        ("admin: inloggningsspärrar", reverse("admin:axes_accessattempt_changelist")),
        ("admin: importomgång", reverse("admin:importers_importbatch_change", args=[batch.pk])),
    ]
    if participation is not None:
        pages.append(
            (
                "kostnader (formset)",
                reverse("register:participation_costs", args=[participation.pk]),
            )
        )
    return pages


def test_the_login_and_lockout_pages_have_no_csp_violations(page, live_server, demo_data):
    console = watch(page)
    problems = [f"inloggningen: {p}" for p in visit(page, f"{live_server.url}/logga-in/", console)]
    problems += [
        f"admins inloggning: {p}" for p in visit(page, f"{live_server.url}/admin/login/", console)
    ]
    page.goto(f"{live_server.url}/logga-in/")
    for _ in range(30):
        page.get_by_label("Användarnamn").fill("admin")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state("load")
        if "spärrad" in page.locator("h1").inner_text():
            break
    assert "Inloggningen är spärrad" in page.locator("h1").inner_text()
    problems += [f"spärrsidan: {p}" for p in page.evaluate("window.__csp") + console]

    assert problems == [], "\n".join(problems)


def test_the_main_import_and_admin_pages_have_no_csp_violations(
    page, live_server, demo_data, login_as, screenshot
):
    console = watch(page)
    login_as("admin")
    problems = []
    for name, path in pages_to_visit():
        problems += [f"{name} ({path}): {p}" for p in visit(page, live_server.url + path, console)]
        screenshot(page, f"csp-{path.strip('/').replace('/', '-') or 'hem'}")

    assert problems == [], "\n".join(problems)


def test_the_moved_styles_still_apply(page, live_server, demo_data, login_as):
    """The import pages' styles now come from static/importers/import.css, not a <style> block."""
    taby = Organisation.objects.get(code=TABY, kind=Organisation.Kind.MUNICIPALITY)
    batch = batch_preview(data=EXAMPLE.read_bytes(), file_name="lista.xlsx", organisation=taby)
    login_as("admin")

    page.goto(f"{live_server.url}{reverse('importers:batch_detail', args=[batch.pk])}")

    badge = page.locator(".outcome.new").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(227, 244, 230)"


def test_the_listener_sees_a_blocked_inline_style(page, live_server, demo_data, login_as):
    """The check above would be worthless if violations went unheard: provoke one."""
    console = watch(page)
    login_as("admin")
    assert visit(page, f"{live_server.url}/", console) == []

    page.evaluate("""() => {
        const p = document.createElement("p");
        p.setAttribute("style", "color: red");
        document.body.append(p);
    }""")
    page.wait_for_function("window.__csp.length > 0")

    assert "style-src-attr" in page.evaluate("window.__csp")[0]
