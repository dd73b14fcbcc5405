"""The launch belongs to MOFA: a province prepares and approves its profile; the national
coordinator reads, renders and publishes it (the launch, with its date and event), and may
hand one round's launch to the provincial coordinator (reports/launch.py)."""

import datetime

import pytest
from rest_framework.test import APIClient

from assessments.consolidation.services import consolidated_save
from assessments.models import Assessment
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.models import FrameworkVersion
from reports import services
from reports.models import LaunchHandover, Profile

from .test_staff_pages import CONFIRMED, as_user, media, messages_of, quick_pdf, render_both

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]
__all__ = ["media", "quick_pdf"]  # the shared fixtures, used by name

LAUNCH = {
    "launch_date": "2024-06-12",
    "launch_event_en": "Public discussion, Jakarta",
    "launch_event_id": "Diskusi publik, Jakarta",
}


@pytest.fixture
def provincial_profile(central_java, provincial_coordinator, facilitator):
    """Version 1 (draft) of a Central Java round whose validated answers are approved.

    The cycle up to approval is walked by the assessments tests; here three answers are
    written and the round marked approved, so that the profile has findings to show."""
    framework = FrameworkVersion.objects.get(code="mgi-local-2023")
    assessment = setup_services.assessment_create(
        actor=provincial_coordinator,
        framework=framework,
        year=2031,
        title_en="Central Java test round",
        title_id="Putaran uji Jawa Tengah",
        province=central_java,
    )
    for indicator in framework.indicators.order_by("order")[:3]:
        consolidated_save(
            assessment=assessment,
            indicator=indicator,
            actor=facilitator,
            answer="partial",
            narrative_en=f"Narrative {indicator.code}",
            narrative_id=f"Narasi {indicator.code}",
            check_status=False,
        )
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    assessment.refresh_from_db()
    validation_services.snapshot_create(assessment=assessment, actor=provincial_coordinator)
    return services.profile_create(assessment=assessment, actor=provincial_coordinator)


def manage(client, profile) -> str:
    response = client.get(f"/assessments/{profile.assessment_id}/profiles/")
    assert response.status_code == 200
    return response.content.decode()


def api_publish(user, profile) -> int:
    client = APIClient()
    client.force_authenticate(user)
    render = profile.renders.get(language="en")
    return client.post(f"/api/v1/profiles/{render.pk}/publish/", {}, format="json").status_code


def test_the_province_approves_and_the_national_coordinator_launches(
    provincial_profile, provincial_coordinator, coordinator, django_capture_on_commit_callbacks
):
    profile = provincial_profile
    national = as_user(coordinator)
    # The national coordinator reads and renders the province's profile, but does not approve.
    assert f"/profiles/{profile.pk}/findings/" in manage(national, profile)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = national.post(f"/profiles/{profile.pk}/render/", {"language": "en"})
    assert rendered.status_code == 302
    render_both(profile, provincial_coordinator, django_capture_on_commit_callbacks)
    assert national.post(f"/profiles/{profile.pk}/approve/", CONFIRMED).status_code == 403

    province = as_user(provincial_coordinator)
    approved = province.post(f"/profiles/{profile.pk}/approve/", CONFIRMED, follow=True)
    assert any("Version 1 approved" in m for m in messages_of(approved))
    page = manage(province, profile)
    assert "Its launch (publication) is the national coordinator" in page
    assert "Publish now" not in page
    assert province.post(f"/profiles/{profile.pk}/publish/", CONFIRMED).status_code == 403
    assert api_publish(provincial_coordinator, profile) == 403

    page = manage(national, profile)
    assert "Publish now" in page and 'name="launch_event_id"' in page
    assert "Hand the launch to the province" in page
    asked = national.post(f"/profiles/{profile.pk}/publish/", {"when": "now", **LAUNCH})
    assert asked.status_code == 200
    assert 'name="launch_event_en" value="Public discussion, Jakarta"' in asked.content.decode()
    assert (
        "The public page will say: “Launched on 12 June 2024 at the Public discussion, Jakarta”."
    ) in asked.content.decode()
    published = national.post(
        f"/profiles/{profile.pk}/publish/", {**LAUNCH, **CONFIRMED}, follow=True
    )
    assert any("Version 1 is published" in m for m in messages_of(published))
    profile.refresh_from_db()
    assert (profile.status, profile.published_by) == (Profile.Status.PUBLISHED, coordinator)
    assert profile.launch_date == datetime.date(2024, 6, 12)
    assert (profile.launch_event_en, profile.launch_event_id) == (
        "Public discussion, Jakarta",
        "Diskusi publik, Jakarta",
    )

    # The public page and API show the launch in the reader's language.
    public = as_user(provincial_coordinator)
    html = public.get(f"/profiles/{profile.pk}/").content.decode()
    assert "Launched on 12 June 2024 at the Public discussion, Jakarta." in html
    body = APIClient().get(f"/api/v1/public/profiles/{profile.pk}/").json()
    assert body["launch"]["date"] == "2024-06-12"
    assert (
        body["launch"]["text"]["en"] == "Launched on 12 June 2024 at the Public discussion, Jakarta"
    )
    assert body["launch"]["event"]["id"] == "Diskusi publik, Jakarta"


def test_the_launch_handed_to_the_province_and_taken_back(
    provincial_profile, provincial_coordinator, coordinator, django_capture_on_commit_callbacks
):
    profile = provincial_profile
    render_both(profile, provincial_coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=profile, actor=provincial_coordinator)
    province, national = as_user(provincial_coordinator), as_user(coordinator)
    url = f"/assessments/{profile.assessment_id}/profiles/launch/hand-over/"
    # Only the national coordinator hands it over.
    assert province.post(url, CONFIRMED).status_code == 403
    asked = national.post(url)
    assert "Hand the launch of this round to the province?" in asked.content.decode()
    assert "The provincial coordinators (1) may publish" in asked.content.decode()
    assert not LaunchHandover.objects.exists()
    national.post(url, CONFIRMED)
    assert LaunchHandover.objects.get().handed_by == coordinator
    assert "Take the launch back" in manage(national, profile)

    page = manage(province, profile)
    assert "you may publish the profile" in page and "Publish now" in page
    assert api_publish(provincial_coordinator, profile) == 200
    profile.refresh_from_db()
    assert profile.status == Profile.Status.PUBLISHED
    assert profile.published_by == provincial_coordinator

    take_back = f"/assessments/{profile.assessment_id}/profiles/launch/take-back/"
    national.post(take_back, CONFIRMED)
    assert not LaunchHandover.objects.exists()
    # A correction's version would be the national coordinator's to publish again.
    assert province.post(f"/profiles/{profile.pk}/publish/", CONFIRMED).status_code == 403


def test_a_launch_event_in_one_language_only_is_refused(
    provincial_profile, provincial_coordinator, coordinator, django_capture_on_commit_callbacks
):
    profile = provincial_profile
    render_both(profile, provincial_coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=profile, actor=provincial_coordinator)
    refused = as_user(coordinator).post(
        f"/profiles/{profile.pk}/publish/",
        {"launch_event_en": "Public discussion, Jakarta", **CONFIRMED},
        follow=True,
    )
    assert any(
        "in English and in Bahasa Indonesia, or in neither" in m for m in messages_of(refused)
    )
    profile.refresh_from_db()
    assert profile.status == Profile.Status.APPROVED
