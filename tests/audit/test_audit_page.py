"""The audit page: coordinators see their assessments' events, administrators all; filters,
pages, a CSV export with the same filters, both languages; the navigation links to it."""

import csv
import io

import pytest
from django.conf import settings
from django.test import Client

from audit.models import Action, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_reads_the_events_of_their_assessments(coordinator, national_assessment):
    client = signed_in(coordinator)
    page = client.get("/audit/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/audit/"' in html  # the navigation link
    assert "<td>Survey matrix edited</td>" in html
    assert "<td>Assessment moved to another stage</td>" in html
    assert "t-coordinator" in html
    assert (
        html.count("<tr>") - 1 == AuditEvent.objects.filter(assessment=national_assessment).count()
    )


def test_a_provincial_coordinator_does_not_see_national_events(
    provincial_coordinator, national_assessment
):
    html = signed_in(provincial_coordinator).get("/audit/").content.decode()
    assert "<td>Survey matrix edited</td>" not in html
    assert "No events match these filters." in html


def test_sign_ins_are_for_administrators_only(coordinator, administrator, national_assessment):
    audit_record(action=Action.SIGN_IN_FAILED, actor_name="mallory")
    assert "mallory" not in signed_in(coordinator).get("/audit/").content.decode()
    assert "mallory" in signed_in(administrator).get("/audit/").content.decode()


def test_focal_points_and_facilitators_get_403(focal_a, facilitator):
    assert signed_in(focal_a).get("/audit/").status_code == 403
    assert signed_in(facilitator).get("/audit/export.csv").status_code == 403
    assert 'href="/audit/"' not in signed_in(focal_a).get("/").content.decode()


def test_filters_and_the_csv_export_with_them(administrator, national_assessment, kemnaker):
    client = signed_in(administrator)
    html = client.get("/audit/", {"action": Action.PARTICIPANTS_SET}).content.decode()
    assert "<td>Participating institutions changed</td>" in html
    assert "<td>Survey matrix edited</td>" not in html
    html = client.get("/audit/", {"person": "nobody"}).content.decode()
    assert "No events match these filters." in html
    html = client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content
    assert b"No events match these filters." in html
    response = client.get("/audit/export.csv", {"action": Action.MATRIX_EDITED})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["When", "Person", "Address", "Action"]
    assert [r[3] for r in rows[1:]] == ["Survey matrix edited"]
    assert rows[1][1] == "t-coordinator"
    assert '"created": 100' in rows[1][9]


def test_csv_cells_that_look_like_formulas_are_defused(administrator):
    audit_record(action=Action.SIGN_IN_FAILED, actor_name="=HYPERLINK(1)")
    body = b"".join(signed_in(administrator).get("/audit/export.csv").streaming_content)
    assert "'=HYPERLINK(1)" in body.decode()


def test_pages_of_fifty(administrator):
    for n in range(51):
        audit_record(action=Action.SIGN_IN_FAILED, actor_name=f"user{n}")
    client = signed_in(administrator)
    first = client.get("/audit/", {"action": Action.SIGN_IN_FAILED}).content.decode()
    assert "Page 1 of 2" in first and "user50" in first and "user0<" not in first
    second = client.get("/audit/", {"action": Action.SIGN_IN_FAILED, "page": 2}).content.decode()
    assert "user0<" in second


def test_the_page_in_indonesian(coordinator, national_assessment):
    client = signed_in(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get("/audit/").content.decode()
    assert '<html lang="id"' in html
    assert "Lembaga" in html and "Alasan" in html  # the filter and column labels
    assert "Saring" in html  # the filter button
    assert "Jejak audit" in html  # the page's own title
    assert "<td>Matriks survei diubah</td>" in html  # an action, in the reader's language


def test_the_page_is_labelled_and_has_no_inline_code(administrator, national_assessment):
    from tests.test_pages_security_a11y import PageAudit

    response = signed_in(administrator).get("/audit/")
    page = PageAudit()
    page.feed(response.content.decode())
    assert page.h1 == 1
    assert [f for f in page.fields if f.get("id") not in page.labels] == []
    assert page.inline_scripts == 0 and page.inline_styles == 0


def test_the_confirmation_asks_for_a_labelled_reason(rf, coordinator, response_a):
    """The reason field of the confirmation step (config/confirm.py) has its label, and what
    was posted is sent again with it."""
    from assessments.setup.removal import RemovalRefused
    from assessments.setup.views.removal_confirm import removal_confirmation
    from tests.test_pages_security_a11y import PageAudit

    request = rf.post("/assessments/1/matrix/", {"cell-1-2": "", "was": "abc"})
    request.user = coordinator
    html = removal_confirmation(request, RemovalRefused([response_a]), cancel_url="/").content
    page = PageAudit()
    page.feed(html.decode())
    assert [f for f in page.fields if f.get("id") not in page.labels] == []
    assert b'name="confirm_reason"' in html and b"1.3.1 (KEMNAKER)" in html
    assert b'name="cell-1-2" value=""' in html and b'name="was" value="abc"' in html
    assert b'name="confirmed" value="yes"' in html
