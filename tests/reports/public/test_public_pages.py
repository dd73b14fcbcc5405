"""The public profile pages and PDFs: no login, published and superseded versions only.

Profiles are made with the services a coordinator uses (render in both languages, approve,
publish); tasks run eagerly, so the PDFs are real WeasyPrint output read back with pypdf.
"""

import datetime
import html
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from indicators.models import Dimension
from reports import services
from reports.models import Profile
from reports.selectors import national_is_public

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def dimension_names(language: str) -> list[str]:
    return list(
        Dimension.objects.filter(framework__code="mgi-national-2023")
        .order_by("number")
        .values_list(f"name_{language}", flat=True)
    )


def render_both(profile: Profile, actor, capture) -> None:
    with capture(execute=True):
        for language in ("en", "id"):
            services.render_request(profile=profile, language=language, actor=actor)


@pytest.fixture
def embargoed_profile(quick_pdfs, draft_profile, coordinator, django_capture_on_commit_callbacks):
    """Rendered and approved, to be published next month: not public yet."""
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    profile = services.profile_approve(profile=draft_profile, actor=coordinator)
    profile = services.profile_publish(
        profile=profile,
        actor=coordinator,
        embargo_until=timezone.now() + datetime.timedelta(days=30),
    )
    assert profile.status == Profile.Status.APPROVED
    return profile


@pytest.fixture
def corrected_profile(
    quick_pdfs, published_profile, coordinator, django_capture_on_commit_callbacks
):
    """Version 2, published as a correction of version 1 (which becomes superseded)."""
    v2 = services.profile_create(
        assessment=published_profile.assessment,
        actor=coordinator,
        correction_note="Corrects the narrative of indicator 2.3.2.",
    )
    render_both(v2, coordinator, django_capture_on_commit_callbacks)
    v2 = services.profile_approve(profile=v2, actor=coordinator)
    return services.profile_publish(profile=v2, actor=coordinator)


def public_urls(profile: Profile) -> list[str]:
    pk = profile.pk
    return [
        f"/profiles/{pk}/",
        f"/profiles/{pk}/en.pdf",
        f"/profiles/{pk}/id.pdf",
        f"/profiles/{pk}/data.csv",
        f"/profiles/{pk}/data.xlsx",
        f"/profiles/{pk}/data.json",
        f"/api/v1/public/profiles/{pk}/",
        f"/api/v1/public/profiles/{pk}/data.csv",
        f"/api/v1/public/profiles/{pk}/data.xlsx",
        f"/api/v1/public/profiles/{pk}/data.json",
    ]


# --- PDFs -----------------------------------------------------------------------------------


def test_anonymous_visitor_downloads_both_pdfs_each_in_its_language(published_profile_full):
    published_profile = published_profile_full
    client = Client()
    texts = {}
    for language in ("en", "id"):
        response = client.get(f"/profiles/{published_profile.pk}/{language}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Language"] == language
        disposition = response["Content-Disposition"]
        assert f'filename="mgi-profile-2030-indonesia-v1-{language}.pdf"' in disposition
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF")
        texts[language] = pdf_text(content)
    for name in dimension_names("en"):
        assert name in texts["en"]
    for name in dimension_names("id"):
        assert name in texts["id"]
    indonesian_only = [n for n in dimension_names("id") if n not in dimension_names("en")]
    assert indonesian_only and not any(n in texts["en"] for n in indonesian_only)
    assert "Migration Governance Indicators Profile 2030 – Republic of Indonesia" in texts["en"]


def test_pdf_not_rendered_or_of_another_language_is_404(published_profile):
    published_profile.renders.filter(language="id").delete()
    client = Client()
    pk = published_profile.pk
    assert client.get(f"/profiles/{pk}/en.pdf").status_code == 200
    assert client.get(f"/profiles/{pk}/id.pdf").status_code == 404
    assert client.get(f"/profiles/{pk}/fr.pdf").status_code == 404
    assert client.get(f"/profiles/{pk}/data.pdf").status_code == 404
    page = client.get(f"/profiles/{pk}/").content.decode()
    assert f"/profiles/{pk}/en.pdf" in page
    assert f"/profiles/{pk}/id.pdf" not in page
    api = client.get(f"/api/v1/public/profiles/{pk}/").json()
    assert api["pdf"]["en"].endswith(f"/profiles/{pk}/en.pdf")
    assert api["pdf"]["id"] is None


# --- nothing unpublished is public ----------------------------------------------------------


def test_draft_profile_is_404_on_every_public_url_even_when_rendered(
    quick_pdfs, draft_profile, coordinator, administrator, django_capture_on_commit_callbacks
):
    render_both(draft_profile, coordinator, django_capture_on_commit_callbacks)
    assert draft_profile.renders.filter(status="done").count() == 2
    for who in (None, coordinator, administrator):
        client = Client()
        if who:
            client.force_login(who)
        for url in public_urls(draft_profile):
            assert client.get(url).status_code == 404, (who, url)
        listing = client.get("/profiles/").content.decode()
        assert f"/profiles/{draft_profile.pk}/" not in listing
        assert "No profile has been published yet." in listing
        assert client.get("/api/v1/public/profiles/").json()["count"] == 0
    # A province is not compared with national answers that are not published yet.
    assert not national_is_public({"year": 2030, "round": 1})


def test_embargoed_profile_is_404_until_published_then_public(embargoed_profile):
    client = Client()
    for url in public_urls(embargoed_profile):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/public/profiles/").json()["results"] == []
    assert f"/profiles/{embargoed_profile.pk}/" not in client.get("/profiles/").content.decode()

    assert services.publish_due(now=embargoed_profile.embargo_until) == 1
    for url in public_urls(embargoed_profile):
        assert client.get(url).status_code == 200, url


