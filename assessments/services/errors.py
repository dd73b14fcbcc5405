from django.utils.translation import gettext as _

from ..models import Response


class ServiceError(Exception):
    """A request that the rules refuse, with a message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleResponse(ServiceError):
    """The response changed since the version the user edited; nothing was written."""

    def __init__(self, current: Response):
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


class ChangeRefused(Exception):
    """One change of a bulk write was refused (`error`: StaleResponse, ServiceError or
    ValidationError); `index` says which, so the caller can name its row. Nothing was written."""

    def __init__(self, index: int, error: Exception):
        super().__init__(str(error))
        self.index = index
        self.error = error
