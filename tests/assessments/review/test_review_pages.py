"""The facilitator's review queue and the thread of one answer, as pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Response
from assessments.review import services as review_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def kemnaker_submitted(national_assessment, kemnaker, focal_a):
    for r in national_assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes", justification="Law 13/2003"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    return national_assessment


def test_queue_lists_submitted_answers_awaiting_review(client, facilitator, kemnaker_submitted):
    client.force_login(facilitator)
    html = client.get("/review/", {"assessment": kemnaker_submitted.pk}).content.decode()
    assert "4 answers" in html
    assert html.count("KEMNAKER") >= 4


def test_queue_filters_by_dimension_institution_and_state(
    client, facilitator, kemnaker_submitted, kemnaker
):
    client.force_login(facilitator)
    html = client.get(
        "/review/", {"assessment": kemnaker_submitted.pk, "dimension": 4}
    ).content.decode()
    assert "2 answers" in html
    html = client.get(
        "/review/", {"assessment": kemnaker_submitted.pk, "institution": "BP2MI"}
    ).content.decode()
    assert "0 answers" in html or "Nothing to review." in html
    r = kemnaker_submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    review_services.response_review(response=r, actor=facilitator, decision="accept")
    html = client.get(
        "/review/", {"assessment": kemnaker_submitted.pk, "review_state": "accepted"}
    ).content.decode()
    assert "1 answer" in html and "1.3.1" in html


def test_queue_query_count_is_constant(client, facilitator, kemnaker_submitted, bp2mi, focal_b):
    client.force_login(facilitator)
    url = f"/review/?assessment={kemnaker_submitted.pk}&review_state=all"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for r in kemnaker_submitted.responses.filter(institution=bp2mi):
        collection_services.response_update(
            response=r, actor=focal_b, version=r.version, answer="no"
        )
    collection_services.submission_create(
        assessment=kemnaker_submitted, institution=bp2mi, actor=focal_b
    )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    # session, user, assessments, count, page of answers (+joins, comment count),
    # dimensions, institutions
    assert len(after.captured_queries) <= 9


def test_facilitator_returns_one_answer_and_accepts_the_rest_in_pages(
    client, facilitator, focal_a, focal_b, kemnaker_submitted, kemnaker
):
    client.force_login(facilitator)
    returned = kemnaker_submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    result = client.post(
        f"/responses/{returned.pk}/review/",
        {"decision": "return", "comment": "Please cite the article."},
    )
    assert result.status_code == 302
    for r in kemnaker_submitted.responses.filter(institution=kemnaker).exclude(pk=returned.pk):
        client.post(f"/responses/{r.pk}/review/", {"decision": "accept", "next": "/review/"})
    assert set(
        kemnaker_submitted.responses.filter(institution=kemnaker).values_list(
            "review_state", flat=True
        )
    ) == {"returned", "accepted"}

    # The focal point sees it first on the home page, revises it and resubmits it.
    client.force_login(focal_a)
    home = client.get("/").content.decode()
    assert "1 answer to revise or clarify" in home
    thread = client.get(f"/responses/{returned.pk}/thread/").content.decode()
    assert "Please cite the article." in thread and "Resubmit for review" in thread
    returned.refresh_from_db()
    collection_services.response_update(
        response=returned,
        actor=focal_a,
        version=returned.version,
        justification="Law 13/2003, art. 6",
    )
    assert client.post(f"/responses/{returned.pk}/resubmit/").status_code == 302
    returned.refresh_from_db()
    assert (returned.state, returned.review_state) == ("submitted", "resubmitted")

    # BP2MI sees none of it.
    client.force_login(focal_b)
    assert client.get(f"/responses/{returned.pk}/thread/").status_code == 404
    assert "Please cite" not in client.get("/").content.decode()


def test_query_without_a_comment_is_refused_with_the_reason(
    client, facilitator, kemnaker_submitted, kemnaker
):
    client.force_login(facilitator)
    r = kemnaker_submitted.responses.get(institution=kemnaker, indicator__code="1.3.2")
    result = client.post(f"/responses/{r.pk}/review/", {"decision": "query"}, follow=True)
    assert "Say what should be clarified or revised." in result.content.decode()
    r.refresh_from_db()
    assert r.review_state == Response.ReviewState.PENDING


def test_only_facilitators_review(client, coordinator, focal_a, kemnaker_submitted, kemnaker):
    r = kemnaker_submitted.responses.get(institution=kemnaker, indicator__code="1.3.2")
    client.force_login(coordinator)
    assert client.post(f"/responses/{r.pk}/review/", {"decision": "accept"}).status_code == 403
    client.force_login(focal_a)
    assert client.post(f"/responses/{r.pk}/review/", {"decision": "accept"}).status_code == 403
    r.refresh_from_db()
    assert r.review_state == "pending"


def test_comments_are_a_thread_between_the_institution_and_iom(
    client, facilitator, focal_a, kemnaker_submitted, kemnaker
):
    r = kemnaker_submitted.responses.get(institution=kemnaker, indicator__code="4.1.1")
    client.force_login(focal_a)
    client.post(f"/responses/{r.pk}/comments/", {"body": "We attached the regulation."})
    client.force_login(facilitator)
    client.post(f"/responses/{r.pk}/comments/", {"body": "Thank you."})
    html = client.get(f"/responses/{r.pk}/thread/").content.decode()
    assert html.index("We attached the regulation.") < html.index("Thank you.")
