"""The national 2023 demo assessment: set up, survey matrix complete, data collection open,
no answers (a focal point starts from an empty entry page)."""

import datetime

from assessments.demo import data
from assessments.history_reasons import DEMO_COLLECTION_OPEN, reason_code
from assessments.models import Assessment, Assignment
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion
from ministries.models import Institution, User


def national_assessment(coordinator: User) -> Assessment:
    existing = Assessment.objects.filter(
        scope=Assessment.Scope.NATIONAL, year=2023, round=1
    ).first()
    if existing is not None:
        return existing
    return setup_services.assessment_create(
        actor=coordinator,
        framework=FrameworkVersion.objects.get(code="mgi-national-2023"),
        year=2023,
        title_en="Migration Governance Indicators 2023: Republic of Indonesia (demonstration)",
        title_id="Indikator Tata Kelola Migrasi 2023: Republik Indonesia (demonstrasi)",
        data_collection_deadline=datetime.date(2023, 6, 9),
        is_demo=True,
    )


def national_matrix(
    assessment: Assessment, coordinator: User, institutions: dict[str, Institution]
) -> None:
    """The full survey matrix, open for data collection, with no answers filled."""
    facilitator = User.objects.get(username="facilitator")
    setup_services.assessment_set_participants(
        assessment=assessment,
        actor=coordinator,
        institutions=[institutions[a] for a in data.NATIONAL_2023_PARTICIPANTS],
    )
    setup_services.assessment_set_facilitators(
        assessment=assessment, actor=coordinator, facilitators=[facilitator]
    )
    if assessment.status not in (Assessment.Status.SETUP, Assessment.Status.DATA_COLLECTION):
        return
    cells: dict[tuple[int, int], str] = {}
    for indicator in assessment.framework.indicators.select_related("subarea"):
        lead, contributors = data.assignment_for(indicator.code, indicator.subarea.code)
        cells[(indicator.pk, institutions[lead].pk)] = Assignment.Role.LEAD
        for acronym in contributors:
            cells[(indicator.pk, institutions[acronym].pk)] = Assignment.Role.CONTRIBUTOR
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    if assessment.status == Assessment.Status.SETUP:
        setup_services.assessment_transition(
            assessment=assessment,
            actor=coordinator,
            to=Assessment.Status.DATA_COLLECTION,
            note=reason_code(DEMO_COLLECTION_OPEN),
        )
