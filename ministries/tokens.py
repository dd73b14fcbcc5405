"""API tokens (django-rest-knox): several per user, one per device, each expiring after
REST_KNOX["TOKEN_TTL"]; listed and revoked by their owner, all revoked by a new password and
by "log out everywhere". A token a browser session asked for (the token endpoint without
credentials) is remembered in that session and revoked when it logs out (signals.py)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings

from .models import User


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's authentication, with one query a request: knox also reads all the user's other
    tokens on every request to delete the expired ones; here only the presented token's
    expiry is checked, and the others are purged when the user gets a new token."""

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of these tokens: `Authorization: Token <token>`."""

    target_class = "ministries.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user` (returned once, in clear); their expired ones are deleted."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def tokens_of(user: User) -> QuerySet[AuthToken]:
    """The user's tokens still in force, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of `user`'s own tokens by its key (the first characters); False if none."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


# The keys of the tokens a browser session obtained, kept in that session.
SESSION_TOKENS = "api_token_keys"


def token_remember_in_session(session: Any, token: AuthToken) -> None:
    session[SESSION_TOKENS] = [*session.get(SESSION_TOKENS, []), token.token_key]


def tokens_revoke_session(*, user: User, session: Any) -> int:
    """Revoke the tokens this browser session obtained (its plain logout); how many."""
    keys = list(session.get(SESSION_TOKENS, []) if session is not None else [])
    if not keys:
        return 0
    deleted, _ = AuthToken.objects.filter(user=user, token_key__in=keys).delete()
    return deleted


def tokens_revoke_all(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
