"""The profile reports "no information" as such (never as absent) in its content, charts,
public page and PDF, and its methodology counts institutions from the data: assigned,
submitted, with an accepted answer, never "every assigned institution answered"."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from assessments.charts import dimension_chart_svg
from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.models import Assessment, ConsolidatedAnswer
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation.services import snapshot_data
from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution
from reports import content, exports
from reports import services as report_services
from reports.pdf import render_pdf
from tests.conftest import to_approved
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_info_profile(validation_assessment, coordinator, facilitator, kemnaker, bp2mi):
    """The test assessment approved with 1.1.1 and 1.1.2 consolidated as "no information"."""
    for code in ("1.1.1", "1.1.2"):
        consolidation_services.consolidated_save(
            assessment=validation_assessment,
            indicator=Indicator.objects.get(framework=validation_assessment.framework, code=code),
            actor=facilitator,
            answer=ConsolidatedAnswer.Answer.NO_INFORMATION,
            version=1,
        )
    to_approved(validation_assessment, coordinator, [kemnaker, bp2mi])
    return report_services.profile_create(assessment=validation_assessment, actor=coordinator)


def test_no_information_is_its_own_category_in_content_and_chart(no_info_profile):
    ctx = content.profile_context(no_info_profile, "en")
    d1 = next(s for s in ctx["sections"] if s.number == 1)
    assert d1.counts["no_info"] == 2 and d1.counts["no"] == 0
    assert ctx["totals"]["no_info"] == 2
    row = next(r for r in d1.indicators if r["code"] == "1.1.1")
    assert row["answer_label"] == "No information"
    assert "No information: 2" in d1.chart and "Absent: 0" in d1.chart
    # No finding is drafted from an indicator without information.
    codes = {code for f in no_info_profile.findings.all() for code in f.indicators}
    assert "1.1.1" not in codes and "1.1.2" not in codes
    with translation.override("id"):
        ctx_id = content.profile_context(no_info_profile, "id")
    row = next(r for s in ctx_id["sections"] for r in s.indicators if r["code"] == "1.1.1")
    assert row["answer_label"] == "Tidak ada informasi"


def test_chart_shows_no_information_apart_from_absent():
    svg = dimension_chart_svg({"yes": 1, "partial": 0, "no": 2, "no_info": 3}, title="Dim 1")
    assert "Absent: 2" in svg and "No information: 3" in svg
    assert "No information" not in dimension_chart_svg({"yes": 1}, title="Dim 1")


def test_profile_pdf_and_export_say_no_information(no_info_profile):
    html = report_services.profile_html(no_info_profile, "en")
    text = " ".join(
        " ".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(render_pdf(html))).pages
        ).split()
    )
    assert "No information" in text
    assert "Indicators were assigned to 3 institutions." in text
    assert "institutions answered the indicators" not in text
    assert "no_info (no information" in exports.column_descriptions()["answer"]
    rows = {r["code"]: r for r in exports.profile_data(no_info_profile).rows}
    assert rows["1.1.1"]["answer"] == "no_info"


def test_methodology_counts_assigned_submitted_and_accepted_from_the_data(coordinator, facilitator):
    """A round of 23 institutions in which 2 submitted and 1 had an answer accepted."""
    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator, framework=framework, year=2033, title_en="Round", title_id="Putaran"
    )
    institutions = list(
        Institution.objects.filter(level=Institution.Level.NATIONAL).order_by("acronym")[:23]
    )
    assert len(institutions) == 23
    indicators = list(framework.indicators.order_by("order"))
    cells = {
        (indicator.pk, institutions[i % 23].pk): "lead" for i, indicator in enumerate(indicators)
    }
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.DATA_COLLECTION
    )
    for institution in institutions[:2]:
        focal = UserFactory(role="focal_point", institution=institution)
        for r in assessment.responses.filter(institution=institution):
            collection_services.response_update(
                response=r, actor=focal, version=r.version, answer="yes", justification="Law."
            )
        collection_services.submission_create(
            assessment=assessment, institution=institution, actor=focal
        )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.CROSS_CHECK
    )
    first = assessment.responses.filter(institution=institutions[0]).first()
    review_services.response_review(response=first, actor=facilitator, decision="accept")

    data = snapshot_data(assessment)
    assert len(data["participation"]["assigned"]) == 23
    assert data["participation"]["submitted"] == sorted(i.acronym for i in institutions[:2])
    assert data["participation"]["accepted"] == [institutions[0].acronym]
    assert content.participation_sentences(data) == [
        "23 institutions were assigned indicators in the survey matrix.",
        "2 of them submitted their answers;",
        "1 institution has at least one answer accepted in the cross-check.",
    ]
    # A snapshot frozen before these counts were kept claims nothing beyond the assignment.
    del data["participation"]
    assert content.participation_sentences(data) == [
        "23 institutions were assigned indicators in the survey matrix."
    ]


def test_public_profile_methodology_counts(client, published_profile):
    html = client.get(f"/profiles/{published_profile.pk}/").content.decode()
    assert "3 institutions were assigned indicators in the survey matrix." in html
    assert "2 of them submitted their answers;" in html
    assert "2 institutions have at least one answer accepted in the cross-check." in html
    assert "institutions answered the indicators" not in html
