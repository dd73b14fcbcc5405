"""What logging out does to API tokens: a plain browser logout revokes the tokens that browser
session asked for and no other; "log out everywhere" revokes every token of the person."""

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import Action, AuditEvent
from ministries.tokens import SESSION_TOKENS, token_create

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_from_session(client: Client) -> str:
    """The token a signed-in browser asks for (the token endpoint without credentials)."""
    answer = client.post("/api/v1/auth/token/")
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def works(token: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/auth/tokens/").status_code == 200


def test_a_plain_logout_revokes_the_tokens_its_session_asked_for_only(focal_a):
    here = browser(focal_a)
    from_here = token_from_session(here)
    assert len(here.session[SESSION_TOKENS]) == 1
    _other, from_a_script = token_create(user=focal_a)  # signed in with a password elsewhere
    elsewhere = browser(focal_a)
    from_elsewhere = token_from_session(elsewhere)
    assert works(from_here) and works(from_a_script) and works(from_elsewhere)

    assert here.post("/accounts/logout/").status_code == 302
    assert not works(from_here)
    assert works(from_a_script) and works(from_elsewhere)
    assert AuthToken.objects.filter(user=focal_a).count() == 2
    event = AuditEvent.objects.filter(action=Action.TOKEN_REVOKED).get()
    assert event.actor == focal_a and from_here.startswith(event.details["token_key"])


def test_log_out_everywhere_revokes_every_token(focal_a):
    here = browser(focal_a)
    token_from_session(here)
    token_create(user=focal_a)
    assert here.post("/accounts/logout-everywhere/").status_code == 302
    assert not AuthToken.objects.filter(user=focal_a).exists()
    ended = AuditEvent.objects.get(action=Action.SESSIONS_ENDED)
    assert ended.actor == focal_a and ended.ip == "127.0.0.1"
