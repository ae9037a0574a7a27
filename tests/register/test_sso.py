"""Single sign-on with OpenID Connect, against a real provider: npm's oidc-provider
(tests/oidc/provider.mjs; `make test` installs it with `npm ci --prefix tests/oidc`), started on a
free port on 127.0.0.1 once for the module (tests/register/sso_provider.py), with pytest-django's
live server as the relying party. tests/browser/test_sso_flow.py walks the same flow in Chromium.

Shown here: the authorisation code flow with PKCE (S256) through the login page's button; the user
created on the first login with the membership its group maps to; the second login finding the
same user (and setting the mapped role again); an ID token for another client (wrong audience)
and a tampered one refused; the logout ending the session at the provider (the next login asks
for the password again). Below them, the rules of register/services/sso.py without a provider.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from register.models import ExternalIdentity, Membership, Organisation, SsoGrant
from register.services import sso
from register.web.sso import SsoBackend
from tests.register.sso_provider import (  # noqa: F401 (the fixtures)
    CLIENT_ID,
    OTHER_ID,
    OTHER_REDIRECT,
    OTHER_SECRET,
    provider,
    sso_settings,
)
from tests.test_deploy import ROOT, manage, readme_production_variables

pytestmark = pytest.mark.django_db

User = get_user_model()


class Forms(HTMLParser):
    """The forms of a page: action and the named inputs' values."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def provider_login(session: requests.Session, response: requests.Response) -> requests.Response:
    """Sign in as the static account "anna" on the provider's login form."""
    forms = Forms(response.text).forms
    assert forms and "password" in forms[0]["fields"], response.text[:500]
    form = forms[0]
    fields = {**form["fields"], "login": "anna", "password": "vilket-som-helst"}
    return session.post(urljoin(response.url, form["action"]), data=fields)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# --- the flow through the register -------------------------------------------------------------


