"""Background mail: retried with back-off on connection errors, a reminder recorded as sent
only once the mail server took it, a mail given up recorded in the audit. Frozen means
frozen: no comment, review, evidence or answer change once approved or published."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, override_settings
from rest_framework.test import APIClient

from assessments import notifications
from assessments.collection import services as collection_services
from assessments.errors import ServiceError
from assessments.models import Assessment, DeadlineReminder
from assessments.review import services as review_services
from audit.models import Action, AuditEvent
from ministries.tasks import MAIL_MAX_RETRIES, retry_delay, send_email

pytestmark = pytest.mark.django_db

FAILING = "tests.audit.test_mail_and_frozen.FailingBackend"
FLAKY = "tests.audit.test_mail_and_frozen.FlakyBackend"


class FailingBackend(EmailBackend):
    """A mail server that cannot be reached."""

    attempts = 0

    def send_messages(self, messages):
        FailingBackend.attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(EmailBackend):
    """Refuses the first two connections, then takes the mail."""

    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= 2:
            raise ConnectionRefusedError("connection refused")
        return super().send_messages(messages)


def test_the_back_off_grows():
    assert [retry_delay(n) for n in range(4)] == [30, 60, 120, 240]
    assert retry_delay(20) == 3600


@override_settings(EMAIL_BACKEND=FLAKY)
def test_a_connection_error_is_retried_until_the_mail_goes():
    FlakyBackend.attempts = 0
    send_email.delay(subject="Hello", body="Body", to=["a@example.org"])
    assert FlakyBackend.attempts == 3
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert not AuditEvent.objects.filter(action=Action.EMAIL_FAILED).exists()


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_mail_given_up_is_an_audit_event_on_the_audit_page(administrator):
    FailingBackend.attempts = 0
    send_email.delay(subject="Hello", body="Body", to=["a@example.org"])
    assert FailingBackend.attempts == MAIL_MAX_RETRIES + 1
    event = AuditEvent.objects.get(action=Action.EMAIL_FAILED)
    assert event.actor is None
    assert event.details["to"] == ["a@example.org"]
    assert "SMTPServerDisconnected" in event.reason
    client = Client()
    client.force_login(administrator)
    html = client.get("/audit/").content.decode()
    assert "<td>Email could not be sent</td>" in html


def _due(national_assessment, focal_a):
    focal_a.email = "a@kemnaker.go.id"
    focal_a.save()
    today = datetime.date(2030, 5, 1)
    Assessment.objects.filter(pk=national_assessment.pk).update(
        data_collection_deadline=today + datetime.timedelta(days=3)
    )
    return today


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_reminder_not_taken_by_the_mail_server_is_not_recorded_as_sent(
    national_assessment, focal_a, kemnaker, django_capture_on_commit_callbacks
):
    today = _due(national_assessment, focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deadline_reminders(today=today)
    reminder = DeadlineReminder.objects.get(institution=kemnaker)
    assert reminder.sent_at is None
    assert AuditEvent.objects.get(action=Action.EMAIL_FAILED).institution == kemnaker


def test_a_reminder_is_recorded_as_sent_after_the_mail_went(
    national_assessment, focal_a, kemnaker, django_capture_on_commit_callbacks
):
    today = _due(national_assessment, focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deadline_reminders(today=today)
    assert [m.to for m in mail.outbox] == [["a@kemnaker.go.id"]]
    assert DeadlineReminder.objects.get(institution=kemnaker).sent_at is not None


# --- frozen -----------------------------------------------------------------------------------


@pytest.fixture
def frozen_response(approved_assessment, kemnaker):
    return approved_assessment.responses.get(indicator__code="1.3.1", institution=kemnaker)


def test_no_comment_on_an_approved_assessment(frozen_response, coordinator, focal_a):
    with pytest.raises(ServiceError, match="frozen"):
        review_services.comment_add(response=frozen_response, actor=coordinator, body="Late")
    api = APIClient()
    api.force_authenticate(focal_a)
    answer = api.post(
        f"/api/v1/responses/{frozen_response.pk}/comments/", {"body": "Late"}, format="json"
    )
    assert answer.status_code == 409 and "frozen" in answer.json()["detail"]
    client = Client()
    client.force_login(focal_a)
    client.post(f"/responses/{frozen_response.pk}/comments/", {"body": "Late"})
    assert not frozen_response.comments.filter(body="Late").exists()


def test_no_comment_on_a_published_assessment(published_profile, coordinator):
    response = published_profile.assessment.responses.first()
    assert published_profile.assessment.status == Assessment.Status.PUBLISHED
    with pytest.raises(ServiceError, match="frozen"):
        review_services.comment_add(response=response, actor=coordinator, body="Late")


def test_no_review_on_an_approved_assessment(frozen_response, facilitator):
    with pytest.raises(ServiceError, match="frozen"):
        review_services.response_review(
            response=frozen_response, actor=facilitator, decision="query", comment="?"
        )


def test_no_answer_or_evidence_change_on_an_approved_assessment(frozen_response, focal_a):
    with pytest.raises(ServiceError, match="frozen"):
        collection_services.response_update(
            response=frozen_response,
            actor=focal_a,
            version=frozen_response.version,
            justification="Changed",
        )
    with pytest.raises(ServiceError, match="frozen"):
        collection_services.evidence_create(
            assessment=frozen_response.assessment,
            institution=focal_a.institution,
            actor=focal_a,
            kind="link",
            title="Late",
            url="https://example.org/",
        )
    api = APIClient()
    api.force_authenticate(focal_a)
    answer = api.patch(
        f"/api/v1/responses/{frozen_response.pk}/",
        {"justification": "Changed", "version": frozen_response.version},
        format="json",
    )
    assert answer.status_code == 409, answer.content
    assert "frozen" in str(answer.json())
