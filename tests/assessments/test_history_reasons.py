"""Reasons the system writes in the history are stored as codes and read in each reader's
language: a focal point working in Bahasa Indonesia submits, a facilitator reading in English
sees "Submitted" on the same row, and an Indonesian reader sees "Terkirim"."""

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from assessments import history_reasons
from assessments.collection import services as collection_services
from assessments.history_reasons import reason_code, reason_text
from assessments.models import AssessmentStatusChange, Evidence, Response

pytestmark = pytest.mark.django_db

# The "How" cell of a history row: the third of the cells spanning the row's changes.
REASON_CELL = re.compile(
    r'<td rowspan="\d+">[^<]*</td><td rowspan="\d+">[^<]*</td><td rowspan="\d+">([^<]*)</td>'
)


def in_language(language: str, stored: str) -> str:
    with translation.override(language):
        return reason_text(stored)


def test_a_code_reads_in_the_active_language():
    stored = reason_code(history_reasons.EXCEL_IMPORT, filename="kemnaker.xlsx")
    assert stored == 'excel_import|{"filename":"kemnaker.xlsx"}'
    assert in_language("en", stored) == "Excel import (kemnaker.xlsx)"
    assert in_language("id", stored) == "Impor Excel (kemnaker.xlsx)"
    assert in_language("id", reason_code(history_reasons.SUBMITTED)) == "Terkirim"
    assert in_language("en", reason_code(history_reasons.RETURNED)) == "Returned for revision"


def test_free_text_is_shown_as_written():
    for text in ("Reopened: the ministry sent a new regulation.", "Terkirim", "API", "", None):
        assert in_language("en", text) == (text or "")
    # Looks like a code but is not one, or its parameters are not JSON: free text.
    assert in_language("en", "reopened") == "reopened"
    assert in_language("en", 'excel_import|{"filename":') == 'excel_import|{"filename":'
    assert history_reasons.reason_code_of("Submitted") is None


def test_unknown_codes_are_refused_when_written():
    with pytest.raises(ValueError):
        reason_code("something_else")


def test_a_missing_parameter_does_not_break_the_page():
    assert in_language("en", "excel_import") == "Excel import ()"


def test_evidence_added_names_the_instrument_in_the_readers_language(
    national_assessment, kemnaker, focal_a
):
    evidence = Evidence(
        assessment=national_assessment,
        institution=kemnaker,
        kind="citation",
        instrument_type="law",
        number="18",
        year=2017,
        title="Protection of Indonesian Migrant Workers",
        article="Art. 5",
    )
    evidence.pk = 41
    stored = history_reasons.evidence_added(evidence)
    assert history_reasons.reason_code_of(stored) == "evidence_added"
    assert in_language("en", stored) == (
        "Evidence added: Law (Undang-Undang) 18/2017: Protection of Indonesian Migrant Workers, "
        "Art. 5"
    )
    assert in_language("id", stored) == (
        "Bukti ditambahkan: Undang-Undang 18/2017: Protection of Indonesian Migrant Workers, Art. 5"
    )


@pytest.fixture
def submitted_in_indonesian(national_assessment, kemnaker, focal_a):
    """Kemnaker's focal point, working in Bahasa Indonesia, answers, cites a law on 1.3.1 and
    submits through the page."""
    with translation.override("id"):
        for response in national_assessment.responses.filter(institution=kemnaker):
            collection_services.response_update(
                response=response, actor=focal_a, version=response.version, answer="yes"
            )
        response = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
        collection_services.response_attach_evidence(
            response=response,
            actor=focal_a,
            version=response.version,
            kind="citation",
            instrument_type="law",
            number="18",
            year=2017,
            title="Pelindungan Pekerja Migran Indonesia",
        )
    client = Client()
    client.force_login(focal_a)
    client.cookies["django_language"] = "id"
    page = client.post(  # the confirmed POST: submitting now asks first (config/confirm.py)
        f"/assessments/{national_assessment.pk}/submit/", {"confirmed": "yes"}, follow=True
    )
    html = page.content.decode()
    assert '<html lang="id">' in html and "jawaban telah terkirim" in html
    response.refresh_from_db()
    assert response.state == Response.State.SUBMITTED
    return response


def history_reasons_shown(client: Client, response: Response, language: str) -> list[str]:
    client.cookies["django_language"] = language
    html = client.get(f"/responses/{response.pk}/history/").content.decode()
    assert f'<html lang="{language}">' in html
    return REASON_CELL.findall(html)


def test_the_stored_reasons_do_not_depend_on_the_actors_language(submitted_in_indonesian):
    stored = list(
        submitted_in_indonesian.history.order_by("-history_id").values_list(
            "history_change_reason", flat=True
        )[:2]
    )
    assert stored[0] == "submitted"
    # The evidence's fields, not its label in the actor's language ("Undang-Undang 18/2017").
    code, params = history_reasons.parse_reason(stored[1])
    assert code == "evidence_added"
    assert (params["instrument_type"], params["number"], params["year"]) == ("law", "18", 2017)


def test_an_english_reader_sees_the_indonesian_submission_in_english(
    submitted_in_indonesian, facilitator
):
    client = Client()
    client.force_login(facilitator)
    shown = history_reasons_shown(client, submitted_in_indonesian, "en")
    assert shown[0] == "Submitted"
    assert (
        shown[1]
        == "Evidence added: Law (Undang-Undang) 18/2017: Pelindungan Pekerja Migran Indonesia"
    )
    assert not any("Terkirim" in s or "Bukti" in s for s in shown)


