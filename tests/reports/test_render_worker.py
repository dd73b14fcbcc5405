"""Profile PDFs through a real Celery worker process and a real Redis.

The worker (tests/conftest.py, `celery_worker_process`) reads the committed test database,
so these tests are transactional: each starts from an empty database, loads the reference
data and builds the approved national assessment with the same services as the fixtures.
Renders are requested and followed through the API, as a client would.
"""

import io
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments.models import Assessment
from indicators.models import Dimension
from ministries.models import Institution, User
from reports import wording
from reports.models import Profile, ProfileRender

from ..conftest import (
    build_national_assessment,
    load_reference_data,
    to_approved,
    to_cross_check,
    to_validation,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 120.0


def approved_assessment() -> tuple[Assessment, User]:
    """The `approved_assessment` fixture's steps: collected, cross-checked, consolidated,
    validated in an FGD and approved (snapshot no. 1). Returns it and its coordinator."""
    load_reference_data()  # a transactional test starts from an empty database
    inst = {i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMNAKER", "BP2MI"])}
    coordinator = User.objects.create_user(
        username="w-coordinator",
        role=User.Role.NATIONAL_COORDINATOR,
        institution=Institution.objects.get(acronym="KEMLU"),
    )
    facilitator = User.objects.create_user(username="w-facilitator", role=User.Role.FACILITATOR)
    focal_a = User.objects.create_user(
        username="w-focal-a", role=User.Role.FOCAL_POINT, institution=inst["KEMNAKER"]
    )
    focal_b = User.objects.create_user(
        username="w-focal-b", role=User.Role.FOCAL_POINT, institution=inst["BP2MI"]
    )
    a = build_national_assessment(coordinator, facilitator)
    to_cross_check(a, coordinator, focal_a, focal_b)
    to_validation(a, coordinator, facilitator)
    to_approved(a, coordinator, inst.values())
    return a, coordinator


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def request_render(client: APIClient, assessment: Assessment, language: str) -> int:
    response = client.post(
        f"/api/v1/assessments/{assessment.pk}/profiles/", {"language": language}, format="json"
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def wait_until(condition, timeout: float, interval: float, what: str, worker) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out waiting for {what}\n{worker.log.read_text()[-4000:]}")


def poll_until_finished(client: APIClient, render_id: int, worker) -> dict:
    def finished() -> dict | None:
        body = client.get(f"/api/v1/profiles/{render_id}/").json()
        return body if body["status"] in ("done", "failed") else None

    return wait_until(finished, TIMEOUT, 0.5, f"render {render_id}", worker)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def profile_files(assessment: Assessment, version: int, language: str) -> set[Path]:
    """The PDFs stored so far. Their random names (config/files.py) do not say whose they
    are: each test renders one profile, and compares what is there after with before."""
    folder = Path(settings.MEDIA_ROOT) / "profiles"
    return set(folder.glob("*/*.pdf"))


def task_lines(worker, start: int, event: str) -> int:
    """How many render tasks the worker logged as `event` since `start` (a log offset)."""
    text = worker.log.read_text()[start:]
    return len(re.findall(rf"Task reports\.profile_render\[[^\]]+\] {event}", text))


def pool_child(worker) -> int:
    """The pid of the worker's only pool process (prefork, concurrency 1)."""
    out = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert len(out) == 1, f"expected one pool process, found {out}"
    return int(out[0])


def test_the_worker_renders_both_languages_then_the_profile_is_approved_and_published(
    celery_worker_process,
):
    assessment, coordinator = approved_assessment()
    client = api(coordinator)
    started = time.monotonic()
    ids = {language: request_render(client, assessment, language) for language in ("en", "id")}
    bodies = {
        lang: poll_until_finished(client, pk, celery_worker_process) for lang, pk in ids.items()
    }
    elapsed = time.monotonic() - started

    profile = Profile.objects.get(assessment=assessment)
    findings = list(profile.findings.order_by("dimension", "kind", "order"))
    dimensions = Dimension.objects.filter(framework__code="mgi-national-2023").order_by("number")
    names = {lang: [getattr(d, f"name_{lang}") for d in dimensions] for lang in ("en", "id")}
    assert names["en"][0] == "Migrants' rights" and names["id"][0] == "Hak-hak migran"
    for language, body in bodies.items():
        assert body["status"] == "done", body["error"]
        assert body["pages"] > 10 and len(body["checksum"]) == 64
        assert body["profile"] == {**body["profile"], "id": profile.pk, "version": 1}
        pdf = client.get(f"/api/v1/profiles/{ids[language]}/pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = pdf_text(b"".join(pdf.streaming_content))
        other = "id" if language == "en" else "en"
        for name in names[language]:
            assert name in text, (language, name)
        # The right language: not the other one's dimension names.
        assert not [n for n in names[other] if n in text and n not in names[language]]
        for finding in (findings[0], findings[-1]):
            assert getattr(finding, f"text_{language}") in text
        for key in ("key_findings", "annex_indicators", "annex_sources", "annex_crosswalk"):
            assert wording.heading(key, language) in text, (language, key)
    assert "reports.profile_render" in celery_worker_process.log.read_text()
    print(f"\nworker rendered en+id in {elapsed:.1f}s: {[b['seconds'] for b in bodies.values()]}")

    approved = client.post(f"/api/v1/profiles/{ids['en']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    published = client.post(f"/api/v1/profiles/{ids['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED
    for path in profile_files(assessment, 1, "en") | profile_files(assessment, 1, "id"):
        path.unlink()


def test_killing_the_worker_mid_render_leaves_it_retried_or_failed_never_stuck(
    celery_worker_process,
):
    assessment, coordinator = approved_assessment()
    before = profile_files(assessment, 1, "en")  # left by an earlier run with the same ids
    client = api(coordinator)
    render_id = request_render(client, assessment, "en")

    def rendering() -> bool:
        return ProfileRender.objects.filter(pk=render_id, status="rendering").exists()

    wait_until(rendering, 60, 0.02, "the render to start", celery_worker_process)
    child = pool_child(celery_worker_process)
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()

    body = poll_until_finished(client, render_id, celery_worker_process)
    print(f"\nafter the kill: {body['status']} in {time.monotonic() - killed_at:.1f}s")
    log = celery_worker_process.log.read_text()
    assert "SIGKILL" in log or "signal 9" in log
    render = ProfileRender.objects.get(pk=render_id)
    if render.status == ProfileRender.Status.DONE:
        # acks_late + reject_on_worker_lost: the broker handed the task to the new process.
        assert render.attempts >= 2
    else:
        assert render.status == ProfileRender.Status.FAILED and render.error
    assert ProfileRender.objects.filter(profile__assessment=assessment, language="en").count() == 1
    new = profile_files(assessment, 1, "en") - before
    assert len(new) == (1 if render.status == ProfileRender.Status.DONE else 0)
    if render.file:
        assert Path(render.file.path) in new
    # The pool has a fresh process for the next test.
    wait_until(
        lambda: pool_child(celery_worker_process) != child,
        30,
        0.2,
        "a new pool process",
        celery_worker_process,
    )
    for path in new:
        path.unlink()


def test_requesting_the_same_language_twice_gives_one_row_and_one_file(celery_worker_process):
    assessment, coordinator = approved_assessment()
    before = profile_files(assessment, 1, "id")
    log_start = len(celery_worker_process.log.read_text())
    client = api(coordinator)
    first = request_render(client, assessment, "id")
    second = request_render(client, assessment, "id")
    assert first == second
    body = poll_until_finished(client, first, celery_worker_process)
    assert body["status"] == "done", body["error"]

    # Asked again while queued, a second task was sent (it finds the PDF done and returns);
    # asked while already rendering, none was. Either way, wait until every task has run.
    def all_tasks_ran() -> bool:
        time.sleep(1)  # a task sent is received within this
        received = task_lines(celery_worker_process, log_start, "received")
        return received == task_lines(celery_worker_process, log_start, "succeeded")

    wait_until(all_tasks_ran, TIMEOUT, 0.2, "every task", celery_worker_process)
    assert task_lines(celery_worker_process, log_start, "succeeded") in (1, 2)
    assert ProfileRender.objects.filter(profile__assessment=assessment).count() == 1
    new = profile_files(assessment, 1, "id") - before
    render = ProfileRender.objects.get(pk=first)
    assert render.attempts == 1  # rendered once
    assert new == {Path(render.file.path)}
    for path in new:
        path.unlink()