# --- the pages ------------------------------------------------------------------------------


def test_profile_page_shows_the_pdf_content_in_the_active_language_and_demo_notice(
    published_profile,
):
    client = Client()
    response = client.get(f"/profiles/{published_profile.pk}/")
    page = html.unescape(response.content.decode())
    assert "Migration Governance Indicators Profile 2030 – Republic of Indonesia" in page
    assert "It is not a ranking" in page
    for name in dimension_names("en"):
        assert name in page
    # The chart, and its text alternative beside it.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 6
    assert "<figcaption>" in page
    # Annex: every indicator with its answer and sources; the FGD changed 2.3.2 to Yes.
    assert "Narrative 2.3.2" in page
    assert "BP2MI" in page
    assert f'href="/profiles/{published_profile.pk}/en.pdf"' in page
    assert f'href="/profiles/{published_profile.pk}/id.pdf"' in page
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/profiles/{published_profile.pk}/data.{fmt}"' in page
    assert 'class="public-demo"' not in page  # the test assessment is not demo data

    # A strict CSP holds: no inline styles or scripts (the SVG uses presentation attributes).
    assert "style=" not in page and "<style" not in page
    assert "<script>" not in page and "onclick" not in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]

    client.cookies["django_language"] = "id"
    page_id = html.unescape(client.get(f"/profiles/{published_profile.pk}/").content.decode())
    assert '<html lang="id">' in page_id
    for name in dimension_names("id"):
        assert name in page_id
    assert "Narasi 2.3.2" in page_id

    # Built from demonstration data, the page says so (as the PDF does). A snapshot never
    # changes: written here behind the services' back, the cached page is dropped by hand.
    snapshot = published_profile.snapshot
    snapshot.data["assessment"]["is_demo"] = True
    type(snapshot).objects.filter(pk=snapshot.pk).update(data=snapshot.data)
    cache.clear()
    page_demo = client.get(f"/profiles/{published_profile.pk}/").content.decode()
    assert 'class="public-demo"' in page_demo


def test_list_shows_published_profiles_with_their_links(published_profile):
    page = Client().get("/profiles/").content.decode()
    assert "Migration Governance Indicators Profile 2030 – Republic of Indonesia" in page
    assert f'href="/profiles/{published_profile.pk}/"' in page
    assert f'href="/profiles/{published_profile.pk}/en.pdf"' in page
    assert f'href="/profiles/{published_profile.pk}/data.xlsx"' in page
    assert "Version 1, published" in page
    assert "Earlier versions" not in page
    assert national_is_public({"year": 2030, "round": 1})


def test_correction_supersedes_the_old_version_which_stays_listed(corrected_profile):
    v1 = Profile.objects.get(assessment=corrected_profile.assessment, version=1)
    assert v1.status == Profile.Status.SUPERSEDED
    assert corrected_profile.status == Profile.Status.PUBLISHED
    client = Client()

    listing = client.get("/profiles/").content.decode()
    # The current version leads; the superseded one is listed under it with number and date.
    assert listing.index(f'href="/profiles/{corrected_profile.pk}/"') < listing.index(
        f'href="/profiles/{v1.pk}/"'
    )
    assert "Version 2, published" in listing
    assert "Earlier versions" in listing
    v1_date = timezone.localtime(v1.published_at).strftime("%-d %B %Y")
    assert f"published {v1_date}" in listing
    assert "Corrects the narrative of indicator 2.3.2." in listing

    old = client.get(f"/profiles/{v1.pk}/").content.decode()
    assert "This version has been superseded." in old
    assert f'href="/profiles/{corrected_profile.pk}/"' in old
    # The old version's PDFs and data stay available.
    assert client.get(f"/profiles/{v1.pk}/en.pdf").status_code == 200
    assert client.get(f"/profiles/{v1.pk}/data.csv").status_code == 200

    current = client.get(f"/profiles/{corrected_profile.pk}/").content.decode()
    assert "This version has been superseded." not in current
    assert "Corrects the narrative of indicator 2.3.2." in current
    assert f'href="/profiles/{v1.pk}/"' in current  # listed under "Versions"


def test_public_pages_refuse_writes(client):
    assert client.post("/profiles/").status_code == 405


# --- query counts ---------------------------------------------------------------------------


def test_public_pages_query_counts_are_pinned(corrected_profile, django_assert_num_queries):
    client = Client()
    # Two versions listed, and still 2 queries: 1, the public profiles with assessment,
    # province and snapshot number (the data deferred); 2, their rendered PDFs (a prefetch).
    # No session query for an anonymous visitor.
    with django_assert_num_queries(2):
        assert client.get("/profiles/").status_code == 200
    # The page, not in the cache yet: 1, what the page depends on (its cache key and ETag,
    # selectors.public_profile_version); 2, the profile with assessment, province and
    # snapshot; 3, the framework's dimensions; 4, the findings; 5, GCM objectives; 6, SDG
    # sub-categories with their domains (3-6 in content.profile_context); 7, the
    # assessment's public versions; 8, the rendered PDFs; 9, the published action plan's
    # public items (templates/reports/actionplan/_public_plan.html); 10, the institutions
    # named in full, 11, the sub-areas, 12, the sections, 13, the context figures (the
    # publication's parts, reports/chapters.py). Once cached: query 1 alone
    # (tests/reports/public/test_public_caching.py).
    with django_assert_num_queries(13):
        assert client.get(f"/profiles/{corrected_profile.pk}/").status_code == 200
