"""A browser session's plain logout revokes the API tokens that session asked for
(tokens.SESSION_TOKENS); "log out everywhere" and a new password revoke all of them."""

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from .tokens import tokens_revoke_session


@receiver(user_logged_out, dispatch_uid="ministries.logout_revokes_session_tokens")
def _revoke_session_tokens(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and user is not None:
        tokens_revoke_session(user=user, session=getattr(request, "session", None))
