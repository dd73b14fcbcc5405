"""Consolidation across institutions, as pages: the indicator list, one indicator's answers
side by side, the facilitator's consolidated answer, the take-over, stale and frozen saves."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer, Evidence, Response
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

FROZEN = "The validated answers are frozen; reopen the validation, with a reason, to change them."


def page(assessment, code=""):
    base = f"/assessments/{assessment.pk}/indicators/"
    return f"{base}{code}/" if code else base


def indicator(assessment, code):
    return Indicator.objects.get(framework_id=assessment.framework_id, code=code)


def response_of(assessment, code, acronym):
    return assessment.responses.get(indicator__code=code, institution__acronym=acronym)


@pytest.fixture
def cited(national_assessment, kemnaker, bp2mi, focal_a, focal_b):
    """A legal citation on Kemnaker's 1.3.1 answer and a link on BP2MI's, added during data
    collection (request it before cross_check_assessment)."""
    law = collection_services.evidence_create(
        assessment=national_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind=Evidence.Kind.CITATION,
        instrument_type=Evidence.InstrumentType.LAW,
        number="13",
        year=2003,
        title="Manpower",
        article="Article 6",
    )
    link = collection_services.evidence_create(
        assessment=national_assessment,
        institution=bp2mi,
        actor=focal_b,
        kind=Evidence.Kind.LINK,
        title="BP2MI placement statistics",
        url="https://bp2mi.go.id/statistik",
    )
    for item, acronym in ((law, "KEMNAKER"), (link, "BP2MI")):
        r = response_of(national_assessment, "1.3.1", acronym)
        collection_services.response_add_evidence(
            response=r,
            actor=focal_a if acronym == "KEMNAKER" else focal_b,
            version=r.version,
            evidence=item,
        )
    return {"law": law, "link": link}


def accept(assessment, facilitator, code):
    for r in assessment.responses.filter(indicator__code=code, state="submitted"):
        review_services.response_review(response=r, actor=facilitator, decision="accept")


# --- the list --------------------------------------------------------------------------------


def test_list_flags_the_conflict_on_1_3_1_and_not_on_1_3_2(
    client, facilitator, cross_check_assessment
):
    client.force_login(facilitator)
    result = client.get(page(cross_check_assessment))
    assert result.status_code == 200
    rows = {row.indicator.code: row for row in result.context["rows"]}
    assert len(rows) == 98
    assert rows["1.3.1"].conflict and rows["4.1.2"].conflict
    assert not rows["1.3.2"].conflict
    assert [(r.institution.acronym, r.answer) for r in rows["1.3.1"].answered] == [
        ("KEMNAKER", "yes"),
        ("BP2MI", "partial"),
    ]
    assert rows["1.3.1"].consolidated is None
    html = result.content.decode()
    assert html.count("badge-conflict") == 2
    assert "98 not yet consolidated" in html
    assert "0 of 2 accepted" in html  # 1.3.1: two submitted answers, neither reviewed


def test_list_filters_by_dimension_conflicts_and_missing(
    client, facilitator, cross_check_assessment
):
    client.force_login(facilitator)
    url = page(cross_check_assessment)
    codes = [r.indicator.code for r in client.get(url, {"conflicts": "1"}).context["rows"]]
    assert codes == ["1.3.1", "4.1.2"]
    codes = [r.indicator.code for r in client.get(url, {"dimension": "4"}).context["rows"]]
    assert codes and all(code.startswith("4.") for code in codes)
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=indicator(cross_check_assessment, "1.3.1"),
        actor=facilitator,
        answer="partial",
    )
    both = client.get(url, {"conflicts": "1", "missing": "1"})
    assert [r.indicator.code for r in both.context["rows"]] == ["4.1.2"]
    # htmx asks for the results only.
    fragment = client.get(url, {"conflicts": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="results"') and "<h1>" not in fragment


def test_list_query_count_is_constant(client, facilitator, cross_check_assessment, coordinator):
    client.force_login(facilitator)
    url = page(cross_check_assessment)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # More answers, reviews and consolidated answers must not add queries.
    accept(cross_check_assessment, facilitator, "1.3.1")
    for code in ("1.3.1", "1.3.2", "6.1.1"):
        consolidation_services.consolidated_save(
            assessment=cross_check_assessment,
            indicator=indicator(cross_check_assessment, code),
            actor=facilitator,
            answer="yes",
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    # session, user, assessment, dimensions (filter), indicators (+dimension), responses
    # (+institution, role subquery), consolidated answers
    assert len(after.captured_queries) == 7


# --- one indicator ---------------------------------------------------------------------------


def test_indicator_page_shows_every_answer_side_by_side_with_evidence_and_conflict(
    client, facilitator, cited, cross_check_assessment
):
    client.force_login(facilitator)
    html = client.get(page(cross_check_assessment, "1.3.1")).content.decode()
    assert "Conflict: the institutions' answers differ." in html
    assert html.index("KEMNAKER") < html.index("BP2MI")  # the lead institution first
    assert "KEMNAKER: yes" in html and "BP2MI: partial" in html  # the justifications
    assert "Law (Undang-Undang) 13/2003: Manpower, Article 6" in html
    assert 'href="https://bp2mi.go.id/statistik"' in html
    for acronym in ("KEMNAKER", "BP2MI"):
        r = response_of(cross_check_assessment, "1.3.1", acronym)
        assert f'href="/responses/{r.pk}/thread/"' in html
    assert "Pending review" in html and "Lead" in html and "Contributor" in html
    # The facilitator's form: answers the indicator allows, both narratives, evidence, sources.
    assert 'name="narrative_en"' in html and 'name="narrative_id"' in html
    assert f'name="evidence" value="{cited["law"].pk}"' in html
    assert html.count('name="sources"') == 2
    assert 'name="version" value="0"' in html
    # The lead's answer is not accepted yet: no take-over button, the reason instead.
    assert "Take over the lead institution&#x27;s answer" not in html
    assert "take-over/" not in html
    assert (
        "The answer of KEMNAKER, the lead institution, is not accepted yet (Pending review): "
        "review it first."
    ) in html
    # Previous and next indicators.
    assert 'rel="prev"' in html and 'rel="next"' in html

    other = client.get(page(cross_check_assessment, "1.3.2")).content.decode()
    assert "answers differ" not in other


def test_facilitator_consolidates_a_conflict_with_its_provenance(
    client, facilitator, cited, cross_check_assessment
):
    client.force_login(facilitator)
    kemnaker = response_of(cross_check_assessment, "1.3.1", "KEMNAKER")
    bp2mi = response_of(cross_check_assessment, "1.3.1", "BP2MI")
    result = client.post(
        page(cross_check_assessment, "1.3.1"),
        {
            "answer": "partial",
            "narrative_en": "Migrant workers may change employer only in some sectors.",
            "narrative_id": "Pekerja migran dapat berganti majikan hanya di beberapa sektor.",
            "evidence": [cited["law"].pk],
            "sources": [kemnaker.pk, bp2mi.pk],
            "version": "0",
        },
    )
    assert result.status_code == 302
    consolidated = ConsolidatedAnswer.objects.get(
        assessment=cross_check_assessment, indicator__code="1.3.1"
    )
    assert (consolidated.answer, consolidated.version) == ("partial", 1)
    assert set(consolidated.sources.all()) == {kemnaker, bp2mi}
    assert list(consolidated.evidence.all()) == [cited["law"]]
    assert consolidated.updated_by == facilitator

    html = client.get(result.url).content.decode()
    assert "Consolidated answer on 1.3.1 saved." in html
    assert "Pekerja migran dapat berganti majikan" in html
    assert "BP2MI (Partially), KEMNAKER (Yes)" in html  # drawn from
    assert 'name="version" value="1"' in html
    # The history: who, when, and the answer written.
    assert "Written: Partially" in html

    # A second change shows old → new.
    result = client.post(
        page(cross_check_assessment, "1.3.1"),
        {"answer": "yes", "sources": [kemnaker.pk], "version": "1"},
    )
    assert result.status_code == 302
    html = client.get(result.url).content.decode()
    assert "Partially → Yes" in html


def test_a_stale_save_shows_both_versions_and_overwrites_nothing(
    client, facilitator, cross_check_assessment
):
    target = indicator(cross_check_assessment, "1.3.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment, indicator=target, actor=facilitator, answer="yes"
    )
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=target,
        actor=facilitator,
        answer="no",
        narrative_en="Saved meanwhile.",
        version=1,
    )
    client.force_login(facilitator)
    result = client.post(
        page(cross_check_assessment, "1.3.1"),
        {"answer": "partial", "narrative_en": "My careful text.", "version": "1"},
    )
    assert result.status_code == 409
    html = result.content.decode()
    assert "Someone changed this consolidated answer after you opened it" in html
    assert "Current saved version" in html and "Your version (not saved)" in html
    assert "Saved meanwhile." in html and "My careful text." in html
    # The form keeps the user's text with the current version, to merge and save again.
    assert 'name="version" value="2"' in html
    assert 'value="partial" id="c-answer-partial" checked' in html
    current = ConsolidatedAnswer.objects.get(assessment=cross_check_assessment, indicator=target)
    assert (current.answer, current.version) == ("no", 2)

    # Two facilitators opening an indicator with no answer yet: the second save is refused.
    other = indicator(cross_check_assessment, "6.1.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment, indicator=other, actor=facilitator, answer="yes"
    )
    result = client.post(page(cross_check_assessment, "6.1.1"), {"answer": "no", "version": "0"})
    assert result.status_code == 409
    assert (
        ConsolidatedAnswer.objects.get(indicator=other, assessment=cross_check_assessment).answer
        == "yes"
    )


def test_invalid_input_is_422_with_the_messages(client, facilitator, cross_check_assessment):
    client.force_login(facilitator)
    url = page(cross_check_assessment, "1.3.1")
    assert not indicator(cross_check_assessment, "1.3.1").allows_not_applicable
    result = client.post(url, {"answer": "na", "narrative_en": "Kept", "version": "0"})
    assert result.status_code == 422
    html = result.content.decode()
    assert "Choose one of the answers this indicator allows." in html
    assert "Kept" in html
    result = client.post(url, {"answer": "yes", "evidence": ["999999"], "version": "0"})
    assert result.status_code == 422
    assert "Choose evidence attached to the answers on this indicator." in result.content.decode()
    foreign = response_of(cross_check_assessment, "1.3.2", "KEMNAKER")
    result = client.post(url, {"answer": "yes", "sources": [foreign.pk], "version": "0"})
    assert result.status_code == 422
    assert "Sources must be answers to this indicator." in result.content.decode()
    assert client.post(url, {"answer": "yes"}).status_code == 400  # no version
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()


def test_take_over_adopts_an_accepted_lead_answer_nobody_else_gave(
    client, facilitator, cross_check_assessment
):
    client.force_login(facilitator)
    url = page(cross_check_assessment, "1.3.2") + "take-over/"
    # Not accepted yet: refused with the reason.
    html = client.post(url, follow=True).content.decode()
    assert "KEMNAKER, the lead institution, is not accepted yet (Pending review)" in html
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()

    accept(cross_check_assessment, facilitator, "1.3.2")
    page_html = client.get(page(cross_check_assessment, "1.3.2")).content.decode()
    assert f'action="{url}"' in page_html  # now offered
    result = client.post(url)
    assert result.status_code == 302
    consolidated = ConsolidatedAnswer.objects.get(
        assessment=cross_check_assessment, indicator__code="1.3.2"
    )
    lead = response_of(cross_check_assessment, "1.3.2", "KEMNAKER")
    assert consolidated.answer == "yes" and list(consolidated.sources.all()) == [lead]
    html = client.get(result.url).content.decode()
    assert "The answer of KEMNAKER on 1.3.2 is now the consolidated answer." in html
    assert "Taken over from KEMNAKER" in html  # the reason, in the history


def test_take_over_is_refused_where_another_institution_answered(
    client, facilitator, cross_check_assessment
):
    accept(cross_check_assessment, facilitator, "1.3.1")
    client.force_login(facilitator)
    result = client.post(page(cross_check_assessment, "1.3.1") + "take-over/", follow=True)
    assert (
        "The institutions disagree (KEMNAKER: Yes, BP2MI: Partially): compare their answers and "
        "write the consolidated answer yourself."
    ) in result.content.decode()
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()


def approve(assessment, coordinator, kemnaker):
    validation_services.validation_session_save(
        assessment=assessment,
        actor=coordinator,
        held_on=datetime.date(2030, 6, 20),
        format="in_person",
        place="Jakarta",
        participant_count=40,
        institutions=[kemnaker],
    )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.APPROVED
    )


def test_approved_answers_are_frozen_until_the_validation_is_reopened(
    client, facilitator, coordinator, kemnaker, validation_assessment
):
    approve(validation_assessment, coordinator, kemnaker)
    client.force_login(facilitator)
    url = page(validation_assessment, "1.3.1")
    html = client.get(url).content.decode()
    assert FROZEN.replace("'", "&#x27;") in html
    assert "Save the consolidated answer" not in html
    result = client.post(url, {"answer": "yes", "version": "1"})
    assert result.status_code == 409
    assert FROZEN.replace("'", "&#x27;") in result.content.decode()
    # 1.3.2: only Kemnaker answered and it was accepted, so only the freeze stands in the way.
    html = client.post(page(validation_assessment, "1.3.2") + "take-over/", follow=True)
    assert FROZEN.replace("'", "&#x27;") in html.content.decode()
    consolidated = ConsolidatedAnswer.objects.get(
        assessment=validation_assessment, indicator__code="1.3.1"
    )
    assert (consolidated.answer, consolidated.version) == ("partial", 1)


def test_only_facilitators_write_coordinators_read_and_focal_points_see_nothing(
    client,
    coordinator,
    provincial_coordinator,
    focal_a,
    focal_b,
    administrator,
    cross_check_assessment,
):
    url = page(cross_check_assessment, "1.3.1")
    data = {"answer": "yes", "version": "0"}
    for reader in (coordinator, administrator):
        client.force_login(reader)
        html = client.get(url).content.decode()
        assert "KEMNAKER: yes" in html and "answers differ" in html
        assert "Save the consolidated answer" not in html and "take-over" not in html
        assert client.get(page(cross_check_assessment)).status_code == 200
        assert client.post(url, data).status_code == 403
        assert client.post(url + "take-over/").status_code == 403
    for stranger in (focal_a, focal_b, provincial_coordinator):
        client.force_login(stranger)
        assert client.get(page(cross_check_assessment)).status_code == 404
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert client.post(url + "take-over/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.post(url, data).status_code == 302
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()


def test_unknown_indicator_is_404(client, facilitator, cross_check_assessment):
    client.force_login(facilitator)
    assert client.get(page(cross_check_assessment, "9.9.9")).status_code == 404
    # An indicator of the other framework does not belong to this assessment.
    local = Indicator.objects.filter(framework__code="mgi-local-2023").exclude(
        code__in=Indicator.objects.filter(framework__code="mgi-national-2023").values("code")
    )
    if local.exists():
        assert client.get(page(cross_check_assessment, local.first().code)).status_code == 404


def test_indicator_page_query_count_is_constant(client, facilitator, cited, cross_check_assessment):
    client.force_login(facilitator)
    url = page(cross_check_assessment, "1.3.1")
    target = indicator(cross_check_assessment, "1.3.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment, indicator=target, actor=facilitator, answer="yes"
    )
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # More evidence, sources and history rows must not add queries.
    accept(cross_check_assessment, facilitator, "1.3.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=target,
        actor=facilitator,
        answer="partial",
        evidence=[cited["law"], cited["link"]],
        sources=list(cross_check_assessment.responses.filter(indicator=target)),
        version=1,
        reason="After the call with both ministries",
    )
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert "After the call with both ministries" in html and "Yes → Partially" in html
    assert len(after.captured_queries) == len(before.captured_queries)
    # session, user, assessment, indicator (+dimension), responses (+institution, updated_by,
    # reviewed_by, role subquery), their evidence, consolidated answer (+updated_by), its
    # evidence, its sources, its history (+user), the codes for previous/next
    assert len(after.captured_queries) == 11


def test_answers_left_blank_show_as_not_answered(client, facilitator, cross_check_assessment):
    client.force_login(facilitator)
    html = client.get(page(cross_check_assessment, "6.1.1")).content.decode()
    assert "KEMLU" in html and "Not answered" in html
    assert "answers differ" not in html
    assert (
        Response.objects.get(assessment=cross_check_assessment, indicator__code="6.1.1").answer
        == ""
    )


@pytest.mark.parametrize("language", ["en", "id"])
def test_pages_have_labelled_fields_one_heading_and_no_inline_code(
    client, facilitator, cited, cross_check_assessment, language
):
    from tests.test_pages_security_a11y import PageAudit

    client.force_login(facilitator)
    client.cookies["django_language"] = language
    # A stale save shows the most on one page: both versions, the form, the history.
    target = indicator(cross_check_assessment, "1.3.1")
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment, indicator=target, actor=facilitator, answer="yes"
    )
    stale = client.post(page(cross_check_assessment, "1.3.1"), {"answer": "no", "version": "0"})
    assert stale.status_code == 409
    for html in (
        client.get(page(cross_check_assessment)).content.decode(),
        client.get(page(cross_check_assessment, "1.3.1")).content.decode(),
        stale.content.decode(),
    ):
        audit = PageAudit()
        audit.feed(html)
        assert audit.html_lang == language and audit.h1 == 1
        unlabelled = [
            f for f in audit.fields if f.get("id") not in audit.labels and not f.get("aria-label")
        ]
        assert unlabelled == []
        assert audit.inline_scripts == 0 and audit.inline_styles == 0
