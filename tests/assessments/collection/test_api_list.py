"""The API's list of an assessment's responses is read as rows (assessments/serializers.py
response_list_data), not as model instances: its output must be the serializer's own; its
count comes with the page's rows (config/pagination.py WindowCountPaginator)."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from assessments.collection import selectors
from assessments.collection import services as collection_services
from assessments.serializers import ResponseSerializer, response_list_data, response_list_rows


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_rows_give_exactly_what_the_serializer_gives(
    language, national_assessment, focal_a, focal_b, evidence_file_a, coordinator
):
    # Content of every kind: an answer with evidence (a file, a citation whose label names
    # its instrument type in the reader's language, a link), evidence shared by two answers,
    # a contributor's "nothing to add", blanks, an editor and none.
    response = national_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.1"
    )
    citation = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="citation",
        instrument_type="law",
        number="18",
        year=2017,
        title="Protection of Indonesian Migrant Workers",
    )
    link = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="link",
        title="Portal",
        url="https://bp2mi.go.id",
    )
    collection_services.response_update(
        response=response,
        actor=focal_a,
        version=response.version,
        answer="yes",
        coverage="all",
        justification="Law 18/2017.",
        evidence=[evidence_file_a, citation],
    )
    other = national_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.2"
    )
    collection_services.response_update(
        response=other, actor=focal_a, version=other.version, evidence=[link, citation]
    )
    contributor = national_assessment.responses.get(
        institution=focal_b.institution, indicator__code="1.3.1"
    )
    collection_services.response_update(
        response=contributor, actor=focal_b, version=contributor.version, nothing_to_add=True
    )
    queryset = selectors.responses_for_api(coordinator).filter(assessment=national_assessment)
    with translation.override(language):
        expected = ResponseSerializer(list(queryset), many=True).data
        got = response_list_data(list(response_list_rows(queryset)))
    assert [dict(item) for item in expected] == got
    assert [list(item) for item in expected] == [list(item) for item in got]  # key order
    labels = {e["id"]: e["label"] for item in got for e in item["evidence"]}
    law = "Undang-Undang" if language == "id" else "Law"
    assert labels[citation.pk].startswith(law), labels[citation.pk]
    by_pk = {item["id"]: item for item in got}
    assert [e["id"] for e in by_pk[other.pk]["evidence"]] == sorted([link.pk, citation.pk])
    file_url = f"/api/v1/evidence/{evidence_file_a.pk}/file/"
    assert [e["file"] for e in by_pk[response.pk]["evidence"]] == [file_url, None]
    by_id = {item["id"]: item for item in got}
    assert [e["id"] for e in by_id[response.pk]["evidence"]] == sorted(
        [evidence_file_a.pk, citation.pk]
    )
    assert by_id[contributor.pk]["nothing_to_add"] is True
    assert by_id[contributor.pk]["answer"] is None


@pytest.mark.django_db
def test_list_costs_the_same_queries_whatever_the_page(
    national_assessment, coordinator, django_assert_num_queries
):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = f"/api/v1/assessments/{national_assessment.pk}/responses/"
    # The assessment, the page's rows with their count (no evidence on them: no more).
    with django_assert_num_queries(2):
        small = client.get(url, {"page_size": 5})
    with django_assert_num_queries(2):
        large = client.get(url, {"page_size": 100})
    assert small.status_code == large.status_code == 200
    assert len(small.json()["results"]) == 5 and len(large.json()["results"]) == 100
    assert small.json()["results"] == large.json()["results"][:5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": 5},
        {"page_size": 5, "page": 2},
        {"page_size": 5, "page": "last"},
        {"page_size": 7, "page": 3},
        {"institution": "KEMNAKER"},
        {"institution": "KEMNAKER", "page_size": 3, "page": 2},
        {"dimension": "4"},
        {"institution": "BP2MI", "dimension": "4"},
        {"institution": "NOPE"},
        {"dimension": "99"},
    ],
)
def test_count_and_links_are_the_stock_paginations(params, rf, national_assessment, coordinator):
    """The page read with its count (one query) gives what DRF's PageNumberPagination gives
    from a COUNT and a page (two): count, next, previous and the rows, whatever the filters."""
    from rest_framework.request import Request

    from config.pagination import PortalPagination

    client = APIClient()
    client.force_authenticate(coordinator)
    url = f"/api/v1/assessments/{national_assessment.pk}/responses/"
    got = client.get(url, params)
    assert got.status_code == 200
    queryset = selectors.responses_for_api(coordinator).filter(assessment=national_assessment)
    if params.get("institution"):
        queryset = queryset.filter(institution__acronym=params["institution"])
    if params.get("dimension"):
        queryset = queryset.filter(indicator__dimension__number=int(params["dimension"]))
    stock = PortalPagination()
    request = Request(rf.get(url, params))
    page = stock.paginate_queryset(response_list_rows(queryset), request)
    expected = stock.get_paginated_response(response_list_data(page or [])).data
    assert got.json() == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": -1},
        {"page": "x"},
        {"page": 2},  # 1 page of 100
        {"page_size": 5, "page": 999},
        {"institution": "NOPE", "page": 2},
    ],
)
def test_a_page_past_the_end_or_not_a_page_is_404(params, national_assessment, coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = f"/api/v1/assessments/{national_assessment.pk}/responses/"
    got = client.get(url, params)
    assert got.status_code == 404
    assert got.json()["detail"] == "Invalid page."


@pytest.mark.django_db
def test_the_evidence_costs_one_query_whatever_how_many_answers_have_some(
    national_assessment, focal_a, coordinator, django_assert_num_queries
):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = f"/api/v1/assessments/{national_assessment.pk}/responses/"
    counts = []
    for response in national_assessment.responses.filter(institution=focal_a.institution):
        item = collection_services.evidence_create(
            assessment=national_assessment,
            institution=focal_a.institution,
            actor=focal_a,
            kind="link",
            title="x",
            url="https://x.go.id",
        )
        collection_services.response_add_evidence(
            response=response, actor=focal_a, version=response.version, evidence=item
        )
        with django_assert_num_queries(3) as queries:  # the assessment, the page, the evidence
            client.get(url)
        counts.append(len(queries))
    assert len(counts) > 1


@pytest.mark.django_db
def test_an_assessment_the_user_does_not_see_is_404(
    national_assessment, provincial_coordinator, coordinator
):
    client = APIClient()
    client.force_authenticate(provincial_coordinator)
    assert client.get(f"/api/v1/assessments/{national_assessment.pk}/responses/").status_code == 404
    client.force_authenticate(coordinator)
    assert client.get("/api/v1/assessments/abc/responses/").status_code == 404
    assert client.get("/api/v1/assessments/999999/responses/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "focal_a", "facilitator", "provincial_coordinator"])
def test_the_assessments_list_is_the_stock_paginations(
    who, request, rf, national_assessment, django_assert_num_queries
):
    """The assessments list reads its count with its page too (same count, one query)."""
    from rest_framework.request import Request

    from assessments.collection.api import AssessmentSerializer
    from assessments.permissions import assessments_visible_to
    from config.pagination import PortalPagination

    user = request.getfixturevalue(who)
    client = APIClient()
    client.force_authenticate(user)
    with django_assert_num_queries(1):
        got = client.get("/api/v1/assessments/", {"page_size": 1})
    stock = PortalPagination()
    queryset = assessments_visible_to(user).order_by("-year", "pk")
    page = stock.paginate_queryset(
        queryset, Request(rf.get("/api/v1/assessments/", {"page_size": 1}))
    )
    expected = stock.get_paginated_response(AssessmentSerializer(page, many=True).data).data
    assert got.json() == expected