# The live server's tests are transactional: the reference data (Täby, 0160) is restored first.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@LIVE
def test_code_flow_with_pkce_creates_the_user_with_the_mapped_membership_and_logs_out_at_the_provider(
    live_server,
    sso_settings,  # noqa: F811 (the fixture from sso_provider)
    provider,  # noqa: F811
):
    browser = requests.Session()
    login_page = browser.get(live_server.url + reverse("login"))
    assert "Logga in med kommunens konto" in login_page.text

    # The button's request: the provider's authorisation endpoint, code flow with PKCE (S256).
    start = browser.get(
        live_server.url + reverse("oidc_authentication_init"), allow_redirects=False
    )
    assert start.status_code == 302
    authorize = urlparse(start.headers["Location"])
    query = parse_qs(authorize.query)
    assert f"{authorize.scheme}://{authorize.netloc}" == provider
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["nonce"] and query["state"]

    # The provider asks for the password; then back to the register, logged in.
    asked = browser.get(start.headers["Location"])
    assert "password" in Forms(asked.text).forms[0]["fields"]
    home = provider_login(browser, asked)
    assert home.url == live_server.url + reverse("register:home"), home.url
    assert "Logga ut" in home.text

    user = User.objects.get(external_identities__subject="anna-0001")
    assert (user.email, user.first_name, user.last_name) == (
        "anna.andersson@taby.se",
        "Anna",
        "Andersson",
    )
    assert not user.has_usable_password()
    assert ExternalIdentity.objects.get(user=user).issuer == provider
    membership = Membership.objects.get(user=user)
    assert (membership.organisation.code, membership.role) == ("0160", "editor")
    assert membership.sso_grant.source == "grupp grp-taby-editors"
    assert membership.history.first().history_change_reason.startswith(
        "Inloggning via kommunens konto"
    )

    # Logout: here, then at the provider's end_session_endpoint, and back to the login page.
    logout = browser.post(
        live_server.url + reverse("logout"),
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert logout.status_code == 302
    end_session = urlparse(logout.headers["Location"])
    assert logout.headers["Location"].startswith(f"{provider}/session/end?")
    assert "id_token_hint" in parse_qs(end_session.query)
    confirm = browser.get(logout.headers["Location"])
    form = Forms(confirm.text).forms[0]
    back = browser.post(
        urljoin(confirm.url, form["action"]), data={**form["fields"], "logout": "yes"}
    )
    assert back.url.startswith(live_server.url + reverse("login")), back.url
    assert browser.get(live_server.url + reverse("register:home")).url.startswith(
        live_server.url + reverse("login")
    )

    # The next login asks the provider for the password again; it finds the same user, and the
    # mapping as it is now (the group now gives reading only).
    sso_settings.OIDC_GROUP_MAP = {"grp-taby-editors": [("0160", "reader")]}
    asked_again = browser.get(live_server.url + reverse("oidc_authentication_init"))
    assert "password" in Forms(asked_again.text).forms[0]["fields"], asked_again.url
    assert provider_login(browser, asked_again).url == live_server.url + reverse("register:home")
    assert User.objects.filter(external_identities__isnull=False).count() == 1
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == ["reader"]


def code_for_other_client(issuer: str) -> tuple[str, str]:
    """Return an ID token the provider issued to another client (and its nonce)."""
    browser = requests.Session()
    verifier, challenge = pkce_pair()
    nonce = secrets.token_urlsafe(16)
    params = {
        "client_id": OTHER_ID,
        "response_type": "code",
        "scope": "openid email",
        "redirect_uri": OTHER_REDIRECT,
        "state": secrets.token_urlsafe(16),
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    asked = browser.get(f"{issuer}/auth", params=params)
    form = Forms(asked.text).forms[0]
    response = browser.post(
        urljoin(asked.url, form["action"]),
        data={**form["fields"], "login": "anna", "password": "vilket-som-helst"},
        allow_redirects=False,
    )
    # Follow the provider's own redirects, up to the other client's callback (never fetched).
    while not response.headers["Location"].startswith(OTHER_REDIRECT):
        response = browser.get(
            urljoin(response.url, response.headers["Location"]), allow_redirects=False
        )
    code = parse_qs(urlparse(response.headers["Location"]).query)["code"][0]
    token = requests.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OTHER_REDIRECT,
            "client_id": OTHER_ID,
            "client_secret": OTHER_SECRET,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    token.raise_for_status()
    return token.json()["id_token"], nonce


@LIVE
def test_a_token_for_another_audience_or_tampered_is_refused(sso_settings, provider):  # noqa: F811
    id_token, nonce = code_for_other_client(provider)
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["aud"] == OTHER_ID and claims["iss"] == provider

    # Signed by the provider, but for another application: refused.
    with pytest.raises(SuspiciousOperation, match="(?i)audience"):
        SsoBackend().verify_token(id_token, nonce=nonce)

    # The same token is sound for the client it was issued to (so the audience is what refused).
    sso_settings.OIDC_RP_CLIENT_ID, sso_settings.OIDC_RP_CLIENT_SECRET = OTHER_ID, OTHER_SECRET
    assert SsoBackend().verify_token(id_token, nonce=nonce)["sub"] == "anna-0001"

    # Tampered: another subject written into the payload, the provider's signature kept.
    forged = {**claims, "sub": "someone-else"}
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(SuspiciousOperation, match="Signature verification failed"):
        SsoBackend().verify_token(f"{header}.{forged_payload}.{signature}", nonce=nonce)

    # From another issuer (the register configured for another provider): refused.
    sso_settings.OIDC_OP_ISSUER = "https://login.example.org"
    with pytest.raises(SuspiciousOperation, match="(?i)issuer"):
        SsoBackend().verify_token(id_token, nonce=nonce)


# --- the rules, without a provider -------------------------------------------------------------

ISSUER = "https://login.example.org/tenant/v2.0"


@pytest.fixture
def maps(settings):
    settings.OIDC_GROUP_MAP = {
        "grp-taby-editors": [("0160", "editor")],
        "grp-taby-read": [("0160", "reader")],
        "grp-vallentuna": [("0115", "reader")],
    }
    settings.OIDC_EMAIL_DOMAIN_MAP = {"taby.se": [("0160", "reader")]}
    settings.OIDC_TRUST_EMAIL_VERIFIED = False
    settings.OIDC_CREATE_USER = True
    return settings


def claims(**more) -> dict:
    return {"sub": "s-1", "email": "bo@taby.se", "email_verified": True, **more}


def test_an_existing_account_is_never_linked_by_e_mail_alone(maps):
    existing = User.objects.create_user("bo", email="Bo@taby.se", password="ett-långt-lösenord")
    # The provider vouches for the address, but the register does not trust it: a new user.
    first = sso.sign_in(issuer=ISSUER, claims=claims())
    assert first != existing and first.username == "bo@taby.se"
    # Trusted, but the provider does not vouch for the address: a new user again.
    maps.OIDC_TRUST_EMAIL_VERIFIED = True
    second = sso.sign_in(issuer=ISSUER, claims=claims(sub="s-2", email_verified=False))
    assert second not in (existing, first)
    # Both: the existing account is linked (and keeps its password).
    User.objects.filter(pk__in=[first.pk, second.pk]).delete()
    linked = sso.sign_in(issuer=ISSUER, claims=claims(sub="s-3"))
    assert linked == existing and linked.has_usable_password()
    assert ExternalIdentity.objects.get(subject="s-3").user == existing
    # From then on the identity finds it, whatever the e-mail claim says.
    assert sso.sign_in(issuer=ISSUER, claims=claims(sub="s-3", email="x@annan.se")) == existing


def test_memberships_follow_the_groups_but_those_given_by_hand_stay(maps):
    user = sso.sign_in(
        issuer=ISSUER, claims=claims(groups=["grp-taby-read", "grp-taby-editors", "grp-vallentuna"])
    )
    roles = dict(Membership.objects.filter(user=user).values_list("organisation__code", "role"))
    assert roles == {"0160": "editor", "0115": "reader"}  # the highest role per organisation
    knivsta = Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code="0330"), role="editor"
    )
    # The groups are gone; the verified e-mail domain still gives Täby reading.
    sso.sign_in(issuer=ISSUER, claims=claims(groups=[]))
    roles = dict(Membership.objects.filter(user=user).values_list("organisation__code", "role"))
    assert roles == {"0160": "reader", "0330": "editor"}
    assert not SsoGrant.objects.filter(membership=knivsta).exists()
    # An unverified address gives nothing: only the membership given by hand is left.
    sso.sign_in(issuer=ISSUER, claims=claims(groups=[], email_verified=False))
    assert list(Membership.objects.filter(user=user)) == [knivsta]
    assert ExternalIdentity.objects.filter(user=user).count() == 1


