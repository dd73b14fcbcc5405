"""Stage 5 of the walk: the coordinator starts validation, records the focus group discussion
with one decision that changes an answer, approves the validated answers through the
confirmation and reads the snapshot it froze."""

from __future__ import annotations

import re

import pytest

from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer, Response, ValidationDecision
from assessments.review import services as review_services
from indicators.models import Indicator
from tests.conftest import build_national_assessment, to_cross_check

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]


def consolidated(assessment: Assessment, facilitator) -> Assessment:
    """Every answer accepted and every indicator consolidated as Partially; still in
    cross-check (tests/conftest.py's to_validation without its last move)."""
    for response in assessment.responses.filter(state=Response.State.SUBMITTED):
        review_services.response_review(response=response, actor=facilitator, decision="accept")
    for indicator in assessment.framework.indicators.all():
        consolidation_services.consolidated_save(
            assessment=assessment,
            indicator=indicator,
            actor=facilitator,
            answer="partial",
            narrative_en=f"Narrative {indicator.code}",
            narrative_id=f"Narasi {indicator.code}",
            sources=list(assessment.responses.filter(indicator=indicator).exclude(answer="")),
        )
    return assessment


@pytest.mark.parametrize("lang", LANGUAGES)
def test_validation(walk, lang):
    people = cast()
    assessment = build_national_assessment(people.coordinator, people.facilitator)
    to_cross_check(assessment, people.coordinator, people.focal_a, people.focal_b)
    consolidated(assessment, people.facilitator)
    changed = Indicator.objects.get(framework=assessment.framework, code="2.3.2")

    page = walk.persona(people.coordinator.username)
    page.goto(walk.url("assessment_detail", assessment.pk))
    walk.check(page, "assessment in cross-check")
    page.get_by_role("button", name=walk.t("Start validation")).click()
    page.wait_for_load_state("load")
    walk.check(page, "validation started")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATION

    # The focus group discussion: its facts, then one decision that changes an answer.
    page.get_by_role("link", name=walk.t("Validation"), exact=True).click()
    walk.check(page, "validation sessions")
    form = page.locator("form.validation-session-form")
    form.get_by_label(walk.t("Hybrid"), exact=True).check()
    form.get_by_label(walk.t("Place")).fill("Jakarta, Kemlu")
    form.get_by_label(walk.t("Number of participants")).fill("24")
    for acronym in ("KEMNAKER", "BP2MI"):
        form.get_by_label(re.compile(rf"\b{acronym}:")).check()
    form.get_by_role("button", name=walk.t("Record the session")).click()
    page.wait_for_url("**/validation/*/")
    walk.check(page, "session recorded")
    session = assessment.validation_sessions.get()
    assert sorted(session.institutions.values_list("acronym", flat=True)) == ["BP2MI", "KEMNAKER"]

    row = page.locator(f"#ind-{changed.pk}")
    row.scroll_into_view_if_needed()
    row.locator("summary").click()
    row.get_by_label(walk.t("New answer")).select_option("yes")
    row.get_by_label(walk.t("Reason (required)")).fill("Law 18/2017 covers it fully.")
    row.get_by_role(
        "button", name=walk.t("Record the change to %(code)s") % {"code": "2.3.2"}
    ).click()
    page.locator(f"#ind-{changed.pk}.decided-changed").wait_for()
    walk.check(page, "answer changed")
    decision = ValidationDecision.objects.get(session=session, indicator=changed)
    assert (decision.decision, decision.previous_answer, decision.answer) == (
        "changed",
        "partial",
        "yes",
    )
    assert ConsolidatedAnswer.objects.get(assessment=assessment, indicator=changed).answer == "yes"

    # Approval, through the page that says what it freezes.
    page.get_by_role("link", name=walk.t("Back to the validation sessions")).click()
    walk.check(page, "validation sessions with the session")
    approve = walk.t("Approve the validated answers")
    page.locator("form", has=page.get_by_role("button", name=approve)).get_by_role(
        "button", name=approve
    ).click()
    confirm = page.locator("form.confirm-form").get_by_role("button", name=approve)
    confirm.wait_for()
    walk.check(page, "approval: confirmation")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATION
    confirm.click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/")
    walk.check(page, "validated answers approved")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED

    # The snapshot it froze, with the changed answer.
    page.get_by_role("link", name=walk.t("Validated snapshots")).click()
    walk.check(page, "snapshots")
    page.get_by_role("link", name=walk.t("Snapshot %(number)s") % {"number": 1}).click()
    page.wait_for_url("**/snapshots/1/")
    page.get_by_role("table", name=walk.t("Changed answers")).get_by_text("2.3.2").wait_for()
    walk.check(page, "snapshot 1")
    snapshot = assessment.snapshots.get()
    assert snapshot.number == 1
    walk.finish()
