"""Nothing lost without consent: removing a survey-matrix cell whose response holds content
is refused, naming it, unless a reason is given; the content stays in history and the audit,
and comes back with response_restore once the cell is assigned again."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from assessments.collection import services as collection_services
from assessments.errors import ServiceError
from assessments.models import Response
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.setup.removal import RemovalRefused, response_restore
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def cell_of(response):
    return {(response.indicator_id, response.institution_id): ""}


def test_removing_a_response_with_only_a_justification_is_refused_with_its_name(
    national_assessment, coordinator, focal_a, response_a
):
    collection_services.response_update(
        response=response_a, actor=focal_a, version=1, justification="Draft thoughts"
    )
    with pytest.raises(RemovalRefused) as refused:
        setup_services.matrix_apply(
            assessment=national_assessment, actor=coordinator, cells=cell_of(response_a)
        )
    assert refused.value.names == ["1.3.1 (KEMNAKER)"]
    assert "1.3.1 (KEMNAKER)" in refused.value.message
    assert Response.objects.get(pk=response_a.pk).justification == "Draft thoughts"


def test_a_comment_alone_is_content_too(national_assessment, coordinator, response_a):
    review_services.comment_add(response=response_a, actor=coordinator, body="Who leads this?")
    with pytest.raises(RemovalRefused):
        setup_services.matrix_apply(
            assessment=national_assessment, actor=coordinator, cells=cell_of(response_a)
        )


def test_an_empty_response_goes_without_asking(national_assessment, coordinator, response_a):
    change = setup_services.matrix_apply(
        assessment=national_assessment, actor=coordinator, cells=cell_of(response_a)
    )
    assert change.removed == 1
    assert not Response.objects.filter(pk=response_a.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.RESPONSE_REMOVED).exists()


def test_removal_with_a_reason_keeps_the_content_and_restore_brings_it_back(
    national_assessment, coordinator, focal_a, response_a, evidence_file_a
):
    collection_services.response_update(
        response=response_a,
        actor=focal_a,
        version=1,
        answer="yes",
        justification="Law 18/2017",
        evidence=[evidence_file_a],
    )
    review_services.comment_add(response=response_a, actor=coordinator, body="Thanks")
    key = (response_a.indicator_id, response_a.institution_id)
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=coordinator,
        cells={key: ""},
        removal_reason="Assigned by mistake",
    )
    assert not Response.objects.filter(pk=response_a.pk).exists()
    deleted = Response.history.filter(id=response_a.pk, history_type="-").get()
    assert deleted.history_change_reason == ('removed_from_matrix|{"reason":"Assigned by mistake"}')
    event = AuditEvent.objects.get(action=Action.RESPONSE_REMOVED)
    assert event.reason == "Assigned by mistake"
    assert event.actor == coordinator
    assert event.details["evidence"] == [evidence_file_a.pk]
    assert [c["body"] for c in event.details["comments"]] == ["Thanks"]
    edit = AuditEvent.objects.filter(action=Action.MATRIX_EDITED).latest("pk")
    assert edit.reason == "Assigned by mistake"
    assert edit.details["cells"] == [
        {"indicator": "1.3.1", "institution": "KEMNAKER", "before": "lead", "after": ""}
    ]

    # Not before the cell is assigned again.
    with pytest.raises(ServiceError):
        response_restore(event=event, actor=coordinator)
    setup_services.matrix_apply(
        assessment=national_assessment, actor=coordinator, cells={key: "lead"}
    )
    restored = response_restore(event=event, actor=coordinator)
    assert restored.answer == "yes"
    assert restored.justification == "Law 18/2017"
    assert list(restored.evidence.all()) == [evidence_file_a]
    assert [c.body for c in restored.comments.all()] == ["Thanks"]
    assert restored.history.first().history_change_reason == "restored"
    assert AuditEvent.objects.filter(action=Action.RESPONSE_RESTORED).count() == 1
    # A second restore would overwrite content: refused.
    with pytest.raises(ServiceError):
        response_restore(event=event, actor=coordinator)


def _workbook_without(client, assessment, code):
    export = client.get(f"/api/v1/assessments/{assessment.pk}/survey-matrix.xlsx")
    sheet = load_workbook(filename=io.BytesIO(export.content))["Assignments"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book = Workbook()
    out = book.active
    out.title = "Assignments"
    for row in rows:
        if row[0] != code:
            out.append(["" if v is None else v for v in row])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_api_import_needs_confirm_removal_reason(
    client, national_assessment, coordinator, focal_a, response_a
):
    collection_services.response_update(response=response_a, actor=focal_a, version=1, answer="no")
    client.force_login(coordinator)
    content = _workbook_without(client, national_assessment, "1.3.1")
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"

    def post(**extra):
        upload = SimpleUploadedFile("matrix.xlsx", content)
        return client.post(url, {"file": upload, **extra})

    dry = post(dry_run="true")
    assert dry.status_code == 200 and dry.json()["at_risk"] == ["1.3.1 (KEMNAKER)"]
    refused = post()
    assert refused.status_code == 409
    assert "1.3.1 (KEMNAKER)" in refused.json()["detail"]
    assert Response.objects.filter(pk=response_a.pk).exists()
    done = post(confirm_removal_reason="KEMNAKER is not concerned")
    assert done.status_code == 200 and done.json()["applied"] is True
    assert not Response.objects.filter(pk=response_a.pk).exists()
    event = AuditEvent.objects.get(action=Action.MATRIX_IMPORTED)
    assert event.reason == "KEMNAKER is not concerned"
    assert event.details["filename"] == "matrix.xlsx"
    assert event.details["removed"] == 2  # KEMNAKER's and BP2MI's cells of 1.3.1


def test_the_admin_action_restores_a_removed_response(
    client, national_assessment, coordinator, administrator, focal_a, response_a
):
    collection_services.response_update(
        response=response_a, actor=focal_a, version=1, answer="partial"
    )
    key = (response_a.indicator_id, response_a.institution_id)
    setup_services.matrix_apply(
        assessment=national_assessment, actor=coordinator, cells={key: ""}, removal_reason="Oops"
    )
    event = AuditEvent.objects.get(action=Action.RESPONSE_REMOVED)
    client.force_login(administrator)
    changelist = "/admin/audit/auditevent/"
    action = {"action": "restore_responses", "_selected_action": [event.pk]}
    page = client.post(changelist, action, follow=True).content.decode()
    assert "Assign this cell in the survey matrix again before restoring." in page
    setup_services.matrix_apply(
        assessment=national_assessment, actor=coordinator, cells={key: "lead"}
    )
    page = client.post(changelist, action, follow=True).content.decode()
    assert "Restored:" in page
    assert (
        Response.objects.get(
            assessment=national_assessment, indicator_id=key[0], institution_id=key[1]
        ).answer
        == "partial"
    )
