"""A database that cannot be written: the Swedish 503 page instead of Django's bare 500 (issue 22).

A full disk, a read-only database (SQLite's file or PostgreSQL in read-only mode, a standby) or a
database that does not answer raises ``OperationalError`` (or ``InternalError`` for PostgreSQL's
read-only transaction). Every write of the register runs in its own ``transaction.atomic``
(register/services/), so by the time the error reaches the middleware the write is rolled back
whole: nothing is half-written. The page says so and asks the user to try again.

Three ways in: the middleware answers for an error raised by a view; ``server_error`` and
``bad_request`` (the project's handler500 and handler400) for one raised elsewhere, such as the
session that cannot be saved at the end of the request (Django turns that into a 400,
SessionInterrupted, with the database's error as its cause). The page is a plain template rendered without a request, so it needs no database.
"""

from __future__ import annotations

import logging
import sys

from django.db import InternalError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60

# SQLite's words (and psycopg's when the connection is gone, which has no SQLSTATE).
MESSAGES = (
    "readonly database",
    "read-only",
    "read only",
    "disk is full",
    "disk i/o error",
    "database is locked",
    "unable to open database",
    "could not connect",
    "connection refused",
    "server closed the connection",
    "connection is closed",
)
# PostgreSQL's SQLSTATE codes: read-only transaction, insufficient resources (disk full, out of
# memory, too many connections), the server shutting down or not yet ready, connection errors.
SQLSTATES = {"25006", "53000", "53100", "53200", "53300", "57P01", "57P02", "57P03"}


def database_unavailable(error: BaseException | None) -> bool:
    """Return whether ``error`` says that the database cannot be written (or reached) just now,
    as opposed to a mistake in the program such as a missing column."""
    if not isinstance(error, (OperationalError, InternalError)):
        return False
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state:
        return state in SQLSTATES or state.startswith("08")
    text = str(error).lower()
    return any(words in text for words in MESSAGES)


def unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.error(
            "Databasen kan inte skrivas: %s %s", request.method, request.path, exc_info=exception
        )
        return unavailable_response()


def caused_by_unavailable_database(error: BaseException | None) -> bool:
    """Return whether ``error`` or an error it was raised from (or while handling) says that the
    database cannot be written."""
    seen = set()
    while error is not None and id(error) not in seen:
        if database_unavailable(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """The project's handler500: the 503 page when the error is an unavailable database (raised
    outside a view), else Django's own 500 page."""
    if caused_by_unavailable_database(sys.exc_info()[1]):
        return unavailable_response()
    return django_server_error(request, template_name=template_name)


def bad_request(request, exception, template_name="400.html"):
    """The project's handler400: the 503 page when the session could not be saved because the
    database cannot be written, else Django's own 400 page."""
    if caused_by_unavailable_database(exception):
        return unavailable_response()
    return django_bad_request(request, exception, template_name=template_name)
