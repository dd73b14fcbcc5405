"""The API's list of an assessment's responses is read as rows (assessments/serializers.py
response_list_data), not as model instances: its output must be the serializer's own."""

import pytest
from rest_framework.test import APIClient

from assessments.collection import selectors
from assessments.collection import services as collection_services
from assessments.serializers import ResponseSerializer, response_list_data, response_list_rows


@pytest.mark.django_db
def test_rows_give_exactly_what_the_serializer_gives(
    national_assessment, focal_a, focal_b, evidence_file_a, coordinator
):
    # Content of every kind: an answer with evidence (a file and a citation), a contributor's
    # "nothing to add", blanks, an editor and none.
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
    collection_services.response_update(
        response=response,
        actor=focal_a,
        version=response.version,
        answer="yes",
        coverage="all",
        justification="Law 18/2017.",
        evidence=[evidence_file_a, citation],
    )
    contributor = national_assessment.responses.get(
        institution=focal_b.institution, indicator__code="1.3.1"
    )
    collection_services.response_update(
        response=contributor, actor=focal_b, version=contributor.version, nothing_to_add=True
    )
    queryset = selectors.responses_for_api(coordinator).filter(assessment=national_assessment)
    expected = ResponseSerializer(list(queryset), many=True).data
    got = response_list_data(list(response_list_rows(queryset)))
    assert [dict(item) for item in expected] == got
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
    # The assessment, the count, the page's rows, their evidence (and the permission's reads).
    with django_assert_num_queries(4):
        small = client.get(url, {"page_size": 5})
    with django_assert_num_queries(4):
        large = client.get(url, {"page_size": 100})
    assert small.status_code == large.status_code == 200
    assert len(small.json()["results"]) == 5 and len(large.json()["results"]) == 100
    assert small.json()["results"] == large.json()["results"][:5]
