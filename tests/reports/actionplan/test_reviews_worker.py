"""A steering committee review's PDF minutes through a real Celery worker process and Redis
(tests/conftest.py, `celery_worker_process`), asked for and followed through the API.

Transactional: the worker reads the committed test database. The plan is built directly (a
plan needs only its assessment here), not from a published profile, to keep it quick."""

import datetime
import io
import time
from typing import Any

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion
from ministries.models import Institution, User
from reports.actionplan import review_services
from reports.actionplan.models import ActionItem, ActionPlan

from ...conftest import load_reference_data

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 120.0


def test_the_worker_renders_the_review_minutes(celery_worker_process: Any) -> None:
    load_reference_data()  # a transactional test starts from an empty database
    kemnaker = Institution.objects.get(acronym="KEMNAKER")
    coordinator = User.objects.create_user(
        username="w-review-coordinator",
        role=User.Role.NATIONAL_COORDINATOR,
        institution=Institution.objects.get(acronym="KEMLU"),
    )
    assessment = setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-national-2023"),
        year=2030,
        title_en="Test national assessment",
        title_id="Asesmen nasional uji",
    )
    plan = ActionPlan.objects.create(assessment=assessment)
    ActionItem.objects.create(
        plan=plan,
        title_en="Adopt the regulation on placement fees",
        title_id="Menetapkan peraturan tentang biaya penempatan",
        kind="policy_legal",
        status="in_progress",
        lead=kemnaker,
        created_by=coordinator,
    )
    review = review_services.review_create(
        plan=plan,
        held_on=datetime.date(2025, 3, 10),
        chair="Kementerian Luar Negeri and UN Resident Coordinator",
        participants=[kemnaker],
        minutes_id="Komite meninjau rencana aksi.",
        actor=coordinator,
    )
    client = APIClient()
    client.force_authenticate(coordinator)
    url = f"/api/v1/action-plan/reviews/{review.pk}/"
    queued = client.post(f"{url}minutes/", {"language": "id"}, format="json")
    assert queued.status_code == 202, queued.content

    deadline = time.monotonic() + TIMEOUT
    files: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        files = client.get(url).json()["minutes_files"]
        if files and files[0]["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    log = celery_worker_process.log.read_text()
    assert files and files[0]["status"] == "done", (files, log[-3000:])
    assert review_services.MINUTES_TASK in log

    session = APIClient()
    session.force_login(coordinator)
    response = session.get(f"/action-plan/reviews/{review.pk}/minutes/id/pdf/")
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Menetapkan peraturan tentang biaya penempatan" in text
    assert "Sedang berjalan" in text  # the frozen status, in Indonesian
    assert "Komite meninjau rencana aksi." in text
