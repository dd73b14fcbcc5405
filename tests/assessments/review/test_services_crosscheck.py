"""Review per answer, consolidation, validation, the workflow and its snapshot (services)."""

import datetime

import pytest
from django.core import mail

from assessments import errors
from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.errors import ServiceError
from assessments.history_reasons import reason_text
from assessments.models import (
    Assessment,
    AssessmentStatusChange,
    ConsolidatedAnswer,
    Response,
    ResponseComment,
    Snapshot,
)
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

S = Assessment.Status


def answer_and_submit(assessment, institution, actor, answer="yes"):
    for r in assessment.responses.filter(institution=institution):
        collection_services.response_update(
            response=r,
            actor=actor,
            version=r.version,
            answer=answer,
            justification=f"{institution.acronym} says {answer}",
        )
    return collection_services.submission_create(
        assessment=assessment, institution=institution, actor=actor
    )


@pytest.fixture
def submitted(national_assessment, kemnaker, bp2mi, focal_a, focal_b):
    answer_and_submit(national_assessment, kemnaker, focal_a, "yes")
    answer_and_submit(national_assessment, bp2mi, focal_b, "partial")
    return national_assessment


def test_return_reopens_only_that_answer_and_notifies_the_institution(
    submitted, kemnaker, facilitator, focal_a, focal_b, django_capture_on_commit_callbacks
):
    focal_a.email, focal_b.email = "a@kemnaker.go.id", "b@bp2mi.go.id"
    focal_a.save(), focal_b.save()
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=target, actor=facilitator, decision="return", comment="Cite the regulation."
        )
    target.refresh_from_db()
    assert (target.state, target.review_state) == ("returned", "returned")
    others = submitted.responses.filter(institution=kemnaker).exclude(pk=target.pk)
    assert set(others.values_list("state", flat=True)) == {"submitted"}
    assert [m.to for m in mail.outbox] == [["a@kemnaker.go.id"]]
    assert "1.3.1" in mail.outbox[0].subject and "Cite the regulation." in mail.outbox[0].body
    assert target.comments.get().kind == ResponseComment.Kind.RETURN


def test_query_and_return_need_a_comment(submitted, kemnaker, facilitator):
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    for decision in ("query", "return"):
        with pytest.raises(ServiceError, match="clarified or revised"):
            review_services.response_review(response=target, actor=facilitator, decision=decision)


def test_returned_answer_can_be_revised_and_resubmitted(submitted, kemnaker, facilitator, focal_a):
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    review_services.response_review(
        response=target, actor=facilitator, decision="return", comment="Why?"
    )
    target.refresh_from_db()
    target = collection_services.response_update(
        response=target, actor=focal_a, version=target.version, answer="partial"
    )
    target = review_services.response_resubmit(response=target, actor=focal_a)
    assert (target.state, target.review_state, target.answer) == (
        "submitted",
        "resubmitted",
        "partial",
    )
    assert list(target.comments.values_list("kind", flat=True)) == ["return", "resubmit"]


def test_a_queried_answer_stays_editable(submitted, kemnaker, facilitator, focal_a):
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.2")
    review_services.response_review(
        response=target, actor=facilitator, decision="query", comment="Which law?"
    )
    target.refresh_from_db()
    assert target.state == "submitted" and target.is_editable
    collection_services.response_update(
        response=target, actor=focal_a, version=target.version, justification="Law 13/2003"
    )


def test_a_review_moves_the_version_so_an_older_form_cannot_overwrite(
    submitted, kemnaker, facilitator, focal_a
):
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    seen = target.version
    review_services.response_review(
        response=target, actor=facilitator, decision="return", comment="Revise"
    )
    with pytest.raises(errors.StaleResponse):
        collection_services.response_update(
            response=Response.objects.get(pk=target.pk), actor=focal_a, version=seen, answer="no"
        )


def test_draft_answers_cannot_be_reviewed(national_assessment, kemnaker, facilitator):
    target = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
    with pytest.raises(ServiceError, match="Only submitted"):
        review_services.response_review(response=target, actor=facilitator, decision="accept")


def move(assessment, actor, to, note=""):
    return setup_services.assessment_transition(
        assessment=assessment, actor=actor, to=to, note=note
    )


