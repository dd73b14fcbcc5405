"""Reads of the coordinator's dashboard: counts per institution and dimension, conflicts.

`dashboard_for` is what the page and the API both show: the dashboard as of today, each
conflict with the link to its consolidation page."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FilteredRelation, Max, Min, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.collection.selectors import answered_q, nothing_to_add_q
from assessments.models import Assessment, AssessmentStatusChange, ConsolidatedAnswer, Response
from indicators.models import Dimension, Indicator
from ministries.models import Institution


@dataclass
class DashboardCounts:
    """Counts over the assigned indicators. "Answered" is an answer given and confirmed (a
    carried-forward draft nobody confirmed is blank); "nothing to add" is counted apart;
    blank is what has neither. Submitted counts what was sent to review."""

    assigned: int = 0
    answered: int = 0
    nothing_to_add: int = 0
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
            nothing_to_add=row.nothing_to_add,
            submitted=row.submitted,
            accepted=row.accepted,
            returned=row.returned,
            overdue=row.assigned - row.submitted if deadline_passed else 0,
            answered_open=row.answered_open,
            open=row.open,
        )

    @property
    def blank(self) -> int:
        return self.assigned - self.answered - self.nothing_to_add

    def percent(self, count: int) -> int:
        """A count as a share of the assigned indicators."""
        return round(100 * count / self.assigned) if self.assigned else 0

    @property
    def answered_percent(self) -> int:
        return self.percent(self.answered)

    @property
    def submitted_percent(self) -> int:
        return self.percent(self.submitted)

    @property
    def accepted_percent(self) -> int:
        return self.percent(self.accepted)


@dataclass
class InstitutionDashboardRow:
    institution: Institution
    counts: DashboardCounts


@dataclass
class DimensionDashboardRow:
    dimension: Dimension
    counts: DashboardCounts


@dataclass
class ConflictGroup:
    """The institutions that gave one answer on an indicator in conflict."""

    answer: str
    label: str
    institutions: list[str] = field(default_factory=list)  # acronyms


@dataclass
class DashboardConflict:
    indicator: Indicator
    groups: list[ConflictGroup] = field(default_factory=list)  # in the order of the answers
    url: str = ""  # the consolidation page, filled in by `dashboard_for`


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
    answered = answered_q(f"{relation}__")
    nothing = nothing_to_add_q(f"{relation}__")
    return {
        "assigned": Count(relation),
        "answered": Count(relation, filter=answered),
        "nothing_to_add": Count(relation, filter=nothing),
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
        "answered_open": Count(relation, filter=(answered | nothing) & ~submitted),
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


CONFLICTS_SHOWN = 20  # the page lists these with their answers; the rest: counted, linked


def dashboard_conflicts(
    assessment: Assessment, *, detailed: int | None = None
) -> list[DashboardConflict]:
    """Indicators the institutions answered differently, with no consolidated answer yet,
    in framework order; the first `detailed` (every one with None) with who answered what.

    Two queries (one when `detailed` is 0 or nothing is in conflict): the indicators in
    conflict, then the answers of those shown. A national round of 38 provinces' size has
    ~100 conflicts and ~2,000 answers in them; listing them all made the page grow with the
    round (bench_scale).
    """
    answered = Response.objects.filter(answered_q(), assessment=assessment)
    # More than one answer given: the smallest differs from the largest (a hashed
    # aggregate; counting distinct answers sorted the round's answers first).
    differing = (
        answered.order_by()
        .values("indicator_id")
        .annotate(lowest=Min("answer"), highest=Max("answer"))
        .filter(lowest__lt=F("highest"))
        .values("indicator_id")
    )
    consolidated = ConsolidatedAnswer.objects.filter(assessment=assessment).values("indicator_id")
    indicators = (
        Indicator.objects.filter(pk__in=differing)
        .exclude(pk__in=consolidated)
        .order_by("order")
        .only("pk", "code", "question_en", "question_id")
    )
    conflicts = {indicator.pk: DashboardConflict(indicator) for indicator in indicators}
    shown = list(conflicts)[:detailed]
    if shown:
        # The shown indicators by id, as the first query found them (a subquery would
        # count the round's answers by indicator again: 2 ms of a 3,000-answer round).
        _group_answers(conflicts, answered.filter(indicator_id__in=shown))
    return list(conflicts.values())


def _group_answers(conflicts: dict[int, DashboardConflict], answers: QuerySet[Response]) -> None:
    """Each conflict's answers grouped by answer ("Yes: A, B; Partially: C"), the groups in
    the order of the answers, the institutions by acronym."""
    rows = answers.order_by("indicator_id", "answer", "institution__acronym").values_list(
        "indicator_id", "answer", "institution__acronym"
    )
    labels = dict(Response.Answer.choices)
    order = {value: index for index, value in enumerate(labels)}
    for indicator_id, answer, acronym in rows:
        conflict = conflicts.get(indicator_id)
        if conflict is None:  # in conflict since the first query read them
            continue
        if not conflict.groups or conflict.groups[-1].answer != answer:
            conflict.groups.append(ConflictGroup(answer, str(labels.get(answer, answer))))
        conflict.groups[-1].institutions.append(acronym)
    for conflict in conflicts.values():
        conflict.groups.sort(key=lambda group: order.get(group.answer, len(order)))


def assessment_dashboard(
    assessment: Assessment, *, today: datetime.date, detailed: int | None = None
) -> Dashboard:
    """Everything the coordinator dashboard shows, in five queries whatever the numbers (four
    when no conflict is `detailed`)."""
    deadline = assessment.data_collection_deadline
    passed = deadline is not None and deadline < today
    return Dashboard(
        assessment=assessment,
        deadline_passed=passed,
        institutions=dashboard_institutions(assessment, deadline_passed=passed),
        dimensions=dashboard_dimensions(assessment, deadline_passed=passed),
        conflicts=dashboard_conflicts(assessment, detailed=detailed),
        history=list(assessment.status_changes.select_related("actor")),
    )


def consolidation_url(assessment: Assessment, code: str) -> str:
    """The consolidation page of one indicator; empty while that page does not exist."""
    try:
        return reverse("consolidation_indicator", args=[assessment.pk, code])
    except NoReverseMatch:
        return ""


def dashboard_for(assessment: Assessment, *, detailed: int | None = None) -> Dashboard:
    """The dashboard as of today, each conflict linked to its consolidation page; the
    answers of the first `detailed` conflicts (the page: CONFLICTS_SHOWN; the API lists
    only the codes: 0)."""
    dashboard = assessment_dashboard(assessment, today=timezone.localdate(), detailed=detailed)
    for conflict in dashboard.conflicts:
        conflict.url = consolidation_url(assessment, conflict.indicator.code)
    return dashboard
