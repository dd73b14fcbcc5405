"""Reads of assessments, always starting from a permission-scoped queryset."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery

from indicators.bilingual import active_language
from indicators.models import Dimension, Indicator
from ministries.models import Institution, User

from .models import (
    Assessment,
    AssessmentStatusChange,
    Assignment,
    ConsolidatedAnswer,
    Evidence,
    Response,
    Snapshot,
    Submission,
    ValidationDecision,
    ValidationSession,
)
from .permissions import assessments_visible_to, responses_visible_to
from .services.consolidation import comparison_has_conflict
from .services.workflow import allowed_transitions

__all__ = ["assessments_visible_to", "responses_visible_to"]


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
class DimensionProgress:
    dimension: Dimension
    assigned: int = 0
    answered: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.assigned) if self.assigned else 0


def progress_by_dimension(assessment: Assessment, institution_id: int) -> list[DimensionProgress]:
    rows = (
        Response.objects.filter(assessment=assessment, institution_id=institution_id)
        .values("indicator__dimension_id")
        .annotate(assigned=Count("pk"), answered=Count("pk", filter=~Q(answer="")))
    )
    by_dim = {r["indicator__dimension_id"]: r for r in rows}
    result = []
    for dim in Dimension.objects.filter(framework_id=assessment.framework_id):
        r = by_dim.get(dim.pk)
        if r:
            result.append(DimensionProgress(dim, r["assigned"], r["answered"]))
    return result


def missing_lead_answers(assessment: Assessment, institution_id: int) -> QuerySet[Response]:
    lead = Assignment.objects.filter(
        assessment=assessment, institution_id=institution_id, role=Assignment.Role.LEAD
    ).values("indicator_id")
    return (
        Response.objects.filter(
            assessment=assessment, institution_id=institution_id, indicator_id__in=lead, answer=""
        )
        .select_related("indicator")
        .order_by("indicator__order")
    )


def institution_evidence(assessment: Assessment, institution_id: int) -> QuerySet[Evidence]:
    return Evidence.objects.filter(assessment=assessment, institution_id=institution_id)


def focal_point_home(user: User) -> list[dict[str, object]]:
    """For each of the user's assessments: deadline, progress per dimension, returned items."""
    if not user.institution_id:
        return []
    items = []
    for assessment in assessments_visible_to(user):
        returned = list(
            Response.objects.filter(
                assessment=assessment,
                institution_id=user.institution_id,
                state=Response.State.RETURNED,
            ).select_related("indicator")
        )
        items.append(
            {
                "assessment": assessment,
                "progress": progress_by_dimension(assessment, user.institution_id),
                "returned": returned,
                "submitted": assessment.submissions.filter(
                    institution_id=user.institution_id
                ).first(),
            }
        )
    return items


@dataclass
class ReviewFilters:
    assessment: Assessment | None = None
    dimension: int | None = None
    institution: str = ""
    review_state: str = "awaiting"

    @classmethod
    def from_query(cls, query: Any, assessments: list[Assessment]) -> "ReviewFilters":
        by_pk = {str(a.pk): a for a in assessments}
        chosen = by_pk.get(query.get("assessment", "")) or (assessments[0] if assessments else None)
        dimension = query.get("dimension", "")
        state = query.get("review_state", "awaiting")
        if state not in {"awaiting", "all", *Response.ReviewState.values}:
            state = "awaiting"
        return cls(
            assessment=chosen,
            dimension=int(dimension) if dimension.isdigit() else None,
            institution=query.get("institution", "")[:40],
            review_state=state,
        )


def review_queue(user: User, filters: ReviewFilters) -> QuerySet[Response]:
    """Submitted answers in the user's assessments; by default those awaiting review."""
    qs = (
        responses_visible_to(user)
        .filter(assessment=filters.assessment)
        .exclude(state=Response.State.DRAFT)
        .select_related("indicator__dimension", "institution", "updated_by", "reviewed_by")
        .annotate(comment_count=Count("comments"))
        .order_by("indicator__order", "institution__acronym")
    )
    if filters.dimension:
        qs = qs.filter(indicator__dimension__number=filters.dimension)
    if filters.institution:
        qs = qs.filter(institution__acronym=filters.institution)
    if filters.review_state == "awaiting":
        qs = qs.filter(
            state=Response.State.SUBMITTED,
            review_state__in=[Response.ReviewState.PENDING, Response.ReviewState.RESUBMITTED],
        )
    elif filters.review_state != "all":
        qs = qs.filter(review_state=filters.review_state)
    return qs


