"""Export of the focal points' workbook: content, protection, dropdowns, escaping, access.

The helpers here are shared by the other workbook tests.
"""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from assessments.collection import services as collection_services
from assessments.collection.workbook import RESPONSE_COLUMNS, XLSX_CONTENT_TYPE
from assessments.collection.workbook.vocabulary import (
    COLUMN_LABELS,
    every_language,
    find_sheet,
    norm_word,
)
from assessments.models import Assessment, Evidence, Response
from assessments.setup import services as setup_services
from indicators.models import Indicator
from ministries.models import Institution, User

pytestmark = pytest.mark.django_db

# Kemnaker in `wb_assessment`, in indicator order. 1.1.1 and 1.3.1 have a coverage
# qualifier; 1.2.2 and 4.3.2 allow "Not applicable".
KEMNAKER_CODES = ["1.1.1", "1.2.2", "1.3.1", "1.3.2", "2.1.1", "4.1.1", "4.1.2", "4.3.2"]


def with_kemnaker_contributions(
    assessment: Assessment, coordinator: User, kemnaker: Institution
) -> Assessment:
    """The national test assessment with Kemnaker contributing to four more indicators."""
    extra = Indicator.objects.filter(
        framework=assessment.framework, code__in=["1.1.1", "1.2.2", "2.1.1", "4.3.2"]
    )
    setup_services.matrix_apply(
        assessment=assessment,
        actor=coordinator,
        cells={(i.pk, kemnaker.pk): "contributor" for i in extra},
    )
    return assessment


@pytest.fixture
def wb_assessment(national_assessment: Assessment, coordinator: User, kemnaker: Institution):
    return with_kemnaker_contributions(national_assessment, coordinator, kemnaker)


def kemnaker_response(assessment: Assessment, code: str) -> Response:
    return Response.objects.select_related("indicator", "assessment").get(
        assessment=assessment, indicator__code=code, institution__acronym="KEMNAKER"
    )


def answer(assessment: Assessment, user: User, code: str, **values) -> Response:
    response = kemnaker_response(assessment, code)
    return collection_services.response_update(
        response=response, actor=user, version=response.version, **values
    )


def citation(assessment: Assessment, user: User, **values) -> Evidence:
    fields: dict[str, Any] = {
        "kind": "citation",
        "instrument_type": "law",
        "number": "18",
        "year": 2017,
        "title": "Protection of Indonesian Migrant Workers",
    }
    fields.update(values)
    assert user.institution is not None
    return collection_services.evidence_create(
        assessment=assessment, institution=user.institution, actor=user, **fields
    )


def download(client: Client, assessment: Assessment, **params) -> Workbook:
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx", params)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def to_upload(wb: Workbook, name: str = "kemnaker.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def column(ws, header: str) -> int:
    """The column named `header`, whichever language the workbook's headers are in."""
    names = {norm_word(text): name for text, name in every_language(COLUMN_LABELS).items()}
    return [names.get(norm_word(c.value or ""), c.value) for c in ws[1]].index(header) + 1


def sheet(wb: Workbook, name: str):
    """The sheet `name` ("Responses", "Evidence", …), whichever language it is named in."""
    found = find_sheet(wb, name)
    assert found is not None, (name, wb.sheetnames)
    return wb[found]


def row_of(ws, code: str) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"no row for {code}")


def cell(ws, code: str, header: str):
    return ws.cell(row=row_of(ws, code), column=column(ws, header))


def validation_of(ws, coordinate: str):
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, coordinate
    return found[0]


def list_values(wb: Workbook, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[f"{start}:{end}"] for c in row]


def snapshot(assessment: Assessment) -> tuple:
    """Everything an import could change."""
    responses = list(
        Response.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("pk", "answer", "coverage", "justification", "version", "state")
    )
    links = list(
        Response.evidence.through.objects.filter(response__assessment=assessment)
        .order_by("pk")
        .values_list("response_id", "evidence_id")
    )
    evidence = list(Evidence.objects.filter(assessment=assessment).values_list("pk", "title"))
    return responses, links, evidence


# --- content ------------------------------------------------------------------------------