def test_without_creating_users_an_unknown_login_is_refused(maps):
    maps.OIDC_CREATE_USER = False
    with pytest.raises(sso.SsoRefused):
        sso.sign_in(issuer=ISSUER, claims=claims())
    assert not User.objects.filter(email__iexact="bo@taby.se").exists()


def test_unconfigured_the_login_page_is_as_before(client, settings):
    settings.OIDC_ENABLED = False
    page = client.get(reverse("login"))
    assert "kommunens konto" not in page.content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


# --- production settings -----------------------------------------------------------------------


def readme_keycloak_variables() -> dict[str, str]:
    """The OIDC_* variables of README's Keycloak example, placeholders filled in."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = text.split("**Keycloak**", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    pairs = dict(re.findall(r"(OIDC_[A-Z_]+)=(\S+)", example))
    assert {"OIDC_RP_CLIENT_ID", "OIDC_OP_ISSUER", "OIDC_OP_JWKS_ENDPOINT"} <= pairs.keys()
    return {name: "hemligt" if value.startswith("<") else value for name, value in pairs.items()}


def test_the_deployment_check_passes_with_single_sign_on_configured():
    env = readme_production_variables() | readme_keycloak_variables()
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_half_configured_single_sign_on_refuses_to_start():
    env = readme_production_variables() | readme_keycloak_variables()
    del env["OIDC_OP_JWKS_ENDPOINT"]
    result = manage("check", **env)
    assert result.returncode != 0 and "OIDC_OP_JWKS_ENDPOINT saknas" in result.stderr
    env = readme_production_variables() | readme_keycloak_variables()
    result = manage("check", **(env | {"OIDC_GROUP_MAP": "grp-taby-editors=0160"}))
    assert result.returncode != 0 and "nyckel=organisationskod:roll" in result.stderr


def test_with_single_sign_on_the_logout_form_may_lead_to_the_providers_logout():
    env = readme_production_variables() | readme_keycloak_variables()
    code = "from django.conf import settings as s; print(*s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    result = manage("shell", "-c", code, **env)
    assert result.stdout.strip().splitlines()[-1] == "'self' https://sso.taby.se", result.stderr


def test_a_callback_this_browser_never_started_goes_back_to_the_login_page(client, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.org/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.org/me"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.org/jwks"
    callback = reverse("oidc_authentication_callback")
    for query in ("?code=abc&state=xyz", "?error=access_denied&state=xyz"):
        response = client.get(callback + query, follow=True)
        assert response.redirect_chain[-1][0] == reverse("login")
        assert "Inloggningen via kommunens konto misslyckades" in response.content.decode()
    client.get(reverse("oidc_authentication_init"))  # a state in the session now, but not this one
    response = client.get(callback + "?code=abc&state=xyz", follow=True)
    assert "Inloggningen via kommunens konto misslyckades" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # This browser's state, but the provider cannot be reached: the same, never a server error.
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    client.get(reverse("oidc_authentication_init"))
    state = next(iter(client.session["oidc_states"]))
    response = client.get(callback + f"?code=abc&state={state}", follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Inloggningen via kommunens konto misslyckades" in response.content.decode()
