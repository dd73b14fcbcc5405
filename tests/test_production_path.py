"""The portal as a ministry deploys it: scripts/entrypoint.sh starting gunicorn and a Celery
worker with the production settings (DEBUG off), on the throwaway PostgreSQL and Redis of
`make test`, driven over HTTP as a reverse proxy would (X-Forwarded-Proto: https).

One module fixture collects the static files and starts both processes once, with a short
worker heartbeat; the test walks a cycle through them. Cost: about a minute on 2 cores.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.settings import base as base_settings
from ministries.models import User

from .conftest import (
    build_national_assessment,
    load_reference_data,
    to_approved,
    to_cross_check,
    to_validation,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT_TTL = 3
PASSWORD = "Prod-path-Passw0rd!"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class BehindTLS(http.cookiejar.DefaultCookiePolicy):
    """The proxy speaks HTTPS to the visitor: the portal's Secure cookies come back."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


class Browser:
    """A visitor behind the TLS-terminating proxy: cookies kept, redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar(policy=BehindTLS())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        all_headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        req = urllib.request.Request(  # noqa: S310 - our own server on loopback
            self.base + path, data=data, headers=all_headers, method=method
        )
        try:
            with self.opener.open(req, timeout=60) as resp:
                return Reply(resp.status, dict(resp.headers.items()), resp.read())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, dict(exc.headers.items()), exc.read())

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, payload: dict[str, Any]) -> Reply:
        return self.request(
            "POST",
            path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )

    def post_multipart(self, path: str, fields: dict[str, str], files: dict[str, tuple]) -> Reply:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, content_type) in files.items():
            parts.append(
                (
                    f"--{boundary}\r\nContent-Disposition: form-data; "
                    f'name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
                ).encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def sign_in_api(self, username: str) -> None:
        fields = {"username": username, "password": PASSWORD}
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is not None:  # production asks coordinators and facilitators for a code
            fields["otp"] = str(totp(device.bin_key, step=device.step, t0=device.t0)).zfill(6)
        reply = self.request(
            "POST",
            "/api/v1/auth/token/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert reply.status == 200, reply.text
        self.token = reply.json()["token"]

    def sign_in_page(self, username: str) -> None:
        page = self.get("/accounts/login/")
        assert page.status == 200, page.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token
        reply = self.request(
            "POST",
            "/accounts/login/",
            data=urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
            ).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": "https://127.0.0.1/accounts/login/",
            },
        )
        assert reply.status == 302, reply.text[:1000]


@dataclass
class Portal:
    base: str
    web: subprocess.Popen
    worker: subprocess.Popen
    log_dir: Path

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text()[-4000:]}" for p in sorted(self.log_dir.glob("*.log"))
        )

    def browser(self) -> Browser:
        return Browser(self.base)


def wait_for(check: Any, *, timeout: float, what: str, portal: "Portal | None" = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}\n{portal.logs() if portal else ''}")


@pytest.fixture(scope="module")
def production_portal(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Portal]:
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`.")
    work = tmp_path_factory.mktemp("production")
    db = connection.settings_dict
    # Its own Redis database (broker, cache, heartbeats), apart from the other xdist workers'.
    base_url, _, number = settings.CELERY_BROKER_URL.rpartition("/")
    redis_url = f"{base_url}/{8 + int(number)}"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(work / "mail"),
        "MGI_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "1",
        "MGI_WORKER_HEARTBEAT_TTL": str(HEARTBEAT_TTL),
        "MGI_BEAT_SCHEDULE": str(work / "beat-schedule"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    entry = str(ROOT / "scripts" / "entrypoint.sh")
    logs = work / "logs"
    logs.mkdir()
    with (logs / "web.log").open("w") as web_log, (logs / "worker.log").open("w") as worker_log:
        web = subprocess.Popen(
            ["bash", entry, "web"], cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT
        )
        # Its own process group, so the test can kill it with its pool at once.
        worker = subprocess.Popen(
            ["bash", entry, "worker"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    portal = Portal(base=f"http://127.0.0.1:{port}", web=web, worker=worker, log_dir=logs)
    try:

        def up() -> bool:
            try:
                return portal.browser().get("/healthz").status == 200
            except OSError:
                return False

        wait_for(up, timeout=60, what="gunicorn", portal=portal)
        wait_for(
            lambda: "ready." in (logs / "worker.log").read_text(),
            timeout=60,
            what="the worker",
            portal=portal,
        )
        yield portal
    finally:
        for proc in (web, worker):
            if proc.poll() is None:
                proc.terminate()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def make_user(username: str, role: str, **extra: Any) -> User:
    """A user whose password the production settings can check: the test settings hash with
    MD5 for speed, which production does not accept."""
    user = User.objects.create_user(
        username=username, role=role, email=f"{username}@example.go.id", **extra
    )
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(16), iterations=1000)
    user.save(update_fields=["password"])
    if role in base_settings.MFA_REQUIRED_ROLES:  # production's list: an authenticator app
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def test_a_cycle_through_gunicorn_and_a_worker_with_debug_off(production_portal):
    portal = production_portal
    load_reference_data()  # a transactional test starts from an empty database
    from ministries.models import Institution

    coordinator = make_user("prod-coordinator", User.Role.NATIONAL_COORDINATOR)
    facilitator = make_user("prod-facilitator", User.Role.FACILITATOR)
    kemnaker = Institution.objects.get(acronym="KEMNAKER")
    bp2mi = Institution.objects.get(acronym="BP2MI")
    focal_a = make_user("prod-focal-a", User.Role.FOCAL_POINT, institution=kemnaker)
    focal_b = make_user("prod-focal-b", User.Role.FOCAL_POINT, institution=bp2mi)
    assessment = build_national_assessment(coordinator, facilitator)
    response = assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")

    anonymous = portal.browser()
    # The process is up and ready, the worker alive, with DEBUG off (no debug page).
    ready = anonymous.get("/readyz")
    assert ready.status == 200, ready.text
    assert ready.json()["database"] == {"ok": True}
    wait_for(
        lambda: anonymous.get("/readyz").json()["workers"]["alive"] >= 1,
        timeout=HEARTBEAT_TTL * 4,
        what="the worker's heartbeat",
        portal=portal,
    )
    missing = anonymous.get("/no-such-page/")
    assert missing.status == 404
    assert "Traceback" not in missing.text and "DEBUG" not in missing.text
    # Plain HTTP without the proxy's header is sent to HTTPS.
    plain = urllib.request.build_opener(NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as redirected:
        plain.open(portal.base + "/", timeout=30)
    assert redirected.value.code == 301
    assert redirected.value.headers["Location"].startswith("https://")
    # Static files come from whitenoise, with a hashed name (the manifest storage).
    home = anonymous.get("/")
    assert home.status == 200
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text)
    assert css, home.text[:2000]
    assert anonymous.get(css.group(1)).status == 200

    # A focal point signs in to the pages and saves an answer.
    focal = portal.browser()
    focal.sign_in_page("prod-focal-a")
    entry = focal.get(f"/assessments/{assessment.pk}/entry/")
    assert entry.status == 200
    assert "1.3.1" in entry.text

    # Through the API (token), the focal point attaches an uploaded file as evidence.
    focal.sign_in_api("prod-focal-a")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attached = focal.post_multipart(
        f"/api/v1/responses/{response.pk}/evidence/",
        {"kind": "file", "title": "Permenaker 9/2019"},
        {"file": ("Permenaker 9 2019.pdf", pdf, "application/pdf")},
    )
    assert attached.status == 201, attached.text
    evidence = attached.json()["evidence"][0]
    assert evidence["content_type"] == "application/pdf"
    download_url = urllib.parse.urlsplit(evidence["file"]).path
    assert not download_url.startswith("/media/")

    # The facilitator downloads it; another institution's focal point and a visitor get 404.
    reviewer = portal.browser()
    reviewer.sign_in_api("prod-facilitator")
    got = reviewer.get(download_url)
    assert got.status == 200, got.text[:500]
    assert got.body == pdf
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "Permenaker 9 2019.pdf" in urllib.parse.unquote(got.headers["Content-Disposition"])
    stranger = portal.browser()
    stranger.sign_in_api("prod-focal-b")
    assert stranger.get(download_url).status == 404
    assert anonymous.get(download_url).status in (401, 404)
    from assessments.models import Evidence

    stored = Evidence.objects.get(pk=evidence["id"]).file.name
    assert anonymous.get(f"/media/{stored}").status == 404
    assert reviewer.get(f"/media/{stored}").status == 404

    # Into approval through the services; the profile is rendered by the worker.
    to_cross_check(assessment, coordinator, focal_a, focal_b)
    to_validation(assessment, coordinator, facilitator)
    to_approved(assessment, coordinator, [kemnaker, bp2mi])
    staff = portal.browser()
    staff.sign_in_api("prod-coordinator")
    for language in ("en", "id"):
        queued = staff.post_json(
            f"/api/v1/assessments/{assessment.pk}/profiles/", {"language": language}
        )
        assert queued.status == 202, queued.text
    profile_id = queued.json()["profile"]["id"]

    def rendered() -> Any:
        versions = staff.get(f"/api/v1/assessments/{assessment.pk}/profiles/").json()
        version = next(v for v in versions if v["id"] == profile_id)
        failed = [r for r in version["renders"] if r["status"] == "failed"]
        assert not failed, failed
        done = [r for r in version["renders"] if r["status"] == "done"]
        return version if len(done) == 2 else None

    version = wait_for(rendered, timeout=180, what="the worker's PDFs", portal=portal)
    assert "reports.profile_render" in (portal.log_dir / "worker.log").read_text()
    render_id = next(r["id"] for r in version["renders"] if r["language"] == "en")
    approved = staff.post_json(f"/api/v1/profiles/{render_id}/approve/", {})
    assert approved.status == 200, approved.text
    published = staff.post_json(f"/api/v1/profiles/{render_id}/publish/", {})
    assert published.status == 200, published.text
    assert published.json()["published_at"]

    # The published profile is public and cached: the second request is a conditional 304.
    page = anonymous.get(f"/profiles/{profile_id}/")
    assert page.status == 200, page.text[:500]
    assert "public" in page.headers["Cache-Control"]
    assert "csrfmiddlewaretoken" not in page.text
    again = anonymous.get(f"/profiles/{profile_id}/", **{"If-None-Match": page.headers["ETag"]})
    assert again.status == 304
    pdf_reply = anonymous.get(f"/profiles/{profile_id}/en.pdf")
    assert pdf_reply.status == 200
    assert pdf_reply.body.startswith(b"%PDF")
    assert pdf_reply.headers["X-Content-Type-Options"] == "nosniff"

    # A dead worker drops out of /readyz once its heartbeat expires; readiness holds.
    os.killpg(portal.worker.pid, signal.SIGKILL)
    wait_for(
        lambda: anonymous.get("/readyz").json()["workers"]["alive"] == 0,
        timeout=HEARTBEAT_TTL * 5,
        what="the heartbeat to expire",
        portal=portal,
    )
    assert anonymous.get("/readyz").status == 200
