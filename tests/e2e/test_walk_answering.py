"""Stage 2 of the walk: two focal points answer. Kemnaker's, on a phone, answers on the entry
page, uploads evidence, answers three more through the Excel round trip and submits through
the confirmation; BP2MI's answers on a desktop and submits."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from assessments.models import Response
from indicators.models import Indicator
from tests.conftest import EVIDENCE_PDF, build_national_assessment

from .cast import cast
from .conftest import LANGUAGES, STAGE_TIMEOUT, Walk

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(STAGE_TIMEOUT)]


def answer_on_page(walk: Walk, page, response: Response, answer: str, text: str) -> None:
    """Chooses the answer and types the justification; each change is saved as it happens."""
    block = page.locator(f"#response-{response.pk}")
    block.scroll_into_view_if_needed()
    label = walk.t(str(Indicator.Answer(answer).label))
    block.get_by_label(label, exact=True).check()
    block.get_by_text(re.compile(re.escape(walk.t("Saved at %(when)s").split("%")[0]))).wait_for()
    field = block.get_by_label(walk.t("Justification"))
    field.fill(text)
    field.press("Tab")  # on to the next field, as a person does: "change" saves at once
    page.wait_for_function(
        f"() => Number(document.querySelector('#response-{response.pk} input[name=version]')"
        ".value) >= 3"
    )


def filled_workbook(walk: Walk, workbook: bytes, answers: dict[str, str]) -> bytes:
    """The exported workbook with answers typed in its responses sheet, as a person does in
    a spreadsheet: the answer's label in the workbook's language and a justification."""
    wb = load_workbook(io.BytesIO(workbook))
    for sheet in wb.worksheets:
        rows = {str(row[0].value): row for row in sheet.iter_rows(min_row=2) if row[0].value}
        if set(answers) <= set(rows):
            for code, answer in answers.items():
                rows[code][4].value = walk.t(str(Indicator.Answer(answer).label))
                rows[code][6].value = f"{code}: from the workbook"
            break
    else:
        raise AssertionError("no responses sheet in the workbook")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_answering(walk, lang):
    people = cast()
    assessment = build_national_assessment(people.coordinator, people.facilitator)
    kemnaker = people.focal_a.institution
    responses = {
        r.indicator.code: r
        for r in assessment.responses.filter(institution=kemnaker).select_related("indicator")
    }

    # Kemnaker's focal point, on a phone: from the home page to the entry page.
    page = walk.persona(people.focal_a.username, phone=True)
    walk.check(page, "focal point home")
    page.get_by_role(
        "link", name=assessment.title_id if lang == "id" else assessment.title_en
    ).first.click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/entry/**")
    walk.check(page, "entry page")
    answer_on_page(walk, page, responses["1.3.1"], "yes", "Law 18/2017, art. 4.")

    # Evidence: a PDF uploaded from the answer's block.
    block = page.locator(f"#response-{responses['1.3.1'].pk}")
    block.get_by_role("link", name=walk.t("Add evidence")).click()
    slot = page.locator(f"#evidence-slot-{responses['1.3.1'].pk}")
    slot.get_by_label(walk.t("Kind"), exact=True).select_option("file")
    slot.get_by_label(walk.t("Title"), exact=True).fill("Permenaker 9/2019")
    slot.get_by_label(walk.t("File"), exact=True).set_input_files(
        files=[
            {"name": "permenaker-9-2019.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
        ]
    )
    walk.check(page, "evidence form")
    slot.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    block.get_by_role("link", name="Permenaker 9/2019").wait_for()
    walk.check(page, "evidence attached")

    # The Excel round trip for three more answers.
    with page.expect_download() as download:
        page.get_by_role("link", name=walk.t("Export to Excel")).first.click()
    workbook = open(download.value.path(), "rb").read()  # noqa: SIM115
    page.get_by_role("link", name=walk.t("Import from Excel")).first.click()
    walk.check(page, "workbook import")
    filled = filled_workbook(walk, workbook, {"1.3.2": "partial", "4.1.1": "yes", "4.1.2": "no"})
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "kemnaker.xlsx", "mimeType": "application/octet-stream", "buffer": filled}]
    )
    page.get_by_role("button", name=walk.t("Check the workbook")).click()
    apply = page.get_by_role("button", name=walk.t("Apply the import"))
    apply.wait_for()
    walk.check(page, "workbook preview")
    apply.click()
    page.locator(".alert-success").wait_for()
    walk.check(page, "workbook applied")
    page.get_by_role("link", name=walk.t("Back to the answers")).click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/entry/**")
    assert Response.objects.get(pk=responses["4.1.1"].pk).answer == "yes"

    # Submit, through the confirmation.
    page.get_by_role("button", name=walk.t("Submit our answers")).click()
    confirm = page.get_by_role(
        "button", name=walk.n("Submit %(count)s answer", "Submit %(count)s answers", 4)
    )
    confirm.wait_for()
    walk.check(page, "submit: confirmation")
    confirm.click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/**")
    walk.check(page, "submitted")
    assert assessment.responses.filter(institution=kemnaker, state="submitted").count() == 4

    # BP2MI's focal point, on a desktop, answers what BP2MI leads and submits.
    bp2mi = people.focal_b.institution
    page_b = walk.persona(people.focal_b.username)
    page_b.goto(walk.url("entry", assessment.pk))
    walk.check(page_b, "second focal point: entry page")
    for code, answer in (("4.1.2", "partial"), ("2.3.2", "partial")):
        r = assessment.responses.get(institution=bp2mi, indicator__code=code)
        answer_on_page(walk, page_b, r, answer, f"BP2MI on {code}.")
    # The submit box was drawn with the page: it counts the answers again once reloaded.
    page_b.reload()
    page_b.get_by_role("button", name=walk.t("Submit our answers")).click()
    confirm = page_b.get_by_role(
        "button", name=walk.n("Submit %(count)s answer", "Submit %(count)s answers", 2)
    )
    confirm.wait_for()
    walk.check(page_b, "second focal point: submit confirmation")
    confirm.click()
    page_b.wait_for_url(f"**/assessments/{assessment.pk}/**")
    assert assessment.responses.filter(institution=bp2mi, state="submitted").count() == 2
    walk.finish()
