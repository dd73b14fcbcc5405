"""The answers workbook in the exporting person's language, and back in either language.

An export in Bahasa Indonesia names its sheets and columns, lists its values and writes its
instructions in Bahasa Indonesia; the import reads sheets, headers and values in English or
Indonesian (or the codes) whatever the importing person's language, and reports problems in
that person's language, naming sheets and columns as they are written in the file.

The expected words come from the catalogue (`in_indonesian`), so these tests hold whatever the
wording; `test_indonesian_words_are_the_catalogues` pins the words themselves once the catalogue
has them.
"""

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from assessments.collection.workbook import EVIDENCE_COLUMNS, RESPONSE_COLUMNS
from assessments.collection.workbook.vocabulary import (
    choose_kind_message,
    column_label,
    instrument_keyword,
    kind_keyword,
    sheet_label,
)
from assessments.models import AnswersWorkbookImport, Evidence

from .test_workbook_export import (
    answer,
    cell,
    citation,
    column,
    download,
    kemnaker_response,
    list_values,
    sheet,
    validation_of,
    with_kemnaker_contributions,
)
from .test_workbook_import import add_row, import_and_preview, preview_url, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def wb_assessment(national_assessment, coordinator, kemnaker):
    return with_kemnaker_contributions(national_assessment, coordinator, kemnaker)


def in_indonesian(function, *args):
    with translation.override("id"):
        return function(*args)


