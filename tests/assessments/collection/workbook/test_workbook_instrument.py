"""The answers workbook names instruments of the register: exported by short form in the
"instrument" column, and a new citation row may give one instead of type, number, year and
title; a reference to nothing is refused naming its sheet, row and column."""

import pytest

from assessments.collection import services as collection_services
from assessments.models import AnswersWorkbookImport, Evidence

from .test_workbook_export import cell, column, download, kemnaker_response
from .test_workbook_import import add_row, import_and_preview, preview_url, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def wb_assessment(national_assessment, coordinator, kemnaker):
    from .test_workbook_export import with_kemnaker_contributions

    return with_kemnaker_contributions(national_assessment, coordinator, kemnaker)


def test_an_instrument_round_trips_through_the_workbook(
    client, wb_assessment, focal_a, legal_instrument, government_regulation
):
    cited = collection_services.evidence_create(
        assessment=wb_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="citation",
        instrument=legal_instrument,
        article="Pasal 41",
    )
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    evidence = wb["Evidence"]
    instrument_column = column(evidence, "instrument")
    # Exported by its short form; the row stays as exported on the way back.
    assert evidence.cell(row=2, column=instrument_column).value == "UU 18/2017"
    row = add_row(evidence, ["PP1", "citation", None, None, None, None, "Pasal 4", None])
    evidence.cell(row=row, column=instrument_column).value = "pp 59/2021"
    cell(wb["Responses"], "1.3.2", "answer").value = "Yes"
    cell(wb["Responses"], "1.3.2", "evidence").value = f"E{cited.pk}, PP1"

    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context.get(
        "errors"
    )
    assert "Government Regulation No. 59 of 2021" in page.content.decode()
    applied = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert applied.status_code == 302

    new = Evidence.objects.get(assessment=wb_assessment, instrument=government_regulation)
    assert (new.instrument_type, new.number, new.year, new.article) == (
        "government_regulation",
        "59",
        2021,
        "Pasal 4",
    )
    assert new.title == "Pelaksanaan Pelindungan Pekerja Migran Indonesia"
    assert set(kemnaker_response(wb_assessment, "1.3.2").evidence.all()) == {cited, new}
    # And it goes out again by its short form.
    again = download(client, wb_assessment)["Evidence"]
    assert [again.cell(row=r, column=instrument_column).value for r in range(2, 4)] == [
        "UU 18/2017",
        "PP 59/2021",
    ]


def test_a_reference_to_no_instrument_names_its_sheet_row_and_column(
    client, wb_assessment, focal_a
):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    evidence = wb["Evidence"]
    row = add_row(evidence, ["LAW9", "citation"])
    evidence.cell(row=row, column=column(evidence, "instrument")).value = "UU 99/2099"
    cell(wb["Responses"], "1.3.2", "evidence").value = "LAW9"
    letter = evidence.cell(row=1, column=column(evidence, "instrument")).column_letter
    errors, html = refused(client, wb_assessment, wb)
    assert errors == {("Evidence", row, letter)}
    assert "“UU 99/2099” is not in the register of legal instruments" in html


def test_a_workbook_exported_before_the_instrument_column_still_imports(
    client, wb_assessment, focal_a
):
    collection_services.evidence_create(
        assessment=wb_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="citation",
        instrument_type="law",
        number="18",
        year=2017,
        title="Typed by hand",
    )
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    evidence = wb["Evidence"]
    evidence.delete_cols(column(evidence, "instrument"))
    cell(wb["Responses"], "1.3.2", "answer").value = "No"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context.get(
        "errors"
    )