def test_export_lists_the_institutions_indicators_prefilled(client, wb_assessment, focal_a):
    law = citation(wb_assessment, focal_a)
    answer(
        wb_assessment,
        focal_a,
        "1.3.1",
        answer="yes",
        coverage="regular",
        justification="Law 18/2017 covers registered workers.",
        evidence=[law],
    )
    client.force_login(focal_a)
    wb = download(client, wb_assessment)

    assert wb.sheetnames[:3] == ["Instructions", "Responses", "Evidence"]
    assert wb["Instructions"].sheet_state == "visible"
    assert wb["_meta"].sheet_state == "hidden"
    ws = wb["Responses"]
    assert [c.value for c in ws[1]] == RESPONSE_COLUMNS
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == KEMNAKER_CODES
    row = {h: cell(ws, "1.3.1", h).value for h in RESPONSE_COLUMNS}
    indicator = Indicator.objects.get(framework=wb_assessment.framework, code="1.3.1")
    assert row == {
        "code": "1.3.1",
        "dimension": 1,
        "question": indicator.question_en,
        "role": "Lead",
        "answer": "Yes",
        "coverage": "Regular migrants only",
        "justification": "Law 18/2017 covers registered workers.",
        "evidence": f"E{law.pk}",
        "version": 2,
    }
    assert cell(ws, "4.1.2", "role").value == "Contributor"
    assert cell(ws, "1.3.2", "answer").value is None

    evidence = wb["Evidence"]
    assert [c.value for c in evidence[1]] == [
        "ref",
        "kind",
        "instrument_type",
        "number",
        "year",
        "title",
        "article",
        "url",
        "instrument",
    ]
    assert [c.value for c in evidence[2]] == [
        f"E{law.pk}",
        "citation",
        "law",
        "18",
        2017,
        "Protection of Indonesian Migrant Workers",
        None,
        None,
        None,  # typed by hand: no instrument of the register
    ]
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["assessment"] == wb_assessment.pk
    assert meta["institution"] == "KEMNAKER"
    assert meta["language"] == "en"
    assert meta["exported_at"]


