"""The home page is each person's inbox: what they have to do next, with the link to do it.

A focal point sees the queries and returns to answer and the deadline; a facilitator the
answers awaiting review and those resubmitted; a coordinator what blocks the next
workflow move and the validation decisions still to take.
"""

import datetime
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from assessments.collection import services as collection_services
from assessments.models import Assessment, Response
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.setup.selectors import workflow_facts
from assessments.workflow import transition_problems
from indicators.models import FrameworkVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUERY = "Which article of the Manpower Act applies to migrant workers?"
RETURN = "Please cite the regulation & its article."


@pytest.fixture
def reviewed(national_assessment, kemnaker, focal_a, facilitator) -> dict[str, Response]:
    """Kemnaker answered and submitted; the facilitator queried 1.3.1 and returned 1.3.2;
    4.1.1 and 4.1.2 await review. BP2MI has not submitted."""
    for r in national_assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes", justification="Law"
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
    review_services.response_review(
        response=rows["1.3.1"], actor=facilitator, decision="query", comment=QUERY
    )
    review_services.response_review(
        response=rows["1.3.2"], actor=facilitator, decision="return", comment=RETURN
    )
    return {code: Response.objects.get(pk=r.pk) for code, r in rows.items()}


def home(client, user, language="en") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- focal points ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,queried,returned",
    [("en", "Queried", "Returned"), ("id", "Dipertanyakan", "Dikembalikan")],
)
def test_focal_point_sees_the_queries_and_returns_to_answer_with_their_links(
    client, focal_a, reviewed, national_assessment, language, queried, returned
):
    html = home(client, focal_a, language)
    assert f'<html lang="{language}"' in html
    entry = f"/assessments/{national_assessment.pk}/entry/"
    for r, tag in ((reviewed["1.3.1"], queried), (reviewed["1.3.2"], returned)):
        # The answer's own dimension: on a phone the entry page shows one at a time.
        dimension = r.indicator.dimension.number
        assert f'href="{entry}?dimension={dimension}#response-{r.pk}"' in html
        assert f'href="/responses/{r.pk}/thread/"' in html
        assert f'<span class="badge review-{r.review_state}">{tag}</span>' in html
    assert escape(QUERY) in html and escape(RETURN) in html
    assert "t-facilitator" in html  # who asked
    for r in (reviewed["4.1.1"], reviewed["4.1.2"]):  # awaiting review: nothing to do
        assert f"#response-{r.pk}" not in html


def test_focal_point_inbox_counts_what_to_answer(client, focal_a, reviewed):
    html = home(client, focal_a)
    assert "2 answers to revise or clarify" in html


def test_another_institution_never_sees_these_items(client, focal_b, reviewed):
    html = home(client, focal_b)
    assert escape(QUERY) not in html and escape(RETURN) not in html
    for r in reviewed.values():
        assert f"/responses/{r.pk}/" not in html and f"#response-{r.pk}" not in html
    assert "to revise or clarify" not in html


@pytest.mark.parametrize(
    "days,shown", [(5, "5 days left"), (0, "Due today"), (-2, "Overdue by 2 days")]
)
def test_focal_point_sees_the_deadline_coming_or_passed(
    client, focal_b, national_assessment, days, shown
):
    deadline = timezone.localdate() + datetime.timedelta(days=days)
    Assessment.objects.filter(pk=national_assessment.pk).update(data_collection_deadline=deadline)
    html = home(client, focal_b)
    assert shown in html


def test_no_deadline_alert_once_the_institution_has_submitted(
    client, focal_a, national_assessment, kemnaker
):
    for r in national_assessment.responses.filter(institution=kemnaker):
        collection_services.response_update(
            response=r, actor=focal_a, version=r.version, answer="yes", justification="Law"
        )
    collection_services.submission_create(
        assessment=national_assessment, institution=kemnaker, actor=focal_a
    )
    deadline = timezone.localdate() - datetime.timedelta(days=2)
    Assessment.objects.filter(pk=national_assessment.pk).update(data_collection_deadline=deadline)
    html = home(client, focal_a)
    assert "Overdue" not in html


def _another_assessment(coordinator, kemnaker) -> Assessment:
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator, framework=framework, year=2031, title_en="Second", title_id="Kedua"
    )
    first = framework.indicators.order_by("order").first()
    setup_services.matrix_apply(
        assessment=assessment, actor=coordinator, cells={(first.pk, kemnaker.pk): "lead"}
    )
    return assessment


