"""Profile PDFs: stored under random names, served only by the views that ask
reports/permissions.py (the staff of the assessment's scope at every stage, anyone once the
version is published and out of embargo), inline, named after the profile, never through
/media/. Migration reports 0002 moves the old, guessable files and back.

PDFs are the one-page stand-ins of `quick_pdfs` (tests/conftest.py).
"""

import datetime
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from ministries.models import User
from ministries.tokens import token_create
from reports import permissions, services
from reports.models import Profile, ProfileRender
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]

STORED = re.compile(r"^profiles/([0-9a-f]{2})/\1[0-9a-f]{30}\.pdf$")
FILENAME = "mgi-profile-2030-indonesia-v1-en.pdf"
PERSONAS = [
    "anonymous",
    "coordinator",
    "provincial_coordinator",
    "facilitator",
    "other_facilitator",
    "focal_a",
    "focal_b",
    "administrator",
]
# Before publication (a draft, or approved for publication on a later date): the staff of
# the national assessment's scope only. The provincial coordinator, another facilitator and
# the focal points do not see it (404); anonymous visitors are sent to log in (401 API).
STAFF = {
    "anonymous": 302,
    "coordinator": 200,
    "provincial_coordinator": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "focal_a": 404,
    "focal_b": 404,
    "administrator": 200,
}
# Published: everyone who is signed in, on the staff URLs too.
PUBLISHED = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_facilitator(db) -> User:
    return UserFactory(username="t-facilitator-2", role=User.Role.FACILITATOR)


def render_both(profile, coordinator, capture) -> None:
    with capture(execute=True):
        for language in ("en", "id"):
            services.render_request(profile=profile, language=language, actor=coordinator)


@pytest.fixture(params=["draft", "embargoed", "published"])
def stage(request, draft_profile, coordinator, django_capture_on_commit_callbacks):
    """The English render of version 1 at each stage: (stage, render)."""
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    profile = draft_profile
    if request.param != "draft":
        profile = services.profile_approve(profile=profile, actor=coordinator)
        later = timezone.now() + datetime.timedelta(days=30)
        embargo = later if request.param == "embargoed" else None
        profile = services.profile_publish(
            profile=profile, actor=coordinator, embargo_until=embargo
        )
    return request.param, profile.renders.get(language="en")


def client_for(request, who: str, *, api: bool) -> Client:
    """A signed-in client (a session for the pages, a token for the API), or none."""
    if api:
        api_client = APIClient()
        if who != "anonymous":
            _, token = token_create(user=request.getfixturevalue(who))
            api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return api_client
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def assert_inline_pdf(response) -> None:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{FILENAME}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_staff_urls_give_the_pdf_to_the_scope_and_to_everyone_once_published(stage, request):
    """Every persona asks for the same render (built once: an approved assessment takes
    seconds), on the staff page and the staff API."""
    name, render = stage
    expected = PUBLISHED if name == "published" else STAFF
    got = {}
    for who in PERSONAS:
        page = client_for(request, who, api=False).get(f"/profiles/renders/{render.pk}/pdf")
        api = client_for(request, who, api=True).get(f"/api/v1/profiles/{render.pk}/pdf")
        got[who] = (page.status_code, api.status_code)
        if page.status_code == 200:
            assert_inline_pdf(page)
        if api.status_code == 200:
            assert_inline_pdf(api)
    assert got == {
        who: (status, 401 if who == "anonymous" else status) for who, status in expected.items()
    }


def test_the_public_url_gives_the_pdf_to_everyone_once_published_and_to_nobody_before(
    stage, request
):
    # Staff read an unpublished PDF on the staff URL: no public link shows it early.
    name, render = stage
    expected = 200 if name == "published" else 404
    got = {}
    for who in PERSONAS:
        response = client_for(request, who, api=False).get(f"/profiles/{render.profile_id}/en.pdf")
        got[who] = response.status_code
        if response.status_code == 200:
            assert_inline_pdf(response)
            assert response["Content-Language"] == "en"
    assert got == dict.fromkeys(PERSONAS, expected)


def test_a_published_version_still_under_embargo_is_not_public(draft_profile):
    """Publication clears the embargo; should a published row still carry a future date,
    the date wins."""
    draft_profile.status = Profile.Status.PUBLISHED
    draft_profile.embargo_until = timezone.now() + datetime.timedelta(hours=1)
    assert not permissions.profile_is_public(draft_profile)
    draft_profile.embargo_until = timezone.now() - datetime.timedelta(hours=1)
    assert permissions.profile_is_public(draft_profile)
    draft_profile.status = Profile.Status.SUPERSEDED
    assert permissions.profile_is_public(draft_profile)


def test_the_pdf_is_stored_under_a_random_name_and_not_served_from_media(
    profile_render_done, coordinator, settings
):
    name = profile_render_done.file.name
    assert STORED.match(name), name
    assert "mgi-profile" not in name  # the old, guessable name
    client = Client()
    client.force_login(coordinator)
    assert client.get(f"/media/{name}").status_code == 404


def test_x_accel_redirect_sends_the_pdf_through_nginx_inline(published_profile, settings):
    settings.MGI_FILE_SERVING = "x-accel-redirect"
    settings.MGI_X_ACCEL_PREFIX = "/internal/files"
    render = published_profile.renders.get(language="en")
    response = Client().get(f"/profiles/{published_profile.pk}/en.pdf")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal/files/{render.file.name}"
    assert response["Content-Disposition"] == f'inline; filename="{FILENAME}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""


# --- migration 0002: the old names and back ---------------------------------------------

migration = importlib.import_module("reports.migrations.0002_profile_files_stored_names")
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


def test_old_profile_pdfs_move_to_random_names_and_back(
    profile_render_done, django_capture_on_commit_callbacks
):
    render = profile_render_done
    profile = render.profile
    storage = render.file.storage
    with storage.open(render.file.name, "rb") as handle:
        pdf = handle.read()
    storage.delete(render.file.name)
    old_name = f"profiles/mgi-profile-{profile.assessment_id}-v{profile.version}-en.pdf"
    old = storage.save(old_name, ContentFile(pdf))
    ProfileRender.objects.filter(pk=render.pk).update(file=old)

    with django_capture_on_commit_callbacks(execute=False):
        migration.profiles_to_random_names(apps, SCHEMA_EDITOR)
    render.refresh_from_db()
    assert STORED.match(render.file.name)
    assert storage.exists(old)  # deleted only once the migration commits
    storage.delete(render.file.name)
    ProfileRender.objects.filter(pk=render.pk).update(file=old)

    with django_capture_on_commit_callbacks(execute=True):
        migration.profiles_to_random_names(apps, SCHEMA_EDITOR)
    render.refresh_from_db()
    new = render.file.name
    assert STORED.match(new) and storage.exists(new) and not storage.exists(old)
    with storage.open(new, "rb") as handle:
        assert handle.read() == pdf

    with django_capture_on_commit_callbacks(execute=True):
        migration.profiles_to_old_names(apps, SCHEMA_EDITOR)
    render.refresh_from_db()
    assert render.file.name == old_name
    assert storage.exists(old_name) and not storage.exists(new)
