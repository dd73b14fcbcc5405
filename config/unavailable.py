"""When the database connection is lost, or the media disk is full, in the middle of a request.

A PostgreSQL restart, a failover or a terminated backend breaks the connection a request
is using: its next query raises OperationalError or InterfaceError (a deadlock or a
serialization failure is an OperationalError too). Every write runs in one transaction
(services are atomic), so PostgreSQL has rolled the change back: nothing was half-saved.
This middleware answers 503 asking the person to try again (JSON `{"detail": ...}` under
/api/, a page elsewhere, in the user's language, with Retry-After), and drops the broken
connection so that the next request of this process opens a new one instead of failing
again: the web processes never need a restart. CONN_HEALTH_CHECKS (settings) does the same
for a persistent connection that broke between requests.

A full media disk (ENOSPC, or a quota: EDQUOT) while a file is stored raises OSError from
the storage inside the service's transaction, so the row that would have named the file is
rolled back with everything else of that action; `config.storage.MediaStorage` removes
what it had written of the file. The person gets 507 saying that nothing was saved.
"""

import errno
import logging
from collections.abc import Callable
from contextlib import suppress

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def drop_broken_connections() -> None:
    """Close every connection of this thread that no longer answers."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        with suppress(Exception):
            if not connection.is_usable():
                connection.close()


def _answer(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The error as JSON under /api/, else a page built without the database (no
    context processors, no user)."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        context = {"message": message, "LANGUAGE_CODE": get_language(), "path": request.path}
        response = HttpResponse(render_to_string("unavailable.html", context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 asking to retry."""
    response = _answer(
        request,
        _(
            "The portal lost its connection to the database for a moment, so nothing was "
            "saved. Please try again in a few seconds."
        ),
        503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def disk_full_response(request: HttpRequest) -> HttpResponse:
    """507: the server has no room for the file."""
    return _answer(
        request,
        _(
            "The server has no room left to store files, so nothing was saved. Please tell "
            "the portal's administrator, and try again later."
        ),
        507,
    )


class UnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        where = f"{request.method} {request.path}"
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database connection lost during %s: %s", where, exception)
            drop_broken_connections()
            return unavailable_response(request)
        if isinstance(exception, OSError) and exception.errno in DISK_FULL:
            logger.error("no space left to store a file during %s: %s", where, exception)
            return disk_full_response(request)
        return None
