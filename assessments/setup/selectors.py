"""Reads of the setup stage: the survey matrix, per-institution progress, workflow moves."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from assessments.dashboard.selectors import dashboard_institutions
from assessments.models import Assessment, Assignment, ConsolidatedAnswer, Response, Submission
from assessments.workflow import GUARDS, WorkflowFacts, allowed_transitions
from indicators.models import Indicator
from ministries.models import Institution


def matrix_gaps(assessment: Assessment) -> QuerySet[Indicator]:
    """Indicators of the assessment with no lead institution."""
    led = Assignment.objects.filter(assessment=assessment, role=Assignment.Role.LEAD).values(
        "indicator_id"
    )
    return (
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .exclude(pk__in=led)
        .select_related("dimension")
        .order_by("order")
    )


def eligible_institutions(assessment: Assessment) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("province")
    if assessment.scope == Assessment.Scope.NATIONAL:
        return qs.filter(level=Institution.Level.NATIONAL)
    return qs.filter(province_id=assessment.province_id or 0)


def matrix_columns(assessment: Assessment) -> list[Institution]:
    """The institutions shown across the matrix: the participants, or every eligible one."""
    participants = list(assessment.participants.order_by("acronym"))
    if participants:
        return participants
    return list(eligible_institutions(assessment).order_by("acronym"))


Cells = dict[tuple[int, int], str]  # {(indicator_id, institution_id): role, "" to empty}


def matrix_cells(assessment: Assessment) -> Cells:
    return {
        (indicator_id, institution_id): role
        for indicator_id, institution_id, role in Assignment.objects.filter(
            assessment=assessment
        ).values_list("indicator_id", "institution_id", "role")
    }


@dataclass
class MatrixRow:
    indicator: Indicator
    cells: list[str]
    has_lead: bool


def matrix_rows(assessment: Assessment, columns: list[Institution]) -> list[MatrixRow]:
    """Indicators down, institutions across, the role in each cell; three queries."""
    roles: dict[tuple[int, int], str] = {
        (a.indicator_id, a.institution_id): a.role
        for a in Assignment.objects.filter(assessment=assessment).only(
            "indicator_id", "institution_id", "role"
        )
    }
    rows = []
    indicators = Indicator.objects.filter(framework_id=assessment.framework_id).select_related(
        "dimension"
    )
    for indicator in indicators.order_by("order"):
        cells = [roles.get((indicator.pk, inst.pk), "") for inst in columns]
        rows.append(MatrixRow(indicator, cells, Assignment.Role.LEAD in cells))
    return rows


@dataclass
class InstitutionProgress:
    institution: Institution
    assigned: int = 0
    answered: int = 0
    open: int = 0
    last_submission: Submission | None = None

    @property
    def submitted(self) -> bool:
        return bool(self.assigned and not self.open and self.last_submission)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.assigned) if self.assigned else 0


def institution_progress(
    assessment: Assessment, *, institution_id: int | None = None
) -> list[InstitutionProgress]:
    """Assigned, answered and submitted per participating institution, by acronym, in two
    queries: the dashboard's counts and the submissions."""
    rows = dashboard_institutions(assessment, deadline_passed=False, institution_id=institution_id)
    submissions = Submission.objects.filter(assessment=assessment)
    if institution_id is not None:
        submissions = submissions.filter(institution_id=institution_id)
    last: dict[int, Submission] = {}
    for submission in submissions.order_by("submitted_at"):
        last[submission.institution_id] = submission
    return [
        InstitutionProgress(
            row.institution,
            assigned=row.counts.assigned,
            answered=row.counts.answered,
            open=row.counts.open,
            last_submission=last.get(row.institution.pk),
        )
        for row in rows
    ]


def allowed_moves(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {"to": to, "label": t.label, "needs_note": t.needs_note}
        for to, t in allowed_transitions(assessment.status)
    ]


def _codes(qs: Any, field: str = "indicator__code") -> list[str]:
    return list(qs.values_list(field, flat=True))


def workflow_facts(assessment: Assessment, to: str) -> WorkflowFacts:
    """What the guard of the move from the assessment's status to `to` needs, read from
    the database; nothing is read for a move without a guard."""
    if (assessment.status, to) not in GUARDS:
        return WorkflowFacts()
    S = Assessment.Status
    if to == S.DATA_COLLECTION:
        return WorkflowFacts(lead_gaps=list(matrix_gaps(assessment).values_list("code", flat=True)))
    if to == S.PUBLISHED:
        return WorkflowFacts(has_snapshot=assessment.snapshots.exists())
    responses = Response.objects.filter(assessment=assessment)
    waiting = responses.filter(
        state=Response.State.SUBMITTED,
        review_state__in=[Response.ReviewState.PENDING, Response.ReviewState.RESUBMITTED],
    )
    open_items = responses.filter(
        review_state__in=[Response.ReviewState.QUERIED, Response.ReviewState.RETURNED]
    )
    missing = assessment.framework.indicators.exclude(
        pk__in=ConsolidatedAnswer.objects.filter(assessment=assessment).values("indicator_id")
    )
    return WorkflowFacts(
        awaiting_review=_codes(waiting),
        open_items=_codes(open_items),
        unconsolidated=_codes(missing, "code"),
        has_validation_session=assessment.validation_sessions.exists(),
    )
