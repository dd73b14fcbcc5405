"""Reads of the setup stage: the survey matrix, per-institution progress, workflow moves."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from assessments.dashboard.selectors import DashboardCounts, dashboard_institutions
from assessments.frozen import corrections_started
from assessments.models import (
    Assessment,
    Assignment,
    ConsolidatedAnswer,
    Response,
    Snapshot,
    Submission,
    ValidationDecision,
    ValidationSession,
)
from assessments.workflow import GUARDS, WorkflowFacts, allowed_transitions
from indicators.models import Indicator
from ministries.models import Institution, User


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


def facilitator_choices() -> QuerySet[User]:
    """The IOM facilitators a coordinator can name for an assessment: active accounts."""
    return User.objects.filter(role=User.Role.FACILITATOR, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


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
    """One institution's counts (the dashboard's: answered, nothing to add, blank,
    submitted, accepted, each over its assigned indicators) and its last submission."""

    institution: Institution
    counts: DashboardCounts
    last_submission: Submission | None = None

    @property
    def assigned(self) -> int:
        return self.counts.assigned

    @property
    def answered(self) -> int:
        return self.counts.answered

    @property
    def percent(self) -> int:
        """Answered as a share of the assigned indicators (11 of 25 is 44 %, whatever was
        submitted)."""
        return self.counts.answered_percent


def institution_progress(
    assessment: Assessment, *, institution_id: int | None = None
) -> list[InstitutionProgress]:
    """Assigned, answered, nothing to add, blank, submitted and accepted per participating
    institution, by acronym, in two queries: the dashboard's counts and the submissions."""
    rows = dashboard_institutions(assessment, deadline_passed=False, institution_id=institution_id)
    submissions = Submission.objects.filter(assessment=assessment)
    if institution_id is not None:
        submissions = submissions.filter(institution_id=institution_id)
    last: dict[int, Submission] = {}
    for submission in submissions.order_by("submitted_at"):
        last[submission.institution_id] = submission
    return [
        InstitutionProgress(
            row.institution, row.counts, last_submission=last.get(row.institution.pk)
        )
        for row in rows
    ]


def allowed_moves(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {"to": to, "label": t.label, "needs_note": t.needs_note}
        for to, t in allowed_transitions(assessment.status)
    ]


def workflow_facts(assessment: Assessment, to: str) -> WorkflowFacts:
    """What the guard of the move from the assessment's status to `to` needs, read from
    the database; nothing is read for a move without a guard."""
    return workflow_facts_many([(assessment, to)])[assessment.pk]


def workflow_facts_many(moves: Sequence[tuple[Assessment, str]]) -> dict[int, WorkflowFacts]:
    """`workflow_facts` of several moves at once, {assessment id: facts}: a fixed number of
    queries whatever their number (the coordinators' inbox asks it of each assessment), but
    for those of corrections (`correction_facts`); publishing reads whether a correction is
    under way (one query) and, for one, whether its corrected version is published (one)."""
    S = Assessment.Status
    facts = {a.pk: WorkflowFacts() for a, _to in moves}
    guarded = [(a, to) for a, to in moves if (a.status, to) in GUARDS]
    opening = [a for a, to in guarded if (a.status, to) == (S.SETUP, S.DATA_COLLECTION)]
    publishing = [a for a, to in guarded if to == S.PUBLISHED]
    checking = [
        a for a, to in guarded if to in (S.VALIDATION, S.APPROVED) and a.status != S.PUBLISHED
    ]
    indicators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if opening or checking:
        for framework_id, pk, code in Indicator.objects.filter(
            framework_id__in={a.framework_id for a in (*opening, *checking)}
        ).values_list("framework_id", "pk", "code"):
            indicators[framework_id].append((pk, code))
    if opening:
        led = set(
            Assignment.objects.filter(
                assessment__in=opening, role=Assignment.Role.LEAD
            ).values_list("assessment_id", "indicator_id")
        )
        for a in opening:
            gaps = [code for pk, code in indicators[a.framework_id] if (a.pk, pk) not in led]
            facts[a.pk] = WorkflowFacts(lead_gaps=gaps)
    if publishing:
        frozen = set(
            Snapshot.objects.filter(assessment__in=publishing).values_list(
                "assessment_id", flat=True
            )
        )
        started = corrections_started(publishing)
        republished = _newest_published([a for a in publishing if a.pk in started])
        for a in publishing:
            facts[a.pk] = WorkflowFacts(
                has_snapshot=a.pk in frozen,
                correction_unpublished=a.pk in started and a.pk not in republished,
            )
    if checking:
        facts.update(_review_facts(checking, indicators))
    correcting = [a for a, to in guarded if a.status in (S.VALIDATION, S.PUBLISHED)]
    if correcting:
        facts.update(correction_facts(correcting, facts))
    return facts


