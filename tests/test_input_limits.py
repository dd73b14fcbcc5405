"""No server error on bad input (issue 12): damaged workbooks on the four import paths, control
characters and over-long text refused naming the field, evidence without its optional title
through the API, and exports that survive a control character already stored."""

import io
import zipfile

import pytest
from django.test import Client
from openpyxl import Workbook
from rest_framework.test import APIClient

from assessments.models import Response
from config import text as text_rules


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def broken_sheet() -> bytes:
    """A real workbook whose sheet XML is cut in the middle of a tag."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(info, data)
    return out.getvalue()


DAMAGED = {
    "a zip that is no workbook": lambda: _zip({"readme.txt": b"hello"}),
    "a truncated workbook": lambda: xlsx()[:300],
    "a broken sheet": broken_sheet,
    "not a zip at all": lambda: b"%PDF-1.4 not a workbook",
}


def _zip(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _file(content: bytes):
    upload = io.BytesIO(content)
    upload.name = "matrix.xlsx"
    return upload


@pytest.mark.django_db
@pytest.mark.parametrize("damage", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_workbook_gets_a_clear_error_on_every_import_path(
    damage, national_assessment, focal_a, coordinator
):
    content = DAMAGED[damage]()
    pk = national_assessment.pk
    page = Client()
    page.force_login(focal_a)
    api = APIClient()
    api.force_authenticate(focal_a)
    # A page may accept the file and show the problems on its preview (followed).
    answers_page = page.post(
        f"/assessments/{pk}/workbook/import/", {"file": _file(content)}, follow=True
    )
    answers_api = api.post(f"/api/v1/assessments/{pk}/matrix/import/", {"file": _file(content)})
    page.force_login(coordinator)
    api.force_authenticate(coordinator)
    matrix_page = page.post(
        f"/assessments/{pk}/matrix/import/", {"file": _file(content)}, follow=True
    )
    matrix_api = api.post(
        f"/api/v1/assessments/{pk}/survey-matrix/import/",
        {"file": _file(content), "dry_run": "true"},
    )
    for name, response in [
        ("answers page", answers_page),
        ("answers API", answers_api),
        ("matrix page", matrix_page),
        ("matrix API", matrix_api),
    ]:
        assert response.status_code in (200, 400, 422), (name, response.status_code)
        body = response.content.decode()
        assert "Traceback" not in body
        assert any(word in body.lower() for word in ("workbook", "file", "sheet")), name
    assert answers_api.status_code == matrix_api.status_code == 400


@pytest.mark.django_db
def test_a_control_character_or_an_over_long_text_is_refused_naming_the_field(
    national_assessment, focal_a
):
    response = national_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.1"
    )
    api = APIClient()
    api.force_authenticate(focal_a)
    url = f"/api/v1/responses/{response.pk}/"
    bell = api.patch(
        url, {"version": response.version, "justification": "Law 18/2017\x07"}, format="json"
    )
    assert bell.status_code == 400
    assert "justification" in bell.json()
    assert "U+0007" in str(bell.json()["justification"])
    long = api.patch(
        url,
        {"version": response.version, "justification": "x" * (text_rules.JUSTIFICATION + 1)},
        format="json",
    )
    assert long.status_code == 400 and "justification" in long.json()
    response.refresh_from_db()
    assert response.justification == ""  # nothing half-applied


@pytest.mark.django_db
def test_evidence_through_the_api_without_its_optional_title(national_assessment, focal_a):
    response = national_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.1"
    )
    api = APIClient()
    api.force_authenticate(focal_a)
    added = api.post(
        f"/api/v1/responses/{response.pk}/evidence/",
        {"version": response.version, "kind": "link", "url": "https://jdih.kemnaker.go.id/"},
        format="json",
    )
    assert added.status_code in (201, 400), added.content[:300]
    if added.status_code == 400:
        assert "title" in added.json()


@pytest.mark.django_db
def test_exports_survive_a_control_character_already_stored(national_assessment, focal_a):
    response = national_assessment.responses.get(
        institution=focal_a.institution, indicator__code="1.3.1"
    )
    # Stored before the boundary refused it (an older version, a database edit).
    Response.objects.filter(pk=response.pk).update(justification="Law\x0b18/2017")
    page = Client()
    page.force_login(focal_a)
    exported = page.get(f"/assessments/{national_assessment.pk}/workbook.xlsx")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
