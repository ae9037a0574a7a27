"""Login throttling (django-axes): too many wrong passwords for one user name from one address lock
that combination out for a while, on the register's login page and on the admin's alike; a
register administrator lifts the lock in the Django admin. Axes is on here exactly as in
production (tests/settings.py does not touch it)."""

import ast
import gettext
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"  # tests/factories.py
LOCKED = "För många misslyckade inloggningsförsök"
LOGIN_PAGES = ["login", "admin:login"]
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"


def log_in(client, page, username, password):
    return client.post(reverse(page), {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_user(db):
    """A user who may log in on both pages (the admin's login wants a staff member)."""
    return f.make_user("kansliet", superuser=True)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_it_refuses_the_right_password_after_thirty_wrong_ones(client, staff_user, page):
    for _ in range(30):
        log_in(client, page, "kansliet", "fel-lösenord")

    response = log_in(client, page, "kansliet", PASSWORD)

    assert response.status_code == 429
    text = response.content.decode()
    assert LOCKED in text and "kansliet" in text
    assert f"i {settings.AXES_COOLOFF_TIME.seconds // 60} minuter" in text
    assert "registeradministratör" in text
    assert not is_logged_in(client)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_it_locks_out_exactly_at_the_configured_number_of_failures(client, staff_user, page):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, page, "kansliet", "fel-lösenord").status_code == 200

    assert log_in(client, page, "kansliet", "fel-lösenord").status_code == 429
    assert log_in(client, page, "kansliet", PASSWORD).status_code == 429


def test_a_right_password_before_the_limit_logs_in_and_starts_the_count_afresh(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "login", "kansliet", "fel-lösenord")
    assert log_in(client, "login", "kansliet", PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "login", "kansliet", "fel-lösenord")
    assert log_in(client, "login", "kansliet", PASSWORD).status_code == 302


def test_another_user_from_the_same_address_is_not_locked_out(client, staff_user):
    f.make_user("grannen")
    for _ in range(30):
        log_in(client, "login", "kansliet", "fel-lösenord")

    response = log_in(client, "login", "grannen", PASSWORD)

    assert response.status_code == 302 and is_logged_in(client)


def test_the_same_user_from_another_address_is_not_locked_out(staff_user):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        log_in(attacker, "login", "kansliet", "fel-lösenord")

    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = log_in(colleague, "login", "kansliet", PASSWORD)

    assert response.status_code == 302 and is_logged_in(colleague)


def test_behind_a_proxy_it_counts_the_address_the_proxy_passes_on(staff_user, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    # The client may send its own X-Forwarded-For; the proxy appends the real address last.
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.9")
    for _ in range(30):
        log_in(attacker, "login", "kansliet", "fel-lösenord")
    assert log_in(attacker, "login", "kansliet", PASSWORD).status_code == 429

    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = log_in(colleague, "login", "kansliet", PASSWORD)

    assert response.status_code == 302 and is_logged_in(colleague)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_the_lock_ends_after_the_cool_off_time(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "login", "kansliet", "fel-lösenord")
    assert log_in(client, "login", "kansliet", PASSWORD).status_code == 429

    attempt = AccessAttempt.objects.get(username="kansliet")
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    attempt.save()

    assert log_in(client, "login", "kansliet", PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_locked_out_user_in_the_admin(client, admin_user, taby_editor):
    for _ in range(30):
        log_in(client, "login", "taby-redaktor", "fel-lösenord")
    assert log_in(client, "login", "taby-redaktor", PASSWORD).status_code == 429

    administrator = Client()
    administrator.force_login(admin_user)
    changelist = administrator.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "taby-redaktor" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="taby-redaktor")
    response = administrator.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="taby-redaktor").exists()

    response = log_in(client, "login", "taby-redaktor", PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)


def test_only_a_register_administrator_sees_the_lockouts(client, taby_editor):
    client.force_login(taby_editor)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_lockouts_are_in_swedish_in_the_admin(client, admin_user, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "login", "kansliet", "fel-lösenord")
    client.force_login(admin_user)

    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    assert "inloggningsförsök" in page and "Spärrad" in page and "Misslyckade inloggningar" in page
    assert "Access attempt" not in page and "Locked Out" not in page


def test_the_compiled_swedish_catalogue_matches_its_source():
    """locale/sv/LC_MESSAGES/django.mo is compiled from django.po (see the .po's first lines)."""

    def unquote(lines: str) -> str:
        return "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', lines))

    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    expected = {}
    for block in re.split(r"\n\s*\n", source):
        fields = {
            key: unquote(value)
            for key, value in re.findall(
                r"^(msgid_plural|msgid|msgstr(?:\[\d+\])?) (.*?)(?=^msg|\Z)", block, re.M | re.S
            )
        }
        if not fields.get("msgid"):
            continue
        if "msgid_plural" in fields:  # a plural entry: one translation per form
            for key, value in fields.items():
                form = re.fullmatch(r"msgstr\[(\d+)\]", key)
                if form:
                    expected[(fields["msgid"], int(form[1]))] = value
        else:
            expected[fields["msgid"]] = fields["msgstr"]
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog

    assert {k: v for k, v in catalogue.items() if k} == expected
