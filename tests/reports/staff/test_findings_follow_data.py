"""Findings that follow the data: each finding knows the answers it rests on and turns stale
when validation changes one; the editor warns about findings placed against their answers,
well-developed areas without a source, a missing language and a text copied from the other
language; approval is refused until all of it is answered (reports/findings.py)."""

import pytest

from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer, Snapshot
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from audit.models import AuditEvent
from indicators.models import Indicator
from reports import content, findings, services
from reports.models import Finding, Profile, ProfileSection

from .test_staff_pages import CONFIRMED, HTMX, as_user, media, messages_of, quick_pdf, render_both

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]
__all__ = ["media", "quick_pdf"]  # the shared fixtures, used by name


def finding_on(profile: Profile, code: str) -> Finding:
    return profile.findings.get(indicators=[code])


def reopen_and_change(assessment, coordinator, code: str, answer: str):
    """ "Reopen validation" from approved, and the FGD's session changes `code`'s answer."""
    setup_services.assessment_transition(
        assessment=assessment,
        actor=coordinator,
        to=Assessment.Status.VALIDATION,
        note="The FGD asked to look at the labour indicators again.",
    )
    validation_services.validation_decide(
        session=assessment.validation_sessions.get(),
        indicator=Indicator.objects.get(framework=assessment.framework, code=code),
        actor=coordinator,
        decision="changed",
        answer=answer,
        reason="No regulation implements it yet.",
    )


def findings_page(client, profile) -> str:
    response = client.get(f"/profiles/{profile.pk}/findings/")
    assert response.status_code == 200
    return response.content.decode()


def test_drafted_findings_record_their_basis_and_languages(draft_profile):
    finding = finding_on(draft_profile, "2.3.2")
    assert finding.basis == {"2.3.2": "yes"}
    assert (finding.text_en_language, finding.text_id_language) == ("en", "id")
    assert finding_on(draft_profile, "1.3.1").basis == {"1.3.1": "partial"}


def test_a_finding_turns_stale_when_validation_changes_its_answer_and_approval_waits(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    reopen_and_change(draft_profile.assessment, coordinator, "1.3.1", "no")
    stale = finding_on(draft_profile, "1.3.1")
    assert stale.stale
    assert stale.stale_changes == [{"code": "1.3.1", "was": "partial", "now": "no"}]
    assert not finding_on(draft_profile, "1.3.2").stale

    client = as_user(coordinator)
    html = findings_page(client, draft_profile)
    assert "1.3.1: was Partially, now No" in html
    assert "Confirm as still true" in html

    # The confirmation page says why approval cannot go ahead, and offers no button.
    asked = client.post(f"/profiles/{draft_profile.pk}/approve/").content.decode()
    assert "1 finding rests on answers changed since it was written (1.3.1)" in asked
    assert 'name="confirmed"' not in asked
    refused = client.post(f"/profiles/{draft_profile.pk}/approve/", CONFIRMED, follow=True)
    assert any("(1.3.1)" in m for m in messages_of(refused))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.DRAFT

    # Revised: the new text rests on the answer as it stands now.
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            f"/profiles/{draft_profile.pk}/findings/{stale.pk}/save/",
            {
                "text_en": "No measure regulates the recruitment fees yet.",
                "text_id": "Belum ada ketentuan yang mengatur biaya penempatan.",
            },
            headers=HTMX,
        )
    assert saved.status_code == 200
    assert "was Partially" not in saved.content.decode()
    stale.refresh_from_db()
    assert (stale.stale, stale.stale_changes, stale.basis) == (False, [], {"1.3.1": "no"})
    approved = client.post(f"/profiles/{draft_profile.pk}/approve/", CONFIRMED, follow=True)
    assert any("Version 1 approved" in m for m in messages_of(approved))


