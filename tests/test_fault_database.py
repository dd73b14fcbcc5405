"""PostgreSQL connections cut in the middle of a save, an import and a workflow move.

The connection a request is using is terminated (`pg_terminate_backend`, from a second
connection) right after the action's first write, before it commits: the request answers
503 asking to retry (a page or JSON, in the user's language), nothing of the action is
left, and the next request of the same process works (config/unavailable.py drops the
broken connection). Only this test's own backend is terminated, in its own test database.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from assessments.models import (
    AnswersWorkbookImport,
    Assessment,
    AssessmentStatusChange,
    Response,
)
from audit.models import AuditEvent

from .conftest import build_national_assessment, load_reference_data
from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RETRY_EN = "The portal lost its connection to the database for a moment, so nothing was saved."


def terminate(pid: int) -> None:
    """End the backend `pid` from another connection, and wait until it is gone."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as admin:
        ended = admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        assert ended is not None and ended[0]
        for _ in range(500):
            if not admin.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).fetchone():
                return
            admin.execute("SELECT pg_sleep(0.01)")
    raise AssertionError(f"backend {pid} is still there")


@contextmanager
def cut_after(write: str) -> Iterator[dict]:
    """Cut this process's connection right after the first statement matching `write` (a
    regular expression) has run: the statement after it fails, as after a PostgreSQL
    restart. Yields what happened (`cut`: whether it was cut)."""
    state = {"armed": False, "cut": False}
    pattern = re.compile(write)

    def wrapper(execute, sql, params, many, context):
        if state["armed"] and not state["cut"]:
            state["cut"] = True
            terminate(context["connection"].connection.info.backend_pid)
        result = execute(sql, params, many, context)
        if not state["armed"] and pattern.search(sql):
            state["armed"] = True
        return result

    with connection.execute_wrapper(wrapper):
        yield state
    assert state["cut"], f"no statement matched {write!r}"


@pytest.fixture
def people(django_db_blocker):
    """A transactional test starts from an empty database: reference data, the national
    test assessment (data collection) and its people."""
    load_reference_data()
    from ministries.models import Institution, User

    coordinator = UserFactory(
        username="t-coordinator",
        role=User.Role.NATIONAL_COORDINATOR,
        institution=Institution.objects.get(acronym="KEMLU"),
    )
    focal = UserFactory(
        username="t-focal-kemnaker",
        role=User.Role.FOCAL_POINT,
        institution=Institution.objects.get(acronym="KEMNAKER"),
    )
    assessment = build_national_assessment(coordinator)
    return assessment, coordinator, focal


def assert_retry_page(result, text: str = RETRY_EN) -> None:
    assert result.status_code == 503
    assert result["Retry-After"] == "5"
    html = result.content.decode()
    assert text in html
    assert '<html lang="' in html


def test_a_save_cut_off_answers_503_keeps_nothing_and_the_next_save_works(people):
    assessment, _coordinator, focal = people
    response = assessment.responses.get(indicator__code="1.3.1", institution=focal.institution)
    client = Client()
    client.force_login(focal)
    url = f"/responses/{response.pk}/save/"
    data = {"version": 1, "answer": "yes", "justification": "Law 13/2003", "evidence_present": "1"}

    with cut_after(r'^UPDATE "assessments_response"'):
        result = client.post(url, data, headers={"HX-Request": "true"})
    assert_retry_page(result)
    response.refresh_from_db()
    assert (response.answer, response.justification, response.version) == ("", "", 1)
    assert response.history.count() == 1  # the row's creation only

    # The same save, through the API, cut off, in Indonesian.
    api = APIClient()
    api.force_authenticate(focal)
    with cut_after(r'^UPDATE "assessments_response"'):
        result = api.patch(
            f"/api/v1/responses/{response.pk}/", data, format="json", HTTP_ACCEPT_LANGUAGE="id"
        )
    assert result.status_code == 503
    assert result["Content-Type"] == "application/json"
    detail = result.json()["detail"]
    assert "koneksi ke basis data" in detail and "coba lagi" in detail
    response.refresh_from_db()
    assert response.version == 1

    # The next request of this process opens a new connection and saves.
    result = client.post(url, data, headers={"HX-Request": "true"})
    assert result.status_code == 200
    response.refresh_from_db()
    assert (response.answer, response.version) == ("yes", 2)


def test_an_import_cut_off_applies_nothing_and_can_be_applied_again(people):
    from tests.assessments.collection.workbook.test_workbook_export import (
        cell,
        download,
        snapshot,
        to_upload,
    )

    assessment, _coordinator, focal = people
    client = Client()
    client.force_login(focal)
    wb = download(client, assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.1", "answer").value = "Yes"
    cell(ws, "1.3.2", "answer").value = "no"
    cell(ws, "4.1.1", "justification").value = "A draft regulation is being discussed."
    result = client.post(f"/assessments/{assessment.pk}/workbook/import/", {"file": to_upload(wb)})
    assert result.status_code == 302
    workbook_import = AnswersWorkbookImport.objects.get()
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED
    apply_url = f"/assessments/{assessment.pk}/workbook/import/{workbook_import.pk}/apply/"
    before = snapshot(assessment)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    with cut_after(r'^UPDATE "assessments_response"'):
        result = client.post(apply_url)
    assert_retry_page(result, "Portal kehilangan koneksi ke basis data")
    assert '<html lang="id"' in result.content.decode()
    assert snapshot(assessment) == before
    workbook_import.refresh_from_db()
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED

    result = client.post(apply_url)
    assert result.status_code == 302
    workbook_import.refresh_from_db()
    assert workbook_import.status == AnswersWorkbookImport.Status.APPLIED
    assert snapshot(assessment) != before
    assert (
        Response.objects.get(
            assessment=assessment, indicator__code="1.3.2", institution=focal.institution
        ).answer
        == "no"
    )


def test_a_workflow_move_cut_off_leaves_the_assessment_where_it_was(people):
    assessment, coordinator, _focal = people
    S = Assessment.Status
    client = Client()
    client.force_login(coordinator)
    url = f"/assessments/{assessment.pk}/transition/"
    events = AuditEvent.objects.count()

    with cut_after(r'^INSERT INTO "assessments_assessmentstatuschange"'):
        result = client.post(url, {"to": S.CROSS_CHECK, "note": "", "confirmed": "yes"})
    assert_retry_page(result)
    assessment.refresh_from_db()
    assert assessment.status == S.DATA_COLLECTION
    assert not AssessmentStatusChange.objects.filter(to_status=S.CROSS_CHECK).exists()
    assert AuditEvent.objects.count() == events

    api = APIClient()
    api.force_authenticate(coordinator)
    api_url = f"/api/v1/assessments/{assessment.pk}/transitions/"
    with cut_after(r'^INSERT INTO "assessments_assessmentstatuschange"'):
        result = api.post(api_url, {"to": S.CROSS_CHECK}, format="json")
    assert result.status_code == 503
    assert result.json() == {"detail": RETRY_EN + " Please try again in a few seconds."}
    assessment.refresh_from_db()
    assert assessment.status == S.DATA_COLLECTION

    result = api.post(api_url, {"to": S.CROSS_CHECK}, format="json")
    assert result.status_code == 200, result.content
    assessment.refresh_from_db()
    assert assessment.status == S.CROSS_CHECK
    assert AssessmentStatusChange.objects.filter(to_status=S.CROSS_CHECK).count() == 1
