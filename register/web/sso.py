"""Single sign-on with OpenID Connect through mozilla-django-oidc: the authentication backend
(which checks the ID token's issuer and audience as well as its signature and nonce), the login
page's button, the two views of the code flow, and the logout that also ends the session at the
provider. Everything is off, and the views answer 404, unless OIDC_RP_CLIENT_ID is set
(register/settings.py); the users and memberships are written by register/services/sso.py."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from ..services import sso

LOGGER = logging.getLogger(__name__)

FAILED = (
    "Inloggningen via kommunens konto misslyckades. Försök igen, eller logga in med "
    "användarnamn och lösenord om du har ett."
)
# Clocks differ a little between the provider and this server.
LEEWAY_SECONDS = 60


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, which checks the ID token's signature (the provider's JWKS)
    and nonce, plus what it leaves out: the token's ``iss`` and ``aud`` (a token the provider
    issued to another application is refused), ``exp``/``iat``. The user is found by ``iss`` and
    ``sub``, never by e-mail alone (register/services/sso.py)."""

    def __init__(self, *args, **kwargs):
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except sso.SsoRefused as refused:
            request.sso_refused = str(refused)  # the callback view shows it
        except (SuspiciousOperation, requests.RequestException, ValueError, KeyError) as exc:
            LOGGER.warning("Single sign-on refused: %s", exc)
        return None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The token's algorithm is not OIDC_RP_SIGN_ALGO.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # Several audiences: the authorised party must be this register (OIDC Core 3.1.3.7).
        audience = payload.get("aud")
        if isinstance(audience, list) and len(audience) > 1:
            if payload.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("ID token refused: azp is not this client.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo's sub is not the ID token's.")
        # The ID token's claims (Entra ID puts the groups there) and the userinfo's.
        claims = {**payload, **userinfo}
        return sso.sign_in(issuer=payload["iss"], claims=claims)


def _require_sso() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Inloggning via kommunens konto är inte inställd.")


def sso_start(request):
    """Sends the browser to the provider (code flow, with PKCE's S256 challenge and a nonce)."""
    _require_sso()
    return OIDCAuthenticationRequestView.as_view()(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with the code; a refused login goes back to the
    login page with a message, never to an error page."""

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # e.g. a state this browser never started
            LOGGER.warning("Single sign-on callback refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "sso_refused", FAILED))
        return HttpResponseRedirect(resolve_url("login"))


def sso_callback(request):
    _require_sso()
    return SsoCallbackView.as_view()(request)


class LoginView(auth_views.LoginView):
    """The login page, with the single sign-on button when it is configured."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_label"] = settings.OIDC_LOGIN_LABEL
        return context


class LogoutView(auth_views.LogoutView):
    """Logs out here; a user who came through single sign-on is then sent to the provider's
    end_session_endpoint (with id_token_hint and post_logout_redirect_uri), which ends the
    session there too, so that the next login asks for the password again."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": request.build_absolute_uri(resolve_url("login")),
                }
            )
            return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
        return response
