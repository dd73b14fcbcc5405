"""Failed sign-ins are locked per account and per address (django-axes, database handler) on
the login page, the token endpoint and the admin; the address comes from X-Forwarded-For only
through the configured number of trusted proxies."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from ministries.security import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"


@pytest.fixture
def limit(settings) -> int:
    """Both limits at 3: the tests below lock an account, or an address, alike."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    return 3


@pytest.fixture
def shared_limits(settings) -> tuple[int, int]:
    """3 failures lock an account, 8 an address (the defaults are 5 and 50)."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    return 3, 8


@pytest.fixture
def focal(focal_a):
    focal_a.set_password(PASSWORD)
    focal_a.save()
    return focal_a


def html_login(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def api_login(username: str, password: str, address: str = "192.0.2.10"):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_the_login_page_locks_an_account_after_the_limit_from_any_address(client, focal, limit):
    for n in range(limit):
        wrong = html_login(client, focal.username, "wrong", address=f"192.0.2.{n + 1}")
        # The failure that reaches the limit is already answered with the lockout.
        assert wrong.status_code == (429 if n == limit - 1 else 200), n
    # The right password, from yet another address: the account is locked.
    locked = html_login(client, focal.username, PASSWORD, address="192.0.2.99")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-ins" in html and "15 minutes" in html
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=focal.username).exists()


def test_the_login_page_locks_an_address_across_accounts(client, focal, focal_b, limit):
    for n in range(limit):
        html_login(client, f"nobody-{n}", "wrong", address="198.51.100.7")
    focal_b.set_password(PASSWORD)
    focal_b.save()
    assert html_login(client, focal_b.username, PASSWORD, "198.51.100.7").status_code == 429
    # Another address is not locked.
    assert html_login(Client(), focal_b.username, PASSWORD, "198.51.100.8").status_code == 302


def test_the_lockout_page_is_in_the_readers_language(client, focal, limit):
    client.cookies["django_language"] = "id"
    for _ in range(limit + 1):
        locked = html_login(client, focal.username, "wrong")
    assert locked.status_code == 429
    assert '<html lang="id">' in locked.content.decode()


def test_the_token_endpoint_locks_per_account_and_answers_429_json(focal, limit):
    for n in range(limit):
        wrong = api_login(focal.username, "wrong", address=f"192.0.2.{n + 1}")
        assert wrong.status_code == (429 if n == limit - 1 else 400), n
    locked = api_login(focal.username, PASSWORD, address="192.0.2.50")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_the_token_endpoint_locks_per_address(focal, limit):
    for n in range(limit):
        api_login(f"nobody-{n}", "wrong", address="203.0.113.5")
    assert api_login(focal.username, PASSWORD, address="203.0.113.5").status_code == 429
    assert api_login(focal.username, PASSWORD, address="203.0.113.6").status_code == 200


def test_failures_on_the_page_and_the_api_count_together(client, focal, limit):
    html_login(client, focal.username, "wrong")
    api_login(focal.username, "wrong")
    html_login(client, focal.username, "wrong")
    assert api_login(focal.username, PASSWORD).status_code == 429


def test_the_admin_login_is_locked_too(client, administrator, limit):
    for _ in range(limit):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": administrator.username, "password": "wrong"},
        )
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": administrator.username, "password": "pw"}
    )
    assert locked.status_code == 429


def test_a_success_before_the_limit_clears_the_count(client, focal, limit):
    for _ in range(limit - 1):
        html_login(client, focal.username, "wrong")
    assert html_login(client, focal.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(limit - 1):
        html_login(client, focal.username, "wrong")
    assert html_login(client, focal.username, PASSWORD).status_code == 302


# --- the client address ---------------------------------------------------------------------


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.MGI_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "10.0.0.1"


def test_one_trusted_proxy_gives_the_address_it_saw_not_what_the_client_wrote(settings):
    settings.MGI_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"
    settings.MGI_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<x>")
    assert client_ip(garbage) == "10.0.0.1"


def test_a_spoofed_forwarded_for_does_not_escape_the_address_lock(settings, focal, limit):
    """Behind one proxy, a client writing a new X-Forwarded-For each time stays one address."""
    settings.MGI_TRUSTED_PROXY_COUNT = 1
    for n in range(limit):
        APIClient().post(
            "/api/v1/auth/token/",
            {"username": f"nobody-{n}", "password": "wrong"},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7",
        )
    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": focal.username, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7",
    )
    assert answer.status_code == 429


NAT = "203.0.113.20"  # one ministry's NAT address


def test_colleagues_behind_one_address_are_not_locked_out_by_each_others_mistakes(
    client, focal, focal_b, shared_limits
):
    _account, address_limit = shared_limits
    # Seven colleagues each mistype once, some twice, from the ministry's one address:
    # more failures than an account's limit, fewer than the address's.
    for n in range(address_limit - 1):
        assert html_login(Client(), f"colleague-{n % 5}", "wrong", NAT).status_code == 200
    assert html_login(client, focal.username, PASSWORD, NAT).status_code == 302
    assert api_login(focal_b.username, "wrong", NAT).status_code == 400


def test_an_account_still_locks_after_its_own_few_failures_behind_a_shared_address(
    client, focal, shared_limits
):
    account_limit, _address = shared_limits
    for _ in range(account_limit):
        html_login(Client(), focal.username, "wrong", NAT)
    assert html_login(client, focal.username, PASSWORD, NAT).status_code == 429


def test_the_address_locks_at_its_own_higher_limit(client, focal, shared_limits):
    _account, address_limit = shared_limits
    for n in range(address_limit):
        html_login(Client(), f"guess-{n}", "wrong", NAT)
    assert html_login(client, focal.username, PASSWORD, NAT).status_code == 429
    assert api_login(focal.username, PASSWORD, NAT).status_code == 429
    # The account itself is not locked: from another address it signs in.
    assert html_login(Client(), focal.username, PASSWORD, "203.0.113.21").status_code == 302


def test_both_limits_are_settings(settings):
    from config.settings import base

    assert base.AXES_FAILURE_LIMIT == 5 and base.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert base.AXES_HANDLER == "ministries.lockout.SharedAddressHandler"
