"""Queries and returns reach the focal point on the entry page: each answer's review state,
the latest comments of its thread, a link to it and the button that resubmits it."""

from html import escape

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Assessment, Response
from assessments.review import services as review_services

pytestmark = pytest.mark.django_db

QUERY = "Which article of the Manpower Act applies to migrant workers?"
RETURN = "Please cite the regulation & its article."


@pytest.fixture
def reviewed(national_assessment, kemnaker, focal_a, facilitator) -> dict[str, Response]:
    """Kemnaker answered and submitted; the facilitator queried 1.3.1, returned 1.3.2 and
    accepted 4.1.1; 4.1.2 awaits review."""
    for r in national_assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes", justification="Law 13/2003"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    rows = {
        r.indicator.code: r
        for r in national_assessment.responses.filter(institution=kemnaker).select_related(
            "indicator"
        )
    }
    for code, decision, comment in [
        ("1.3.1", "query", QUERY),
        ("1.3.2", "return", RETURN),
        ("4.1.1", "accept", ""),
    ]:
        review_services.response_review(
            response=rows[code], actor=facilitator, decision=decision, comment=comment
        )
    return {code: Response.objects.get(pk=r.pk) for code, r in rows.items()}


def block(html: str, response: Response) -> str:
    """The answer's block (its <article>) in the page."""
    start = html.index(f'<article class="response" id="response-{response.pk}">')
    return html[start : html.index("</article>", start)]


