"""The end of an erratum: a correction approved again is published with its corrected profile
version (the profile's own publish step, MOFA's launch: reports/launch.py), not by the
assessment page's "Publish" move; and evidence, which a correction does not change, is not
offered for adding while one is under way (the page says why)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from assessments.consolidation import services as consolidation_services
from assessments.models import (
    Assessment,
    AssessmentStatusChange,
    ConsolidatedAnswer,
    Evidence,
)
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from ministries.models import Institution, User
from reports import finding_services
from reports import services as report_services
from reports.models import Profile
from tests.conftest import publish

from .test_erratum import correction_session, indicator, reopen, transition

pytestmark = pytest.mark.django_db
S = Assessment.Status
REFUSED = "A correction is published with its corrected profile version"


def approved_again(
    profile: Profile, coordinator: User, facilitator: User, kemnaker: Institution
) -> Assessment:
    """The published assessment reopened for correction, 1.3.2 changed to Yes, validated
    again in a session of the correction and approved: snapshot no. 2."""
    assessment = profile.assessment
    reopen(assessment, coordinator)
    code = indicator(assessment, "1.3.2")
    current = ConsolidatedAnswer.objects.get(assessment=assessment, indicator=code)
    consolidation_services.consolidated_save(
        assessment=assessment,
        indicator=code,
        actor=facilitator,
        answer="yes",
        narrative_en="Law 6/2023 covers it.",
        narrative_id="UU 6/2023 mengaturnya.",
        version=current.version,
    )
    session = correction_session(assessment, coordinator, kemnaker)
    validation_services.validation_decide(
        session=session, indicator=code, actor=coordinator, decision="confirmed"
    )
    setup_services.assessment_transition(assessment=assessment, actor=coordinator, to=S.APPROVED)
    assessment.refresh_from_db()
    return assessment


def test_a_correction_is_published_with_its_profile_version_not_by_the_publish_move(
    client: Client,
    coordinator: User,
    facilitator: User,
    kemnaker: Institution,
    published_profile: Profile,
    django_capture_on_commit_callbacks,
):
    assessment = approved_again(published_profile, coordinator, facilitator, kemnaker)
    assert assessment.status == S.APPROVED

    # The page's move is refused, saying where the correction is published.
    client.force_login(coordinator)
    page = client.post(transition(assessment), {"to": S.PUBLISHED}, follow=True)
    assert page.status_code == 200
    assert REFUSED in page.content.decode()
    assert "publish that version on the profile page" in page.content.decode()
    api = APIClient()
    api.force_authenticate(coordinator)
    answer = api.post(f"/api/v1/assessments/{assessment.pk}/transitions/", {"to": "published"})
    assert answer.status_code == 409
    assert REFUSED in answer.json()["detail"]
    assessment.refresh_from_db()
    assert assessment.status == S.APPROVED
    moves = AssessmentStatusChange.objects.filter(assessment=assessment, to_status=S.PUBLISHED)
    assert moves.count() == 1  # the first publication only

    # The corrected version, published on its own page's step, publishes the assessment again.
    version2 = report_services.profile_create(
        assessment=assessment, actor=coordinator, correction_note="1.3.2 corrected."
    )
    assert version2.snapshot.number == 2
    for finding in version2.findings.filter(stale=True):
        finding_services.finding_confirm(finding=finding, actor=coordinator)
    publish(version2, coordinator, django_capture_on_commit_callbacks)
    assessment.refresh_from_db()
    published_profile.refresh_from_db()
    assert assessment.status == S.PUBLISHED
    assert published_profile.status == Profile.Status.SUPERSEDED
    assert moves.count() == 2


def test_the_first_publication_is_not_held_back_by_the_correction_rule(
    coordinator: User, approved_assessment: Assessment
):
    """Outside a correction the move keeps its one rule (a snapshot exists)."""
    setup_services.assessment_transition(
        assessment=approved_assessment, actor=coordinator, to=S.PUBLISHED
    )
    approved_assessment.refresh_from_db()
    assert approved_assessment.status == S.PUBLISHED


def test_the_evidence_library_says_why_no_evidence_is_added_during_a_correction(
    client: Client, coordinator: User, focal_a: User, published_profile: Profile
):
    assessment = published_profile.assessment
    reopen(assessment, coordinator)
    url = f"/assessments/{assessment.pk}/evidence/"
    client.force_login(focal_a)
    html = client.get(url).content.decode()
    assert "Evidence cannot be added now" in html
    assert "reopened only to correct its validated answers" in html
    assert 'enctype="multipart/form-data"' not in html  # no form that would fail
    before = Evidence.objects.filter(assessment=assessment).count()
    posted = client.post(
        url, {"kind": "link", "title": "A new law", "url": "https://peraturan.go.id/"}
    )
    assert posted.status_code == 409
    assert "Evidence cannot be added now" in posted.content.decode()
    assert Evidence.objects.filter(assessment=assessment).count() == before