def in_indonesian_client(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "id"
    return client


def test_an_indonesian_export_is_in_indonesian_throughout(client, wb_assessment, focal_a):
    law = citation(wb_assessment, focal_a)
    answer(wb_assessment, focal_a, "1.3.1", answer="partial", coverage="all", evidence=[law])
    wb = download(in_indonesian_client(client, focal_a), wb_assessment)

    assert wb.sheetnames[:3] == [
        in_indonesian(sheet_label, name) for name in ("Instructions", "Responses", "Evidence")
    ]
    responses, evidence = sheet(wb, "Responses"), sheet(wb, "Evidence")
    assert [c.value for c in responses[1]] == [
        in_indonesian(column_label, c) for c in RESPONSE_COLUMNS
    ]
    assert [c.value for c in evidence[1]] == [
        in_indonesian(column_label, c) for c in EVIDENCE_COLUMNS
    ]
    # Values: answers, coverage and roles by their labels, evidence kinds and instruments
    # by the workbook's Indonesian keywords, in the cells and in the dropdowns.
    assert cell(responses, "1.3.1", "answer").value == "Sebagian"
    assert cell(responses, "1.3.1", "role").value == "Utama"
    row = [c.value for c in evidence[2]]
    assert row[1:3] == [
        in_indonesian(kind_keyword, "citation"),
        in_indonesian(instrument_keyword, "law"),
    ]
    kinds = validation_of(evidence, "B3")
    assert list_values(wb, kinds.formula1) == [
        in_indonesian(kind_keyword, "citation"),
        in_indonesian(kind_keyword, "link"),
    ]
    types = validation_of(evidence, "C3")
    assert in_indonesian(instrument_keyword, "ministerial_regulation") in list_values(
        wb, types.formula1
    )
    assert types.error == in_indonesian(
        translation.gettext, "Choose an instrument type from the list."
    )
    # The instructions name the sheets and columns as the workbook does.
    instructions = sheet(wb, "Instructions")
    # The first line under a heading (the sheet's own, before the list of answers).
    text: dict[str, str] = {}
    for key, value in instructions.iter_rows(values_only=True):
        if key:
            text.setdefault(key, value)
    assert in_indonesian(sheet_label, "Responses") in text
    assert (
        in_indonesian(sheet_label, "Evidence")
        in text[in_indonesian(translation.gettext, "How it works")]
    )
    assert (
        in_indonesian(column_label, "justification")
        in text[in_indonesian(sheet_label, "Responses")]
    )
    assert text[in_indonesian(instrument_keyword, "law")] == "Undang-Undang"


def test_an_english_export_keeps_the_names_it_always_had(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    assert wb.sheetnames[:3] == ["Instructions", "Responses", "Evidence"]
    assert [c.value for c in wb["Evidence"][1]] == EVIDENCE_COLUMNS
    text = {r[0].value: r[1].value for r in wb["Instructions"].iter_rows() if r[0].value}
    assert text["kind"] == "citation (a legal citation) or link."
    assert text["law"] == "Law (Undang-Undang)"


def test_indonesian_round_trip(client, wb_assessment, focal_a):
    """Export in Bahasa Indonesia, fill it with Indonesian words, import in Bahasa Indonesia."""
    law = citation(wb_assessment, focal_a)
    client = in_indonesian_client(client, focal_a)
    wb = download(client, wb_assessment)
    responses, evidence = sheet(wb, "Responses"), sheet(wb, "Evidence")
    cell(responses, "1.1.1", "answer").value = "Sebagian"
    cell(responses, "1.1.1", "coverage").value = in_indonesian(
        translation.gettext, "Regular migrants only"
    )
    cell(responses, "1.3.2", "answer").value = "Tidak"
    cell(
        responses, "1.3.2", "justification"
    ).value = "Belum ada kebijakan; rancangan sedang dibahas."
    cell(responses, "4.1.1", "answer").value = "Ya"
    cell(responses, "4.1.1", "evidence").value = f"E{law.pk}, PERMEN1, WEB1"
    add_row(
        evidence,
        [
            "PERMEN1",
            in_indonesian(kind_keyword, "citation"),
            in_indonesian(instrument_keyword, "ministerial_regulation"),
            "4",
            2023,
            "Tata cara penempatan",
        ],
    )
    add_row(
        evidence,
        [
            "WEB1",
            in_indonesian(kind_keyword, "link"),
            "",
            "",
            "",
            "Laman BP2MI",
            "",
            "https://bp2mi.go.id/",
        ],
    )

    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context["errors"]
    assert '<html lang="id">' in page.content.decode()
    assert [r["code"] for r in page.context["rows"]] == ["1.1.1", "1.3.2", "4.1.1"]
    response = client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert response.status_code == 302

    assert (
        kemnaker_response(wb_assessment, "1.1.1").answer,
        kemnaker_response(wb_assessment, "1.1.1").coverage,
    ) == ("partial", "regular")
    assert kemnaker_response(wb_assessment, "1.3.2").answer == "no"
    new = Evidence.objects.get(assessment=wb_assessment, title="Tata cara penempatan")
    assert (new.kind, new.instrument_type, new.number, new.year) == (
        "citation",
        "ministerial_regulation",
        "4",
        2023,
    )
    link = Evidence.objects.get(assessment=wb_assessment, title="Laman BP2MI")
    assert (link.kind, link.url) == ("link", "https://bp2mi.go.id/")
    assert set(kemnaker_response(wb_assessment, "4.1.1").evidence.all()) == {law, new, link}


def test_an_english_workbook_imported_in_indonesian(client, wb_assessment, focal_a):
    """Exported in English, imported by someone whose portal is in Bahasa Indonesia."""
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    cell(wb["Responses"], "1.3.2", "answer").value = "Partially"
    add_row(wb["Evidence"], ["LAW9", "citation", "law", "6", 2012, "Ratification of ICRMW"])
    cell(wb["Responses"], "1.3.2", "evidence").value = "LAW9"
    client.cookies["django_language"] = "id"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context["errors"]
    client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    response = kemnaker_response(wb_assessment, "1.3.2")
    assert response.answer == "partial"
    assert [e.title for e in response.evidence.all()] == ["Ratification of ICRMW"]


def test_an_indonesian_workbook_imported_in_english(client, wb_assessment, focal_a):
    wb = download(in_indonesian_client(client, focal_a), wb_assessment)
    cell(sheet(wb, "Responses"), "4.1.1", "answer").value = "Ya"
    add_row(
        sheet(wb, "Evidence"),
        [
            "PP1",
            in_indonesian(kind_keyword, "citation"),
            in_indonesian(instrument_keyword, "government_regulation"),
            "59",
            2021,
            "PP 59/2021",
        ],
    )
    cell(sheet(wb, "Responses"), "4.1.1", "evidence").value = "PP1"
    client.cookies["django_language"] = "en"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context["errors"]
    client.post(preview_url(wb_assessment, workbook_import) + "apply/")
    assert kemnaker_response(wb_assessment, "4.1.1").answer == "yes"
    assert Evidence.objects.get(title="PP 59/2021").instrument_type == "government_regulation"


def test_errors_are_in_the_importers_language_and_name_the_cells_as_written(
    client, wb_assessment, focal_a
):
    """An English workbook with mistakes, imported in Bahasa Indonesia: the messages are in
    Indonesian, the sheet and the column as the file names them."""
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    ws = wb["Responses"]
    cell(ws, "1.3.2", "answer").value = "Maybe"
    cell(ws, "4.1.1", "evidence").value = "E999999"
    add_row(wb["Evidence"], ["X1", "", "", "", "", "Tanpa jenis"])
    client.cookies["django_language"] = "id"
    errors, html = refused(client, wb_assessment, wb)
    answer_col = ws.cell(row=1, column=column(ws, "answer")).column_letter
    assert ("Responses", 5, answer_col) in errors
    assert "“Maybe” bukan jawaban yang sah; pilih Ya, Sebagian, atau Tidak." in html
    unknown = in_indonesian(
        translation.gettext, "Unknown evidence reference: %(refs)s. List it in the %(sheet)s sheet."
    ) % {"refs": "E999999", "sheet": in_indonesian(sheet_label, "Evidence")}
    assert unknown in html
    assert in_indonesian(choose_kind_message) in html  # the evidence row without a kind
    assert "(answer)" in html  # the column as the file names it


def test_a_missing_sheet_is_named_in_the_importers_language(client, wb_assessment, focal_a):
    client = in_indonesian_client(client, focal_a)
    wb = download(client, wb_assessment)
    del wb[sheet(wb, "Evidence").title]
    errors, _html = refused(client, wb_assessment, wb)
    assert errors == {(in_indonesian(sheet_label, "Evidence"), None, None)}


def test_headers_are_read_whatever_their_case_and_spacing(client, wb_assessment, focal_a):
    client.force_login(focal_a)
    wb = download(client, wb_assessment)
    evidence = wb["Evidence"]
    evidence.cell(row=1, column=column(evidence, "instrument_type")).value = "Instrument Type"
    wb["Responses"].cell(row=1, column=column(wb["Responses"], "answer")).value = "ANSWER"
    cell(wb["Responses"], "1.3.2", "answer").value = "Yes"
    workbook_import, page = import_and_preview(client, wb_assessment, wb)
    assert workbook_import.status == AnswersWorkbookImport.Status.PREVIEWED, page.context["errors"]
    assert [r["code"] for r in page.context["rows"]] == ["1.3.2"]


def _catalogue_has_the_workbook_words() -> bool:
    with translation.override("id"):
        return pgettext("answers workbook sheet", "Responses") != "Responses"


@pytest.mark.skipif(
    not _catalogue_has_the_workbook_words(),
    reason="the Indonesian catalogue does not have the workbook's words yet",
)
def test_indonesian_words_are_the_catalogues(client, wb_assessment, focal_a):
    wb = download(in_indonesian_client(client, focal_a), wb_assessment)
    assert wb.sheetnames[:3] == ["Petunjuk", "Jawaban", "Bukti"]
    assert [c.value for c in wb["Jawaban"][1]] == [
        "kode", "dimensi", "pertanyaan", "peran", "jawaban", "cakupan", "justifikasi", "bukti", "versi",
    ]  # fmt: skip
    assert [c.value for c in wb["Bukti"][1]] == [
        "referensi", "jenis", "jenis instrumen", "nomor", "tahun", "judul", "pasal", "url",
        "instrumen hukum",
    ]  # fmt: skip
    assert list_values(wb, validation_of(wb["Bukti"], "B2").formula1) == ["rujukan", "tautan"]
