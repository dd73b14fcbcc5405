import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

BROWSER = "/framework/mgi-national-2023/"


def test_framework_list_shows_both_versions(client):
    html = client.get("/framework/").content.decode()
    assert "mgi-national-2023" in html and "mgi-local-2023" in html
    assert "98 indicators" in html


def test_framework_browser_shows_dimensions_and_crosswalk_links(client):
    html = client.get(BROWSER).content.decode()
    for name in (
        "Migrants&#x27; rights",
        "Whole-of-government approach",
        "Partnerships",
        "Well-being of migrants",
        "Mobility dimensions of crises",
        "Safe, orderly and regular migration",
    ):
        assert name in html
    assert "98 indicators shown" in html
    assert 'href="/framework/mgi-national-2023/gcm/15/"' in html


def test_framework_browser_searches_in_english_and_indonesian(client):
    en = client.get(BROWSER, {"q": "trafficking"}).content.decode()
    assert "6.4.1" in en and "1.1.1</span>" not in en
    id_ = client.get(BROWSER, {"q": "perdagangan orang"}).content.decode()
    assert "6.4.1" in id_
    none = client.get(BROWSER, {"q": "zzzz-no-match"}).content.decode()
    assert "No indicator matches your search." in none


def test_framework_browser_filters_by_dimension(client):
    html = client.get(BROWSER, {"dimension": 5}).content.decode()
    assert "12 indicators shown" in html
    assert "5.1.1" in html and "6.1.1" not in html


def test_htmx_search_returns_only_the_results_fragment(client):
    response = client.get(BROWSER, {"q": "health"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "1.1.1" in html


def test_framework_browser_in_indonesian(client):
    client.cookies["django_language"] = "id"
    html = client.get(BROWSER).content.decode()
    assert '<html lang="id">' in html
    assert "Hak-hak migran" in html
    assert "Cari indikator" in html


def test_framework_browser_query_count_is_constant(client):
    client.get(BROWSER)  # warm the template and translation caches
    with CaptureQueriesContext(connection) as ctx:
        client.get(BROWSER)
    # framework, dimensions, sub-areas, indicators, GCM links (+objective joined), SDG
    # sub-categories (+domain joined), the change notes, the code mapping (+earlier version
    # joined); no query per indicator.
    assert len(ctx.captured_queries) == 8


def test_indicator_page_shows_question_guidance_and_links(client):
    response = client.get(f"{BROWSER}1.1.1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Guidance for respondents" in html
    assert "Objective 15" in html
    assert "All migrants, whatever their status" in html
    assert 'lang="id"' in html  # the other language's text, marked as such


def test_local_indicator_of_national_competence_says_so(client):
    from indicators.models import Indicator

    indicator = Indicator.objects.filter(
        framework__code="mgi-local-2023", national_competence=True
    ).first()
    html = client.get(f"/framework/mgi-local-2023/{indicator.code}/").content.decode()
    assert "National competence" in html
    assert "Not applicable" in html


def test_unknown_framework_or_indicator_is_404(client):
    assert client.get("/framework/nope/").status_code == 404
    assert client.get(f"{BROWSER}9.9.9/").status_code == 404
    assert client.get(f"{BROWSER}gcm/99/").status_code == 404


def test_gcm_objective_page_lists_the_indicators_that_inform_it(client):
    html = client.get(f"{BROWSER}gcm/10/").content.decode()
    assert "6.4.1" in html
