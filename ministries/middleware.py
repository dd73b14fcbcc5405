"""Session limits and the two-step gate, for every page and the API's session use.

Both look at the session only when the request carries a session cookie: an anonymous
visitor's request (a cached public page) must not touch it."""

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import mfa
from .sessions import session_expired, session_touch

# What a session that has not finished the code step may still open.
OPEN_PREFIXES = ("/static/", "/i18n/", "/language/")


def _has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SessionLimitsMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request, and
    SESSION_COOKIE_AGE seconds after sign-in whatever happens (the cookie's own age slides
    with every save, so the server keeps the sign-in time)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_session(request) and SESSION_KEY in request.session:
            expired = session_expired(
                request,
                idle_limit=settings.SESSION_IDLE_TIMEOUT,
                absolute_limit=settings.SESSION_COOKIE_AGE,
            )
            if expired:
                logout(request)
                messages.info(request, _expiry_message(expired))
            else:
                session_touch(request)
        return self.get_response(request)


def _expiry_message(expired: str) -> str:
    if expired == "idle":
        minutes = settings.SESSION_IDLE_TIMEOUT // 60
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Please log in again.",
            "You were signed out after %(minutes)d minutes without activity. Please log in again.",
            minutes,
        ) % {"minutes": minutes}
    hours = settings.SESSION_COOKIE_AGE // 3600
    return ngettext(
        "You were signed out: a session lasts at most %(hours)d hour. Please log in again.",
        "You were signed out: a session lasts at most %(hours)d hours. Please log in again.",
        hours,
    ) % {"hours": hours}


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(
        reverse(name)
        for name in ("two_step_verify", "two_step_setup", "logout", "language_switch", "api-token")
    )


class TwoStepMiddleware:
    """A signed-in session that has not passed the code step reaches only that step (or,
    for a required role without an authenticator, its setup), logging out and the language
    switch. A request with an Authorization header is the token's, not the session's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            _has_session(request)
            and "HTTP_AUTHORIZATION" not in request.META
            and SESSION_KEY in request.session
        ):
            state = request.session.get(mfa.SESSION_STATE_KEY)
            if state is None and request.user.is_authenticated:
                # A session from before two-step verification existed: decide once.
                state = mfa.two_step_state(request.user)
                request.session[mfa.SESSION_STATE_KEY] = state
            if state in (mfa.VERIFY, mfa.ENROL) and not self._open(request.path):
                return self._refuse(request, state)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path in _open_paths() or path.startswith(OPEN_PREFIXES)

    @staticmethod
    def _refuse(request: HttpRequest, state: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            detail = (
                _("Enter the code from your authenticator app first (two-step verification).")
                if state == mfa.VERIFY
                else _("Set up two-step verification on the settings page first.")
            )
            return JsonResponse({"detail": detail}, status=403)
        target = reverse("two_step_verify" if state == mfa.VERIFY else "two_step_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
