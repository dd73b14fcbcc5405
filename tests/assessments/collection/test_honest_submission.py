"""Honest submission: only answers with content (an answer given and confirmed, or "nothing
to add") go to review; blank drafts stay drafts; the submit step asks for confirmation and
says what will be sent, what stays blank and who will be told; the counts follow."""

from html import unescape

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.dashboard.selectors import dashboard_institutions
from assessments.models import Response
from assessments.review import services as review_services
from assessments.review.selectors import ReviewFilters, review_queue
from assessments.setup import services as setup_services
from assessments.setup.selectors import institution_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def kemnaker_25(national_assessment, coordinator, kemnaker):
    """Kemnaker with 25 assigned indicators: its 4 and 21 more as a contributor."""
    taken = set(
        national_assessment.responses.filter(institution=kemnaker).values_list(
            "indicator_id", flat=True
        )
    )
    extra = national_assessment.framework.indicators.exclude(pk__in=taken).order_by("order")[:21]
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=coordinator,
        cells={(i.pk, kemnaker.pk): "contributor" for i in extra},
    )
    assert national_assessment.responses.filter(institution=kemnaker).count() == 25
    return national_assessment


def answer_11(assessment, institution, actor) -> list[str]:
    """The 3 lead indicators and 8 contributions answered; 14 left blank."""
    rows = list(
        assessment.responses.filter(institution=institution)
        .select_related("indicator")
        .order_by("indicator__order")
    )
    leads = {"1.3.1", "1.3.2", "4.1.1"}
    chosen = [r for r in rows if r.indicator.code in leads]
    chosen += [r for r in rows if r.indicator.code not in leads][:8]
    for r in chosen:
        collection_services.response_update(
            response=r, actor=actor, version=r.version, answer="yes", justification="Law"
        )
    return [r.indicator.code for r in chosen]


def submit_url(assessment) -> str:
    return f"/assessments/{assessment.pk}/submit/"


def test_a_ministry_answering_11_of_25_submits_11_and_is_counted_11_of_25(
    kemnaker_25, kemnaker, focal_a, facilitator
):
    answered = answer_11(kemnaker_25, kemnaker, focal_a)
    submission = collection_services.submission_create(
        assessment=kemnaker_25, institution=kemnaker, actor=focal_a
    )
    assert submission.response_count == 11
    mine = kemnaker_25.responses.filter(institution=kemnaker)
    assert set(mine.filter(state="submitted").values_list("indicator__code", flat=True)) == set(
        answered
    )
    assert mine.filter(state="draft", answer="").count() == 14
    # The review queue holds the 11 answers, none of the blank drafts.
    queue = review_queue(facilitator, ReviewFilters(assessment=kemnaker_25, review_state="all"))
    assert queue.filter(institution=kemnaker).count() == 11
    assert not queue.filter(answer="", nothing_to_add=False).exists()
    # Dashboard and progress: 11 of 25, not 100 %.
    (row,) = dashboard_institutions(kemnaker_25, deadline_passed=False, institution_id=kemnaker.pk)
    c = row.counts
    assert (c.assigned, c.answered, c.nothing_to_add, c.blank) == (25, 11, 0, 14)
    assert (c.submitted, c.accepted, c.answered_percent, c.submitted_percent) == (11, 0, 44, 44)
    (progress,) = institution_progress(kemnaker_25, institution_id=kemnaker.pk)
    assert (progress.answered, progress.assigned, progress.percent) == (11, 25, 44)
    for r in queue.filter(institution=kemnaker):
        review_services.response_review(response=r, actor=facilitator, decision="accept")
    (row,) = dashboard_institutions(kemnaker_25, deadline_passed=False, institution_id=kemnaker.pk)
    assert (row.counts.accepted, row.counts.accepted_percent) == (11, 44)


def test_the_dashboard_page_shows_11_of_25(client, coordinator, kemnaker_25, kemnaker, focal_a):
    answer_11(kemnaker_25, kemnaker, focal_a)
    collection_services.submission_create(
        assessment=kemnaker_25, institution=kemnaker, actor=focal_a
    )
    client.force_login(coordinator)
    html = client.get(f"/assessments/{kemnaker_25.pk}/dashboard/").content.decode()
    assert (
        "KEMNAKER: 25 assigned, 11 answered, 0 nothing to add, 14 blank, 11 submitted, 0 accepted"
        in html
    )
    row = html.split(">KEMNAKER</abbr></th>")[1].split("</tr>")[0]
    assert '<td>11 <span class="meta">(44%)</span></td>' in row


def test_the_submit_step_asks_first_and_lists_what_stays_blank(
    client, kemnaker_25, kemnaker, focal_a, facilitator
):
    answer_11(kemnaker_25, kemnaker, focal_a)
    blank = list(
        kemnaker_25.responses.filter(institution=kemnaker, answer="")
        .order_by("indicator__order")
        .values_list("indicator__code", flat=True)
    )
    client.force_login(focal_a)
    page = client.post(submit_url(kemnaker_25))
    html = unescape(page.content.decode())
    assert page.status_code == 200 and not kemnaker_25.submissions.exists()
    assert "11 answers will be sent for review." in html
    assert "14 indicators stay blank and will not be sent:" in html
    dimensions = {code.split(".")[0] for code in blank}
    for number in dimensions:
        codes = ", ".join(c for c in blank if c.split(".")[0] == number)
        assert f"Dimension {number}: {codes}" in html
    assert "The IOM facilitator of this assessment (1) by email: t-facilitator." in html
    assert 'name="confirmed" value="yes"' in html and "Submit 11 answers" in html
    done = client.post(submit_url(kemnaker_25), {"confirmed": "yes"}, follow=True)
    assert "Submitted 11 answers" in done.content.decode()
    assert kemnaker_25.submissions.get().response_count == 11


