from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.permissions import can_see_review_queue


def portal(request: HttpRequest) -> dict[str, Any]:
    def role() -> str:
        user = getattr(request, "user", None)
        return getattr(user, "role", "") if user and user.is_authenticated else ""

    def review_queue() -> bool:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and can_see_review_queue(user))

    # Lazy: a page that does not show the role (a public profile) must not read the session.
    # The review queue's link asks the same predicate as the queue itself.
    return {
        "portal_role": SimpleLazyObject(role),
        "can_see_review_queue": SimpleLazyObject(review_queue),
    }
