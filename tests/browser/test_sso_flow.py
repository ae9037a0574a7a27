"""Single sign-on in Chromium, against the real OpenID Connect provider of
tests/register/sso_provider.py: the login page's button, the provider's login form, back in the
register with the mapped membership, the logout through the provider's logout page (the logout
form's redirect there is allowed by the CSP's form-action), and the next login asking for the
password again. No Content-Security-Policy violation on the way."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from register.models import Membership
from tests.register.sso_provider import (  # noqa: F401 (the fixtures)
    ACCOUNT,
    ACCOUNT_SUB,
    provider,
    sso_settings,
)


def test_login_and_logout_through_the_municipalitys_sign_on_service(
    page,
    live_server,
    screenshot,
    sso_settings,  # noqa: F811 (the fixture from sso_provider)
    provider,  # noqa: F811
):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    authorisations: list[str] = []
    page.on(
        "request",
        lambda request: (
            authorisations.append(request.url)
            if request.url.startswith(f"{provider}/auth?")
            else None
        ),
    )
    login_url = live_server.url + reverse("login")
    home_url = live_server.url + reverse("register:home")

    page.goto(login_url)
    screenshot(page, "sso-login-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, "sso-login-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Logga in med kommunens konto").click()

    # The provider's own login form (oidc-provider's development form: any password).
    page.wait_for_url(re.compile(re.escape(provider) + r"/interaction/"))
    query = parse_qs(urlparse(authorisations[-1]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    page.locator("input[name=login]").fill(ACCOUNT)
    page.locator("input[name=password]").fill("vilket-som-helst")
    page.get_by_role("button", name="Sign-in").click()

    page.wait_for_url(home_url)
    screenshot(page, "sso-home")
    membership = Membership.objects.get(user__external_identities__subject=ACCOUNT_SUB)
    assert (membership.organisation.code, membership.role) == ("0160", "editor")

    # Logging out here leads to the provider's logout; confirmed there, back to the login page.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/session/end"))
    page.get_by_role("button", name=re.compile("sign me out", re.I)).click()
    page.wait_for_url(re.compile(re.escape(login_url)))

    # The provider's session has ended too: the next login asks for the password again.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/interaction/"))
    assert page.locator("input[name=password]").is_visible()
    assert violations == []
