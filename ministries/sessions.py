"""The two clocks of a signed-in session, kept in the session itself: when it signed in
(SESSION_COOKIE_AGE, 12 hours, is the most it lasts) and when it was last used
(SESSION_IDLE_TIMEOUT, 30 minutes without a request ends it). SessionLimitsMiddleware ends
sessions past either limit."""

import time

from django.http import HttpRequest

SIGNED_IN_AT = "mgi_signed_in_at"
LAST_SEEN = "mgi_last_seen"
# A request less than this long after the last recorded one does not write the session again.
LAST_SEEN_GRANULARITY = 60


def now() -> int:
    return int(time.time())


def session_started(request: HttpRequest) -> None:
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = now()


def session_touch(request: HttpRequest, *, force: bool = False) -> None:
    last = request.session.get(LAST_SEEN)
    moment = now()
    if force or last is None or moment - last >= LAST_SEEN_GRANULARITY:
        request.session[LAST_SEEN] = moment
    if SIGNED_IN_AT not in request.session:
        request.session[SIGNED_IN_AT] = moment


def session_expired(request: HttpRequest, *, idle_limit: int, absolute_limit: int) -> str:
    """ "idle", "absolute" or "" (still valid)."""
    moment = now()
    last = request.session.get(LAST_SEEN)
    started = request.session.get(SIGNED_IN_AT)
    if started is not None and moment - started > absolute_limit:
        return "absolute"
    if last is not None and moment - last > idle_limit:
        return "idle"
    return ""
