"""A contributor says "nothing to add" in the answers workbook as in the browser: a value of
the answer column, offered on contributor rows only, read in either language, stored as the
flag with no answer, refused on a lead row, and given back by the next export."""

import pytest

from assessments.models import AnswersWorkbookImport

from .test_workbook_export import (
    answer,
    cell,
    download,
    kemnaker_response,
    list_values,
    sheet,
    snapshot,
    validation_of,
)
from .test_workbook_import import import_and_preview, preview_url, refused, wb_assessment

pytestmark = pytest.mark.django_db

__all__ = ["wb_assessment"]


def options(wb, ws, code: str) -> list[str]:
    return list_values(wb, validation_of(ws, cell(ws, code, "answer").coordinate).formula1)


def test_only_contributor_rows_offer_nothing_to_add(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    assert options(wb, ws, "2.1.1")[-1] == "Nothing to add"  # Kemnaker contributes
    assert "Nothing to add" not in options(wb, ws, "1.3.2")  # Kemnaker leads
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row)
    assert "nothing to add" in instructions


def test_nothing_to_add_is_imported_as_the_flag_and_exported_back(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "2.1.1", "answer").value = "Nothing to add"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status != AnswersWorkbookImport.Status.REFUSED
    assert "Nothing to add" in page.content.decode()
    response = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert response.status_code == 302
    stored = kemnaker_response(wb_assessment, "2.1.1")
    assert (stored.nothing_to_add, stored.answer, stored.coverage) == (True, "", "")

    again = download(client, wb_assessment)
    assert cell(again["Responses"], "2.1.1", "answer").value == "Nothing to add"


def test_an_answer_takes_nothing_to_add_back(client, wb_assessment, focal_a):
    answer(wb_assessment, focal_a, "2.1.1", nothing_to_add="on")
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "2.1.1", "answer").value = "Partially"
    workbook_import, _page = import_and_preview(client, wb_assessment, wb)
    client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    stored = kemnaker_response(wb_assessment, "2.1.1")
    assert (stored.nothing_to_add, stored.answer) == (False, "partial")


def test_indonesian_label_is_read_whatever_the_importers_language(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(sheet(wb, "Responses"), "2.1.1", "answer").value = "Tidak ada tambahan"
    workbook_import, _page = import_and_preview(client, wb_assessment, wb)
    client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert kemnaker_response(wb_assessment, "2.1.1").nothing_to_add is True


def test_a_lead_row_saying_nothing_to_add_is_refused_naming_the_cell(
    client, wb_assessment, focal_a
):
    before = snapshot(wb_assessment)
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "Nothing to add"
    target = cell(ws, "1.3.2", "answer")
    found, page = refused(client, wb_assessment, wb)
    assert ("Responses", target.row, target.column_letter) in found
    assert "leads this indicator" in page
    assert snapshot(wb_assessment) == before
