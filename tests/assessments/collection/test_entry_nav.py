"""The entry page's navigation: one dimension at a time, filters, completion marks and
"next unanswered" (assessments/collection/entry_nav.py), all from the query string.

Kemnaker's indicators in conftest's national assessment: 1.3.1 and 1.3.2 (dimension 1,
sub-area 1.3), 4.1.1 and 4.1.2 (dimension 4, sub-area 4.1).
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.models import Response
from ministries.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def code(c: str) -> str:
    return f'<span class="code">{c}</span>'


def answer(response: Response, actor: User, value: str = "yes") -> None:
    response.refresh_from_db()
    collection_services.response_update(
        response=response, actor=actor, version=response.version, answer=value
    )


@pytest.fixture
def entry(client, focal_a, national_assessment):
    client.force_login(focal_a)
    url = f"/assessments/{national_assessment.pk}/entry/"
    return lambda query="": client.get(url + query).content.decode()


def test_dimension_parameter_shows_that_dimension_only_and_the_outline_keeps_them_all(entry):
    html = entry("?dimension=4")
    assert code("4.1.1") in html and code("4.1.2") in html
    assert code("1.3.1") not in html and code("1.3.2") not in html
    # The outline and the selector still offer dimension 1, with its mark.
    assert 'href="?dimension=1"' in html
    assert '<option value="4" selected>' in html
    assert "Show all dimensions" in html

    every = entry()
    assert all(code(c) in every for c in ("1.3.1", "1.3.2", "4.1.1", "4.1.2"))
    assert "Show all dimensions" not in every
    # A dimension the institution has nothing in, or no number: every dimension.
    assert code("1.3.1") in entry("?dimension=3") and code("4.1.1") in entry("?dimension=x")


def test_unanswered_filter_and_completion_marks(entry, national_assessment, kemnaker, focal_a):
    answer(
        national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1"), focal_a
    )
    html = entry("?show=unanswered")
    assert code("1.3.1") not in html
    assert all(code(c) in html for c in ("1.3.2", "4.1.1", "4.1.2"))
    assert "Showing: Unanswered." in html
    # Marks per dimension and sub-area, counted on every answer whatever the filter.
    assert '<span aria-hidden="true">1/2</span>' in html  # dimension 1, sub-area 1.3
    assert '<span aria-hidden="true">0/2</span>' in html  # dimension 4, sub-area 4.1
    assert "1 of 2 answered" in html
    # The filter keeps the dimension, and the dimension keeps the filter.
    assert 'href="?dimension=4&amp;show=unanswered"' in html
    html = entry("?dimension=1&show=unanswered")
    assert code("1.3.2") in html and code("1.3.1") not in html and code("4.1.1") not in html


def test_queried_and_returned_filters_show_those_answers(entry, national_assessment, kemnaker):
    queried = national_assessment.responses.get(institution=kemnaker, indicator__code="4.1.2")
    Response.objects.filter(pk=queried.pk).update(review_state=Response.ReviewState.QUERIED)
    html = entry("?show=queried")
    assert code("4.1.2") in html
    assert not any(code(c) in html for c in ("1.3.1", "1.3.2", "4.1.1"))
    html = entry("?show=returned")
    assert "No indicator matches this filter." in html
    assert not any(code(c) in html for c in ("1.3.1", "1.3.2", "4.1.1", "4.1.2"))
    # An unknown filter is no filter.
    assert code("1.3.1") in entry("?show=everything")


def test_changed_filter_shows_what_others_changed_after_my_last_save(
    entry, national_assessment, kemnaker, focal_a
):
    colleague = UserFactory(
        username="t-colleague", role=User.Role.FOCAL_POINT, institution=kemnaker
    )
    responses = {
        r.indicator.code: r
        for r in national_assessment.responses.filter(institution=kemnaker).select_related(
            "indicator"
        )
    }
    answer(responses["4.1.1"], colleague)  # before my save: I have seen it
    answer(responses["1.3.1"], focal_a)
    answer(responses["1.3.2"], colleague)
    html = entry("?show=changed")
    assert code("1.3.2") in html
    assert not any(code(c) in html for c in ("1.3.1", "4.1.1", "4.1.2"))


def test_next_unanswered_links_to_the_first_blank_answer_of_the_shown_dimension(
    entry, national_assessment, kemnaker, focal_a
):
    responses = national_assessment.responses.filter(institution=kemnaker)
    answer(responses.get(indicator__code="1.3.1"), focal_a)
    second = responses.get(indicator__code="1.3.2")
    html = entry()
    # The link opens the answer's own dimension (a phone shows one at a time).
    assert f'href="?dimension=1#response-{second.pk}"' in html
    assert "Next unanswered: 1.3.2" in html
    first_of_4 = responses.get(indicator__code="4.1.1")
    html = entry("?dimension=4")
    assert f'href="?dimension=4#response-{first_of_4.pk}"' in html
    assert "Next unanswered: 4.1.1" in html
    for r in responses.exclude(pk=responses.get(indicator__code="1.3.1").pk):
        answer(r, focal_a)
    assert "Every indicator has an answer or nothing to add." in entry()


def test_navigation_adds_no_query(client, focal_a, national_assessment):
    client.force_login(focal_a)
    url = f"/assessments/{national_assessment.pk}/entry/"
    client.get(url)
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as filtered:
        client.get(url + "?dimension=4&show=unanswered")
    assert len(filtered.captured_queries) == len(plain.captured_queries)


def test_navigation_in_indonesian(client, focal_a, national_assessment):
    client.force_login(focal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(f"/assessments/{national_assessment.pk}/entry/?dimension=4").content.decode()
    assert '<label for="entry-dimension" class="form-label">Dimensi</label>' in html
    assert "Semua dimensi" in html  # the selector's "All dimensions"


def test_a_phone_shows_the_first_dimension_until_another_is_chosen(entry):
    """Without ?dimension= every dimension is in the page; the phone's style sheet shows the
    first one with a note (static/css/portal.css), and the chosen one when asked."""
    html = entry()
    assert "entry-answers-first-on-phones" in html
    assert "Showing dimension 1. Choose another dimension above." in html
    chosen = entry("?dimension=4")
    assert "entry-answers-first-on-phones" not in chosen
