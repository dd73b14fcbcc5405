"""A published profile's data as CSV, Excel and JSON: from the snapshot, safe in a spreadsheet."""

import csv
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from indicators.models import Indicator
from reports.exports import COLUMNS, xlsx_cell

pytestmark = pytest.mark.django_db

FORMULA_EN = '=HYPERLINK("http://attacker.example/","Click")'
FORMULA_ID = "+62 21 555 0101 (hotline)"


@pytest.fixture
def formula_profile(validation_assessment, facilitator, kemnaker, focal_a, request):
    """The published test profile, in which 1.1.1's narratives start like formulas and cite
    Law 18/2017.

    They were typed so during the cross-check (`check_status=False` stands for that step,
    which the fixtures have already passed), so the snapshot holds them as written.
    """
    indicator = Indicator.objects.get(framework=validation_assessment.framework, code="1.1.1")
    law = collection_services.evidence_create(
        assessment=validation_assessment,
        institution=kemnaker,
        actor=focal_a,
        kind="citation",
        instrument_type="law",
        number="18",
        year=2017,
        title="Protection of Indonesian Migrant Workers",
    )
    consolidation_services.consolidated_save(
        assessment=validation_assessment,
        indicator=indicator,
        actor=facilitator,
        answer="no",
        narrative_en=FORMULA_EN,
        narrative_id=FORMULA_ID,
        evidence=[law],
        check_status=False,
    )
    return request.getfixturevalue("published_profile")


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {r["code"]: r for r in rows}


def test_csv_is_utf8_with_bom_and_escapes_formula_like_text(formula_profile):
    response = Client().get(f"/profiles/{formula_profile.pk}/data.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="mgi-profile-2030-indonesia-v1.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = by_code(list(reader))
    assert len(rows) == Indicator.objects.filter(framework__code="mgi-national-2023").count()
    # Validated in the FGD: 2.3.2 changed to Yes; the rest were consolidated as Partially.
    assert rows["2.3.2"]["answer"] == "yes"
    assert rows["1.3.2"]["answer"] == "partial"
    assert rows["1.3.2"]["narrative_en"] == "Narrative 1.3.2"
    assert rows["1.3.2"]["narrative_id"] == "Narasi 1.3.2"
    assert rows["1.3.2"]["sources"] == "KEMNAKER"
    assert set(rows["1.3.1"]["sources"].split("; ")) == {"KEMNAKER", "BP2MI"}
    assert rows["1.1.1"]["narrative_en"] == "'" + FORMULA_EN
    assert rows["1.1.1"]["narrative_id"] == "'" + FORMULA_ID
    assert rows["1.1.1"]["dimension"] == "1"
    assert rows["1.1.1"]["dimension_name_en"]
    assert rows["1.1.1"]["question_id"]
    assert "18/2017: Protection of Indonesian Migrant Workers" in rows["1.1.1"]["legal_instruments"]


def test_xlsx_has_a_readme_and_escapes_every_text_cell(formula_profile):
    response = Client().get(f"/profiles/{formula_profile.pk}/data.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="mgi-profile-2030-indonesia-v1.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["README", "Indicators"]
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "not a ranking" in readme
    assert "demonstration data" not in readme
    for column in COLUMNS:
        assert column in readme  # every column is explained

    sheet = wb["Indicators"]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == COLUMNS
    rows = by_code(
        [
            dict(zip(header, [c.value for c in row], strict=True))
            for row in sheet.iter_rows(min_row=2)
        ]
    )
    assert rows["1.1.1"]["narrative_en"] == "'" + FORMULA_EN
    assert rows["1.1.1"]["narrative_id"] == "'" + FORMULA_ID
    assert rows["1.1.1"]["answer"] == "no"
    assert rows["2.3.2"]["answer"] == "yes"
    # No cell of either sheet is a formula.
    for ws in wb.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_readme_warns_when_the_data_are_demonstration_data(published_profile):
    snapshot = published_profile.snapshot
    snapshot.data["assessment"]["is_demo"] = True
    type(snapshot).objects.filter(pk=snapshot.pk).update(data=snapshot.data)
    content = Client().get(f"/profiles/{published_profile.pk}/data.xlsx").content
    readme = load_workbook(io.BytesIO(content))["README"]
    assert "demonstration data" in " ".join(
        str(c.value) for row in readme.iter_rows() for c in row if c.value
    )
    data = json.loads(Client().get(f"/profiles/{published_profile.pk}/data.json").content)
    assert data["metadata"]["is_demo"] is True


def test_json_has_metadata_and_the_rows_as_written(formula_profile):
    response = Client().get(f"/profiles/{formula_profile.pk}/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    meta = data["metadata"]
    assert meta["assessment"]["id"] == formula_profile.assessment_id
    assert meta["assessment"]["title"] == {
        "en": "Test national assessment",
        "id": "Asesmen nasional uji",
    }
    assert meta["assessment"]["scope"] == "national"
    assert meta["version"] == 1
    assert meta["snapshot"] == formula_profile.snapshot.number
    assert meta["published_at"].startswith(formula_profile.published_at.date().isoformat()[:4])
    assert meta["is_demo"] is False
    assert "not a ranking" in meta["about"]
    assert data["columns"] == list(COLUMNS)
    rows = by_code(data["rows"])
    # JSON is data, not a spreadsheet: the text stays exactly as typed.
    assert rows["1.1.1"]["narrative_en"] == FORMULA_EN
    assert rows["2.3.2"]["answer"] == "yes"
    assert set(rows["1.3.1"]["sources"]) == {"KEMNAKER", "BP2MI"}
    assert [law for law in rows["1.1.1"]["legal_instruments"] if "18/2017" in law]


def test_data_come_from_the_snapshot_not_the_live_answers(published_profile, facilitator):
    assessment = published_profile.assessment
    indicator = Indicator.objects.get(framework=assessment.framework, code="1.3.2")
    consolidation_services.consolidated_save(
        assessment=assessment,
        indicator=indicator,
        actor=facilitator,
        answer="no",
        narrative_en="Changed after publication",
        check_status=False,
    )
    data = json.loads(Client().get(f"/profiles/{published_profile.pk}/data.json").content)
    row = by_code(data["rows"])["1.3.2"]
    assert row["answer"] == "partial"
    assert row["narrative_en"] == "Narrative 1.3.2"


def test_workbook_cells_drop_control_characters_before_escaping():
    assert xlsx_cell("Pasted\x0b text") == "Pasted text"
    # Dropping the character must not uncover a formula.
    assert xlsx_cell("\x01=1+1") == "'=1+1"
    assert xlsx_cell(3) == 3
