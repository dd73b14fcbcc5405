"""The service error family: what the rules refuse, with a message for the user.

Services raise these; one DRF exception handler (`config.exceptions.api_exception_handler`)
turns them into statuses for the API, and pages turn them into messages. No endpoint maps
them by hand.

    ServiceError      409 a conflict with the state of things (the default)
    InvalidRequest    400 the request itself is wrong
    Forbidden         403 a member without the right
    NotFound          404 the object does not exist for this user
"""

from typing import Any

from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A request that the rules refuse, with a message for the user (409 in the API)."""

    status_code = 409

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        # The input field the message is about, if any: the API answers {field: [message]}.
        self.field = field


class InvalidRequest(ServiceError):
    """The request is malformed or incomplete (400 in the API)."""

    status_code = 400


class Forbidden(ServiceError):
    """The user may see the object but not do this (403 in the API)."""

    status_code = 403


class NotFound(ServiceError):
    """The object does not exist for this user (404 in the API)."""

    status_code = 404


class StaleResponse(ServiceError):
    """The response changed since the version the user edited; nothing was written."""

    def __init__(self, current: Any):
        super().__init__(
            _(
                "Someone saved this answer after you opened it. Your text was not saved; "
                "compare it with the current version."
            )
        )
        self.current = current


class StaleConsolidation(ServiceError):
    def __init__(self, current: object):
        super().__init__(
            _("Someone changed this consolidated answer after you opened it; nothing was saved.")
        )
        self.current = current


class ConsolidationClosed(ServiceError):
    """Consolidated answers cannot be written at this stage. Like a stale version, the
    refusal carries the consolidated answer as it stands (`current`, None if there is none),
    so that the API answers with the current state (`stale_payload`)."""

    def __init__(self, message: str, current: Any):
        super().__init__(message)
        self.current = current


class ChangeRefused(Exception):
    """One change of a bulk write was refused (`error`: StaleResponse, ServiceError or
    ValidationError); `index` says which, so the caller can name its row. Nothing was written."""

    def __init__(self, index: int, error: Exception):
        super().__init__(str(error))
        self.index = index
        self.error = error
