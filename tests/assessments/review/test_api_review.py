"""POST /responses/{id}/review/, GET/POST /responses/{id}/comments/, POST /responses/{id}/resubmit/."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def kemnaker_response(assessment, code="1.3.1"):
    return assessment.responses.get(institution__acronym="KEMNAKER", indicator__code=code)


def test_facilitator_reviews_through_the_api(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    r = kemnaker_response(cross_check_assessment)
    result = api.post(
        f"/api/v1/responses/{r.pk}/review/",
        {"decision": "return", "comment": "Cite the article."},
        format="json",
    )
    assert result.status_code == 200
    assert result.json()["review_state"] == "returned" and result.json()["state"] == "returned"
    again = api.post(f"/api/v1/responses/{r.pk}/review/", {"decision": "accept"}, format="json")
    assert again.status_code == 409 and "Only submitted" in again.json()["detail"]


def test_review_needs_a_known_decision_and_a_comment_to_query(
    api, facilitator, cross_check_assessment
):
    api.force_authenticate(facilitator)
    r = kemnaker_response(cross_check_assessment)
    assert (
        api.post(
            f"/api/v1/responses/{r.pk}/review/", {"decision": "maybe"}, format="json"
        ).status_code
        == 400
    )
    result = api.post(f"/api/v1/responses/{r.pk}/review/", {"decision": "query"}, format="json")
    assert result.status_code == 409


def test_only_facilitators_review(api, coordinator, focal_a, focal_b, cross_check_assessment):
    r = kemnaker_response(cross_check_assessment)
    api.force_authenticate(coordinator)
    assert (
        api.post(
            f"/api/v1/responses/{r.pk}/review/", {"decision": "accept"}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(focal_a)
    assert (
        api.post(
            f"/api/v1/responses/{r.pk}/review/", {"decision": "accept"}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(focal_b)
    assert (
        api.post(
            f"/api/v1/responses/{r.pk}/review/", {"decision": "accept"}, format="json"
        ).status_code
        == 404
    )


def test_comment_thread_and_resubmission(
    api, facilitator, focal_a, focal_b, cross_check_assessment
):
    r = kemnaker_response(cross_check_assessment)
    api.force_authenticate(facilitator)
    api.post(
        f"/api/v1/responses/{r.pk}/review/",
        {"decision": "query", "comment": "Which regulation?"},
        format="json",
    )
    api.force_authenticate(focal_a)
    posted = api.post(
        f"/api/v1/responses/{r.pk}/comments/", {"body": "Permenaker 9/2019."}, format="json"
    )
    assert posted.status_code == 201 and posted.json()["kind"] == "comment"
    thread = api.get(f"/api/v1/responses/{r.pk}/comments/").json()
    assert [(c["kind"], c["body"]) for c in thread] == [
        ("query", "Which regulation?"),
        ("comment", "Permenaker 9/2019."),
    ]
    assert (
        api.post(f"/api/v1/responses/{r.pk}/comments/", {"body": "  "}, format="json").status_code
        == 400
    )
    resubmitted = api.post(f"/api/v1/responses/{r.pk}/resubmit/")
    assert resubmitted.status_code == 200 and resubmitted.json()["review_state"] == "resubmitted"
    api.force_authenticate(focal_b)
    assert api.get(f"/api/v1/responses/{r.pk}/comments/").status_code == 404
    assert (
        api.post(f"/api/v1/responses/{r.pk}/comments/", {"body": "x"}, format="json").status_code
        == 404
    )
