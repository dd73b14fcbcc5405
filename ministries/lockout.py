"""Lockout behind a shared address: one limit per account, a higher one per client address.

Ministry staff often reach the portal from one NAT address. Counted against the account's
limit (MGI_LOGIN_FAILURE_LIMIT, 5), a handful of colleagues each mistyping a password once
would lock the whole ministry out. django-axes compares the larger of its counts (per
account, per address) with one limit; this handler counts an address against its own limit
(MGI_LOGIN_ADDRESS_FAILURE_LIMIT, 50), so a guesser trying many passwords from one address is
still stopped, and an account is locked after its own few failures from any address.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class SharedAddressHandler(AxesDatabaseHandler):
    """AXES_HANDLER: the database handler, with a separate limit for the address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures to compare with the account's limit: the account's own, or the
        limit itself once the address has reached its limit (axes locks at `>= limit`)."""
        counts = {
            str(parameter): attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, attempts in zip(
                settings.AXES_LOCKOUT_PARAMETERS,
                self.get_user_attempts(request, credentials),
                strict=True,
            )
        }
        account = counts.get("username", 0)
        if counts.get("ip_address", 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, get_failure_limit(request, credentials))
        return int(account)
