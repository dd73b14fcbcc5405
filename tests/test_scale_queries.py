"""The pages that grow with the data make as many queries for one province as for three.

The generator behind `manage.py scale_data` (assessments/demo/scale.py) writes, inside each
test's transaction, a small version of the scale benchmark's data: first one national and
one provincial round (2 institutions each, 4 indicators), then, after deleting it, one
national and three provincial rounds (4 institutions each, 8 indicators). Every
institution has submitted, so the review queue has rows of every review state. The
dashboard, the review queue and the API lists must make the same number of queries for
both: a count that grows with the rows or the provinces is an N+1 query in the page.
The scale benchmark (bench/bench_scale.py) times the same pages on 38 provinces.
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.demo.scale import ScaleResult, scale_clear, scale_generate
from ministries.models import User
from ministries.tokens import token_create

YEAR = 2031
SIZES = [(1, 2, 4), (3, 4, 8)]  # provinces, institutions in each round, indicators


def _generate(provinces: int, institutions: int, indicators: int, facilitator: User) -> ScaleResult:
    result = scale_generate(
        provinces=provinces,
        institutions_per_province=institutions,
        national_institutions=institutions,
        indicators=indicators,
        year=YEAR,
        submitted_share=1.0,
        analyze=False,
    )
    for assessment in result.assessments:
        assessment.facilitators.set([facilitator])
    return result


def _pages(result: ScaleResult) -> dict[str, tuple[str, str]]:
    """{page: (who, url)}: the first provincial round's pages, and the lists."""
    province = result.assessments[1].pk
    return {
        "dashboard": ("coordinator", f"/assessments/{province}/dashboard/"),
        "review_queue": ("facilitator", f"/review/?assessment={province}&review_state=all"),
        "review_queue_default": ("facilitator", "/review/"),
        "api_assessments": ("api", "/api/v1/assessments/"),
        "api_responses": ("api", f"/api/v1/assessments/{province}/responses/"),
    }


def _query_count(client: Client, url: str, headers: dict[str, str]) -> tuple[int, Any]:
    """The queries of one request (after a first one: what a process caches on its first
    request is not counted), and the response."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


PAGES = ["dashboard", "review_queue", "review_queue_default", "api_assessments", "api_responses"]


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_provinces(
    page: str, coordinator: User, facilitator: User
) -> None:
    clients = {"coordinator": Client(), "facilitator": Client(), "api": Client()}
    clients["coordinator"].force_login(coordinator)
    clients["facilitator"].force_login(facilitator)
    _, token = token_create(user=coordinator)
    headers = {"Authorization": f"Token {token}"}
    counts = []
    for provinces, institutions, indicators in SIZES:
        result = _generate(provinces, institutions, indicators, facilitator)
        assert len(result.assessments) == 1 + provinces
        assert result.responses == (1 + provinces) * institutions * indicators
        who, url = _pages(result)[page]
        count, response = _query_count(clients[who], url, headers if who == "api" else {})
        if page == "api_responses":
            assert response.json()["count"] == institutions * indicators
        counts.append(count)
        scale_clear(year=YEAR)
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries for 1 province, {counts[1]} for 3"