LABELS = {
    "en": {
        "queried": "Queried",
        "returned": "Returned",
        "accepted": "Accepted",
        "awaiting": "Awaiting review",
        "resubmit": "Resubmit for review",
    },
    "id": {
        "queried": "Dipertanyakan",
        "returned": "Dikembalikan",
        "accepted": "Diterima",
        "awaiting": "Menunggu tinjauan",
        "resubmit": "Kirim ulang untuk ditinjau",
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
def test_focal_point_sees_each_answers_review_state_comments_and_resubmit_button(
    client, focal_a, reviewed, national_assessment, language
):
    client.force_login(focal_a)
    client.cookies["django_language"] = language
    url = f"/assessments/{national_assessment.pk}/entry/"
    html = client.get(url).content.decode()
    t = LABELS[language]
    queried, returned = reviewed["1.3.1"], reviewed["1.3.2"]
    accepted, waiting = reviewed["4.1.1"], reviewed["4.1.2"]

    one = block(html, queried)
    assert f'<span class="badge review-queried">{t["queried"]}</span>' in one
    assert escape(QUERY) in one and "t-facilitator" in one  # what was asked, and by whom
    assert f'href="/responses/{queried.pk}/thread/"' in one
    assert f'action="/responses/{queried.pk}/resubmit/"' in one
    assert f'name="next" value="{url}#response-{queried.pk}"' in one
    assert t["resubmit"] in one

    two = block(html, returned)
    assert f'<span class="badge review-returned">{t["returned"]}</span>' in two
    assert escape(RETURN) in two and RETURN not in two  # escaped, never raw
    assert f'action="/responses/{returned.pk}/resubmit/"' in two

    three = block(html, accepted)
    assert f'<span class="badge review-accepted">{t["accepted"]}</span>' in three
    assert "/resubmit/" not in three
    four = block(html, waiting)
    assert f'<span class="badge review-awaiting">{t["awaiting"]}</span>' in four
    assert "/resubmit/" not in four
    assert html.count(t["resubmit"]) == 2


def test_resubmitting_from_the_entry_page_comes_back_to_the_answer(
    client, focal_a, reviewed, national_assessment
):
    queried = reviewed["1.3.1"]
    entry = f"/assessments/{national_assessment.pk}/entry/"
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{queried.pk}/resubmit/", {"next": f"{entry}#response-{queried.pk}"}
    )
    assert result.status_code == 302
    assert result["Location"] == f"{entry}#response-{queried.pk}"
    queried.refresh_from_db()
    assert (queried.state, queried.review_state) == ("submitted", "resubmitted")
    html = client.get(entry).content.decode()
    one = block(html, queried)
    assert '<span class="badge review-awaiting">Awaiting review</span>' in one
    assert "/resubmit/" not in one
    assert escape(QUERY) in one  # the thread is still there to read
    assert "1.3.1 resubmitted for review." in html


@pytest.mark.parametrize("bad", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_resubmit_never_redirects_off_the_site(client, focal_a, reviewed, bad):
    returned = reviewed["1.3.2"]
    client.force_login(focal_a)
    result = client.post(f"/responses/{returned.pk}/resubmit/", {"next": bad})
    assert result["Location"] == f"/responses/{returned.pk}/thread/"


def test_another_institution_sees_none_of_it(
    client, focal_b, reviewed, national_assessment, kemnaker
):
    client.force_login(focal_b)
    html = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    assert escape(QUERY) not in html and escape(RETURN) not in html
    for r in reviewed.values():
        assert f"/responses/{r.pk}/" not in html
    queried = reviewed["1.3.1"]
    assert client.post(f"/responses/{queried.pk}/resubmit/").status_code == 404
    url = f"/assessments/{national_assessment.pk}/institutions/{kemnaker.acronym}/"
    assert client.get(url).status_code == 404
    queried.refresh_from_db()
    assert queried.review_state == "queried"


def test_coordinator_reads_the_review_but_has_no_resubmit_button(
    client, coordinator, reviewed, national_assessment, kemnaker
):
    client.force_login(coordinator)
    url = f"/assessments/{national_assessment.pk}/institutions/{kemnaker.acronym}/"
    html = client.get(url).content.decode()
    assert escape(QUERY) in html and escape(RETURN) in html
    assert '<span class="badge review-queried">Queried</span>' in html
    assert "/resubmit/" not in html and "Resubmit for review" not in html


def test_no_resubmit_button_once_the_assessment_is_in_validation(
    client, focal_a, reviewed, national_assessment
):
    Assessment.objects.filter(pk=national_assessment.pk).update(status=Assessment.Status.VALIDATION)
    client.force_login(focal_a)
    html = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    assert escape(QUERY) in html
    assert "/resubmit/" not in html


def test_the_block_swapped_in_after_a_save_keeps_the_query_and_the_button(
    client, focal_a, reviewed
):
    queried = reviewed["1.3.1"]
    client.force_login(focal_a)
    result = client.post(
        f"/responses/{queried.pk}/save/",
        {
            "version": queried.version,
            "answer": "partial",
            "justification": "Article 6",
            "evidence_present": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert result.status_code == 200
    html = result.content.decode()
    assert escape(QUERY) in html
    assert f'action="/responses/{queried.pk}/resubmit/"' in html


def test_only_the_latest_comments_show_inline_with_a_link_to_the_rest(
    client, focal_a, facilitator, reviewed, national_assessment
):
    queried = reviewed["1.3.1"]
    for n in range(4):
        review_services.comment_add(response=queried, actor=focal_a, body=f"Reply number {n}")
    client.force_login(focal_a)
    html = block(
        client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode(), queried
    )
    assert "Reply number 0" not in html and escape(QUERY) not in html
    assert all(f"Reply number {n}" in html for n in (1, 2, 3))
    assert html.index("Reply number 1") < html.index("Reply number 3")  # oldest first
    assert f'<a href="/responses/{queried.pk}/thread/">All comments (5)</a>' in html


def test_entry_page_reads_all_comments_in_one_query(
    client, focal_a, facilitator, reviewed, national_assessment
):
    url = f"/assessments/{national_assessment.pk}/entry/"
    client.force_login(focal_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for r in reviewed.values():
        for n in range(3):
            review_services.comment_add(response=r, actor=facilitator, body=f"Note {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("Note 2") == 4
    # session, user, assessment, institution, responses, evidence, comments, submission
    assert len(many.captured_queries) == len(few.captured_queries) == 8


def test_the_query_email_links_to_the_answer_on_the_entry_page_where_the_query_shows(
    client, national_assessment, kemnaker, focal_a, facilitator, django_capture_on_commit_callbacks
):
    focal_a.email = "a@kemnaker.go.id"
    focal_a.save()
    for r in national_assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes", justification="Law"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    target = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=target, actor=facilitator, decision="query", comment=QUERY
        )
    [message] = mail.outbox
    # In the answer's dimension: a phone shows one dimension at a time.
    path = f"/assessments/{national_assessment.pk}/entry/?dimension=1#response-{target.pk}"
    assert settings.PORTAL_BASE_URL.rstrip("/") + path in message.body
    client.force_login(focal_a)
    page, anchor = path.split("#")
    html = client.get(page).content.decode()
    assert f'id="{anchor}"' in html
    assert escape(QUERY) in block(html, target)