def test_the_workflow_refuses_illegal_moves_and_says_why(national_assessment, coordinator):
    with pytest.raises(ServiceError, match="cannot move from “Data collection” to “Approved”"):
        move(national_assessment, coordinator, S.APPROVED)
    move(national_assessment, coordinator, S.CROSS_CHECK)
    with pytest.raises(ServiceError, match="reason"):
        move(national_assessment, coordinator, S.DATA_COLLECTION)
    move(national_assessment, coordinator, S.DATA_COLLECTION, note="Kemnaker asked for a week more")
    history = list(
        AssessmentStatusChange.objects.filter(assessment=national_assessment).values_list(
            "from_status", "to_status", "note"
        )
    )
    assert history[-2:] == [
        ("data_collection", "cross_check", ""),
        ("cross_check", "data_collection", "Kemnaker asked for a week more"),
    ]


def test_validation_cannot_start_while_answers_await_review_or_consolidation(
    submitted, coordinator, facilitator, kemnaker
):
    move(submitted, coordinator, S.CROSS_CHECK)
    with pytest.raises(ServiceError) as excinfo:
        move(submitted, coordinator, S.VALIDATION)
    message = excinfo.value.message
    assert "answers await review" in message and "1.3.1" in message
    assert "98 indicators have no consolidated answer" in message
    assert Assessment.objects.get(pk=submitted.pk).status == S.CROSS_CHECK


def test_conflict_consolidation_validation_and_frozen_snapshot(
    submitted, coordinator, facilitator, kemnaker, bp2mi
):
    move(submitted, coordinator, S.CROSS_CHECK)
    for r in submitted.responses.filter(state="submitted"):
        review_services.response_review(response=r, actor=facilitator, decision="accept")
    # 1.3.1: Kemnaker (lead) said yes, BP2MI (contributor) partial: a conflict, consolidated by hand.
    shared = Indicator.objects.get(framework=submitted.framework, code="1.3.1")
    with pytest.raises(ServiceError, match="The institutions disagree"):
        consolidation_services.consolidated_take_over_lead(
            assessment=submitted, indicator=shared, actor=facilitator
        )
    sources = list(submitted.responses.filter(indicator=shared))
    consolidation_services.consolidated_save(
        assessment=submitted,
        indicator=shared,
        actor=facilitator,
        answer="partial",
        narrative_en="Migrant workers may work, but ...",
        narrative_id="Pekerja migran boleh bekerja, tetapi ...",
        sources=sources,
    )
    # Every other indicator: KEMLU never answered, so consolidate directly; Kemnaker-only ones take over.
    for indicator in submitted.framework.indicators.exclude(pk=shared.pk):
        try:
            consolidation_services.consolidated_take_over_lead(
                assessment=submitted, indicator=indicator, actor=facilitator
            )
        except ServiceError:
            consolidation_services.consolidated_save(
                assessment=submitted, indicator=indicator, actor=facilitator, answer="no"
            )
    assert (
        ConsolidatedAnswer.objects.get(assessment=submitted, indicator__code="1.3.2")
        .sources.get()
        .institution
        == kemnaker
    )

    move(submitted, coordinator, S.VALIDATION)
    with pytest.raises(ServiceError, match="validation session"):
        move(submitted, coordinator, S.APPROVED)
    session = validation_services.validation_session_save(
        assessment=submitted,
        actor=coordinator,
        held_on=datetime.date(2023, 6, 20),
        ends_on=datetime.date(2023, 6, 21),
        format="hybrid",
        place="Jakarta",
        participant_count=94,
        institutions=[kemnaker, bp2mi],
    )
    validation_services.validation_decide(
        session=session, indicator=shared, actor=coordinator, decision="confirmed"
    )
    changed = Indicator.objects.get(framework=submitted.framework, code="2.3.2")
    with pytest.raises(ServiceError, match="reason"):
        validation_services.validation_decide(
            session=session, indicator=changed, actor=coordinator, decision="changed", answer="yes"
        )
    validation_services.validation_decide(
        session=session,
        indicator=changed,
        actor=coordinator,
        decision="changed",
        answer="yes",
        reason="Law 18/2017 covers it fully.",
    )
    consolidated = ConsolidatedAnswer.objects.get(assessment=submitted, indicator=changed)
    assert consolidated.answer == "yes"
    assert reason_text(consolidated.history.first().history_change_reason) == (
        "Validation 2023-06-20: Law 18/2017 covers it fully."
    )

    move(submitted, coordinator, S.APPROVED)
    snapshot = Snapshot.objects.get(assessment=submitted)
    assert snapshot.number == 1
    rows = {r["code"]: r for r in snapshot.data["indicators"]}
    assert (
        len(rows) == 98
        and rows["2.3.2"]["answer"] == "yes"
        and rows["1.3.1"]["answer"] == "partial"
    )
    assert {s["institution"] for s in rows["1.3.1"]["sources"]} == {"KEMNAKER", "BP2MI"}
    assert snapshot.data["validation"][0]["participant_count"] == 94

    # Frozen: changes need a reopening with a reason; the first snapshot stays as it was.
    with pytest.raises(ServiceError, match="frozen"):
        consolidation_services.consolidated_save(
            assessment=submitted, indicator=shared, actor=facilitator, answer="yes"
        )
    with pytest.raises(ServiceError, match="reason"):
        move(submitted, coordinator, S.VALIDATION)
    move(submitted, coordinator, S.VALIDATION, note="MOFA corrects 1.3.1 after the FGD")
    consolidation_services.consolidated_save(
        assessment=submitted,
        indicator=shared,
        actor=facilitator,
        answer="yes",
        version=ConsolidatedAnswer.objects.get(assessment=submitted, indicator=shared).version,
    )
    move(submitted, coordinator, S.APPROVED)
    first, second = Snapshot.objects.filter(assessment=submitted).order_by("number")
    assert [s["answer"] for s in first.data["indicators"] if s["code"] == "1.3.1"] == ["partial"]
    assert [s["answer"] for s in second.data["indicators"] if s["code"] == "1.3.1"] == ["yes"]


