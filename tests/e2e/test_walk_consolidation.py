"""Stage 4 of the walk: the facilitator takes over every accepted, uncontested lead answer in
one step, confirmed, and consolidates one conflict by hand on its side-by-side page."""

from __future__ import annotations

import pytest

from assessments.models import ConsolidatedAnswer, Response
from assessments.review import services as review_services
from tests.conftest import build_national_assessment, to_cross_check

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_consolidation(walk, lang):
    # Kemnaker answered Yes, BP2MI Partially; every answer accepted. Kemnaker leads 1.3.2 and
    # 4.1.1, BP2MI 2.3.2 (uncontested); 1.3.1 and 4.1.2, answered by both, are conflicts.
    people = cast()
    assessment = build_national_assessment(people.coordinator, people.facilitator)
    to_cross_check(assessment, people.coordinator, people.focal_a, people.focal_b)
    for response in assessment.responses.filter(state=Response.State.SUBMITTED):
        review_services.response_review(
            response=response, actor=people.facilitator, decision="accept"
        )
    ready = ["1.3.2", "2.3.2", "4.1.1"]

    fac = walk.persona(people.facilitator.username)
    fac.goto(walk.url("assessment_detail", assessment.pk))
    walk.check(fac, "assessment")
    fac.get_by_role("link", name=walk.t("Consolidation"), exact=True).click()
    walk.check(fac, "consolidation list")

    # The bulk take-over, through its confirmation page.
    bulk = walk.n(
        "Take over every accepted, uncontested lead answer (%(counter)s)",
        "Take over every accepted, uncontested lead answer (%(counter)s)",
        len(ready),
        counter=len(ready),
    )
    fac.get_by_role("button", name=bulk).click()
    confirm = fac.get_by_role(
        "button",
        name=walk.n("Take over %(count)s lead answer", "Take over %(count)s lead answers", 3),
    )
    confirm.wait_for()
    walk.check(fac, "bulk take-over: confirmation")
    # The conflicts stay for side-by-side work, and the page says so.
    fac.locator(".confirm-missing").get_by_text("1.3.1, 4.1.2").wait_for()
    assert not ConsolidatedAnswer.objects.filter(assessment=assessment).exists()
    confirm.click()
    fac.wait_for_url("**/indicators/")
    walk.check(fac, "lead answers taken over")
    taken = ConsolidatedAnswer.objects.filter(assessment=assessment)
    assert sorted(taken.values_list("indicator__code", flat=True)) == ready
    assert set(taken.values_list("answer", flat=True)) == {"yes", "partial"}

    # One conflict, by hand: the two answers side by side, then the consolidated answer.
    fac.get_by_label(walk.t("Conflicts only")).check()
    row = fac.locator("tr.has-conflict", has_text="4.1.2")
    row.wait_for()
    walk.check(fac, "conflicts only")
    row.get_by_role("link", name="4.1.2").click()
    fac.wait_for_url("**/indicators/4.1.2/")
    walk.check(fac, "conflict 4.1.2 side by side")
    cards = fac.locator(".compare-card")
    assert cards.count() == 2
    for acronym in ("KEMNAKER", "BP2MI"):
        cards.filter(has_text=acronym).locator(".answer-value").wait_for()
    form = fac.locator("form.consolidation-form")
    form.get_by_label(walk.t(str(ConsolidatedAnswer.Answer.PARTIAL.label)), exact=True).check()
    form.get_by_label(walk.t("Narrative (English)")).fill(
        "Bilateral agreements cover placement; Kemnaker's answer overstates their reach."
    )
    form.get_by_label(walk.t("Narrative (Indonesian)")).fill(
        "Perjanjian bilateral mencakup penempatan; jawaban Kemnaker melebihkan cakupannya."
    )
    form.get_by_role("button", name=walk.t("Save the consolidated answer")).click()
    fac.wait_for_load_state("load")
    fac.locator(".consolidated-section .answer-value").get_by_text(
        walk.t(str(ConsolidatedAnswer.Answer.PARTIAL.label)), exact=True
    ).wait_for()
    walk.check(fac, "conflict consolidated")
    chosen = taken.get(indicator__code="4.1.2")
    assert chosen.answer == "partial"
    assert chosen.narrative_id.startswith("Perjanjian bilateral")
    # Provenance defaults to both institutions' answers.
    assert chosen.sources.count() == 2
    walk.finish()