def test_a_stale_finding_confirmed_as_still_true(
    draft_profile, coordinator, facilitator, django_capture_on_commit_callbacks
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    reopen_and_change(draft_profile.assessment, coordinator, "1.3.1", "no")
    stale = finding_on(draft_profile, "1.3.1")
    api_refused = services_approve_error(draft_profile, coordinator)
    assert "revise it or confirm that it is still true" in api_refused

    response = as_user(facilitator).post(
        f"/profiles/{draft_profile.pk}/findings/{stale.pk}/confirm/", headers=HTMX
    )
    assert response.status_code == 200
    assert "Confirm as still true" not in response.content.decode()
    stale.refresh_from_db()
    assert (stale.stale, stale.basis, stale.edited_by) == (False, {"1.3.1": "no"}, facilitator)
    event = AuditEvent.objects.get(
        action="finding_updated",
        object_id=str(stale.pk),
        details__has_key="confirmed_still_true",
        actor=facilitator,
    )
    assert event.details["confirmed_still_true"] == [
        {"code": "1.3.1", "was": "partial", "now": "no"}
    ]
    # Nothing to confirm any more: refused, saying so.
    again = as_user(facilitator).post(
        f"/profiles/{draft_profile.pk}/findings/{stale.pk}/confirm/", headers=HTMX
    )
    assert again.status_code == 422
    assert "rests on the current answers already" in again.content.decode()
    assert services.profile_approve(profile=draft_profile, actor=coordinator).status == "approved"


def services_approve_error(profile, actor) -> str:
    """The API's answer to approving `profile`: the 409 with the reason in `detail`."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(actor)
    render = profile.renders.get(language="en")
    response = client.post(f"/api/v1/profiles/{render.pk}/approve/")
    assert response.status_code == 409
    return response.json()["detail"]


def test_an_answer_changed_back_leaves_the_finding_fresh(draft_profile, coordinator):
    reopen_and_change(draft_profile.assessment, coordinator, "1.3.1", "no")
    validation_services.validation_decide(
        session=draft_profile.assessment.validation_sessions.get(),
        indicator=Indicator.objects.get(framework=draft_profile.assessment.framework, code="1.3.1"),
        actor=coordinator,
        decision="changed",
        answer="partial",
        reason="On reflection, partly in place.",
    )
    finding = finding_on(draft_profile, "1.3.1")
    assert (finding.stale, finding.stale_changes) == (False, [])


def test_the_editor_warns_in_english(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    yes = finding_on(draft_profile, "2.3.2")  # Yes, no evidence
    Finding.objects.filter(pk=yes.pk).update(kind=Finding.Kind.FURTHER_DEVELOPMENT)
    partial = finding_on(draft_profile, "1.3.2")  # Partially belongs to either: no warning
    Finding.objects.filter(pk=partial.pk).update(kind=Finding.Kind.WELL_DEVELOPED)
    copied = finding_on(draft_profile, "4.1.1")
    Finding.objects.filter(pk=copied.pk).update(text_id="Labour inspection exists.")
    Finding.objects.filter(pk=copied.pk).update(text_id_language="en")
    client = as_user(coordinator)
    one_language = client.post(
        f"/profiles/{draft_profile.pk}/findings/{finding_on(draft_profile, '1.3.1').pk}/save/",
        {"text_en": "Recruitment is regulated in part.", "text_id": ""},
        headers=HTMX,
    )
    assert one_language.status_code == 200
    assert "The text in Bahasa Indonesia is missing." in one_language.content.decode()

    html = findings_page(client, draft_profile)
    assert (
        "Listed under areas with potential for further development, but 2.3.2 is answered "
        "“Yes”: a Yes belongs to well-developed areas."
    ) in html
    assert html.count("staff-warning-against-values") == 1
    assert "A well-developed area with no source" in html
    assert html.count("staff-warning-no-source") == 1  # 1.3.2, not the drafted Yes moved away
    assert "The text in Bahasa Indonesia is missing." in html
    assert (
        "The Bahasa Indonesia text is a copy of a text in English: translate it, or confirm "
        "that it is translated."
    ) in html
    assert f'action="/profiles/{draft_profile.pk}/findings/{copied.pk}/translation/"' in html

    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    with pytest.raises(services.ServiceError) as refused:
        services.profile_approve(profile=draft_profile, actor=coordinator)
    assert "1 finding lacks its text in one language." in refused.value.message
    assert "1 finding still needs translation." in refused.value.message

    confirmed = client.post(
        f"/profiles/{draft_profile.pk}/findings/{copied.pk}/translation/",
        {"language": "id"},
        headers=HTMX,
    )
    assert confirmed.status_code == 200
    assert "is a copy of a text" not in confirmed.content.decode()
    copied.refresh_from_db()
    assert copied.text_id_language == "id"


def test_the_editor_warns_in_indonesian(draft_profile, coordinator, settings):
    yes = finding_on(draft_profile, "2.3.2")
    Finding.objects.filter(pk=yes.pk).update(kind=Finding.Kind.FURTHER_DEVELOPMENT)
    client = as_user(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = findings_page(client, draft_profile)
    assert '<html lang="id"' in html
    assert "Bidang yang sudah berkembang baik" in html
    # The warning names the answer in the reader's language.
    warning = html.split('class="staff-warning-against-values">', 1)[1].split("</li>", 1)[0]
    assert "2.3.2" in warning and "“Ya”" in warning


def test_taking_over_a_ministrys_answer_marks_the_copy_as_needing_translation(
    cross_check_assessment, focal_a, facilitator
):
    focal_a.language = "id"
    focal_a.save()
    assessment = cross_check_assessment
    kemnaker_answer = assessment.responses.get(
        indicator__code="1.3.2", institution=focal_a.institution
    )
    review_services.response_review(response=kemnaker_answer, actor=facilitator, decision="accept")
    indicator = kemnaker_answer.indicator
    taken = consolidation_services.consolidated_take_over_lead(
        assessment=assessment, indicator=indicator, actor=facilitator
    )
    # The justification, written in Indonesian, stands in both narratives.
    assert taken.narrative_en == taken.narrative_id == "KEMNAKER: yes"
    assert (taken.narrative_en_language, taken.narrative_id_language) == ("id", "id")

    snapshot = Snapshot(
        assessment=assessment, number=1, data=validation_services.snapshot_data(assessment)
    )
    [drafted] = [d for d in content.draft_findings(snapshot) if d["indicators"] == ["1.3.2"]]
    assert findings.untranslated(Finding(**drafted)) == ["en"]

    # A facilitator writes the English narrative: only the Indonesian one was the ministry's.
    rewritten = consolidation_services.consolidated_save(
        assessment=assessment,
        indicator=indicator,
        actor=facilitator,
        answer="yes",
        narrative_en="The ministry regulates recruitment agencies.",
        narrative_id=taken.narrative_id,
        version=taken.version,
    )
    assert (rewritten.narrative_en_language, rewritten.narrative_id_language) == ("en", "id")
    assert ConsolidatedAnswer.history.filter(id=taken.pk).first().narrative_en_language == "en"


def test_approval_is_refused_while_a_section_needs_translation(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    ProfileSection.objects.update_or_create(
        profile=draft_profile,
        key=ProfileSection.Key.INTRODUCTION,
        dimension=None,
        defaults={"text_en": "Introduction.", "text_id": "Introduction.", "text_id_language": "en"},
    )
    with pytest.raises(services.ServiceError) as refused:
        services.profile_approve(profile=draft_profile, actor=coordinator)
    assert "Sections that still need translation: Introduction." in refused.value.message
    ProfileSection.objects.filter(profile=draft_profile, key="introduction").update(
        text_id="Pendahuluan.", text_id_language="id"
    )
    assert services.profile_approve(profile=draft_profile, actor=coordinator).status == "approved"


def test_a_correction_carries_the_findings_over_and_marks_the_changed_ones_stale(
    published_profile, coordinator, facilitator
):
    v1 = published_profile
    edited = finding_on(v1, "1.3.2")
    Finding.objects.filter(pk=edited.pk).update(
        text_en="Edited by a person.", edited_by=facilitator
    )
    assessment = v1.assessment
    consolidation_services.consolidated_save(
        assessment=assessment,
        indicator=Indicator.objects.get(framework=assessment.framework, code="1.3.1"),
        actor=facilitator,
        answer="no",
        narrative_en="Narrative 1.3.1",
        narrative_id="Narasi 1.3.1",
        check_status=False,  # the erratum's workflow is tested with it; here, its outcome
    )
    assert not finding_on(v1, "1.3.1").stale  # a published version is not marked
    validation_services.snapshot_create(assessment=assessment, actor=coordinator)
    v2 = services.profile_create(
        assessment=assessment, actor=coordinator, correction_note="1.3.1 corrected."
    )
    assert v2.snapshot.number == 2
    assert v2.findings.count() == v1.findings.count()
    assert finding_on(v2, "1.3.2").text_en == "Edited by a person."
    carried = finding_on(v2, "1.3.1")
    assert carried.stale_changes == [{"code": "1.3.1", "was": "partial", "now": "no"}]
    assert v2.findings.filter(stale=True).count() == 1


def test_findings_drafted_before_languages_were_recorded_are_flagged_when_identical():
    """Existing data, without a data migration: identical texts nobody has touched."""
    same = Finding(kind=Finding.Kind.WELL_DEVELOPED, text_en="UU 18/2017.", text_id="UU 18/2017.")
    assert findings.untranslated(same) == ["en", "id"]
    assert findings.copied_from(same, "id") == "und"
    different = Finding(text_en="Migrant workers.", text_id="Pekerja migran.")
    assert findings.untranslated(different) == []
    row = {"narrative_en": "Ada.", "narrative_id": "Ada.", "code": "1.1.1"}  # an old snapshot
    assert content.narrative_language(row, "en") == content.narrative_language(row, "id") == "und"
