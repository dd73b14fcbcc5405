"""What the audit trail records: who, when, from which address, what and why, for every
kind of write the issue lists; and that nobody can change or delete a row."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.validation import services as validation_services
from audit.models import Action, AuditEvent
from audit.services import audit_record
from ministries import mfa
from ministries.models import Institution

pytestmark = pytest.mark.django_db


def events(action):
    return AuditEvent.objects.filter(action=action).order_by("pk")


@override_settings(MGI_TRUSTED_PROXY_COUNT=1)
def test_the_address_is_the_client_behind_the_trusted_proxy(coordinator, national_assessment):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    event = audit_record(
        action=Action.WORKFLOW_MOVED, actor=coordinator, obj=national_assessment, request=request
    )
    assert event.ip == "203.0.113.7"
    assert event.actor_name == "t-coordinator"
    assert event.assessment == national_assessment
    assert event.content_type == ContentType.objects.get_for_model(Assessment)
    assert event.object_repr == str(national_assessment)


def test_unknown_action_codes_are_refused():
    with pytest.raises(ValueError):
        audit_record(action="made_up")


def test_setting_up_an_assessment_is_recorded(national_assessment, coordinator, facilitator):
    assert events(Action.ASSESSMENT_CREATED).get().actor == coordinator
    assert events(Action.FACILITATORS_SET).get().details == {
        "before": [],
        "after": ["t-facilitator"],
    }
    assert events(Action.PARTICIPANTS_SET).get().details["after"] == ["BP2MI", "KEMLU", "KEMNAKER"]
    matrix = events(Action.MATRIX_EDITED).get()
    assert matrix.details["created"] == 100 and len(matrix.details["cells"]) == 100
    move = events(Action.WORKFLOW_MOVED).get()
    assert move.details == {"status": {"before": "setup", "after": "data_collection"}}


def test_an_overwritten_validation_decision_keeps_the_old_one(
    validation_session, coordinator, kemnaker
):
    indicator = validation_session.assessment.framework.indicators.get(code="1.3.1")
    validation_services.validation_decide(
        session=validation_session, indicator=indicator, actor=coordinator, decision="confirmed"
    )
    validation_services.validation_decide(
        session=validation_session,
        indicator=indicator,
        actor=coordinator,
        decision="changed",
        answer="no",
        reason="The regulation was revoked",
    )
    first, second = events(Action.VALIDATION_DECIDED)
    assert first.details["overwritten"] is None
    assert second.reason == "The regulation was revoked"
    assert second.details["overwritten"]["decision"] == "confirmed"
    assert second.details["answer"] == "no"
    saved = events(Action.VALIDATION_SESSION_SAVED).get()
    assert saved.details["participant_count"] == {"before": None, "after": 18}
    validation_services.validation_session_save(
        assessment=validation_session.assessment,
        actor=coordinator,
        session=validation_session,
        held_on=datetime.date(2031, 3, 4),
        format="online",
        participant_count=18,
        place="Jakarta, Kemlu",
        institutions=[kemnaker],
        notes="Opened by the Director.",
    )
    changed = events(Action.VALIDATION_SESSION_SAVED).last()
    assert changed.details == {
        "format": {"before": "hybrid", "after": "online"},
        "institutions": {"before": ["BP2MI", "KEMNAKER"], "after": ["KEMNAKER"]},
    }


def test_profile_versions_and_findings_are_recorded(draft_profile, coordinator):
    from reports import services as report_services

    assert events(Action.PROFILE_CREATED).get().object_id == str(draft_profile.pk)
    finding = draft_profile.findings.first()
    report_services.finding_update(
        finding=finding, actor=coordinator, text_en="New", text_id="Baru"
    )
    event = events(Action.FINDING_UPDATED).get()
    assert event.assessment_id == draft_profile.assessment_id
    assert event.details["text_en"]["after"] == "New"


def test_sign_ins_and_failed_sign_ins_are_recorded(focal_a):
    client = Client(REMOTE_ADDR="198.51.100.4")
    client.post("/accounts/login/", {"username": "t-focal-kemnaker", "password": "wrong"})
    failed = events(Action.SIGN_IN_FAILED).get()
    assert failed.actor is None and failed.actor_name == "t-focal-kemnaker"
    assert failed.ip == "198.51.100.4"
    assert "wrong" not in str(failed.details)
    client.post("/accounts/login/", {"username": "t-focal-kemnaker", "password": "pw"})
    signed_in = events(Action.SIGNED_IN).get()
    assert signed_in.actor == focal_a and signed_in.ip == "198.51.100.4"
    assert signed_in.institution == focal_a.institution


def test_token_creation_and_revocation_are_recorded(focal_a):
    api = APIClient()
    answer = api.post(
        "/api/v1/auth/token/", {"username": "t-focal-kemnaker", "password": "pw"}, format="json"
    )
    assert answer.status_code == 200
    created = events(Action.TOKEN_CREATED).get()
    assert created.actor == focal_a
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    revoked = events(Action.TOKEN_REVOKED).get()
    assert revoked.details["token_key"] == created.details["token_key"]


def test_an_administrators_mfa_reset_is_recorded(focal_a, administrator):
    mfa.authenticator_start(user=focal_a)
    mfa.user_mfa_reset(user=focal_a, actor=administrator)
    event = events(Action.MFA_RESET).get()
    assert event.object_id == str(focal_a.pk)


def test_admin_changes_are_recorded_and_audit_rows_are_read_only(administrator, kemnaker):
    from django.contrib import admin

    request = RequestFactory().post("/admin/", REMOTE_ADDR="192.0.2.9")
    request.user = administrator
    admin.site._registry[Institution].log_change(
        request, kemnaker, [{"changed": {"fields": ["Name"]}}]
    )
    event = events(Action.ADMIN_CHANGED).get()
    assert event.actor == administrator
    assert event.object_id == str(kemnaker.pk) and event.object_repr == str(kemnaker)
    assert event.content_type == ContentType.objects.get_for_model(Institution)
    assert "Name" in event.details["change"]

    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    change = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "edited"})
    assert change.status_code == 403
    delete = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()
    assert client.get("/admin/audit/auditevent/add/").status_code == 403


def test_deleting_a_user_with_tokens_still_works(focal_b):
    from ministries.tokens import token_create

    token_create(user=focal_b)
    focal_b.delete()
    revoked = events(Action.TOKEN_REVOKED).get()
    assert revoked.actor is None and revoked.actor_name == "t-focal-bp2mi"
    assert events(Action.TOKEN_CREATED).get().actor is None  # the owner's row went with them
