from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def portal(request: HttpRequest) -> dict[str, Any]:
    def role() -> str:
        user = getattr(request, "user", None)
        return getattr(user, "role", "") if user and user.is_authenticated else ""

    # Lazy: a page that does not show the role (a public profile) must not read the session.
    return {"portal_role": SimpleLazyObject(role)}
