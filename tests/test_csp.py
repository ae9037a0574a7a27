"""Content-Security-Policy: every response carries the strict policy, and no template (nor any
HTML the code builds) has an inline script, inline style or event handler that it would block.
tests/browser/test_csp.py visits the pages in Chromium and listens for violations."""

import re
from pathlib import Path

import pytest
from django.contrib.admin import site
from django.template.utils import get_app_template_dirs
from django.urls import reverse

from importers.services import batch_preview

from .importers.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What a strict policy blocks, as it appears in a template or in HTML built in Python.
INLINE = {
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"""\sstyle=["'{]""", re.IGNORECASE),
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"""\son[a-z]+=["'{]""", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = [part.strip() for part in header.split(";") if part.strip()]
    return dict(d.split(" ", 1) for d in directives)


def inline_code(text: str) -> list[str]:
    found = []
    for what, pattern in INLINE.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"rad {line}: {what}")
    return found


@pytest.fixture
def batch(taby):
    return batch_preview(data=EXAMPLE.read_bytes(), file_name="lista.xlsx", organisation=taby)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, lambda: reverse("login")),
        (None, lambda: reverse("register:home")),  # the redirect to the login page
        (None, lambda: "/static/register/site.css"),
        (None, lambda: "/finns-inte/"),
        ("editor", lambda: reverse("register:home")),
        ("editor", lambda: reverse("register:arrangement_list")),
        ("editor", lambda: reverse("importers:upload")),
        ("editor", lambda: "/finns-inte/"),
        ("editor", lambda: reverse("admin:index")),  # redirect: not an administrator
        ("reader", lambda: reverse("importers:upload")),  # 403
        ("admin", lambda: reverse("admin:index")),
        ("admin", lambda: reverse("admin:register_arrangement_changelist")),
    ],
)
def test_every_response_has_the_strict_policy(
    client, taby_editor, taby_reader, admin_user, who, url
):
    users = {"editor": taby_editor, "reader": taby_reader, "admin": admin_user}
    if who:
        client.force_login(users[who])

    response = client.get(url())

    assert policy_of(response) == POLICY, response.status_code
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_downloads_and_the_lockout_page_have_the_policy_too(client, taby, taby_editor, batch):
    client.force_login(taby_editor)
    for url in (
        reverse("importers:batch_invalid_rows", args=[batch.pk]),
        reverse("importers:export_portfolio", args=[taby.pk]),
    ):
        assert policy_of(client.get(url)) == POLICY
    client.logout()
    for _ in range(30):
        response = client.post(reverse("login"), {"username": "taby-redaktor", "password": "fel"})
    assert response.status_code == 429
    assert policy_of(response) == POLICY


def test_no_template_has_inline_script_or_style():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 20
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates
        if (problems := inline_code(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_third_party_template_we_render_has_inline_script_or_style():
    """The installed apps' templates (Django admin, django-tables2, simple-history, axes ...), as
    the template loader finds them: a template of ours in templates/ that shadows one is scanned
    above instead (templates/simple_history/object_history_list.html)."""
    found = {}
    for directory in map(Path, get_app_template_dirs("templates")):
        for path in sorted(directory.rglob("*.html")):
            name = str(path.relative_to(directory))
            if (ROOT / "templates" / name).exists():
                continue
            if problems := inline_code(path.read_text(encoding="utf-8")):
                found[name] = {problem.split(": ", 1)[1] for problem in problems}
    # Only for a change list without actions; every admin of ours has some (next test).
    assert found == {"admin/change_list.html": {"a <style> block"}}


@pytest.mark.django_db
def test_every_admin_change_list_has_actions_so_it_gets_no_inline_style(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    without = [
        type(model_admin).__name__
        for model_admin in site._registry.values()
        if not model_admin.get_actions(request)
        or not (model_admin.actions_on_top or model_admin.actions_on_bottom)
    ]
    assert without == []


def test_no_code_builds_html_with_inline_script_or_style():
    sources = sorted([*ROOT.glob("register/**/*.py"), *ROOT.glob("importers/**/*.py")])
    found = {
        str(path.relative_to(ROOT)): problems
        for path in sources
        if (problems := inline_code(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "<style>p{}</style>",
        '<p style="color:red">',
        "<p style='x'>",
        "<script>alert(1)</script>",
        '<script type="module">',
        '<a onclick="x()">',
        '<a href="javascript:void(0)">',
    ],
)
def test_the_scan_finds_what_the_policy_blocks(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/x.js" defer></script>',
        '<link rel="stylesheet" href="/static/x.css">',
        '<p class="stylish">',
        "{% block extrastyle %}",
    ],
)
def test_the_scan_lets_external_scripts_and_styles_through(snippet):
    assert inline_code(snippet) == []
