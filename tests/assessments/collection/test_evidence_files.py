"""Evidence files: stored under random names with the detected type's extension, reached
only through the download page and API, which ask `permissions.can_download_evidence`
first; nothing under /media/ is served, with DEBUG on or off.

`evidence_file_a` (tests/conftest.py) is a PDF that Kemnaker's focal point uploaded as
"Permenaker 9-2019.pdf" to the national assessment.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import clear_url_caches, reverse
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.models import Evidence
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion
from ministries.models import Institution, User
from ministries.tokens import token_create
from tests.conftest import EVIDENCE_PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A whole 1x1 PNG (valid chunk checksums: uploads must decode, config/uploads.py).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc````\x00\x00\x00\x05\x00\x01\xa5\xf6E@\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
STORED = re.compile(r"^evidence/([0-9a-f]{2})/(\1[0-9a-f]{30})\.(\w+)$")
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
# Kemnaker's PDF in the national assessment: who gets it (200) and who does not. The
# provincial coordinator (Central Java), another facilitator and BP2MI's focal point do not
# see it at all (404); anonymous visitors are sent to log in (page) or refused (API, 401).
PAGE = {
    "anonymous": 302,
    "coordinator": 200,
    "provincial_coordinator": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "focal_a": 200,
    "focal_b": 404,
    "administrator": 200,
}
API = {**PAGE, "anonymous": 401}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_facilitator(db) -> User:
    """A facilitator who does not facilitate the national assessment."""
    return UserFactory(username="t-facilitator-2", role=User.Role.FACILITATOR)


def page_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user)[1]}")
    return client


def person(request, who: str) -> User | None:
    return None if who == "anonymous" else request.getfixturevalue(who)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_pdf_attachment(response) -> None:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Permenaker 9-2019.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert body(response) == EVIDENCE_PDF


# --- who gets the file ------------------------------------------------------------------


def test_the_download_page_and_api_give_the_file_only_to_those_who_may_have_it(
    request, evidence_file_a
):
    got = {}
    for who in PERSONAS:
        user = person(request, who)
        page = page_client(user).get(f"/evidence/{evidence_file_a.pk}/file")
        api = api_client(user).get(
            f"/api/v1/evidence/{evidence_file_a.pk}/file/", HTTP_ACCEPT="application/json"
        )
        got[who] = (page.status_code, api.status_code)
        for response in (page, api):
            if response.status_code == 200:
                assert_pdf_attachment(response)
        if who == "anonymous":
            assert page["Location"].startswith("/accounts/login/")
        if api.status_code != 200:
            assert api["Content-Type"] == "application/json"  # the error, not the file
    assert got == {who: (PAGE[who], API[who]) for who in PERSONAS}


def test_a_national_coordinator_sees_provincial_evidence_but_may_not_download_it(
    coordinator, provincial_coordinator, central_java, other_facilitator
):
    assessment = setup_services.assessment_create(
        actor=provincial_coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-local-2023"),
        province=central_java,
        year=2030,
        title_en="Central Java",
        title_id="Jawa Tengah",
    )
    institution = Institution.objects.filter(province=central_java).first()
    focal = UserFactory(
        username="t-focal-jateng", role=User.Role.FOCAL_POINT, institution=institution
    )
    evidence = collection_services.evidence_create(
        assessment=assessment,
        institution=institution,
        actor=focal,
        kind="file",
        title="Pergub 2/2029",
        file=SimpleUploadedFile("Pergub.pdf", EVIDENCE_PDF),
    )
    url = f"/evidence/{evidence.pk}/file"
    assert page_client(provincial_coordinator).get(url).status_code == 200
    assert page_client(focal).get(url).status_code == 200
    # Not of the assessment's scope: a member without the right (403), not a stranger.
    assert page_client(coordinator).get(url).status_code == 403
    assert api_client(coordinator).get(f"/api/v1{url}/").status_code == 403
    assert page_client(other_facilitator).get(url).status_code == 404


def test_evidence_without_a_file_has_no_download(focal_a, national_assessment):
    link = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="link",
        title="Law 18/2017",
        url="https://example.org/uu-18-2017",
    )
    assert page_client(focal_a).get(f"/evidence/{link.pk}/file").status_code == 404
    assert api_client(focal_a).get(f"/api/v1/evidence/{link.pk}/file/").status_code == 404


def test_a_file_missing_from_the_storage_is_404_not_an_error(focal_a, evidence_file_a):
    evidence_file_a.file.storage.delete(evidence_file_a.file.name)
    assert page_client(focal_a).get(f"/evidence/{evidence_file_a.pk}/file").status_code == 404


# --- how it is stored -------------------------------------------------------------------


def test_the_file_is_stored_under_a_random_name_and_the_original_name_is_kept(
    evidence_file_a, media
):
    match = STORED.match(evidence_file_a.file.name)
    assert match, evidence_file_a.file.name
    assert match.group(3) == "pdf"
    assert evidence_file_a.original_name == "Permenaker 9-2019.pdf"
    assert "Permenaker" not in evidence_file_a.file.name
    assert (Path(media) / evidence_file_a.file.name).read_bytes() == EVIDENCE_PDF


def test_a_png_named_html_is_stored_and_served_as_a_png(client, focal_a, national_assessment):
    client.force_login(focal_a)
    upload = SimpleUploadedFile("report.html", PNG, content_type="text/html")
    response = client.post(
        f"/assessments/{national_assessment.pk}/evidence/",
        {"kind": "file", "title": "Organisation chart", "file": upload},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    evidence = Evidence.objects.get(assessment=national_assessment, title="Organisation chart")
    assert evidence.content_type == "image/png"
    assert evidence.original_name == "report.html"
    match = STORED.match(evidence.file.name)
    assert match and match.group(3) == "png"

    download = client.get(f"/evidence/{evidence.pk}/file")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    # An attachment, named as uploaded but with the extension of what it is: saved to disk
    # it opens as the image it is, never as a page.
    assert download["Content-Disposition"] == 'attachment; filename="report.png"'
    assert body(download) == PNG


def test_a_name_in_another_script_is_given_back_in_utf_8(client, focal_a, national_assessment):
    evidence = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="file",
        title="",
        file=SimpleUploadedFile("Peraturan – pasal 5 “final”.pdf", EVIDENCE_PDF),
    )
    assert evidence.title == "Peraturan – pasal 5 “final”.pdf"
    client.force_login(focal_a)
    response = client.get(f"/evidence/{evidence.pk}/file")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Peraturan%20%E2%80%93%20pasal%205%20"
        "%E2%80%9Cfinal%E2%80%9D.pdf"
    )


def test_serve_file_sets_its_own_headers_and_shows_only_pdfs_inline(evidence_file_a):
    """Called directly, without the middleware (whose nosniff depends on a setting)."""
    from config.files import serve_file

    as_html = serve_file(
        evidence_file_a.file, filename="x.html", content_type="text/html", inline=True
    )
    assert as_html["X-Content-Type-Options"] == "nosniff"
    assert as_html["Content-Disposition"] == 'attachment; filename="x.html"'
    assert "private" in as_html["Cache-Control"]
    as_pdf = serve_file(
        evidence_file_a.file, filename="x.pdf", content_type="application/pdf", inline=True
    )
    assert as_pdf["Content-Disposition"] == 'inline; filename="x.pdf"'
    assert as_pdf["X-Content-Type-Options"] == "nosniff"
    as_html.close()
    as_pdf.close()


# --- nothing under /media/ --------------------------------------------------------------


def reload_urls(settings, debug: bool) -> None:
    import config.urls

    settings.DEBUG = debug
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.parametrize("debug", [False, True])
def test_nothing_under_media_is_served_with_debug_on_or_off(
    settings, debug, administrator, evidence_file_a
):
    reload_urls(settings, debug)
    try:
        client = page_client(administrator)
        assert client.get(f"/media/{evidence_file_a.file.name}").status_code == 404
        assert Client().get(f"/media/{evidence_file_a.file.name}").status_code == 404
        # The same file, through its door.
        assert client.get(f"/evidence/{evidence_file_a.pk}/file").status_code == 200
    finally:
        reload_urls(settings, False)


# --- handed to the front web server ---------------------------------------------------


def test_x_accel_redirect_hands_the_file_to_nginx_with_the_headers_and_no_body(
    settings, focal_a, evidence_file_a
):
    settings.MGI_FILE_SERVING = "x-accel-redirect"
    settings.MGI_X_ACCEL_PREFIX = "/protected-media/"
    response = page_client(focal_a).get(f"/evidence/{evidence_file_a.pk}/file")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence_file_a.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Permenaker 9-2019.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""


def test_x_sendfile_hands_the_absolute_path_to_the_server_and_no_body(
    settings, media, focal_a, evidence_file_a
):
    settings.MGI_FILE_SERVING = "x-sendfile"
    response = api_client(focal_a).get(f"/api/v1/evidence/{evidence_file_a.pk}/file/")
    assert response.status_code == 200
    assert response["X-Sendfile"] == str(Path(media) / evidence_file_a.file.name)
    assert Path(response["X-Sendfile"]).is_absolute()
    assert response["Content-Disposition"] == 'attachment; filename="Permenaker 9-2019.pdf"'
    assert response.content == b""


def test_the_front_server_modes_still_ask_the_permissions_first(settings, focal_b, evidence_file_a):
    settings.MGI_FILE_SERVING = "x-accel-redirect"
    response = page_client(focal_b).get(f"/evidence/{evidence_file_a.pk}/file")
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_an_unknown_serving_mode_is_a_configuration_error(settings, focal_a, evidence_file_a):
    settings.MGI_FILE_SERVING = "symlink"
    with pytest.raises(ImproperlyConfigured, match="MGI_FILE_SERVING"):
        page_client(focal_a).get(f"/evidence/{evidence_file_a.pk}/file")


# --- links where evidence is shown --------------------------------------------------------


def test_every_page_that_shows_file_evidence_links_to_its_download(
    client, focal_a, facilitator, response_a, evidence_file_a
):
    collection_services.response_add_evidence(
        response=response_a, actor=focal_a, version=response_a.version, evidence=evidence_file_a
    )
    link = f'href="{reverse("evidence_file", args=[evidence_file_a.pk])}"'
    assert link == f'href="/evidence/{evidence_file_a.pk}/file"'
    client.force_login(focal_a)
    pages = {
        "entry": f"/assessments/{response_a.assessment_id}/entry/",
        "library": f"/assessments/{response_a.assessment_id}/evidence/",
        "thread": f"/responses/{response_a.pk}/thread/",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert link in html, name
        assert "/media/" not in html, name
    client.force_login(facilitator)
    html = client.get(f"/assessments/{response_a.assessment_id}/institutions/KEMNAKER/")
    assert link in html.content.decode()
    # The consolidation page's evidence items.
    assert link in render_to_string(
        "assessments/consolidation_evidence_item.html", {"item": evidence_file_a}
    )


def test_the_api_gives_the_download_url_as_file_and_null_without_one(
    focal_a, response_a, evidence_file_a
):
    collection_services.response_add_evidence(
        response=response_a, actor=focal_a, version=response_a.version, evidence=evidence_file_a
    )
    client = api_client(focal_a)
    client.post(
        f"/api/v1/responses/{response_a.pk}/evidence/",
        {"kind": "link", "title": "Law 18/2017", "url": "https://example.org/uu-18-2017"},
        format="json",
    )
    items = client.get(f"/api/v1/responses/{response_a.pk}/evidence/").json()
    files = {item["title"]: item["file"] for item in items}
    assert files == {
        "Ministerial regulation 9/2019": f"/api/v1/evidence/{evidence_file_a.pk}/file/",
        "Law 18/2017": None,
    }
    assert client.get(files["Ministerial regulation 9/2019"]).status_code == 200