def test_an_indonesian_reader_sees_the_same_rows_in_indonesian(
    submitted_in_indonesian, coordinator
):
    client = Client()
    client.force_login(coordinator)
    shown = history_reasons_shown(client, submitted_in_indonesian, "id")
    assert shown[0] == "Terkirim"
    assert (
        shown[1] == "Bukti ditambahkan: Undang-Undang 18/2017: Pelindungan Pekerja Migran Indonesia"
    )


def test_the_api_gives_the_text_in_the_requests_language_and_the_code(
    submitted_in_indonesian, facilitator
):
    client = Client()
    client.force_login(facilitator)
    url = f"/api/v1/responses/{submitted_in_indonesian.pk}/history/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="id").json()
    assert (english[0]["reason"], english[0]["reason_code"]) == ("Submitted", "submitted")
    assert (indonesian[0]["reason"], indonesian[0]["reason_code"]) == ("Terkirim", "submitted")
    assert english[1]["reason_code"] == "evidence_added"
    assert english[1]["reason_params"]["instrument_type"] == "law"


def test_review_and_matrix_reasons_are_codes(national_assessment, kemnaker, focal_a, facilitator):
    from assessments.review import services as review_services

    from ..conftest import submit_institution

    with translation.override("id"):
        submit_institution(national_assessment, kemnaker, focal_a, "yes")
        response = national_assessment.responses.get(institution=kemnaker, indicator__code="1.3.1")
        review_services.response_review(
            response=response, actor=facilitator, decision="return", comment="Sebutkan pasalnya."
        )
        response.refresh_from_db()
        review_services.response_resubmit(response=response, actor=focal_a)
    reasons = list(
        response.history.order_by("-history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[:3] == ["resubmitted", "returned", "submitted"]
    assert in_language("en", reasons[1]) == "Returned for revision"
    # The first row of every answer: assigned in the survey matrix.
    assert reasons[-1] == "matrix_assigned"


def test_a_workflow_note_the_system_wrote_reads_in_each_language_and_a_persons_as_written(
    client, national_assessment, coordinator
):
    AssessmentStatusChange.objects.filter(assessment=national_assessment).update(
        note=reason_code(history_reasons.DEMO_COLLECTION_OPEN)
    )
    AssessmentStatusChange.objects.create(
        assessment=national_assessment,
        from_status="cross_check",
        to_status="data_collection",
        note="Dibuka kembali: Kemnaker mengirim peraturan baru.",
        actor=coordinator,
    )
    client.force_login(coordinator)
    url = f"/assessments/{national_assessment.pk}/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demonstration data: survey matrix complete, data collection open." in english
    assert "demo_collection_open" not in english
    assert "Dibuka kembali: Kemnaker mengirim peraturan baru." in english
    client.cookies["django_language"] = "id"
    indonesian = client.get(url).content.decode()
    expected = in_language("id", reason_code(history_reasons.DEMO_COLLECTION_OPEN))
    assert expected in indonesian and "demo_collection_open" not in indonesian


# --- the data migration ---------------------------------------------------------------------

migration = importlib.import_module("assessments.migrations.0007_history_reason_codes")


@pytest.mark.parametrize(
    "text,stored",
    [
        ("Submitted", "submitted"),
        ("Terkirim", "submitted"),
        ("Dikirim ulang", "resubmitted"),
        ("Query", "queried"),
        ("Ajukan pertanyaan", "queried"),
        ("Dikembalikan untuk perbaikan", "returned"),
        ("Ditugaskan dalam matriks survei", "matrix_assigned"),
        ("API", "api"),
        ("Demo", "demo"),
        ("Excel import (kemnaker.xlsx)", 'excel_import|{"filename":"kemnaker.xlsx"}'),
        ("Impor Excel (data (2).xlsx)", 'excel_import|{"filename":"data (2).xlsx"}'),
        ("Bukti ditambahkan: UU 18/2017", 'evidence_added|{"label":"UU 18/2017"}'),
        (
            "Validasi 2023-09-18: Perda baru.\nDibahas di FGD.",
            'validation|{"date":"2023-09-18","reason":"Perda baru.\\nDibahas di FGD."}',
        ),
        ("Diambil dari KEMNAKER", 'taken_over|{"institution":"KEMNAKER"}'),
    ],
)
def test_migration_converts_the_known_texts(text, stored):
    assert migration.to_code(text) == stored
    # What the migration writes reads back as the portal's own codes.
    assert history_reasons.parse_reason(stored) is not None


@pytest.mark.parametrize(
    "text",
    ["Submitted twice", "Reopened after the FGD", "Excel import: kemnaker.xlsx", "demo", ""],
)
def test_migration_leaves_other_texts_alone(text):
    assert migration.to_code(text) is None


def test_migration_converts_stored_rows_and_back(response_a, coordinator, national_assessment):
    History = Response.history.model
    row = response_a.history.earliest("history_id")
    History.objects.filter(pk=row.pk).update(history_change_reason="Terkirim")
    other = History.objects.filter(pk=row.pk).values_list("history_change_reason", flat=True)
    note = AssessmentStatusChange.objects.create(
        assessment=national_assessment,
        from_status="setup",
        to_status="data_collection",
        note="Demo: survey matrix complete, data collection open.",
        actor=coordinator,
    )
    migration.forwards(apps, None)
    assert other.get() == "submitted"
    note.refresh_from_db()
    assert note.note == "demo_collection_open"
    assert in_language("en", note.note).startswith("Demonstration data: survey matrix")
    migration.backwards(apps, None)
    assert other.get() == "Submitted"
    note.refresh_from_db()
    assert note.note == "Demo: survey matrix complete, data collection open."