def test_focal_inbox_queries_do_not_grow_with_assessments_or_items(
    client, focal_a, facilitator, coordinator, kemnaker, reviewed
):
    client.force_login(focal_a)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _another_assessment(coordinator, kemnaker)
    review_services.response_review(
        response=reviewed["4.1.1"], actor=facilitator, decision="query", comment="And this?"
    )
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert "3 answers to revise or clarify" in html and "Second" in html
    # session, user, the focal point's assessments, progress counts, dimensions,
    # submissions, the answers to revise or clarify (with the id of the comment that asks),
    # those comments with their authors, the user's institution (the greeting), the
    # frameworks (the list below).
    assert len(many.captured_queries) == len(few.captured_queries) == 10


# --- facilitators ----------------------------------------------------------------------


@pytest.fixture
def resubmitted(reviewed, focal_a) -> Response:
    queried = reviewed["1.3.1"]
    return review_services.response_resubmit(response=queried, actor=focal_a)


@pytest.mark.parametrize("language", ["en", "id"])
def test_facilitator_sees_answers_awaiting_review_and_the_resubmitted_ones(
    client, facilitator, resubmitted, national_assessment, language
):
    html = home(client, facilitator, language)
    assert f'href="/review/?assessment={national_assessment.pk}"' in html
    assert f'href="/responses/{resubmitted.pk}/thread/"' in html
    assert "KEMNAKER" in html
    if language == "en":
        # 1.3.1 resubmitted, 4.1.1 and 4.1.2 pending; 1.3.2 is back with the ministry.
        assert "3 answers await your review" in html
        assert "1 answer resubmitted after a query or return" in html


def test_a_facilitator_of_other_assessments_sees_none_of_it(client, resubmitted):
    other = UserFactory(username="t-other-facilitator", role="facilitator")
    html = home(client, other)
    assert f"/responses/{resubmitted.pk}/" not in html and "KEMNAKER" not in html
    assert "No assessment of yours is open for review." in html


def test_facilitator_inbox_query_count_is_pinned(
    client, facilitator, focal_a, resubmitted, reviewed
):
    client.force_login(facilitator)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    review_services.response_resubmit(response=reviewed["1.3.2"], actor=focal_a)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert "2 answers resubmitted after a query or return" in html
    # session, user, the facilitator's assessments open for review, the counts per
    # assessment, the latest resubmitted answers (with indicator and institution), the
    # assessment list below, the frameworks.
    assert len(many.captured_queries) == len(few.captured_queries) == 7


# --- coordinators ----------------------------------------------------------------------


@pytest.mark.parametrize("language,move", [("en", "Start validation"), ("id", "Mulai validasi")])
def test_coordinator_sees_what_blocks_the_next_move(
    client, coordinator, cross_check_assessment, language, move
):
    html = home(client, coordinator, language)
    assert f'href="/assessments/{cross_check_assessment.pk}/"' in html
    assert move in html
    # Kemnaker's 4 and BP2MI's 3 answers await review; KEMLU's indicators are unconsolidated.
    with translation.override(language):
        problems = transition_problems(
            "cross_check", "validation", workflow_facts(cross_check_assessment, "validation")
        )
    assert len(problems) == 2
    for problem in problems:
        assert escape(problem) in html


def test_coordinator_sees_the_validation_decisions_to_take(
    client, coordinator, validation_session, validation_assessment
):
    html = home(client, coordinator)
    assert "98 indicators have no validation decision yet." in html
    url = f"/assessments/{validation_assessment.pk}/validation/{validation_session.pk}/"
    assert f'href="{url}"' in html
    assert "Nothing stands in the way." in html  # a session is recorded: approval may go ahead


def test_coordinator_of_another_province_sees_no_national_move(
    client, provincial_coordinator, cross_check_assessment
):
    html = home(client, provincial_coordinator)
    assert f'href="/assessments/{cross_check_assessment.pk}/"' not in html
    assert "No assessment of yours is under way." in html


def test_coordinator_inbox_query_count_is_pinned(
    client, coordinator, validation_session, validation_assessment, kemnaker
):
    client.force_login(coordinator)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _another_assessment(coordinator, kemnaker)  # in setup: its gaps are read too
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert "Open data collection" in html
    # session, user, the coordinator's assessments; the workflow facts: the frameworks'
    # indicators, lead assignments, answers awaiting review or open, consolidated answers,
    # sessions, the corrections under way (assessments/frozen.py); the validation decisions
    # taken, the indicators counted, the latest session; the user's institution (the
    # greeting), the assessment list, the frameworks.
    assert len(many.captured_queries) == 15
    assert len(few.captured_queries) == 14  # no assessment in setup: no lead assignments read
