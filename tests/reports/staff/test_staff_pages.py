"""The profiles' staff pages: versions, renders and their self-updating status, approval,
publication now or on an embargo date, corrections (findings: test_staff_findings.py).

Tasks run eagerly when a request commits (`django_capture_on_commit_callbacks`). Most tests
render a short stand-in document (`quick_pdf`): they are about the workflow, not the
profile's layout, whose PDF text tests/reports/test_render_worker.py and
test_staff_render_service.py read back.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from reports import services
from reports.models import Finding, Profile, ProfileRender
from tests.test_pages_security_a11y import PageAudit

# Stand-in PDFs: these tests read no PDF text (see quick_pdfs in tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]

JAKARTA = ZoneInfo("Asia/Jakarta")
HTMX = {"HX-Request": "true"}
CONFIRMED = {"confirmed": "yes"}  # the POST from the confirmation page (config/confirm.py)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def quick_pdf(monkeypatch):
    """Render a short stand-in for the profile: its title and every finding's text in the
    language (the full layout takes about 5 s a language)."""

    def short_html(profile: Profile, language: str) -> str:
        texts = "".join(
            f"<p>{escape(getattr(f, f'text_{language}'))}</p>" for f in profile.findings.all()
        )
        return (
            f'<!DOCTYPE html><html lang="{language}"><body><h1>Profile v{profile.version} '
            f"{language}</h1>{texts}</body></html>"
        )

    monkeypatch.setattr(services, "profile_html", short_html)


def render_both(profile, actor, capture) -> None:
    with capture(execute=True):
        for language in ("en", "id"):
            services.render_request(profile=profile, language=language, actor=actor)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def manage_url(assessment) -> str:
    return f"/assessments/{assessment.pk}/profiles/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who sees what ----------------------------------------------------------------------------


def test_coordinator_sees_the_draft_with_its_renders_and_the_approval(draft_profile, coordinator):
    page = as_user(coordinator).get(manage_url(draft_profile.assessment))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Version 1" in html
    assert "Render (English)" in html and "Render (Bahasa Indonesia)" in html
    assert f'action="/profiles/{draft_profile.pk}/approve/"' in html
    assert f"/profiles/{draft_profile.pk}/findings/" in html
    assert "Not rendered yet." in html
    # Nothing is rendering, so nothing polls.
    assert "hx-trigger" not in html


def test_facilitator_renders_and_edits_but_does_not_approve_or_publish(
    draft_profile, facilitator, django_capture_on_commit_callbacks, quick_pdf
):
    client = as_user(facilitator)
    html = client.get(manage_url(draft_profile.assessment)).content.decode()
    assert "Render (English)" in html
    assert "Edit the findings" in html
    assert "/approve/" not in html and "/publish/" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/profiles/{draft_profile.pk}/render/", {"language": "en"})
    assert response.status_code == 302
    assert draft_profile.renders.get().status == ProfileRender.Status.DONE
    assert client.post(f"/profiles/{draft_profile.pk}/approve/").status_code == 403
    assert client.post(f"/profiles/{draft_profile.pk}/publish/").status_code == 403
    new = client.post(f"/assessments/{draft_profile.assessment_id}/profiles/new/")
    assert new.status_code == 403


@pytest.mark.parametrize("stranger", ["provincial_coordinator", "focal_a", "focal_b"])
def test_strangers_get_404_everywhere(profile_render_done, stranger, request):
    client = as_user(request.getfixturevalue(stranger))
    profile = profile_render_done.profile
    finding = profile.findings.first()
    gets = [
        manage_url(profile.assessment),
        f"/profiles/{profile.pk}/findings/",
        f"/profiles/renders/{profile_render_done.pk}/status/",
        f"/profiles/renders/{profile_render_done.pk}/pdf",
    ]
    posts = [
        f"/assessments/{profile.assessment_id}/profiles/new/",
        f"/profiles/{profile.pk}/render/",
        f"/profiles/{profile.pk}/approve/",
        f"/profiles/{profile.pk}/publish/",
        f"/profiles/{profile.pk}/findings/{finding.pk}/save/",
        f"/profiles/{profile.pk}/findings/{finding.pk}/delete/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"language": "en", "text_en": "x", "text_id": "x"}).status_code == (
            404
        ), url
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login(draft_profile):
    response = Client().get(manage_url(draft_profile.assessment))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- creating the first version ---------------------------------------------------------------


def test_coordinator_creates_version_1_from_the_approved_assessment(
    approved_assessment, coordinator
):
    client = as_user(coordinator)
    html = client.get(manage_url(approved_assessment)).content.decode()
    assert "Create version 1" in html
    assert 'name="correction_note"' not in html  # no note for the first version
    response = client.post(f"/assessments/{approved_assessment.pk}/profiles/new/", follow=True)
    profile = approved_assessment.profiles.get()
    assert (profile.version, profile.status, profile.snapshot.number) == (1, "draft", 1)
    assert profile.findings.count() > 0
    assert any("Version 1 created" in m for m in messages_of(response))


def test_no_profile_before_the_validation_is_approved(validation_assessment, coordinator):
    client = as_user(coordinator)
    html = client.get(manage_url(validation_assessment)).content.decode()
    assert "approve the validation first" in html
    response = client.post(f"/assessments/{validation_assessment.pk}/profiles/new/", follow=True)
    assert not validation_assessment.profiles.exists()
    assert any("approve them first" in m for m in messages_of(response))


# --- renders and the page that updates itself -------------------------------------------------


def test_the_status_polls_while_queued_and_stops_once_done(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = as_user(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as tasks:
        response = client.post(
            f"/profiles/{draft_profile.pk}/render/", {"language": "en"}, headers=HTMX
        )
    render = draft_profile.renders.get(language="en")
    assert render.status == ProfileRender.Status.QUEUED
    fragment = response.content.decode()
    # The fragment swapped in place polls its own status every two seconds.
    status_url = f"/profiles/renders/{render.pk}/status/"
    assert f'hx-get="{status_url}"' in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert "Queued" in fragment
    assert "<html" not in fragment

    page = client.get(manage_url(draft_profile.assessment)).content.decode()
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 2s"' in page

    ProfileRender.objects.filter(pk=render.pk).update(status="rendering", progress=30)
    polled = client.get(status_url, headers=HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in polled
    assert "Rendering" in polled and 'value="30"' in polled

    ProfileRender.objects.filter(pk=render.pk).update(status="queued", progress=0)
    for task in tasks:  # the worker's turn
        task()
    done = client.get(status_url, headers=HTMX).content.decode()
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.DONE
    assert "hx-trigger" not in done and "hx-get" not in done  # polling stops
    assert f'href="/profiles/renders/{render.pk}/pdf"' in done
    assert "Render again (English)" in done
    assert render.checksum in done
    assert f"<dd>{render.pages}</dd>" in done


def test_a_failed_render_shows_its_error_and_can_be_retried(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = as_user(coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        services.render_request(profile=draft_profile, language="id", actor=coordinator)
    render = draft_profile.renders.get()
    services.render_fail(render_id=render.pk, error="OSError: disk full")
    fragment = client.get(f"/profiles/renders/{render.pk}/status/").content.decode()
    assert "Failed" in fragment and "OSError: disk full" in fragment
    assert "hx-trigger" not in fragment
    assert "Retry (Bahasa Indonesia)" in fragment
    assert client.get(f"/profiles/renders/{render.pk}/pdf").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(
            f"/profiles/{draft_profile.pk}/render/", {"language": "id"}, headers=HTMX
        )
    assert retried.status_code == 200
    # The fragment shows it queued again, polling; the task ran once the request committed.
    assert 'hx-trigger="every 2s"' in retried.content.decode()
    render.refresh_from_db()
    assert render.status == ProfileRender.Status.DONE and render.error == ""
    done = client.get(f"/profiles/renders/{render.pk}/status/").content.decode()
    assert "Download PDF (Bahasa Indonesia)" in done


def test_the_pdf_is_served_only_once_done(
    draft_profile, facilitator, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    with django_capture_on_commit_callbacks(execute=False) as tasks:
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    client = as_user(facilitator)
    url = f"/profiles/renders/{render.pk}/pdf"
    assert client.get(url).status_code == 404
    for task in tasks:  # the render's task (and the public pages' freshness mark)
        task()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    render.refresh_from_db()
    import hashlib

    assert hashlib.sha256(body).hexdigest() == render.checksum


def test_a_bad_language_is_refused(draft_profile, coordinator):
    response = as_user(coordinator).post(
        f"/profiles/{draft_profile.pk}/render/", {"language": "fr"}
    )
    assert response.status_code == 404
    assert not draft_profile.renders.exists()


# --- approval and publication -----------------------------------------------------------------


def test_approval_is_refused_until_both_languages_are_rendered(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/approve/"
    refused = client.post(url, CONFIRMED, follow=True)
    assert any("missing: en, id" in m for m in messages_of(refused))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/profiles/{draft_profile.pk}/render/", {"language": "en"})
    refused = client.post(url, CONFIRMED, follow=True)
    assert any("missing: id" in m for m in messages_of(refused))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/profiles/{draft_profile.pk}/render/", {"language": "id"})
    approved = client.post(url, CONFIRMED, follow=True)
    assert any("Version 1 approved" in m for m in messages_of(approved))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    assert draft_profile.approved_by == coordinator
    html = approved.content.decode()
    assert "Publish now" in html and 'type="datetime-local"' in html


def test_publish_now(draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    response = as_user(coordinator).post(
        f"/profiles/{draft_profile.pk}/publish/", CONFIRMED, follow=True
    )
    assert any("Version 1 is published" in m for m in messages_of(response))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.PUBLISHED
    assert draft_profile.published_by == coordinator and draft_profile.published_at
    draft_profile.assessment.refresh_from_db()
    assert draft_profile.assessment.status == "published"


def test_publish_on_an_embargo_date_in_jakarta_time_then_the_periodic_task(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    when = (timezone.now() + datetime.timedelta(days=10)).astimezone(JAKARTA)
    local = when.strftime("%Y-%m-%dT%H:%M")
    response = as_user(coordinator).post(
        f"/profiles/{draft_profile.pk}/publish/",
        {"embargo_until": local, **CONFIRMED},
        follow=True,
    )
    assert any("(Jakarta time)" in m for m in messages_of(response))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED
    expected = datetime.datetime.fromisoformat(local).replace(tzinfo=JAKARTA)
    assert draft_profile.embargo_until == expected
    # 10:00 in Jakarta is 03:00 UTC: the zone is Jakarta's, not the server's or the browser's.
    assert draft_profile.embargo_until.utcoffset() is not None
    html = response.content.decode()
    assert "Publication scheduled" in html

    assert services.publish_due(now=expected - datetime.timedelta(minutes=1)) == 0
    assert services.publish_due(now=expected) == 1
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.PUBLISHED
    assert draft_profile.published_at == expected and draft_profile.embargo_until is None


def test_a_past_or_garbled_embargo_date_is_refused(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    client = as_user(coordinator)
    url = f"/profiles/{draft_profile.pk}/publish/"
    past = client.post(url, {"embargo_until": "2020-01-01T10:00"}, follow=True)
    assert any("must be in the future" in m for m in messages_of(past))
    garbled = client.post(url, {"embargo_until": "next tuesday"}, follow=True)
    assert any("date and time" in m for m in messages_of(garbled))
    draft_profile.refresh_from_db()
    assert draft_profile.status == Profile.Status.APPROVED and draft_profile.embargo_until is None


def test_a_correction_is_a_new_version_that_supersedes_the_old(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    services.profile_publish(profile=draft_profile, actor=coordinator)
    client = as_user(coordinator)
    assessment = draft_profile.assessment
    page = client.get(manage_url(assessment)).content.decode()
    assert 'name="correction_note"' in page and "Create a new version" in page

    refused = client.post(f"/assessments/{assessment.pk}/profiles/new/", follow=True)
    assert any("Say what the new version corrects" in m for m in messages_of(refused))
    client.post(
        f"/assessments/{assessment.pk}/profiles/new/",
        {"correction_note": "Dimension 4: the health finding restated."},
    )
    v2 = assessment.profiles.get(version=2)
    assert v2.status == Profile.Status.DRAFT
    render_both(v2, coordinator, django_capture_on_commit_callbacks)
    client.post(f"/profiles/{v2.pk}/approve/", CONFIRMED)
    client.post(f"/profiles/{v2.pk}/publish/", CONFIRMED)

    draft_profile.refresh_from_db()
    v2.refresh_from_db()
    assert (draft_profile.status, v2.status) == ("superseded", "published")
    html = client.get(manage_url(assessment)).content.decode()
    rows = re.findall(r'<tr id="version-(\d+)">(.*?)</tr>', html, flags=re.S)
    assert [number for number, _ in rows] == ["2", "1"]
    old = dict(rows)["1"]
    assert "Superseded" in old
    assert timezone.localtime(draft_profile.published_at).strftime("%Y") in old
    # The superseded version's PDFs stay downloadable by staff.
    for render in draft_profile.renders.all():
        assert f"/profiles/renders/{render.pk}/pdf" in old
    assert "Dimension 4: the health finding restated." in dict(rows)["2"]


# --- page hygiene and query counts ------------------------------------------------------------


def test_profile_page_has_no_inline_script_or_style_and_labelled_fields(
    draft_profile, coordinator, django_capture_on_commit_callbacks, quick_pdf
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    response = as_user(coordinator).get(manage_url(draft_profile.assessment))
    audit = PageAudit()
    audit.feed(response.content.decode())
    assert audit.inline_scripts == 0 and audit.inline_styles == 0
    assert not [f for f in audit.fields if f.get("id") not in audit.labels]
    assert audit.h1 == 1


def test_profile_page_query_count_does_not_grow_with_versions(
    draft_profile,
    coordinator,
    facilitator,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    quick_pdf,
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    services.profile_approve(profile=draft_profile, actor=coordinator)
    services.profile_publish(profile=draft_profile, actor=coordinator)
    v2 = services.profile_create(
        assessment=draft_profile.assessment, actor=coordinator, correction_note="Typo."
    )
    render_both(v2, coordinator, django_capture_on_commit_callbacks)
    url = manage_url(draft_profile.assessment)

    client = as_user(coordinator)
    # 1 session, 2 user, 3 the assessment (visibility + framework, province),
    # 4 the versions (with snapshot number and people), 5 their renders (prefetch).
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200

    # A facilitator's visibility is a join on the assessment's facilitators: same count.
    client = as_user(facilitator)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200

    # The fragment that polls: 1 session, 2 user, 3 the render with profile and assessment.
    render = v2.renders.first()
    with django_assert_num_queries(3):
        client.get(f"/profiles/renders/{render.pk}/status/")
