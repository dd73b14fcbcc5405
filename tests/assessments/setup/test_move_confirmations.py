"""Closing data collection and approving the validated answers ask for confirmation first:
the first POST changes nothing and states what will happen, who will be told and what is
still missing; only the POST from the confirmation page moves the assessment."""

import datetime

import pytest

from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, AssessmentStatusChange, Snapshot
from assessments.validation import services as validation_services
from indicators.models import Indicator
from tests.conftest import submit_institution

pytestmark = pytest.mark.django_db
S = Assessment.Status


def transition(assessment):
    return f"/assessments/{assessment.pk}/transition/"


def test_closing_data_collection_first_says_who_has_not_submitted_and_what_stays_blank(
    client, coordinator, focal_a, national_assessment
):
    submit_institution(national_assessment, focal_a.institution, focal_a, "yes")
    client.force_login(coordinator)
    result = client.post(
        transition(national_assessment), {"to": S.CROSS_CHECK, "note": "Deadline passed."}
    )
    assert result.status_code == 200
    html = result.content.decode()
    assert "Close data collection and start the cross-check" in html
    # Kemnaker submitted; BP2MI and KEMLU did not, named with their full names.
    assert "2 of 3 institutions have not submitted: BP2MI (" in html
    assert "; KEMLU (" in html
    # Kemnaker answered 1.3.1, 1.3.2, 4.1.1 and 4.1.2: the other 94 have no answer.
    assert "94 of 98 assigned indicators stay without any answer: 1.1.1, 1.1.2" in html
    assert "The IOM facilitators of this assessment (1), by email" in html
    assert "The focal points of the assigned institutions (" in html
    # The confirmation resends the move and its note.
    assert 'name="to" value="cross_check"' in html and 'value="Deadline passed."' in html
    assert 'name="confirmed" value="yes"' in html
    national_assessment.refresh_from_db()
    assert national_assessment.status == S.DATA_COLLECTION
    assert not AssessmentStatusChange.objects.filter(
        assessment=national_assessment, to_status=S.CROSS_CHECK
    ).exists()

    result = client.post(
        transition(national_assessment),
        {"to": S.CROSS_CHECK, "note": "Deadline passed.", "confirmed": "yes"},
    )
    assert result.status_code == 302
    national_assessment.refresh_from_db()
    assert national_assessment.status == S.CROSS_CHECK
    change = AssessmentStatusChange.objects.get(
        assessment=national_assessment, to_status=S.CROSS_CHECK
    )
    assert change.note == "Deadline passed."


def test_close_confirmation_in_indonesian(client, coordinator, national_assessment, settings):
    coordinator.language = "id"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.post(transition(national_assessment), {"to": S.CROSS_CHECK}).content.decode()
    assert 'lang="id"' in html
    assert "Tutup pengumpulan data dan mulai pemeriksaan silang" in html
    assert "3 dari 3 lembaga belum mengirimkan jawaban" in html
    national_assessment.refresh_from_db()
    assert national_assessment.status == S.DATA_COLLECTION


def session(assessment, coordinator, kemnaker):
    return validation_services.validation_session_save(
        assessment=assessment,
        actor=coordinator,
        held_on=datetime.date(2031, 6, 20),
        format="in_person",
        participant_count=30,
        institutions=[kemnaker],
    )


def test_approving_first_says_what_is_frozen_and_what_is_no_information(
    client, coordinator, facilitator, kemnaker, validation_assessment
):
    session(validation_assessment, coordinator, kemnaker)
    consolidation_services.consolidated_save(
        assessment=validation_assessment,
        indicator=Indicator.objects.get(framework=validation_assessment.framework, code="1.1.1"),
        actor=facilitator,
        answer="no_info",
        version=1,
    )
    client.force_login(coordinator)
    result = client.post(transition(validation_assessment), {"to": S.APPROVED})
    assert result.status_code == 200
    html = result.content.decode()
    assert "Approve the validated answers" in html
    assert (
        "The consolidated answers of the 98 indicators are frozen as validated snapshot no. 1 "
        "(Partially: 97; No information: 1)"
    ) in html
    assert "1 indicator is frozen as “No information”; the profile says so: 1.1.1." in html
    assert "The IOM facilitators of this assessment (1), by email" in html
    assert 'name="confirmed" value="yes"' in html
    assert not Snapshot.objects.filter(assessment=validation_assessment).exists()
    validation_assessment.refresh_from_db()
    assert validation_assessment.status == S.VALIDATION

    result = client.post(transition(validation_assessment), {"to": S.APPROVED, "confirmed": "yes"})
    assert result.status_code == 302
    snapshot = Snapshot.objects.get(assessment=validation_assessment)
    frozen = {r["code"]: r["answer"] for r in snapshot.data["indicators"]}
    assert frozen["1.1.1"] == "no_info"


def test_approval_without_a_session_is_shown_blocked(client, coordinator, validation_assessment):
    client.force_login(coordinator)
    html = client.post(transition(validation_assessment), {"to": S.APPROVED}).content.decode()
    assert "Record the validation session (the focus group discussion) first." in html
    assert 'name="confirmed"' not in html  # no button to act


def test_validation_room_offers_the_approval_through_its_confirmation(
    client, coordinator, facilitator, validation_assessment
):
    url = f"/assessments/{validation_assessment.pk}/validation/"
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert 'id="approve-heading"' in html
    assert f'action="{transition(validation_assessment)}"' in html
    client.force_login(facilitator)
    assert 'id="approve-heading"' not in client.get(url).content.decode()
