"""The session's idle timeout (issue 22): a session ends SESSION_COOKIE_AGE seconds (the
variable SESSION_IDLE_TIMEOUT_HOURS, 8 hours by default) after the user's last request.

Sliding, like Django's SESSION_SAVE_EVERY_REQUEST, but without a write on every request: the
session (and so its expiry, in the database and in the cookie) is saved again when the last save
is more than REFRESH_SECONDS old. The timeout is thus exact to within REFRESH_SECONDS, and a page
costs no query of its own. The time of the last save is kept in the session, set at login.
Only internal pages count: the public site (Insyn) neither reads nor writes the session, so its
pages stay the same for everyone (and cacheable).
"""

from __future__ import annotations

import time

from .headers import is_public_path

KEY = "_register_last_seen"
REFRESH_SECONDS = 60


def stamp(session) -> None:
    """Note in ``session`` that it is saved now (which starts its idle time again)."""
    session[KEY] = int(time.time())


def on_login(sender, request, user, **kwargs) -> None:
    """A new login: the session is saved with it, so its idle time starts now."""
    if request is not None and hasattr(request, "session"):
        stamp(request.session)


class IdleTimeoutMiddleware:
    """After SessionMiddleware (its answer passes here first): marks the session modified when
    its last save is older than REFRESH_SECONDS, so that SessionMiddleware saves it with a new
    expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.session_key
            and response.status_code < 500
            and not is_public_path(request.path)
            and not session.is_empty()
        ):
            last = session.get(KEY)
            if not isinstance(last, int) or time.time() - last >= REFRESH_SECONDS:
                stamp(session)
        return response
