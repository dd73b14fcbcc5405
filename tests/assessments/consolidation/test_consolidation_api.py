"""The consolidation API: every institution's answer on an indicator, the conflict flag,
the consolidated answer (PUT, versioned), the list, and who may do what."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer, Evidence
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

FROZEN = "The validated answers are frozen; reopen the validation, with a reason, to change them."


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def url(assessment, code=""):
    base = f"/api/v1/assessments/{assessment.pk}/indicators/"
    return f"{base}{code}/" if code else base


def response_of(assessment, code, acronym):
    return assessment.responses.get(indicator__code=code, institution__acronym=acronym)


def test_get_shows_every_answer_the_conflict_and_no_consolidated_answer_yet(
    api, facilitator, cross_check_assessment
):
    api.force_authenticate(facilitator)
    body = api.get(url(cross_check_assessment, "1.3.1")).json()
    assert body["indicator"] == "1.3.1" and body["dimension"] == 1
    assert set(body["question"]) == {"en", "id"} and body["question"]["en"].startswith("Do ")
    assert body["conflict"] is True and body["consolidated"] is None
    responses = [(r["institution"], r["role"], r["answer"]) for r in body["responses"]]
    assert responses == [("KEMNAKER", "lead", "yes"), ("BP2MI", "contributor", "partial")]
    first = body["responses"][0]
    assert set(first) >= {
        "id",
        "institution",
        "role",
        "answer",
        "coverage",
        "justification",
        "evidence",
        "review_state",
    }
    assert first["justification"] == "KEMNAKER: yes" and first["review_state"] == "pending"
    assert first["coverage"] is None and first["evidence"] == []

    body = api.get(url(cross_check_assessment, "1.3.2")).json()
    assert body["conflict"] is False
    # KEMLU never answered its indicators: null, not "".
    body = api.get(url(cross_check_assessment, "6.1.1")).json()
    assert [(r["institution"], r["answer"]) for r in body["responses"]] == [("KEMLU", None)]
    assert api.get(url(cross_check_assessment, "9.9.9")).status_code == 404


def test_facilitator_puts_the_consolidated_answer_with_provenance(
    api, facilitator, focal_a, kemnaker, national_assessment, cross_check_assessment
):
    kem = response_of(cross_check_assessment, "1.3.1", "KEMNAKER")
    bp = response_of(cross_check_assessment, "1.3.1", "BP2MI")
    law = collection_services.evidence_create(
        assessment=cross_check_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind=Evidence.Kind.CITATION,
        instrument_type=Evidence.InstrumentType.LAW,
        number="13",
        year=2003,
        title="Manpower",
    )
    kem.evidence.add(law)  # as if attached during data collection
    api.force_authenticate(facilitator)
    result = api.put(
        url(cross_check_assessment, "1.3.1"),
        {
            "answer": "partial",
            "coverage": "regular",
            "narrative": {"en": "Only some sectors.", "id": "Hanya beberapa sektor."},
            "evidence": [law.pk],
            "sources": [kem.pk, bp.pk],
        },
        format="json",
    )
    assert result.status_code == 200, result.json()
    consolidated = result.json()["consolidated"]
    assert consolidated["answer"] == "partial" and consolidated["coverage"] == "regular"
    assert consolidated["narrative"] == {"en": "Only some sectors.", "id": "Hanya beberapa sektor."}
    assert consolidated["evidence"] == [law.pk]
    assert sorted(consolidated["sources"]) == sorted([kem.pk, bp.pk])
    assert consolidated["version"] == 1 and consolidated["updated_by"] == facilitator.username
    assert result.json()["responses"][0]["evidence"][0]["label"].startswith("Law")

    # Narratives can also come as two fields; PUT replaces the whole answer.
    result = api.put(
        url(cross_check_assessment, "1.3.1"),
        {"answer": "yes", "narrative_en": "Changed.", "sources": [kem.pk], "version": 1},
        format="json",
    )
    assert result.status_code == 200
    consolidated = result.json()["consolidated"]
    assert (consolidated["answer"], consolidated["version"]) == ("yes", 2)
    assert consolidated["narrative"] == {"en": "Changed.", "id": ""}
    assert consolidated["sources"] == [kem.pk] and consolidated["evidence"] == []
    stored = ConsolidatedAnswer.objects.get(
        assessment=cross_check_assessment, indicator__code="1.3.1"
    )
    assert stored.history.first().history_user == facilitator


def test_stale_version_is_409_with_the_current_state(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    target = url(cross_check_assessment, "1.3.1")
    assert api.put(target, {"answer": "yes"}, format="json").status_code == 200
    assert api.put(target, {"answer": "no", "version": 1}, format="json").status_code == 200
    result = api.put(target, {"answer": "partial", "version": 1}, format="json")
    assert result.status_code == 409
    body = result.json()
    assert "Someone changed this consolidated answer" in body["detail"]
    assert body["current"]["consolidated"]["answer"] == "no"
    assert body["current"]["consolidated"]["version"] == 2
    # Creating (no version) when one exists is stale too: nothing is overwritten blindly.
    result = api.put(target, {"answer": "partial", "version": None}, format="json")
    assert result.status_code == 409
    assert (
        ConsolidatedAnswer.objects.get(
            assessment=cross_check_assessment, indicator__code="1.3.1"
        ).answer
        == "no"
    )


def test_invalid_input_is_400(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    target = url(cross_check_assessment, "1.3.1")
    result = api.put(target, {"answer": "na"}, format="json")
    assert result.status_code == 400 and "answer" in result.json()
    assert api.put(target, {"narrative_en": "x"}, format="json").status_code == 400
    assert api.put(target, {"answer": "maybe"}, format="json").status_code == 400
    foreign = response_of(cross_check_assessment, "1.3.2", "KEMNAKER")
    result = api.put(target, {"answer": "yes", "sources": [foreign.pk]}, format="json")
    assert result.status_code == 400 and "sources" in result.json()
    result = api.put(target, {"answer": "yes", "evidence": [999999]}, format="json")
    assert result.status_code == 400 and "evidence" in result.json()
    no_coverage = Indicator.objects.filter(
        framework=cross_check_assessment.framework, has_coverage=False
    ).first()
    result = api.put(
        url(cross_check_assessment, no_coverage.code),
        {"answer": "yes", "coverage": "all"},
        format="json",
    )
    assert result.status_code == 400 and "coverage" in result.json()
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()


def test_frozen_after_approval_is_409_with_the_reopen_message(
    api, facilitator, coordinator, kemnaker, validation_assessment
):
    validation_services.validation_session_save(
        assessment=validation_assessment,
        actor=coordinator,
        held_on=datetime.date(2030, 6, 20),
        format="online",
        participant_count=25,
        institutions=[kemnaker],
    )
    setup_services.assessment_transition(
        assessment=validation_assessment, actor=coordinator, to=Assessment.Status.APPROVED
    )
    api.force_authenticate(facilitator)
    result = api.put(
        url(validation_assessment, "1.3.1"), {"answer": "yes", "version": 1}, format="json"
    )
    assert result.status_code == 409
    assert result.json()["detail"] == FROZEN
    assert result.json()["current"]["consolidated"]["answer"] == "partial"


def test_only_facilitators_write(
    api,
    coordinator,
    provincial_coordinator,
    administrator,
    focal_a,
    focal_b,
    cross_check_assessment,
):
    target = url(cross_check_assessment, "1.3.1")
    data = {"answer": "yes"}
    for reader in (coordinator, administrator):
        api.force_authenticate(reader)
        assert api.get(target).status_code == 200
        assert api.get(url(cross_check_assessment)).status_code == 200
        assert api.put(target, data, format="json").status_code == 403
    for stranger in (focal_a, focal_b, provincial_coordinator):
        api.force_authenticate(stranger)
        assert api.get(target).status_code == 404
        assert api.get(url(cross_check_assessment)).status_code == 404
        assert api.put(target, data, format="json").status_code == 404
    api.force_authenticate(None)
    assert api.get(target).status_code == 401
    assert api.put(target, data, format="json").status_code == 401
    assert api.get(url(cross_check_assessment)).status_code == 401
    assert not ConsolidatedAnswer.objects.filter(assessment=cross_check_assessment).exists()


def test_list_gives_code_conflict_and_consolidated_answer(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    consolidation_services.consolidated_save(
        assessment=cross_check_assessment,
        indicator=Indicator.objects.get(framework=cross_check_assessment.framework, code="1.3.1"),
        actor=facilitator,
        answer="partial",
    )
    body = api.get(url(cross_check_assessment)).json()
    assert body["count"] == 98 and len(body["results"]) == 98
    rows = {row["indicator"]: row for row in body["results"]}
    assert rows["1.3.1"]["conflict"] is True
    assert rows["1.3.1"]["consolidated"]["answer"] == "partial"
    assert rows["1.3.1"]["answers"] == [
        {"institution": "KEMNAKER", "role": "lead", "answer": "yes"},
        {"institution": "BP2MI", "role": "contributor", "answer": "partial"},
    ]
    assert rows["1.3.2"]["conflict"] is False and rows["1.3.2"]["consolidated"] is None
    conflicts = api.get(url(cross_check_assessment), {"conflicts": "true"}).json()
    assert [r["indicator"] for r in conflicts["results"]] == ["1.3.1", "4.1.2"]
    missing = api.get(url(cross_check_assessment), {"conflicts": "true", "missing": "true"})
    assert [r["indicator"] for r in missing.json()["results"]] == ["4.1.2"]
    dim = api.get(url(cross_check_assessment), {"dimension": 4}).json()
    assert dim["count"] and all(r["dimension"] == 4 for r in dim["results"])
    paged = api.get(url(cross_check_assessment), {"page_size": 10, "page": 2}).json()
    assert paged["count"] == 98 and len(paged["results"]) == 10 and paged["previous"]


def test_list_query_count_is_constant(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    target = url(cross_check_assessment)
    api.get(target)
    with CaptureQueriesContext(connection) as before:
        api.get(target)
    for code in ("1.3.1", "1.3.2", "4.1.2", "6.1.1"):
        consolidation_services.consolidated_save(
            assessment=cross_check_assessment,
            indicator=Indicator.objects.get(framework=cross_check_assessment.framework, code=code),
            actor=facilitator,
            answer="yes",
        )
    with CaptureQueriesContext(connection) as after:
        api.get(target)
    assert len(after.captured_queries) == len(before.captured_queries)
    # assessment, indicators (+dimension), responses (+institution, role subquery),
    # consolidated answers (force_authenticate: no session or token query)
    assert len(after.captured_queries) == 4


def test_detail_query_count_is_constant(api, facilitator, cross_check_assessment):
    api.force_authenticate(facilitator)
    target = url(cross_check_assessment, "1.3.1")
    api.put(target, {"answer": "yes"}, format="json")
    with CaptureQueriesContext(connection) as before:
        api.get(target)
    api.put(
        target,
        {
            "answer": "partial",
            "version": 1,
            "sources": [
                r.pk for r in cross_check_assessment.responses.filter(indicator__code="1.3.1")
            ],
        },
        format="json",
    )
    with CaptureQueriesContext(connection) as after:
        api.get(target)
    assert len(after.captured_queries) == len(before.captured_queries)
    # assessment, indicator (+dimension), responses (+institution, role), their evidence,
    # consolidated answer (+updated_by), its evidence, its sources
    assert len(after.captured_queries) == 7
