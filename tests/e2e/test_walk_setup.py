"""Stage 1 of the walk: the coordinator sets the assessment up and opens data collection."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assessments.models import Assessment
from indicators.models import FrameworkVersion
from ministries.models import Institution

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]

# Kemnaker and BP2MI share some indicators (as tests/conftest.py's national assessment);
# KEMLU leads every other one.
SPECIAL = {
    "1.3.1": [("KEMNAKER", "lead"), ("BP2MI", "contributor")],
    "1.3.2": [("KEMNAKER", "lead")],
    "4.1.1": [("KEMNAKER", "lead")],
    "4.1.2": [("BP2MI", "lead"), ("KEMNAKER", "contributor")],
    "2.3.2": [("BP2MI", "lead")],
}


def filled_matrix(workbook: bytes, codes: list[str]) -> bytes:
    """The downloaded (empty) survey matrix with one row per assignment, as a coordinator
    fills it in a spreadsheet."""
    wb = load_workbook(io.BytesIO(workbook))
    sheet = wb.worksheets[0]
    for code in codes:
        for acronym, role in SPECIAL.get(code, [("KEMLU", "lead")]):
            sheet.append([code, "", acronym, role])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_setup(walk, lang):
    people = cast()
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    page = walk.persona(people.coordinator.username)
    walk.check(page, "home")

    page.get_by_role("link", name=walk.t("Assessments"), exact=True).first.click()
    walk.check(page, "assessment list")
    page.get_by_role("link", name=walk.t("New assessment")).click()
    walk.check(page, "new assessment form")
    page.get_by_label(walk.t("Framework version")).select_option(str(framework.pk))
    page.get_by_label(walk.t("Year")).fill("2031")
    page.get_by_label(walk.t("Title (English)")).fill("Indonesia 2031")
    page.get_by_label(walk.t("Title (Indonesian)")).fill("Indonesia 2031")
    page.get_by_label(walk.t("Data collection deadline")).fill("2031-06-30")
    page.get_by_role("button", name=walk.t("Create the assessment")).click()
    page.wait_for_url("**/assessments/*/")
    assessment = Assessment.objects.get(year=2031)
    walk.check(page, "assessment created")

    # Participants and facilitators.
    page.get_by_role("link", name=walk.t("Participating institutions")).first.click()
    walk.check(page, "participants")
    for acronym in ("KEMNAKER", "BP2MI", "KEMLU"):
        institution = Institution.objects.get(acronym=acronym)
        page.locator(f"#inst-{institution.pk}").check()
    page.get_by_label(people.facilitator.first_name).check()
    page.get_by_role("button", name=walk.t("Save the participants")).click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/")
    assert set(assessment.participants.values_list("acronym", flat=True)) == {
        "KEMNAKER",
        "BP2MI",
        "KEMLU",
    }
    assert list(assessment.facilitators.all()) == [people.facilitator]

    # The survey matrix: downloaded, filled in a spreadsheet, uploaded, previewed, applied.
    page.get_by_role("link", name=walk.t("Import the survey matrix from Excel")).click()
    walk.check(page, "matrix import")
    with page.expect_download() as download:
        page.get_by_role("link", name=walk.t("Download the current survey matrix")).click()
    workbook = open(download.value.path(), "rb").read()  # noqa: SIM115
    codes = list(framework.indicators.order_by("order").values_list("code", flat=True))
    page.get_by_label(walk.t("Survey matrix workbook (.xlsx)")).set_input_files(
        files=[
            {
                "name": "matrix.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled_matrix(workbook, codes),
            }
        ]
    )
    page.get_by_role("button", name=walk.t("Check the workbook")).click()
    apply = page.get_by_role("button", name=walk.t("Apply these changes"))
    apply.wait_for()
    walk.check(page, "matrix preview")
    apply.click()
    page.wait_for_load_state("load")
    walk.check(page, "matrix applied")
    assert assessment.assignments.count() == 100

    # Data collection opens through its confirmation.
    page.goto(walk.url("assessment_detail", assessment.pk))
    page.get_by_role("button", name=walk.t("Open data collection")).click()
    confirm = page.get_by_role("button", name=walk.t("Open data collection"))
    confirm.wait_for()
    assert page.get_by_text(walk.t("Who will be told")).is_visible()
    walk.check(page, "open data collection: confirmation")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SETUP
    confirm.click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/")
    walk.check(page, "data collection open")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DATA_COLLECTION
    walk.finish()
