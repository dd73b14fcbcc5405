from typing import Any

from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "portal_role": getattr(user, "role", "") if user and user.is_authenticated else "",
    }
