"""API of the Excel round trip: GET .../matrix.xlsx and POST .../matrix/import/."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from assessments.collection.workbook import XLSX_CONTENT_TYPE
from assessments.models import AnswersWorkbookImport
from ministries.tokens import token_create

from .test_workbook_export import (
    KEMNAKER_CODES,
    cell,
    kemnaker_response,
    snapshot,
    to_upload,
    with_kemnaker_contributions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wb_assessment(national_assessment, coordinator, kemnaker):
    return with_kemnaker_contributions(national_assessment, coordinator, kemnaker)


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user)[1]}")
    return api


def export_url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/matrix.xlsx"


def import_url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/matrix/import/"


def exported(api: APIClient, assessment, **params):
    response = api.get(export_url(assessment), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_export_with_a_token_gives_the_users_institution(wb_assessment, focal_a):
    wb = exported(token_client(focal_a), wb_assessment)
    assert [c.value for c in wb["Responses"]["A"][1:]] == KEMNAKER_CODES


def test_export_with_session_auth_and_an_xlsx_accept_header(wb_assessment, focal_a):
    api = APIClient()
    api.force_login(focal_a)
    response = api.get(export_url(wb_assessment), HTTP_ACCEPT=XLSX_CONTENT_TYPE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_coordinator_names_the_institution(wb_assessment, coordinator):
    api = token_client(coordinator)
    assert api.get(export_url(wb_assessment)).status_code == 400
    wb = exported(api, wb_assessment, institution="KEMNAKER")
    assert [c.value for c in wb["Responses"]["A"][1:]] == KEMNAKER_CODES


def test_export_refuses_strangers(wb_assessment, focal_b, provincial_coordinator):
    assert APIClient().get(export_url(wb_assessment)).status_code == 401
    response = token_client(focal_b).get(export_url(wb_assessment), {"institution": "KEMNAKER"})
    assert response.status_code == 404
    response = token_client(provincial_coordinator).get(
        export_url(wb_assessment), {"institution": "KEMNAKER"}
    )
    assert response.status_code == 404


def _edited(api, assessment) -> SimpleUploadedFile:
    wb = exported(api, assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "Yes"
    cell(ws, "1.3.2", "justification").value = "Ministerial regulation 4/2023."
    cell(ws, "4.1.1", "answer").value = "Sebagian"
    return to_upload(wb, "api.xlsx")


def test_dry_run_returns_the_preview_and_writes_nothing(wb_assessment, focal_a):
    api = token_client(focal_a)
    file = _edited(api, wb_assessment)
    before = snapshot(wb_assessment)
    response = api.post(import_url(wb_assessment), {"file": file, "dry_run": "true"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is True
    changes = {c["indicator"]: c for c in body["changes"]}
    assert set(changes) == {"1.3.2", "4.1.1"}
    assert changes["1.3.2"]["old"]["answer"] is None
    assert changes["1.3.2"]["new"] == {
        "answer": "yes",
        "nothing_to_add": False,
        "coverage": None,
        "justification": "Ministerial regulation 4/2023.",
        "evidence": [],
    }
    assert changes["1.3.2"]["fields"] == ["answer", "justification"]
    assert changes["4.1.1"]["new"]["answer"] == "partial"
    assert snapshot(wb_assessment) == before
    assert not AnswersWorkbookImport.objects.exists()


def test_import_applies_and_history_names_it(wb_assessment, focal_a):
    api = token_client(focal_a)
    response = api.post(import_url(wb_assessment), {"file": _edited(api, wb_assessment)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is False
    assert {c["indicator"] for c in body["changes"]} == {"1.3.2", "4.1.1"}
    assert (
        AnswersWorkbookImport.objects.get(pk=body["import"]).status
        == AnswersWorkbookImport.Status.APPLIED
    )
    response_132 = kemnaker_response(wb_assessment, "1.3.2")
    assert response_132.answer == "yes"
    latest = response_132.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == 'excel_import|{"filename":"api.xlsx"}'
    history = api.get(f"/api/v1/responses/{response_132.pk}/history/").json()
    assert (history[0]["reason"], history[0]["reason_code"]) == (
        "Excel import (api.xlsx)",
        "excel_import",
    )
    assert history[0]["reason_params"] == {"filename": "api.xlsx"}


def test_import_errors_are_400_with_their_cells_and_nothing_applied(wb_assessment, focal_a):
    api = token_client(focal_a)
    wb = exported(api, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "Yes"  # valid, but must not be applied
    cell(ws, "4.1.1", "answer").value = "=1+1"
    cell(ws, "2.1.1", "code").value = "7.7.7"
    before = snapshot(wb_assessment)
    for dry_run in ("true", "false"):
        response = api.post(import_url(wb_assessment), {"file": to_upload(wb), "dry_run": dry_run})
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert {(e["sheet"], e["row"], e["column"]) for e in errors} == {
            ("Responses", 7, "E"),
            ("Responses", 6, "A"),
        }
        assert all(set(e) >= {"sheet", "row", "column", "message"} for e in errors)
    assert snapshot(wb_assessment) == before


def test_import_refuses_non_workbooks(wb_assessment, focal_a):
    api = token_client(focal_a)
    exe = SimpleUploadedFile("matrix.xlsx", b"MZ\x90\x00 a renamed program")
    response = api.post(import_url(wb_assessment), {"file": exe})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "not an Excel workbook" in error["message"]
    assert api.post(import_url(wb_assessment), {}).status_code == 400


def test_import_is_for_focal_points_of_their_own_institution(
    wb_assessment, focal_a, focal_b, coordinator, provincial_coordinator
):
    kemnaker_file = _edited(token_client(focal_a), wb_assessment)
    assert APIClient().post(import_url(wb_assessment), {"file": kemnaker_file}).status_code == 401
    kemnaker_file.seek(0)
    response = token_client(coordinator).post(import_url(wb_assessment), {"file": kemnaker_file})
    assert response.status_code == 403
    kemnaker_file.seek(0)
    response = token_client(provincial_coordinator).post(
        import_url(wb_assessment), {"file": kemnaker_file}
    )
    assert response.status_code == 404
    # BP2MI's focal point uploading Kemnaker's workbook imports into BP2MI: refused.
    kemnaker_file.seek(0)
    response = token_client(focal_b).post(import_url(wb_assessment), {"file": kemnaker_file})
    assert response.status_code == 400
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "another assessment or institution" in messages
    assert kemnaker_response(wb_assessment, "1.3.2").answer == ""
