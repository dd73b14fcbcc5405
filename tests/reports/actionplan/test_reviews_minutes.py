"""The minutes of a steering committee review: Excel read back, the PDF rendered in the
request's task (eager) and read back, its download's door."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ministries.models import User
from reports.actionplan import review_services, services
from reports.actionplan.models import ActionItem
from reports.actionplan.review_models import ReviewMinutesFile, SteeringReview

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def decided(steering_review: SteeringReview, action_item: ActionItem, coordinator: User) -> Any:
    """The review with its one decision set; the item changed afterwards."""
    review = review_services.review_decide(
        review=steering_review,
        decisions={action_item.pk: ("needs_attention", "=Funding to be confirmed")},
        version=1,
        actor=coordinator,
    )
    services.item_update(
        item=action_item,
        actor=coordinator,
        version=action_item.version,
        values={"status": "completed"},
    )
    return review


def test_the_excel_minutes_in_english_and_indonesian(
    decided: SteeringReview, facilitator: User
) -> None:
    client = login(facilitator)
    response = client.get(f"/action-plan/reviews/{decided.pk}/minutes/en/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Meeting", "Participants", "Decisions"]
    meeting = {row[0]: row[1] for row in wb["Meeting"].iter_rows(min_row=3, values_only=True)}
    assert meeting["Chaired by"] == "Kementerian Luar Negeri and UN Resident Coordinator"
    assert meeting["Minutes"] == "The committee reviewed the plan."
    assert (meeting["Needs attention"], meeting["On track"]) == (1, 0)
    assert [r[0] for r in wb["Participants"].iter_rows(min_row=2, values_only=True)] == ["KEMNAKER"]
    [row] = list(wb["Decisions"].iter_rows(min_row=2, values_only=True))
    assert row[:3] == (
        "Adopt the regulation on placement fees",
        "Policy or legal change",
        "KEMNAKER",
    )
    assert row[3].date() == datetime.date(2031, 6, 30)
    assert row[4] == "Planned"  # the frozen status, not "completed"
    assert row[9] == "Needs attention"
    assert row[10] == "'=Funding to be confirmed"  # a formula is never run

    indonesian = client.get(f"/action-plan/reviews/{decided.pk}/minutes/id/xlsx/")
    assert indonesian["Content-Language"] == "id"
    wb = load_workbook(io.BytesIO(indonesian.content))
    assert wb.sheetnames[1:] == ["Peserta", "Keputusan"]
    meeting = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert meeting["Notulen"] == "Komite meninjau rencana aksi."
    [row] = list(wb["Keputusan"].iter_rows(min_row=2, values_only=True))
    assert (row[0], row[4]) == ("Menetapkan peraturan tentang biaya penempatan", "Direncanakan")


def test_the_pdf_minutes_are_rendered_by_the_task_and_read_back(
    decided: SteeringReview,
    coordinator: User,
    facilitator: User,
    focal_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login(coordinator)
    pdf_url = f"/action-plan/reviews/{decided.pk}/minutes/en/pdf/"
    assert client.get(pdf_url).status_code == 404  # not rendered yet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/action-plan/reviews/{decided.pk}/minutes/en/render/")
    assert response.status_code == 302
    row = ReviewMinutesFile.objects.get(review=decided, language="en")
    assert row.status == "done", row.error
    assert row.file.name.startswith("review-minutes/") and row.review_version == decided.version
    page = client.get(f"/action-plan/reviews/{decided.pk}/").content.decode()
    assert "Download the PDF minutes (English)" in page
    download = login(facilitator).get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(download.getvalue())).pages
    )
    text = " ".join(text.split())
    assert "Minutes of the steering committee review" in text
    assert "Adopt the regulation on placement fees" in text
    assert "Planned" in text and "Completed" not in text
    assert "Needs attention" in text
    assert "Kementerian Luar Negeri and UN Resident Coordinator" in text
    assert login(focal_a).get(pdf_url).status_code == 404
    # A change of the decisions marks the file out of date on the page.
    review_services.review_decide(
        review=decided, decisions={}, version=decided.version, actor=coordinator, minutes_en="New"
    )
    page = client.get(f"/action-plan/reviews/{decided.pk}/").content.decode()
    assert "Made before the last change" in page


def test_the_status_fragment_polls_while_queued(
    steering_review: SteeringReview, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"/action-plan/reviews/{steering_review.pk}/minutes/id/render/", HTTP_HX_REQUEST="true"
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="minutes-id"' in body and "every 2s" in body and "Queued" in body
    status = client.get(f"/action-plan/reviews/{steering_review.pk}/minutes/id/status/")
    assert "This status updates itself." in status.content.decode()
    assert (
        client.get(f"/action-plan/reviews/{steering_review.pk}/minutes/xx/status/").status_code
        == 404
    )


def test_a_request_whose_task_was_lost_can_be_made_again(
    steering_review: SteeringReview, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as first:
        row = review_services.review_minutes_request(
            review=steering_review, language="en", actor=coordinator
        )
    assert row.pending and len(first) == 1
    # Queued for longer than the task may run: its task was lost with the broker's queue.
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ReviewMinutesFile.objects.filter(pk=row.pk).update(requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False) as again:
        review_services.review_minutes_request(
            review=steering_review, language="en", actor=coordinator
        )
    assert len(again) == 1
    row.refresh_from_db()
    assert row.status == "queued" and row.pending  # waiting again, from now
