"""The public profiles API: no login; published and superseded versions only."""

import csv
import io
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reports import services
from reports.models import Profile

# Stand-in PDFs: these tests read no PDF text (see quick_pdfs in tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_pdfs")]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_list_gives_published_versions_with_their_files(published_profile, api):
    response = api.get("/api/v1/public/profiles/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    pk = published_profile.pk
    assert item["id"] == pk
    assert item["assessment"] == published_profile.assessment_id
    assert item["title"] == {"en": "Test national assessment", "id": "Asesmen nasional uji"}
    assert item["profile_title"]["en"] == (
        "Migration Governance Indicators Profile 2030 – Republic of Indonesia"
    )
    assert item["scope"] == "national"
    assert item["province"] is None
    assert item["year"] == 2030
    assert item["version"] == 1
    assert item["status"] == "published"
    assert item["published_at"]
    assert item["snapshot"] == 1
    assert item["is_demo"] is False
    assert item["url"] == f"http://testserver/profiles/{pk}/"
    assert item["pdf"] == {
        "en": f"http://testserver/profiles/{pk}/en.pdf",
        "id": f"http://testserver/profiles/{pk}/id.pdf",
    }
    assert item["data"] == {
        fmt: f"http://testserver/api/v1/public/profiles/{pk}/data.{fmt}"
        for fmt in ("csv", "xlsx", "json")
    }
    assert "findings" not in item and "score" not in item

    detail = api.get(f"/api/v1/public/profiles/{pk}/")
    assert detail.status_code == 200
    assert detail.json() == item
    # Every link works without a login.
    for url in [item["url"], *item["pdf"].values(), *item["data"].values()]:
        assert api.get(url).status_code == 200, url


def test_a_stale_token_does_not_turn_a_public_read_into_401(published_profile, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/public/profiles/").status_code == 200
    assert api.get(f"/api/v1/public/profiles/{published_profile.pk}/").status_code == 200
    assert api.get(f"/api/v1/public/profiles/{published_profile.pk}/data.json").status_code == 200


def test_api_data_files_are_the_page_files(published_profile, api):
    pk = published_profile.pk
    page = Client()
    files = {}
    for fmt in ("csv", "json"):
        from_api = api.get(f"/api/v1/public/profiles/{pk}/data.{fmt}")
        from_page = page.get(f"/profiles/{pk}/data.{fmt}")
        assert from_api.status_code == 200
        assert from_api["Content-Type"] == from_page["Content-Type"]
        assert from_api["Content-Disposition"] == from_page["Content-Disposition"]
        assert from_api.content == from_page.content
        files[fmt] = from_api.content
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert len(json.loads(files["json"])["rows"]) == len(rows)
    xlsx = api.get(f"/api/v1/public/profiles/{pk}/data.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK\x03\x04")
    assert api.get(f"/api/v1/public/profiles/{pk}/data.pdf").status_code == 404


def test_unpublished_profiles_are_absent_and_404(draft_profile, api, coordinator):
    api.force_authenticate(coordinator)  # even the coordinator: staff have their own API
    assert api.get("/api/v1/public/profiles/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert api.get(f"/api/v1/public/profiles/{draft_profile.pk}/").status_code == 404
    for fmt in ("csv", "xlsx", "json"):
        url = f"/api/v1/public/profiles/{draft_profile.pk}/data.{fmt}"
        assert api.get(url).status_code == 404


def test_correction_lists_both_versions_with_their_status(
    published_profile, coordinator, django_capture_on_commit_callbacks, api
):
    v2 = services.profile_create(
        assessment=published_profile.assessment,
        actor=coordinator,
        correction_note="Corrects a finding.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.render_request(profile=v2, language="en", actor=coordinator)
        services.render_request(profile=v2, language="id", actor=coordinator)
    services.profile_approve(profile=v2, actor=coordinator)
    services.profile_publish(profile=v2, actor=coordinator)

    results = api.get("/api/v1/public/profiles/").json()["results"]
    assert [(r["version"], r["status"]) for r in results] == [
        (2, Profile.Status.PUBLISHED),
        (1, Profile.Status.SUPERSEDED),
    ]
    assert results[0]["correction_note"] == "Corrects a finding."
    assert results[1]["published_at"] < results[0]["published_at"]
    assert results[1]["pdf"]["en"]  # the superseded version's PDFs stay available


def test_list_query_count_is_pinned(published_profile, api, django_assert_num_queries):
    # 1: the count (pagination); 2: the profiles with assessment, province and snapshot
    # number (data deferred); 3: their rendered PDFs. None per row.
    with django_assert_num_queries(3):
        assert api.get("/api/v1/public/profiles/").status_code == 200


def test_schema_documents_the_public_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/public/profiles/" in schema
    assert "/api/v1/public/profiles/{id}/" in schema
    assert "public_profiles_data" in schema