# --- the coordinator dashboard ------------------------------------------------------------
# Progress counts for managing the process, per institution and per dimension. Rows are in
# a fixed order (acronym, dimension number), never sorted by how far anyone has got: the
# MGI is not a ranking.


@dataclass
class DashboardCounts:
    assigned: int = 0
    answered: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0  # returned for revision or queried, and not yet resubmitted
    overdue: int = 0  # not submitted once the data collection deadline has passed
    answered_open: int = 0  # answered but not submitted: the chart's third segment
    open: int = 0  # in draft or returned for revision: still to be (re)submitted

    @classmethod
    def from_row(cls, row: Any, *, deadline_passed: bool) -> "DashboardCounts":
        return cls(
            assigned=row.assigned,
            answered=row.answered,
            submitted=row.submitted,
            accepted=row.accepted,
            returned=row.returned,
            overdue=row.assigned - row.submitted if deadline_passed else 0,
            answered_open=row.answered_open,
            open=row.open,
        )


@dataclass
class InstitutionDashboardRow:
    institution: Institution
    counts: DashboardCounts


@dataclass
class DimensionDashboardRow:
    dimension: Dimension
    counts: DashboardCounts


@dataclass
class DashboardConflict:
    indicator: Indicator
    answers: list[Response] = field(default_factory=list)
    url: str = ""  # the consolidation page, filled in by the view


@dataclass
class Dashboard:
    assessment: Assessment
    deadline_passed: bool
    institutions: list[InstitutionDashboardRow]
    dimensions: list[DimensionDashboardRow]
    conflicts: list[DashboardConflict]
    history: list[AssessmentStatusChange]  # oldest first


def _dashboard_counts(relation: str) -> dict[str, Count]:
    """The progress counts over `relation`, a join already filtered to one assessment."""
    submitted = Q(**{f"{relation}__state": Response.State.SUBMITTED})
    answered = ~Q(**{f"{relation}__answer": ""})
    return {
        "assigned": Count(relation),
        "answered": Count(relation, filter=answered),
        "submitted": Count(relation, filter=submitted),
        "accepted": Count(
            relation,
            filter=submitted & Q(**{f"{relation}__review_state": Response.ReviewState.ACCEPTED}),
        ),
        "returned": Count(
            relation,
            filter=Q(
                **{
                    f"{relation}__review_state__in": [
                        Response.ReviewState.RETURNED,
                        Response.ReviewState.QUERIED,
                    ]
                }
            ),
        ),
        "answered_open": Count(relation, filter=answered & ~submitted),
        "open": Count(
            relation,
            filter=Q(**{f"{relation}__state__in": [Response.State.DRAFT, Response.State.RETURNED]}),
        ),
    }


def dashboard_institutions(
    assessment: Assessment, *, deadline_passed: bool, institution_id: int | None = None
) -> list[InstitutionDashboardRow]:
    """Every participating or assigned institution with its counts, by acronym; one query.
    With `institution_id`, only that institution (if it takes part).

    The responses are joined with the assessment in the join condition, so institutions
    without any answer in this assessment still get their row (with zeros).
    """
    taking_part = Q(
        pk__in=Response.objects.filter(assessment=assessment).values("institution_id")
    ) | Q(
        pk__in=Assessment.participants.through.objects.filter(assessment=assessment).values(
            "institution_id"
        )
    )
    if institution_id is not None:
        taking_part &= Q(pk=institution_id)
    rows = (
        Institution.objects.filter(taking_part)
        .alias(r=FilteredRelation("responses", condition=Q(responses__assessment=assessment)))
        .annotate(**_dashboard_counts("r"))
        .order_by("acronym")
    )
    return [
        InstitutionDashboardRow(row, DashboardCounts.from_row(row, deadline_passed=deadline_passed))
        for row in rows
    ]


def dashboard_dimensions(
    assessment: Assessment, *, deadline_passed: bool
) -> list[DimensionDashboardRow]:
    """The framework's dimensions with the counts of their responses, by number; one query."""
    rows = (
        Dimension.objects.filter(framework_id=assessment.framework_id)
        .alias(
            r=FilteredRelation(
                "indicators__responses",
                condition=Q(indicators__responses__assessment=assessment),
            )
        )
        .annotate(**_dashboard_counts("r"))
        .order_by("number")
    )
    return [
        DimensionDashboardRow(row, DashboardCounts.from_row(row, deadline_passed=deadline_passed))
        for row in rows
    ]


