"""Bulk acceptance in the review queue, with its confirmation; review only while answers
are reviewed; a review does not rewrite who last changed the answer."""

from html import unescape

import pytest
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.errors import ServiceError
from assessments.history_reasons import reason_code_of
from assessments.models import Assessment, Response, ResponseComment
from assessments.review import services as review_services
from tests.conftest import submit_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(national_assessment, kemnaker, bp2mi, focal_a, focal_b):
    """Kemnaker sent 4 answers; BP2MI answered 2 of its 3 (1.3.1 left blank) and sent them."""
    submit_institution(national_assessment, kemnaker, focal_a, "yes")
    for r in national_assessment.responses.filter(institution=bp2mi).exclude(
        indicator__code="1.3.1"
    ):
        collection_services.response_update(
            response=r, actor=focal_b, version=r.version, answer="no"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=bp2mi, actor=focal_b
    )
    return national_assessment


def queue(client, assessment, **filters) -> str:
    return client.get("/review/", {"assessment": assessment.pk, **filters}).content.decode()


def test_accept_all_asks_first_then_accepts_the_filters_answered_items(
    client, submitted, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    html = queue(client, submitted)
    assert "Accept all 6 answered items shown by this filter" in html
    assert submitted.responses.filter(state="draft", institution__acronym="BP2MI").count() == 1
    data = {"assessment": submitted.pk, "review_state": "awaiting"}
    first = unescape(client.post("/review/accept/", data).content.decode())
    assert "6 answers awaiting review" in first
    assert "Institutions: BP2MI (2), KEMNAKER (4)." in first
    assert "Nobody is emailed" in first
    assert not submitted.responses.filter(review_state="accepted").exists()
    items = [
        f"{pk}:{version}"
        for pk, version in submitted.responses.filter(state="submitted").values_list(
            "pk", "version"
        )
    ]
    with django_capture_on_commit_callbacks() as emails:
        done = client.post(
            "/review/accept/", {**data, "item": items, "confirmed": "yes"}, follow=True
        )
    assert "6 answers accepted." in done.content.decode()
    accepted = submitted.responses.filter(review_state="accepted")
    assert accepted.count() == 6 and not accepted.filter(answer="").exists()
    r = accepted.first()
    assert r.reviewed_by == facilitator
    assert reason_code_of(r.history.first().history_change_reason) == "accepted_in_bulk"
    assert ResponseComment.objects.filter(response=r, kind="accept").exists()
    assert emails == []  # focal points are not emailed for acceptances
    assert "Accept all" not in queue(client, submitted)


def test_a_filter_limits_what_is_accepted_and_stale_items_are_skipped(
    client, submitted, facilitator
):
    client.force_login(facilitator)
    data = {"assessment": submitted.pk, "institution": "KEMNAKER", "review_state": "awaiting"}
    assert "Accept all 4 answered items" in queue(client, submitted, institution="KEMNAKER")
    first = unescape(client.post("/review/accept/", data).content.decode())
    assert "Institutions: KEMNAKER (4)." in first and "BP2MI" not in first.split("Institutions")[1]
    items = [v for v in first.split('name="item" value="')[1:]]
    items = [v.split('"')[0] for v in items]
    assert len(items) == 4
    # Meanwhile another facilitator queries one of them: it has changed.
    queried = submitted.responses.get(institution__acronym="KEMNAKER", indicator__code="1.3.1")
    review_services.response_review(
        response=queried, actor=facilitator, decision="query", comment="Which article?"
    )
    done = client.post("/review/accept/", {**data, "item": items, "confirmed": "yes"}, follow=True)
    html = done.content.decode()
    assert "3 answers accepted." in html and "1 answer was skipped" in html
    assert Response.objects.get(pk=queried.pk).review_state == "queried"
    assert not submitted.responses.filter(
        institution__acronym="BP2MI", review_state="accepted"
    ).exists()


def test_only_facilitators_accept_in_bulk(client, submitted, coordinator, focal_a):
    for user in (coordinator, focal_a):
        client.force_login(user)
        result = client.post("/review/accept/", {"assessment": submitted.pk, "confirmed": "yes"})
        assert result.status_code == 403
    assert not submitted.responses.filter(review_state="accepted").exists()


def test_the_api_accepts_in_bulk(submitted, facilitator, focal_a):
    api = APIClient()
    items = [
        {"id": pk, "version": version}
        for pk, version in submitted.responses.filter(state="submitted").values_list(
            "pk", "version"
        )
    ]
    api.force_authenticate(focal_a)
    assert (
        api.post("/api/v1/review/accept/", {"responses": items}, format="json").status_code == 403
    )
    api.force_authenticate(facilitator)
    items[0]["version"] += 5  # stale
    result = api.post("/api/v1/review/accept/", {"responses": items}, format="json")
    assert result.status_code == 200 and result.json() == {"accepted": 5, "skipped": 1}


def test_no_review_on_an_approved_assessment(client, approved_assessment, facilitator):
    r = approved_assessment.responses.filter(state="submitted").first()
    Response.objects.filter(pk=r.pk).update(review_state="pending")
    r.refresh_from_db()
    client.force_login(facilitator)
    html = queue(client, approved_assessment, review_state="all")
    assert f'action="/responses/{r.pk}/review/"' not in html and "Accept all" not in html
    thread = client.get(f"/responses/{r.pk}/thread/").content.decode()
    assert "Record the decision" not in thread
    with pytest.raises(ServiceError):
        review_services.response_review(response=r, actor=facilitator, decision="accept")
    api = APIClient()
    api.force_authenticate(facilitator)
    refused = api.post(f"/api/v1/responses/{r.pk}/review/", {"decision": "accept"}, format="json")
    assert refused.status_code == 409
    result = api.post(
        "/api/v1/review/accept/", {"responses": [{"id": r.pk, "version": r.version}]}, format="json"
    )
    assert result.json() == {"accepted": 0, "skipped": 1}
    Assessment.objects.filter(pk=approved_assessment.pk).update(status="published")
    assert "Record the decision" not in client.get(f"/responses/{r.pk}/thread/").content.decode()


def test_a_returned_answer_still_shows_the_focal_points_last_change(
    client, submitted, facilitator, focal_a
):
    r = submitted.responses.get(institution__acronym="KEMNAKER", indicator__code="1.3.2")
    before = (r.updated_by_id, r.updated_at)
    review_services.response_review(
        response=r, actor=facilitator, decision="return", comment="Cite the article."
    )
    r = Response.objects.get(pk=r.pk)
    assert (r.updated_by_id, r.updated_at) == before
    assert r.reviewed_by == facilitator and r.reviewed_at > before[1]
    assert r.updated_by == focal_a
