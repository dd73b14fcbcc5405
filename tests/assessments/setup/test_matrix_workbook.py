"""The survey matrix as a workbook: export, validation, preview and atomic import; the API."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from assessments.collection import services as collection_services
from assessments.models import Assignment, Response
from assessments.setup import services as setup_services
from audit.models import AuditEvent
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["code", "question", "institution", "role"]


def export(client: Client, assessment) -> Workbook:
    result = client.get(f"/assessments/{assessment.pk}/matrix/export.xlsx")
    assert result.status_code == 200 and result["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(result.content))


def xlsx(rows: list[list], header: list[str] = HEADER, formulas: dict[str, str] | None = None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Assignments"
    ws.append(header)
    for row in rows:
        ws.append(row)
    for ref, formula in (formulas or {}).items():
        ws[ref] = formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "matrix.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def sheet_rows(wb: Workbook) -> list[list]:
    return [list(r) for r in wb["Assignments"].iter_rows(min_row=2, values_only=True)]


def snapshot(assessment) -> set[tuple[str, str, str]]:
    return set(
        Assignment.objects.filter(assessment=assessment).values_list(
            "indicator__code", "institution__acronym", "role"
        )
    )


def test_export_lists_every_assignment_and_a_read_only_overview(
    client, coordinator, national_assessment
):
    client.force_login(coordinator)
    wb = export(client, national_assessment)
    assert wb.sheetnames == ["Assignments", "Overview"]
    ws = wb["Assignments"]
    assert [c.value for c in ws[1]] == HEADER
    rows = sheet_rows(wb)
    assert len(rows) == 100
    assert {(r[0], r[2], r[3]) for r in rows} == snapshot(national_assessment)
    assert ["1.3.1", "BP2MI", "contributor"] in [[r[0], r[2], r[3]] for r in rows]
    assert all(r[1] for r in rows)  # every row shows its question
    overview = wb["Overview"]
    assert overview.protection.sheet is True
    assert [c.value for c in overview[1]][:3] == ["code", "question", "lead"]


def test_export_writes_questions_in_the_users_language(client, coordinator, national_assessment):
    client.force_login(coordinator)
    client.cookies["django_language"] = "id"
    rows = sheet_rows(export(client, national_assessment))
    indicator = Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.1")
    assert [r[1] for r in rows if r[0] == "1.1.1"] == [indicator.question_id]


def test_export_escapes_text_a_spreadsheet_would_run(client, coordinator, national_assessment):
    Indicator.objects.filter(framework__code="mgi-national-2023", code="1.1.1").update(
        question_en='=HYPERLINK("http://evil.example","click")'
    )
    client.force_login(coordinator)
    wb = export(client, national_assessment)
    question = next(r[1] for r in sheet_rows(wb) if r[0] == "1.1.1")
    assert question.startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in wb["Overview"].iter_rows() for c in row)


def test_round_trip_preview_then_apply(client, coordinator, national_assessment, kemnaker):
    client.force_login(coordinator)
    rows = sheet_rows(export(client, national_assessment))
    rows = [r for r in rows if not (r[0] == "2.3.2" and r[2] == "BP2MI")]  # removed
    for r in rows:
        if r[0] == "4.1.2" and r[2] == "KEMNAKER":
            r[3] = "Contributor"  # unchanged (case does not matter)
        if r[0] == "1.3.1" and r[2] == "BP2MI":
            r[3] = "contributor"
    rows.append(["2.3.2", "", "KEMNAKER", "lead"])  # added: the lead moves
    rows.append(["1.1.1", "ignored", "kemnaker", "contributor"])  # added, lower-case acronym
    url = f"/assessments/{national_assessment.pk}/matrix/import/"
    before = snapshot(national_assessment)
    preview = client.post(url, {"file": upload(xlsx(rows))})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "101 rows checked: 2 assignments to add, 0 to change, 1 to remove." in html
    assert "Apply these changes" in html
    assert snapshot(national_assessment) == before  # a preview writes nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    applied = client.post(url, {"apply": "1", "token": token}, follow=True)
    assert "Workbook imported: 2 assignments added, 0 changed, 1 removed." in (
        applied.content.decode()
    )
    after = snapshot(national_assessment)
    assert ("2.3.2", "KEMNAKER", "lead") in after and ("2.3.2", "BP2MI", "lead") not in after
    assert ("1.1.1", "KEMNAKER", "contributor") in after
    assert national_assessment.responses.filter(
        indicator__code="2.3.2", institution=kemnaker
    ).exists()
    # The preview cannot be applied twice.
    again = client.post(url, {"apply": "1", "token": token}, follow=True)
    assert "This preview is no longer current" in again.content.decode()


def test_role_changes_are_previewed_with_before_and_after(client, coordinator, national_assessment):
    client.force_login(coordinator)
    rows = sheet_rows(export(client, national_assessment))
    for r in rows:
        if r[0] == "1.3.1":
            r[3] = {"KEMNAKER": "contributor", "BP2MI": "lead"}[r[2]]
    html = client.post(
        f"/assessments/{national_assessment.pk}/matrix/import/", {"file": upload(xlsx(rows))}
    ).content.decode()
    assert "0 assignments to add, 2 to change, 0 to remove." in html
    changed = html.split("<h3>Changed</h3>")[1].split("</table>")[0]
    assert "KEMNAKER</td><td>Lead</td><td>Contributor</td>" in changed
    assert "BP2MI</td><td>Contributor</td><td>Lead</td>" in changed


def test_every_problem_is_listed_by_sheet_row_and_column_and_nothing_changes(
    client, coordinator, national_assessment
):
    client.force_login(coordinator)
    rows = sheet_rows(export(client, national_assessment))
    rows += [
        ["9.9.9", "", "KEMNAKER", "lead"],  # row 102: unknown code
        ["1.1.1", "", "NOPE", "contributor"],  # 103: unknown institution
        ["1.1.1", "", "DISNAKERTRANS-JATENG", "contributor"],  # 104: not eligible
        ["1.1.2", "", "KEMNAKER", "boss"],  # 105: invalid role
        ["1.1.3", "", "KEMNAKER", "lead"],  # 106: KEMLU leads 1.1.3 already
        ["1.3.2", "", "KEMNAKER", "lead"],  # 107: the same cell twice
        ["1.1.4", "", "BP2MI", ""],  # 108: no role
    ]
    before = snapshot(national_assessment)
    result = client.post(
        f"/assessments/{national_assessment.pk}/matrix/import/", {"file": upload(xlsx(rows))}
    )
    html = result.content.decode()
    assert "The workbook has 7 problems. Nothing was changed." in html
    expected = [
        ("102", "A (code)", "Unknown indicator code “9.9.9” for this framework."),
        ("103", "C (institution)", "Unknown institution “NOPE”."),
        ("104", "C (institution)", "DISNAKERTRANS-JATENG cannot answer this assessment."),
        ("105", "D (role)", "Unknown role “boss”: write lead or contributor."),
        ("106", "D (role)", "1.1.3 already has a lead institution (KEMLU"),
        ("107", "C (institution)", "KEMNAKER is already assigned to 1.3.2 on row"),
        ("108", "D (role)", "Write lead or contributor; delete the row"),
    ]
    for row, column, message in expected:
        assert f"<td>Assignments</td><td>{row}</td><td>{column}</td><td>{message}" in html, row
    assert "Apply these changes" not in html
    assert snapshot(national_assessment) == before


def test_removing_an_answered_assignment_by_workbook_is_refused(
    client, coordinator, focal_a, national_assessment, response_a
):
    collection_services.response_update(response=response_a, actor=focal_a, version=1, answer="yes")
    client.force_login(coordinator)
    rows = [r for r in sheet_rows(export(client, national_assessment)) if r[0] != "1.3.1"]
    before = snapshot(national_assessment)
    html = client.post(
        f"/assessments/{national_assessment.pk}/matrix/import/", {"file": upload(xlsx(rows))}
    ).content.decode()
    assert "These removed assignments hold content" in html
    assert "1.3.1 (KEMNAKER)" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    url = f"/assessments/{national_assessment.pk}/matrix/import/"
    page = client.post(url, {"apply": "1", "token": token}).content.decode()
    assert "Remove responses that hold content?" in page and "1.3.1 (KEMNAKER)" in page
    assert snapshot(national_assessment) == before
    assert Response.objects.get(pk=response_a.pk).answer == "yes"
    # The confirmed apply, with a reason, imports; the audit keeps the reason and the cells.
    done = client.post(
        url, {"apply": "1", "token": token, "confirmed": "yes", "confirm_reason": "Wrong row"}
    )
    assert done.status_code == 302
    assert not Response.objects.filter(pk=response_a.pk).exists()
    event = AuditEvent.objects.get(action="matrix_imported")
    assert event.reason == "Wrong row"
    assert {"indicator": "1.3.1", "institution": "KEMNAKER", "before": "lead", "after": ""} in (
        event.details["cells"]
    )
    removed = AuditEvent.objects.get(action="response_removed")
    assert removed.details["answer"] == "yes"


def test_apply_is_refused_when_the_matrix_changed_since_the_preview(
    client, coordinator, national_assessment, kemnaker
):
    client.force_login(coordinator)
    rows = sheet_rows(export(client, national_assessment))
    rows.append(["1.1.1", "", "KEMNAKER", "contributor"])
    url = f"/assessments/{national_assessment.pk}/matrix/import/"
    html = client.post(url, {"file": upload(xlsx(rows))}).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    indicator = Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.2")
    setup_services.matrix_apply(
        assessment=national_assessment,
        actor=coordinator,
        cells={(indicator.pk, kemnaker.pk): "contributor"},
    )
    before = snapshot(national_assessment)
    result = client.post(url, {"apply": "1", "token": token}, follow=True)
    assert "The survey matrix changed since this workbook was checked." in (result.content.decode())
    assert snapshot(national_assessment) == before


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (
            xlsx([["1.1.1", "", "KEMNAKER", "lead"]], formulas={"C3": '=CONCAT("KEM","NAKER")'}),
            "Formulas are not accepted; type the value itself.",
        ),
        (zip_bomb(), "The workbook unpacks to far more than its size and was refused."),
        (b"MZ\x90\x00" + b"\0" * 2000, "This is not an Excel workbook (.xlsx)."),
        (b"PK\x03\x04 not really a zip", "This is not an Excel workbook (.xlsx)."),
        (xlsx([], header=["code", "institution"]), "The column “role” is missing."),
    ],
    ids=["formula", "zip-bomb", "renamed-exe", "broken-zip", "missing-column"],
)
def test_hostile_workbooks_are_refused_and_change_nothing(
    client, coordinator, national_assessment, content, message
):
    client.force_login(coordinator)
    before = snapshot(national_assessment)
    html = client.post(
        f"/assessments/{national_assessment.pk}/matrix/import/",
        {"file": upload(content, name="matrix.xlsx")},
    ).content.decode()
    assert message in html
    assert "Nothing was changed." in html
    assert snapshot(national_assessment) == before


@pytest.mark.parametrize("who, status", [("facilitator", 403), ("focal_a", 404)])
def test_only_managers_import(client, request, national_assessment, who, status):
    client.force_login(request.getfixturevalue(who))
    url = f"/assessments/{national_assessment.pk}/matrix/import/"
    assert client.get(url).status_code == status
    assert client.post(url, {"file": upload(xlsx([]))}).status_code == status


# --- the API ------------------------------------------------------------------------------


def api(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_api_exports_the_survey_matrix(coordinator, facilitator, focal_a, national_assessment):
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix.xlsx"
    result = api(facilitator).get(url)
    assert result.status_code == 200 and result["Content-Type"] == XLSX
    assert len(sheet_rows(load_workbook(io.BytesIO(result.content)))) == 100
    assert api(focal_a).get(url).status_code == 404
    assert api().get(url).status_code == 401


def test_api_import_dry_run_previews_and_import_applies(coordinator, national_assessment, kemnaker):
    client = api(coordinator)
    wb = load_workbook(
        io.BytesIO(
            client.get(f"/api/v1/assessments/{national_assessment.pk}/survey-matrix.xlsx").content
        )
    )
    rows = [*sheet_rows(wb), ["1.1.1", "", "KEMNAKER", "contributor"]]
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"
    before = snapshot(national_assessment)
    dry = client.post(url, {"file": upload(xlsx(rows)), "dry_run": "true"})
    assert dry.status_code == 200
    assert dry.json() == {
        "dry_run": True,
        "applied": False,
        "rows": 101,
        "added": [
            {
                "indicator": "1.1.1",
                "institution": "KEMNAKER",
                "old_role": "",
                "new_role": "contributor",
            }
        ],
        "changed": [],
        "removed": [],
        "at_risk": [],
    }
    assert snapshot(national_assessment) == before
    applied = client.post(url, {"file": upload(xlsx(rows))})
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert snapshot(national_assessment) == before | {("1.1.1", "KEMNAKER", "contributor")}


def test_api_import_errors_are_400_with_their_location(coordinator, national_assessment):
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"
    before = snapshot(national_assessment)
    result = api(coordinator).post(url, {"file": upload(xlsx([["9.9.9", "", "KEMNAKER", "x"]]))})
    assert result.status_code == 400
    errors = result.json()["errors"]
    assert {"sheet": "Assignments", "row": 2, "column": "A", "message": errors[0]["message"]} in (
        errors
    )
    assert {(e["row"], e["column"]) for e in errors} == {(2, "A"), (2, "D")}
    assert snapshot(national_assessment) == before
    missing = api(coordinator).post(url, {})
    assert missing.status_code == 400 and missing.json()["errors"][0]["sheet"] == "file"


def test_api_import_permissions(facilitator, focal_a, provincial_coordinator, national_assessment):
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"
    for user, status in ((facilitator, 403), (focal_a, 404), (provincial_coordinator, 404)):
        assert api(user).post(url, {"file": upload(xlsx([]))}).status_code == status
    assert api().post(url, {"file": upload(xlsx([]))}).status_code == 401


def test_api_import_refused_after_data_collection(coordinator, national_assessment):
    national_assessment.__class__.objects.filter(pk=national_assessment.pk).update(
        status="validation"
    )
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"
    result = api(coordinator).post(url, {"file": upload(xlsx([]))})
    assert result.status_code == 409
    assert "only change during setup and data collection" in result.json()["detail"]


def test_an_empty_sheet_previews_the_removal_of_every_assignment(coordinator, national_assessment):
    url = f"/api/v1/assessments/{national_assessment.pk}/survey-matrix/import/"
    before = snapshot(national_assessment)
    dry = api(coordinator).post(url, {"file": upload(xlsx([])), "dry_run": "1"})
    assert dry.status_code == 200 and len(dry.json()["removed"]) == 100
    assert snapshot(national_assessment) == before
