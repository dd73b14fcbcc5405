"""Two-step verification (TOTP + recovery codes): required of coordinators, facilitators and
administrators under the production list of roles, offered to focal points; the API gives
a token to such a role only with a valid code."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from config.settings import base
from ministries import mfa

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-Horse-battery-9"
REQUIRED = ["coordinator", "provincial_coordinator", "facilitator", "administrator"]


@pytest.fixture
def production_mfa(settings):
    """The roles production requires it of (config/settings/base.py; production keeps them,
    checked by test_production_settings_require_two_step_of_the_staff_roles)."""
    settings.MFA_REQUIRED_ROLES = base.MFA_REQUIRED_ROLES


@pytest.fixture
def no_code_delay(settings):
    """django-otp makes a device wait 1, 2, 4... seconds after each wrong code; a test that
    sends a wrong code and then the right one does not wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = mfa.authenticator_start(user=user)
    codes = mfa.authenticator_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    device.last_t = -1  # let the test use the current code once more
    device.save()
    return device, codes


def sign_in(client: Client, user) -> object:
    if not user.check_password(PASSWORD):  # a new password would end the other sessions
        user.set_password(PASSWORD)
        user.save()
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def test_production_settings_require_two_step_of_the_staff_roles():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "mgi.example.go.id",
        "DATABASE_URL": "postgres://mgi@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    env.pop("MGI_TRUSTED_PROXY_COUNT", None)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.MFA_REQUIRED_ROLES), s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS, "
        "s.SESSION_COOKIE_AGE, s.SESSION_IDLE_TIMEOUT, s.REST_KNOX['TOKEN_TTL'].seconds, "
        "s.MGI_TRUSTED_PROXY_COUNT, 'django.contrib.auth.backends.ModelBackend' != "
        "s.AUTHENTICATION_BACKENDS[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "['administrator',",
        "'facilitator',",
        "'national_coordinator',",
        "'provincial_coordinator']",
        "5",
        "['username',",
        "'ip_address']",
        "43200",
        "1800",
        "28800",
        "0",
        "True",
    ]


