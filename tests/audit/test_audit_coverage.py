"""The audit trail's complete list: besides the setup, workflow, validation, findings and
sign-in events (test_audit_trail.py), the answers (each save, an import as one event),
evidence, submission and resubmission, answers accepted together, carried-forward answers
confirmed and carried forward, consolidated answers (before and after), new passwords and
"log out everywhere": who, what, from which address, and why."""

import pytest
from django.test import Client

from assessments.collection import carried
from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer, Response
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.setup.carry_forward import assessment_carry_forward
from audit.models import Action, AuditEvent
from indicators.models import FrameworkVersion, Indicator
from tests.conftest import submit_institution

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.23"


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_an_answer_saved_on_the_page_is_recorded_with_before_and_after(focal_a, response_a):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(focal_a)
    saved = client.post(
        f"/responses/{response_a.pk}/save/",
        {"version": response_a.version, "answer": "yes", "justification": "Law 18/2017."},
    )
    assert saved.status_code == 302
    event = only(Action.ANSWERS_SAVED)
    assert (event.actor, event.ip) == (focal_a, ADDRESS)
    assert event.assessment_id == response_a.assessment_id
    assert event.institution_id == response_a.institution_id
    assert event.object_id == str(response_a.pk)
    [answer] = event.details["answers"]
    assert answer["indicator"] == "1.3.1"
    assert answer["changes"]["answer"] == {"before": "", "after": "yes"}
    assert answer["changes"]["justification"] == {"before": "", "after": "Law 18/2017."}


def test_an_import_of_many_answers_is_one_event_with_each_answer(focal_a, national_assessment):
    responses = list(national_assessment.responses.filter(institution=focal_a.institution))
    changes = [
        collection_services.ResponseChange(r, r.version, {"answer": "no"}, None) for r in responses
    ]
    collection_services.responses_update_bulk(
        changes=changes, actor=focal_a, reason='excel_import|{"filename":"k.xlsx"}'
    )
    event = only(Action.ANSWERS_SAVED)
    assert event.reason == 'excel_import|{"filename":"k.xlsx"}'
    assert event.object_id == ""
    assert len(responses) == 4  # Kemnaker's 1.3.1, 1.3.2, 4.1.1 and 4.1.2
    assert sorted(a["indicator"] for a in event.details["answers"]) == [
        "1.3.1",
        "1.3.2",
        "4.1.1",
        "4.1.2",
    ]


def test_evidence_submission_and_resubmission_are_recorded(
    focal_a, facilitator, national_assessment, kemnaker, coordinator, focal_b
):
    evidence = collection_services.evidence_create(
        assessment=national_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="link",
        title="Ministry regulation",
        url="https://jdih.kemnaker.go.id/",
    )
    added = only(Action.EVIDENCE_ADDED)
    assert added.actor == focal_a and added.object_id == str(evidence.pk)
    assert added.institution_id == kemnaker.pk and added.details["title"] == "Ministry regulation"

    submission = submit_institution(national_assessment, kemnaker, focal_a)
    submitted = only(Action.ANSWERS_SUBMITTED)
    assert submitted.object_id == str(submission.pk) and submitted.details == {"answers": 4}

    response = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.2")
    review_services.response_review(
        response=response, actor=facilitator, decision="query", comment="Which article?"
    )
    review_services.response_resubmit(response=response, actor=focal_a)
    resubmitted = only(Action.ANSWER_RESUBMITTED)
    assert resubmitted.actor == focal_a and resubmitted.details == {"indicator": "1.3.2"}


def test_answers_accepted_together_are_recorded(facilitator, cross_check_assessment):
    queryset = Response.objects.filter(assessment=cross_check_assessment, state="submitted")
    count = queryset.count()
    done = review_services.responses_accept_bulk(queryset=queryset, actor=facilitator)
    assert done.accepted == count
    event = only(Action.ANSWERS_ACCEPTED)
    assert event.actor == facilitator and len(event.details["responses"]) == count
    assert event.assessment_id == cross_check_assessment.pk


def test_a_consolidated_answer_keeps_what_it_was(facilitator, validation_assessment):
    indicator = Indicator.objects.get(framework=validation_assessment.framework, code="1.1.1")
    current = ConsolidatedAnswer.objects.get(assessment=validation_assessment, indicator=indicator)
    AuditEvent.objects.all().delete()
    consolidation_services.consolidated_save(
        assessment=validation_assessment,
        indicator=indicator,
        actor=facilitator,
        answer="yes",
        narrative_en=current.narrative_en,
        narrative_id=current.narrative_id,
        version=current.version,
        reason="api",
    )
    event = only(Action.CONSOLIDATED_SAVED)
    assert event.actor == facilitator and event.reason == "api"
    assert event.details["indicator"] == "1.1.1"
    assert event.details["answer"] == {"before": "partial", "after": "yes"}
    assert "narrative_en" not in event.details  # unchanged


def test_carried_forward_answers_and_their_confirmation_are_recorded(
    coordinator, focal_a, kemnaker, national_assessment
):
    submit_institution(national_assessment, kemnaker, focal_a, "yes")
    later = setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-national-2023"),
        year=2034,
        title_en="Next round",
        title_id="Putaran berikut",
        previous=national_assessment,
    )
    cells = {
        (a.indicator_id, a.institution_id): a.role for a in national_assessment.assignments.all()
    }
    setup_services.matrix_apply(assessment=later, actor=coordinator, cells=cells)
    count = assessment_carry_forward(
        assessment=later, source=national_assessment, actor=coordinator
    )
    assert count == 4
    carried_event = only(Action.ANSWERS_CARRIED_FORWARD)
    assert carried_event.actor == coordinator and carried_event.assessment_id == later.pk
    assert carried_event.details["source"] == national_assessment.pk
    setup_services.assessment_transition(
        assessment=later, actor=coordinator, to=Assessment.Status.DATA_COLLECTION
    )
    confirmed = carried.responses_confirm_all(assessment=later, institution=kemnaker, actor=focal_a)
    assert confirmed == 4
    event = only(Action.ANSWERS_CONFIRMED)
    assert event.actor == focal_a and len(event.details["responses"]) == 4


def test_a_new_password_is_recorded(focal_a):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(focal_a)
    focal_a.set_password("old-Password-for-test-1")
    focal_a.save()
    AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED).delete()
    client.force_login(focal_a)
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": "old-Password-for-test-1",
            "new_password1": "a-Much-longer-secret-42",
            "new_password2": "a-Much-longer-secret-42",
        },
    )
    assert changed.status_code == 302
    event = only(Action.PASSWORD_CHANGED)
    assert (event.actor, event.ip, event.object_id) == (focal_a, ADDRESS, str(focal_a.pk))


def test_the_audit_page_and_csv_put_a_coded_reason_into_words(administrator, focal_a, response_a):
    collection_services.response_update(
        response=response_a, actor=focal_a, version=response_a.version, answer="no", reason="api"
    )
    client = Client()
    client.force_login(administrator)
    page = client.get("/audit/?action=answers_saved").content.decode()
    assert "Saved through the API" in page
    csv = b"".join(client.get("/audit/export.csv?action=answers_saved").streaming_content)
    assert "Saved through the API" in csv.decode()