def dashboard_conflicts(assessment: Assessment) -> list[DashboardConflict]:
    """Indicators the institutions answered differently, with no consolidated answer yet.

    One query: the answers in conflict, with their indicator and institution.
    """
    answered = Response.objects.filter(assessment=assessment).exclude(answer="")
    differing = (
        answered.order_by()
        .values("indicator_id")
        .annotate(n=Count("answer", distinct=True))
        .filter(n__gt=1)
        .values("indicator_id")
    )
    consolidated = ConsolidatedAnswer.objects.filter(assessment=assessment).values("indicator_id")
    responses = (
        answered.filter(indicator_id__in=differing)
        .exclude(indicator_id__in=consolidated)
        .select_related("indicator", "institution")
        .only(
            "answer",
            "indicator__code",
            "indicator__order",
            "indicator__question_en",
            "indicator__question_id",
            "institution__acronym",
            "institution__name_en",
            "institution__name_id",
        )
        .order_by("indicator__order", "institution__acronym")
    )
    conflicts: dict[int, DashboardConflict] = {}
    for response in responses:
        conflict = conflicts.setdefault(
            response.indicator_id, DashboardConflict(response.indicator)
        )
        conflict.answers.append(response)
    return list(conflicts.values())


def assessment_dashboard(assessment: Assessment, *, today: datetime.date) -> Dashboard:
    """Everything the coordinator dashboard shows, in four queries whatever the numbers."""
    deadline = assessment.data_collection_deadline
    passed = deadline is not None and deadline < today
    return Dashboard(
        assessment=assessment,
        deadline_passed=passed,
        institutions=dashboard_institutions(assessment, deadline_passed=passed),
        dimensions=dashboard_dimensions(assessment, deadline_passed=passed),
        conflicts=dashboard_conflicts(assessment),
        history=list(assessment.status_changes.select_related("actor")),
    )


# --- the assessment page ------------------------------------------------------------------
# Each institution's progress (the dashboard's counts, plus its last submission) and the
# workflow moves a coordinator may make next.


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
        for to, t in allowed_transitions(assessment)
    ]


# --- validation (the FGD) and snapshots ---------------------------------------------------


def validation_assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments whose validation sessions, minutes and snapshots the user may read.

    Coordinators of the scope, the assessment's facilitators and administrators; focal
    points take part in the discussion but do not read its records here (404).
    """
    if not user.is_authenticated or user.is_focal_point:
        return Assessment.objects.none()
    return assessments_visible_to(user)


def validation_sessions(assessment: Assessment) -> QuerySet[ValidationSession]:
    """The assessment's sessions with their institutions and decision counts; two queries."""
    return (
        ValidationSession.objects.filter(assessment=assessment)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("acronym"))
        )
        .annotate(
            decision_count=Count("decisions"),
            changed_count=Count(
                "decisions", filter=Q(decisions__decision=ValidationDecision.Decision.CHANGED)
            ),
        )
        .order_by("held_on", "pk")
    )


def validation_institution_choices(assessment: Assessment) -> list[Institution]:
    """Institutions that can be present at a session: the participants and the assigned."""
    assigned = Assignment.objects.filter(assessment=assessment).values("institution_id")
    invited = Assessment.participants.through.objects.filter(assessment=assessment).values(
        "institution_id"
    )
    return list(
        Institution.objects.filter(Q(pk__in=assigned) | Q(pk__in=invited)).order_by("acronym")
    )


def validation_decisions(session: ValidationSession) -> QuerySet[ValidationDecision]:
    """What a session decided, in indicator order, with the indicator and who decided."""
    return (
        ValidationDecision.objects.filter(session=session)
        .select_related("indicator", "decided_by")
        .order_by("indicator__order")
    )


@dataclass
class DecisionRow:
    """One line of a session's decision sheet, with its labels translated once for the page."""

    indicator: Indicator
    consolidated: ConsolidatedAnswer | None
    decision: ValidationDecision | None
    choices: list[tuple[str, str]]
    answer_label: str = ""
    coverage_label: str = ""
    decision_label: str = ""
    previous_label: str = ""
    new_label: str = ""
    new_coverage_label: str = ""


