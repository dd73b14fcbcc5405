"""Published profiles are cached: validators, 304s, one query for a cached page.

A published version never changes, so its page, PDFs and data files carry an ETag, a
Last-Modified and `Cache-Control: public`; the page itself is kept in the cache (a
local-memory cache per test process) under a key that changes with whatever it shows.
Anything that is not public stays 404 and is never marked public.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from reports import freshness, services
from reports.models import Finding, Profile
from reports.public import caching, views

pytestmark = pytest.mark.django_db


def render_both(profile: Profile, actor, capture) -> None:
    with capture(execute=True):
        for language in ("en", "id"):
            services.render_request(profile=profile, language=language, actor=actor)


def publish_correction(profile: Profile, actor, capture) -> Profile:
    """Version 2, published through the services: version 1 becomes superseded."""
    v2 = services.profile_create(
        assessment=profile.assessment, actor=actor, correction_note="Corrects 2.3.2."
    )
    render_both(v2, actor, capture)
    v2 = services.profile_approve(profile=v2, actor=actor)
    return services.profile_publish(profile=v2, actor=actor)


def file_urls(profile: Profile) -> list[str]:
    pk = profile.pk
    return [f"/profiles/{pk}/{name}" for name in ("en.pdf", "id.pdf", "data.csv", "data.xlsx")]


@pytest.fixture
def embargoed_profile(quick_pdfs, draft_profile, coordinator, django_capture_on_commit_callbacks):
    """Rendered and approved, to be published next month: not public yet."""
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    profile = services.profile_approve(profile=draft_profile, actor=coordinator)
    return services.profile_publish(
        profile=profile,
        actor=coordinator,
        embargo_until=timezone.now() + datetime.timedelta(days=30),
    )


# --- the page -------------------------------------------------------------------------------


def test_first_request_renders_the_page_with_validators_and_public_caching(published_profile):
    response = Client().get(f"/profiles/{published_profile.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Migration Governance Indicators Profile 2030 – Republic of Indonesia" in page
    assert response["ETag"].startswith('W/"')
    # Nothing the page shows changed after the publication (renders and findings came first).
    assert response["Last-Modified"] == http_date(published_profile.published_at.timestamp())
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert cache_control == {"public", f"max-age={settings.PUBLIC_PROFILE_MAX_AGE}"}
    # The language comes from the cookie or Accept-Language: caches keep one copy of each.
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_matching_conditional_request_is_304_without_a_body(
    published_profile, django_assert_num_queries
):
    client = Client()
    url = f"/profiles/{published_profile.pk}/"
    first = client.get(url)
    # No query: what the page depends on is kept in the cache (reports/freshness.py).
    with django_assert_num_queries(0):
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    # A stale ETag gets the page.
    stale = client.get(url, headers={"If-None-Match": 'W/"0123456789abcdef"'})
    assert stale.status_code == 200 and b"Republic of Indonesia" in stale.content


def test_cached_page_costs_one_query_and_renders_nothing(
    published_profile, django_assert_num_queries, monkeypatch
):
    client = Client()
    url = f"/profiles/{published_profile.pk}/"
    first = client.get(url).content

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached page is not rendered again")

    monkeypatch.setattr(views, "page_context", no_rendering)
    monkeypatch.setattr(views, "render_to_string", no_rendering)
    # No query: the facts and the page both come from the cache. No session, no render.
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first


def test_public_page_has_no_token_sets_no_cookie_and_reads_no_session(published_profile):
    client = Client()
    for _ in range(2):  # rendered, then from the cache
        response = client.get(f"/profiles/{published_profile.pk}/?utm_source=newsletter")
        page = response.content.decode()
        assert "csrfmiddlewaretoken" not in page
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert not response.wsgi_request.session.accessed
        # The language switch is a link per language, back to the page without the query
        # string the first visitor sent.
        assert f'href="/language/id/?next=/profiles/{published_profile.pk}/"' in page
        assert 'lang="id" hreflang="id">Bahasa Indonesia</a>' in page
        assert "utm_source" not in page
        assert 'aria-current="true">English</a>' in page


def test_english_and_indonesian_pages_are_cached_apart(
    published_profile, django_assert_num_queries
):
    url = f"/profiles/{published_profile.pk}/"
    english, indonesian = Client(), Client()
    indonesian.cookies["django_language"] = "id"
    en = english.get(url)
    id_ = indonesian.get(url)
    assert '<html lang="en">' in en.content.decode()
    assert '<html lang="id">' in id_.content.decode()
    assert "Narasi 2.3.2" in id_.content.decode() and "Narasi 2.3.2" not in en.content.decode()
    assert en["ETag"] != id_["ETag"]
    # The English copy's ETag does not validate the Indonesian page.
    switched = indonesian.get(url, headers={"If-None-Match": en["ETag"]})
    assert switched.status_code == 200 and '<html lang="id">' in switched.content.decode()
    # Both are now cached, each in its language.
    with django_assert_num_queries(0):
        assert '<html lang="en">' in english.get(url).content.decode()
    with django_assert_num_queries(0):
        assert '<html lang="id">' in indonesian.get(url).content.decode()


def test_correction_changes_the_old_versions_etag_and_page(
    published_profile, coordinator, django_capture_on_commit_callbacks
):
    client = Client()
    url = f"/profiles/{published_profile.pk}/"
    before = client.get(url)
    assert "This version has been superseded." not in before.content.decode()

    v2 = publish_correction(published_profile, coordinator, django_capture_on_commit_callbacks)
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    page = after.content.decode()
    assert "This version has been superseded." in page
    assert f'href="/profiles/{v2.pk}/"' in page
    assert after["Last-Modified"] == http_date(v2.published_at.timestamp())


def test_rendering_a_published_pdf_again_changes_the_pages_etag(
    published_profile, coordinator, django_capture_on_commit_callbacks
):
    client = Client()
    url = f"/profiles/{published_profile.pk}/"
    before = client.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=False):
        # Queued, not rendered yet: the page has no English PDF link for now.
        services.render_request(profile=published_profile, language="en", actor=coordinator)
    queued = client.get(url)
    assert queued["ETag"] != before
    assert f'href="/profiles/{published_profile.pk}/en.pdf"' not in queued.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.render_request(profile=published_profile, language="en", actor=coordinator)
    done = client.get(url)
    assert done["ETag"] not in (before, queued["ETag"])
    assert f'href="/profiles/{published_profile.pk}/en.pdf"' in done.content.decode()


def test_a_new_release_changes_the_etag(published_profile, monkeypatch):
    url = f"/profiles/{published_profile.pk}/"
    before = Client().get(url)
    monkeypatch.setattr(caching, "release", lambda: "next-release")
    after = Client().get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def test_page_is_served_when_the_cache_is_down(published_profile, monkeypatch):
    class DownCache:
        def get(self, key):
            raise ConnectionError("redis is down")

        def set(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(caching, "cache", DownCache())
    response = Client().get(f"/profiles/{published_profile.pk}/")
    assert response.status_code == 200
    assert b"Republic of Indonesia" in response.content


def test_signed_in_person_gets_their_own_page_never_shared(published_profile, coordinator):
    url = f"/profiles/{published_profile.pk}/"
    anonymous = Client().get(url)
    client = Client()
    client.force_login(coordinator)
    response = client.get(url, headers={"If-None-Match": anonymous["ETag"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log out" in page and "Republic of Indonesia" in page
    assert "ETag" not in response.headers
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    # The anonymous copy in the cache is still nobody's.
    assert "Log out" not in Client().get(url).content.decode()


# --- not public: 404, never public caching --------------------------------------------------


def test_embargoed_or_draft_profile_is_404_and_never_cached_as_public(embargoed_profile):
    client = Client()
    urls = [f"/profiles/{embargoed_profile.pk}/", *file_urls(embargoed_profile)]
    for url in urls:
        response = client.get(url, headers={"If-None-Match": "*"})
        assert response.status_code == 404, url
        cache_control = response.get("Cache-Control", "")
        assert "public" not in cache_control and "no-store" in cache_control, url
        assert "ETag" not in response.headers, url

    assert services.publish_due(now=embargoed_profile.embargo_until) == 1
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"], url


def test_pdf_not_rendered_is_404_and_private(published_profile):
    published_profile.renders.filter(language="id").delete()
    response = Client().get(f"/profiles/{published_profile.pk}/id.pdf")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


# --- PDFs and data files ----------------------------------------------------------------------


def test_pdf_carries_its_checksum_and_answers_304_without_opening_the_file(
    published_profile, django_assert_num_queries
):
    render = published_profile.renders.get(language="en")
    client = Client()
    url = f"/profiles/{published_profile.pk}/en.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["ETag"] == f'"{render.checksum}"'
    assert response["Last-Modified"] == http_date(render.finished_at.timestamp())
    assert "public" in response["Cache-Control"]
    # 1 query: the render's checksum; the file is not opened.
    with django_assert_num_queries(1):
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_data_file_answers_304_to_its_etag_in_its_language(published_profile, fmt):
    client = Client()
    url = f"/profiles/{published_profile.pk}/data.{fmt}"
    response = client.get(url)
    assert response.status_code == 200 and response.content
    assert "public" in response["Cache-Control"]
    assert response["Last-Modified"] == http_date(published_profile.published_at.timestamp())
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    # The workbook's and the JSON's texts are in the active language: another ETag.
    indonesian = Client()
    indonesian.cookies["django_language"] = "id"
    in_indonesian = indonesian.get(url, headers={"If-None-Match": response["ETag"]})
    assert in_indonesian.status_code == 200
    assert in_indonesian["ETag"] != response["ETag"]


def test_facts_are_read_again_after_any_change_to_what_the_page_shows(
    published_profile, django_assert_num_queries
):
    """The facts kept in the cache are used only until the next change: a render's status
    set by a bulk update (no signal) and a saved finding both make the next request read
    them again, and the page's ETag follows."""
    client = Client()
    url = f"/profiles/{published_profile.pk}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["ETag"] == first["ETag"]
    render = published_profile.renders.first()
    services._set(render.pk, finished_at=render.finished_at + datetime.timedelta(seconds=5))
    after_render = client.get(url)  # the facts read again, the page rendered again
    assert after_render["ETag"] != first["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url)["ETag"] == after_render["ETag"]
    finding = Finding.objects.filter(profile=published_profile).first()
    finding.save()  # the signal
    assert client.get(url)["ETag"] != after_render["ETag"]


def test_facts_come_from_the_database_when_the_cache_is_down(
    published_profile, django_assert_num_queries, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(freshness.cache, "get_many", down)
    version = freshness.public_profile_version(published_profile.pk)
    assert version.profile_id == published_profile.pk
    with django_assert_num_queries(1):
        freshness.public_profile_version(published_profile.pk)