@pytest.mark.parametrize("who", REQUIRED)
def test_a_required_role_without_an_authenticator_can_only_set_one_up(
    client, request, production_mfa, who
):
    user = request.getfixturevalue(who)
    response = sign_in(client, user)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-step/"
    for path in ("/", "/assessments/", "/accounts/settings/", "/admin/"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith("/accounts/two-step/?next="), path
    assert client.get("/api/v1/auth/tokens/").status_code == 403
    page = client.get("/accounts/two-step/").content.decode()
    assert "Your role requires two-step verification" in page
    assert 'src="data:image/svg+xml;base64,' in page and "Key:" in page


def test_enrolment_shows_recovery_codes_once_and_frees_the_portal(
    client, coordinator, production_mfa
):
    sign_in(client, coordinator)
    client.get("/accounts/two-step/")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = client.post("/accounts/two-step/", {"code": "000000"})
    assert "This code is not valid" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    done = client.post("/accounts/two-step/", {"code": code_for(device)})
    html = done.content.decode()
    codes = list(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert len(codes) == 10 and all(code in html for code in codes)
    assert "shown only this once" in html and "no-store" in done["Cache-Control"]
    assert client.get("/").status_code == 200
    settings_page = client.get("/accounts/settings/").content.decode()
    assert "10 recovery codes left" in settings_page and codes[0] not in settings_page


def test_an_enrolled_user_must_pass_the_code_step(
    client, facilitator, production_mfa, no_code_delay
):
    device, _codes = enrolled(facilitator)
    response = sign_in(client, facilitator)
    assert response["Location"].startswith("/accounts/two-step/verify/?next=")
    assert client.get("/assessments/")["Location"].startswith("/accounts/two-step/verify/")
    refused = client.post("/accounts/two-step/verify/", {"code": "123456", "next": "/assessments/"})
    assert "This code is not valid" in refused.content.decode()
    passed = client.post(
        "/accounts/two-step/verify/", {"code": code_for(device), "next": "/assessments/"}
    )
    assert passed.status_code == 302 and passed["Location"] == "/assessments/"
    assert client.get("/assessments/").status_code == 200


def test_a_recovery_code_works_once(client, facilitator, production_mfa):
    _device, codes = enrolled(facilitator)
    sign_in(client, facilitator)
    assert client.post("/accounts/two-step/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    other = Client()
    sign_in(other, facilitator)
    again = other.post("/accounts/two-step/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "This code is not valid" in again.content.decode()
    assert mfa.recovery_codes_left(facilitator) == 9


def test_a_focal_point_may_sign_in_without_and_may_turn_it_on(client, focal_a, production_mfa):
    response = sign_in(client, focal_a)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    page = client.get("/accounts/settings/").content.decode()
    assert "Set up two-step verification" in page and "Your role requires it" not in page
    enrolled(focal_a)
    later = Client()
    assert sign_in(later, focal_a)["Location"].startswith("/accounts/two-step/verify/")
    # A focal point may turn it off again; a required role may not.
    client.post("/accounts/two-step/off/")
    assert not mfa.has_authenticator(focal_a)


def test_a_required_role_cannot_turn_it_off(client, coordinator, production_mfa):
    enrolled(coordinator)
    client.force_login(coordinator)
    session = client.session
    session[mfa.SESSION_STATE_KEY] = mfa.OK  # as after the code step
    session.save()
    assert client.post("/accounts/two-step/off/").status_code == 403
    assert mfa.has_authenticator(coordinator)


def test_without_the_production_list_nobody_is_asked(client, coordinator):
    assert sign_in(client, coordinator)["Location"] == "/"
    assert client.get("/assessments/").status_code == 200


# --- the API --------------------------------------------------------------------------------


def token_post(api: APIClient, user, **extra):
    return api.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, **extra},
        format="json",
    )


@pytest.mark.parametrize("who", REQUIRED)
def test_the_api_gives_a_required_role_no_token_without_a_code(
    request, production_mfa, no_code_delay, who
):
    user = request.getfixturevalue(who)
    user.set_password(PASSWORD)
    user.save()
    api = APIClient()
    not_enrolled = token_post(api, user)
    assert not_enrolled.status_code == 403 and "Set up two-step" in not_enrolled.json()["detail"]
    device, _codes = enrolled(user)
    missing = token_post(api, user)
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = token_post(api, user, otp="000000")
    assert wrong.status_code == 400 and "token" not in wrong.json()
    good = token_post(api, user, otp=code_for(device))
    assert good.status_code == 200 and good.json()["token"]


def test_the_api_gives_a_focal_point_a_token_without_a_code(focal_a, production_mfa):
    focal_a.set_password(PASSWORD)
    focal_a.save()
    assert token_post(APIClient(), focal_a).status_code == 200


def test_a_session_that_passed_the_code_step_may_ask_for_a_token(
    client, coordinator, production_mfa
):
    device, _ = enrolled(coordinator)
    sign_in(client, coordinator)
    assert client.post("/api/v1/auth/token/").status_code == 403
    client.post("/accounts/two-step/verify/", {"code": code_for(device)})
    answer = client.post("/api/v1/auth/token/")
    assert answer.status_code == 200 and answer.json()["token"]


def test_an_administrator_resets_a_lost_authenticator(client, administrator, facilitator):
    enrolled(facilitator)
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    client.force_login(administrator)
    client.post(
        "/admin/ministries/user/",
        {"action": "reset_two_step", "_selected_action": [facilitator.pk]},
    )
    assert not TOTPDevice.objects.filter(user=facilitator).exists()
    assert StaticToken.objects.filter(device__user=facilitator).count() == 0
    # The facilitator's sessions end with the reset.
    assert facilitator_client.get("/accounts/settings/").status_code == 302


def test_two_step_pages_need_a_signed_in_user(client):
    for path in ("/accounts/two-step/", "/accounts/two-step/verify/"):
        assert client.get(path)["Location"].startswith("/accounts/login/")


def test_the_code_step_is_in_indonesian(client, facilitator, production_mfa):
    # The page's own strings are in /tmp/po/h5.po until the lead merges it; the page is
    # served in Indonesian with the portal's translated frame.
    enrolled(facilitator)
    client.cookies["django_language"] = "id"
    sign_in(client, facilitator)
    page = client.get("/accounts/two-step/verify/").content.decode()
    assert '<html lang="id">' in page and "Pengaturan" in page
