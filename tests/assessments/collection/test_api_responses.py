"""The assessments and responses API: scoping, versioned PATCH, history, evidence, submission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_assessments_list_is_scoped_to_the_user(
    api, national_assessment, focal_a, provincial_coordinator
):
    api.force_authenticate(focal_a)
    assert [a["id"] for a in api.get("/api/v1/assessments/").json()["results"]] == [
        national_assessment.pk
    ]
    detail = api.get(f"/api/v1/assessments/{national_assessment.pk}/").json()
    assert detail["framework"] == "mgi-national-2023" and set(detail["title"]) == {"en", "id"}
    assert detail["status"] == "data_collection"
    api.force_authenticate(provincial_coordinator)
    assert api.get("/api/v1/assessments/").json()["count"] == 0
    assert api.get(f"/api/v1/assessments/{national_assessment.pk}/").status_code == 404


def test_anonymous_gets_401(api, national_assessment):
    assert api.get("/api/v1/assessments/").status_code == 401


def test_responses_list_with_filters(api, national_assessment, coordinator):
    api.force_authenticate(coordinator)
    body = api.get(
        f"/api/v1/assessments/{national_assessment.pk}/responses/", {"institution": "KEMNAKER"}
    ).json()
    assert body["count"] == 4
    first = body["results"][0]
    assert set(first) >= {
        "id",
        "indicator",
        "institution",
        "answer",
        "coverage",
        "justification",
        "evidence",
        "version",
    }
    assert first["answer"] is None and first["institution"] == "KEMNAKER"
    d4 = api.get(
        f"/api/v1/assessments/{national_assessment.pk}/responses/",
        {"institution": "KEMNAKER", "dimension": 4},
    ).json()
    assert {r["indicator"] for r in d4["results"]} == {"4.1.1", "4.1.2"}


def test_focal_point_sees_only_their_institutions_responses(api, national_assessment, focal_b):
    api.force_authenticate(focal_b)
    body = api.get(
        f"/api/v1/assessments/{national_assessment.pk}/responses/", {"page_size": 500}
    ).json()
    assert {r["institution"] for r in body["results"]} == {"BP2MI"}


def test_responses_list_query_count_is_constant(
    api, national_assessment, coordinator, kemnaker, focal_a
):
    api.force_authenticate(coordinator)
    url = f"/api/v1/assessments/{national_assessment.pk}/responses/"
    with CaptureQueriesContext(connection) as before:
        api.get(url)
    for r in national_assessment.responses.filter(institution=kemnaker):
        item = collection_services.evidence_create(
            assessment=national_assessment,
            institution=kemnaker,
            actor=focal_a,
            kind="link",
            title="x",
            url="https://x.go.id",
        )
        collection_services.response_add_evidence(
            response=r, actor=focal_a, version=r.version, evidence=item
        )
    with CaptureQueriesContext(connection) as after:
        api.get(url)
    # assessment, page with its count (+indicator, dimension, institution, user joined), and
    # the evidence only when an answer of the page has some
    assert len(before.captured_queries) == 2
    assert len(after.captured_queries) == 3


def test_patch_with_the_current_version_saves_and_bumps_it(api, focal_a, response_a):
    api.force_authenticate(focal_a)
    result = api.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"answer": "partial", "justification": "Law 13/2003", "version": 1},
        format="json",
    )
    assert result.status_code == 200, result.json()
    assert result.json()["version"] == 2 and result.json()["answer"] == "partial"


def test_stale_patch_gets_409_with_the_current_state_and_overwrites_nothing(
    api, focal_a, response_a
):
    api.force_authenticate(focal_a)
    api.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"answer": "yes", "justification": "First", "version": 1},
        format="json",
    )
    stale = api.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"answer": "no", "justification": "Second", "version": 1},
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["justification"] == "First" and body["current"]["version"] == 2
    response_a.refresh_from_db()
    assert (response_a.answer, response_a.justification, response_a.version) == ("yes", "First", 2)


def test_patch_validates_the_answer_scheme(api, focal_a, response_a):
    api.force_authenticate(focal_a)
    result = api.patch(
        f"/api/v1/responses/{response_a.pk}/", {"answer": "na", "version": 1}, format="json"
    )
    assert result.status_code == 400 and "answer" in result.json()
    result = api.patch(
        f"/api/v1/responses/{response_a.pk}/", {"answer": "maybe", "version": 1}, format="json"
    )
    assert result.status_code == 400
    assert (
        api.patch(
            f"/api/v1/responses/{response_a.pk}/", {"answer": "yes"}, format="json"
        ).status_code
        == 400
    )


def test_other_institution_gets_404_and_coordinator_403_on_patch(
    api, focal_b, coordinator, response_a
):
    api.force_authenticate(focal_b)
    for path in ("", "history/", "evidence/"):
        assert api.get(f"/api/v1/responses/{response_a.pk}/{path}").status_code == 404
    assert (
        api.patch(
            f"/api/v1/responses/{response_a.pk}/", {"answer": "yes", "version": 1}, format="json"
        ).status_code
        == 404
    )
    api.force_authenticate(coordinator)
    assert api.get(f"/api/v1/responses/{response_a.pk}/").status_code == 200
    assert (
        api.patch(
            f"/api/v1/responses/{response_a.pk}/", {"answer": "yes", "version": 1}, format="json"
        ).status_code
        == 403
    )
    response_a.refresh_from_db()
    assert response_a.version == 1


def test_history_lists_every_change_with_old_and_new_values(api, focal_a, response_a):
    api.force_authenticate(focal_a)
    api.patch(
        f"/api/v1/responses/{response_a.pk}/", {"answer": "partial", "version": 1}, format="json"
    )
    api.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"answer": "yes", "justification": "Now complete", "version": 2},
        format="json",
    )
    history = api.get(f"/api/v1/responses/{response_a.pk}/history/").json()
    assert history[0]["who"] == "t-focal-kemnaker"
    assert (history[0]["reason"], history[0]["reason_code"]) == ("Saved through the API", "api")
    changes = {c["field"]: (c["old"], c["new"]) for c in history[0]["changes"]}
    assert changes["answer"] == ("partial", "yes")
    assert changes["justification"] == ("", "Now complete")
    assert history[-1]["type"] == "created"


def test_post_evidence_link_citation_and_file(api, focal_a, response_a):
    api.force_authenticate(focal_a)
    link = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "link", "title": "JDIH", "url": "https://jdih.kemnaker.go.id"},
        format="json",
    )
    assert link.status_code == 201, link.json()
    citation = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {
            "kind": "citation",
            "instrument_type": "law",
            "number": "18",
            "year": 2017,
            "title": "PPMI",
            "version": 2,
        },
        format="json",
    )
    assert citation.status_code == 201
    pdf = SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")
    file = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "file", "title": "Scan", "file": pdf},
        format="multipart",
    )
    assert file.status_code == 201, file.json()
    kinds = [e["kind"] for e in api.get(f"/api/v1/responses/{response_a.pk}/evidence/").json()]
    assert kinds == ["link", "citation", "file"]
    bad = api.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "citation", "title": "No type"},
        format="json",
    )
    assert bad.status_code == 400 and "instrument_type" in bad.json()


def test_submission_needs_every_lead_answer(api, focal_a, national_assessment, kemnaker):
    api.force_authenticate(focal_a)
    url = f"/api/v1/assessments/{national_assessment.pk}/submissions/"
    refused = api.post(url)
    assert refused.status_code == 409 and "1.3.1" in refused.json()["detail"]
    for r in national_assessment.responses.filter(
        institution=kemnaker, indicator__code__in=["1.3.1", "1.3.2", "4.1.1"]
    ):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="no"
        )
    done = api.post(url)
    # The three lead answers are sent; the blank contributor draft (4.1.2) is not.
    assert done.status_code == 201 and done.json() == {"submitted": 3, "institution": "KEMNAKER"}
    assert dict(
        Response.objects.filter(institution=kemnaker, assessment=national_assessment).values_list(
            "indicator__code", "state"
        )
    ) == {"1.3.1": "submitted", "1.3.2": "submitted", "4.1.1": "submitted", "4.1.2": "draft"}
    r = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    assert (
        api.patch(
            f"/api/v1/responses/{r.pk}/", {"answer": "yes", "version": r.version}, format="json"
        ).status_code
        == 403
    )


def test_token_authentication_reaches_the_api(api, focal_a, response_a):
    focal_a.set_password("pw-123456")
    focal_a.save()
    token = api.post(
        "/api/v1/auth/token/", {"username": focal_a.username, "password": "pw-123456"}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/responses/{response_a.pk}/").json()["indicator"] == "1.3.1"