def test_without_anything_to_send_there_is_no_confirm_button(
    client, national_assessment, kemnaker, focal_a
):
    for r in national_assessment.responses.filter(
        institution=kemnaker, indicator__code__in=["1.3.1", "1.3.2", "4.1.1"]
    ):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="no"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    client.force_login(focal_a)
    html = unescape(client.post(submit_url(national_assessment)).content.decode())
    assert "Your institution has nothing to submit" in html
    assert 'name="confirmed"' not in html
    assert "1 indicator stays blank and will not be sent:" in html and "4.1.2" in html
    forced = client.post(submit_url(national_assessment), {"confirmed": "yes"}, follow=True)
    assert "nothing to submit" in unescape(forced.content.decode())
    assert national_assessment.submissions.count() == 1


def test_the_confirmation_page_in_indonesian(client, national_assessment, focal_a):
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.post(submit_url(national_assessment)).content.decode()
    assert '<html lang="id"' in html and "Batal" in html
    assert "1.3.1" in html  # the lead answers still missing, named by code


def save(client, response, **data):
    return client.post(
        f"/responses/{response.pk}/save/",
        {"version": response.version, **data},
        headers={"HX-Request": "true"},
    )


def test_nothing_to_add_is_said_on_the_page_submitted_and_reviewable(
    client, national_assessment, kemnaker, focal_a, facilitator
):
    contribution = national_assessment.responses.get(institution=kemnaker, indicator__code="4.1.2")
    client.force_login(focal_a)
    entry = client.get(f"/assessments/{national_assessment.pk}/entry/").content.decode()
    block = entry.split(f'id="response-{contribution.pk}"')[1].split("</article>")[0]
    assert 'value="nothing"' in block and "Nothing to add" in block
    lead = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    lead_block = entry.split(f'id="response-{lead.pk}"')[1].split("</article>")[0]
    assert 'value="nothing"' not in lead_block
    assert save(client, contribution, answer="nothing").status_code == 200
    contribution.refresh_from_db()
    assert contribution.nothing_to_add and contribution.answer == ""
    for r in national_assessment.responses.filter(
        institution=kemnaker, indicator__code__in=["1.3.1", "1.3.2", "4.1.1"]
    ):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes"
        )
    page = unescape(client.post(submit_url(national_assessment)).content.decode())
    assert "1 “nothing to add” will be sent for review: 4.1.2." in page
    submission = collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    assert submission.response_count == 4
    client.force_login(facilitator)
    queue = client.get(
        "/review/", {"assessment": national_assessment.pk, "institution": "KEMNAKER"}
    ).content.decode()
    assert "Nothing to add" in queue
    contribution.refresh_from_db()
    review_services.response_review(response=contribution, actor=facilitator, decision="accept")
    assert Response.objects.get(pk=contribution.pk).review_state == "accepted"
    (row,) = dashboard_institutions(
        national_assessment, deadline_passed=False, institution_id=kemnaker.pk
    )
    assert (row.counts.answered, row.counts.nothing_to_add, row.counts.blank) == (3, 1, 0)


def test_a_lead_institution_cannot_say_it_has_nothing_to_add(
    client, api_client, national_assessment, kemnaker, focal_a
):
    lead = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    client.force_login(focal_a)
    refused = save(client, lead, answer="nothing")
    assert refused.status_code == 422
    assert "Your institution leads this indicator" in unescape(refused.content.decode())
    api_client.force_authenticate(focal_a)
    result = api_client.patch(
        f"/api/v1/responses/{lead.pk}/",
        {"nothing_to_add": True, "version": lead.version},
        format="json",
    )
    assert result.status_code == 400 and "nothing_to_add" in result.json()
    lead.refresh_from_db()
    assert not lead.nothing_to_add


def test_the_api_sets_and_clears_nothing_to_add(api_client, national_assessment, kemnaker, focal_a):
    contribution = national_assessment.responses.get(institution=kemnaker, indicator__code="4.1.2")
    api_client.force_authenticate(focal_a)
    url = f"/api/v1/responses/{contribution.pk}/"
    said = api_client.patch(url, {"nothing_to_add": True, "version": 1}, format="json")
    assert said.status_code == 200, said.json()
    assert said.json()["nothing_to_add"] is True and said.json()["answer"] is None
    both = api_client.patch(
        url, {"nothing_to_add": True, "answer": "yes", "version": 2}, format="json"
    )
    assert both.status_code == 400 and "nothing_to_add" in both.json()
    answered = api_client.patch(url, {"answer": "partial", "version": 2}, format="json")
    assert answered.status_code == 200
    assert answered.json()["nothing_to_add"] is False and answered.json()["answer"] == "partial"
