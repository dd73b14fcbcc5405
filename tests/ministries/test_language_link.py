"""The language links of anonymous pages: a GET that sets the cookie and nothing else."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_link_sets_the_cookie_and_goes_back():
    response = Client().get("/language/id/", {"next": "/framework/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/framework/?page=2"
    assert response.cookies["django_language"].value == "id"
    # A redirect that sets a cookie is nobody else's to keep.
    assert "no-store" in response["Cache-Control"]


def test_link_refuses_foreign_redirects_and_unknown_languages():
    response = Client().get("/language/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    assert Client().get("/language/en/", {"next": "//evil.example/"})["Location"] == "/"
    unknown = Client().get("/language/fr/", {"next": "/"})
    assert unknown.status_code == 404
    assert "django_language" not in unknown.cookies


def test_link_does_not_change_a_signed_in_persons_saved_language(client, focal_a):
    saved = focal_a.language
    assert saved != "id"
    client.force_login(focal_a)
    response = client.get("/language/id/", {"next": "/framework/"})
    assert response.cookies["django_language"].value == "id"
    focal_a.refresh_from_db()
    assert focal_a.language == saved  # saved only by the form's POST or the settings page
    assert '<html lang="id">' in client.get("/framework/").content.decode()


def test_link_refuses_writes():
    assert Client().post("/language/id/", {"next": "/"}).status_code == 405


def test_anonymous_pages_switch_by_links_and_signed_in_pages_by_the_form(client, focal_a):
    page = client.get("/framework/").content.decode()
    assert 'href="/language/id/?next=/framework/"' in page
    assert 'action="/language/"' not in page and "csrfmiddlewaretoken" not in page
    client.force_login(focal_a)
    page = client.get("/framework/").content.decode()
    assert 'action="/language/"' in page and 'id="language-select"' in page
