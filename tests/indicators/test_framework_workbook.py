import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from indicators import services
from indicators.framework_io import FrameworkInvalid
from indicators.models import FrameworkVersion, Indicator
from indicators.resources import framework_workbook_bytes
from indicators.spreadsheets import WorkbookError

pytestmark = pytest.mark.django_db


def exported() -> Workbook:
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    return load_workbook(io.BytesIO(framework_workbook_bytes(framework)))


def to_upload(wb: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def column_of(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def snapshot() -> list[tuple]:
    return list(
        Indicator.objects.order_by("framework__code", "code").values_list(
            "framework__code", "code", "question_en", "question_id", "dimension__number"
        )
    )


def test_exported_workbook_has_five_sheets_and_98_indicator_rows():
    wb = exported()
    assert wb.sheetnames == ["Framework", "Dimensions", "Sub-areas", "Indicators", "Mapping"]
    assert wb["Indicators"].max_row == 99
    assert wb["Dimensions"].max_row == 7
    # A first version maps from no earlier one: the sheet has its headers only.
    assert wb["Mapping"].max_row == 1


def test_reimporting_an_export_changes_nothing():
    before = snapshot()
    result = services.framework_import_workbook(upload=to_upload(exported()))
    assert not result.changed
    assert result.unchanged > 98
    assert snapshot() == before


def test_edited_workbook_is_applied():
    wb = exported()
    ws = wb["Indicators"]
    q_en = column_of(ws, "question_en")
    ws.cell(row=2, column=q_en).value = "Edited question text?"
    result = services.framework_import_workbook(upload=to_upload(wb))
    assert result.updated == 1
    indicator = Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.1")
    assert indicator.question_en == "Edited question text?"


def test_bad_workbook_is_refused_with_one_error_per_bad_cell_and_nothing_applied():
    wb = exported()
    ws = wb["Indicators"]
    code, q_id, dim = (
        column_of(ws, "code"),
        column_of(ws, "question_id"),
        column_of(ws, "dimension"),
    )
    ws.cell(row=3, column=code).value = ws.cell(row=2, column=code).value  # duplicate 1.1.1
    ws.cell(row=5, column=q_id).value = ""  # missing Indonesian text
    ws.cell(row=7, column=dim).value = 9  # unknown dimension
    ws.cell(row=8, column=column_of(ws, "question_en")).value = "Changed, must not be applied"
    before = snapshot()

    with pytest.raises(FrameworkInvalid) as excinfo:
        services.framework_import_workbook(upload=to_upload(wb))

    errors = {(e.sheet, e.row, e.column, e.field) for e in excinfo.value.errors}
    letter = {
        h: ws.cell(row=1, column=column_of(ws, h)).column_letter
        for h in ("code", "question_id", "dimension")
    }
    assert errors == {
        ("Indicators", 3, letter["code"], "code"),
        ("Indicators", 5, letter["question_id"], "question_id"),
        ("Indicators", 7, letter["dimension"], "dimension"),
    }
    messages = " ".join(e.message for e in excinfo.value.errors)
    assert "appears twice" in messages and "Indonesian text is missing" in messages
    assert "Unknown dimension" in messages
    assert snapshot() == before


def test_unknown_crosswalk_codes_and_a_seventh_dimension_are_refused():
    wb = exported()
    ws = wb["Indicators"]
    ws.cell(row=2, column=column_of(ws, "gcm")).value = "15, 24"
    ws.cell(row=3, column=column_of(ws, "sdg")).value = "9z"
    dims = wb["Dimensions"]
    dims.append([7, "Seventh", "Ketujuh", "x", "x", "", ""])
    with pytest.raises(FrameworkInvalid) as excinfo:
        services.framework_import_workbook(upload=to_upload(wb))
    found = {(e.sheet, e.row, e.field) for e in excinfo.value.errors}
    assert ("Indicators", 2, "gcm") in found
    assert ("Indicators", 3, "sdg") in found
    assert ("Dimensions", 8, "number") in found


def test_formula_cells_are_refused_not_evaluated():
    wb = exported()
    ws = wb["Indicators"]
    ws.cell(row=4, column=column_of(ws, "question_en")).value = '=HYPERLINK("http://x","y")'
    with pytest.raises(FrameworkInvalid) as excinfo:
        services.framework_import_workbook(upload=to_upload(wb))
    [error] = excinfo.value.errors
    assert (error.sheet, error.row, error.field) == ("Indicators", 4, "question_en")
    assert "Formulas" in error.message


def test_text_starting_like_a_formula_is_escaped_on_export_and_restored_on_import():
    indicator = Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.2")
    indicator.question_en = "=1+1 is not a formula here"
    indicator.save()
    wb = exported()
    ws = wb["Indicators"]
    cell = ws.cell(row=3, column=column_of(ws, "question_en"))
    assert cell.data_type != "f" and cell.value.startswith("'=")
    result = services.framework_import_workbook(upload=to_upload(wb))
    assert not result.changed
    indicator.refresh_from_db()
    assert indicator.question_en == "=1+1 is not a formula here"


def test_missing_sheet_and_column_are_reported():
    wb = exported()
    del wb["Sub-areas"]
    ws = wb["Indicators"]
    ws.delete_cols(column_of(ws, "question_id"))
    with pytest.raises(FrameworkInvalid) as excinfo:
        services.framework_import_workbook(upload=to_upload(wb))
    found = {(e.sheet, e.row) for e in excinfo.value.errors}
    assert ("Sub-areas", None) in found
    assert ("Indicators", 1) in found


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(WorkbookError) as excinfo:
        services.framework_import_workbook(
            upload=io.BytesIO(b"MZ\x90\x00 renamed exe"), name="framework.xlsx"
        )
    assert "not an Excel workbook" in str(excinfo.value)


def test_a_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    buffer.seek(0)
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(WorkbookError) as excinfo:
        services.framework_import_workbook(upload=buffer)
    assert "unpacks to far more" in str(excinfo.value)


def test_import_and_export_commands(tmp_path: Path):
    path = tmp_path / "national.xlsx"
    call_command("export_framework", "mgi-national-2023", output=path, stdout=io.StringIO())
    wb = load_workbook(path)
    ws = wb["Indicators"]
    ws.cell(row=2, column=column_of(ws, "question_id")).value = None
    wb.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_framework", str(path), stdout=io.StringIO(), stderr=err)
    assert "Indicators, row 2" in err.getvalue()


def test_admin_import_lists_errors_and_applies_valid_workbook(client, administrator):
    client.force_login(administrator)
    url = "/admin/indicators/frameworkversion/import-workbook/"
    assert client.get(url).status_code == 200

    wb = exported()
    ws = wb["Indicators"]
    ws.cell(row=6, column=column_of(ws, "question_id")).value = ""
    bad = to_upload(wb)
    bad.name = "bad.xlsx"
    response = client.post(url, {"file": bad, "dry_run": ""})
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert "question_id" in response.content.decode()

    ws.cell(row=6, column=column_of(ws, "question_id")).value = "Teks baru?"
    good = to_upload(wb)
    good.name = "good.xlsx"
    response = client.post(url, {"file": good, "dry_run": ""})
    assert response.status_code == 302
    assert (
        Indicator.objects.get(framework__code="mgi-national-2023", code="1.1.5").question_id
        == "Teks baru?"
    )


def test_admin_import_is_refused_to_non_staff(client, focal_a):
    client.force_login(focal_a)
    response = client.get("/admin/indicators/frameworkversion/import-workbook/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
