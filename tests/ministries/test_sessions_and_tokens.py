"""Sessions end after 30 minutes idle and 12 hours at most; passwords of 12+ characters; a new
password, a reset and "log out everywhere" end sessions and revoke API tokens; API tokens
expire, are several per user, listed and revoked by their owner and on logout."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken
from rest_framework.test import APIClient

from ministries import sessions
from ministries.tokens import token_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Much-longer-secret-42"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_token(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


# --- sessions -------------------------------------------------------------------------------


def test_session_limits_are_settings():
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_IDLE_WARNING < settings.SESSION_IDLE_TIMEOUT


def age_session(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = sessions.now() - seconds
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends(focal_a):
    client = signed_in(focal_a)
    assert client.get("/accounts/settings/").status_code == 200
    age_session(client, sessions.LAST_SEEN, 29 * 60)
    assert client.get("/accounts/settings/").status_code == 200  # and counts as activity
    age_session(client, sessions.LAST_SEEN, 31 * 60)
    response = client.get("/accounts/settings/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "signed out after 30 minutes without activity" in response.content.decode()


def test_a_session_ends_12_hours_after_sign_in_however_active(focal_a):
    client = signed_in(focal_a)
    age_session(client, sessions.SIGNED_IN_AT, 12 * 60 * 60 + 1)
    response = client.get("/", follow=True)
    assert "a session lasts at most 12 hours" in response.content.decode()
    assert client.get("/accounts/settings/").status_code == 302


def test_an_idle_session_cannot_use_the_api_either(focal_a):
    client = signed_in(focal_a)
    age_session(client, sessions.LAST_SEEN, 31 * 60)
    assert client.get("/api/v1/auth/tokens/").status_code in (401, 403)


def test_signed_in_pages_carry_the_idle_warning_and_public_ones_do_not(client, focal_a):
    assert 'id="session-timeout"' not in client.get("/").content.decode()
    page = signed_in(focal_a).get("/").content.decode()
    assert 'data-idle-seconds="1800"' in page and 'data-warn-seconds="300"' in page
    assert "/static/js/session-timeout.js" in page and "Stay signed in" in page


def test_keepalive_counts_as_activity(focal_a):
    client = signed_in(focal_a)
    age_session(client, sessions.LAST_SEEN, 29 * 60)
    assert client.post("/accounts/session/keepalive/").status_code == 204
    assert sessions.now() - client.session[sessions.LAST_SEEN] < 5


# --- passwords ------------------------------------------------------------------------------


def test_a_password_of_11_characters_is_refused(focal_a):
    client = signed_in(focal_a)
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw", "new_password1": "Abcdefgh-12", "new_password2": "Abcdefgh-12"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


@pytest.mark.parametrize("weak", ["password1234", "123456789012", "t-focal-kemnaker1"])
def test_common_numeric_and_similar_passwords_are_refused(focal_a, weak):
    client = signed_in(focal_a)
    response = client.post(
        "/accounts/password/", {"old_password": "pw", "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors


def test_the_settings_page_links_to_the_change_password_page(focal_a):
    assert (
        'href="/accounts/password/"'
        in signed_in(focal_a).get("/accounts/settings/").content.decode()
    )


def test_changing_the_password_ends_other_sessions_and_revokes_tokens(focal_a):
    here, elsewhere = signed_in(focal_a), signed_in(focal_a)
    _, token = token_create(user=focal_a)
    response = here.post(
        "/accounts/password/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your other sessions and your API tokens have ended" in response.content.decode()
    assert here.get("/accounts/settings/").status_code == 200  # this session goes on
    assert elsewhere.get("/accounts/settings/").status_code == 302
    assert with_token(token).get("/api/v1/auth/tokens/").status_code == 401
    assert not AuthToken.objects.filter(user=focal_a).exists()


def test_a_password_reset_ends_every_session_and_revokes_tokens(focal_a):
    elsewhere = signed_in(focal_a)
    _, token = token_create(user=focal_a)
    uid = urlsafe_base64_encode(force_bytes(focal_a.pk))
    link = f"/accounts/reset/{uid}/{default_token_generator.make_token(focal_a)}/"
    anonymous = Client()
    form_url = anonymous.get(link)["Location"]  # Django swaps the token for a session marker
    done = anonymous.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert elsewhere.get("/accounts/settings/").status_code == 302
    assert with_token(token).get("/api/v1/auth/tokens/").status_code == 401


def test_log_out_everywhere_ends_all_sessions_and_tokens(focal_a, focal_b):
    here, elsewhere, other_user = signed_in(focal_a), signed_in(focal_a), signed_in(focal_b)
    token_create(user=focal_a)
    _, other_token = token_create(user=focal_b)
    page = here.get("/accounts/settings/").content.decode()
    assert 'action="/accounts/logout-everywhere/"' in page
    response = here.post("/accounts/logout-everywhere/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    for client in (here, elsewhere):
        assert client.get("/accounts/settings/").status_code == 302
    assert not AuthToken.objects.filter(user=focal_a).exists()
    # Nobody else is touched.
    assert other_user.get("/accounts/settings/").status_code == 200
    assert with_token(other_token).get("/api/v1/auth/tokens/").status_code == 200


# --- API tokens -----------------------------------------------------------------------------


def test_tokens_expire_after_the_ttl(focal_a):
    instance, token = token_create(user=focal_a)
    ttl = instance.expiry - instance.created
    assert datetime.timedelta(hours=7, minutes=59) < ttl <= datetime.timedelta(hours=8)
    assert with_token(token).get("/api/v1/auth/tokens/").status_code == 200
    AuthToken.objects.filter(pk=instance.pk).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert with_token(token).get("/api/v1/auth/tokens/").status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_a_user_lists_and_revokes_only_their_own_tokens(focal_a, focal_b):
    _, first = token_create(user=focal_a)
    second_instance, second = token_create(user=focal_a)
    foreign, _ = token_create(user=focal_b)
    listing = with_token(first).get("/api/v1/auth/tokens/").json()
    assert len(listing) == 2 and sum(item["current"] for item in listing) == 1
    assert set(listing[0]) == {"token_key", "created", "expiry", "current"}
    api = with_token(first)
    assert api.delete(f"/api/v1/auth/tokens/{foreign.token_key}/").status_code == 404
    assert api.delete(f"/api/v1/auth/tokens/{second_instance.token_key}/").status_code == 204
    assert with_token(second).get("/api/v1/auth/tokens/").status_code == 401
    assert AuthToken.objects.filter(pk=foreign.pk).exists()


def test_api_logout_revokes_the_token_used(focal_a):
    _, token = token_create(user=focal_a)
    _, other_device = token_create(user=focal_a)
    assert with_token(token).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(token).get("/api/v1/auth/tokens/").status_code == 401
    assert with_token(other_device).get("/api/v1/auth/tokens/").status_code == 200
    assert with_token(other_device).post("/api/v1/auth/logout-all/").status_code == 204
    assert with_token(other_device).get("/api/v1/auth/tokens/").status_code == 401


def test_the_settings_page_lists_and_revokes_tokens(focal_a):
    client = signed_in(focal_a)
    instance, _ = token_create(user=focal_a)
    page = client.get("/accounts/settings/").content.decode()
    assert instance.token_key[:8] in page and "Revoke token" in page
    client.post(f"/accounts/tokens/{instance.token_key}/revoke/")
    assert not AuthToken.objects.filter(pk=instance.pk).exists()
    assert "You have no API tokens" in client.get("/accounts/settings/").content.decode()


def test_token_authentication_costs_one_query(focal_a, django_assert_num_queries):
    _, token = token_create(user=focal_a)
    api = with_token(token)
    # the token with its user; then the (empty) list of the user's tokens
    with django_assert_num_queries(2):
        api.get("/api/v1/auth/tokens/")