def test_identifying_columns_are_locked_and_answer_columns_open(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    assert ws.protection.sheet
    for header in ("code", "dimension", "question", "role", "version"):
        assert cell(ws, "1.3.2", header).protection.locked, header
    for header in ("answer", "justification", "evidence"):
        assert not cell(ws, "1.3.2", header).protection.locked, header
    # The coverage cell is open only where the indicator has a coverage qualifier.
    assert not cell(ws, "1.3.1", "coverage").protection.locked
    assert cell(ws, "1.3.2", "coverage").protection.locked
    evidence = wb["Evidence"]
    assert evidence.protection.sheet
    assert not evidence.cell(row=2, column=1).protection.locked  # room for new rows
    assert wb["_meta"].protection.sheet


def test_answer_and_coverage_have_dropdowns(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]

    def options(code: str, header: str) -> list[str]:
        dv = validation_of(ws, cell(ws, code, header).coordinate)
        assert dv.type == "list" and dv.showErrorMessage
        return list_values(wb, dv.formula1)

    assert options("1.3.2", "answer") == ["Yes", "Partially", "No"]
    # 1.2.2: Kemnaker contributes, and the indicator allows "not applicable".
    assert options("1.2.2", "answer") == [
        "Yes",
        "Partially",
        "No",
        "Not applicable",
        "Nothing to add",
    ]
    assert options("1.3.1", "coverage") == [
        "All migrants, whatever their status",
        "Regular migrants only",
    ]
    coverage_of_132 = cell(ws, "1.3.2", "coverage").coordinate
    assert not [dv for dv in ws.data_validations.dataValidation if coverage_of_132 in dv.sqref]
    evidence = wb["Evidence"]
    kinds = validation_of(evidence, "B2")
    assert list_values(wb, kinds.formula1) == ["citation", "link"]


def test_workbook_follows_the_users_language(client, wb_assessment, focal_a):
    answer(wb_assessment, focal_a, "1.3.2", answer="partial")
    client.force_login(focal_a)
    client.cookies["django_language"] = "id"
    wb = download(client, wb_assessment)
    ws = sheet(wb, "Responses")
    indicator = Indicator.objects.get(framework=wb_assessment.framework, code="1.3.2")
    assert cell(ws, "1.3.2", "question").value == indicator.question_id
    assert cell(ws, "1.3.2", "answer").value == "Sebagian"
    dv = validation_of(ws, cell(ws, "1.3.2", "answer").coordinate)
    assert list_values(wb, dv.formula1) == ["Ya", "Sebagian", "Tidak"]
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["language"] == "id"


def test_text_that_a_spreadsheet_would_run_is_escaped(client, wb_assessment, focal_a):
    law = citation(wb_assessment, focal_a, title="@SUM(1+1)", number="-1")
    answer(
        wb_assessment,
        focal_a,
        "1.3.2",
        justification='=HYPERLINK("http://evil.example","click")',
        evidence=[law],
    )
    answer(wb_assessment, focal_a, "4.1.1", justification="+62 21 hotline")
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    justification = cell(ws, "1.3.2", "justification")
    assert justification.data_type == "s"
    assert justification.value == '\'=HYPERLINK("http://evil.example","click")'
    assert cell(ws, "4.1.1", "justification").value == "'+62 21 hotline"
    evidence = wb["Evidence"]
    assert evidence.cell(row=2, column=column(evidence, "title")).value == "'@SUM(1+1)"
    assert evidence.cell(row=2, column=column(evidence, "number")).value == "'-1"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


# --- who may export -----------------------------------------------------------------------


def test_coordinator_and_facilitator_export_a_named_institution(
    client, wb_assessment, coordinator, facilitator
):
    for user in (coordinator, facilitator):
        client.force_login(user)
        wb = download(client, wb_assessment, institution="KEMNAKER")
        codes = [c.value for c in wb["Responses"]["A"][1:]]
        assert codes == KEMNAKER_CODES
        bp2mi = download(client, wb_assessment, institution="bp2mi")
        assert [c.value for c in bp2mi["Responses"]["A"][1:]] == ["1.3.1", "2.3.2", "4.1.2"]
        url = f"/assessments/{wb_assessment.pk}/workbook.xlsx"
        assert client.get(url).status_code == 400  # which institution?
        assert client.get(url, {"institution": "NOPE"}).status_code == 404
        # An institution with nothing assigned has no workbook.
        assert client.get(url, {"institution": "KEMENDAGRI"}).status_code == 404


def test_focal_point_never_gets_another_institutions_workbook(client, wb_assessment, focal_b):
    client.force_login(focal_b)
    url = f"/assessments/{wb_assessment.pk}/workbook.xlsx"
    assert client.get(url, {"institution": "KEMNAKER"}).status_code == 404
    own = download(client, wb_assessment)
    assert [c.value for c in own["Responses"]["A"][1:]] == ["1.3.1", "2.3.2", "4.1.2"]
    assert own["Responses"]["A"][1].value == "1.3.1"


def test_strangers_get_404_and_visitors_the_login_page(
    client, wb_assessment, provincial_coordinator
):
    url = f"/assessments/{wb_assessment.pk}/workbook.xlsx"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(provincial_coordinator)
    assert client.get(url, {"institution": "KEMNAKER"}).status_code == 404


# --- speed --------------------------------------------------------------------------------


def test_export_runs_a_fixed_number_of_queries(
    client, wb_assessment, focal_a, coordinator, django_assert_num_queries
):
    client.force_login(focal_a)
    url = f"/assessments/{wb_assessment.pk}/workbook.xlsx"
    # 1 session, 2 user, 3 assessment (permission-scoped), 4 the user's institution,
    # 5 assignments (roles), 6 responses with indicator and dimension, 7 their evidence
    # (prefetch), 8 the institution's evidence list.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    # More indicators, evidence and history change nothing.
    more = Indicator.objects.filter(framework=wb_assessment.framework, code__startswith="3.")
    setup_services.matrix_apply(
        assessment=wb_assessment,
        actor=coordinator,
        cells={(i.pk, focal_a.institution_id): "contributor" for i in more},
    )
    items = [citation(wb_assessment, focal_a, number=str(n)) for n in range(5)]
    for code in KEMNAKER_CODES:
        answer(wb_assessment, focal_a, code, answer="no", evidence=items[:3])
    with django_assert_num_queries(8):
        response = client.get(url)
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["Responses"].max_row == 1 + len(KEMNAKER_CODES) + more.count()
