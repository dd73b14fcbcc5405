"""Profile versions in preparation and the validated answers they rest on: validation reopened
from "approved" changes an answer (the findings resting on it turn stale); approving the answers
again moves the draft or approved version onto the new snapshot (reports/follow.py), and an
approved version whose findings turned stale is not published meanwhile."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.setup import services as setup_services
from ministries.models import User
from reports import finding_services, sections, services
from reports.models import Profile, ProfileSection

from .test_findings_follow_data import finding_on, findings_page, reopen_and_change
from .test_staff_pages import CONFIRMED, as_user, media, messages_of, quick_pdf, render_both

pytestmark = pytest.mark.django_db
__all__ = ["media", "quick_pdf"]  # fixtures of test_staff_pages used here
STALE = (
    "1 finding of this version rests on validated answers changed since it was approved: it is "
    "not published until the finding is reviewed"
)


def approved_version(profile: Profile, coordinator: User, capture) -> Profile:
    render_both(profile, coordinator, capture)
    return services.profile_approve(profile=profile, actor=coordinator)


def approve_answers(assessment: Assessment, coordinator: User) -> None:
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.APPROVED
    )


def test_an_approved_version_whose_findings_turned_stale_is_not_published(
    draft_profile, coordinator, quick_pdf, django_capture_on_commit_callbacks
):
    approved_version(draft_profile, coordinator, django_capture_on_commit_callbacks)
    reopen_and_change(draft_profile.assessment, coordinator, "1.3.1", "no")
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    assert finding_on(draft_profile, "1.3.1").stale

    # The confirmation page says why, and offers no button; the confirmed POST is refused.
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/publish/"
    asked = client.post(url, {"when": "now"}).content.decode()
    assert STALE in asked
    assert 'name="confirmed"' not in asked
    refused = client.post(url, {"when": "now", **CONFIRMED}, follow=True)
    assert any(STALE in m for m in messages_of(refused))
    api = APIClient()
    api.force_authenticate(coordinator)
    render = draft_profile.renders.get(language="en")
    answer = api.post(f"/api/v1/profiles/{render.pk}/publish/")
    assert answer.status_code == 409
    assert STALE in answer.json()["detail"]
    # A publication scheduled before the answers changed does not go out either.
    Profile.objects.filter(pk=draft_profile.pk).update(
        embargo_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.publish_due() == 0
    draft_profile.refresh_from_db()
    assert (draft_profile.status, draft_profile.published_at) == (Profile.Status.APPROVED, None)


def test_a_draft_follows_the_answers_approved_again(
    draft_profile, coordinator, quick_pdf, django_capture_on_commit_callbacks
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    methodology = draft_profile.sections.get(key="annex_methodology")
    assert "dataset no. 1," in methodology.text_en
    edited = draft_profile.sections.exclude(key="annex_methodology").first()
    ProfileSection.objects.filter(pk=edited.pk).update(text_en="Written.", edited_by=coordinator)
    assessment = draft_profile.assessment
    reopen_and_change(assessment, coordinator, "1.3.1", "no")
    approve_answers(assessment, coordinator)

    draft_profile.refresh_from_db()
    assert draft_profile.snapshot.number == 2
    # The drafted sections read the new snapshot; the one a person wrote stays.
    assert "dataset no. 2," in draft_profile.sections.get(key="annex_methodology").text_en
    assert draft_profile.sections.get(key=edited.key, dimension=edited.dimension).text_en == (
        "Written."
    )
    assert draft_profile.sections.count() == len(sections.draft_texts(draft_profile, []))
    assert draft_profile.status == Profile.Status.DRAFT
    stale = finding_on(draft_profile, "1.3.1")
    assert stale.stale_changes == [{"code": "1.3.1", "was": "partial", "now": "no"}]
    assert not finding_on(draft_profile, "1.3.2").stale
    # Its PDFs showed the earlier answers: they are rendered again.
    assert set(draft_profile.renders.values_list("status", flat=True)) == {"queued"}
    assert "1.3.1: was Partially, now No" in findings_page(as_user(coordinator), draft_profile)


def test_an_approved_version_returns_to_draft_on_the_new_snapshot_and_is_approved_again(
    draft_profile, coordinator, quick_pdf, django_capture_on_commit_callbacks
):
    approved_version(draft_profile, coordinator, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(days=3)
    Profile.objects.filter(pk=draft_profile.pk).update(embargo_until=later)
    assessment = draft_profile.assessment
    reopen_and_change(assessment, coordinator, "1.3.1", "no")
    approve_answers(assessment, coordinator)

    draft_profile.refresh_from_db()
    assert (draft_profile.status, draft_profile.snapshot.number) == (Profile.Status.DRAFT, 2)
    assert (draft_profile.approved_by, draft_profile.embargo_until) == (None, None)
    # Reviewed on the draft, rendered and approved again: published from snapshot no. 2.
    stale = finding_on(draft_profile, "1.3.1")
    finding_services.finding_confirm(finding=stale, actor=coordinator)
    approved = approved_version(draft_profile, coordinator, django_capture_on_commit_callbacks)
    published = services.profile_publish(profile=approved, actor=coordinator)
    assessment.refresh_from_db()
    assert (published.status, published.snapshot.number) == (Profile.Status.PUBLISHED, 2)
    assert assessment.status == Assessment.Status.PUBLISHED