def test_stale_consolidation_is_refused(submitted, coordinator, facilitator):
    move(submitted, coordinator, S.CROSS_CHECK)
    indicator = Indicator.objects.get(framework=submitted.framework, code="6.1.1")
    consolidation_services.consolidated_save(
        assessment=submitted, indicator=indicator, actor=facilitator, answer="yes"
    )
    consolidation_services.consolidated_save(
        assessment=submitted, indicator=indicator, actor=facilitator, answer="no", version=1
    )
    with pytest.raises(errors.StaleConsolidation):
        consolidation_services.consolidated_save(
            assessment=submitted,
            indicator=indicator,
            actor=facilitator,
            answer="partial",
            version=1,
        )
    assert ConsolidatedAnswer.objects.get(assessment=submitted, indicator=indicator).answer == "no"


def test_submission_notifies_the_facilitators(
    national_assessment, kemnaker, focal_a, facilitator, django_capture_on_commit_callbacks
):
    facilitator.email = "iom@iom.int"
    facilitator.save()
    with django_capture_on_commit_callbacks(execute=True):
        answer_and_submit(national_assessment, kemnaker, focal_a)
    assert [m.to for m in mail.outbox] == [["iom@iom.int"]]
    assert "KEMNAKER" in mail.outbox[0].subject


def test_notifications_respect_the_users_choice_and_language(
    submitted, kemnaker, facilitator, focal_a, django_capture_on_commit_callbacks
):
    focal_a.email = "a@kemnaker.go.id"
    focal_a.language = "id"
    focal_a.save()
    target = submitted.responses.get(institution=kemnaker, indicator__code="1.3.1")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=target, actor=facilitator, decision="query", comment="Pasal berapa?"
        )
    assert "Portal MGI" in mail.outbox[0].subject
    focal_a.notifications_enabled = False
    focal_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.response_review(
            response=submitted.responses.get(institution=kemnaker, indicator__code="1.3.2"),
            actor=facilitator,
            decision="query",
            comment="?",
        )
    assert mail.outbox == []


def test_deadline_reminder_goes_once_to_institutions_that_have_not_submitted(
    national_assessment, kemnaker, bp2mi, focal_a, focal_b, django_capture_on_commit_callbacks
):
    from assessments import notifications

    focal_a.email, focal_b.email = "a@kemnaker.go.id", "b@bp2mi.go.id"
    focal_a.save(), focal_b.save()
    answer_and_submit(national_assessment, bp2mi, focal_b)
    today = datetime.date(2030, 5, 1)
    Assessment.objects.filter(pk=national_assessment.pk).update(
        data_collection_deadline=today + datetime.timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deadline_reminders(today=today)
        notifications.deadline_reminders(today=today)
        notifications.deadline_reminders(today=today + datetime.timedelta(days=1))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@kemnaker.go.id"]