def validation_sheet(
    assessment: Assessment, session: ValidationSession, *, indicator: Indicator | None = None
) -> list[DecisionRow]:
    """Every indicator (or just `indicator`) with its consolidated answer and this session's
    decision; three queries.

    Labels are translated once for the page, not once per row.
    """
    lang = active_language()
    only_one = Q(indicator=indicator) if indicator is not None else Q()
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedAnswer.objects.filter(only_one, assessment=assessment).only(
            "indicator_id", "answer", "coverage", "version"
        )
    }
    decisions = {
        d.indicator_id: d
        for d in ValidationDecision.objects.filter(only_one, session=session).only(
            "indicator_id", "decision", "previous_answer", "answer", "coverage", "reason"
        )
    }
    answers = {value: str(label) for value, label in Indicator.Answer.choices}
    coverages = {value: str(label) for value, label in Indicator.Coverage.choices}
    verdicts = {value: str(label) for value, label in ValidationDecision.Decision.choices}
    with_na = list(answers.items())
    without_na = [c for c in with_na if c[0] != Indicator.Answer.NOT_APPLICABLE]
    indicators = (
        Indicator.objects.filter(
            Q(pk=indicator.pk) if indicator is not None else Q(),
            framework_id=assessment.framework_id,
        )
        .only(
            "code",
            "order",
            "allows_not_applicable",
            "has_coverage",
            "question_en",
            f"question_{lang}",
        )
        .order_by("order")
    )
    rows = []
    for item in indicators:
        c = consolidated.get(item.pk)
        d = decisions.get(item.pk)
        rows.append(
            DecisionRow(
                indicator=item,
                consolidated=c,
                decision=d,
                choices=with_na if item.allows_not_applicable else without_na,
                answer_label=answers.get(c.answer, "") if c else "",
                coverage_label=coverages.get(c.coverage, "") if c else "",
                decision_label=verdicts.get(d.decision, "") if d else "",
                previous_label=answers.get(d.previous_answer, "") if d else "",
                new_label=answers.get(d.answer, "") if d else "",
                new_coverage_label=coverages.get(d.coverage, "") if d else "",
            )
        )
    return rows


def snapshots_of(assessment: Assessment) -> QuerySet[Snapshot]:
    """The assessment's snapshots, newest first, without their (large) data."""
    return (
        Snapshot.objects.filter(assessment=assessment)
        .select_related("approved_by")
        .defer("data")
        .order_by("-number")
    )


# --- consolidation across institutions ----------------------------------------------------
#


def role_subquery() -> Subquery:
    """The role (lead, contributor) of the response's institution on its indicator.

    At most one row (the cell is unique): no ordering, whose joins would run once per row."""
    return Subquery(
        Assignment.objects.filter(
            assessment_id=OuterRef("assessment_id"),
            indicator_id=OuterRef("indicator_id"),
            institution_id=OuterRef("institution_id"),
        )
        .order_by()
        .values("role")[:1]
    )


def _lead_first(response: Response) -> tuple[bool, str]:
    return (getattr(response, "role", "") != Assignment.Role.LEAD, response.institution.acronym)


@dataclass
class IndicatorComparison:
    """One indicator of an assessment: every institution's answer and the consolidated one."""

    indicator: Indicator
    responses: list[Response]
    consolidated: ConsolidatedAnswer | None

    @property
    def answered(self) -> list[Response]:
        return [r for r in self.responses if r.answer]

    @property
    def conflict(self) -> bool:
        return comparison_has_conflict(r.answer for r in self.responses)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.responses if r.state != Response.State.DRAFT)

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.responses if r.review_state == Response.ReviewState.ACCEPTED)


@dataclass
class ConsolidationFilters:
    dimension: int | None = None
    conflicts_only: bool = False
    missing_only: bool = False

    @classmethod
    def from_query(cls, query: Any) -> "ConsolidationFilters":
        def flag(name: str) -> bool:
            return str(query.get(name, "")).lower() in ("1", "true", "on", "yes")

        dimension = str(query.get("dimension", ""))
        return cls(
            dimension=int(dimension) if dimension.isdigit() else None,
            conflicts_only=flag("conflicts"),
            missing_only=flag("missing"),
        )

    @property
    def active(self) -> bool:
        return bool(self.dimension or self.conflicts_only or self.missing_only)


