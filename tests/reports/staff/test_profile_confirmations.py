"""Approving and publishing a profile version ask for confirmation first (issue 10, finding
7; config/confirm.py): the first POST changes nothing and says what will happen, what will
be public, who will be told and what is missing; only the confirmed POST acts."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from reports import services
from reports.models import Profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]

JAKARTA = ZoneInfo("Asia/Jakarta")
CONFIRMED = {"confirmed": "yes"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def render(profile, actor, capture, languages=("en", "id")) -> None:
    with capture(execute=True):
        for language in languages:
            services.render_request(profile=profile, language=language, actor=actor)


def test_approval_asks_first_and_is_blocked_while_a_pdf_is_missing(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    render(draft_profile, coordinator, django_capture_on_commit_callbacks, languages=("en",))
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/approve/"
    blocked = client.post(url)
    assert blocked.status_code == 200
    html = blocked.content.decode()
    assert "Approve version 1 of the profile?" in html
    assert "The PDF in Bahasa Indonesia is not rendered yet" in html
    assert 'name="confirmed"' not in html  # blocked: no button that acts
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.DRAFT

    render(draft_profile, coordinator, django_capture_on_commit_callbacks, languages=("id",))
    asked = client.post(url)
    html = asked.content.decode()
    assert "Version 1 can no longer be edited" in html
    assert "Nobody is emailed." in html
    assert 'name="confirmed" value="yes"' in html and f'action="{url}"' in html
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.DRAFT and draft_profile.approved_at is None

    assert client.post(url, CONFIRMED).status_code == 302
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    assert draft_profile.approved_by == coordinator


def test_publishing_says_what_becomes_public_and_who_is_told(
    draft_profile, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    render(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/publish/"
    asked = client.post(url)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Version 1 becomes public now, to anyone, without login." in html
    assert "Its PDF in English will be public." in html
    assert "Its PDF in Bahasa Indonesia will be public." in html
    snapshot = draft_profile.snapshot.number
    assert f"Its data (snapshot no. {snapshot}) will be public as CSV, XLSX, JSON." in html
    assert "The focal points of the" in html and "by email" in html
    assert "The IOM facilitators of this assessment" in html
    draft_profile.refresh_from_db()
    draft_profile.assessment.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    assert draft_profile.assessment.status == "approved"
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, CONFIRMED).status_code == 302
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.PUBLISHED
    assert mailoutbox  # the people the page named were told


def test_an_embargo_is_confirmed_with_its_date_and_kept_through_the_confirmation(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    render(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    when = (timezone.now() + datetime.timedelta(days=10)).astimezone(JAKARTA)
    local = when.strftime("%Y-%m-%dT%H:%M")
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/publish/"
    asked = client.post(url, {"embargo_until": local})
    html = asked.content.decode()
    assert f"Version 1 becomes public on {when.strftime('%-d')}" in html
    assert "(Jakarta time)" in html
    assert f'name="embargo_until" value="{local}"' in html
    assert "On the publication date: " in html
    draft_profile.refresh_from_db()
    assert draft_profile.embargo_until is None

    client.post(url, {"embargo_until": local, **CONFIRMED})
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    assert draft_profile.embargo_until == datetime.datetime.fromisoformat(local).replace(
        tzinfo=JAKARTA
    )


def test_a_later_version_is_published_without_emails_and_supersedes(
    draft_profile, coordinator, django_capture_on_commit_callbacks
):
    render(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    services.profile_publish(profile=draft_profile, actor=coordinator)
    v2 = services.profile_create(
        assessment=draft_profile.assessment, actor=coordinator, correction_note="A typo."
    )
    render(v2, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=v2, actor=coordinator)
    html = as_user(coordinator).post(f"/profiles/{v2.pk}/publish/").content.decode()
    assert "Nobody is emailed" in html
    assert "Version 1, public until then, stays listed as superseded." in html
