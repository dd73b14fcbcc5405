"""The API's one exception handler: service errors and model validation become statuses.

`assessments.errors.ServiceError` and its family carry their status (conflict 409, invalid
400, forbidden 403, not found 404) and a message already in the user's language, answered
as `{"detail": message}`, or `{field: [message]}` when the error names an input field. A view may
add the current state of a stale object to the 409 by defining `stale_payload(exc)`.
Django's `ValidationError` (a model's `full_clean`) becomes 400 with its messages per field.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from assessments.errors import ServiceError


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        stale_payload = getattr(context.get("view"), "stale_payload", None)
        if hasattr(exc, "current") and stale_payload is not None:
            body.update(stale_payload(exc))
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=400)
        return Response({"detail": exc.messages}, status=400)
    return exception_handler(exc, context)
