"""Stage 3 of the walk: the facilitator queries one answer and returns another; the focal
point answers the query and resubmits the returned answer from the home page's inbox; the
facilitator then accepts every answered item of the assessment in one step, confirmed."""

from __future__ import annotations

import pytest

from assessments.models import Assessment, Response
from assessments.setup import services as setup_services
from tests.conftest import build_national_assessment, submit_institution

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_review(walk, lang):
    people = cast()
    assessment = build_national_assessment(people.coordinator, people.facilitator)
    submit_institution(assessment, people.focal_a.institution, people.focal_a, "yes")
    submit_institution(assessment, people.focal_b.institution, people.focal_b, "partial")
    setup_services.assessment_transition(
        assessment=assessment, actor=people.coordinator, to=Assessment.Status.CROSS_CHECK
    )
    queried, returned = (
        assessment.responses.get(institution=people.focal_a.institution, indicator__code=code)
        for code in ("1.3.2", "4.1.1")
    )

    # The facilitator reads each answer on its thread page and decides.
    fac = walk.persona(people.facilitator.username)
    fac.get_by_role("link", name=walk.t("Review queue"), exact=True).first.click()
    walk.check(fac, "review queue")
    for response, decision, comment in (
        (queried, "Query (the answer stays editable)", "Which regulation says so?"),
        (returned, "Return for revision", "Please add the ministerial decree."),
    ):
        fac.goto(walk.url("response_thread", response.pk))
        walk.check(fac, f"thread {response.indicator.code}")
        fac.get_by_label(walk.t(decision)).check()
        fac.get_by_label(walk.t("Comment (needed to query or return)")).fill(comment)
        fac.get_by_role("button", name=walk.t("Record the decision")).click()
        fac.wait_for_load_state("load")
    queried.refresh_from_db()
    returned.refresh_from_db()
    assert (queried.review_state, returned.review_state) == ("queried", "returned")

    # The focal point, on a phone, finds both in the home page's inbox.
    page = walk.persona(people.focal_a.username, phone=True)
    walk.check(page, "focal point inbox")
    inbox = page.locator(".to-answer")
    inbox.get_by_text("Which regulation says so?").wait_for()
    # The query: answered on its thread.
    inbox.locator(".inbox-item", has_text="1.3.2").get_by_role(
        "link", name=walk.t("Comments")
    ).click()
    walk.check(page, "query thread")
    page.get_by_label(walk.t("Add a comment")).fill("Permenaker 9/2019, art. 3.")
    page.get_by_role("button", name=walk.t("Post"), exact=True).click()
    page.get_by_text("Permenaker 9/2019, art. 3.").first.wait_for()
    walk.check(page, "query answered")
    # The return: revised on the entry page and resubmitted next to the answer.
    page.goto(walk.url("home"))
    page.locator(".to-answer .inbox-item", has_text="4.1.1").get_by_role("link").first.click()
    page.wait_for_url("**/entry/**")
    block = page.locator(f"#response-{returned.pk}")
    walk.check(page, "returned answer on the entry page")
    block.get_by_role("button", name=walk.t("Resubmit for review")).click()
    page.wait_for_load_state("load")
    walk.check(page, "returned answer resubmitted")
    returned.refresh_from_db()
    assert returned.state == Response.State.SUBMITTED and returned.review_state == "resubmitted"

    # Bulk acceptance: every answered item of the assessment, after the confirmation.
    fac.goto(walk.url("review_queue") + f"?assessment={assessment.pk}")
    awaiting = assessment.responses.filter(state="submitted").exclude(review_state="accepted")
    # The queue shows what awaits review (new and resubmitted); the query stays open.
    count = awaiting.filter(review_state__in=["pending", "resubmitted"]).exclude(answer="").count()
    bulk = fac.get_by_role(
        "button",
        name=walk.n(
            "Accept the %(count)s answered item shown by this filter",
            "Accept all %(count)s answered items shown by this filter",
            count,
        ),
    )
    bulk.click()
    confirm = fac.get_by_role(
        "button", name=walk.n("Accept %(count)s answer", "Accept %(count)s answers", count)
    )
    confirm.wait_for()
    walk.check(fac, "bulk acceptance: confirmation")
    confirm.click()
    fac.wait_for_load_state("load")
    walk.check(fac, "bulk accepted")
    still = assessment.responses.filter(state="submitted").exclude(review_state="accepted")
    assert list(still.exclude(answer="").values_list("pk", flat=True)) == [queried.pk]
    walk.finish()