def consolidation_rows(
    assessment: Assessment, filters: ConsolidationFilters | None = None
) -> list[IndicatorComparison]:
    """Every indicator of the assessment with its answers and consolidated answer.

    Three queries whatever the number of indicators and institutions: indicators, responses
    (with their institution and role), consolidated answers. "Conflicts only" and "not yet
    consolidated" filter in Python, since a conflict is a comparison across rows.
    """
    filters = filters or ConsolidationFilters()
    indicators = (
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .select_related("dimension")
        .only(
            "code",
            "order",
            "question_en",
            "question_id",
            "dimension__number",
            "dimension__name_en",
            "dimension__name_id",
        )
        .order_by("order")
    )
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("institution")
        .annotate(role=role_subquery())
        .only(
            "indicator_id",
            "institution__acronym",
            "answer",
            "coverage",
            "state",
            "review_state",
        )
        .order_by()
    )
    consolidated = ConsolidatedAnswer.objects.filter(assessment=assessment).only(
        "indicator_id", "answer", "coverage", "version", "updated_at"
    )
    if filters.dimension:
        indicators = indicators.filter(dimension__number=filters.dimension)
        responses = responses.filter(indicator__dimension__number=filters.dimension)
        consolidated = consolidated.filter(indicator__dimension__number=filters.dimension)
    by_indicator: dict[int, list[Response]] = defaultdict(list)
    for response in responses:
        by_indicator[response.indicator_id].append(response)
    answers = {c.indicator_id: c for c in consolidated}
    rows = []
    for indicator in indicators:
        row = IndicatorComparison(
            indicator,
            sorted(by_indicator.get(indicator.pk, []), key=_lead_first),
            answers.get(indicator.pk),
        )
        if filters.conflicts_only and not row.conflict:
            continue
        if filters.missing_only and row.consolidated is not None:
            continue
        rows.append(row)
    return rows


def indicator_comparison(assessment: Assessment, indicator: Indicator) -> IndicatorComparison:
    """Everything the consolidation page of one indicator shows; five queries."""
    evidence = Evidence.objects.select_related("institution").order_by("pk")
    responses = (
        Response.objects.filter(assessment=assessment, indicator=indicator)
        .select_related("institution", "updated_by", "reviewed_by")
        .annotate(role=role_subquery())
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by()
    )
    consolidated = (
        ConsolidatedAnswer.objects.filter(assessment=assessment, indicator=indicator)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=evidence),
            Prefetch(
                "sources",
                queryset=Response.objects.select_related("institution").order_by(
                    "institution__acronym"
                ),
            ),
        )
        .first()
    )
    return IndicatorComparison(indicator, sorted(responses, key=_lead_first), consolidated)


def comparison_evidence(comparison: IndicatorComparison) -> list[Evidence]:
    """The evidence a consolidated answer can rest on: what the answers cite, and what it
    already rests on (an answer may have dropped an item since). No query: all prefetched."""
    items: dict[int, Evidence] = {}
    for response in comparison.responses:
        for item in response.evidence.all():
            items.setdefault(item.pk, item)
    if comparison.consolidated is not None:
        for item in comparison.consolidated.evidence.all():
            items.setdefault(item.pk, item)
    return sorted(items.values(), key=lambda item: (item.institution.acronym, item.pk))


@dataclass
class ConsolidationChange:
    when: Any
    who: User | None
    reason: str
    old_answer: str
    new_answer: str
    old_coverage: str
    new_coverage: str
    created: bool

    @staticmethod
    def _label(choices: type[Indicator.Answer] | type[Indicator.Coverage], value: str) -> str:
        return str(choices(value).label) if value in choices.values else "—"

    @property
    def old_answer_label(self) -> str:
        return self._label(Indicator.Answer, self.old_answer)

    @property
    def new_answer_label(self) -> str:
        return self._label(Indicator.Answer, self.new_answer)

    @property
    def coverage_changed(self) -> bool:
        return not self.created and self.old_coverage != self.new_coverage

    @property
    def old_coverage_label(self) -> str:
        return self._label(Indicator.Coverage, self.old_coverage)

    @property
    def new_coverage_label(self) -> str:
        return self._label(Indicator.Coverage, self.new_coverage)


def consolidated_history(consolidated: ConsolidatedAnswer | None) -> list[ConsolidationChange]:
    """Who changed the consolidated answer, when, why, and from what to what; newest first.

    One query: the previous answer comes from the row before, not `prev_record` (a query each).
    """
    if consolidated is None:
        return []
    records = consolidated.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    changes = []
    previous = None
    for record in records:
        changes.append(
            ConsolidationChange(
                when=record.history_date,
                who=record.history_user,
                reason=record.history_change_reason or "",
                old_answer=previous.answer if previous else "",
                new_answer=record.answer,
                old_coverage=previous.coverage if previous else "",
                new_coverage=record.coverage,
                created=previous is None,
            )
        )
        previous = record
    changes.reverse()
    return changes


def neighbour_codes(assessment: Assessment, indicator: Indicator) -> tuple[str | None, str | None]:
    """The codes of the indicators before and after this one in the framework; one query."""
    codes = list(
        Indicator.objects.filter(framework_id=assessment.framework_id)
        .order_by("order", "pk")
        .values_list("code", flat=True)
    )
    i = codes.index(indicator.code)
    return (codes[i - 1] if i > 0 else None), (codes[i + 1] if i + 1 < len(codes) else None)
