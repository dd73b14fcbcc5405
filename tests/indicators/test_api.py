import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_indicators_of_the_national_framework(api):
    response = api.get("/api/v1/indicators/", {"framework": "mgi-national-2023", "page_size": 200})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 98
    results = body["results"]
    # The default page holds 100, so all 98 are on the first page.
    assert len(results) == 98
    assert {r["dimension"]["number"] for r in results} == {1, 2, 3, 4, 5, 6}
    for item in results:
        assert set(item["question"]) == {"en", "id"}
        assert item["question"]["en"] and item["question"]["id"]
        assert set(item["dimension"]["name"]) == {"en", "id"}
        assert item["gcm_objectives"], item["code"]
        assert set(item["gcm_objectives"][0]["title"]) == {"en", "id"}
    first = results[0]
    assert first["code"] == "1.1.1"
    assert first["answers"] == ["yes", "partial", "no"]
    assert first["has_coverage"] is True


def test_indicator_list_runs_a_constant_number_of_queries(api):
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/indicators/", {"framework": "mgi-national-2023"})
    # count, page of indicators (+framework, dimension, sub-area joined),
    # GCM objectives, SDG sub-categories (+domain joined).
    assert len(ctx.captured_queries) == 4


def test_indicators_can_be_filtered_and_searched_in_either_language(api):
    by_dim = api.get(
        "/api/v1/indicators/", {"framework": "mgi-national-2023", "dimension": 3}
    ).json()
    assert by_dim["count"] == 12
    en = api.get(
        "/api/v1/indicators/", {"framework": "mgi-national-2023", "q": "trafficking"}
    ).json()
    id_ = api.get(
        "/api/v1/indicators/", {"framework": "mgi-national-2023", "q": "perdagangan orang"}
    ).json()
    assert en["count"] >= 2
    assert {r["code"] for r in id_["results"]} & {r["code"] for r in en["results"]}


def test_frameworks_list_gives_codes_and_counts(api):
    body = api.get("/api/v1/frameworks/").json()
    by_code = {f["code"]: f for f in body["results"]}
    assert by_code["mgi-national-2023"]["indicator_count"] == 98
    assert by_code["mgi-local-2023"]["level"] == "local"
    assert set(by_code["mgi-national-2023"]["title"]) == {"en", "id"}
    detail = api.get("/api/v1/frameworks/mgi-national-2023/")
    assert detail.status_code == 200
    assert api.get("/api/v1/frameworks/no-such-thing/").status_code == 404


def test_institutions_list_shows_renaming(api):
    body = api.get("/api/v1/institutions/", {"page_size": 500}).json()
    by_acronym = {i["acronym"]: i for i in body["results"]}
    assert len([i for i in body["results"] if i["level"] == "national"]) >= 23
    assert len([i for i in body["results"] if i["province"] == "33"]) >= 15
    assert by_acronym["BP2MI"]["successor"] == "KP2MI"
    assert by_acronym["BP2MI"]["valid_to"] == "2024-10-20"
    assert set(by_acronym["KEMNAKER"]["name"]) == {"en", "id"}


def test_institution_list_runs_a_constant_number_of_queries(api):
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/institutions/")
    # count, page with province and successor joined
    assert len(ctx.captured_queries) == 2


def test_token_login_returns_a_token_that_authenticates(api, focal_a):
    focal_a.set_password("s3cret-pass")
    focal_a.save()
    response = api.post(
        "/api/v1/auth/token/", {"username": focal_a.username, "password": "s3cret-pass"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token
    # A second sign-in (another device) gets a token of its own; both work.
    again = api.post(
        "/api/v1/auth/token/", {"username": focal_a.username, "password": "s3cret-pass"}
    )
    assert again.json()["token"] != token and again.json()["expiry"]
    for each in (token, again.json()["token"]):
        api.credentials(HTTP_AUTHORIZATION=f"Token {each}")
        assert api.get("/api/v1/indicators/").status_code == 200


def test_token_login_with_a_wrong_password_is_refused(api, focal_a):
    response = api.post("/api/v1/auth/token/", {"username": focal_a.username, "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_reference_data_is_read_only(api, administrator):
    api.force_authenticate(administrator)
    assert api.post("/api/v1/indicators/", {}).status_code == 405
    assert api.delete("/api/v1/institutions/KEMNAKER/").status_code == 405


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/indicators/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
