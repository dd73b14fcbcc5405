"""Validation (the FGD) as pages: sessions, the decision sheet, approval and snapshots."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import errors
from assessments.models import (
    Assessment,
    ConsolidatedAnswer,
    Snapshot,
    ValidationDecision,
    ValidationSession,
)
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def url(assessment, session=None, suffix=""):
    base = f"/assessments/{assessment.pk}/validation/"
    if session is not None:
        base += f"{session.pk}/"
    return base + suffix


def indicator(assessment, code):
    return Indicator.objects.get(framework=assessment.framework, code=code)


# --- sessions ---------------------------------------------------------------------------------


def test_coordinator_records_a_session_with_the_institutions_present(
    client, coordinator, validation_assessment, kemnaker, bp2mi
):
    client.force_login(coordinator)
    page = client.get(url(validation_assessment)).content.decode()
    assert "Record a session" in page
    assert f'value="{kemnaker.pk}"' in page and f'value="{bp2mi.pk}"' in page
    result = client.post(
        url(validation_assessment),
        {
            "held_on": "2031-03-04",
            "ends_on": "2031-03-05",
            "format": "in_person",
            "place": "Bogor",
            "participant_count": "41",
            "institutions": [kemnaker.pk, bp2mi.pk],
            "notes": "Two days.",
        },
    )
    session = ValidationSession.objects.get(assessment=validation_assessment)
    assert result.status_code == 302
    assert result["Location"] == url(validation_assessment, session)
    assert session.recorded_by == coordinator
    assert session.ends_on == datetime.date(2031, 3, 5)
    assert set(session.institutions.values_list("acronym", flat=True)) == {"KEMNAKER", "BP2MI"}
    listing = client.get(url(validation_assessment)).content.decode()
    assert "Bogor" in listing and "41" in listing and "KEMNAKER" in listing


def test_a_session_must_have_participants_and_an_order_of_days(
    client, coordinator, validation_assessment
):
    client.force_login(coordinator)
    result = client.post(
        url(validation_assessment),
        {"held_on": "2031-03-04", "ends_on": "2031-03-01", "format": "online", "place": "Zoom"},
    )
    assert result.status_code == 200
    page = result.content.decode()
    assert 'role="alert"' in page
    result = client.post(
        url(validation_assessment),
        {
            "held_on": "2031-03-04",
            "ends_on": "2031-03-01",
            "format": "online",
            "participant_count": "5",
        },
    )
    assert "The last day cannot be before the first." in result.content.decode()
    assert not ValidationSession.objects.filter(assessment=validation_assessment).exists()


def test_the_coordinator_corrects_the_facts_of_a_session(
    client, coordinator, validation_session, kemnaker
):
    client.force_login(coordinator)
    a = validation_session.assessment
    result = client.post(
        url(a, validation_session),
        {
            "held_on": "2031-03-04",
            "format": "online",
            "place": "Zoom",
            "participant_count": "25",
            "institutions": [kemnaker.pk],
        },
    )
    assert result.status_code == 302
    validation_session.refresh_from_db()
    assert validation_session.participant_count == 25
    assert validation_session.format == "online"
    assert list(validation_session.institutions.values_list("acronym", flat=True)) == ["KEMNAKER"]


def test_facilitator_reads_the_sessions_but_cannot_record_one(
    client, facilitator, validation_session
):
    client.force_login(facilitator)
    a = validation_session.assessment
    page = client.get(url(a)).content.decode()
    assert "Jakarta, Kemlu" in page
    assert "Record a session" not in page
    post = {"held_on": "2031-03-05", "format": "online", "participant_count": "3"}
    assert client.post(url(a), post).status_code == 403
    sheet = client.get(url(a, validation_session)).content.decode()
    assert "Correct the session" not in sheet and "/decide/" not in sheet
    assert 'name="decision"' not in sheet
    assert ValidationSession.objects.filter(assessment=a).count() == 1


def test_focal_points_and_other_provinces_do_not_see_validation(
    client, focal_a, provincial_coordinator, validation_session
):
    a = validation_session.assessment
    for user in (focal_a, provincial_coordinator):
        client.force_login(user)
        assert client.get(url(a)).status_code == 404
        assert client.get(url(a, validation_session)).status_code == 404
        post = {"indicator": "1.3.1", "decision": "confirmed"}
        assert client.post(url(a, validation_session, "decide/"), post).status_code == 404
    assert not ValidationDecision.objects.exists()


def test_sessions_are_recorded_only_in_validation(client, coordinator, approved_assessment):
    client.force_login(coordinator)
    page = client.get(url(approved_assessment)).content.decode()
    assert "Record a session" not in page
    result = client.post(
        url(approved_assessment),
        {"held_on": "2031-07-01", "format": "online", "participant_count": "3"},
    )
    assert result.status_code == 200
    assert (
        "Validation sessions are recorded while the assessment is in validation."
        in result.content.decode()
    )
    assert approved_assessment.validation_sessions.count() == 1


def test_session_list_query_count_is_constant(
    client, coordinator, validation_session, kemnaker, bp2mi
):
    client.force_login(coordinator)
    a = validation_session.assessment
    client.get(url(a))
    with CaptureQueriesContext(connection) as one:
        client.get(url(a))
    for day in (5, 6, 7):
        s = validation_services.validation_session_save(
            assessment=a,
            actor=coordinator,
            held_on=datetime.date(2031, 3, day),
            format="online",
            participant_count=day,
            institutions=[kemnaker, bp2mi],
        )
        validation_services.validation_decide(
            session=s, indicator=indicator(a, "1.1.1"), actor=coordinator, decision="confirmed"
        )
    with CaptureQueriesContext(connection) as four:
        client.get(url(a))
    assert len(four.captured_queries) == len(one.captured_queries)
    # session, user, assessment, sessions (with decision counts), their institutions,
    # institutions for the form's checkboxes
    assert len(four.captured_queries) == 6


# --- the decision sheet -----------------------------------------------------------------------


def test_decision_sheet_shows_every_indicator_with_its_consolidated_answer(
    client, coordinator, validation_session
):
    client.force_login(coordinator)
    a = validation_session.assessment
    page = client.get(url(a, validation_session)).content.decode()
    assert page.count('class="decision-row') == 98
    assert page.count('name="decision" value="changed"') == 98
    assert "Confirm all 98 indicators without a decision" in page
    # Answers a question cannot take are not offered: 1.1.1 has no "Not applicable".
    row = page.split('id="ind-{}"'.format(indicator(a, "1.1.1").pk))[1].split("</tr>")[0]
    assert 'value="na"' not in row and 'value="partial"' in row


def test_a_change_without_reason_is_refused_and_nothing_recorded(
    client, coordinator, validation_session
):
    client.force_login(coordinator)
    a = validation_session.assessment
    result = client.post(
        url(a, validation_session, "decide/"),
        {"indicator": "1.3.1", "decision": "changed", "answer": "yes", "reason": "  "},
    )
    assert result.status_code == 200
    page = result.content.decode()
    assert "Give the reason for the change." in page
    assert not ValidationDecision.objects.filter(session=validation_session).exists()
    assert ConsolidatedAnswer.objects.get(assessment=a, indicator__code="1.3.1").answer == "partial"


def test_an_answer_the_indicator_does_not_allow_is_refused(client, coordinator, validation_session):
    client.force_login(coordinator)
    a = validation_session.assessment
    assert not indicator(a, "1.1.1").allows_not_applicable
    result = client.post(
        url(a, validation_session, "decide/"),
        {"indicator": "1.1.1", "decision": "changed", "answer": "na", "reason": "n/a"},
    )
    assert "Choose one of the answers this indicator allows." in result.content.decode()
    assert not ValidationDecision.objects.filter(session=validation_session).exists()


def test_a_change_with_reason_updates_the_consolidated_answer(
    client, coordinator, validation_session
):
    client.force_login(coordinator)
    a = validation_session.assessment
    result = client.post(
        url(a, validation_session, "decide/"),
        {"indicator": "1.3.1", "decision": "changed", "answer": "yes", "reason": "Law 18/2017."},
    )
    assert result.status_code == 302
    assert result["Location"].endswith(f"#ind-{indicator(a, '1.3.1').pk}")
    decision = ValidationDecision.objects.get(session=validation_session)
    assert (decision.previous_answer, decision.answer, decision.reason) == (
        "partial",
        "yes",
        "Law 18/2017.",
    )
    assert ConsolidatedAnswer.objects.get(assessment=a, indicator__code="1.3.1").answer == "yes"
    page = client.get(url(a, validation_session)).content.decode()
    assert "Law 18/2017." in page and "1 changed" in page


def test_htmx_decision_answers_with_the_row(client, coordinator, validation_session):
    client.force_login(coordinator)
    a = validation_session.assessment
    target = indicator(a, "2.3.2")
    result = client.post(
        url(a, validation_session, "decide/"),
        {"indicator": "2.3.2", "decision": "confirmed"},
        HTTP_HX_REQUEST="true",
    )
    assert result.status_code == 200
    html = result.content.decode()
    assert html.strip().startswith(f'<tr id="ind-{target.pk}"')
    assert "decided-confirmed" in html and "<html" not in html
    refused = client.post(
        url(a, validation_session, "decide/"),
        {"indicator": "2.3.2", "decision": "changed", "answer": "no", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "Give the reason for the change." in refused.content.decode()
    assert ValidationDecision.objects.get(session=validation_session).decision == "confirmed"


def test_confirm_all_records_every_indicator_without_a_decision(
    client, coordinator, validation_session
):
    client.force_login(coordinator)
    a = validation_session.assessment
    validation_services.validation_decide(
        session=validation_session,
        indicator=indicator(a, "1.3.1"),
        actor=coordinator,
        decision="changed",
        answer="yes",
        reason="Law 18/2017.",
    )
    result = client.post(url(a, validation_session, "confirm-rest/"))
    assert result.status_code == 302
    decisions = ValidationDecision.objects.filter(session=validation_session)
    assert decisions.count() == 98
    assert decisions.filter(decision="changed").get().indicator.code == "1.3.1"
    page = client.get(url(a, validation_session)).content.decode()
    assert "97 confirmed" in page and "Confirm all" not in page


def test_decision_sheet_query_count_is_constant(client, coordinator, validation_session):
    client.force_login(coordinator)
    a = validation_session.assessment
    client.get(url(a, validation_session))
    with CaptureQueriesContext(connection) as none_decided:
        client.get(url(a, validation_session))
    for code in ("1.1.1", "1.3.1", "2.3.2", "4.1.2"):
        validation_services.validation_decide(
            session=validation_session,
            indicator=indicator(a, code),
            actor=coordinator,
            decision="changed",
            answer="yes",
            reason=f"Reason {code}",
        )
    with CaptureQueriesContext(connection) as some_decided:
        response = client.get(url(a, validation_session))
    assert response.content.decode().count("Reason ") >= 4
    assert len(some_decided.captured_queries) == len(none_decided.captured_queries)
    # session, user, assessment, validation session, consolidated answers, decisions,
    # indicators, institutions present, and the institutions the form offers
    assert len(some_decided.captured_queries) == 9


# --- approval, the snapshot, reopening --------------------------------------------------------


def test_fgd_changes_one_answer_then_approval_freezes_a_snapshot_and_reopening_is_needed(
    client, coordinator, validation_assessment, kemnaker, bp2mi
):
    """The issue's "done when": an FGD changes one answer with a reason, the validation is
    approved and frozen into a snapshot; a further change needs a reopen with a reason."""
    a = validation_assessment
    client.force_login(coordinator)
    client.post(
        url(a),
        {
            "held_on": "2031-03-04",
            "format": "hybrid",
            "place": "Jakarta",
            "participant_count": "30",
            "institutions": [kemnaker.pk, bp2mi.pk],
        },
    )
    session = ValidationSession.objects.get(assessment=a)
    client.post(
        url(a, session, "decide/"),
        {"indicator": "1.3.1", "decision": "changed", "answer": "yes", "reason": "Law 18/2017."},
    )
    client.post(url(a, session, "confirm-rest/"))
    assert session.decisions.count() == 98

    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.APPROVED
    )
    snapshot = Snapshot.objects.get(assessment=a)
    assert snapshot.number == 1
    frozen = {row["code"]: row for row in snapshot.data["indicators"]}
    assert frozen["1.3.1"]["answer"] == "yes" and frozen["1.1.1"]["answer"] == "partial"
    [fgd] = snapshot.data["validation"]
    changed = [d for d in fgd["decisions"] if d["decision"] == "changed"]
    assert changed == [
        {
            "indicator": "1.3.1",
            "decision": "changed",
            "previous_answer": "partial",
            "answer": "yes",
            "reason": "Law 18/2017.",
        }
    ]

    # Frozen: the page offers no decision any more, and a decision posted anyway is refused.
    page = client.get(url(a, session)).content.decode()
    assert 'name="decision"' not in page
    result = client.post(
        url(a, session, "decide/"),
        {"indicator": "1.1.1", "decision": "changed", "answer": "no", "reason": "Late news."},
    )
    assert "Validation sessions are recorded while the assessment is in validation." in (
        result.content.decode()
    )
    assert ConsolidatedAnswer.objects.get(assessment=a, indicator__code="1.1.1").answer == "partial"
    with pytest.raises(errors.ServiceError):
        setup_services.assessment_transition(
            assessment=a, actor=coordinator, to=Assessment.Status.VALIDATION
        )  # reopening needs a reason

    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.VALIDATION, note="New regulation."
    )
    client.post(
        url(a, session, "decide/"),
        {"indicator": "1.1.1", "decision": "changed", "answer": "no", "reason": "Late news."},
    )
    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.APPROVED
    )
    first, second = Snapshot.objects.filter(assessment=a).order_by("number")
    assert second.number == 2
    assert {r["code"]: r["answer"] for r in second.data["indicators"]}["1.1.1"] == "no"
    first.refresh_from_db()
    assert {r["code"]: r["answer"] for r in first.data["indicators"]}["1.1.1"] == "partial"

    # The earlier snapshot stays readable, and says what replaced it.
    page = client.get(f"/assessments/{a.pk}/snapshots/1/").content.decode()
    assert "snapshot 2 replaces this one" in page
    listing = client.get(f"/assessments/{a.pk}/snapshots/").content.decode()
    assert "Snapshot 1" in listing and "Snapshot 2" in listing


def test_snapshot_page_shows_the_frozen_data_in_the_users_language(
    client, facilitator, approved_assessment
):
    a = approved_assessment
    client.force_login(facilitator)
    page = client.get(f"/assessments/{a.pk}/snapshots/1/").content.decode()
    assert "Narrative 1.3.1" in page and "Law 18/2017 covers it fully." in page
    assert "KEMNAKER" in page
    # Live data changing later does not change the page: it shows what was frozen.
    ConsolidatedAnswer.objects.filter(assessment=a, indicator__code="1.3.1").update(
        narrative_en="Edited afterwards"
    )
    client.cookies["django_language"] = "id"
    page = client.get(f"/assessments/{a.pk}/snapshots/1/").content.decode()
    assert "Narasi 1.3.1" in page and "Edited afterwards" not in page
    assert '<html lang="id">' in page


def test_snapshot_pages_query_counts(client, coordinator, approved_assessment):
    client.force_login(coordinator)
    a = approved_assessment
    client.get(f"/assessments/{a.pk}/snapshots/")
    with CaptureQueriesContext(connection) as listing:
        client.get(f"/assessments/{a.pk}/snapshots/")
    # session, user, assessment, snapshots with who approved them
    assert len(listing.captured_queries) == 4
    with CaptureQueriesContext(connection) as detail:
        client.get(f"/assessments/{a.pk}/snapshots/1/")
    # session, user, assessment, the snapshot with who approved it, the latest number
    assert len(detail.captured_queries) == 5
    assert client.get(f"/assessments/{a.pk}/snapshots/2/").status_code == 404


def test_a_long_reason_is_recorded_whole(coordinator, validation_session):
    a = validation_session.assessment
    reason = "Law 18/2017 protects all migrant workers abroad; " * 4
    validation_services.validation_decide(
        session=validation_session,
        indicator=indicator(a, "1.3.1"),
        actor=coordinator,
        decision="changed",
        answer="yes",
        reason=reason,
    )
    assert ValidationDecision.objects.get(session=validation_session).reason == reason.strip()


@pytest.mark.parametrize("language", ["en", "id"])
def test_validation_pages_have_language_labels_and_no_inline_code(
    client, coordinator, approved_assessment, language
):
    from tests.test_pages_security_a11y import PageAudit

    a = approved_assessment
    session = a.validation_sessions.get()
    # Reopened, so the coordinator's session page carries every form.
    setup_services.assessment_transition(
        assessment=a, actor=coordinator, to=Assessment.Status.VALIDATION, note="Check."
    )
    client.force_login(coordinator)
    client.cookies["django_language"] = language
    for path in (
        url(a),
        url(a, session),
        f"/assessments/{a.pk}/snapshots/",
        f"/assessments/{a.pk}/snapshots/1/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        page = PageAudit()
        page.feed(response.content.decode())
        assert page.html_lang == language
        assert page.h1 == 1, path
        unlabelled = [
            f for f in page.fields if f.get("id") not in page.labels and not f.get("aria-label")
        ]
        assert unlabelled == [], path
        assert page.inline_scripts == 0 and page.inline_styles == 0, path
