"""Offer nothing a user may not do (issue 21): walk the register as a user, from the start page,
and follow every link and every form on every page reached. None may answer 403 ("Ingen
behörighet").

The demo is loaded once for the module (as in test_demo.py). The walk is bounded: pages are read
at most ``PAGES_PER_NAME`` per URL name (``django.urls.resolve``), every distinct link target is
followed at most ``CHECKS_PER_NAME`` per URL name, downloads (PDF, workbooks, calendars, images)
are not read, and a POST form is sent with its own fields inside a savepoint that is rolled back,
so that nothing it does stays (and the walk is not changed by it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from register.models import Arrangement, Membership, Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES_PER_NAME = 3
CHECKS_PER_NAME = 6
MAX_PAGES = 250

# Never followed: leaving the session, Django's own admin (the register administrator's), and
# the machine-readable files (a download is not a page with links).
SKIP_NAMES = {"logout"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/insyn/", "/sitemap.xml", "/robots.txt")
DOWNLOAD_SUFFIXES = ("_pdf", "_xlsx", "_download", "_csv", "_json", "calendar_feed")


class _Links(HTMLParser):
    """The links and forms of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._a: list | None = None
        self._button: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self._a = [a["href"], ""]
        elif tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind == "submit":
                self._form["buttons"].append(a.get("value") or "")
            elif name and kind in ("hidden",):
                self._form["fields"][name] = a.get("value") or ""
        elif self._form is not None and tag == "button":
            self._button = [""]

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data
        if self._button is not None:
            self._button[0] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append((self._a[0], " ".join(self._a[1].split())))
            self._a = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form["buttons"].append(" ".join(self._button[0].split()))
            self._button = None
        elif tag == "form":
            self._form = None


@dataclass
class Walk:
    """What a walk found: every offer that answered 403 (or failed), with the page it was on."""

    forbidden: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    checks: int = 0
    read: set = field(default_factory=set)  # the URL names of the pages read
    followed: set = field(default_factory=set)  # the URL names of the offers followed


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _internal(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if href.startswith(("mailto:", "tel:", "webcal:", "javascript:")):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path


def _skipped(path: str, name: str | None) -> bool:
    if path.startswith(SKIP_PREFIXES) or name is None:
        return True
    short = name.split(":")[-1]
    return short in SKIP_NAMES or short.endswith(DOWNLOAD_SUFFIXES)


def _is_forbidden(response) -> bool:
    if response.status_code == 403:
        return True
    # A page that says so with another status is just as closed.
    return response.get("Content-Type", "").startswith("text/html") and (
        b"<title>Ingen beh\xc3\xb6righet" in response.content
    )


def walk(client: Client, starts: list[str], *, max_pages: int = MAX_PAGES) -> Walk:
    found = Walk()
    read_per_name: dict[str, int] = defaultdict(int)
    checked_per_name: dict[str, int] = defaultdict(int)
    checked: set[tuple[str, str]] = set()
    answers = {}  # path -> the answer to a GET, so that a page checked is not asked twice
    queue = list(starts)
    seen = set(starts)
    while queue and found.pages < max_pages:
        page = queue.pop(0)
        response = answers.pop(page, None) or client.get(page)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        found.pages += 1
        found.read.add(_url_name(urlsplit(page).path))
        parser = _Links()
        parser.feed(response.content.decode())
        offers = [("GET", href, text, {}) for href, text in parser.links]
        for form in parser.forms:
            label = " / ".join(b for b in form["buttons"] if b) or "(formulär)"
            offers.append((form["method"].upper(), form["action"], label, form["fields"]))
        for method, href, text, fields in offers:
            path = _internal(page, href)
            if path is None:
                continue
            name = _url_name(urlsplit(path).path)
            if _skipped(path, name):
                continue
            key = (method, path)
            if key not in checked and checked_per_name[f"{method} {name}"] < CHECKS_PER_NAME:
                checked.add(key)
                checked_per_name[f"{method} {name}"] += 1
                found.checks += 1
                found.followed.add(name)
                if method == "POST":
                    with transaction.atomic():
                        answer = client.post(path, fields)
                        transaction.set_rollback(True)
                else:
                    answer = answers[path] = client.get(path)
                where = f"{page}: {method} {path} «{text}»"
                if _is_forbidden(answer):
                    found.forbidden.append(where)
                elif answer.status_code >= 500 or answer.status_code == 404:
                    found.errors.append(f"{where} -> {answer.status_code}")
            if method == "GET" and path not in seen and read_per_name[name] < PAGES_PER_NAME:
                seen.add(path)
                read_per_name[name] += 1
                queue.append(path)
    return found


def walk_as(username: str, also: tuple[str, ...] = (), *, max_pages: int = MAX_PAGES) -> Walk:
    """Walk as ``username`` from the start page, their own organisations' pages (linked from
    the start page) and ``also`` first: read first, the bounded walk always reaches them."""
    user = get_user_model().objects.get(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    own = Organisation.objects.filter(memberships__user=user).order_by("pk")
    return walk(client, ["/", *(o.get_absolute_url() for o in own), *also], max_pages=max_pages)


READER_PAGES = {
    f"register:{name}"
    for name in (
        "home",
        "briefing",
        "arrangement_list",
        "arrangement_detail",
        "organisation_detail",
        "organisation_due",
        "organisation_term",
        "organisation_one_message",
        "organisation_seats_to_fill",
        "organisation_meetings",
        "body_meetings",
        "meeting_detail",
        "information_log",
        "decision_detail",
        "review_list",
        "review_detail",
        "person_detail",
        "overview_organisation",
    )
}


def _report(found: Walk) -> str:
    return "\n".join(found.forbidden + found.errors)


def test_a_reader_is_offered_nothing_that_answers_403(demo):
    found = walk_as("taby-lasare")
    # The walk reached the register, the organisation's own pages and the meeting pages.
    assert READER_PAGES <= found.read, READER_PAGES - found.read
    assert not found.forbidden, _report(found)
    assert not found.errors, _report(found)


def test_a_reader_who_sits_in_a_body_is_offered_nothing_on_the_start_page_that_answers_403(demo):
    """taby-ledamot is a reader like taby-lasare, and her start page shows her seats, her
    briefings and what is due where she sits: every offer there is followed."""
    found = walk_as("taby-ledamot", max_pages=2)
    assert {"register:briefing", "register:meeting_detail"} <= found.followed, found.followed
    assert not found.forbidden, _report(found)
    assert not found.errors, _report(found)


def test_another_organisations_editor_is_offered_nothing_that_answers_403(demo):
    """An editor of Danderyd (a partner of Täby's in several arrangements) walks Täby's pages
    and an arrangement Danderyd is not in: what is not Danderyd's is read-only for them."""
    danderyd = Organisation.objects.get(code="0162")
    taby = Organisation.objects.get(code="0160")
    f.make_member(danderyd, Membership.Role.EDITOR, "danderyd-redaktor")
    shared = Arrangement.objects.filter(participations__organisation=danderyd)
    not_ours = (
        Arrangement.objects.filter(is_published=True, participations__organisation=taby)
        .exclude(pk__in=shared.values("pk"))
        .order_by("pk")
        .first()
    )
    found = walk_as(
        "danderyd-redaktor",
        also=(
            taby.get_absolute_url(),
            not_ours.get_absolute_url(),
            shared.filter(participations__organisation=taby)
            .order_by("pk")
            .first()
            .get_absolute_url(),
        ),
        max_pages=60,
    )
    assert {"register:arrangement_detail", "register:organisation_detail"} <= found.read
    assert not found.forbidden, _report(found)
    assert not found.errors, _report(found)
