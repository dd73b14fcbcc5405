"""API of validation sessions, their decisions, and snapshots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments.models import Assessment, ConsolidatedAnswer, ValidationDecision, ValidationSession
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def sessions_url(assessment):
    return f"/api/v1/assessments/{assessment.pk}/validation-sessions/"


def decisions_url(session):
    return f"{sessions_url(session.assessment)}{session.pk}/decisions/"


NEW_SESSION = {
    "held_on": "2031-03-04",
    "ends_on": "2031-03-05",
    "format": "in_person",
    "place": "Bogor",
    "participant_count": 40,
    "institutions": ["KEMNAKER", "BP2MI"],
    "notes": "Two days.",
}


def test_coordinator_records_a_session(api, coordinator, validation_assessment):
    api.force_authenticate(coordinator)
    result = api.post(sessions_url(validation_assessment), NEW_SESSION, format="json")
    assert result.status_code == 201, result.json()
    body = result.json()
    assert body["institutions"] == ["BP2MI", "KEMNAKER"]
    assert body["recorded_by"] == "t-coordinator"
    assert (body["decision_count"], body["changed_count"]) == (0, 0)
    listing = api.get(sessions_url(validation_assessment)).json()
    assert [s["id"] for s in listing] == [body["id"]]


def test_session_values_are_checked(api, coordinator, validation_assessment):
    api.force_authenticate(coordinator)
    url = sessions_url(validation_assessment)
    result = api.post(url, {**NEW_SESSION, "institutions": ["KEMNAKER", "NOPE"]}, format="json")
    assert result.status_code == 400
    assert "NOPE" in result.json()["institutions"][0]
    result = api.post(url, {**NEW_SESSION, "ends_on": "2031-03-01"}, format="json")
    assert result.status_code == 400 and "ends_on" in result.json()
    result = api.post(url, {**NEW_SESSION, "participant_count": 0}, format="json")
    assert result.status_code == 400 and "participant_count" in result.json()
    result = api.post(url, {**NEW_SESSION, "format": "phone"}, format="json")
    assert result.status_code == 400 and "format" in result.json()
    assert not ValidationSession.objects.filter(assessment=validation_assessment).exists()


def test_sessions_outside_validation_are_refused_with_409(api, coordinator, approved_assessment):
    api.force_authenticate(coordinator)
    result = api.post(sessions_url(approved_assessment), NEW_SESSION, format="json")
    assert result.status_code == 409
    assert result.json() == {
        "detail": "Validation sessions are recorded while the assessment is in validation."
    }


def test_who_may_read_and_write_sessions(
    api, validation_session, facilitator, focal_a, provincial_coordinator
):
    a = validation_session.assessment
    assert api.get(sessions_url(a)).status_code == 401
    assert api.post(sessions_url(a), NEW_SESSION, format="json").status_code == 401
    api.force_authenticate(facilitator)
    assert api.get(sessions_url(a)).status_code == 200
    assert api.post(sessions_url(a), NEW_SESSION, format="json").status_code == 403
    decision = {"indicator": "1.3.1", "decision": "confirmed"}
    assert api.post(decisions_url(validation_session), decision, format="json").status_code == 403
    for stranger in (focal_a, provincial_coordinator):
        api.force_authenticate(stranger)
        assert api.get(sessions_url(a)).status_code == 404
        assert api.post(sessions_url(a), NEW_SESSION, format="json").status_code == 404
        result = api.post(decisions_url(validation_session), decision, format="json")
        assert result.status_code == 404
    assert ValidationSession.objects.filter(assessment=a).count() == 1
    assert not ValidationDecision.objects.exists()


def test_a_change_needs_an_answer_and_a_reason(api, coordinator, validation_session):
    api.force_authenticate(coordinator)
    url = decisions_url(validation_session)
    result = api.post(
        url, {"indicator": "1.3.1", "decision": "changed", "answer": "yes"}, format="json"
    )
    assert result.status_code == 400
    assert result.json() == {"reason": ["Give the reason for the change."]}
    result = api.post(
        url, {"indicator": "1.1.1", "decision": "changed", "answer": "na", "reason": "x"}
    )
    assert result.status_code == 400
    assert result.json() == {"answer": ["Choose one of the answers this indicator allows."]}
    result = api.post(url, {"indicator": "9.9.9", "decision": "confirmed"}, format="json")
    assert result.status_code == 400 and "indicator" in result.json()
    assert not ValidationDecision.objects.filter(session=validation_session).exists()


def test_a_change_is_recorded_and_updates_the_consolidated_answer(
    api, coordinator, validation_session
):
    api.force_authenticate(coordinator)
    a = validation_session.assessment
    result = api.post(
        decisions_url(validation_session),
        {"indicator": "1.3.1", "decision": "changed", "answer": "yes", "reason": "Law 18/2017."},
        format="json",
    )
    assert result.status_code == 201, result.json()
    assert result.json() | {"created_at": None} == {
        "indicator": "1.3.1",
        "decision": "changed",
        "previous_answer": "partial",
        "answer": "yes",
        "coverage": None,
        "reason": "Law 18/2017.",
        "decided_by": "t-coordinator",
        "created_at": None,
    }
    assert ConsolidatedAnswer.objects.get(assessment=a, indicator__code="1.3.1").answer == "yes"
    confirmed = api.post(
        decisions_url(validation_session),
        {"indicator": "2.3.2", "decision": "confirmed"},
        format="json",
    )
    assert confirmed.status_code == 201
    detail = api.get(f"{sessions_url(a)}{validation_session.pk}/").json()
    assert (detail["decision_count"], detail["changed_count"]) == (2, 1)
    assert [d["indicator"] for d in detail["decisions"]] == ["1.3.1", "2.3.2"]
    assert detail["institutions"] == ["BP2MI", "KEMNAKER"]


def test_decisions_after_approval_are_refused_with_409(api, coordinator, approved_assessment):
    api.force_authenticate(coordinator)
    session = approved_assessment.validation_sessions.get()
    result = api.post(
        decisions_url(session),
        {"indicator": "1.1.1", "decision": "changed", "answer": "no", "reason": "Too late."},
        format="json",
    )
    assert result.status_code == 409
    assert "in validation" in result.json()["detail"]


def test_snapshots_list_and_detail_survive_a_reopen(api, coordinator, approved_assessment):
    a = approved_assessment
    api.force_authenticate(coordinator)
    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.VALIDATION, note="New regulation."
    )
    session = a.validation_sessions.get()
    api.post(
        decisions_url(session),
        {"indicator": "1.1.1", "decision": "changed", "answer": "no", "reason": "New rule."},
        format="json",
    )
    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.APPROVED
    )
    listing = api.get(f"/api/v1/assessments/{a.pk}/snapshots/").json()
    assert [s["number"] for s in listing] == [2, 1]
    assert listing[0]["approved_by"] == "t-coordinator"
    first = api.get(f"/api/v1/assessments/{a.pk}/snapshots/1/").json()
    second = api.get(f"/api/v1/assessments/{a.pk}/snapshots/2/").json()
    answers = [{r["code"]: r["answer"] for r in s["data"]["indicators"]} for s in (first, second)]
    assert answers[0]["1.1.1"] == "partial" and answers[1]["1.1.1"] == "no"
    assert answers[0]["2.3.2"] == answers[1]["2.3.2"] == "yes"
    assert api.get(f"/api/v1/assessments/{a.pk}/snapshots/3/").status_code == 404


def test_snapshots_are_hidden_from_strangers(api, focal_b, approved_assessment):
    api.force_authenticate(focal_b)
    assert api.get(f"/api/v1/assessments/{approved_assessment.pk}/snapshots/").status_code == 404
    assert api.get(f"/api/v1/assessments/{approved_assessment.pk}/snapshots/1/").status_code == 404


def test_session_list_query_count_is_constant(
    api, facilitator, coordinator, validation_session, kemnaker
):
    import datetime

    a = validation_session.assessment
    api.force_authenticate(facilitator)
    api.get(sessions_url(a))
    with CaptureQueriesContext(connection) as one:
        api.get(sessions_url(a))
    for day in (10, 11, 12):
        validation_services.validation_session_save(
            assessment=a,
            actor=coordinator,
            held_on=datetime.date(2031, 3, day),
            format="online",
            participant_count=day,
            institutions=[kemnaker],
        )
    with CaptureQueriesContext(connection) as four:
        result = api.get(sessions_url(a))
    assert len(result.json()) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
    # assessment, sessions (with who recorded them and the decision counts), institutions
    assert len(four.captured_queries) == 3