def _newest_published(assessments: list[Assessment]) -> set[int]:
    """The ids of those of `assessments` (approved again in a correction) with a published
    profile version of their newest snapshot, through the reverse relation (assessments never
    imports reports): one query, none without such an assessment."""
    if not assessments:
        return set()
    newest = Snapshot.objects.filter(assessment=OuterRef("assessment")).order_by("-number")
    return set(
        Snapshot.objects.filter(
            assessment__in=assessments,
            pk=Subquery(newest.values("pk")[:1]),
            profiles__status="published",
        ).values_list("assessment_id", flat=True)
    )


def correction_facts(
    assessments: list[Assessment], facts: dict[int, WorkflowFacts]
) -> dict[int, WorkflowFacts]:
    """The erratum's facts added to `facts`: whether a correction is under way and, for one
    in validation, the sessions recorded since it was opened and the consolidated answers
    changed since then without a decision of those sessions; for a published assessment,
    whether a profile version is in preparation. One query, then three per assessment in
    correction (few: a correction is rare)."""
    started = corrections_started(assessments)
    result = {}
    for a in assessments:
        current = facts[a.pk]
        if a.status == Assessment.Status.PUBLISHED:
            # Through the reverse relation: assessments never imports reports (Profile.Status
            # "draft" and "approved" are the versions in preparation).
            preparing = a.profiles.filter(status__in=["draft", "approved"]).exists()
            result[a.pk] = replace(current, profile_in_preparation=preparing)
            continue
        since = started.get(a.pk)
        if since is None:
            continue
        sessions = ValidationSession.objects.filter(assessment=a, created_at__gte=since)
        decided = ValidationDecision.objects.filter(session__in=sessions).values("indicator_id")
        changed = (
            ConsolidatedAnswer.objects.filter(assessment=a, updated_at__gte=since)
            .exclude(indicator_id__in=decided)
            .order_by("indicator__order")
            .values_list("indicator__code", flat=True)
        )
        result[a.pk] = replace(
            current,
            in_correction=True,
            has_validation_session=sessions.exists(),
            uncorrected=list(changed),
        )
    return result


def _review_facts(
    assessments: list[Assessment], indicators: dict[int, list[tuple[int, str]]]
) -> dict[int, WorkflowFacts]:
    """Answers awaiting review or still open, unconsolidated indicators, sessions held."""
    RS = Response.ReviewState
    awaiting: dict[int, list[str]] = defaultdict(list)
    open_items: dict[int, list[str]] = defaultdict(list)
    rows = Response.objects.filter(assessment__in=assessments).filter(
        Q(state=Response.State.SUBMITTED, review_state__in=[RS.PENDING, RS.RESUBMITTED])
        | Q(review_state__in=[RS.QUERIED, RS.RETURNED])
    )
    for assessment_id, code, review_state in rows.values_list(
        "assessment_id", "indicator__code", "review_state"
    ):
        waiting = review_state in (RS.PENDING, RS.RESUBMITTED)
        (awaiting if waiting else open_items)[assessment_id].append(code)
    consolidated = set(
        ConsolidatedAnswer.objects.filter(assessment__in=assessments).values_list(
            "assessment_id", "indicator_id"
        )
    )
    with_session = set(
        ValidationSession.objects.filter(assessment__in=assessments).values_list(
            "assessment_id", flat=True
        )
    )
    return {
        a.pk: WorkflowFacts(
            awaiting_review=awaiting[a.pk],
            open_items=open_items[a.pk],
            unconsolidated=[
                code for pk, code in indicators[a.framework_id] if (a.pk, pk) not in consolidated
            ],
            has_validation_session=a.pk in with_session,
        )
        for a in assessments
    }
