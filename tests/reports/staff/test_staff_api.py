"""The profiles' staff API: request renders, poll them, fetch the PDF, approve and publish.

Tasks run eagerly once a request commits (`django_capture_on_commit_callbacks`); PDFs are
the short stand-in of `quick_pdf` unless a test reads the profile's text.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from reports import services
from reports.models import Profile, ProfileRender

from . import test_staff_pages as pages

# Stand-in PDFs: these tests read no PDF text (see quick_pdfs in tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]

media = pages.media
quick_pdf = pages.quick_pdf

JAKARTA = ZoneInfo("Asia/Jakarta")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def request_render(client, assessment, language, capture, execute=True):
    with capture(execute=execute):
        return client.post(
            f"/api/v1/assessments/{assessment.pk}/profiles/", {"language": language}, format="json"
        )


def test_requesting_a_render_creates_version_1_of_an_approved_assessment(
    approved_assessment, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    response = request_render(
        api(coordinator), approved_assessment, "en", django_capture_on_commit_callbacks, False
    )
    assert response.status_code == 202
    body = response.json()
    profile = approved_assessment.profiles.get()
    render = profile.renders.get()
    assert body["id"] == render.pk
    assert body["status"] == "queued" and body["language"] == "en"
    assert body["profile"]["id"] == profile.pk
    assert body["profile"]["version"] == 1 and body["profile"]["status"] == "draft"
    assert body["pdf"] is None


def test_a_render_is_polled_until_done_then_the_pdf_is_served(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = api(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as tasks:
        created = client.post(
            f"/api/v1/assessments/{draft_profile.assessment_id}/profiles/",
            {"language": "id"},
            format="json",
        )
    render_id = created.json()["id"]
    polled = client.get(f"/api/v1/profiles/{render_id}/").json()
    assert (polled["status"], polled["progress"], polled["pdf"]) == ("queued", 0, None)
    assert client.get(f"/api/v1/profiles/{render_id}/pdf").status_code == 404

    for task in tasks:  # the render's task (and the public pages' freshness mark)
        task()
    done = client.get(f"/api/v1/profiles/{render_id}/").json()
    render = ProfileRender.objects.get(pk=render_id)
    assert done["status"] == "done" and done["progress"] == 100
    assert done["pages"] == render.pages and done["checksum"] == render.checksum
    assert done["seconds"] == pytest.approx(render.seconds)
    assert done["error"] == "" and done["language"] == "id"
    assert done["profile"] == {
        "id": draft_profile.pk,
        "assessment": draft_profile.assessment_id,
        "version": 1,
        "status": "draft",
        "snapshot": 1,
        "correction_note": "",
        "created_at": done["profile"]["created_at"],
        "approved_at": None,
        "embargo_until": None,
        "published_at": None,
        "launch_date": None,
        "launch_event_en": "",
        "launch_event_id": "",
    }
    assert done["pdf"] == f"http://testserver/api/v1/profiles/{render_id}/pdf"
    # A PDF client's Accept header does not get in the way.
    pdf = client.get(f"/api/v1/profiles/{render_id}/pdf", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_requesting_the_same_language_twice_reuses_the_render(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = api(coordinator)
    first = request_render(
        client, draft_profile.assessment, "en", django_capture_on_commit_callbacks
    )
    second = request_render(
        client, draft_profile.assessment, "en", django_capture_on_commit_callbacks
    )
    assert first.json()["id"] == second.json()["id"]
    assert draft_profile.renders.count() == 1
    assert draft_profile.assessment.profiles.count() == 1


def test_no_render_before_the_assessment_is_approved(
    validation_assessment, coordinator, django_capture_on_commit_callbacks
):
    response = request_render(
        api(coordinator), validation_assessment, "en", django_capture_on_commit_callbacks
    )
    assert response.status_code == 409
    assert "approve them first" in response.json()["detail"]
    assert not Profile.objects.filter(assessment=validation_assessment).exists()


def test_a_bad_language_is_400(draft_profile, coordinator):
    response = api(coordinator).post(
        f"/api/v1/assessments/{draft_profile.assessment_id}/profiles/",
        {"language": "fr"},
        format="json",
    )
    assert response.status_code == 400
    assert "language" in response.json()


def test_who_may_request_a_render(
    approved_assessment,
    facilitator,
    focal_a,
    provincial_coordinator,
    coordinator,
    django_capture_on_commit_callbacks,
    quick_pdf,
):
    capture = django_capture_on_commit_callbacks
    url = f"/api/v1/assessments/{approved_assessment.pk}/profiles/"
    assert api().post(url, {"language": "en"}).status_code == 401
    assert api(focal_a).post(url, {"language": "en"}).status_code == 404
    assert api(provincial_coordinator).post(url, {"language": "en"}).status_code == 404
    # Only a coordinator creates the first version; then facilitators render too.
    assert request_render(api(facilitator), approved_assessment, "en", capture).status_code == 403
    assert request_render(api(coordinator), approved_assessment, "en", capture).status_code == 202
    assert request_render(api(facilitator), approved_assessment, "id", capture).status_code == 202


def test_the_versions_list(
    draft_profile, facilitator, focal_b, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    pages.render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    url = f"/api/v1/assessments/{draft_profile.assessment_id}/profiles/"
    body = api(facilitator).get(url).json()
    assert [v["version"] for v in body] == [1]
    assert [r["language"] for r in body[0]["renders"]] == ["en", "id"]
    assert all(r["status"] == "done" and r["pdf"] for r in body[0]["renders"])
    assert api(focal_b).get(url).status_code == 404


def test_approve_is_refused_until_both_languages_are_done(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = api(coordinator)
    en = request_render(client, draft_profile.assessment, "en", django_capture_on_commit_callbacks)
    url = f"/api/v1/profiles/{en.json()['id']}/approve/"
    refused = client.post(url)
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith("missing: id.")
    request_render(client, draft_profile.assessment, "id", django_capture_on_commit_callbacks)
    approved = client.post(url)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["approved_at"]
    again = client.post(url)
    assert again.status_code == 409


def test_only_coordinators_of_the_scope_approve_and_publish(
    profile_render_done, facilitator, focal_a, provincial_coordinator
):
    for action in ("approve", "publish"):
        url = f"/api/v1/profiles/{profile_render_done.pk}/{action}/"
        assert api().post(url).status_code == 401
        assert api(focal_a).post(url).status_code == 404
        assert api(provincial_coordinator).post(url).status_code == 404
        assert api(facilitator).post(url).status_code == 403
    for reader in (focal_a, provincial_coordinator):
        assert api(reader).get(f"/api/v1/profiles/{profile_render_done.pk}/").status_code == 404
        assert api(reader).get(f"/api/v1/profiles/{profile_render_done.pk}/pdf").status_code == 404
    assert api().get(f"/api/v1/profiles/{profile_render_done.pk}/").status_code == 401
    assert api(facilitator).get(f"/api/v1/profiles/{profile_render_done.pk}/").status_code == 200


@pytest.fixture
def approved_render(draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf):
    pages.render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    return draft_profile.renders.get(language="en")


def test_publish_needs_approval(draft_profile, coordinator, profile_render_done):
    response = api(coordinator).post(f"/api/v1/profiles/{profile_render_done.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Approve the profile before publishing it."


def test_publish_now(approved_render, coordinator):
    response = api(coordinator).post(f"/api/v1/profiles/{approved_render.pk}/publish/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published" and body["published_at"]
    approved_render.profile.assessment.refresh_from_db()
    assert approved_render.profile.assessment.status == "published"


def test_publish_on_an_embargo_date(approved_render, coordinator):
    when = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    naive_jakarta = when.astimezone(JAKARTA).replace(tzinfo=None).isoformat()
    response = api(coordinator).post(
        f"/api/v1/profiles/{approved_render.pk}/publish/",
        {"embargo_until": naive_jakarta},  # without an offset: Jakarta time
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    profile = Profile.objects.get(pk=approved_render.profile_id)
    assert profile.embargo_until == when
    assert services.publish_due(now=when) == 1
    profile.refresh_from_db()
    assert profile.status == "published" and profile.published_at == when


def test_an_embargo_date_in_the_past_is_400(approved_render, coordinator):
    response = api(coordinator).post(
        f"/api/v1/profiles/{approved_render.pk}/publish/",
        {"embargo_until": "2020-01-01T09:00:00+07:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "embargo_until" in response.json()
    assert Profile.objects.get(pk=approved_render.profile_id).status == "approved"


def test_a_published_profile_is_corrected_by_a_new_version_not_rendered_again(
    approved_render, coordinator, django_capture_on_commit_callbacks
):
    api(coordinator).post(f"/api/v1/profiles/{approved_render.pk}/publish/")
    response = request_render(
        api(coordinator),
        approved_render.profile.assessment,
        "en",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 409
    assert "new version" in response.json()["detail"]
