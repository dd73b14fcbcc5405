from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.permissions import can_see_review_queue
from audit.permissions import can_see_audit


def portal(request: HttpRequest) -> dict[str, Any]:
    def role() -> str:
        user = getattr(request, "user", None)
        return getattr(user, "role", "") if user and user.is_authenticated else ""

    def review_queue() -> bool:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and can_see_review_queue(user))

    def audit() -> bool:
        user = getattr(request, "user", None)
        return bool(user and can_see_audit(user))

    # Lazy: a page that does not show the role (a public profile) must not read the session.
    # The review queue's link asks the same predicate as the queue itself.
    return {
        "portal_role": SimpleLazyObject(role),
        "can_see_review_queue": SimpleLazyObject(review_queue),
        "can_see_audit": SimpleLazyObject(audit),
        # The idle warning (registration/_session_timeout.html): plain numbers, no session.
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warn_seconds": settings.SESSION_IDLE_WARNING,
        "session_warn_minutes": settings.SESSION_IDLE_WARNING // 60,
    }
