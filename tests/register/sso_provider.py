"""The OpenID Connect provider of the single sign-on tests: npm's oidc-provider
(tests/oidc/provider.mjs; `make test` installs it with `npm ci --prefix tests/oidc`), started on a
free port on 127.0.0.1 once per module that uses the ``provider`` fixture, with pytest-django's
live server as the relying party; ``sso_settings`` configures the register for it as the OIDC_*
variables would. Used by tests/register/test_sso.py and tests/browser/test_sso_flow.py."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from register.settings import form_action_with_logout

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID, CLIENT_SECRET = "samverkan", "samverkan-hemlighet"
OTHER_ID, OTHER_SECRET = "annan-app", "annan-hemlighet"
OTHER_REDIRECT = "http://127.0.0.1:9/annan-app/callback"
# The provider's static account (tests/oidc/provider.mjs); any password is accepted.
ACCOUNT, ACCOUNT_SUB = "anna", "anna-0001"


# --- the provider ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server):
    """Start tests/oidc/provider.mjs on a free loopback port; stop it after the module."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        message = "oidc-provider saknas: kör `npm ci --prefix tests/oidc` (make test gör det)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs")],
        env={**os.environ, "PORT": str(port), "RP_ORIGIN": live_server.url},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until it listens (or exits)
        if not line.startswith("ready "):
            pytest.fail(f"oidc-provider startade inte: {line!r}")
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso_settings(settings, provider):
    """The register configured for the provider, as the OIDC_* variables would configure it."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = provider
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{provider}/session/end"
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_GROUP_MAP = {"grp-taby-editors": [("0160", "editor")]}
    settings.OIDC_EMAIL_DOMAIN_MAP = {}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = form_action_with_logout(f"{provider}/session/end")
    settings.CONTENT_SECURITY_POLICY = policy
    return settings
