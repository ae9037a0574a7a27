"""Browser tests: Playwright drives the system Chromium against pytest-django's live_server.

Put every browser test under tests/browser/ so that it gets these fixtures:

* ``browser`` – a headless Chromium for each test (``/usr/bin/chromium``; never downloaded).
* ``page`` – a fresh browser context and page for each test.
* ``login_as(username, password, on=page)`` – log in through the real login form; returns the page.
* ``demo_data`` – runs ``load_demo``; ``logged_in_page`` logs in as ``demo_username``
  (override it with ``@pytest.mark.parametrize("demo_username", [...])``).
* ``screenshot(page, name)`` – a full-page PNG in ``test-artifacts/browser/`` (gitignored).

Every test that uses ``live_server`` or ``transactional_db`` (here or elsewhere) runs with
``transaction=True, serialized_rollback=True`` and after all other tests: a transactional test
flushes the database when it ends, and the serialized rollback restores the reference data from the
migrations (290 municipalities, 21 regions, forms, areas) before it starts. See
``pytest_collection_modifyitems`` below; it belongs in tests/conftest.py if that is preferred.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

# Playwright's sync API keeps an asyncio loop in this thread; the ORM calls the tests make
# around it are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DEMO_PASSWORD = "demo-samverkan"
HERE = Path(__file__).resolve().parent


def flushes_the_database(item) -> bool:
    """Return whether the test is transactional: it empties every table when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    names = getattr(item, "fixturenames", ())
    return "live_server" in names or "transactional_db" in names


def pytest_itemcollected(item):
    """Every test in this folder is a browser test (marker ``browser``), set while collecting so
    that ``-m "not browser"`` (make test-postgres) sees it before it selects."""
    if HERE in Path(str(item.path)).resolve().parents:
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep the reference data for the whole session, not only for this folder.

    A transactional test (``live_server``, ``transactional_db``) flushes every table when it ends,
    and with them the reference data the migrations loaded. So: such a test without its own
    ``django_db`` marker gets ``serialized_rollback=True`` (the data is restored before it starts),
    and all of them run last, after pytest-django's own ordering, so that no test after them, such
    as one using a module-scoped fixture with ``django_db_blocker``, finds the tables empty.
    """
    for item in items:
        if flushes_the_database(item) and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    items.sort(key=flushes_the_database)  # stable: keeps the order within each group


@pytest.fixture
def browser():
    # One Chromium per test, not per session (launching takes well under a second): while
    # Playwright's sync API is running, the next test's database setup does not see the
    # connection that holds the serialized reference data, so nothing would be restored.
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium saknas: {CHROMIUM} (make test installerar det från Debians paket)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The ORM calls made while Playwright ran opened connections of their own; close them,
        # or PostgreSQL refuses to drop the test database at the end ("being accessed").
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(page, live_server):
    """Return ``login(username, password=DEMO_PASSWORD, on=page)``: log in through the form."""

    def login(username: str, password: str = DEMO_PASSWORD, on=None):
        target = on or page
        target.goto(f"{live_server.url}/logga-in/")
        target.get_by_label("Användarnamn").fill(username)
        target.get_by_label("Lösenord").fill(password)
        target.get_by_role("button", name="Logga in").click()
        target.wait_for_load_state()
        if "/logga-in/" in target.url:
            raise AssertionError(f"Inloggningen som {username} misslyckades: {target.url}")
        return target

    return login


@pytest.fixture
def demo_data(db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def demo_username():
    return "taby-redaktor"


@pytest.fixture
def logged_in_page(demo_data, login_as, demo_username):
    return login_as(demo_username)


@pytest.fixture(scope="session")
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
